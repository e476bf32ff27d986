"""What main already guarantees, each shown as a user sees it: blocked letters, an exact build/, umask, the path guard."""
from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result

from docgen.build import builder as build
from docgen.documents import confirmation_of_stay, kinds
from docgen.build.builder import OWN_FILES
from docgen.build.paths import UnsafePathError, inside
from stubs import stub_writers

Run = Callable[..., Result]
Edit = Callable[..., str]

M24 = "mobilities/2024-2025.yaml"
TUD_LETTER = Path("tud") / "cooperation-letter.en.pdf"


@pytest.fixture(autouse=True)
def stubbed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The layout is not under test here: each file holds its record's id, made in microseconds."""
    stub_writers(monkeypatch)


def files(folder: Path) -> set[Path]:
    return {p.relative_to(folder) for p in folder.rglob("*") if p.is_file() and p.name not in OWN_FILES}


def block_of(text: str, mobility_id: str) -> str:
    start = text.index(f"  - id: {mobility_id}\n")
    end = text.find("\n  - id: ", start + 1)
    return text[start:end if end != -1 else len(text)]


def edit_mobility(path: Path, mobility_id: str, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    block = block_of(text, mobility_id)
    assert old in block, f"{old!r} not in {mobility_id}"
    path.write_text(text.replace(block, block.replace(old, new, 1)), encoding="utf-8")


# ------------------------------------------------------------------ a letter that sums records waits for them

def test_letter_is_built_when_every_mobility_of_the_partner_is_valid(run_cli: Run, project_copy: Path) -> None:
    out = project_copy / "out"
    result = run_cli("build", "--data", project_copy / "data", "--only", "tud", "--format", "pdf", "--out", out)
    assert result.exit_code == 0, result.output
    assert (out / TUD_LETTER).read_bytes() == b"%PDF-stub tud-letter"


@pytest.mark.parametrize(("mobility_id", "old", "new", "located"), [
    # a cross-record error: the mobility validates, its call does not exist
    ("2024-tud-out-studies-1", "call: ka131-2024-pl", "call: ka131-2042-pl",
     "mobilities[2].funding.call: no rates file data/rates/ka131-2042-pl.yaml: did you mean 'ka131-2024-pl'?"),
    # a validation error: the record never becomes a model (it is only raw data)
    ("2024-tud-out-training-1", "iban: 'PL58102029800000000254637281'", "iban: 'PL58102029800000000254637282'",
     "mobilities[7].iban: 'PL58102029800000000254637282' is not a valid IBAN"),
])
def test_letter_is_not_built_while_a_mobility_it_counts_has_an_error(run_cli: Run, project_copy: Path,
                                                                     mobility_id: str, old: str, new: str,
                                                                     located: str) -> None:
    data, out = project_copy / "data", project_copy / "out"
    edit_mobility(data / M24, mobility_id, old, new)
    result = run_cli("build", "--data", data, "--only", "tud", "--format", "pdf", "--out", out)
    assert result.exit_code == 1
    assert located in result.stdout
    assert (f"docgen: cooperation-letter of tud: not built while these records it counts have errors: "
            f"{mobility_id}") in result.stderr.splitlines()
    assert not (out / TUD_LETTER).exists()
    # the valid records of the partner still get their documents
    assert Path("tud/tud-iia-2021/erasmus-iia.en.pdf") in files(out)
    assert not [p for p in files(out) if mobility_id in p.parts]


# ------------------------------------------------------------------ build/ holds exactly the current plan

def planned(run_cli: Run, data: Path, out: Path, *args: str) -> set[Path]:
    result = run_cli("list", "--data", data, "--out", out, *args)
    return {Path(line.split()[3]).relative_to(out) for line in result.stdout.splitlines()}


def test_build_holds_exactly_the_documents_of_the_current_plan(run_cli: Run, project_copy: Path,
                                                               edit_file: Edit) -> None:
    data, out = project_copy / "data", project_copy / "out"
    assert run_cli("build", "--data", data, "--out", out).exit_code == 0
    first = files(out)
    assert first == planned(run_cli, data, out)
    invalid = Path("mobilities/2024-2025/2024-tud-out-studies-1")
    deleted = Path("mobilities/2024-2025/2024-ege-out-teaching-1")
    assert any(p.parent == invalid for p in first) and any(p.parent == deleted for p in first)
    # the office's own files in build/: signed scans beside the agreement, a note at the top
    mine = [Path("tud/tud-iia-2021/signed-scan.pdf"), Path("tud/tud-iia-2021/erasmus-iia.en.signed.pdf"),
            Path("notes.docx")]
    for path in mine:
        (out / path).write_bytes(b"the office's own file")

    edit_mobility(data / M24, "2024-tud-out-studies-1", "call: ka131-2024-pl", "call: ka131-2042-pl")
    text = (data / M24).read_text(encoding="utf-8")
    (data / M24).write_text(text.replace(block_of(text, "2024-ege-out-teaching-1"), ""), encoding="utf-8")
    result = run_cli("build", "--data", data, "--out", out)
    assert result.exit_code == 1

    now = files(out)
    assert now == planned(run_cli, data, out) | set(mine)
    assert not (out / invalid).exists() and not (out / deleted).exists()
    assert not (out / TUD_LETTER).exists()  # blocked by the invalid mobility, so removed as well
    gone = first - now
    assert {p.parent for p in gone} == {invalid, deleted, TUD_LETTER.parent}
    for path in sorted(gone):
        assert f"removed {out / path} (no longer made)" in result.stdout.splitlines()
    for path in mine:
        assert (out / path).read_bytes() == b"the office's own file"


# ------------------------------------------------------------------ permissions follow the umask

@pytest.fixture
def umask() -> Iterator[Callable[[int], None]]:
    saved = os.umask(0o022)
    os.umask(saved)
    yield os.umask
    os.umask(saved)


@pytest.mark.parametrize(("mask", "mode"), [(0o002, 0o664), (0o022, 0o644), (0o077, 0o600)])
def test_files_are_written_with_0666_less_the_umask(run_cli: Run, project_copy: Path, umask: Callable[[int], None],
                                                     mask: int, mode: int) -> None:
    umask(mask)
    out = project_copy / "out"
    result = run_cli("build", "--data", project_copy / "data", "--only", "khnu-bilateral-2015", "--out", out)
    assert result.exit_code == 0, result.output
    written = files(out)
    assert len(written) == 2
    assert {oct((out / p).stat().st_mode & 0o777) for p in written} == {oct(mode)}


# ------------------------------------------------------------------ the path guard

@pytest.mark.parametrize("relative", ["../x.pdf", "a/../../x.pdf", "a/../b.pdf", "/tmp/x.pdf", ".."])
def test_inside_refuses_dot_dot_and_absolute_paths(tmp_path: Path, relative: str) -> None:
    with pytest.raises(UnsafePathError, match="refusing to write"):
        inside(tmp_path / "build", Path(relative))


def test_inside_refuses_a_symlink_leading_out(tmp_path: Path) -> None:
    out, elsewhere = tmp_path / "build", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "tud").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(UnsafePathError, match="resolves outside the output folder"):
        inside(out, Path("tud/tud-iia-2021/erasmus-iia.en.pdf"))


def test_inside_accepts_a_path_below_the_output_folder(tmp_path: Path) -> None:
    out = tmp_path / "build"
    (out / "real").mkdir(parents=True)
    (out / "link").symlink_to(out / "real", target_is_directory=True)  # a link that stays inside is fine
    assert inside(out, Path("tud/tud-iia-2021/erasmus-iia.en.pdf")) == out / "tud/tud-iia-2021/erasmus-iia.en.pdf"
    assert inside(out, Path("link/x.pdf")) == out / "link/x.pdf"


def test_build_through_a_symlink_leading_out_writes_nothing_there(run_cli: Run, project_copy: Path) -> None:
    out, elsewhere = project_copy / "out", project_copy / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "khnu").symlink_to(elsewhere, target_is_directory=True)
    result = run_cli("build", "--data", project_copy / "data", "--only", "khnu-bilateral-2015", "--out", out)
    assert result.exit_code == 1
    assert "resolves outside the output folder" in result.stderr
    assert "Traceback" not in result.output
    assert list(elsewhere.iterdir()) == []


# ------------------------------------------------------------------ one bad document never takes the build down

def test_an_exception_in_one_document_is_that_documents_failure(run_cli: Run, project_copy: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    out = project_copy / "out"
    real = confirmation_of_stay.KIND.context

    def context(project, doc):  # type: ignore[no-untyped-def]
        if doc.record_id == "2018-khnu-in-studies-1":
            return {"x": 1 / 0}
        return real(project, doc)

    patched = dataclasses.replace(confirmation_of_stay.KIND, context=context)
    monkeypatch.setattr(build, "kinds", lambda: {**kinds(), patched.name: patched})
    result = run_cli("build", "--data", project_copy / "data", "--only", "khnu", "--out", out)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    bad = Path("mobilities/2018-2019/2018-khnu-in-studies-1")
    failed = [line for line in result.stderr.splitlines() if "not written" in line]
    assert sorted(failed) == sorted(
        f"{out / bad / name}: not written: ZeroDivisionError: division by zero"
        for name in ("confirmation-of-stay.pl-en.docx", "confirmation-of-stay.pl-en.pdf"))
    made = files(out)
    assert not [p for p in made if p.parent == bad and p.name.startswith("confirmation-of-stay")]
    # every other document of the partner is there, that mobility's other kinds too
    assert any(p.parent == bad and p.name.startswith("grant-contract") for p in made)
    assert Path("khnu/cooperation-letter.pl.pdf") in made
    assert len(made) == len(planned(run_cli, project_copy / "data", out, "--only", "khnu")) - 2 == 36
