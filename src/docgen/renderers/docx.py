"""DOCX: the document's HTML walked into the Word shell (templates/docx/shell.docx) rendered by docxtpl.

The shell holds the house style: page setup, styles, letterhead, header and footer, document properties.
docxtpl renders it first: the header and footer fill `{{ meta.title }}`, `{{ meta.doc_id }}`,
`{{ meta.page_label }}` and `{{ meta.footer_left }}`, and the paragraph `{{ body }}` becomes a marker.
The document's content is then written by python-docx into that rendered document, in place of the marker,
with the shell's own styles. Writing into the rendered shell (rather than a docxtpl Subdoc) needs no
docxcompose, serialises the body once instead of twice, and still lets an office move `{{ body }}` below a
letterhead in Word.
"""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from docgen.errors import RenderError, TemplateError
from docgen.renderers.base import DocMeta, Writer, register

_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
SHELL = Path("docx") / "shell.docx"
BODY_MARK = "\u2063docgen-body\u2063"  # what `{{ body }}` renders to before the content replaces it


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
class DocxWriter(Writer):
    name = "docx"
    extension = "docx"

    def __init__(self, templates: Path) -> None:
        super().__init__(templates)
        self.shell = templates / SHELL

    def files(self) -> list[Path]:
        return [self.shell]

    def write(self, html: str, meta: DocMeta) -> bytes:
        from docxtpl import DocxTemplate

        from docgen.renderers.docx_body import BodyWriter

        if not self.shell.is_file():
            raise TemplateError(f"the Word shell {SHELL} is missing from the templates folder")
        shell = DocxTemplate(str(self.shell))
        try:
            shell.render({"body": BODY_MARK, "meta": meta}, autoescape=True)
            document = shell.docx
            marker = next((p for p in document.paragraphs if p.text.strip() == BODY_MARK), None)
            if marker is None:
                raise TemplateError(f"the Word shell {SHELL} has no paragraph {{{{ body }}}} marking where the "
                                    "content goes")
            section = document.sections[0]
            width = section.page_width - section.left_margin - section.right_margin
            body = document.element.body
            before = len(body)
            changes = meta.changes_date or dt.datetime.combine(meta.date, dt.time(12, 0))
            BodyWriter(document.styles, width, changes.strftime("%Y-%m-%dT%H:%M:%SZ")).write(html, document)
            for element in list(body)[before - 1:-1] if body[-1].tag.endswith("sectPr") else list(body)[before:]:
                marker._p.addprevious(element)
            marker._p.getparent().remove(marker._p)
        except TemplateError:
            raise
        except Exception as exc:
            raise RenderError(f"DOCX could not be written: {type(exc).__name__}: {exc}") from exc
        stamp = dt.datetime.combine(meta.date, dt.time(12, 0))
        props = shell.docx.core_properties
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
            shell.save(buf)
        except Exception as exc:
            raise RenderError(f"DOCX could not be written: {exc}") from exc
        return normalize_zip(buf.getvalue())
