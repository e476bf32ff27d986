"""The fast parser (libyaml, through ruamel.yaml.clib) reads every file exactly as the pure-Python one does."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import docgen.model.loader as loader

pytest.importorskip("_ruamel_yaml", reason="ruamel.yaml.clib is not installed: the pure parser is the only one")

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _both(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[loader.Loaded, loader.Loaded]:
    fast = loader.load_yaml(path, "f.yaml")
    with monkeypatch.context() as m:
        m.setattr(loader, "_compose", lambda text: list(loader.YAML(typ="rt").compose_all(text)))
        slow = loader.load_yaml(path, "f.yaml")
    return fast, slow


def _same(fast: loader.Loaded, slow: loader.Loaded) -> None:
    """Same data, problems and positions; except that libyaml places an empty value (`name:` and nothing) on
    its key's line, right after the colon, where the pure parser places it at the next token, often the next
    line's key: the fast parser's place is the one a reader looks for."""
    assert fast.data == slow.data
    empty = {loc for loc, text in slow.source.raw.items() if text == ""}
    assert [p for p in fast.problems if (p.line, p.col) not in _at(slow, empty)] == \
        [p for p in slow.problems if (p.line, p.col) not in _at(slow, empty)]
    assert {k: v for k, v in fast.source.values.items() if k not in empty} == \
        {k: v for k, v in slow.source.values.items() if k not in empty}
    assert (fast.source.keys, fast.source.raw) == (slow.source.keys, slow.source.raw)


def _at(loaded: loader.Loaded, locs: set[loader.Loc]) -> set[tuple[int, int]]:
    return {(loaded.source.values[loc].line, loaded.source.values[loc].col) for loc in locs}


@pytest.mark.parametrize("path", sorted(FIXTURES.rglob("*.yaml")), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_every_fixture_file_reads_the_same(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _same(*_both(path, monkeypatch))


KEYS = st.sampled_from(["id", "name", "country", "code", "start", "note", "adress", "<<", "id"])
PLAIN = st.sampled_from(["NO", "yes", "061", "0732", "1.50", "2018-02-30", "2024-10-01", "2024-10-01 10:00",
                         "0x1F", ".inf", "~", "null", "true", "TODO", "Kraków", "E  VALENCI99", "12", "-3",
                         "a: b", "#x", "*ref", "&a x", "!tag x", "a\tb", "[1, 2", "'open"])


def _scalar(text: str, style: int) -> str:
    if style == 1:
        return "'" + text.replace("'", "''") + "'"
    if style == 2:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if style == 3:
        return ">\n      " + text + "\n      more"
    return text


@st.composite
def documents(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 6))):
        key = draw(KEYS)
        if draw(st.booleans()):
            lines.append(f"{key}:")
            for _ in range(draw(st.integers(1, 3))):
                lines.append(f"  - {_scalar(draw(PLAIN), draw(st.integers(0, 3)))}")
        else:
            lines.append(f"{key}: {_scalar(draw(PLAIN), draw(st.integers(0, 3)))}")
    if draw(st.booleans()):
        lines.insert(draw(st.integers(0, len(lines))), draw(st.sampled_from(["# note", "---", "a: &x 1", "b: *x"])))
    return "\n".join(lines) + "\n"


@settings(max_examples=150, deadline=None)
@given(documents())
def test_any_file_reads_the_same_with_either_parser(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    path = tmp_path_factory.mktemp("yaml") / "f.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.MonkeyPatch.context() as monkeypatch:
        _same(*_both(path, monkeypatch))
