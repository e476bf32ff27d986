"""Document kinds: each module here names a kind, the records it is made for and the context its templates read."""
from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docgen.project import Project


@dataclass(frozen=True)
class Record:
    """One document to make: which record, in which languages, where it goes, what it reads."""

    kind: str
    record_id: str
    partner_id: str
    langs: tuple[str, ...]
    out_dir: Path  # relative to the build folder
    data_files: tuple[Path, ...]  # every data file the document reads
    date: str  # ISO date the document is dated with; also its fixed metadata date

    def stem(self) -> str:
        return f"{self.kind}.{'-'.join(self.langs)}"


@dataclass(frozen=True)
class DocKind:
    """A kind of document: its template base name and how to find and describe its records."""

    name: str
    title_key: str  # catalog key of the document title
    records: Callable[[Project], Iterable[Record]]
    context: Callable[[Project, Record], Mapping[str, Any]]

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
