"""The office's own repository: docgen.yaml found from any subfolder, docgen init, overrides over docgen's templates."""
from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from ruamel.yaml import YAML

from docgen.site import package_templates, resolve
from reading import docx_text

Run = Callable[..., Result]
GIT = ["git", "-c", "user.email=office@example.org", "-c", "user.name=Office"]


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`docgen init office --example`, committed once (two commits: the second changes one agreement's terms)."""
    from docgen.office.init import init

    root = tmp_path_factory.mktemp("site") / "office"
    init(root, example=True)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True)
    subprocess.run(GIT + ["add", "-A"], cwd=root, check=True)
    subprocess.run(GIT + ["commit", "-qm", "the sample office"], cwd=root, check=True)
    tud = root / "data/partners/tud.yaml"
    text = tud.read_text(encoding="utf-8")
    assert "          people: 2\n" in text
    tud.write_text(text.replace("          people: 2\n", "          people: 3\n", 1), encoding="utf-8")
    subprocess.run(GIT + ["commit", "-qam", "tud: three students"], cwd=root, check=True)
    return root


def test_init_writes_an_office_repository_whose_yaml_files_parse(office: Path) -> None:
    for name in ("docgen.yaml", ".gitlab-ci.yml", ".github/workflows/docgen.yml"):
        assert isinstance(YAML(typ="safe").load((office / name).read_text(encoding="utf-8")), dict), name
    ci = YAML(typ="safe").load((office / ".gitlab-ci.yml").read_text(encoding="utf-8"))["docgen"]
    assert "docgen check" in ci["script"] and "docgen build" in ci["script"]
    assert "build/redline/" in ci["artifacts"]["paths"]
    gh = YAML(typ="safe").load((office / ".github/workflows/docgen.yml").read_text(encoding="utf-8"))
    steps = gh["jobs"]["documents"]["steps"]
    assert [s.get("run") for s in steps if s.get("run", "").startswith("docgen")] == ["docgen check", "docgen build"]
    assert "/build/" in (office / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "*.docx diff=docgen" in (office / ".gitattributes").read_text(encoding="utf-8")
    assert (office / "data/partners/tud.yaml").is_file() and (office / "templates").is_dir()


def test_init_refuses_a_folder_that_is_not_empty(run_cli: Run, tmp_path: Path) -> None:
    (tmp_path / "note.txt").write_text("mine", encoding="utf-8")
    result = run_cli("init", tmp_path)
    assert result.exit_code == 2
    assert "is not empty" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["note.txt"]


def test_init_without_example_is_a_skeleton_check_names_field_by_field(run_cli: Run, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    assert run_cli("init", tmp_path / "new").exit_code == 0
    monkeypatch.chdir(tmp_path / "new")
    result = run_cli("check")
    assert result.exit_code == 1
    assert "data/institution.yaml:" in result.stdout and "still the skeleton's TODO" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_the_site_is_found_from_a_subfolder(office: Path, run_cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(office / "data" / "partners")
    site = resolve()
    assert site.root == office and site.config == office / "docgen.yaml"
    assert site.data.resolve() == office / "data" and site.output.resolve() == office / "build"
    assert site.search.dirs[-1] == package_templates()
    result = run_cli("list", "--only", "tud-iia-2021", "--format", "docx", "--inputs")
    assert result.exit_code == 0, result.output
    assert "../../build/tud/tud-iia-2021/erasmus-iia.en.docx" in result.stdout
    assert "reads docgen:templates/html/erasmus-iia.html" in result.stdout


def test_a_bad_docgen_yaml_is_located(tmp_path: Path, run_cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "docgen.yaml").write_text("data: data\noutptu: build\noffice:\n  language: 7\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    result = run_cli("check")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert any(line.startswith("../docgen.yaml:2:1: outptu: unknown field 'outptu'") and "'output'" in line
               for line in lines), lines
    assert any(line.startswith("../docgen.yaml:4:13: office.language:") for line in lines), lines
    assert "Traceback" not in result.output


def test_the_ci_commands_succeed_in_a_repository_with_two_commits(office: Path) -> None:
    """What the CI jobs run, but the full build (test_overrides builds): check and the review of the last commit."""
    docgen = shutil.which("docgen", path=str(Path(os.sys.executable).parent))
    assert docgen
    env = {**os.environ, "DOCGEN": docgen}
    subprocess.run([docgen, "check"], cwd=office, check=True, capture_output=True)
    done = subprocess.run(["make", "review", "BASE=HEAD~1", f"DOCGEN={docgen}", f"PYTHON={os.sys.executable}"],
                          cwd=office, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    review = (office / "build/review.md").read_text(encoding="utf-8")
    assert "### agreement tud-iia-2021: changed" in review and "2 → 3 people" in review
    assert sorted(p.name for p in (office / "build/redline/tud/tud-iia-2021").iterdir()) == \
        ["erasmus-iia.en.redline.docx", "erasmus-iia.en.redline.pdf"]


def _hashes(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.suffix in (".docx", ".pdf") and "redline" not in p.parts}


def _changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    assert before.keys() == after.keys()
    return {name for name in after if before[name] != after[name]}


def test_an_override_changes_exactly_its_documents(office: Path, run_cli: Run,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(office)
    out = office / "build"

    def build() -> dict[str, str]:
        result = run_cli("build", "--only", "tud", "--jobs", "1")
        assert result.exit_code == 0, result.output
        return _hashes(out)

    start = build()
    assert len(start) == 20
    # one template: the confirmation of stay, with one more paragraph
    html = (package_templates() / "html/confirmation-of-stay.html").read_text(encoding="utf-8")
    assert html.count("</h1></td>") == 1
    (office / "templates/html").mkdir(parents=True)
    (office / "templates/html/confirmation-of-stay.html").write_text(
        html.replace("</h1></td>", "</h1><p>Issued by our office.</p></td>"), encoding="utf-8")
    after = build()
    stay = "mobilities/2024-2025/2024-tud-in-teaching-1/confirmation-of-stay.pl-en"
    assert _changed(start, after) == {f"{stay}.docx", f"{stay}.pdf"}
    assert "Issued by our office." in docx_text(out / f"{stay}.docx")
    listed = run_cli("list", "--only", "2024-tud-in-teaching-1", "--inputs").stdout
    assert "reads templates/html/confirmation-of-stay.html" in listed
    assert "reads docgen:templates/html/base.html" in listed
    # one catalog message: the English title of the inter-institutional agreement
    (office / "templates/locale/en").mkdir(parents=True)
    (office / "templates/locale/en/ours.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "iia.title"\nmsgstr "Inter-institutional agreement of our office"\n', encoding="utf-8")
    start, after = after, build()
    iia = "tud/tud-iia-2021/erasmus-iia.en"
    assert _changed(start, after) == {f"{iia}.docx", f"{iia}.pdf"}
    assert "Inter-institutional agreement of our office" in docx_text(out / f"{iia}.docx")
    # the Word shell: our letterhead in the header changes every DOCX and no PDF
    shell = (package_templates() / "docx/shell.docx").read_bytes()
    source = zipfile.ZipFile(io.BytesIO(shell))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/header1.xml":
                assert b"</w:p>" in data
                data = data.replace(b"</w:p>", b"<w:r><w:t>Our letterhead</w:t></w:r></w:p>", 1)
            target.writestr(item, data)
    (office / "templates/docx").mkdir(parents=True)
    (office / "templates/docx/shell.docx").write_bytes(buffer.getvalue())
    start, after = after, build()
    assert _changed(start, after) == {name for name in after if name.endswith(".docx")}
    with zipfile.ZipFile(out / f"{iia}.docx") as built:
        assert b"Our letterhead" in built.read("word/header1.xml")
