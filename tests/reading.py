"""What a reader sees in a built document: the text of a PDF (pypdf) or a DOCX (python-docx), shared by the tests."""
from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from docx import Document
from pypdf import PdfReader


@functools.cache
def pdf_text(path: Path) -> str:
    """The text of every page, in order."""
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


@functools.cache
def docx_text(path: Path) -> str:
    """Paragraphs and tables in document order: one table row a line, its cells joined by ' | ', a cell's
    paragraphs by newlines; tables nested in cells follow their row."""
    lines: list[str] = []

    def table(block: Any) -> None:
        for row in block.rows:
            cells = list({id(cell._tc): cell for cell in row.cells}.values())  # a merged cell once, not per column
            lines.append(" | ".join("\n".join(p.text for p in cell.paragraphs) for cell in cells))
            for cell in cells:
                for nested in cell.tables:
                    table(nested)

    def walk(container: Any) -> None:
        for block in container.iter_inner_content():
            if hasattr(block, "rows"):
                table(block)
            else:
                lines.append(block.text)

    walk(Document(str(path)))
    return "\n".join(lines)


def read(path: Path) -> str:
    return pdf_text(path) if path.suffix == ".pdf" else docx_text(path)


def squash(text: str) -> str:
    """Text without whitespace, hyphens (PDF hyphenation), control characters or the DOCX cell bar '|':
    proof against where a line or a cell happens to break."""
    return re.sub(r"[\s\-\u00ad\u2010\u200b\x00-\x1f|]", "", text)
