"""DOCX through docxtpl from .docx templates a user can edit in Word or LibreOffice."""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2

from docgen.errors import RenderError, TemplateError
from docgen.i18n import Catalogs
from docgen.renderers.base import DocMeta, Renderer, make_env, register, template_error

_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def normalize_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed timestamps and attributes so equal content gives equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=_FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            dst.writestr(info, src.read(item.filename))
    return out.getvalue()


@register
class DocxRenderer(Renderer):
    name = "docx"
    extension = "docx"

    def __init__(self, templates: Path, catalogs: Catalogs) -> None:
        super().__init__(templates, catalogs)
        self.docx_dir = templates / "docx"
        self.env = make_env(catalogs)

    def template_files(self, kind: str) -> list[Path]:
        return [self.docx_dir / f"{kind}.docx"]

    def render(self, kind: str, context: Mapping[str, Any], meta: DocMeta) -> bytes:
        from docxtpl import DocxTemplate

        path = self.docx_dir / f"{kind}.docx"
        if not path.is_file():
            raise TemplateError(f"template docx/{kind}.docx is missing")
        template = DocxTemplate(str(path))
        try:
            template.render({**context, "meta": meta}, jinja_env=self.env, autoescape=True)
        except (jinja2.TemplateError, TemplateError) as exc:
            raise template_error(f"docx/{kind}.docx", exc) from exc
        stamp = dt.datetime.combine(meta.date, dt.time(12, 0))
        props = template.docx.core_properties
        props.title = meta.title
        props.author = meta.author
        props.last_modified_by = meta.author
        props.created = stamp
        props.modified = stamp
        props.last_printed = stamp
        props.revision = 1
        props.language = "-".join(meta.langs)
        props.identifier = meta.doc_id
        buf = io.BytesIO()
        try:
            template.save(buf)
        except Exception as exc:
            raise RenderError(f"{kind}: DOCX could not be written: {exc}") from exc
        return normalize_zip(buf.getvalue())
