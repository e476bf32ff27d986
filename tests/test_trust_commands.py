"""Trust, round 2: the commands that write files (new, import, export) hold the build's guards; no character changes
what a document says."""
from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

Run = Callable[..., Result]

RULE = ("an id is 1 to 64 characters: lowercase letters a-z, digits and '-', starting with a letter or digit "
        "(e.g. 'khnu-iia-2016'), because ids name files and folders in build/")


def files(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}


# (value, why) worked out from the id rule in model/models.py
HOSTILE_IDS = [
    ("../../x", "it contains '.'"),
    ("/abs/x", "it contains '/'"),
    ("CON", "it contains 'C' (use lowercase)"),
    ("", "it is empty"),
    ("k hnu", "it contains ' '"),
    ("k\thnu", "it contains '\\t'"),
]


def _new_args(command: str, value: str) -> list[str]:
    return {
        "partner": ["new", "partner", value],
        "agreement": ["new", "agreement", "khnu", "--kind", "erasmus-iia", "--id", value],
        "mobility": ["new", "mobility", "--agreement", "khnu-iia-2016", "--type", "staff-teaching",
                     "--year", "2025/2026", "--id", value],
        "rates": ["new", "rates", "--from", value, "--call", "2030"],
    }[command]


@pytest.mark.parametrize("value,why", HOSTILE_IDS)
@pytest.mark.parametrize("command,label", [("partner", "partner id"), ("agreement", "--id"), ("mobility", "--id"),
                                           ("rates", "--from")])
def test_new_refuses_an_id_that_is_not_a_path_segment(project_copy: Path, run_cli: Run, command: str, label: str,
                                                      value: str, why: str) -> None:
    before = files(project_copy.parent)
    result = run_cli(*_new_args(command, value), "--data", project_copy / "data")
    assert result.exit_code == 2, result.output
    shown = repr(value)
    assert result.stderr.splitlines() == [f"docgen: {label}: {shown} is not a valid id: {why}; {RULE}"]
    assert files(project_copy.parent) == before


def test_new_refuses_a_device_name(project_copy: Path, run_cli: Run) -> None:
    result = run_cli("new", "partner", "nul", "--data", project_copy / "data")
    assert result.exit_code == 2
    assert result.stderr == ("docgen: partner id: 'nul' is not a valid id: it is a reserved device name on Windows "
                             "(CON, PRN, AUX, NUL, COM1-9, LPT1-9) and cannot name a file there\n")
    assert not (project_copy / "data" / "partners" / "nul.yaml").exists()


@pytest.mark.parametrize("year", ["abcd", "2025/2027", "../../2025", ""])
def test_new_mobility_refuses_a_year_that_is_not_one(project_copy: Path, run_cli: Run, year: str) -> None:
    before = files(project_copy)
    result = run_cli("new", "mobility", "--agreement", "khnu-iia-2016", "--type", "staff-teaching",
                     "--year", year, "--data", project_copy / "data")
    assert result.exit_code == 2, result.output
    assert result.stderr == f"docgen: --year: {year!r} is not an academic year written like 2016/2017\n"
    assert files(project_copy) == before


def test_new_refuses_a_data_folder_that_leads_outside(project_copy: Path, run_cli: Run, tmp_path_factory:
                                                      pytest.TempPathFactory) -> None:
    """The containment guard, not only the id rule: partners/ a symlink to a folder elsewhere."""
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    partners = project_copy / "data" / "partners"
    for path in partners.iterdir():
        os.replace(path, elsewhere / path.name)
    partners.rmdir()
    partners.symlink_to(elsewhere, target_is_directory=True)
    result = run_cli("new", "partner", "upv", "--data", project_copy / "data")
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("docgen: refusing to write partners/upv.yaml: it resolves outside the output "
                                    "folder")
    assert not (elsewhere / "upv.yaml").exists()


@pytest.mark.parametrize("escaped,shown", [
    ("\\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE, a bidirectional control, which reorders the text a reader sees"),
    ("\\u200b", "U+200B ZERO WIDTH SPACE, an invisible format character"),
    ("\\ufeff", "U+FEFF ZERO WIDTH NO-BREAK SPACE, an invisible format character"),
    ("\\0", "U+0000, a control character"),
    ("\\t", "U+0009, a control character (this field is one line)"),
])
def test_an_invisible_or_control_character_in_a_name_is_a_located_error(project_copy: Path, run_cli: Run,
                                                                      edit_file: Callable[..., str],
                                                                      escaped: str, shown: str) -> None:
    data = project_copy / "data"
    edit_file(data / "mobilities" / "2018-2019.yaml", "last_name: Kostenko", f'last_name: "Kost{escaped}enko"')
    result = run_cli("check", "--data", data)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"data/mobilities/2018-2019.yaml:8:18: mobilities[0].participant.last_name: character 5 is {shown}: "
        "remove it"]


def test_nfc_and_nfd_of_one_name_are_one_person(project_copy: Path, run_cli: Run,
                                                edit_file: Callable[..., str]) -> None:
    """The overlap check sees one person: 'Ślęzak' written with combining accents (NFD) is normalised on load."""
    data = project_copy / "data"
    path = data / "mobilities" / "2018-2019.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  - id: 2018-khnu-out-teaching-1")
    end = text.index("\n  - id:", start + 1)
    copy = text[start:end].replace("2018-khnu-out-teaching-1", "2018-khnu-out-teaching-2")
    copy = copy.replace("Ślęzak", unicodedata.normalize("NFD", "Ślęzak"))
    path.write_text(text[:end] + "\n" + copy + text[end:], encoding="utf-8")
    result = run_cli("check", "--data", data)
    assert result.exit_code == 1
    assert any("Grzegorz Ślęzak (born 1976-05-30) is on mobility '2018-khnu-out-teaching-1'" in line
               and line.endswith("the stays overlap") for line in result.stdout.splitlines()), result.stdout
