"""Erasmus+ inter-institutional agreement: institutions, mobility numbers, languages, calendar, information."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from babel.dates import format_date

from docgen.documents import DocKind, Document
from docgen.documents.common import agreement_context, agreement_records, native_name
from docgen.documents.i18n import local
from docgen.model.models import (
    STUDENT_TYPES,
    Agreement,
    Contact,
    CooperationCondition,
    Institution,
    MobilityType,
)
from docgen.model.project import Project

# Column order of the mobility tables and of the language-level columns.
TYPE_ORDER: tuple[MobilityType, ...] = ("student-studies", "student-traineeship", "staff-teaching", "staff-training")
INFO_ROLES = ("visa", "insurance", "housing")
SIDES = ("home", "partner")


def _joined(forms: Iterable[str]) -> str:
    """Distinct forms in order, joined with ' / ' (a label in one or two languages)."""
    seen: list[str] = []
    for form in forms:
        if form not in seen:
            seen.append(form)
    return " / ".join(seen)


def code_or_city(institution: Institution, langs: Iterable[str]) -> str:
    """The Erasmus code, or for an institution without one the city in the document's languages."""
    if institution.erasmus_code:
        return institution.erasmus_code
    return _joined(local(institution.city, lang, f"city of {institution.short_name}") for lang in langs)


def _subjects(condition: CooperationCondition, project: Project) -> list[dict[str, Any]]:
    out = []
    for subject in condition.subjects:
        field = project.isced.get(subject.code)
        name = subject.name or (field.name if field else {})
        out.append({"code": subject.code, "name": name})
    return out


def _cell(condition: CooperationCondition) -> dict[str, Any]:
    """The figures of one mobility cell: people and months for students, people and days for staff."""
    if condition.type in STUDENT_TYPES:
        return {"people": condition.people, "months": condition.months, "days": None, "each": None}
    days = condition.days
    each = days // condition.people if days is not None and days % condition.people == 0 else None
    return {"people": condition.people, "months": None, "days": days, "each": each}


def mobility_tables(agreement: Agreement, project: Project, codes: Mapping[str, str]) -> dict[str, Any]:
    """Rows of the student and staff tables, grouped by direction, one row per subject set (and cycles)."""
    tables: dict[str, list[dict[str, Any]]] = {"students": [], "staff": []}
    index: dict[tuple[Any, ...], dict[str, Any]] = {}
    for direction in ("outgoing", "incoming"):
        sender, receiver = ("home", "partner") if direction == "outgoing" else ("partner", "home")
        for condition in agreement.terms.mobilities:
            if condition.direction != direction:
                continue
            table = "students" if condition.type in STUDENT_TYPES else "staff"
            subject_codes = tuple(s.code for s in condition.subjects)
            key = (direction, table, subject_codes, tuple(condition.cycles))
            row = index.get(key)
            if row is None or condition.type in row["cells"]:
                rows = tables[table]
                row = {
                    "direction": direction,
                    "from": codes[sender],
                    "to": codes[receiver],
                    "first": not any(r["direction"] == direction for r in rows),
                    "subjects": _subjects(condition, project),
                    "cycles": sorted(condition.cycles),
                    "cells": {},
                }
                rows.append(row)
                index[key] = row
            row["cells"][condition.type] = _cell(condition)
    for rows in tables.values():
        for row in rows:
            row["cells"] = {t: row["cells"].get(t) for t in TYPE_ORDER}
    types = {c.type for c in agreement.terms.mobilities}
    return {"student_rows": tables["students"], "staff_rows": tables["staff"],
            "traineeships": "student-traineeship" in types}


def day_month(month_day: str, lang: str) -> str:
    """'06-30' → '30 June' / '30 czerwca' / '30 червня' / '30 Haziran'."""
    month, day = (int(part) for part in month_day.split("-"))
    return format_date(dt.date(2000, month, day), "d MMMM", locale=lang)


def _contact_view(contact: Contact | None, institution: Institution, fallback: bool = False) -> dict[str, Any] | None:
    if contact is None:
        return None
    return {"name": contact.name, "position": contact.position, "email": contact.email, "phone": contact.phone,
            "website": contact.website or institution.website, "fallback": fallback}


def info_contacts(institution: Institution) -> dict[str, dict[str, Any] | None]:
    """Visa, insurance and housing contact points; the institutional coordinator where a role has none."""
    coordinator = institution.contact("institutional-coordinator")
    out = {}
    for role in INFO_ROLES:
        contact = institution.contact(role)
        out[role] = _contact_view(contact, institution) if contact else _contact_view(coordinator, institution, True)
    return out


def context(project: Project, record: Document) -> dict[str, Any]:
    ctx = agreement_context(project, record)
    agreement: Agreement = ctx["agreement"]
    terms = agreement.terms
    langs = record.langs
    institutions = {"home": ctx["home"], "partner": ctx["partner"]}
    codes = {side: code_or_city(inst, langs) for side, inst in institutions.items()}
    parties = [
        {"side": side, "institution": inst, "code": codes[side], "native": native_name(inst, langs),
         "coordinator": _contact_view(inst.contact("institutional-coordinator"), inst),
         "info": info_contacts(inst)}
        for side, inst in institutions.items()
    ]
    skill_types = [t for t in TYPE_ORDER if any(t in s.levels for s in terms.language_skills)]
    skills = [
        {"code": codes[s.receiving], "subject": s.subject,
         "subject_name": (project.isced[s.subject].name if s.subject and s.subject in project.isced else {}),
         "main": s.main_language, "additional": s.additional_language,
         "levels": [s.levels.get(t) for t in skill_types]}
        for s in sorted(terms.language_skills, key=lambda s: SIDES.index(s.receiving))
    ]
    calendar = terms.calendar
    deadlines = [
        {"code": codes[d.receiving],
         "autumn": {lang: day_month(d.autumn, lang) for lang in langs},
         "spring": {lang: day_month(d.spring, lang) for lang in langs}}
        for d in sorted(calendar.nominations if calendar else [], key=lambda d: SIDES.index(d.receiving))
    ]
    signatures = [{**sig, "code": codes[side], "native": native_name(inst, langs)}
                  for (side, inst), sig in zip(institutions.items(), ctx["signatures"])]

    def each(text: Mapping[str, str], what: str) -> str:
        """A per-language data text in every document language, joined by ' / '."""
        return _joined(local(text, lang, what) for lang in langs)
    return {
        **ctx,
        **mobility_tables(agreement, project, codes),
        "codes": codes,
        "parties": parties,
        "skill_types": skill_types,
        "skills": skills,
        "calendar": calendar,
        "deadlines": deadlines,
        "graded": [p for p in parties if p["institution"].grading],
        "info_roles": INFO_ROLES,
        "multi_year": terms.last_year != terms.first_year,
        # Any institution outside the programme countries (no Erasmus code) takes on the partner-country commitments.
        "partner_country": any(inst.erasmus_code is None for inst in institutions.values()),
        # The 2021-2027 programme speaks of EU Member States and associated third countries, not programme countries.
        "wording": "" if terms.action == "KA107" else "_2021",
        "signatures": signatures,
        "each": each,
    }


KIND = DocKind(
    name="erasmus-iia",
    title_key="iia.title",
    records=lambda project: agreement_records(project, "erasmus-iia"),
    context=context,
    agreement=True,
)
