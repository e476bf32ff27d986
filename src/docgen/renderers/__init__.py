"""Output formats: the one HTML template per kind, and one writer per format behind a small interface."""
from __future__ import annotations

from docgen.renderers.base import WRITERS, DocMeta, Writer, get_writer
from docgen.renderers import docx as _docx  # noqa: F401  (registers "docx")
from docgen.renderers import pdf as _pdf  # noqa: F401  (registers "pdf")
from docgen.renderers.html import DocumentTemplates

__all__ = ["WRITERS", "DocMeta", "DocumentTemplates", "Writer", "get_writer"]
