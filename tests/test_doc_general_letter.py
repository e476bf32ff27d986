"""General cooperation agreement and cooperation letter: built from the sample data, read back as a reader sees them."""
from __future__ import annotations

import datetime as dt
import re
import shutil
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from babel.dates import format_date
from docx import Document
from reading import docx_text, pdf_text
from ruamel.yaml import YAML

from docgen.build.builder import Builder, Job
from docgen.documents.i18n import Catalogs, plural
from docgen.model.project import load_project

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "fixtures" / "sample"  # the sample project; never the office's data/
TEMPLATES = ROOT / "templates"
KINDS = ("general-cooperation", "cooperation-letter")


def _yaml(path: Path) -> dict:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def _agreement(partner: str, aid: str) -> dict:
    return next(a for a in _yaml(DATA / "partners" / f"{partner}.yaml")["agreements"] if a["id"] == aid)


def _institution(partner: str | None = None) -> dict:
    path = DATA / "institution.yaml" if partner is None else DATA / "partners" / f"{partner}.yaml"
    return _yaml(path)["institution"]


def squash(text: str) -> str:
    """Text without whitespace, hyphens (PDF hyphenation) or control characters, for line-break-proof matching."""
    return re.sub(r"[\s\-\u00ad\u2010\x00-\x1f]", "", text)


@pytest.fixture(scope="module")
def builder(tmp_path_factory: pytest.TempPathFactory) -> Builder:
    project = load_project(DATA)
    builder = Builder(project, TEMPLATES, tmp_path_factory.mktemp("docs"), ["pdf", "docx"])
    builder.kinds = {name: kind for name, kind in builder.kinds.items() if name in KINDS}  # only ours
    return builder


@pytest.fixture(scope="module")
def built(builder: Builder) -> dict[tuple[str, str], Path]:
    """(record id, format) → output file, for every record of the two kinds."""
    report = builder.run(builder.plan())
    assert not report.failed, [f.message for f in report.failed]
    return {(j.doc.record_id, j.fmt): j.output for j in report.written}


@pytest.fixture(scope="module")
def catalogs() -> Catalogs:
    return Catalogs(TEMPLATES / "locale")


def texts(built: dict[tuple[str, str], Path], record_id: str) -> dict[str, str]:
    return {"docx": docx_text(built[record_id, "docx"]), "pdf": pdf_text(built[record_id, "pdf"])}


def fold_markers(builder: Builder, partner: str, aid: str) -> bool:
    """Does the loaded agreement still hold ruamel's fold markers ('\\a') from folded (>-) YAML scalars?

    The loader passes them through; WeasyPrint then encodes the text font with a custom CMap that pypdf
    cannot decode, so the PDF's text cannot be checked with pypdf until the loader drops them.
    """
    agreement = builder.project.partners[partner].agreements[aid][0]
    return any("\a" in text for clause in agreement.terms.scope for text in clause.text.values())


def pdf_readable(builder: Builder, fmt: str, partner: str, aid: str) -> None:
    if fmt == "pdf" and fold_markers(builder, partner, aid):
        pytest.xfail("loader keeps '\\a' fold markers of folded YAML text: PDF text not readable by pypdf")


# ---------------------------------------------------------------- general cooperation agreement


def expected_paragraphs(scope: list[dict]) -> int:
    """How many § the agreement has: the fixed ones plus those its scope calls for."""
    def area(c: dict) -> str:
        return c.get("area", "general")

    special = ("yearly-programmes", "intellectual-property")
    listed = [c for c in scope if c["topic"] not in special and not (area(c) == "general" and c["topic"] == "other")]
    n = 1  # subject
    n += sum(1 for part in ("research", "teaching", "general") if any(area(c) == part for c in listed))
    n += 2 if any(c["topic"] == "yearly-programmes" for c in scope) else 0  # programmes, units
    n += 1 if any(c["topic"] == "intellectual-property" for c in scope) else 0
    return n + 4  # amendments, further activities, duration, copies


@pytest.mark.parametrize("partner,aid", [("khnu", "khnu-general-2016"), ("ege", "ege-general-2022")])
def test_general_agreement_content(builder, built, catalogs, partner: str, aid: str) -> None:
    agreement = _agreement(partner, aid)
    langs = agreement["languages"]
    home, other = _institution(), _institution(partner)
    terms = agreement["terms"]
    count = expected_paragraphs(terms["scope"])
    for fmt, text in texts(built, aid).items():
        pdf_readable(builder, fmt, partner, aid)
        flat = squash(text)
        for lang in langs:
            assert squash(catalogs.gettext(lang, "general.title")) in flat, (fmt, lang)
            assert squash(home["name"][lang]) in flat, (fmt, lang)
            assert squash(other["name"][lang]) in flat, (fmt, lang)
            for clause in terms["scope"]:
                wording = clause["text"][lang] if "text" in clause else \
                    catalogs.gettext(lang, f"scope.{clause['topic']}")
                if "text" not in clause and clause["topic"] in ("yearly-programmes", "intellectual-property"):
                    continue  # own paragraphs with the agreement's standard wording, checked below
                assert squash(wording.rstrip(";.")) in flat, (fmt, lang, clause["topic"])
        months = terms["notice"]["months"]
        assert f"{months} months" in re.sub(r"\s+", " ", text), fmt
        for n in range(1, count + 1):
            assert len(re.findall(rf"§ {n}(?!\d)", text)) == len(langs), (fmt, n)
        assert f"§ {count + 1}" not in text, fmt
        # Signatories and their signing dates, from the status events.
        for event in agreement["status"]:
            if event["status"] == "signed":
                assert squash(event["signatory"]) in flat, fmt
                assert squash(format_date(event["date"], "d MMMM y", locale=langs[0])) in flat, fmt


def test_general_agreement_standard_wording_when_data_has_none(built, catalogs) -> None:
    """Ege's scope gives yearly programmes and intellectual property without text: the catalog's wording shows."""
    for fmt, text in texts(built, "ege-general-2022").items():
        flat = squash(text)
        for lang in ("en", "tr"):
            for key in ("general.yearly", "general.yearly_financing", "general.units", "general.ip", "general.other"):
                assert squash(catalogs.gettext(lang, key)) in flat, (fmt, lang, key)


def test_general_agreement_khnu_term_and_copies(builder, built) -> None:
    terms = _agreement("khnu", "khnu-general-2016")["terms"]
    for fmt, text in texts(built, "khnu-general-2016").items():
        pdf_readable(builder, fmt, "khnu", "khnu-general-2016")
        flat = squash(text)
        assert squash(f"academic years {terms['first_year']} to {terms['last_year']}") in flat, fmt
        assert squash("Language of the Agreement: English.") in flat, fmt
        # The data's own 'other' clause replaces the standard further-activities paragraph.
        assert squash("does not prevent the parties") not in flat, fmt


def test_general_agreement_languages_side_by_side(built) -> None:
    """English and Turkish columns: every § stands on one line twice (same row), Turkish letters intact."""
    count = expected_paragraphs(_agreement("ege", "ege-general-2022")["terms"]["scope"])
    pdf = pdf_text(built["ege-general-2022", "pdf"])
    for n in range(1, count + 1):
        assert re.search(rf"^§ {n}\s+§ {n}$", pdf, re.M), n
    for char in "şğıİÜ":
        assert char in pdf, char
    assert "Ege Üniversitesi" in pdf and "Bilimsel ve Eğitsel İşbirliği" in pdf
    # DOCX: one table row per paragraph, one cell per language.
    doc = Document(str(built["ege-general-2022", "docx"]))
    rows = [[c.text for c in row.cells] for table in doc.tables for row in table.rows]
    for n in range(1, count + 1):
        assert [f"§ {n}", f"§ {n}"] in rows, n
    title = next(r for r in rows if r[0].startswith("Agreement on scientific"))
    assert title[1].startswith("Bilimsel ve Eğitsel İşbirliği Anlaşması\n")  # the title heads the parties cell, as in the PDF
    notice = next(r for r in rows if "notice" in r[0])
    assert "6 months' notice" in notice[0] and "6 ay önceden" in notice[1]


# ---------------------------------------------------------------- cooperation letter


def mobilities_from_yaml() -> list[dict]:
    found: list[dict] = []
    for path in sorted((DATA / "mobilities").glob("*.yaml")):
        found += [dict(m, _file=path) for m in _yaml(path)["mobilities"]]
    return found


def pl_genitive(n: int, one: str, more: str) -> str:
    """Polish noun after 'przyjazd/wyjazd N …': genitive singular for exactly one, genitive plural otherwise."""
    return one if n == 1 else more


def test_letter_records(builder) -> None:
    mobilities = mobilities_from_yaml()
    partners = sorted({m["partner"] for m in mobilities})
    records = {r.record_id: r for r in builder.documents() if r.kind == "cooperation-letter"}
    assert sorted(records) == [f"{p}-letter" for p in partners]
    khnu = records["khnu-letter"]
    assert khnu.langs == ("pl",)  # bilateral agreement printed in Polish and Ukrainian
    assert records["ege-letter"].langs == ("en",) and records["tud-letter"].langs == ("en",)
    files = {m["_file"] for m in mobilities if m["partner"] == "khnu"}
    assert set(khnu.data_files) == {DATA / "institution.yaml", DATA / "partners" / "khnu.yaml", *files}
    ends = [(m.get("actual") or m["planned"])["end"] for m in mobilities if m["partner"] == "khnu"]
    signed = [m["signed"] for m in mobilities if m["partner"] == "khnu" and "signed" in m]
    assert khnu.date == (max(ends + signed) + dt.timedelta(days=1)).isoformat()


def test_khnu_letter_counts_per_year(built) -> None:
    home, partner = _institution(), _institution("khnu")
    counts = Counter((m["academic_year"], m["direction"], m["participant"]["category"])
                     for m in mobilities_from_yaml() if m["partner"] == "khnu")
    assert counts, "sample data has KHNU mobilities"
    h, p = home["short_name"], partner["short_name"]
    expected: list[str] = []
    for (year, direction, category), n in sorted(counts.items()):
        noun = pl_genitive(n, "studenta", "studentów") if category == "student" else \
            pl_genitive(n, "pracownika", "pracowników")
        route = f"z {p} do {h}" if direction == "incoming" else f"z {h} do {p}"
        expected.append(f"{'przyjazd' if direction == 'incoming' else 'wyjazd'} {n} {noun} {route}")
    ends = [(m.get("actual") or m["planned"])["end"] for m in mobilities_from_yaml() if m["partner"] == "khnu"]
    signed = [m["signed"] for m in mobilities_from_yaml() if m["partner"] == "khnu" and "signed" in m]
    dated = format_date(max(ends + signed) + dt.timedelta(days=1), "d MMMM y", locale="pl")
    rep = partner["legal_representative"]
    for fmt, text in texts(built, "khnu-letter").items():
        line = re.sub(r"\s+", " ", text)
        for year in {y for y, _, _ in counts}:
            assert f"W roku akademickim {year} zrealizowano:" in line, (fmt, year)
        for phrase in expected:
            assert phrase in line, (fmt, phrase)
        # Only the kinds of mobility that happened are listed: four lines for four non-zero counts.
        assert len(re.findall(r"(?:przyjazd|wyjazd) \d+ ", line)) == len(expected), fmt
        assert f"Bydgoszcz, {dated}" in line, fmt
        assert f"{rep['title']} {rep['name']}" in line and "Chmielnicki Uniwersytet Narodowy" in line, fmt
        signer = home["legal_representative"]
        assert f"{signer['title']} {signer['name']}" in line, fmt
        assert home["office"]["pl"] in line and home["contacts"][0]["phone"] in line, fmt
        assert "Magnificencjo," in line and "Z wyrazami szacunku" in line, fmt


def test_ege_letter_in_english_with_singular_and_plural(built) -> None:
    counts = Counter((m["direction"], m["participant"]["category"])
                     for m in mobilities_from_yaml() if m["partner"] == "ege")
    for fmt, text in texts(built, "ege-letter").items():
        line = re.sub(r"\s+", " ", text)
        n = counts["outgoing", "student"]
        assert f"{n} student{'s' if n != 1 else ''} from UTP went to EÜ" in line, fmt
        n = counts["incoming", "staff"]
        assert f"{n} staff member{'s' if n != 1 else ''} from EÜ came to UTP" in line, fmt
        assert "Dear Rector," in line, fmt


@pytest.mark.parametrize("lang,n,form", [
    ("pl", 1, "studenta"), ("pl", 2, "studentów"), ("pl", 5, "studentów"), ("pl", 22, "studentów"),
    ("uk", 1, "студента"), ("uk", 21, "студента"), ("uk", 3, "студентів"), ("uk", 11, "студентів"),
    ("en", 1, "student from"), ("en", 2, "students from"),
])
def test_letter_plural_forms(catalogs, lang: str, n: int, form: str) -> None:
    text = catalogs.gettext(lang, f"letter.in_students.{plural(lang, n)}", n=n, home="UTP", partner="KhNU")
    assert f"{n} {form}" in text


@pytest.mark.parametrize("lang,n,form", [
    ("pl", 1, "1 miesiąc."), ("pl", 3, "3 miesiące."), ("pl", 6, "6 miesięcy."), ("pl", 22, "22 miesiące."),
    ("uk", 1, "1 місяць."), ("uk", 21, "21 місяць."), ("uk", 2, "2 місяці."), ("uk", 6, "6 місяців."),
    ("en", 1, "1 month's notice"), ("en", 6, "6 months' notice"), ("tr", 6, "6 ay önceden"),
])
def test_notice_plural_forms(catalogs, lang: str, n: int, form: str) -> None:
    assert form in catalogs.gettext(lang, f"general.notice_months.{plural(lang, n)}", n=n)


@pytest.mark.parametrize("lang", ["pl", "en", "uk", "tr"])
def test_letter_renders_in_every_language(builder, lang: str) -> None:
    """Every catalog is complete for the letter: the KHNU letter renders in each shipped language."""
    record = next(r for r in builder.documents() if r.record_id == "khnu-letter")
    record = replace(record, langs=(lang,))
    job = Job(record, "docx", Path("unused.docx"), ())
    out = builder.out_dir / f"letter-{lang}.docx"
    out.write_bytes(builder.render(job))
    text = docx_text(out)
    assert "2018/2019" in text and _institution("khnu")["name"][lang] in text


def test_general_agreement_numbering_without_optional_paragraphs(tmp_path: Path) -> None:
    """Without research clauses, with an open end and notice in academic years, § numbers stay consecutive."""
    shutil.copytree(DATA, tmp_path / "data")
    path = tmp_path / "data" / "partners" / "ege.yaml"
    head, tail = path.read_text(encoding="utf-8").split("- id: ege-general-2022")
    research = "".join(f"        - topic: {t}\n          area: research\n"
                       for t in ("joint-research", "conferences", "publications"))
    assert research in tail and "      last_year: 2026/2027\n" in tail and "        months: 6\n" in tail
    tail = tail.replace(research, "").replace("      last_year: 2026/2027\n", "")
    tail = tail.replace("        months: 6\n", "        academic_years: 1\n")
    path.write_text(head + "- id: ege-general-2022" + tail, encoding="utf-8")
    project = load_project(tmp_path / "data")
    assert not project.errors, project.errors
    builder = Builder(project, TEMPLATES, tmp_path / "out", ["pdf", "docx"])
    builder.kinds = {"general-cooperation": builder.kinds["general-cooperation"]}
    report = builder.run(builder.plan(only="ege-general-2022"))
    assert not report.failed, [f.message for f in report.failed]
    scope = [c for c in _agreement("ege", "ege-general-2022")["terms"]["scope"] if c.get("area") != "research"]
    count = expected_paragraphs(scope)
    assert count == 9
    for job in report.written:
        text = pdf_text(job.output) if job.fmt == "pdf" else docx_text(job.output)
        numbers = [int(n) for n in re.findall(r"§ (\d+)", text)]
        assert numbers == [n for n in range(1, count + 1) for _ in range(2)], job.fmt
        flat = squash(text)
        assert squash("concluded for an indefinite period.") in flat, job.fmt
        assert squash("1 academic year's notice") in flat and squash("1 akademik yıl önceden") in flat, job.fmt
        assert squash("In scientific research") not in flat, job.fmt
