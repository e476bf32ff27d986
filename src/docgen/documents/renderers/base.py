"""The writer interface, the registry of formats and the Jinja environment of the one HTML template per kind."""
from __future__ import annotations

import datetime as dt
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import jinja2
from markupsafe import Markup

from docgen.errors import TemplateError, UsageError
from docgen.documents.i18n import Catalogs, template_globals
from docgen.site import SearchPath, search_path


@dataclass(frozen=True)
class DocMeta:
    """What a document says about itself: title, languages, id, fixed date (never the clock), running footer."""

    title: str
    langs: tuple[str, ...]
    doc_id: str
    date: dt.date
    author: str
    page_label: str = "Page"  # "Strona", in the document's first language
    footer_left: str = ""  # e.g. the short hash of an agreement's terms
    changes_date: dt.datetime | None = None  # a redline's tracked changes are dated so (UTC)


class Writer(ABC):
    """Turns a document's rendered HTML into the bytes of one file of its format."""

    name: ClassVar[str]
    extension: ClassVar[str]

    def __init__(self, templates: Path | SearchPath) -> None:
        self.templates = search_path(templates)

    @abstractmethod
    def files(self) -> list[Path]:
        """Every file of this format's own that each document reads (stylesheet, fonts, Word shell)."""

    @abstractmethod
    def write(self, html: str, meta: DocMeta) -> bytes:
        """The finished file; raises RenderError."""


WRITERS: dict[str, type[Writer]] = {}


def register(cls: type[Writer]) -> type[Writer]:
    WRITERS[cls.name] = cls
    return cls


def get_writer(name: str) -> type[Writer]:
    try:
        return WRITERS[name]
    except KeyError:
        raise UsageError(f"unknown format {name!r}; known: {', '.join(sorted(WRITERS))}") from None


def make_env(catalogs: Catalogs, loader: jinja2.BaseLoader | None = None) -> jinja2.Environment:
    """Strict and escaping: a missing value is an error, data is always text, never markup."""
    env = jinja2.Environment(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(template_globals(catalogs))
    env.filters["css"] = css_string
    env.filters["code"] = code_span
    env.filters["breakable"] = breakable
    return env


def code_span(value: object) -> Markup:
    """A code printed as written, inner spaces kept: the padded Erasmus code `E  VALENCI99`."""
    return Markup('<span class="code">%s</span>') % str(value)


def breakable(value: object) -> Markup:
    """An e-mail address or URL that may wrap only after `@`, `.` or `/` (never inside a name)."""
    escaped = str(Markup.escape(str(value)))
    return Markup(re.sub(r"([@./])(?=.)", r"\1<wbr>", escaped))


def css_string(value: object) -> Markup:
    """A CSS string literal (for @page header and footer content) that data cannot break out of."""
    text = str(value)
    for char, escaped in (("\\", "\\\\"), ('"', '\\"'), ("<", "\\3C "), (">", "\\3E "), ("\n", " ")):
        text = text.replace(char, escaped)
    return Markup(f'"{text}"')


def template_error(kind: str, exc: Exception) -> TemplateError:
    """A Jinja failure named by template and cause."""
    if isinstance(exc, TemplateError):
        return TemplateError(f"template {kind}: {exc}")
    if isinstance(exc, jinja2.UndefinedError):
        return TemplateError(f"template {kind}: {exc.message}")
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return TemplateError(f"template {exc.filename or kind}:{exc.lineno}: {exc.message}")
    return TemplateError(f"template {kind}: {type(exc).__name__}: {exc}")
