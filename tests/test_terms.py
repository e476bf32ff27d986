"""Canonical terms, their hash, docgen sign and the signed-terms warning, docgen diff on a scratch git repository."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from docgen.documents.i18n import Catalogs
from docgen.model.project import load_project
from docgen.review.terms import canonical, is_amendment_draft, paragraphs, short_hash, terms_hash

GIT_ENV = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org",
           "GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent"}


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    done = subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org",
                           "-c", "commit.gpgsign=false", *args], cwd=repo, env=env, capture_output=True,
                          text=True, check=True)
    return done.stdout


@pytest.fixture
def repo(project_copy: Path) -> Path:
    """The sample project as a git repository with one commit."""
    git(project_copy, "init", "-q", "-b", "main")
    git(project_copy, "add", "data", "templates")
    git(project_copy, "commit", "-q", "-m", "sample")
    return project_copy


def commit(repo: Path, message: str) -> None:
    git(repo, "commit", "-q", "-a", "-m", message)


def _terms(root: Path, agreement: str) -> tuple[str, str]:
    project = load_project(root / "data")
    catalogs = Catalogs(root / "templates" / "locale")
    found = canonical(project, catalogs, agreement)
    return found.text, found.hash


KHNU = "data/partners/khnu.yaml"
STAFF_ROW = "- {direction: incoming, type: staff-teaching, subjects: [{code: '061'}], people: 2, days: 10}"


# ---------------------------------------------------------------- canonical text and hash


def test_terms_text_names_rows_in_words_and_hash_is_sha256_of_it(project_copy: Path) -> None:
    text, digest = _terms(project_copy, "khnu-iia-2016")
    assert text.startswith("docgen terms 1\nagreement: khnu-iia-2016 (erasmus-iia) with khnu\n")
    assert "mobility: Staff teaching, Khmelnytskyi → PL BYDGOSZ02, 061: 2 people, 10 days a year\n" in text
    assert "mobility: Student studies, PL BYDGOSZ02 → Khmelnytskyi, 041, EQF 6 7: 2 people, 10 months a year\n" in text
    assert "years: 2016/2017 – 2020/2021\n" in text
    assert "notice: 1 academic year\n" in text
    assert "i.melnychuk" not in text and "+380" not in text  # contacts are not terms
    assert digest == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert "\r" not in text and text.endswith("\n")


def test_scope_clause_without_text_gets_catalog_wording_under_its_paragraph(project_copy: Path) -> None:
    text, _ = _terms(project_copy, "khnu-bilateral-2015")
    # student-exchange has no text in the data: the catalog's scope.student-exchange, as an item of § 2
    assert "§ 2 [pl]: - współpracę w kształceniu studentów, w tym wymianę studentów;\n" in text
    assert "§ 2 [uk]: - співпрацю у підготовці студентів, зокрема обмін студентами;\n" in text
    assert "§ 0 [pl]: Dążąc do rozwijania wzajemnych kontaktów" in text  # the unnumbered preamble
    assert "§ 6 [pl]: Każda ze stron chroni prawa własności intelektualnej" in text
    assert "§ 7 [pl]: 3. Umowa zostaje zawarta na czas nieokreślony.\n" in text


def test_paragraph_numbers_follow_the_clauses_present(project_copy: Path) -> None:
    project = load_project(project_copy / "data")
    bilateral = project.partners["khnu"].agreements["khnu-bilateral-2015"][0]
    numbers = [p.number for p in paragraphs(bilateral)]
    assert numbers == [0, 1, 2, 3, 4, 5, 6, 7]  # preamble, purpose, scope, research, open, annexes, ip, final
    without_ip = bilateral.model_copy(update={"terms": bilateral.terms.model_copy(update={
        "scope": [c for c in bilateral.terms.scope if c.topic != "intellectual-property"]})})
    assert [p.number for p in paragraphs(without_ip)] == [0, 1, 2, 3, 4, 5, 6]
    general = project.partners["khnu"].agreements["khnu-general-2016"][0]
    assert [p.number for p in paragraphs(general)] == list(range(1, 11))


def test_layout_quoting_comments_and_contacts_do_not_change_the_hash(project_copy: Path, edit_file) -> None:
    _, before = _terms(project_copy, "khnu-iia-2016")
    path = project_copy / KHNU
    edit_file(path, STAFF_ROW, "- direction: incoming  # re-laid out\n          type: 'staff-teaching'\n"
                               "          subjects:\n            - code: \"061\"\n          days: 10\n"
                               "          people: 2")
    edit_file(path, "'+380 382 55 01 40'", "'+380 382 55 01 49'")
    assert _terms(project_copy, "khnu-iia-2016")[1] == before


def test_a_po_edit_of_a_used_clause_changes_the_terms(project_copy: Path, edit_file) -> None:
    _, before = _terms(project_copy, "khnu-bilateral-2015")
    edit_file(project_copy / "templates/locale/uk/common.po", "зокрема обмін студентами", "зокрема обмін студентів")
    text, after = _terms(project_copy, "khnu-bilateral-2015")
    assert after != before and "зокрема обмін студентів;" in text


def test_terms_command_prints_text_and_hash(project_copy: Path, run_cli) -> None:
    result = run_cli("terms", "khnu-general-2016", "--data", project_copy / "data")
    assert result.exit_code == 0, result.output
    text, digest = _terms(project_copy, "khnu-general-2016")
    assert result.output == text + f"sha256: {digest}\n"
    assert run_cli("terms", "nope", "--data", project_copy / "data").exit_code == 2


# ---------------------------------------------------------------- sign and the signed-terms warning


def test_sign_appends_the_event_and_keeps_the_rest_of_the_file(project_copy: Path, run_cli) -> None:
    path = project_copy / KHNU
    before = path.read_text(encoding="utf-8")
    result = run_cli("sign", "khnu-general-2016", "--by", "partner", "--date", "2024-05-03",
                     "--signatory", "Volodymyr Kravchenko", "--data", project_copy / "data")
    assert result.exit_code == 0, result.output
    digest = terms_hash(load_project(project_copy / "data"), Catalogs(project_copy / "templates/locale"),
                        "khnu-general-2016")
    added = ("      - status: signed\n        date: 2024-05-03\n        by: partner\n"
             "        signatory: Volodymyr Kravchenko\n"
             f"        terms_hash: '{digest}'\n")
    assert path.read_text(encoding="utf-8") == before + added  # the general agreement is the file's last
    assert run_cli("check", "--data", project_copy / "data").exit_code == 0


def test_changed_terms_after_signing_warn_at_the_event(project_copy: Path, run_cli, edit_file) -> None:
    data = project_copy / "data"
    assert run_cli("sign", "khnu-iia-2016", "--by", "home", "--date", "2024-05-02", "--data", data).exit_code == 0
    catalogs = Catalogs(project_copy / "templates/locale")
    assert not is_amendment_draft(load_project(data), catalogs, "khnu-iia-2016")
    edit_file(project_copy / KHNU, STAFF_ROW, STAFF_ROW.replace("people: 2", "people: 3"))
    assert is_amendment_draft(load_project(data), catalogs, "khnu-iia-2016")
    result = run_cli("check", "--data", data)
    lines = (project_copy / KHNU).read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "terms_hash:" in text)
    expected = (f"data/partners/khnu.yaml:{line}:21: agreements[0].status[3].terms_hash: warning: "
                "terms changed since signed on 2024-05-02: amendment or new signatures needed")
    assert expected in result.output.splitlines()


def test_every_agreement_document_names_its_terms_hash_in_the_footer(project_copy: Path, run_cli) -> None:
    """The footer of both formats prints the first 12 hex digits `docgen terms` shows; after a signed change the
    document says it is a draft of an amendment, dated with the signature it no longer matches."""
    from reading import pdf_text

    data, out = project_copy / "data", project_copy / "out"
    shown = run_cli("terms", "khnu-iia-2016", "--data", data).stdout.splitlines()[-1]
    short = shown.removeprefix("sha256: ")[:12]
    assert len(short) == 12
    assert run_cli("build", "--data", data, "--only", "khnu-iia-2016", "--out", out).exit_code == 0
    pdf, docx = (out / "khnu" / "khnu-iia-2016" / f"erasmus-iia.en.{ext}" for ext in ("pdf", "docx"))
    assert f"Terms {short}" in pdf_text(pdf)
    with zipfile.ZipFile(docx) as archive:
        footers = "".join(archive.read(n).decode() for n in archive.namelist() if n.startswith("word/footer"))
    assert f"Terms {short}" in footers
    assert "DRAFT OF AN AMENDMENT" not in pdf_text(pdf)
    assert run_cli("sign", "khnu-iia-2016", "--by", "home", "--date", "2024-05-02", "--data", data).exit_code == 0
    edit = project_copy / KHNU
    edit.write_text(edit.read_text(encoding="utf-8").replace(STAFF_ROW, STAFF_ROW.replace("people: 2", "people: 3"),
                                                              1), encoding="utf-8")
    assert run_cli("build", "--data", data, "--only", "khnu-iia-2016", "--out", out).exit_code == 0
    pdf_text.cache_clear()
    text = " ".join(pdf_text(pdf).split())
    assert "DRAFT OF AN AMENDMENT – the terms differ from those signed on 2 May 2024" in text
    assert f"Terms {short}" not in text  # the footer names the new terms


def test_a_short_hash_from_a_footer_counts_as_signed(project_copy: Path, edit_file) -> None:
    data = project_copy / "data"
    catalogs = Catalogs(project_copy / "templates/locale")
    short = short_hash(terms_hash(load_project(data), catalogs, "khnu-bilateral-2015"))
    edit_file(project_copy / KHNU, "        date: 2015-06-11\n        by: partner\n",
              f"        date: 2015-06-11\n        by: partner\n        terms_hash: '{short}'\n")
    assert not is_amendment_draft(load_project(data), catalogs, "khnu-bilateral-2015")


# ---------------------------------------------------------------- diff between revisions


def test_diff_reports_one_changed_mobility_number_and_exits_1(repo: Path, run_cli, edit_file) -> None:
    edit_file(repo / KHNU, STAFF_ROW, STAFF_ROW.replace("people: 2", "people: 3"))
    commit(repo, "3 incoming teachers")
    status_before = git(repo, "status", "--porcelain")
    result = run_cli("diff", "HEAD~1", "HEAD", "--data", repo / "data")
    assert result.exit_code == 1, result.output
    changes = [line.strip() for line in result.output.splitlines() if line.strip().startswith(("changed", "added",
                                                                                                 "removed"))]
    assert changes == ["changed mobility: Staff teaching, Khmelnytskyi → PL BYDGOSZ02, 061: 2 → 3 people, "
                       "10 days a year"]
    assert "agreement khnu-iia-2016: changed" in result.output
    assert "document changes: build/khnu/khnu-iia-2016/erasmus-iia.en.pdf" in result.output
    assert "signed version affected: signed by home on 2016-03-14" in result.output
    assert git(repo, "status", "--porcelain") == status_before  # working tree and index untouched
    as_json = json.loads(run_cli("diff", "HEAD~1", "HEAD", "--format", "json", "--data", repo / "data").output)
    [record] = [r for r in as_json["records"] if r["status"] != "unchanged"]
    assert record["record"] == "khnu-iia-2016" and record["old_hash"] != record["new_hash"]


def test_contact_only_change_is_not_terms(repo: Path, run_cli, edit_file) -> None:
    _, before = _terms(repo, "khnu-iia-2016")
    edit_file(repo / KHNU, "'+380 382 55 01 40'", "'+380 382 55 01 49'")
    commit(repo, "new phone")
    result = run_cli("diff", "HEAD~1", "--data", repo / "data")
    assert result.exit_code == 0, result.output
    assert "no terms changed" in result.output
    assert "institution khnu: institution.contacts[0].phone: +380 382 55 01 40 → +380 382 55 01 49" in result.output
    assert _terms(repo, "khnu-iia-2016")[1] == before


def test_po_change_of_a_clause_is_a_terms_change(repo: Path, run_cli, edit_file) -> None:
    edit_file(repo / "templates/locale/pl/bilateral.po", "nie wykluczają jej rozszerzenia o inne",
              "nie wykluczają jej poszerzenia o inne")
    commit(repo, "wording")
    result = run_cli("diff", "HEAD~1", "HEAD", "--data", repo / "data")
    assert result.exit_code == 1, result.output
    assert ("changed § 4 [pl]: Wymienione dziedziny i formy współpracy nie wykluczają jej [-rozszerzenia-] "
            "{+poszerzenia+} o inne.") in result.output
    md = run_cli("diff", "HEAD~1", "HEAD", "--format", "md", "--data", repo / "data").output
    assert "~~rozszerzenia~~ **poszerzenia**" in md


def test_diff_defaults_to_head_against_the_working_tree(repo: Path, run_cli, edit_file) -> None:
    assert run_cli("diff", "--data", repo / "data").exit_code == 0
    edit_file(repo / KHNU, "        months: 3\n", "        months: 6\n")  # the bilateral notice period
    result = run_cli("diff", "--data", repo / "data")
    assert result.exit_code == 1
    assert "changed notice: 3 months → 6 months" in result.output


def test_grant_change_shows_old_and_new_amount_per_line(repo: Path, run_cli, edit_file) -> None:
    edit_file(repo / "data/mobilities/2024-2025.yaml", "end: 2025-02-14", "end: 2025-03-14")
    result = run_cli("diff", "--data", repo / "data")
    assert "mobility 2024-ege-out-studies-1: changed" in result.output
    # 5 months → 6 months at 600.00 EUR a month (ka131-2024-pl, group 2 host country)
    assert ("changed grant: individual support (months): 3000.00 → 3600.00 EUR "
            "(600.00 EUR/month × 6 months = 3600.00 EUR)") in result.output
    assert "changed grant: total: 4559.00 → 5409.00 EUR" in result.output


def test_terms_at_a_revision(repo: Path, run_cli, edit_file) -> None:
    old = run_cli("terms", "khnu-iia-2016", "--data", repo / "data").output
    edit_file(repo / KHNU, STAFF_ROW, STAFF_ROW.replace("people: 2", "people: 3"))
    assert run_cli("terms", "khnu-iia-2016", "--rev", "HEAD", "--data", repo / "data").output == old
    assert run_cli("terms", "khnu-iia-2016", "--data", repo / "data").output != old
