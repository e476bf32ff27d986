"""Document kinds: each module here names a kind, the documents it makes and the context its template reads."""
from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docgen.build.paths import document_name
from docgen.model.project import Project


@dataclass(frozen=True)
class Document:
    """One document to make (not a data record): of which record, in which languages, where, from what."""

    kind: str
    record_id: str
    partner_id: str
    langs: tuple[str, ...]
    out_dir: Path  # relative to the build folder (docgen.build.paths)
    data_files: tuple[Path, ...]  # every data file the document reads
    date: str  # ISO date the document is dated with; also its fixed metadata date
    mobilities: tuple[str, ...] = ()  # the mobility records it reads (one file holds many)

    def file_name(self, extension: str) -> str:
        return document_name(self.kind, self.langs, extension)

    def stem(self) -> str:
        return f"{self.kind}.{'-'.join(self.langs)}"


@dataclass(frozen=True)
class DocKind:
    """A kind of document: its template base name and how to find and describe its documents."""

    name: str
    title_key: str  # catalog key of the document title
    records: Callable[[Project], Iterable[Document]]
    context: Callable[[Project, Document], Mapping[str, Any]]
    # a document that sums records: the ids of failed records it would have summed (it is not built then)
    blocked_by: Callable[[Project, Document], list[str]] | None = None
    # an agreement: its documents print the hash of its terms and say when they are a draft of an amendment
    agreement: bool = False

    @property
    def template(self) -> str:
        return self.name


def kinds() -> dict[str, DocKind]:
    """Every kind defined by a module of this package (a module exports KIND)."""
    found: dict[str, DocKind] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name.startswith("_") or info.name == "common":
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        kind = getattr(module, "KIND", None)
        if isinstance(kind, DocKind):
            found[kind.name] = kind
    return found
