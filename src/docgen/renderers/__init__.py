"""Output formats: one renderer per format behind a small interface, chosen by name (like Sphinx builders)."""
from __future__ import annotations

from docgen.renderers.base import RENDERERS, DocMeta, Renderer, get_renderer
from docgen.renderers import docx as _docx  # noqa: F401  (registers "docx")
from docgen.renderers import pdf as _pdf  # noqa: F401  (registers "pdf")

__all__ = ["RENDERERS", "DocMeta", "Renderer", "get_renderer"]
