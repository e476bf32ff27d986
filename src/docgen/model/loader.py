"""Read YAML files into plain data, remembering the line and column of every key and value."""
from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver

from docgen.errors import Problem

Loc = tuple[str | int, ...]

_NULL = {"", "~", "null", "Null", "NULL"}
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
# YAML 1.1 (PyYAML, many editors and linters) reads these as booleans; YAML 1.2 as text.
_BOOL_11 = {form: value for value, words in ((True, ("yes", "on")), (False, ("no", "off")))
            for word in words for form in (word, word.capitalize(), word.upper())}
_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)$")
_LEADING_ZERO = re.compile(r"[-+]?0[0-9]+$")
_OTHER_NUMBER = re.compile(r"[-+]?(0[xXoObB][0-9a-fA-F_]+|[0-9][0-9_]*_[0-9_]*|\.(inf|Inf|INF|nan|NaN|NAN))$")
_DECIMAL = re.compile(r"[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$")
_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$")
_DATETIME = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt]|[ \t]+)[0-9]{1,2}:")
_STANDARD_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp",
}
MAX_NODES = 200_000
# What a `docgen new` skeleton writes where a value is still to be filled: refused wherever it stands.
PLACEHOLDER = "TODO"
# A data file of a whole year's mobilities is some hundred kilobytes; parsing a far larger one costs
# minutes and gigabytes before any of it could be refused.
MAX_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class Pos:
    """1-based line and column."""

    line: int
    col: int


@dataclass
class SourceMap:
    """Where each value (and each mapping key) of one file stands."""

    file: str
    values: dict[Loc, Pos] = field(default_factory=dict)
    keys: dict[Loc, Pos] = field(default_factory=dict)
    raw: dict[Loc, str] = field(default_factory=dict)

    def locate(self, loc: Loc, *, key: bool = False) -> Pos:
        """Position of `loc`, or of its nearest located ancestor."""
        probe = tuple(loc)
        while True:
            if key and probe in self.keys:
                return self.keys[probe]
            if probe in self.values:
                return self.values[probe]
            if not probe:
                return Pos(1, 1)
            probe = probe[:-1]

    def problem(self, loc: Loc, message: str, *, key: bool = False,
                severity: str = "error") -> Problem:
        pos = self.locate(loc, key=key)
        return Problem(self.file, pos.line, pos.col, dotted(loc), message, severity)  # type: ignore[arg-type]


def in_scope(problem: Problem, prefix: Loc) -> bool:
    """Does `problem` lie inside the record at `prefix`?"""
    head = dotted(prefix)
    if not head:
        return True
    return problem.field == head or problem.field.startswith((head + ".", head + "["))


def dotted(loc: Loc) -> str:
    """`('agreements', 0, 'id')` → `agreements[0].id`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


@dataclass
class Loaded:
    """A file's data, its source map and the problems found while reading it."""

    data: Any
    source: SourceMap
    problems: list[Problem]


def _pos(node: Node) -> Pos:
    return Pos(node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    """Turns a composed node tree into Python values with strict, predictable scalar rules."""

    def __init__(self, source: SourceMap, aliases: list[Pos] | None = None) -> None:
        self.source = source
        self.aliases = list(reversed(aliases or []))
        self.problems: list[Problem] = []
        self.seen: set[int] = set()
        self.count = 0

    def fail(self, loc: Loc, node: Node, message: str) -> None:
        p = _pos(node)
        self.problems.append(Problem(self.source.file, p.line, p.col, dotted(loc), message))

    def build(self, node: Node, loc: Loc) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooBig()
        if id(node) in self.seen:
            self.alias(loc, node)
            return None
        self.seen.add(id(node))
        self.source.values[loc] = _pos(node)
        if node.tag not in _STANDARD_TAGS:
            self.fail(loc, node, f"the YAML tag {node.tag!r} is not allowed: remove it")
            return None
        if isinstance(node, MappingNode):
            return self.mapping(node, loc)
        if isinstance(node, SequenceNode):
            return [self.build(item, loc + (i,)) for i, item in enumerate(node.value)]
        return self.scalar(node, loc)

    def alias(self, loc: Loc, node: Node) -> None:
        """Refuse an alias, located where it is written (its node is the anchored one)."""
        pos = self.aliases.pop() if self.aliases else _pos(node)
        self.source.values.setdefault(loc, pos)
        self.problems.append(Problem(self.source.file, pos.line, pos.col, dotted(loc),
                                     "anchors and aliases (&name / *name) are not supported: "
                                     "write the value out in full"))

    def mapping(self, node: MappingNode, loc: Loc) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first: dict[str, Pos] = {}
        for key_node, value_node in node.value:
            if id(key_node) in self.seen:
                self.alias(loc, key_node)
                continue
            self.seen.add(id(key_node))
            if not isinstance(key_node, ScalarNode):
                self.fail(loc, key_node, "a key must be plain text")
                continue
            key = key_node.value
            if key == "<<":
                self.fail(loc, key_node, "merge keys (<<) are not supported: write the keys out")
                continue
            kpos = _pos(key_node)
            if key in first:
                prev = first[key]
                self.fail(loc + (key,), key_node,
                          f"duplicate key {key!r} (first given at line {prev.line}); "
                          "YAML would silently keep only the last value: remove one")
                continue
            first[key] = kpos
            self.source.keys[loc + (key,)] = kpos
            out[key] = self.build(value_node, loc + (key,))
        return out

    def scalar(self, node: ScalarNode, loc: Loc) -> Any:
        text: str = node.value
        if text.strip() == PLACEHOLDER:
            self.fail(loc, node, "still the skeleton's TODO: fill in this value")
            return text
        if node.style == ">":
            return text.replace("\a", "")  # ruamel marks the folds with BEL for round-tripping
        if node.style in ("'", '"', "|"):
            return text
        self.source.raw[loc] = text
        if text in _NULL:
            return None
        if text in _BOOL:
            return _BOOL[text]
        if text in _BOOL_11:
            self.fail(loc, node,
                      f"unquoted {text} is read as the boolean {str(_BOOL_11[text]).lower()} by many "
                      f"YAML tools: write '{text}' in quotes if you mean text, or true/false")
            return text
        if _LEADING_ZERO.match(text):
            self.fail(loc, node,
                      f"unquoted {text} is read as the number {int(text)} (the leading zero is lost, "
                      f"some tools even read it as octal): write '{text}' in quotes")
            return text
        if _OTHER_NUMBER.match(text):
            self.fail(loc, node, f"unquoted {text} is read as a special number by YAML: "
                                 f"write '{text}' in quotes, or a plain decimal number")
            return text
        if _INT.match(text):
            return int(text)
        if _DECIMAL.match(text):
            return Decimal(text)
        if _DATETIME.match(text):
            self.fail(loc, node, f"{text} has a time of day: write the date alone, YYYY-MM-DD")
            return text
        m = _DATE.match(text)
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                self.fail(loc, node, f"{text} is not a date in the calendar")
                return text
        return text


def plain_is_text(text: str) -> bool:
    """Would `text`, written unquoted, be read back by docgen as this very text (no trap, no other type)?"""
    if text != text.strip() or not text or text[0] in "-?:,[]{}#&*!|>'\"%@`" or ": " in text or " #" in text:
        return False
    if text in _NULL or text in _BOOL or text in _BOOL_11 or text.strip() == PLACEHOLDER:
        return False
    return not any(rx.match(text) for rx in (_LEADING_ZERO, _OTHER_NUMBER, _INT, _DECIMAL, _DATETIME, _DATE))


class _TooBig(Exception):
    pass


def read_text(path: Path, display: str) -> tuple[str | None, list[Problem]]:
    """Decode a data file as UTF-8, locating the first undecodable byte; a file over MAX_BYTES is not read."""
    with path.open("rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        raw = fh.read(MAX_BYTES + 1) if size <= MAX_BYTES else b""
    if size > MAX_BYTES or len(raw) > MAX_BYTES:  # (the file may grow between stat and read)
        return None, [Problem(display, 1, 1, "", f"the file has {max(size, len(raw)):,} bytes; a data file takes "
                              f"at most {MAX_BYTES // 1024 // 1024} MB ({MAX_BYTES:,} bytes): split it "
                              "(e.g. one mobilities file a year)")]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        bad = raw[exc.start: exc.start + 1].hex().upper()
        guess = ""
        try:
            raw.decode("cp1250")
            guess = " (it looks like Windows-1250 or ISO-8859-2)"
        except UnicodeDecodeError:
            pass
        return None, [Problem(display, line, col, "", f"the file is not UTF-8: byte 0x{bad} cannot be "
                              f"decoded{guess}; save the file as UTF-8")]
    return text, []


def _tab_problems(text: str, display: str) -> list[Problem]:
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        stripped = line.lstrip(" ")
        if stripped.startswith("\t"):
            col = len(line) - len(stripped) + 1
            out.append(Problem(display, n, col, "", "a tab is used for indentation: YAML allows only "
                                                     "spaces there; replace the tab with spaces"))
    return out


def _alias_marks(yaml: YAML, text: str) -> list[Pos]:
    """Where each alias (*name) is written, in document order: the composed tree only knows the anchor."""
    from ruamel.yaml.events import AliasEvent

    return [Pos(e.start_mark.line + 1, e.start_mark.column + 1) for e in yaml.parse(text)
            if isinstance(e, AliasEvent)]


def _compose(text: str) -> list[Node | None]:
    """The file's node trees, composed by libyaml when ruamel.yaml.clib is there (about 9x faster than the pure
    Python round-trip parser, which also gathers comments the loader never reads). A file with a tab goes to the
    pure parser: libyaml takes a tab inside a plain value, which docgen refuses as the pure parser does."""
    pure = "\t" in text
    yaml = YAML(typ="rt" if pure else "safe", pure=pure)
    if not pure:
        yaml.Resolver = _Resolver
    return list(yaml.compose_all(text))


class _Resolver(VersionedResolver):
    """The default resolver with its YAML version fixed: libyaml's parser never hands ruamel a `%YAML` directive,
    so the version is always the default 1.2, yet ruamel works it out again, through two caught AttributeErrors,
    for every scalar (a third of the time a big file took to compose)."""

    processing_version = (1, 2)


def load_yaml(path: Path, display: str | None = None) -> Loaded:
    """Load one YAML file; syntax problems come back located, never raised."""
    display = display or str(path)
    source = SourceMap(display)
    text, problems = read_text(path, display)
    if text is None:
        return Loaded(None, source, problems)
    tabs = _tab_problems(text, display)
    if tabs:
        return Loaded(None, source, tabs)
    yaml = YAML(typ="rt")
    try:
        nodes: list[Node | None] | None = _compose(text)
    except YAMLError:
        nodes = None
    try:
        if nodes is None:  # the pure-Python parser's message and position, the ones documented
            nodes = list(yaml.compose_all(text))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = (exc.problem or exc.context or "invalid YAML").strip()
        return Loaded(None, source, [Problem(display, line, col, "", f"YAML syntax: {what}")])
    except YAMLError as exc:
        return Loaded(None, source, [Problem(display, 1, 1, "", f"YAML syntax: {exc}")])
    if len(nodes) > 1:
        second = nodes[1]
        pos = _pos(second) if second is not None else Pos(1, 1)
        return Loaded(None, source, [Problem(display, pos.line, pos.col, "",
                                             "the file holds more than one YAML document (---): keep one")])
    if not nodes or nodes[0] is None:
        return Loaded(None, source, [Problem(display, 1, 1, "", "the file is empty")])
    # the second pass only locates aliases: a file without `*` has none (about half of `check`'s time)
    builder = _Builder(source, _alias_marks(yaml, text) if "*" in text else [])
    try:
        data = builder.build(nodes[0], ())
    except _TooBig:
        return Loaded(None, source, [Problem(display, 1, 1, "", f"the file has more than {MAX_NODES} "
                                                                "values: split it")])
    if data is None and not builder.problems:  # `~`, `null` or a lone anchor: nothing a record could be made of
        pos = _pos(nodes[0])
        return Loaded(None, source, [Problem(display, pos.line, pos.col, "", "the file holds only a null value "
                                             f"({nodes[0].value or 'nothing'!s}): write its records, or delete it")])
    return Loaded(data, source, builder.problems)
