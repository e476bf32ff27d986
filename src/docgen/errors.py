"""Typed errors and the located problem report that every data mistake becomes."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One located finding: `file:line:col: field: message`."""

    file: str
    line: int
    col: int
    field: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.col}"
        label = self.field or "(file)"
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}: {label}: {prefix}{self.message}"


class DocgenError(Exception):
    """Base of every error the CLI turns into a clean message and an exit code."""

    exit_code = 1


class UsageError(DocgenError):
    """The command was called wrongly (unknown record, bad option)."""

    exit_code = 2


@dataclass
class DataError(DocgenError):
    """The data has errors; `problems` holds every one of them, located."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class TemplateError(DocgenError):
    """A template is broken or asks for a value the record does not have."""


class RenderError(DocgenError):
    """A renderer failed to produce a document."""


@dataclass
class ExportError(DocgenError):
    """An agreement that cannot be written in an exchange format (EWP), with the located reasons."""

    agreement_id: str
    problems: list[Problem] = field(default_factory=list)
    reason: str = ""

    def __str__(self) -> str:
        head = f"agreement {self.agreement_id!r} cannot be exported to EWP IIA v7"
        head += f": {self.reason}" if self.reason else ":"
        return "\n".join([head, *(str(p) for p in self.problems)])
class GrantError(DocgenError):
    """The grant cannot be calculated from this mobility, rates file and institutions."""


class BuildLocked(DocgenError):
    """Another build is writing into the same output folder."""

    exit_code = 3
