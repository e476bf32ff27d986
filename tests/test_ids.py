"""Ids name files and folders in build/: one syntax for every id and reference, refused located otherwise."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docgen.model.loader import load_yaml
from docgen.model.models import Institution, Mobility
from docgen.model.validation import validate

FIXTURES = Path(__file__).resolve().parent / "fixtures"
RULE = "lowercase letters a-z, digits and '-', starting with a letter or digit"

HOSTILE = ["../../x", "/abs/x", "a/b", "..", ".", "a\\b", "CON", "con", "nul", "com1", "lpt9",
           "a\x00b", "a\x07b", "line\nbreak", "-leading", "Khnu", "k hnu", "x" * 65, "ü"]


def _mobility_with(tmp_path: Path, field: str, value: str) -> list[str]:
    text = (FIXTURES / "mobility.yaml").read_text(encoding="utf-8")
    old = {"id": "id: 2018-uio-out-teaching-1", "partner": "partner: uio",
           "agreement": "agreement: uio-iia-2016", "call": "call: ka107-2016-pl"}[field]
    assert old in text
    # JSON strings are YAML double-quoted strings: any character, escaped.
    text = text.replace(old, f"{old.split(':')[0]}: {json.dumps(value)}", 1)
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    obj, found = validate(Mobility, load_yaml(path, "m.yaml"), ("mobilities", 0))
    assert obj is None
    return [str(p) for p in found]


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("field,line,col,dotted", [
    ("id", 3, 9, "mobilities[0].id"),
    ("partner", 13, 14, "mobilities[0].partner"),
    ("agreement", 14, 16, "mobilities[0].agreement"),
    ("call", 30, 13, "mobilities[0].funding.call"),
])
def test_hostile_id_is_a_located_error(tmp_path: Path, value: str, field: str, line: int, col: int,
                                       dotted: str) -> None:
    found = _mobility_with(tmp_path, field, value)
    assert len(found) == 1, found
    assert found[0].startswith(f"m.yaml:{line}:{col}: {dotted}: ")
    assert "not a valid id" in found[0] or "characters;" in found[0]


def test_id_message_says_why_and_the_rule(tmp_path: Path) -> None:
    assert _mobility_with(tmp_path, "id", "../../x") == [
        "m.yaml:3:9: mobilities[0].id: '../../x' is not a valid id: it contains '.'; an id is 1 to 64 "
        f"characters: {RULE} (e.g. 'khnu-iia-2016'), because ids name files and folders in build/"]
    assert "it contains 'K' (use lowercase)" in _mobility_with(tmp_path, "id", "Khnu")[0]
    assert "it contains '\\x00'" in _mobility_with(tmp_path, "id", "a\x00b")[0]
    assert "reserved device name on Windows" in _mobility_with(tmp_path, "agreement", "CON".lower())[0]
    assert "has 65 characters" in _mobility_with(tmp_path, "id", "x" * 65)[0]


def test_institution_id_is_checked(tmp_path: Path) -> None:
    text = (FIXTURES / "institution.yaml").read_text(encoding="utf-8").replace("id: uio", "id: ../uio", 1)
    path = tmp_path / "i.yaml"
    path.write_text(text, encoding="utf-8")
    obj, found = validate(Institution, load_yaml(path, "i.yaml"), ("institution",))
    assert obj is None
    assert [p.field for p in found] == ["institution.id"]


def test_agreement_id_is_checked(project_copy: Path, run_cli, edit_file) -> None:
    edit_file(project_copy / "data" / "partners" / "tud.yaml", "id: tud-iia-2021", "id: ../../tud-iia-2021")
    result = run_cli("check", "--data", project_copy / "data")
    assert result.exit_code == 1
    assert "partners/tud.yaml" in result.output
    assert "agreements[0].id: '../../tud-iia-2021' is not a valid id" in result.output


@pytest.mark.parametrize("value", ["2024-ege-out-studies-1", "khnu-iia-2016", "ka131-2024-pl", "utp", "a", "0",
                                   "x" * 64, "com10", "console"])
def test_ordinary_ids_pass(tmp_path: Path, value: str) -> None:
    text = (FIXTURES / "mobility.yaml").read_text(encoding="utf-8").replace(
        "id: 2018-uio-out-teaching-1", f"id: '{value}'", 1)
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    obj, found = validate(Mobility, load_yaml(path, "m.yaml"), ("mobilities", 0))
    assert found == [] and obj is not None and obj.id == value


@given(st.text(max_size=70))
def test_every_accepted_id_is_one_safe_path_segment(value: str) -> None:
    from pydantic import TypeAdapter, ValidationError

    from docgen.model.models import Id

    try:
        TypeAdapter(Id).validate_python(value)
    except ValidationError:
        return
    assert Path(value).name == value and value not in (".", "..") and len(value) <= 64
    assert value.lower().split(".")[0] not in {"con", "prn", "aux", "nul"}
