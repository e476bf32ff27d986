"""Mobility documents (staff mobility agreement, learning agreement, confirmation of stay) as a reader sees them."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from babel.dates import format_date
from babel.numbers import format_decimal
from reading import read, squash
from ruamel.yaml import YAML

from docgen.build.builder import Builder, Job
from docgen.documents.i18n import Catalogs
from docgen.model.models import Period
from docgen.model.project import Project, load_project

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "fixtures" / "sample"  # the sample project; never the office's data/
TEMPLATES = ROOT / "templates"
KINDS = ("staff-mobility-agreement", "learning-agreement", "confirmation-of-stay")
STAFF = ("staff-teaching", "staff-training")
STUDENT = ("student-studies", "student-traineeship")

TRAINING = "2018-khnu-in-training-1"  # the seed's incoming training visit, 1–5 October 2018
TEACHING = ("2024-tud-in-teaching-1",)  # incoming teaching: its confirmation is built too
STUDENTS = ("2018-khnu-in-studies-1", "2024-tud-out-studies-1", "2024-tud-out-traineeship-1")
# The records this module builds (every kind's planning is checked over all mobilities, without building).
BUILD = {
    "staff-mobility-agreement": {TRAINING, *TEACHING},
    "learning-agreement": set(STUDENTS),
    "confirmation-of-stay": {TRAINING, "2024-tud-in-teaching-1"},
}

CATALOGS = Catalogs(TEMPLATES / "locale")


def t(lang: str, key: str, **values: Any) -> str:
    return CATALOGS.gettext(lang, key, **values)


def _yaml(path: Path) -> Any:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def _mobilities() -> dict[str, dict]:
    out: dict[str, dict] = {}
    for path in sorted((DATA / "mobilities").glob("*.yaml")):
        for m in _yaml(path)["mobilities"]:
            out[m["id"]] = m
    return out


MOBILITIES = _mobilities()


def _institution(partner: str | None = None) -> dict:
    path = DATA / "institution.yaml" if partner is None else DATA / "partners" / f"{partner}.yaml"
    return _yaml(path)["institution"]


def _contact(institution: dict, role: str) -> dict:
    return next(c for c in institution["contacts"] if c["role"] == role)


def _date(value: dt.date | str) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


@pytest.fixture(scope="module")
def project() -> Project:
    return load_project(DATA)


@pytest.fixture(scope="module")
def builder(project: Project, tmp_path_factory: pytest.TempPathFactory) -> Builder:
    return _mine(Builder(project, TEMPLATES, tmp_path_factory.mktemp("mobility-docs"), ["pdf", "docx"]))


def _mine(builder: Builder) -> Builder:
    """The builder narrowed to this module's kinds (other kinds' templates are not this test's concern)."""
    assert set(KINDS) <= set(builder.kinds)
    builder.kinds = {name: kind for name, kind in builder.kinds.items() if name in KINDS}
    return builder


@pytest.fixture(scope="module")
def jobs(builder: Builder) -> list[Job]:
    return [j for j in builder.plan() if j.doc.kind in KINDS]


@pytest.fixture(scope="module")
def built(builder: Builder, jobs: list[Job]) -> dict[tuple[str, str, str], Path]:
    """(kind, mobility id, format) → output file, for the records in BUILD."""
    chosen = [j for j in jobs if j.doc.record_id in BUILD[j.doc.kind]]
    report = builder.run(chosen)
    assert not report.failed, [f.message for f in report.failed]
    return {(j.doc.kind, j.doc.record_id, j.fmt): j.output for j in report.written}


def texts(built: dict[tuple[str, str, str], Path], kind: str, mid: str) -> list[str]:
    """The squashed text of the PDF and of the DOCX of one record."""
    return [squash(read(built[(kind, mid, fmt)])) for fmt in ("pdf", "docx")]


# ---------------------------------------------------------------- planning


def test_each_kind_is_planned_for_the_right_mobilities(jobs: list[Job]) -> None:
    planned = {kind: {j.doc.record_id for j in jobs if j.doc.kind == kind} for kind in KINDS}
    assert planned["staff-mobility-agreement"] == {mid for mid, m in MOBILITIES.items() if m["type"] in STAFF}
    assert planned["learning-agreement"] == {mid for mid, m in MOBILITIES.items() if m["type"] in STUDENT}
    assert planned["confirmation-of-stay"] == {mid for mid, m in MOBILITIES.items() if m["direction"] == "incoming"}
    # every record in both formats
    for kind in KINDS:
        assert sorted(j.fmt for j in jobs if j.doc.kind == kind) == sorted(["pdf", "docx"] * len(planned[kind]))


def test_records_say_where_they_go_what_they_read_and_their_languages(jobs: list[Job]) -> None:
    for job in jobs:
        m = MOBILITIES[job.doc.record_id]
        record = job.doc
        assert record.partner_id == m["partner"]
        assert record.out_dir == Path("mobilities") / m["academic_year"].replace("/", "-") / m["id"]
        assert record.langs == (("pl", "en") if record.kind == "confirmation-of-stay" else ("en",))
        names = {p.name for p in record.data_files}
        assert {"institution.yaml", "isced.yaml", f"{m['partner']}.yaml",
                f"{m['funding']['call']}.yaml"} <= names
        assert any(p.parent.name == "mobilities" for p in record.data_files)
        # agreements are dated the day they are signed; the confirmation the day the stay ends
        stay_end = (m.get("actual") or m["planned"])["end"]
        expected = _date(stay_end) if record.kind == "confirmation-of-stay" else _date(m["signed"])
        assert record.date == expected.isoformat()


# ---------------------------------------------------------------- staff mobility agreement


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_staff_agreement_of_the_training_visit(built: dict, fmt: str) -> None:
    m = MOBILITIES[TRAINING]
    text = squash(read(built[("staff-mobility-agreement", TRAINING, fmt)]))
    start, end = _date(m["planned"]["start"]), _date(m["planned"]["end"])
    days = (end - start).days + 1
    assert days == 5
    assert squash(t("en", "staff_agreement.title")) in text
    assert squash(t("en", "mobility.type.staff-training")).lower() in text.lower()
    assert squash(f"{t('en', 'mobility.from')} {format_date(start, 'd MMMM y', locale='en')}") in text
    assert squash(f"{t('en', 'mobility.till')} {format_date(end, 'd MMMM y', locale='en')}") in text
    assert squash(f"{t('en', 'mobility.days')} {days}") in text
    p = m["participant"]
    assert squash(f"{t('en', 'mobility.last_name')} {p['last_name']}") in text
    assert squash(f"{t('en', 'mobility.first_name')} {p['first_name']}") in text
    assert squash(p["email"]) in text
    assert squash(t("en", f"mobility.seniority.{p['seniority']}")) in text
    # incoming: the partner sends, the home institution receives
    partner, home = _institution(m["partner"]), _institution()
    sending_at = text.index(squash(t("en", "mobility.sending")))
    receiving_at = text.index(squash(t("en", "mobility.receiving")))
    assert sending_at < text.index(squash(partner["name"]["en"])) < receiving_at
    assert receiving_at < text.index(squash(home["name"]["en"]))
    assert squash(home["erasmus_code"]) in text
    assert squash(_contact(partner, "outgoing")["name"]) in text
    assert squash(_contact(home, "incoming")["name"]) in text
    assert squash(t("en", "mobility.language_level", language="Polish", level=m["language"]["level"])) in text
    for section in ("objectives", "added_value", "activities", "outcomes"):
        for item in m["programme"][section]:
            assert squash(item) in text, (section, item)
    assert squash(t("en", "staff_agreement.commit_changes")) in text
    # three signatures: the staff member, the sender's head, the receiver's coordinator; dated when signed
    assert squash(partner["legal_representative"]["name"]) in text
    assert squash(_contact(home, "institutional-coordinator")["name"]) in text
    signed = format_date(_date(m["signed"]), "d MMMM y", locale="en")
    assert text.count(squash(f"{t('en', 'mobility.date')}: {signed}")) == 3
    assert squash(t("en", "mobility.teaching_hours")) not in text


@pytest.mark.parametrize("mid", TEACHING)
def test_teaching_agreement_states_its_teaching_hours(built: dict, mid: str) -> None:
    m = MOBILITIES[mid]
    hours = m["teaching_hours"]
    rates = _yaml(DATA / "rates" / f"{m['funding']['call']}.yaml")
    minimum = rates["limits"]["staff-teaching"]["teaching_hours"]["min"]
    assert hours >= minimum
    for text in texts(built, "staff-mobility-agreement", mid):
        assert squash(t("en", "mobility.type.staff-teaching")).lower() in text.lower()
        assert squash(f"{t('en', 'mobility.teaching_hours')} "
                      f"{t('en', 'staff_agreement.hours_value', hours=hours, min=minimum)}") in text
        assert squash(t("en", "staff_agreement.activities.staff-teaching")) in text
        for item in m["programme"]["activities"]:
            assert squash(item) in text


def test_staff_agreement_lays_out_a_pair_of_languages(project: Project, builder: Builder,
                                                        jobs: list[Job], tmp_path: Path) -> None:
    """The form is English, but the template prints every label in each of two languages."""
    for job in (j for j in jobs if j.doc.kind == "staff-mobility-agreement" and j.doc.record_id == TRAINING):
        record = replace(job.doc, langs=("pl", "en"))
        pair = replace(job, doc=record, output=tmp_path / f"{record.stem()}.{job.fmt}")
        report = builder.run([pair])
        assert not report.failed, [f.message for f in report.failed]
        text = squash(read(pair.output))
        assert squash(f"{t('pl', 'staff_agreement.title')} / {t('en', 'staff_agreement.title')}") in text
        assert squash("1 października 2018 / 1 October 2018") in text
        assert squash(t("pl", "staff_agreement.commit_recognise")) in text
        assert squash(MOBILITIES[TRAINING]["participant"]["position"]["pl"]) in text


# ---------------------------------------------------------------- learning agreement


def _ects(value: Decimal) -> str:
    return format_decimal(value, locale="en")


@pytest.mark.parametrize("mid", [m for m in STUDENTS if MOBILITIES[m]["type"] == "student-studies"])
def test_learning_agreement_tables_and_totals(built: dict, mid: str) -> None:
    m = MOBILITIES[mid]
    total_a = sum(Decimal(str(c["ects"])) for c in m["components_abroad"])
    total_b = sum(Decimal(str(c["ects"])) for c in m["components_home"])
    table_a = squash(t("en", f"learning.table_a.{m['type']}"))
    table_b = squash(t("en", "learning.table_b"))
    total = squash(t("en", "learning.total"))
    for text in texts(built, "learning-agreement", mid):
        part_a = text[text.index(table_a):text.index(table_b)]
        part_b = text[text.index(table_b):text.index(squash(t("en", "learning.commitment")))]
        for part, components, expected in ((part_a, m["components_abroad"], total_a),
                                           (part_b, m["components_home"], total_b)):
            for c in components:
                assert squash(f"{c['code']}") in part and squash(c["title"]) in part
            # the last figure of the table is its total (DOCX repeats a merged cell's text)
            assert re.search(f"(?:{total})+{re.escape(_ects(expected))}$", part), (mid, expected)
        cycle = squash(t("en", f"learning.cycle.{m['cycle']}"))
        assert cycle in text
        assert squash(m["subject"]) in text
        assert squash(m["participant"]["last_name"]) in text


@pytest.mark.parametrize("mid", [m for m in STUDENTS if MOBILITIES[m]["type"] == "student-traineeship"])
def test_traineeship_gets_the_traineeship_form(built: dict, mid: str) -> None:
    """A traineeship: work programme, mentor and supervisor, hours, insurance, certificate; not the studies form."""
    m = MOBILITIES[mid]
    work = m["traineeship"]
    for text in texts(built, "learning-agreement", mid):
        assert squash("Learning Agreement for Traineeships") in text
        for item in work["tasks"] + work["skills"] + work["monitoring"] + work["evaluation"]:
            assert squash(item) in text
        assert squash(work["mentor"]["name"]) in text and squash(work["supervisor"]["email"]) in text
        assert squash(f"{work['hours_per_week']}") in text
        assert squash("Accident insurance (at the workplace)provided by the sending institution") in text
        assert squash("issue a traineeship certificate") in text
        assert squash("transcript of records") not in text  # the studies form's wording
        for c in m["components_abroad"]:
            assert squash(c["title"]) not in text  # the studies form's table A
        assert squash(m["participant"]["student_number"]) in text
        assert squash(m["receiving_faculty"]["en"]) in text  # no more "Faculty or department: —"


def test_learning_agreement_signatories_are_the_coordinators(built: dict) -> None:
    m = MOBILITIES["2024-tud-out-studies-1"]
    home, partner = _institution(), _institution(m["partner"])
    for text in texts(built, "learning-agreement", m["id"]):
        signatures = text[text.index(squash(t("en", "learning.commit_changes"))):]
        home_coordinator = _contact(home, "institutional-coordinator")
        partner_coordinator = _contact(partner, "institutional-coordinator")
        assert signatures.index(squash(t("en", "mobility.sign_sending"))) \
            < signatures.index(squash(home_coordinator["name"])) \
            < signatures.index(squash(partner_coordinator["name"]))
        assert squash(partner["erasmus_code"]) in text  # 'D  DRESDEN01' keeps its padding in the source


def test_learning_agreement_keeps_the_padded_erasmus_code(built: dict) -> None:
    text = read(built[("learning-agreement", "2024-tud-out-studies-1", "docx")])
    assert "D  DRESDEN01" in text


# ---------------------------------------------------------------- confirmation of stay


def _pl_en(built: dict, mid: str) -> list[str]:
    return texts(built, "confirmation-of-stay", mid)


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_confirmation_of_the_training_visit_in_polish_and_english(built: dict, fmt: str) -> None:
    m = MOBILITIES[TRAINING]
    text = squash(read(built[("confirmation-of-stay", TRAINING, fmt)]))
    start, end = _date(m["planned"]["start"]), _date(m["planned"]["end"])
    home = _institution()
    for lang in ("pl", "en"):
        assert squash(t(lang, "stay.title")) in text
        assert squash(t(lang, "stay.statement", institution=home["name"][lang])) in text
        assert squash(f"{t(lang, 'stay.arrival')}: {format_date(start, 'd MMMM y', locale=lang)}") in text
        assert squash(f"{t(lang, 'stay.departure')}: {format_date(end, 'd MMMM y', locale=lang)}") in text
        assert squash(f"{t(lang, 'stay.days')}: {(end - start).days + 1}") in text
        assert squash(t(lang, "mobility.type.staff-training")) in text
        assert squash(_institution(m["partner"])["name"][lang]) in text
        assert squash(f"{t(lang, 'stay.place_date')}: {home['address']['city'][lang]}, "
                      f"{format_date(end, 'd MMMM y', locale=lang)}") in text
        assert squash(t(lang, "stay.signature_stamp")) in text
        assert squash(_contact(home, "institutional-coordinator")["position"][lang]) in text
    # Polish with its diacritics, as a reader sees it
    assert squash("1 października 2018") in text and squash("5 października 2018") in text
    assert squash("Potwierdzenie pobytu") in text
    assert squash("Jędrzeja Śniadeckich") in text
    assert squash("Dział Współpracy Międzynarodowej") in text
    assert squash(f"{m['participant']['first_name']} {m['participant']['last_name']}") in text
    assert squash(_contact(home, "institutional-coordinator")["name"]) in text
    assert squash(t("en", "stay.hours")) not in text
    # no actual dates recorded yet: visibly a draft for the receiving institution, never a signable confirmation
    assert "actual" not in m
    for lang in ("pl", "en"):
        assert squash(t(lang, "stay.draft")) in text


def test_confirmation_of_teaching_states_the_hours(built: dict) -> None:
    m = MOBILITIES["2024-tud-in-teaching-1"]
    for text in _pl_en(built, m["id"]):
        for lang in ("pl", "en"):
            assert squash(f"{t(lang, 'stay.hours')}: {m['teaching_hours']}") in text


def test_confirmation_uses_the_actual_stay_when_known(project: Project, tmp_path: Path) -> None:
    """An actual period replaces the planned one, in the dates, the days and the document's own date."""
    mobility, where, path = project.mobilities[TRAINING]
    actual = Period(start=dt.date(2018, 10, 2), end=dt.date(2018, 10, 4))
    changed = Project(**{**project.__dict__, "mobilities": {
        **project.mobilities, TRAINING: (mobility.model_copy(update={"actual": actual}), where, path)}})
    builder = _mine(Builder(changed, TEMPLATES, tmp_path, ["pdf", "docx"]))
    jobs = [j for j in builder.plan(TRAINING) if j.doc.kind == "confirmation-of-stay"]
    assert [j.doc.date for j in jobs] == [actual.end.isoformat()] * 2
    report = builder.run(jobs)
    assert not report.failed, [f.message for f in report.failed]
    for job in jobs:
        text = squash(read(job.output))
        for lang in ("pl", "en"):
            assert squash(f"{t(lang, 'stay.arrival')}: {format_date(actual.start, 'd MMMM y', locale=lang)}") in text
            assert squash(f"{t(lang, 'stay.departure')}: {format_date(actual.end, 'd MMMM y', locale=lang)}") in text
            assert squash(f"{t(lang, 'stay.days')}: 3") in text
        assert squash(format_date(mobility.planned.start, "d MMMM y", locale="en")) not in text
        assert squash(t("en", "stay.draft")) not in text  # with actual dates it is the confirmation itself
