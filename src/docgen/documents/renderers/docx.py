"""DOCX: the document's HTML walked into the Word shell (templates/docx/shell.docx) rendered by docxtpl.

The shell holds the house style: page setup, styles, letterhead, header and footer, document properties.
docxtpl renders it first: the header and footer fill `{{ meta.title }}`, `{{ meta.doc_id }}`,
`{{ meta.page_label }}` and `{{ meta.footer_left }}`, and the paragraph `{{ body }}` becomes a marker.
The document's content is then written by python-docx into that rendered document, in place of the marker,
with the shell's own styles. Writing into the rendered shell (rather than a docxtpl Subdoc) needs no
docxcompose, serialises the body once instead of twice, and still lets an office move `{{ body }}` below a
letterhead in Word.

Work done once per writer (so once per worker process), not per document: the shell's bytes are read
once, the Jinja templates docxtpl compiles from the shell's XML are compiled once (docxtpl calls
`from_string` for every part on every render), and style names are looked up in the shell's styles once.
The zip is written directly with fixed timestamps, in python-docx's order of parts.
"""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docgen.errors import RenderError, TemplateError
from docgen.documents.renderers.base import DocMeta, Writer, register
from docgen.site import SearchPath

_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
SHELL = Path("docx") / "shell.docx"
BODY_MARK = "\u2063docgen-body\u2063"  # what `{{ body }}` renders to before the content replaces it


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_FIXED_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    info.create_system = 0
    return info


class _FixedZipWriter:
    """python-docx's physical package writer, with fixed entry times and attributes (no re-zip afterwards)."""

    def __init__(self, stream: io.BytesIO) -> None:
        self._zip = zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED)

    def write(self, pack_uri: Any, blob: bytes) -> None:
        self._zip.writestr(_entry(pack_uri.membername), blob)

    def close(self) -> None:
        self._zip.close()


def save_fixed(document: Any) -> bytes:
    """A python-docx document's package as zip bytes that depend on its content only."""
    from docx.opc.pkgwriter import PackageWriter

    package = document.part.package
    parts = package.parts
    for part in parts:
        part.before_marshal()
    buf = io.BytesIO()
    writer = _FixedZipWriter(buf)
    PackageWriter._write_content_types_stream(writer, parts)
    PackageWriter._write_pkg_rels(writer, package.rels)
    PackageWriter._write_parts(writer, parts)
    writer.close()
    return buf.getvalue()


@dataclass(frozen=True)
class _Style:
    """A style's name and type, all the body writer asks of the shell's styles (read once per shell)."""

    name: str
    type: Any


class _Shell:
    """What every document of one shell shares: its bytes, its compiled Jinja templates, its style ids."""

    def __init__(self, path: Path) -> None:
        import jinja2

        self.data = path.read_bytes()
        compiled: dict[str, jinja2.Template] = {}

        class Compiled(jinja2.Environment):
            def from_string(self, source: Any, *args: Any, **kwargs: Any) -> jinja2.Template:
                if args or kwargs or not isinstance(source, str):
                    return super().from_string(source, *args, **kwargs)
                if source not in compiled:
                    compiled[source] = super().from_string(source)
                return compiled[source]

        self.env = Compiled(autoescape=True)
        self.style_ids: dict[tuple[str, Any], str | None] = {}
        self.styles: list[_Style] | None = None

    def cache_styles(self, document: Any) -> None:
        """Style name → id through the shell's styles once: python-docx scans every style on each lookup."""
        part = document.part
        lookup = part.get_style_id
        ids = self.style_ids

        def get_style_id(style_or_name: Any, style_type: Any) -> str | None:
            if not isinstance(style_or_name, str):
                return lookup(style_or_name, style_type)
            key = (style_or_name, style_type)
            if key not in ids:
                ids[key] = lookup(style_or_name, style_type)
            return ids[key]

        part.get_style_id = get_style_id
        if self.styles is None:
            self.styles = [_Style(s.name, s.type) for s in document.styles]


def _rewrap_body(document: Any) -> None:
    """docxtpl puts back a body parsed by a plain lxml parser; parsed again by python-docx's own, every element
    is python-docx's class (else, in a Dask worker's thread, `body.p_lst` can be missing). The shell's body
    is small: the content is written after this."""
    from docx.oxml.parser import parse_xml
    from lxml import etree

    root = document.element
    body = root.body
    root.replace(body, parse_xml(etree.tostring(body)))


@register
class DocxWriter(Writer):
    name = "docx"
    extension = "docx"

    def __init__(self, templates: Path | SearchPath) -> None:
        super().__init__(templates)
        self.shell = self.templates.find(SHELL)
        self._shell: _Shell | None = None

    def files(self) -> list[Path]:
        return [self.shell]

    def _prepared(self) -> _Shell:
        if self._shell is None:
            if not self.shell.is_file():
                raise TemplateError(f"the Word shell {SHELL} is missing from the templates folder")
            self._shell = _Shell(self.shell)
        return self._shell

    def write(self, html: str, meta: DocMeta) -> bytes:
        from docxtpl import DocxTemplate

        from docgen.documents.renderers.docx_body import BodyWriter

        prepared = self._prepared()
        shell = DocxTemplate(io.BytesIO(prepared.data))
        try:
            shell.render({"body": BODY_MARK, "meta": meta}, jinja_env=prepared.env, autoescape=True)
            document = shell.docx
            _rewrap_body(document)
            prepared.cache_styles(document)
            marker = next((p for p in document.paragraphs if p.text.strip() == BODY_MARK), None)
            if marker is None:
                raise TemplateError(f"the Word shell {SHELL} has no paragraph {{{{ body }}}} marking where the "
                                    "content goes")
            section = document.sections[0]
            width = section.page_width - section.left_margin - section.right_margin
            body = document.element.body
            before = len(body)
            changes = meta.changes_date or dt.datetime.combine(meta.date, dt.time(12, 0))
            BodyWriter(prepared.styles, width,  # type: ignore[arg-type]
                       changes.strftime("%Y-%m-%dT%H:%M:%SZ")).write(html, document)
            for element in list(body)[before - 1:-1] if body[-1].tag.endswith("sectPr") else list(body)[before:]:
                marker._p.addprevious(element)
            marker._p.getparent().remove(marker._p)
        except TemplateError:
            raise
        except Exception as exc:
            raise RenderError(f"DOCX could not be written: {type(exc).__name__}: {exc}") from exc
        stamp = dt.datetime.combine(meta.date, dt.time(12, 0))
        props = document.core_properties
        props.title = meta.title
        props.author = meta.author
        props.last_modified_by = meta.author
        props.created = stamp
        props.modified = stamp
        props.last_printed = stamp
        props.revision = 1
        props.language = "-".join(meta.langs)
        props.identifier = meta.doc_id
        try:
            return save_fixed(document)
        except Exception as exc:
            raise RenderError(f"DOCX could not be written: {exc}") from exc
