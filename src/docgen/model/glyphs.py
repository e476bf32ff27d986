"""Characters the shipped fonts cannot draw (emoji, scripts outside Latin/Cyrillic/Greek), as located warnings."""
from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from docgen.errors import Problem
from docgen.model.loader import Loc
from docgen.model.project import Project, Where

# Not drawn at all, so no font needs them: line breaks, tabs, joiners and other format characters.
_INVISIBLE = ("Cc", "Cf")
SHOWN = 5  # characters named in one warning


@functools.cache
def coverage(fonts_dir: Path | tuple[Path, ...]) -> frozenset[int]:
    """Code points every shipped face draws (a name is printed in regular, bold and italic alike, so a
    character one face lacks may come out as an empty box there). Read once per run."""
    from fontTools.ttLib import TTFont

    faces = sorted(fonts_dir.glob("*.ttf")) if isinstance(fonts_dir, Path) else list(fonts_dir)
    if not faces:
        return frozenset()
    covered: set[int] | None = None
    for face in faces:
        with TTFont(str(face), lazy=True) as font:
            cmap = set(font.getBestCmap() or {})
        covered = cmap if covered is None else covered & cmap
    return frozenset(covered or ())


def undrawable(text: str, covered: frozenset[int]) -> list[str]:
    """The distinct characters of `text` no shipped face draws, in order of first appearance."""
    found: dict[str, None] = {}
    for char in text:
        if ord(char) not in covered and unicodedata.category(char) not in _INVISIBLE:
            found.setdefault(char)
    return list(found)


def describe(chars: list[str]) -> str:
    named = [f"{c!r} (U+{ord(c):04X} {unicodedata.name(c, 'unnamed')})" for c in chars[:SHOWN]]
    more = f" and {len(chars) - SHOWN} more" if len(chars) > SHOWN else ""
    return ", ".join(named) + more


def _texts(value: Any, loc: Loc) -> Iterator[tuple[Loc, str]]:
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _texts(getattr(value, name), loc + (name,))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, loc + (str(key),))
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _texts(item, loc + (i,))
    elif isinstance(value, str):
        yield loc, value


def _records(project: Project) -> Iterator[tuple[BaseModel, Where]]:
    if project.home is not None and project.home_where is not None:
        yield project.home, project.home_where
    for record in project.partners.values():
        yield record.institution, record.where
        for agreement, where in record.agreements.values():
            yield agreement, where
    for mobility, where, _ in project.mobilities.values():
        yield mobility, where


def problems(project: Project, fonts_dir: Path | tuple[Path, ...]) -> list[Problem]:
    """A warning at every text field of a valid record holding characters the shipped fonts cannot draw."""
    covered = coverage(fonts_dir.resolve() if isinstance(fonts_dir, Path) else tuple(p.resolve() for p in fonts_dir))
    if not covered:
        return []
    found = []
    for model, where in _records(project):
        for loc, text in _texts(model, ()):
            chars = undrawable(text, covered)
            if chars:
                found.append(where.problem(loc, (
                    f"the shipped fonts (templates/fonts) cannot draw {describe(chars)}: the documents "
                    "would show an empty box there; write the text without it, or in Latin, Cyrillic or Greek "
                    "letters"), severity="warning"))
    return found
