"""PDF through Jinja HTML templates and CSS, laid out by WeasyPrint (PDF/A-2b, fonts embedded)."""
from __future__ import annotations

import calendar
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta

from docgen.errors import RenderError, TemplateError
from docgen.i18n import Catalogs
from docgen.renderers.base import DocMeta, Renderer, make_env, register, template_error


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


@register
class PdfRenderer(Renderer):
    name = "pdf"
    extension = "pdf"

    def __init__(self, templates: Path, catalogs: Catalogs) -> None:
        super().__init__(templates, catalogs)
        self.html_dir = templates / "html"
        self.env = make_env(catalogs, jinja2.FileSystemLoader(str(self.html_dir)))
        self._files: dict[str, list[Path]] = {}

    def template_files(self, kind: str) -> list[Path]:
        if kind not in self._files:
            self._files[kind] = self._find_template_files(kind)
        return list(self._files[kind])

    def _find_template_files(self, kind: str) -> list[Path]:
        names = {f"{kind}.html"}
        pending = [f"{kind}.html"]
        while pending:  # follow extends / include / import, once each
            source = self.html_dir / pending.pop()
            if not source.is_file():
                continue
            try:
                ast = self.env.parse(source.read_text(encoding="utf-8"))
            except jinja2.TemplateSyntaxError:
                continue  # reported when the document is rendered
            for name in jinja2.meta.find_referenced_templates(ast):
                if name and name not in names:
                    names.add(name)
                    pending.append(name)
        files = [self.html_dir / n for n in sorted(names)]
        files += sorted(self.html_dir.glob("*.css")) + sorted((self.templates / "fonts").glob("*.ttf"))
        return files

    def html(self, kind: str, context: Mapping[str, Any], meta: DocMeta) -> str:
        """The HTML that feeds WeasyPrint (golden-tested)."""
        try:
            template = self.env.get_template(f"{kind}.html")
            return template.render(**context, meta=meta)
        except (jinja2.TemplateError, TemplateError) as exc:
            raise template_error(f"html/{kind}.html", exc) from exc

    def render(self, kind: str, context: Mapping[str, Any], meta: DocMeta) -> bytes:
        import weasyprint

        source = self.html(kind, context, meta)
        try:
            document = weasyprint.HTML(string=source, base_url=str(self.html_dir) + "/")
            with source_date(meta):
                return bytes(document.write_pdf(pdf_variant="pdf/a-2b", pdf_identifier=meta.doc_id.encode()))
        except Exception as exc:  # WeasyPrint raises many kinds; the user sees one clean message
            raise RenderError(f"{kind}: PDF layout failed: {exc}") from exc
