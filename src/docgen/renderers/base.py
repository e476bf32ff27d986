"""The renderer interface, the registry of formats and the Jinja environment both formats share."""
from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import jinja2
from markupsafe import Markup

from docgen.errors import TemplateError, UsageError
from docgen.i18n import Catalogs, template_globals


@dataclass(frozen=True)
class DocMeta:
    """What a document says about itself: title, languages, id, fixed date (never the clock)."""

    title: str
    langs: tuple[str, ...]
    doc_id: str
    date: dt.date
    author: str


class Renderer(ABC):
    """Turns a document kind's template and context into the bytes of one file."""

    name: ClassVar[str]
    extension: ClassVar[str]

    def __init__(self, templates: Path, catalogs: Catalogs) -> None:
        self.templates = templates
        self.catalogs = catalogs

    @abstractmethod
    def template_files(self, kind: str) -> list[Path]:
        """Every template file a document of `kind` reads (for `docgen list` and incremental builds)."""

    @abstractmethod
    def render(self, kind: str, context: Mapping[str, Any], meta: DocMeta) -> bytes:
        """The finished file; raises TemplateError or RenderError."""


RENDERERS: dict[str, type[Renderer]] = {}


def register(cls: type[Renderer]) -> type[Renderer]:
    RENDERERS[cls.name] = cls
    return cls


def get_renderer(name: str) -> type[Renderer]:
    try:
        return RENDERERS[name]
    except KeyError:
        raise UsageError(f"unknown format {name!r}; known: {', '.join(sorted(RENDERERS))}") from None


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
    return env


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
