"""Stand-ins for the slow parts where a test is not about layout: writers that put the record's id in the file."""
from __future__ import annotations

import pytest

from docgen.documents.renderers import DocMeta
from docgen.documents.renderers.docx import DocxWriter
from docgen.documents.renderers.pdf import PdfWriter


def stub_writers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every PDF and DOCX holds `%PDF-stub <id>` / `PK-stub <id>`, made in microseconds."""
    def pdf(self: PdfWriter, html: str, meta: DocMeta) -> bytes:
        return f"%PDF-stub {meta.doc_id}".encode()

    def docx(self: DocxWriter, html: str, meta: DocMeta) -> bytes:
        return f"PK-stub {meta.doc_id}".encode()

    monkeypatch.setattr(PdfWriter, "write", pdf)
    monkeypatch.setattr(DocxWriter, "write", docx)
