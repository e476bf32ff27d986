"""Erasmus+ inter-institutional agreement: built from the sample data, read back as a reader sees it."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from babel.dates import format_date
from docx import Document
from reading import docx_text, pdf_text, squash

from docgen.build.builder import Builder
from docgen.documents.erasmus_iia import context, mobility_tables
from docgen.documents.i18n import plural
from docgen.model.models import STUDENT_TYPES, Agreement, Institution
from docgen.model.project import Project, load_project

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "fixtures" / "sample"  # the sample project; never the office's data/
TEMPLATES = ROOT / "templates"
KIND = "erasmus-iia"
IIAS = {"khnu": "khnu-iia-2016", "ege": "ege-iia-2021", "tud": "tud-iia-2021"}


# ---------------------------------------------------------------- helpers


def docx_tables(path: Path) -> list[list[list[str]]]:
    """Every table of the document: rows of cell texts (a cell's paragraphs joined by newlines)."""
    return [[["\n".join(p.text for p in cell.paragraphs) for cell in row.cells] for row in table.rows]
            for table in Document(str(path)).tables]


def has_fold_markers(project: Project) -> bool:
    """Would ruamel's fold markers ('\\a') of folded (>-) YAML text reach the document? (boxes in PDF, breaks in DOCX)"""
    return any("\a" in text for partner in project.partners.values() for agreement, _ in partner.agreements.values()
               for req in agreement.terms.additional_requirements for text in req.values())


def subject_name(project: Project, code: str, lang: str) -> str:
    return project.isced[code].name[lang]


def student_label(people: int, months: Decimal) -> str:
    unit = "month" if months == 1 else "months"
    return f"{people} ({months} {unit})"


def staff_label(people: int, days: int) -> str:
    each = days // people
    return f"{people} × {each} {'day' if each == 1 else 'days'}"


def en_day_month(month_day: str) -> str:
    month, day = map(int, month_day.split("-"))
    return format_date(dt.date(2000, month, day), "d MMMM", locale="en")


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def project() -> Project:
    return load_project(DATA)


@pytest.fixture(scope="module")
def built(project: Project, tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """(partner id, format) → the IIA built from the sample data."""
    builder = Builder(project, TEMPLATES, tmp_path_factory.mktemp("iia"), ["pdf", "docx"])
    report = builder.run([j for aid in IIAS.values() for j in builder.plan(aid) if j.doc.kind == KIND])
    assert not report.failed, [f.message for f in report.failed]
    return {(j.doc.partner_id, j.fmt): j.output for j in report.written}


@pytest.fixture(scope="module")
def texts(built: dict[tuple[str, str], Path]) -> dict[tuple[str, str], str]:
    return {(pid, fmt): pdf_text(path) if fmt == "pdf" else docx_text(path) for (pid, fmt), path in built.items()}


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The KHNU IIA printed in Polish and Ukrainian side by side: format → text."""
    project = load_project(DATA)
    partner = project.partners["khnu"]
    agreement, where = partner.agreements[IIAS["khnu"]]
    partner.agreements[IIAS["khnu"]] = (agreement.model_copy(update={"languages": ["pl", "uk"]}), where)
    builder = Builder(project, TEMPLATES, tmp_path_factory.mktemp("iia-pair"), ["pdf", "docx"])
    jobs = [j for j in builder.plan(IIAS["khnu"]) if j.doc.kind == KIND]
    report = builder.run(jobs)
    assert not report.failed, [f.message for f in report.failed]
    assert {j.output.name for j in report.written} == {"erasmus-iia.pl-uk.pdf", "erasmus-iia.pl-uk.docx"}
    return {j.fmt: pdf_text(j.output) if j.fmt == "pdf" else docx_text(j.output) for j in report.written}


def iia(project: Project, pid: str) -> tuple[Agreement, Institution, Institution]:
    home = project.home
    assert home is not None
    return project.partners[pid].agreements[IIAS[pid]][0], home, project.partners[pid].institution


FORMATS = ("pdf", "docx")


# ---------------------------------------------------------------- the KHNU agreement (KA107, English)


def test_requirements_read_as_plain_text(project: Project) -> None:
    assert not has_fold_markers(project)


def test_one_document_per_iia(built: dict[tuple[str, str], Path]) -> None:
    assert set(built) == {(pid, fmt) for pid in IIAS for fmt in FORMATS}
    assert all(path.name == f"erasmus-iia.en.{path.suffix[1:]}" for path in built.values())


@pytest.mark.parametrize("fmt", FORMATS)
def test_khnu_subjects_and_figures(project: Project, texts, fmt: str) -> None:
    agreement, home, partner = iia(project, "khnu")
    text = squash(texts["khnu", fmt])
    for condition in agreement.terms.mobilities:
        for subject in condition.subjects:
            assert squash(subject.code) in text
            assert squash(subject_name(project, subject.code, "en")) in text
    studies = [c for c in agreement.terms.mobilities if c.type == "student-studies"]
    staff = [c for c in agreement.terms.mobilities if c.type not in STUDENT_TYPES]
    # Each mobility condition is one figure in the tables: 12 study rows, 24 staff cells.
    for label in {student_label(c.people, c.months) for c in studies}:
        assert text.count(squash(label)) == sum(student_label(c.people, c.months) == label for c in studies)
    for label in {staff_label(c.people, c.days) for c in staff}:
        assert text.count(squash(label)) == sum(staff_label(c.people, c.days) == label for c in staff)
    assert squash("2 (10 months)") in text and squash("2 × 5 days") in text
    assert home.erasmus_code and squash(home.erasmus_code) in text
    assert partner.erasmus_code is None and squash(partner.city["en"]) in text


def test_khnu_mobility_tables_have_every_seed_row(project: Project, built) -> None:
    """Six subject rows each way for students and for staff; 051 and 052 share one row."""
    agreement, home, partner = iia(project, "khnu")
    tables = docx_tables(built["khnu", "docx"])
    students = next(t for t in tables if "Study cycle" in t[0])
    staff = next(t for t in tables if "Staff mobility for teaching" in t[0])
    for table, types in ((students, STUDENT_TYPES), (staff, ("staff-teaching", "staff-training"))):
        rows = table[1:]
        for direction, (sender, receiver) in (("outgoing", (home, partner)), ("incoming", (partner, home))):
            subject_sets = []
            for c in agreement.terms.mobilities:
                codes = "\n".join(s.code for s in c.subjects)
                if c.direction == direction and c.type in types and codes not in subject_sets:
                    subject_sets.append(codes)
            mine = rows[:len(subject_sets)] if direction == "outgoing" else rows[len(rows) - len(subject_sets):]
            assert [r[2] for r in mine] == subject_sets
            assert len(subject_sets) == 6
            assert mine[0][0] == (sender.erasmus_code or sender.city["en"])
            assert mine[0][1] == (receiver.erasmus_code or receiver.city["en"])
            assert all(r[0] == r[1] == "" for r in mine[1:])
        assert len(rows) == 12
        both = next(r for r in rows if r[2] == "051\n052")
        assert both[3] == f"{subject_name(project, '051', 'en')}\n{subject_name(project, '052', 'en')}"
    # Cycles follow the EQF levels: 041 is offered for 1st and 2nd cycle only.
    assert next(r for r in students[1:] if r[2] == "041")[4] == "1st, 2nd"
    assert next(r for r in students[1:] if r[2] == "061")[4] == "1st, 2nd, 3rd"


@pytest.mark.parametrize("fmt", FORMATS)
def test_khnu_languages_calendar_and_notice(project: Project, texts, fmt: str) -> None:
    agreement, _, _ = iia(project, "khnu")
    text = squash(texts["khnu", fmt])
    for skill in agreement.terms.language_skills:
        for level in skill.levels.values():
            assert level in text
    assert "B1" in text and "B2" in text
    assert squash("Polish") in text and squash("Ukrainian") in text
    calendar = agreement.terms.calendar
    assert calendar is not None
    for deadline in calendar.nominations:
        assert squash(en_day_month(deadline.autumn)) in text
        assert squash(en_day_month(deadline.spring)) in text
    assert squash("30 June") in text and squash("30 November") in text
    assert squash(f"decision within {calendar.decision_weeks} weeks") in text
    assert squash(f"no later than {calendar.transcript_weeks} weeks after") in text
    assert agreement.terms.notice and agreement.terms.notice.academic_years == 1
    assert squash("at least 1 academic year in advance") in text
    assert squash("European Commission") in text and squash("National Agency") in text
    for req in agreement.terms.additional_requirements:
        assert squash(req["en"]) in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_khnu_institutions_contacts_grading_signatures(project: Project, texts, fmt: str) -> None:
    agreement, home, partner = iia(project, "khnu")
    text = squash(texts["khnu", fmt])
    for inst, side in ((home, "home"), (partner, "partner")):
        assert squash(inst.name["en"]) in text
        assert squash(inst.website) in text
        coordinator = inst.contact("institutional-coordinator")
        assert coordinator is not None
        assert squash(coordinator.name) in text and squash(coordinator.email) in text
        assert coordinator.phone and squash(coordinator.phone) in text
        for role in ("visa", "insurance", "housing"):
            contact = inst.contact(role) or coordinator
            assert squash(contact.email) in text
            assert squash(contact.website or inst.website) in text
        assert inst.grading
        for grade in inst.grading:
            assert squash(f"{grade.local}{grade.ects}") in text
            assert squash(grade.definition["en"]) in text
        signed = agreement.signed_by(side)
        assert signed is not None and signed.signatory
        assert squash(signed.signatory) in text
        assert squash(format_date(signed.date, "d MMMM y", locale="en")) in text
    for grade in home.grading:
        if grade.percent is not None:
            assert squash(f"{grade.local}{grade.ects}{grade.percent}") in text


def test_khnu_grading_rows_in_docx(project: Project, built) -> None:
    _, home, partner = iia(project, "khnu")
    tables = docx_tables(built["khnu", "docx"])
    grading = [t for t in tables if t[0][:2] == ["Local grade", "ECTS grade"]]
    assert len(grading) == 2
    for table, inst in zip(grading, (home, partner)):
        assert [r[:2] for r in table[1:]] == [[g.local, g.ects] for g in inst.grading]
        assert [r[3] for r in table[1:]] == [g.definition["en"] for g in inst.grading]


# ---------------------------------------------------------------- KA131 partners


@pytest.mark.parametrize("pid", ["ege", "tud"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_ka131_four_digit_codes(project: Project, texts, pid: str, fmt: str) -> None:
    agreement, home, partner = iia(project, pid)
    assert agreement.terms.action == "KA131"
    text = squash(texts[pid, fmt])
    codes = {s.code for c in agreement.terms.mobilities for s in c.subjects}
    assert codes and all(len(code) == 4 for code in codes)
    for code in codes:
        assert code in text
        assert squash(subject_name(project, code, "en")) in text
    assert partner.erasmus_code and squash(partner.erasmus_code) in text
    assert squash("KA131") in text
    for c in agreement.terms.mobilities:
        label = student_label(c.people, c.months) if c.type in STUDENT_TYPES else staff_label(c.people, c.days)
        assert squash(label) in text
    calendar = agreement.terms.calendar
    assert calendar is not None
    for deadline in calendar.nominations:
        assert squash(en_day_month(deadline.autumn)) in text


def test_tud_traineeship_column_and_erasmus_code_spacing(project: Project, built) -> None:
    """A traineeship adds its column; the Erasmus code keeps its padding spaces."""
    agreement, _, partner = iia(project, "tud")
    students = next(t for t in docx_tables(built["tud", "docx"]) if "Study cycle" in t[0])
    assert students[0][-1] == "Student mobility for traineeships"
    trainee = next(c for c in agreement.terms.mobilities if c.type == "student-traineeship")
    row = next(r for r in students[1:] if r[2] == trainee.subjects[0].code)
    assert row[-1] == student_label(trainee.people, trainee.months) and row[-2] == "–"
    assert partner.erasmus_code == "D  DRESDEN01"
    assert students[1][1] == partner.erasmus_code


def test_ege_subject_specific_language_row(project: Project, built) -> None:
    agreement, _, _ = iia(project, "ege")
    skills = next(t for t in docx_tables(built["ege", "docx"]) if t[0][0] == "Receiving institution"
                  and "Main language of instruction" in t[0])
    special = next(s for s in agreement.terms.language_skills if s.subject)
    row = next(r for r in skills[1:] if r[1].startswith(special.subject))
    assert subject_name(project, special.subject, "en") in row[1]
    assert row[2] == "English" and row[3] == "–"


def test_khnu_keeps_ka131_principles_apart(texts) -> None:
    """A partner without an Erasmus code takes the partner-country commitments; KA131 partners share them."""
    assert "partner country of Erasmus+ undertakes to" in texts["khnu", "docx"]
    assert "each institution undertakes to" in texts["ege", "docx"]


# ---------------------------------------------------------------- two languages side by side


@pytest.mark.parametrize("fmt", FORMATS)
def test_pair_polish_and_ukrainian(project: Project, pair: dict[str, str], fmt: str) -> None:
    agreement, home, partner = iia(project, "khnu")
    text = squash(pair[fmt])
    assert squash("Umowa międzyinstytucjonalna Erasmus+") in text
    assert squash("Міжінституційна угода Еразмус+") in text
    assert squash("Dziedzina / Галузь") in text
    for lang in ("pl", "uk"):
        assert squash(home.name[lang]) in text and squash(partner.name[lang]) in text
        for c in agreement.terms.mobilities:
            for s in c.subjects:
                assert squash(subject_name(project, s.code, lang)) in text
        for req in agreement.terms.additional_requirements:
            assert squash(req[lang]) in text
        for grade in partner.grading:
            assert squash(grade.definition[lang]) in text
    # Plural forms follow the numbers in the data: 10 months, 5 days, 3 weeks.
    assert squash("2 (10 miesięcy) / 2 (10 місяців)") in text
    assert squash("2 × 5 dni / 2 × 5 днів") in text
    calendar = agreement.terms.calendar
    assert calendar is not None and calendar.decision_weeks == 3
    assert squash("w ciągu 3 tygodni") in text and squash("протягом 3 тижнів") in text
    assert squash("30 czerwca / 30 червня") in text and squash("30 listopada / 30 листопада") in text
    assert squash(partner.city["pl"] + " / " + partner.city["uk"]) in text
    assert squash("Ukraina / Україна") in text


# ---------------------------------------------------------------- context


def test_context_groups_rows_by_direction(project: Project) -> None:
    agreement, home, partner = iia(project, "khnu")
    tables = mobility_tables(agreement, project, {"home": "H", "partner": "P"})
    rows = tables["student_rows"]
    assert [r["direction"] for r in rows] == ["outgoing"] * 6 + ["incoming"] * 6
    assert [r["first"] for r in rows] == [True] + [False] * 5 + [True] + [False] * 5
    assert (rows[0]["from"], rows[0]["to"], rows[6]["from"], rows[6]["to"]) == ("H", "P", "P", "H")
    assert tables["traineeships"] is False
    staff = tables["staff_rows"][0]["cells"]
    assert staff["staff-teaching"] == {"people": 2, "months": None, "days": 10, "each": 5}
    assert staff["staff-training"] == {"people": 2, "months": None, "days": 10, "each": 5}


def test_plural_forms() -> None:
    assert [plural("pl", n) for n in (1, 3, 5, 22, Decimal("2.5"))] == ["one", "few", "many", "few", "other"]
    assert [plural("uk", n) for n in (1, 3, 10)] == ["one", "few", "many"]
    assert [plural("en", n) for n in (1, 10)] == ["one", "other"]


def test_signatory_function_from_contact(project: Project) -> None:
    """A coordinator who signs signs as coordinator, not with the rector's function."""
    from docgen.documents import kinds

    record = next(r for r in kinds()[KIND].records(project) if r.partner_id == "ege")
    ctx = context(project, record)
    home_sig = ctx["signatures"][0]
    coordinator = project.home.contact("institutional-coordinator") if project.home else None
    assert coordinator is not None and home_sig["name"] == coordinator.name
    assert home_sig["function"] == coordinator.position


# ---------------------------------------------------------------- programme wording and legal names


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
@pytest.mark.parametrize("pid", ["ege", "tud"])
def test_ka131_agreement_speaks_of_member_states_not_programme_countries(texts, pid: str, fmt: str) -> None:
    text = squash(texts[pid, fmt])
    assert squash("between EU Member States and third countries associated to the Programme (KA131)") in text
    assert squash("located in an EU Member State or a third country associated to the Programme holds") in text
    assert "programmecountr" not in text.lower()


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_ka107_agreement_keeps_the_wording_of_its_programme(texts, fmt: str) -> None:
    text = squash(texts["khnu", fmt])
    assert squash("higher education mobility between programme and partner countries (KA107)") in text
    assert squash("An institution located in a partner country of Erasmus+ undertakes to:") in text


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
@pytest.mark.parametrize("pid", ["khnu", "ege", "tud"])
def test_each_institution_is_named_in_its_own_language_beside_english(project: Project, texts, pid: str,
                                                                     fmt: str) -> None:
    """An English IIA names the Polish home institution and the partner in their own languages too
    (in section A and at the signatures): Polish for PL, Ukrainian for UA, Turkish for TR, German for DE."""
    own = {"PL": "pl", "UA": "uk", "TR": "tr", "DE": "de"}
    text = texts[pid, fmt]
    for inst in (project.home, project.partners[pid].institution):
        assert inst is not None
        native = inst.name.get(own[inst.country])
        if native is None:
            continue  # the data has no own-language name to print
        assert squash(text).count(squash(native)) >= 2, (inst.id, native)
        assert squash(inst.name["en"]) in squash(text)
