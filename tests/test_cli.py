"""The `docgen` command: exit codes (0 ok, 1 data errors, 2 usage), clean messages, list, grant, atomic builds."""
from __future__ import annotations

import hashlib

import os
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import Result
from ruamel.yaml import YAML

from docgen.money import grants
from docgen.build.builder import OWN_FILES
from docgen.files import write_atomic
from docgen.errors import RenderError
from docgen.model.project import load_project
from docgen.documents.renderers import DocMeta
from docgen.documents.renderers.pdf import PdfWriter

Run = Callable[..., Result]
Edit = Callable[..., str]

M18 = "mobilities/2018-2019.yaml"
M24 = "mobilities/2024-2025.yaml"


def read(path: Path) -> dict:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def at(path: Path, needle: str, *after: str) -> tuple[int, int]:
    """Line and column of the first `needle` that follows each of `after` in turn."""
    text = path.read_text(encoding="utf-8")
    start = 0
    for marker in after:
        start = text.index(marker, start) + len(marker)
    i = text.index(needle, start)
    return text.count("\n", 0, i) + 1, i - (text.rfind("\n", 0, i) + 1) + 1


def no_traceback(result: Result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output


def files(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file() and p.name not in OWN_FILES}


def listed(run_cli: Run, data: Path, out: Path, *args: str) -> list[list[str]]:
    result = run_cli("list", "--data", data, "--out", out, *args)
    no_traceback(result)
    return [line.split() for line in result.stdout.splitlines()]


# ------------------------------------------------------------------ usage


@pytest.mark.parametrize("args", [[], ["check"], ["list"], ["build"], ["grant"]], ids=lambda a: a[0] if a else "docgen")
def test_help(run_cli: Run, args: list[str]) -> None:
    result = run_cli(*args, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.stdout


@pytest.mark.parametrize("args", [
    ["frobnicate"],
    ["check", "--nope"],
    ["list", "--format", "odt"],
    ["build", "--only"],
    ["grant"],
], ids=["unknown-command", "unknown-option", "bad-choice", "option-without-value", "missing-argument"])
def test_usage_errors_exit_2(run_cli: Run, args: list[str]) -> None:
    result = run_cli(*args)
    assert result.exit_code == 2
    no_traceback(result)
    assert result.stdout == ""


@pytest.mark.parametrize("command", [["check"], ["list"], ["build"], ["grant", "2018-khnu-in-training-1"]],
                         ids=lambda c: c[0])
def test_missing_data_folder_exits_2_cleanly(run_cli: Run, tmp_path: Path, command: list[str]) -> None:
    missing = tmp_path / "no-such-folder"
    result = run_cli(*command, "--data", missing)
    assert result.exit_code == 2
    no_traceback(result)
    assert result.stderr == f"docgen: data folder not found: {missing}\n"
    assert not (tmp_path / "build").exists()


def test_missing_templates_folder_exits_2(run_cli: Run, project_copy: Path) -> None:
    result = run_cli("list", "--data", project_copy / "data", "--templates", project_copy / "nope")
    assert result.exit_code == 2
    no_traceback(result)
    assert result.stderr.startswith(f"docgen: templates folder not found: {project_copy / 'nope'}")


# ------------------------------------------------------------------ check


def test_check_clean_data(run_cli: Run, project_copy: Path) -> None:
    data = project_copy / "data"
    partners = [read(p) for p in sorted((data / "partners").glob("*.yaml"))]
    agreements = sum(len(p.get("agreements", [])) for p in partners)
    mobilities = sum(len(read(p)["mobilities"]) for p in (data / "mobilities").glob("*.yaml"))
    rates = len(list((data / "rates").glob("*.yaml")))
    result = run_cli("check", "--data", data)
    assert result.exit_code == 0
    assert result.stdout == (f"ok: {len(partners)} partners, {agreements} agreements, {mobilities} mobilities, "
                             f"{rates} rate files ({len(partners) + agreements + mobilities} records); "
                             "0 warning(s)\n")
    assert result.stderr == ""


def test_check_reports_every_mistake_in_every_file_in_one_run(run_cli: Run, project_copy: Path,
                                                             edit_file: Edit) -> None:
    data = project_copy / "data"
    ege, m18, m24 = data / "partners" / "ege.yaml", data / M18, data / M24
    # 1. a partner's agreement: a signature by a side that does not exist
    edit_file(ege, "        by: home\n        signatory: Bogumił Wróblewski",
              "        by: hom\n        signatory: Bogumił Wróblewski")
    # 2. a mobility: an unquoted ISCED code
    edit_file(m18, "subject: '073'", "subject: 073")
    # 3. another mobility of the same file: an e-mail address without @
    edit_file(m18, "maksym.dovhaniuk@khnu.example.org", "maksym.dovhaniuk.khnu.example.org")
    # 4. another file: a call that has no rates file (a cross-record rule)
    edit_file(m24, "      call: ka131-2024-pl\n      distance_km: 374\n    iban: 'PL5",
              "      call: ka131-2042-pl\n      distance_km: 374\n    iban: 'PL5")

    def where(path: Path, needle: str, *after: str) -> str:
        line, col = at(path, needle, *after)
        return f"data/{path.relative_to(data).as_posix()}:{line}:{col}"

    ids18 = [m["id"] for m in read(m18)["mobilities"]]
    ids24 = [m["id"] for m in read(m24)["mobilities"]]
    m24_broken = next(m["id"] for m in read(m24)["mobilities"] if m["funding"]["call"] == "ka131-2042-pl")
    ege_agreements = [a["id"] for a in read(ege)["agreements"]]
    result = run_cli("check", "--data", data)
    assert result.exit_code == 1
    no_traceback(result)
    assert result.stdout.splitlines() == [
        f"{where(m18, 'maksym.dovhaniuk.khnu')}: mobilities[{ids18.index('2018-khnu-in-studies-2')}]"
        ".participant.email: 'maksym.dovhaniuk.khnu.example.org' is not an email address",
        f"{where(m18, '073', '- id: 2018-khnu-out-studies-1', 'subject: ')}: "
        f"mobilities[{ids18.index('2018-khnu-out-studies-1')}].subject: unquoted 073 is read as the number 73 "
        "(the leading zero is lost, some tools even read it as octal): write '073' in quotes",
        f"{where(m24, 'ka131-2042-pl')}: mobilities[{ids24.index(m24_broken)}].funding.call: no rates file "
        "data/rates/ka131-2042-pl.yaml: did you mean 'ka131-2024-pl'?",
        f"{where(ege, 'hom', 'id: ege-general-2022', 'by: ')}: agreements[{ege_agreements.index('ege-general-2022')}]"
        ".status[0].by: the text 'hom' is not allowed here; expected 'home' or 'partner'",
    ]
    assert result.stderr == f"4 error(s), 0 warning(s) in {data}\n"


def test_warning_only_exits_0(run_cli: Run, project_copy: Path, edit_file: Edit) -> None:
    path = project_copy / "data" / M24
    text = path.read_text(encoding="utf-8")
    block = text[text.index("  - id: 2024-ege-in-training-1\n"):]
    assert "\n  - id: " not in block[1:], "2024-ege-in-training-1 is expected to be the file's last record"
    # a colleague's visit: the same person twice at once would be an overlap error
    edit_file(path, block, block + "\n" + block.replace("2024-ege-in-training-1", "2024-ege-in-training-2")
              .replace("first_name: Emre", "first_name: Ece"))
    result = run_cli("check", "--data", project_copy / "data")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    assert lines[0].endswith("warning: 2 incoming staff-training mobilities in 2024/2025 under 'ege-iia-2021' "
                             "(row 8), but the agreement allows 1")
    assert lines[1].endswith("warning: 10 days of incoming staff-training in 2024/2025 under 'ege-iia-2021' "
                             "(row 8), but the agreement allows 5 days")
    assert lines[2].startswith("ok: ") and lines[2].endswith("; 2 warning(s)")


# ------------------------------------------------------------------ list


def test_list_names_every_agreement_and_every_mobility(run_cli: Run, project_copy: Path) -> None:
    data, out = project_copy / "data", project_copy / "out"
    rows = listed(run_cli, data, out)
    assert rows, "docgen list printed nothing"
    by_id: dict[str, list[list[str]]] = {}
    for row in rows:
        assert len(row) == 4, row
        kind, rid, langs, output = row
        assert re.fullmatch(r"[a-z]{2}(\+[a-z]{2})?", langs), row
        path = Path(output)
        assert path.is_relative_to(out), row
        assert path.name in (f"{kind}.{langs.replace('+', '-')}.pdf", f"{kind}.{langs.replace('+', '-')}.docx"), row
        by_id.setdefault(rid, []).append(row)
    # every document comes in both formats
    stems = [(k, r, lang, str(Path(o).with_suffix(""))) for k, r, lang, o in rows]
    for stem in set(stems):
        assert stems.count(stem) == 2, stem
    # every agreement of every sample partner, in its own folder and its own languages
    for path in sorted((data / "partners").glob("*.yaml")):
        partner = read(path)
        pid = partner["institution"]["id"]
        for agreement in partner.get("agreements", []):
            aid = agreement["id"]
            assert aid in by_id, f"agreement {aid} is not listed"
            for _, _, langs, output in by_id[aid]:
                assert Path(output).parent == out / pid / aid
                assert langs == "+".join(agreement["languages"])
    # every sample mobility, in its own folder
    for path in sorted((data / "mobilities").glob("*.yaml")):
        for mobility in read(path)["mobilities"]:
            mid = mobility["id"]
            assert mid in by_id, f"mobility {mid} is not listed"
            for _, _, _, output in by_id[mid]:
                assert Path(output).parent == out / "mobilities" / mobility["academic_year"].replace("/", "-") / mid


def test_list_only_and_format(run_cli: Run, project_copy: Path) -> None:
    rows = listed(run_cli, project_copy / "data", project_copy / "out", "--only", "2018-khnu-in-training-1",
                  "--format", "pdf")
    assert rows
    assert {r[1] for r in rows} == {"2018-khnu-in-training-1"}
    assert all(r[3].endswith(".pdf") for r in rows)


def test_list_only_unknown_id_exits_2(run_cli: Run, project_copy: Path) -> None:
    result = run_cli("list", "--data", project_copy / "data", "--only", "nope")
    assert result.exit_code == 2
    no_traceback(result)
    assert result.stderr.startswith("docgen: --only nope:")


def test_list_leaves_out_records_with_errors(run_cli: Run, project_copy: Path, edit_file: Edit) -> None:
    data = project_copy / "data"
    edit_file(data / M18, "call: ka107-2016-pl", "call: ka107-2061-pl")  # the file's first mobility
    first = read(data / M18)["mobilities"][0]["id"]
    result = run_cli("list", "--data", data, "--out", project_copy / "out")
    assert result.exit_code == 1
    assert first not in result.stdout
    assert "2018-khnu-in-studies-1" in result.stdout
    assert result.stderr == "1 error(s): records with errors are left out (run docgen check)\n"


def test_broken_template_is_a_clean_message(run_cli: Run, project_copy: Path) -> None:
    data, out = project_copy / "data", project_copy / "out"
    template = project_copy / "templates" / "html" / "bilateral-cooperation.html"
    template.write_text(template.read_text(encoding="utf-8") + "\n{% endfor %}\n", encoding="utf-8")
    listing = run_cli("list", "--data", data, "--out", out)
    no_traceback(listing)
    assert listing.exit_code == 0
    result = run_cli("build", "--data", data, "--only", "khnu-bilateral-2015", "--format", "pdf", "--out", out)
    no_traceback(result)
    assert result.exit_code == 1
    assert "bilateral-cooperation.html" in result.stderr
    assert not out.exists() or files(out) == set()


# ------------------------------------------------------------------ grant


def test_grant_prints_the_lines_and_the_total(run_cli: Run, project_copy: Path) -> None:
    data = project_copy / "data"
    mid = "2018-khnu-in-training-1"
    result = run_cli("grant", mid, "--data", data)
    assert result.exit_code == 0
    no_traceback(result)
    lines = result.stdout.splitlines()
    assert mid in lines[0]
    totals = [m for line in lines if (m := re.fullmatch(r"\s+total\s+([0-9]+\.[0-9]{2}) EUR", line))]
    assert totals, result.stdout
    project = load_project(data)
    mobility = project.mobilities[mid][0]
    expected = grants.calculate(mobility, project.rates[mobility.funding.call][0], project.home,
                                project.partners[mobility.partner].institution).total
    assert Decimal(totals[0][1]) == expected > 0


def test_grant_unknown_mobility_exits_2(run_cli: Run, project_copy: Path) -> None:
    result = run_cli("grant", "nope", "--data", project_copy / "data")
    assert result.exit_code == 2
    no_traceback(result)
    assert result.stderr == "docgen: no mobility with id 'nope'\n"
    assert result.stdout == ""


def test_grant_of_a_mobility_with_errors_exits_1(run_cli: Run, project_copy: Path, edit_file: Edit) -> None:
    data = project_copy / "data"
    edit_file(data / M18, "call: ka107-2016-pl", "call: ka107-2061-pl")
    first = read(data / M18)["mobilities"][0]["id"]
    result = run_cli("grant", first, "--data", data)
    assert result.exit_code == 1
    no_traceback(result)
    assert "no rates file data/rates/ka107-2061-pl.yaml" in result.stdout
    assert "total" not in result.stdout


# ------------------------------------------------------------------ build

BUILD_ID = "2018-khnu-out-training-1"


def test_build_only_one_mobility_as_pdf(run_cli: Run, project_copy: Path) -> None:
    data, out = project_copy / "data", project_copy / "out"
    expected = {Path(r[3]) for r in listed(run_cli, data, out, "--only", BUILD_ID, "--format", "pdf")}
    assert expected
    result = run_cli("build", "--data", data, "--only", BUILD_ID, "--format", "pdf", "--out", out)
    assert result.exit_code == 0, result.output
    no_traceback(result)
    assert files(out) == expected
    folder = out / "mobilities" / "2018-2019" / BUILD_ID
    for path in expected:
        assert path.parent == folder
        assert path.read_bytes().startswith(b"%PDF-")
    assert result.stdout.endswith(f"wrote {len(expected)} file(s) into {out}\n")


def test_parallel_build_writes_the_same_bytes_as_one_process(run_cli: Run, project_copy: Path) -> None:
    data = project_copy / "data"
    digests = []
    for jobs in ("1", "2"):
        out = project_copy / f"out-{jobs}"
        result = run_cli("build", "--data", data, "--only", "khnu-bilateral-2015", "--jobs", jobs, "--out", out)
        assert result.exit_code == 0, result.output
        written = sorted(files(out))
        assert [p.name for p in written] == ["bilateral-cooperation.pl-uk.docx", "bilateral-cooperation.pl-uk.pdf"]
        digests.append([(p.relative_to(out), hashlib.sha256(p.read_bytes()).hexdigest()) for p in written])
    assert digests[0] == digests[1]


def test_build_skips_the_record_with_an_error_and_builds_the_others(run_cli: Run, project_copy: Path,
                                                                    edit_file: Edit,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    # the layout itself is not under test here: a fast stand-in for WeasyPrint that still gets the context
    def fake_write(self: PdfWriter, html: str, meta: DocMeta) -> bytes:
        return f"%PDF-stub {meta.doc_id}".encode()

    monkeypatch.setattr(PdfWriter, "write", fake_write)
    data, out = project_copy / "data", project_copy / "out"
    broken = "2024-tud-out-studies-1"
    text = (data / M24).read_text(encoding="utf-8")
    start = text.index(f"  - id: {broken}\n")
    block = text[start:text.index("\n  - id: ", start + 1)]
    edit_file(data / M24, block, block.replace("call: ka131-2024-pl", "call: ka131-2042-pl"))
    plan = {Path(r[3]): r[1] for r in listed(run_cli, data, out, "--only", "tud", "--format", "pdf")}
    expected = set(plan)
    others = set(plan.values())
    assert broken not in others
    assert "tud-iia-2021" in others and any(o.startswith("2024-tud-") for o in others)
    result = run_cli("build", "--data", data, "--only", "tud", "--format", "pdf", "--out", out)
    assert result.exit_code == 1
    no_traceback(result)
    assert "no rates file data/rates/ka131-2042-pl.yaml" in result.stdout
    assert files(out) == expected
    assert not (out / "mobilities" / "2024-2025" / broken).exists()
    for path, rid in plan.items():
        assert path.read_bytes().endswith(f" {rid}".encode())  # each file holds its own record


def test_failed_render_leaves_the_previous_file_untouched(run_cli: Run, project_copy: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    data, out = project_copy / "data", project_copy / "out"
    args = ("build", "--data", data, "--only", BUILD_ID, "--format", "pdf", "--out", out)
    assert run_cli(*args).exit_code == 0
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in files(out)}
    assert before

    def boom(self: PdfWriter, *args: object, **kwargs: object) -> bytes:
        raise RenderError("simulated layout failure")

    monkeypatch.setattr(PdfWriter, "write", boom)
    result = run_cli(*args, "--force")
    assert result.exit_code == 1
    no_traceback(result)
    assert result.stderr.count("not written: simulated layout failure") == len(before)
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in files(out)} == before
    assert not list(out.rglob("*.tmp"))


def test_failed_write_leaves_the_previous_file_and_no_temporary(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out" / "doc.pdf"
    write_atomic(target, b"old")
    assert target.read_bytes() == b"old"

    def failing_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OSError):
        write_atomic(target, b"new content")
    assert target.read_bytes() == b"old"
    assert [p.name for p in target.parent.iterdir()] == ["doc.pdf"]


def test_successful_build_leaves_no_temporary_files(run_cli: Run, project_copy: Path) -> None:
    out = project_copy / "out"
    result = run_cli("build", "--data", project_copy / "data", "--only", BUILD_ID, "--out", out)
    assert result.exit_code == 0, result.output
    assert files(out)
    assert not [p for p in out.rglob("*")
                if p.name.endswith(".tmp") or (p.name.startswith(".") and p.name not in OWN_FILES)]


def test_a_mobility_outside_the_call_project_period_is_located(run_cli: Run, project_copy: Path,
                                                               edit_file: Edit) -> None:
    # Shorten the 2024 call's project to 31 Aug 2025: the green-travel traineeship (1 Jul – 12 Sep 2025,
    # mobilities[3], dates at lines 178–179) now ends after it; every other 2024 mobility ends by 31 Jul 2025.
    data = project_copy / "data"
    edit_file(data / "rates" / "ka131-2024-pl.yaml", "end: 2026-07-31}", "end: 2025-08-31}")
    result = run_cli("check", "--data", data)
    assert result.exit_code == 1
    no_traceback(result)
    assert result.stdout.splitlines() == [
        "data/mobilities/2024-2025.yaml:179:12: mobilities[3].planned.end: a mobility under call ka131-2024-pl "
        "takes place within its project period 2024-06-01 – 2025-08-31; planned end is 2025-09-12"]


def test_grant_names_the_travel_rule(run_cli: Run, project_copy: Path) -> None:
    result = run_cli("grant", "2024-tud-out-studies-1", "--data", project_copy / "data")
    assert result.exit_code == 0
    assert ("  travel support: travel_support.students: all (call ka131-2024-pl): every one of its long-term "
            "students gets the travel lump sum") in result.stdout.splitlines()


def test_messages_name_files_as_the_user_can_open_them(project_copy: Path, run_cli, edit_file,
                                                       monkeypatch) -> None:
    """With --data elsewhere, a problem's file is relative to the current directory (absolute outside it)."""
    office = project_copy / "office"
    office.mkdir()
    (project_copy / "data").rename(office / "records")
    edit_file(office / "records" / "partners" / "tud.yaml", "id: tud-iia-2021", "id: Tud-iia-2021")
    result = run_cli("check", "--data", office / "records")
    shown = sorted({line.split(":")[0] for line in result.stdout.splitlines()})
    assert shown == ["office/records/mobilities/2024-2025.yaml", "office/records/partners/tud.yaml"]
    assert all((project_copy / name).is_file() for name in shown)
    elsewhere = project_copy / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = run_cli("check", "--data", "../office/records")
    shown = sorted({line.split(":")[0] for line in result.stdout.splitlines()})
    assert shown == [str((office / "records" / name).resolve()) for name in ("mobilities/2024-2025.yaml",
                                                                             "partners/tud.yaml")]


def test_check_reports_data_that_fails_only_when_a_document_is_rendered(run_cli: Run, project_copy: Path,
                                                                        edit_file: Edit) -> None:
    """KHNU's address loses its English city: the English documents that print it cannot be made. check says so,
    located at each record whose document fails, instead of build failing later with a bare message."""
    data = project_copy / "data"
    khnu = data / "partners" / "khnu.yaml"
    edit_file(khnu, "    city:\n      en: Khmelnytskyi\n      pl: Chmielnicki\n",
              "    city:\n      pl: Chmielnicki\n")
    result = run_cli("check", "--data", data)
    assert result.exit_code == 1
    no_traceback(result)
    lines = khnu.read_text(encoding="utf-8").splitlines()
    row = next(i for i, text in enumerate(lines, 1) if "id: khnu-general-2016" in text)
    col = lines[row - 1].index("id:") + 1
    expected = (f"data/partners/khnu.yaml:{row}:{col}: agreements[2]: the general-cooperation (en) cannot be made: "
                "template html/general-cooperation.html: city has no 'en' form (has: pl, tr, uk)")
    assert expected in result.stdout.splitlines()
    assert result.stdout.splitlines() == sorted(result.stdout.splitlines(), key=lambda l: (l.split(":")[0],
                                                                                          int(l.split(":")[1])))
