"""Letter to a partner's rector summing up the student and staff mobility done with that partner per academic year.

One letter per partner with at least one mobility in the data. Language (docgen.yaml office.letter): the office
writes in its own language to partners in its country and to partners whose bilateral cooperation agreement is
printed in a language pair that includes it (as the Polish office's letters to its Ukrainian partner); to every
other partner it writes in its foreign letter language (the working language unless configured).
The letter is dated the day after the latest date in that partner's mobility records: the end of a stay
(actual when recorded, else planned) or the day the documents were signed — never the day it is built.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from docgen.documents import DocKind, Document
from docgen.model.models import Mobility
from docgen.build.paths import partner_dir
from docgen.model.project import PartnerRecord, Project

# The lines of each academic year, in print order: (direction, category) → catalog key (without plural suffix).
LINES: tuple[tuple[str, str, str], ...] = (
    ("incoming", "student", "letter.in_students"),
    ("incoming", "staff", "letter.in_staff"),
    ("outgoing", "student", "letter.out_students"),
    ("outgoing", "staff", "letter.out_staff"),
)


def partner_mobilities(project: Project, partner_id: str) -> list[tuple[Mobility, Path]]:
    return [(m, path) for m, _, path in project.mobilities.values() if m.partner == partner_id]


def letter_language(project: Project, partner: PartnerRecord) -> str:
    """The office's letter language to a partner at home or with a bilateral agreement printed in it, else the
    foreign one."""
    own, foreign = project.policy.letter_languages(project.home)
    if project.home is not None and partner.institution.country == project.home.country:
        return own
    for agreement, _ in partner.agreements.values():
        if agreement.kind == "bilateral-cooperation" and own in agreement.languages:
            return own
    return foreign


def letter_date(mobilities: list[Mobility]) -> dt.date:
    """The day after the latest end of a stay or signing date among the mobilities."""
    dates = [m.period.end for m in mobilities] + [m.signed for m in mobilities if m.signed is not None]
    return max(dates) + dt.timedelta(days=1)


def year_counts(mobilities: list[Mobility]) -> list[dict[str, Any]]:
    """Per academic year, the non-zero numbers of incoming and outgoing students and staff.

    Every mobility counts, whether its actual period is recorded or only the planned one.
    """
    counts: dict[str, dict[str, int]] = {}
    for m in mobilities:
        key = next(k for d, c, k in LINES if d == m.direction and c == m.participant.category)
        year = counts.setdefault(m.academic_year, {})
        year[key] = year.get(key, 0) + 1
    return [{"year": year, "lines": [{"key": key, "n": counts[year][key]} for _, _, key in LINES
                                     if counts[year].get(key)]}
            for year in sorted(counts)]


def records(project: Project) -> Iterator[Document]:
    if project.home_path is None:
        return
    for pid, partner in sorted(project.partners.items()):
        found = partner_mobilities(project, pid)
        if not found:
            continue
        files = {project.home_path, partner.path, *(path for _, path in found)}
        yield Document(
            kind="cooperation-letter",
            record_id=f"{pid}-letter",
            partner_id=pid,
            langs=(letter_language(project, partner),),
            out_dir=partner_dir(pid),
            mobilities=tuple(sorted(m.id for m, _ in found)),
            data_files=tuple(sorted(files)),
            date=letter_date([m for m, _ in found]).isoformat(),
        )


def context(project: Project, record: Document) -> dict[str, Any]:
    home = project.home
    assert home is not None
    partner = project.partners[record.partner_id].institution
    mobilities = [m for m, _ in partner_mobilities(project, record.partner_id)]
    coordinator = home.contact("institutional-coordinator")
    signer = home.legal_representative
    addressee = partner.legal_representative
    return {
        "lang": record.langs[0],
        "home": home,
        "partner": partner,
        "phone": coordinator.phone if coordinator else None,
        "dated": dt.date.fromisoformat(record.date),
        "addressee": {"name": " ".join(filter(None, [addressee.title, addressee.name])),
                      "function": addressee.function},
        "signer": {"name": " ".join(filter(None, [signer.title, signer.name])), "function": signer.function},
        "years": year_counts(mobilities),
    }


def blocked_by(project: Project, document: Document) -> list[str]:
    """The letter counts every mobility with the partner: any of them with errors (or with an unreadable
    partner) would make the counts wrong, so the letter waits for them."""
    pid = document.partner_id
    failed = set()
    for raw, where in project.failed_mobilities:
        partner, mid = raw.get("partner"), raw.get("id")
        if partner == pid or not isinstance(partner, str):
            failed.add(mid if isinstance(mid, str) else f"{where.source.file} mobilities[{where.loc[-1]}]")
    failed |= {mid for mid, (m, _, _) in project.mobilities.items() if m.partner == pid and mid in project.failed}
    return sorted(failed)


KIND = DocKind(
    name="cooperation-letter",
    title_key="letter.title",
    records=records,
    context=context,
    blocked_by=blocked_by,
)
