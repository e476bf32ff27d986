"""Output formats: the one HTML template per kind, and one writer per format behind a small interface."""
from __future__ import annotations

from docgen.documents.renderers.base import WRITERS, DocMeta, Writer, get_writer
from docgen.documents.renderers import docx as _docx  # noqa: F401  (registers "docx")
from docgen.documents.renderers import pdf as _pdf  # noqa: F401  (registers "pdf")
from docgen.documents.renderers.html import DocumentTemplates

__all__ = ["WRITERS", "DocMeta", "DocumentTemplates", "Writer", "get_writer"]
