"""Validation: every rule of the models gives one located, plain-worded problem `file:line:col: path: message`.

Each tests/fixtures/institution-*.yaml and mobility-*.yaml file is institution.yaml or mobility.yaml with
one mistake (its first line says which); the record is validated the way `load_project` does it, under
its prefix (`institution`, `mobilities[0]`).
"""
from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel

from docgen.model.loader import load_yaml
from docgen.model.models import Coordinates, CooperationCondition, Funding, Institution, Mobility, Representative
from docgen.model.validation import validate

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def check(name: str) -> tuple[BaseModel | None, list[str]]:
    loaded = load_yaml(FIXTURES / name, f"fixtures/{name}")
    if name.startswith("institution"):
        obj, found = validate(Institution, loaded, ("institution",))
    else:
        obj, found = validate(Mobility, loaded, ("mobilities", 0))
    return obj, [str(p) for p in found]


def check_text(tmp_path: Path, model: type[BaseModel], text: str) -> list[str]:
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    obj, found = validate(model, load_yaml(path, "x.yaml"))
    assert obj is None
    return [str(p) for p in found]


@pytest.mark.parametrize("name", ["institution.yaml", "mobility.yaml"])
def test_base_fixtures_are_valid(name: str) -> None:
    obj, found = check(name)
    assert found == []
    assert obj is not None


F = "fixtures/"
QUOTE_BOOL = "by many YAML tools: write '{0}' in quotes if you mean text, or true/false"
QUOTE_ZERO = "(the leading zero is lost, some tools even read it as octal): write '{0}' in quotes"

CASES: list[tuple[str, list[str]]] = [
    # -------------------------------------------------------------- YAML traps inside a record
    ("institution-country-no.yaml", [
        f"{F}institution-country-no.yaml:7:12: institution.country: unquoted NO is read as the boolean false "
        + QUOTE_BOOL.format("NO")]),
    ("institution-yes-as-text.yaml", [
        f"{F}institution-yes-as-text.yaml:6:15: institution.short_name: unquoted yes is read as the boolean true "
        + QUOTE_BOOL.format("yes")]),
    ("mobility-isced-061.yaml", [
        f"{F}mobility-isced-061.yaml:15:14: mobilities[0].subject: unquoted 061 is read as the number 61 "
        + QUOTE_ZERO.format("061")]),
    ("mobility-isced-0613.yaml", [
        f"{F}mobility-isced-0613.yaml:15:14: mobilities[0].subject: unquoted 0613 is read as the number 613 "
        + QUOTE_ZERO.format("0613")]),
    ("institution-duplicate-key.yaml", [
        f"{F}institution-duplicate-key.yaml:16:3: institution.short_name: duplicate key 'short_name' (first given "
        "at line 6); YAML would silently keep only the last value: remove one"]),
    ("institution-number-as-text.yaml", [
        f"{F}institution-number-as-text.yaml:22:13: institution.contacts[0].name: expected text, but the unquoted "
        "value 12 is read as the number 12: put it in quotes ('12')"]),
    # -------------------------------------------------------------- structure
    ("institution-missing-field.yaml", [
        f"{F}institution-missing-field.yaml:2:1: institution.website: this field is required but missing"]),
    # -------------------------------------------------------------- dates
    ("mobility-date-dots.yaml", [
        f"{F}mobility-date-dots.yaml:18:14: mobilities[0].planned.start: expected a date written YYYY-MM-DD "
        "(e.g. 2018-10-01), got the text '01.10.2018'"]),
    ("mobility-end-before-start.yaml", [
        f"{F}mobility-end-before-start.yaml:18:7: mobilities[0].planned: end 2019-04-05 is before start 2019-04-08"]),
    # -------------------------------------------------------------- value formats
    ("institution-bad-email.yaml", [
        f"{F}institution-bad-email.yaml:23:14: institution.contacts[0].email: 'ola.nordmann(at)uio.example.org' "
        "is not an email address"]),
    ("institution-bad-iban.yaml", [
        f"{F}institution-bad-iban.yaml:26:11: institution.bank.iban: 'NO9386011117948' is not a valid IBAN: "
        "Invalid checksum digits"]),
    ("institution-bad-erasmus.yaml", [
        f"{F}institution-bad-erasmus.yaml:8:17: institution.erasmus_code: 'N OSLO01' is not an Erasmus code: "
        "country prefix padded with spaces to three characters, city, two digits (e.g. 'PL BYDGOSZ02', "
        "'D  BERLIN01', 'TR IZMIR02')"]),
    ("mobility-cefr.yaml", [
        f"{F}mobility-cefr.yaml:28:14: mobilities[0].language.level: the text 'B3' is not allowed here; expected "
        "'A1', 'A2', 'B1', 'B2', 'C1' or 'C2'"]),
    ("mobility-academic-year.yaml", [
        f"{F}mobility-academic-year.yaml:16:20: mobilities[0].academic_year: '2016/2018' is not an academic year "
        "written like 2016/2017"]),
    # -------------------------------------------------------------- record rules
    ("mobility-no-programme.yaml", [
        f"{F}mobility-no-programme.yaml:3:5: mobilities[0]: a staff mobility states its programme (objectives, "
        "added_value, activities, outcomes)"]),
    ("mobility-no-hours.yaml", [
        f"{F}mobility-no-hours.yaml:3:5: mobilities[0]: a staff-teaching mobility states teaching_hours"]),
]


@pytest.mark.parametrize(("name", "expected"), CASES, ids=[c[0] for c in CASES])
def test_located_problem(name: str, expected: list[str]) -> None:
    obj, found = check(name)
    assert found == expected
    assert obj is None  # a record with a problem is never used


# ------------------------------------------------------------------ unknown keys


def test_unknown_key_is_located_at_the_key() -> None:
    _, found = check("institution-unknown-key.yaml")
    assert found[0] == f"{F}institution-unknown-key.yaml:2:1: institution.address: this field is required but missing"
    assert found[1].startswith(f"{F}institution-unknown-key.yaml:9:3: institution.adress: unknown field 'adress'")
    assert len(found) == 2


def test_unknown_key_suggests_the_close_field_at_top_level(tmp_path: Path) -> None:
    text = (FIXTURES / "institution-unknown-key.yaml").read_text(encoding="utf-8")
    top = "\n".join(line[2:] for line in text.splitlines()[2:]) + "\n"  # the institution mapping, dedented
    found = check_text(tmp_path, Institution, top)
    assert "x.yaml:7:1: adress: unknown field 'adress': did you mean 'address'?" in found


def test_unknown_key_lists_the_known_fields_when_nothing_is_close(tmp_path: Path) -> None:
    found = check_text(tmp_path, Coordinates, "lat: 1.5\nlon: 2.5\nheight: 3\n")
    assert found == ["x.yaml:3:1: height: unknown field 'height' (known fields: lat, lon)"]


def test_unknown_key_in_a_record_suggests_the_close_field() -> None:
    _, found = check("institution-unknown-key.yaml")
    assert f"{F}institution-unknown-key.yaml:9:3: institution.adress: unknown field 'adress': did you mean " \
           "'address'?" in found


# ------------------------------------------------------------------ traps a model would read differently


def test_impossible_date_is_reported_at_the_value() -> None:
    _, found = check("mobility-date-impossible.yaml")
    assert found[0] == f"{F}mobility-date-impossible.yaml:18:14: mobilities[0].planned.start: 2018-02-30 is not " \
                       "a date in the calendar"


def test_date_with_time_is_reported_at_the_value() -> None:
    _, found = check("mobility-date-time.yaml")
    assert found[0] == f"{F}mobility-date-time.yaml:18:14: mobilities[0].planned.start: 2019-04-08 09:00 has a " \
                       "time of day: write the date alone, YYYY-MM-DD"


def test_alias_rejects_the_record() -> None:
    obj, found = check("institution-anchor.yaml")
    assert obj is None
    assert any("institution.contacts[0].name: anchors and aliases (&name / *name) are not supported" in f
               for f in found)



def test_impossible_date_gives_one_message() -> None:
    # actual: a second line "expected a date written YYYY-MM-DD (e.g. 2018-10-01), got the text '2018-02-30'"
    assert check("mobility-date-impossible.yaml")[1] == [
        f"{F}mobility-date-impossible.yaml:18:14: mobilities[0].planned.start: 2018-02-30 is not a date in the "
        "calendar"]


def test_date_with_time_gives_one_message() -> None:
    assert check("mobility-date-time.yaml")[1] == [
        f"{F}mobility-date-time.yaml:18:14: mobilities[0].planned.start: 2019-04-08 09:00 has a time of day: "
        "write the date alone, YYYY-MM-DD"]


def test_alias_gives_one_message_where_the_alias_is() -> None:
    assert check("institution-anchor.yaml")[1] == [
        f"{F}institution-anchor.yaml:22:13: institution.contacts[0].name: anchors and aliases (&name / *name) are "
        "not supported: write the value out in full"]


@pytest.mark.parametrize(("model", "text", "expected"), [
    (CooperationCondition,
     "direction: outgoing\ntype: staff-teaching\nsubjects: [{code: '061'}]\npeople: 02\ndays: 5\n",
     "x.yaml:4:9: people: unquoted 02 is read as the number 2 (the leading zero is lost, some tools even read it "
     "as octal): write '02' in quotes"),
    (Funding, "call: ka107-2016-pl\nzero_grant: yes\n",
     "x.yaml:2:13: zero_grant: unquoted yes is read as the boolean true by many YAML tools: write 'yes' in quotes "
     "if you mean text, or true/false"),
    (Coordinates, "lat: .inf\nlon: 2.5\n",
     "x.yaml:1:6: lat: unquoted .inf is read as a special number by YAML: write '.inf' in quotes, or a plain "
     "decimal number"),
    (Funding, "call: !rates ka107-2016-pl\n",
     "x.yaml:1:7: call: the YAML tag '!rates' is not allowed: remove it"),
], ids=["leading-zero-number", "yes-boolean", "special-number", "tag"])
def test_trap_in_a_typed_field_gives_one_message(tmp_path: Path, model: type[BaseModel], text: str,
                                                 expected: str) -> None:
    assert check_text(tmp_path, model, text) == [expected]


# ------------------------------------------------------------------ plain wording for numbers


def test_text_where_a_whole_number_is_expected(tmp_path: Path) -> None:
    found = check_text(tmp_path, CooperationCondition,
                       "direction: outgoing\ntype: staff-teaching\nsubjects: [{code: '061'}]\npeople: two\ndays: 5\n")
    assert found == ["x.yaml:4:9: people: expected a whole number, got the text 'two'"]


def test_text_where_a_decimal_is_expected(tmp_path: Path) -> None:
    found = check_text(tmp_path, CooperationCondition,
                       "direction: outgoing\ntype: student-studies\nsubjects: [{code: '061'}]\npeople: 1\n"
                       "months: 4,5\n")
    assert found == ["x.yaml:5:9: months: expected a number, got the text '4,5'"]


def test_bad_language_key_is_located_at_the_key(tmp_path: Path) -> None:
    found = check_text(tmp_path, Representative,
                       "name: Kari Nordmann\nfunction:\n  english: Rector\n")
    assert found == ["x.yaml:3:3: function.english: 'english' is not a two-letter ISO 639-1 language code "
                     "(e.g. pl, en, uk, tr)"]
