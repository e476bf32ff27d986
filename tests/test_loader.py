"""The YAML loader: values with positions, and every YAML trap reported at its exact line and column."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from docgen.model.loader import Pos, load_yaml

FIXTURES = Path(__file__).resolve().parent / "fixtures"
DATA = Path(__file__).resolve().parent / "fixtures" / "sample"


def load(name: str):
    return load_yaml(FIXTURES / name, f"fixtures/{name}")


def problems(name: str) -> list[str]:
    return [str(p) for p in load(name).problems]


# ------------------------------------------------------------------ files that load clean


@pytest.mark.parametrize("path", sorted(DATA.rglob("*.yaml")), ids=lambda p: str(p.relative_to(DATA)))
def test_every_sample_data_file_loads_without_problems(path: Path) -> None:
    loaded = load_yaml(path)
    assert loaded.problems == []
    assert isinstance(loaded.data, dict)


@pytest.mark.parametrize("name", ["institution.yaml", "mobility.yaml"])
def test_base_fixtures_load_clean(name: str) -> None:
    loaded = load(name)
    assert loaded.problems == []
    assert loaded.data is not None


def test_positions_of_keys_and_values_are_recorded() -> None:
    loaded = load("mobility.yaml")
    src = loaded.source
    # line 15: "    subject: '0613'"
    assert src.locate(("mobilities", 0, "subject")) == Pos(15, 14)
    assert src.locate(("mobilities", 0, "subject"), key=True) == Pos(15, 5)
    # an unknown path falls back to its nearest located ancestor: "planned:" holds "start:" at 18:7
    assert src.locate(("mobilities", 0, "planned", "nope")) == Pos(18, 7)
    assert loaded.data["mobilities"][0]["planned"]["start"] == dt.date(2019, 4, 8)


def test_scalar_types() -> None:
    data = load("special-numbers.yaml").data
    assert data["plain"] == 12 and type(data["plain"]) is int
    assert data["decimal"] == Decimal("12.50") and isinstance(data["decimal"], Decimal)
    assert data["negative"] == -3


# ------------------------------------------------------------------ YAML 1.1 booleans


def test_yaml11_booleans_are_reported_and_kept_as_text() -> None:
    loaded = load("booleans.yaml")
    hint = "is read as the boolean {b} by many YAML tools: write '{w}' in quotes if you mean text, or true/false"
    assert [str(p) for p in loaded.problems] == [
        f"fixtures/booleans.yaml:2:4: a: unquoted yes {hint.format(b='true', w='yes')}",
        f"fixtures/booleans.yaml:3:4: b: unquoted No {hint.format(b='false', w='No')}",
        f"fixtures/booleans.yaml:4:4: c: unquoted ON {hint.format(b='true', w='ON')}",
        f"fixtures/booleans.yaml:5:4: d: unquoted off {hint.format(b='false', w='off')}",
    ]
    # true/false are booleans; quoted words are text, silently
    assert loaded.data["e"] is True and loaded.data["f"] is False
    assert loaded.data["g"] == "no" and loaded.data["h"] == "yes"


# ------------------------------------------------------------------ numbers


def test_leading_zero_and_special_numbers() -> None:
    special = "is read as a special number by YAML: write '{0}' in quotes, or a plain decimal number"
    assert problems("special-numbers.yaml") == [
        f"fixtures/special-numbers.yaml:2:11: infinite: unquoted .inf {special.format('.inf')}",
        f"fixtures/special-numbers.yaml:3:15: not_a_number: unquoted .NaN {special.format('.NaN')}",
        f"fixtures/special-numbers.yaml:4:6: hex: unquoted 0x1F {special.format('0x1F')}",
        f"fixtures/special-numbers.yaml:5:8: octal: unquoted 0o17 {special.format('0o17')}",
        f"fixtures/special-numbers.yaml:6:9: binary: unquoted 0b101 {special.format('0b101')}",
        f"fixtures/special-numbers.yaml:7:12: thousands: unquoted 1_000 {special.format('1_000')}",
        "fixtures/special-numbers.yaml:8:15: leading_zero: unquoted 0613 is read as the number 613 (the leading "
        "zero is lost, some tools even read it as octal): write '0613' in quotes",
    ]


def test_leading_zero_keeps_the_text() -> None:
    # The loader reports the trap but keeps the digits as written, so no other message follows.
    assert load("special-numbers.yaml").data["leading_zero"] == "0613"


# ------------------------------------------------------------------ dates


def test_dates() -> None:
    loaded = load("dates.yaml")
    assert [str(p) for p in loaded.problems] == [
        "fixtures/dates.yaml:4:13: impossible: 2019-02-29 is not a date in the calendar",
        "fixtures/dates.yaml:6:13: space_time: 2018-10-01 10:00 has a time of day: write the date alone, YYYY-MM-DD",
        "fixtures/dates.yaml:7:9: t_time: 2018-10-01T10:00:00Z has a time of day: write the date alone, YYYY-MM-DD",
    ]
    data = loaded.data
    assert data["ok"] == dt.date(2018, 10, 1)
    assert data["leap"] == dt.date(2020, 2, 29)
    assert data["quoted"] == "2018-10-01"  # quoted: text, never a date
    assert data["dots"] == "01.10.2018"  # not a date to YAML; the model reports it
    for key in ("impossible", "space_time", "t_time"):
        assert not isinstance(data[key], dt.date)


# ------------------------------------------------------------------ keys


def test_duplicate_key_points_at_the_second_and_names_the_first_line() -> None:
    assert problems("duplicate-nested.yaml") == [
        "fixtures/duplicate-nested.yaml:7:7: mobilities[0].planned.start: duplicate key 'start' (first given at "
        "line 5); YAML would silently keep only the last value: remove one",
    ]


def test_duplicate_key_with_windows_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "crlf.yaml"
    path.write_bytes(b"# crlf\r\nid: a\r\nname: b\r\nid: c\r\n")
    assert [str(p) for p in load_yaml(path, "crlf.yaml").problems] == [
        "crlf.yaml:4:1: id: duplicate key 'id' (first given at line 2); YAML would silently keep only the last "
        "value: remove one",
    ]


def test_merge_key() -> None:
    assert problems("merge-key.yaml") == [
        "fixtures/merge-key.yaml:6:3: address: merge keys (<<) are not supported: write the keys out",
    ]


def test_non_standard_tags() -> None:
    loaded = load("tag.yaml")
    assert [str(p) for p in loaded.problems] == [
        "fixtures/tag.yaml:2:13: short_name: the YAML tag 'tag:yaml.org,2002:binary' is not allowed: remove it",
        "fixtures/tag.yaml:3:10: website: the YAML tag '!url' is not allowed: remove it",
    ]
    assert loaded.data["id"] == "uio"  # !!str is a standard tag


# ------------------------------------------------------------------ anchors and aliases

ALIAS_MESSAGE = "anchors and aliases (&name / *name) are not supported: write the value out in full"


def test_alias_is_reported() -> None:
    loaded = load("alias.yaml")
    assert [(p.field, p.message) for p in loaded.problems] == [("subjects", ALIAS_MESSAGE)]
    assert loaded.data["subjects"] is None  # never a silent copy


def test_alias_is_located_where_it_is_used() -> None:
    assert problems("alias.yaml") == [f"fixtures/alias.yaml:5:11: subjects: {ALIAS_MESSAGE}"]


def test_alias_as_a_key_is_reported() -> None:
    # line 5 is "  *role : Ola Nordmann"
    assert [(p.line, p.col, p.message) for p in load("alias-key.yaml").problems] == [(5, 3, ALIAS_MESSAGE)]


# ------------------------------------------------------------------ whole-file problems


def test_tab_indentation() -> None:
    loaded = load("institution-tabs.yaml")
    assert loaded.data is None
    assert [str(p) for p in loaded.problems] == [
        "fixtures/institution-tabs.yaml:10:1: (file): a tab is used for indentation: YAML allows only spaces "
        "there; replace the tab with spaces",
    ]


def test_windows_1250_file_points_at_the_first_bad_byte() -> None:
    # line 5 is "    street: ul. Głogowska 5": ł (0xB3 in Windows-1250) is the 18th character
    loaded = load("windows-1250.yaml")
    assert loaded.data is None
    assert [str(p) for p in loaded.problems] == [
        "fixtures/windows-1250.yaml:5:18: (file): the file is not UTF-8: byte 0xB3 cannot be decoded (it looks "
        "like Windows-1250 or ISO-8859-2); save the file as UTF-8",
    ]


def test_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeffcity: Wrocław\n".encode())
    loaded = load_yaml(path)
    assert loaded.problems == [] and loaded.data == {"city": "Wrocław"}


@pytest.mark.parametrize("name", ["empty.yaml", "only-comments.yaml"])
def test_empty_file(name: str) -> None:
    loaded = load(name)
    assert loaded.data is None
    assert [str(p) for p in loaded.problems] == [f"fixtures/{name}:1:1: (file): the file is empty"]


def test_two_documents() -> None:
    loaded = load("two-documents.yaml")
    assert loaded.data is None
    assert [str(p) for p in loaded.problems] == [
        "fixtures/two-documents.yaml:5:1: (file): the file holds more than one YAML document (---): keep one",
    ]


def test_syntax_error_is_located_not_raised() -> None:
    loaded = load("syntax-error.yaml")
    assert loaded.data is None
    assert [str(p) for p in loaded.problems] == [
        "fixtures/syntax-error.yaml:3:5: (file): YAML syntax: expected ',' or ']', but got ':'",
    ]


def test_display_name_defaults_to_the_path(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("a: NO\n")
    assert load_yaml(path).problems[0].file == str(path)
