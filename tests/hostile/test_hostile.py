"""The hostile corpus: each file of cases/ dropped into the sample project ends as its expected.yaml outcome.

Every case: `docgen check` prints exactly the expected located lines (or the first of them and their number)
with the expected exit code, no traceback; `docgen build --only PARTNER` (the case's partner) writes nothing
outside its output folder and no document of a record with errors. A case with `render:` is built for real: its text is printed literally in
the PDF and the DOCX, each PDF passes `qpdf --check`, each DOCX is opened and converted by LibreOffice.
"""
from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from ruamel.yaml import YAML

from docgen.build.builder import OWN_FILES

from reading import read, squash
from stubs import stub_writers

Run = Callable[..., Result]

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases"
EXPECTED: dict[str, dict[str, Any]] = YAML(typ="safe").load((HERE / "expected.yaml").read_text(encoding="utf-8"))
DEFAULT_TARGET = "mobilities/2018-2019.yaml"  # a case replaces the KA107 year's file (its one record)


def test_every_case_has_an_expectation_and_every_expectation_a_case() -> None:
    assert sorted(p.stem for p in CASES.glob("*.yaml")) == sorted(EXPECTED)


def everything(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_case(name: str, project_copy: Path, run_cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = EXPECTED[name]
    data = project_copy / "data"
    target = data / expected.get("target", DEFAULT_TARGET)
    shutil.copyfile(CASES / f"{name}.yaml", target)
    if "pad_bytes" in expected:  # the case's size, made here rather than stored in the repository
        with target.open("ab") as fh:
            fh.write(b"# padding\n" * (expected["pad_bytes"] // 10))

    result = run_cli("check", "--data", data)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert result.exit_code == expected["exit"], result.output
    lines = [line for line in result.stdout.splitlines() if not line.startswith("ok: ")]
    if "count" in expected:
        assert len(lines) == expected["count"]
        assert lines[:len(expected["check"])] == expected["check"]
    else:
        assert lines == expected["check"]
    assert not list(project_copy.rglob("pwned"))  # no YAML tag ever ran anything

    render = expected.get("render")
    if render is None:
        stub_writers(monkeypatch)
    before = everything(project_copy)
    out = project_copy / "out"
    args = ["--only", render["only"] if render else expected.get("partner", "khnu")]
    result = run_cli("build", "--data", data, "--out", out, *args)
    assert "Traceback" not in result.output
    assert result.exit_code == expected["exit"], result.output
    for line in expected.get("build_stderr", []):
        assert line in result.stderr.splitlines()
    made = everything(project_copy) - before
    assert all(out in p.parents for p in made), sorted(map(str, made))
    for prefix in expected.get("not_built", []):
        assert not [p for p in made if p.relative_to(out).as_posix().startswith(prefix)], prefix
    if render:
        documents = sorted(p for p in made if p.name not in OWN_FILES)
        assert {p.suffix for p in documents} == {".pdf", ".docx"}
        check_rendering(documents, render["literal"], project_copy)


def check_rendering(documents: list[Path], literal: str, work: Path) -> None:
    for path in documents:
        assert squash(literal) in squash(read(path)), f"{path.name} does not print {literal!r} literally"
    qpdf = shutil.which("qpdf")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if qpdf is None or soffice is None:
        pytest.skip("qpdf or LibreOffice is not installed; `make test` installs them (sysdeps-test)")
    for pdf in (p for p in documents if p.suffix == ".pdf"):
        done = subprocess.run([qpdf, "--check", str(pdf)], capture_output=True, text=True)
        assert done.returncode == 0, f"{pdf.name}: qpdf --check: {done.stdout}{done.stderr}"
    docx = [p for p in documents if p.suffix == ".docx"]
    staged = work / "soffice-in"
    staged.mkdir()
    for i, path in enumerate(docx):  # unique names: documents of different kinds may share a name
        shutil.copyfile(path, staged / f"{i}.docx")
    done = subprocess.run([soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
                           "--norestore", "--convert-to", "pdf", "--outdir", str(work / "soffice-out"),
                           *sorted(map(str, staged.iterdir()))], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    converted = sorted((work / "soffice-out").glob("*.pdf"))
    assert len(converted) == len(docx), f"LibreOffice opened {len(converted)} of {len(docx)} DOCX: {done.stderr}"
    for pdf in converted:
        assert squash(literal) in squash(read(pdf)), f"LibreOffice's reading of {pdf.name} lacks {literal!r}"
