"""PDF: the document's HTML laid out by WeasyPrint with the shared stylesheet (PDF/A-2b, fonts embedded)."""
from __future__ import annotations

import calendar
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from docgen.errors import RenderError
from docgen.documents.renderers.base import DocMeta, Writer, register
from docgen.site import SearchPath


@contextmanager
def source_date(meta: DocMeta) -> Iterator[None]:
    """Fix the time fontTools stamps into font subsets to the document's own date (reproducible PDFs)."""
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(calendar.timegm(meta.date.timetuple()))
    try:
        yield
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


# A template's own stylesheet (templates/html/*.css), linked as base.html does.
_LINK = re.compile(r'<link rel="stylesheet" href="([A-Za-z0-9_-]+\.css)">')


@register
class PdfWriter(Writer):
    name = "pdf"
    extension = "pdf"

    def __init__(self, templates: Path | SearchPath) -> None:
        super().__init__(templates)
        self.html_dir = self.templates.dirs[0] / "html"
        self._fonts: Any = None
        self._sheets: dict[str, Any] = {}  # href → the stylesheet parsed once per writer

    def files(self) -> list[Path]:
        return self.templates.glob("html", "*.css") + self.templates.glob("fonts", "*.ttf")

    def _linked(self, html: str) -> tuple[str, list[Any]]:
        """The HTML without its `<link rel="stylesheet">` tags, and those stylesheets parsed once per writer."""
        import weasyprint

        sheets = []
        for match in _LINK.finditer(html):
            href = match.group(1)
            if href not in self._sheets:
                self._sheets[href] = weasyprint.CSS(filename=str(self.templates.find(Path("html") / href)),
                                                    font_config=self._fonts)
            sheets.append(self._sheets[href])
        return _LINK.sub("", html), sheets

    def write(self, html: str, meta: DocMeta) -> bytes:
        import weasyprint
        from weasyprint.text.fonts import FontConfiguration

        if self._fonts is None:
            self._fonts = FontConfiguration()  # one per writer: a new one per PDF leaks native memory
        try:
            html, sheets = self._linked(html)
            document = weasyprint.HTML(string=html, base_url=str(self.html_dir) + "/")
            with source_date(meta):
                return bytes(document.write_pdf(stylesheets=sheets, pdf_variant="pdf/a-2b",
                                                pdf_identifier=meta.doc_id.encode(), font_config=self._fonts))
        except Exception as exc:  # WeasyPrint raises many kinds; the user sees one clean message
            raise RenderError(f"PDF layout failed: {exc}") from exc
