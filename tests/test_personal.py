"""Personal data policy: check warns, located, when git tracks a mobility file with real participants in clear."""
from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from docgen.model.personal import invented

Run = Callable[..., Result]
Edit = Callable[..., str]

M24 = "mobilities/2024-2025.yaml"
REAL = "wiktoria.cwiklinska@gmail.com"  # an invented person at a real mail provider: what an office's data looks like
WARNING = ("data/mobilities/2024-2025.yaml:7:5: mobilities[0].participant: warning: participants' personal data "
           "(names, birth dates, bank accounts) in a file git tracks: keep mobility files out of git (add the folder "
           "to .gitignore and back it up apart) or encrypt them in the repository with git-crypt (filter=git-crypt "
           "in .gitattributes); see README, 'Personal data'")

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


@pytest.fixture
def office(project_copy: Path, edit_file: Edit) -> Path:
    """The sample project as an office's repository whose first participant has a real-looking address."""
    git(project_copy, "init", "-q")
    edit_file(project_copy / "data" / M24, "wiktoria.cwiklinska@student.utp.example.org", REAL)
    return project_copy


def warnings(run_cli: Run, data: Path) -> list[str]:
    result = run_cli("check", "--data", data)
    assert result.exit_code == 0, result.output
    return [line for line in result.stdout.splitlines() if "personal data" in line]


@pytest.mark.parametrize(("email", "expected"), [
    ("a.b@student.utp.example.org", True), ("x@example.com", True), ("x@EXAMPLE.NET", True), ("x@uni.test", True),
    ("x@mail.example", True), ("x@gmail.com", False), ("x@example.org.pl", False), ("x@notexample.org", False),
    (None, False), ("no-at-sign", False),
])
def test_invented_addresses_are_at_reserved_domains_only(email: object, expected: bool) -> None:
    assert invented(email) is expected


def test_no_warning_outside_a_git_repository(run_cli: Run, project_copy: Path, edit_file: Edit) -> None:
    edit_file(project_copy / "data" / M24, "wiktoria.cwiklinska@student.utp.example.org", REAL)
    assert warnings(run_cli, project_copy / "data") == []


def test_untracked_mobility_files_give_no_warning(run_cli: Run, office: Path) -> None:
    assert warnings(run_cli, office / "data") == []


def test_a_staged_mobility_file_with_a_real_participant_warns_at_that_participant(run_cli: Run, office: Path) -> None:
    git(office, "add", "data")
    assert warnings(run_cli, office / "data") == [WARNING]


def test_the_invented_sample_tracked_by_git_gives_no_warning(run_cli: Run, project_copy: Path) -> None:
    git(project_copy, "init", "-q")
    git(project_copy, "add", "data")
    assert warnings(run_cli, project_copy / "data") == []


def test_a_git_ignored_mobilities_folder_gives_no_warning(run_cli: Run, office: Path) -> None:
    (office / ".gitignore").write_text("/data/mobilities/\n", encoding="utf-8")
    git(office, "add", ".")
    assert warnings(run_cli, office / "data") == []


def test_mobility_files_encrypted_by_git_crypt_give_no_warning(run_cli: Run, office: Path) -> None:
    (office / ".gitattributes").write_text("data/mobilities/** filter=git-crypt diff=git-crypt\n", encoding="utf-8")
    git(office, "add", "data")
    assert warnings(run_cli, office / "data") == []


def test_a_participant_of_a_record_with_errors_counts_too(run_cli: Run, office: Path, edit_file: Edit) -> None:
    edit_file(office / "data" / M24, "      birth_date: 2003-04-11", "      birth_date: 11.04.2003")
    git(office, "add", "data")
    result = run_cli("check", "--data", office / "data")
    assert result.exit_code == 1
    assert WARNING in result.stdout.splitlines()


def test_messages_name_the_file_from_another_current_directory(run_cli: Run, office: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    git(office, "add", "data")
    monkeypatch.chdir(office / "data")
    result = run_cli("check", "--data", ".", "--templates", "../templates")
    assert [line for line in result.stdout.splitlines() if "personal data" in line] == [
        WARNING.removeprefix("data/")]
