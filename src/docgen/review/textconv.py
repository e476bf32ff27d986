"""A stable text form of a built DOCX or PDF, for `git diff` (git's textconv)."""
from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

from docgen.errors import UsageError


def _clean(text: str) -> str:
    return re.sub(r"[ \t]+", " ", text).strip()


def _docx_blocks(path: Path) -> Iterator[str]:
    """Paragraphs and table rows in body order; a table row is its cells joined by ' | '."""
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    def walk(container) -> Iterator[str]:  # type: ignore[no-untyped-def]
        for block in container.iter_inner_content():
            if isinstance(block, Paragraph):
                yield _clean(block.text)
            elif isinstance(block, Table):
                for row in block.rows:
                    cells = []
                    for cell in row.cells:
                        inner = [t for t in walk(cell) if t]
                        if not cells or cells[-1] != " / ".join(inner):  # merged cells repeat
                            cells.append(" / ".join(inner))
                    yield " | ".join(cells)

    document = Document(str(path))
    for section in document.sections:
        yield from (f"[header] {t}" for t in walk(section.header) if t)
    yield from walk(document)
    for section in document.sections:
        yield from (f"[footer] {t}" for t in walk(section.footer) if t)


def _pdf_pages(path: Path) -> Iterator[str]:
    try:
        from pypdf import PdfReader
    except ImportError:
        if not shutil.which("pdftotext"):
            raise UsageError("reading a PDF needs pypdf or poppler's pdftotext") from None
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True).stdout
        pages = text.decode("utf-8", errors="replace").split("\f")
    else:
        pages = [page.extract_text() or "" for page in PdfReader(str(path)).pages]
    for number, page in enumerate(pages, 1):
        if not page.strip() and number == len(pages):
            continue
        yield f"--- page {number} ---"
        yield from (_clean(line) for line in page.splitlines())


def textconv(path: Path) -> str:
    """The document's text: DOCX paragraphs and table rows, or PDF pages; blank runs squeezed to one line."""
    if not path.is_file():
        raise UsageError(f"no such file: {path}")
    suffix = path.suffix.lower()
    if suffix == ".docx":
        blocks = list(_docx_blocks(path))
    elif suffix == ".pdf":
        blocks = list(_pdf_pages(path))
    else:
        raise UsageError(f"{path}: textconv reads .docx and .pdf files")
    out: list[str] = []
    for block in blocks:
        if block or (out and out[-1]):
            out.append(block)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"
