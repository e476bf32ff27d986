"""Incremental builds: exactly what changed is rendered again, a crash or a second build never leaves a wrong file.

Most tests here are about which files a build writes, not what is in them: the writers are replaced by a
stand-in that prints the document's HTML (so a file changes exactly when its rendered source does). The
tests on bytes across processes, executors and a killed build use the real writers on a few documents.
"""
from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import Result

from docgen.build.builder import LOCK, build_lock
from docgen.build.manifest import MANIFEST
from docgen.pipeline import build as pipeline_build
from docgen.pipeline import load_checked
from docgen.documents.renderers.base import DocMeta
from docgen.documents.renderers.docx import DocxWriter
from docgen.documents.renderers.pdf import PdfWriter

Run = Callable[..., Result]
Edit = Callable[..., str]
M24 = Path("mobilities") / "2024-2025.yaml"
TEACHING = "2024-tud-in-teaching-1"
# Every document of the sample project, in both formats (tests/fixtures/sample; `docgen list` shows them).
ALL = 84


@pytest.fixture
def stub_writers(monkeypatch: pytest.MonkeyPatch) -> None:
    def write(self: object, html: str, meta: DocMeta) -> bytes:
        return f"{type(self).__name__} {meta.doc_id}\n{html}".encode()

    monkeypatch.setattr(PdfWriter, "write", write)
    monkeypatch.setattr(DocxWriter, "write", write)


def build(run_cli: Run, root: Path, *args: str) -> tuple[Result, dict[str, str]]:
    """`docgen build -v` into root/out: the result and {file relative to out: why it was rebuilt}."""
    result = run_cli("build", "--data", root / "data", "--out", root / "out", "--jobs", "1", "-v", *args)
    assert result.exit_code == 0, result.output
    prefix = f"rebuilt {root / 'out'}/"
    rebuilt = {}
    for line in result.stdout.splitlines():
        if line.startswith(prefix):
            path, _, reason = line[len(prefix):].partition(": ")
            rebuilt[path] = reason
    return result, rebuilt


def outputs(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file() and p.name not in (MANIFEST, LOCK)}


def both(*stems: str) -> set[str]:
    return {f"{stem}.{ext}" for stem in stems for ext in ("pdf", "docx")}


TEACHING_DOCS = both(f"mobilities/2024-2025/{TEACHING}/confirmation-of-stay.pl-en",
                     f"mobilities/2024-2025/{TEACHING}/staff-mobility-agreement.en")


@pytest.mark.usefixtures("stub_writers")
def test_a_second_build_renders_nothing(run_cli: Run, project_copy: Path) -> None:
    first, rebuilt = build(run_cli, project_copy)
    assert len(rebuilt) == ALL and set(rebuilt.values()) == {"new"}
    second, rebuilt = build(run_cli, project_copy)
    assert rebuilt == {}
    assert f"nothing to render: all {ALL} file(s) are up to date" in second.stdout.splitlines()
    assert second.stdout.endswith(f"wrote 0 file(s) into {project_copy / 'out'}\n")


@pytest.mark.usefixtures("stub_writers")
def test_an_edited_mobility_renders_its_documents_and_its_partners_letter(run_cli: Run, project_copy: Path,
                                                                          edit_file: Edit) -> None:
    build(run_cli, project_copy)
    before = outputs(project_copy / "out")
    edit_file(project_copy / "data" / M24, "    teaching_hours: 12\n", "    teaching_hours: 10\n")
    _, rebuilt = build(run_cli, project_copy)
    assert set(rebuilt) == TEACHING_DOCS | both("tud/cooperation-letter.en")
    assert set(rebuilt.values()) == {f"data/mobilities/2024-2025.yaml#{TEACHING} changed"}
    after = outputs(project_copy / "out")
    assert {k for k in after if after[k] != before[k]} == TEACHING_DOCS  # the letter counts, hours don't show


@pytest.mark.usefixtures("stub_writers")
def test_a_comment_or_a_neighbours_edit_in_the_year_file_renders_nothing_else(run_cli: Run, project_copy: Path,
                                                                               edit_file: Edit) -> None:
    build(run_cli, project_copy)
    edit_file(project_copy / "data" / M24, "  - id: 2024-tud-out-training-1\n",
              "  # a note for the office\n  - id: 2024-tud-out-training-1\n")
    _, rebuilt = build(run_cli, project_copy)
    assert rebuilt == {}


@pytest.mark.usefixtures("stub_writers")
def test_an_edited_catalog_renders_only_the_documents_in_its_language(run_cli: Run, project_copy: Path) -> None:
    build(run_cli, project_copy)
    catalog = project_copy / "templates" / "locale" / "tr" / "common.po"
    catalog.write_text(catalog.read_text(encoding="utf-8") + "\n# reviewed\n", encoding="utf-8")
    _, rebuilt = build(run_cli, project_copy)
    # ege-general-2022 (English and Turkish) is the sample's one document in Turkish
    assert rebuilt == {name: "templates/locale/tr/common.po changed"
                       for name in both("ege/ege-general-2022/general-cooperation.en-tr")}


@pytest.mark.usefixtures("stub_writers")
def test_an_edited_template_renders_only_its_kind(run_cli: Run, project_copy: Path) -> None:
    build(run_cli, project_copy)
    template = project_copy / "templates" / "html" / "confirmation-of-stay.html"
    template.write_text(template.read_text(encoding="utf-8") + "{# reviewed #}\n", encoding="utf-8")
    _, rebuilt = build(run_cli, project_copy)
    confirmations = both(*(f"mobilities/{year}/{mid}/confirmation-of-stay.pl-en" for year, mid in (
        ("2018-2019", "2018-khnu-in-studies-1"), ("2018-2019", "2018-khnu-in-studies-2"),
        ("2018-2019", "2018-khnu-in-training-1"), ("2024-2025", "2024-ege-in-studies-1"),
        ("2024-2025", "2024-ege-in-training-1"), ("2024-2025", TEACHING))))
    assert rebuilt == dict.fromkeys(confirmations, "templates/html/confirmation-of-stay.html changed")


def _teaching_block(data: Path) -> str:
    text = (data / M24).read_text(encoding="utf-8")
    start = text.index(f"  - id: {TEACHING}\n")
    return text[start:text.index("  # ----", start)]


@pytest.mark.usefixtures("stub_writers")
def test_a_deleted_record_loses_its_outputs(run_cli: Run, project_copy: Path, edit_file: Edit) -> None:
    out = project_copy / "out"
    build(run_cli, project_copy)
    before = set(outputs(out))
    edit_file(project_copy / "data" / M24, _teaching_block(project_copy / "data"), "")
    result, rebuilt = build(run_cli, project_copy)
    assert set(rebuilt) == both("tud/cooperation-letter.en")
    assert {line for line in result.stdout.splitlines() if line.startswith("removed ")} == {
        f"removed {out / name} (no longer made)" for name in TEACHING_DOCS}
    assert set(outputs(out)) == before - TEACHING_DOCS
    assert not (out / "mobilities" / "2024-2025" / TEACHING).exists()


@pytest.mark.usefixtures("stub_writers")
def test_a_renamed_record_moves_its_outputs(run_cli: Run, project_copy: Path, edit_file: Edit) -> None:
    out = project_copy / "out"
    build(run_cli, project_copy)
    renamed = "2024-tud-in-teaching-9"
    edit_file(project_copy / "data" / M24, f"  - id: {TEACHING}\n", f"  - id: {renamed}\n")
    result, rebuilt = build(run_cli, project_copy)
    moved = {name.replace(TEACHING, renamed) for name in TEACHING_DOCS}
    assert set(rebuilt) == moved | both("tud/cooperation-letter.en")
    assert sum(line.startswith("removed ") for line in result.stdout.splitlines()) == len(TEACHING_DOCS)
    files = set(outputs(out))
    assert moved <= files and not files & TEACHING_DOCS and len(files) == ALL


@pytest.mark.usefixtures("stub_writers")
@pytest.mark.parametrize("manifest", ["{not json", '{"format": 1, "outputs": [], "inputs": {}}', None])
def test_a_corrupt_or_missing_manifest_means_a_full_build(run_cli: Run, project_copy: Path,
                                                          manifest: str | None) -> None:
    build(run_cli, project_copy)
    path = project_copy / "out" / MANIFEST
    if manifest is None:
        path.unlink()
    else:
        path.write_text(manifest, encoding="utf-8")
    _, rebuilt = build(run_cli, project_copy)
    assert len(rebuilt) == ALL and set(rebuilt.values()) == {"new"}
    _, rebuilt = build(run_cli, project_copy)
    assert rebuilt == {}  # and the manifest is whole again


@pytest.mark.usefixtures("stub_writers")
def test_an_output_changed_or_deleted_by_hand_is_rebuilt(run_cli: Run, project_copy: Path) -> None:
    out = project_copy / "out"
    build(run_cli, project_copy)
    before = outputs(out)
    changed, deleted = "tud/cooperation-letter.en.pdf", "ege/ege-iia-2021/erasmus-iia.en.docx"
    with open(out / changed, "ab") as fh:
        fh.write(b"annotated by hand")
    (out / deleted).unlink()
    _, rebuilt = build(run_cli, project_copy)
    assert rebuilt == {changed: "changed in the build folder", deleted: "missing from the build folder"}
    assert outputs(out) == before


@pytest.mark.usefixtures("stub_writers")
def test_force_rebuilds_everything(run_cli: Run, project_copy: Path) -> None:
    build(run_cli, project_copy)
    _, rebuilt = build(run_cli, project_copy, "--force")
    assert len(rebuilt) == ALL and set(rebuilt.values()) == {"forced"}


@pytest.mark.usefixtures("stub_writers")
def test_a_second_build_into_the_same_folder_is_refused(run_cli: Run, project_copy: Path) -> None:
    out = project_copy / "out"
    with build_lock(out):  # as a build running in another terminal holds it
        result = run_cli("build", "--data", project_copy / "data", "--out", out, "--jobs", "1")
        assert result.exit_code == 3
        assert result.stderr.endswith(
            f"docgen: another docgen build is writing into {out} (it holds {out / LOCK}); wait for it to "
            "finish, or build into another folder with --out\n")
        assert outputs(out) == {}
    _, rebuilt = build(run_cli, project_copy)  # released: the next build runs
    assert len(rebuilt) == ALL


# ------------------------------------------------------------------ real writers, real processes


def test_jobs_1_and_jobs_2_write_the_same_bytes(run_cli: Run, project_copy: Path) -> None:
    made = []
    for jobs in ("1", "2"):
        out = project_copy / f"out-{jobs}"
        result = run_cli("build", "--data", project_copy / "data", "--only", "tud", "--format", "docx",
                         "--jobs", jobs, "--out", out)
        assert result.exit_code == 0, result.output
        made.append(outputs(out))
    assert len(made[0]) == 10 and made[0] == made[1]  # the letter, the IIA, two for each of 4 mobilities


def test_dask_executor_writes_the_same_bytes_as_a_local_build(run_cli: Run, project_copy: Path) -> None:
    distributed = pytest.importorskip("distributed", reason="Dask distributed is not installed (docgen[dask])")
    data = project_copy / "data"
    local = run_cli("build", "--data", data, "--only", "tud", "--jobs", "2", "--out", project_copy / "local")
    assert local.exit_code == 0, local.output
    # worker processes of their own: the builder travels pickled, python-docx and WeasyPrint start cold there
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        remote = run_cli("build", "--data", data, "--only", "tud", "--out", project_copy / "dask",
                         "--dask-scheduler", cluster.scheduler_address)
    assert remote.exit_code == 0, remote.output
    assert f"wrote 20 file(s) into {project_copy / 'dask'}" in remote.stdout
    assert outputs(project_copy / "dask") == outputs(project_copy / "local")
    assert len(outputs(project_copy / "local")) == 20


def test_a_build_killed_while_writing_leaves_nothing_the_next_build_keeps(project_copy: Path,
                                                                          run_cli: Run) -> None:
    data, out = project_copy / "data", project_copy / "out"
    args = ["build", "--data", str(data), "--format", "docx", "--jobs", "2", "--out", str(out)]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    killed = subprocess.Popen([sys.executable, "-m", "docgen.cli", *args], env=env, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while len(list(out.rglob("*.docx"))) < 6:
        assert killed.poll() is None, "the build ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    os.killpg(killed.pid, signal.SIGKILL)
    killed.wait()
    written = set(outputs(out))
    assert 6 <= len(written) < ALL // 2, "killed mid-build"
    assert not (out / MANIFEST).exists()  # the manifest comes last: nothing of the killed build is trusted
    # as if the kill hit a file being written: its temporary stays behind
    leftover = out / "tud" / ".cooperation-letter.en.docx.k1ll3d.tmp"
    leftover.parent.mkdir(parents=True, exist_ok=True)
    leftover.write_bytes(b"PK\x03\x04 half a zip")
    again = run_cli(*args[:-2], "--jobs", "1", "--out", out, "-v")
    assert again.exit_code == 0, again.output
    assert sum(line.startswith("rebuilt ") for line in again.stdout.splitlines()) == ALL // 2
    assert not list(out.rglob("*.tmp"))
    clean = run_cli(*args[:-2], "--jobs", "1", "--out", project_copy / "clean")
    assert clean.exit_code == 0, clean.output
    assert outputs(out) == outputs(project_copy / "clean")


@pytest.mark.usefixtures("stub_writers")
def test_a_no_op_build_loads_no_renderer(run_cli: Run, project_copy: Path) -> None:
    build(run_cli, project_copy)
    script = ("import sys\nfrom docgen.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
              "print(sorted({m.split('.')[0] for m in sys.modules} & {'weasyprint', 'docx', 'docxtpl', 'distributed'}))")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    shown = subprocess.run([sys.executable, "-c", script, "build", "--data", str(project_copy / "data"),
                            "--out", str(project_copy / "out")], env=env, capture_output=True, text=True,
                           check=True).stdout.splitlines()
    assert shown[-3:] == [f"nothing to render: all {ALL} file(s) are up to date",
                          f"wrote 0 file(s) into {project_copy / 'out'}", "[]"]


class _LosesOneDocument(ThreadPoolExecutor):
    """An executor whose worker is lost while it renders the teaching mobility's staff agreement."""

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def, override]
        if any(job.doc.record_id == TEACHING and job.doc.kind == "staff-mobility-agreement"
               for arg in args if isinstance(arg, list) for job in arg):
            lost: Future[object] = Future()
            lost.set_exception(RuntimeError("worker lost"))
            return lost
        return super().submit(fn, *args, **kwargs)


@pytest.mark.usefixtures("stub_writers")
def test_a_document_lost_by_the_executor_fails_alone_and_is_retried(project_copy: Path) -> None:
    templates, out = project_copy / "templates", project_copy / "out"
    project = load_checked(project_copy / "data")
    with _LosesOneDocument(2) as executor:
        _, result = pipeline_build(project, templates, out, executor=executor)
    lost = both(f"mobilities/2024-2025/{TEACHING}/staff-mobility-agreement.en")
    assert {f.job.output.relative_to(out).as_posix(): f.message for f in result.failed} == \
        dict.fromkeys(lost, "not rendered: RuntimeError: worker lost")
    assert len(result.written) == ALL - 2
    assert set(outputs(out)) == {j.output.relative_to(out).as_posix() for j in result.written}
    _, again = pipeline_build(project, templates, out, workers=1)
    assert {j.output.relative_to(out).as_posix() for j in again.written} == lost


@pytest.mark.usefixtures("stub_writers")
def test_check_renders_only_what_the_build_has_not_made_from_the_same_inputs(
        run_cli: Run, project_copy: Path, edit_file: Edit, monkeypatch: pytest.MonkeyPatch) -> None:
    from docgen.build.builder import Builder

    rendered: list[str] = []
    html = Builder.html

    def counting(self: Builder, doc, meta=None):  # type: ignore[no-untyped-def]
        rendered.append(f"{doc.out_dir}/{doc.kind}")
        return html(self, doc, meta)

    monkeypatch.setattr(Builder, "html", counting)
    check = ("check", "--data", project_copy / "data", "--out", project_copy / "out")
    assert run_cli(*check).exit_code == 0
    assert len(rendered) == ALL // 2  # no build yet: every document is rendered once
    build(run_cli, project_copy)
    rendered.clear()
    assert run_cli(*check).exit_code == 0
    assert rendered == []  # all built from these very inputs
    edit_file(project_copy / "data" / M24, "    teaching_hours: 12\n", "    teaching_hours: 10\n")
    rendered.clear()
    assert run_cli(*check).exit_code == 0
    # the teaching mobility's documents, and the letter that counts it (as the build would render them)
    assert sorted(rendered) == sorted([f"mobilities/2024-2025/{TEACHING}/confirmation-of-stay",
                                       f"mobilities/2024-2025/{TEACHING}/staff-mobility-agreement",
                                       "tud/cooperation-letter"])
    # a problem a template finds is still found when the build holds an older, good document
    edit_file(project_copy / "data" / "partners" / "khnu.yaml", "    city:\n      en: Khmelnytskyi\n      pl: Chmielnicki\n",
              "    city:\n      pl: Chmielnicki\n")
    result = run_cli(*check)
    assert result.exit_code == 1 and "cannot be made" in result.stdout, result.output
