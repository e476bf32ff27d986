"""Pieces every mobility document shares: one record per mobility and the sending/receiving view of it."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from docgen.documents import Document
from docgen.documents.common import data_files, signatory
from docgen.documents.i18n import local
from docgen.model.models import STAFF_TYPES, STUDENT_TYPES, Contact, Institution, Mobility
from docgen.build.paths import mobility_dir
from docgen.model.project import Project

LangsFn = Callable[[Mobility], tuple[str, ...]]
WhenFn = Callable[[Mobility], bool]
DateFn = Callable[[Mobility], dt.date]


def mobility_date(mobility: Mobility) -> dt.date:
    """The date a mobility's documents are dated with: its signing date, else its planned start."""
    return mobility.signed or mobility.planned.start


def mobility_records(project: Project, kind: str, langs_fn: LangsFn, when: WhenFn,
                     date_fn: DateFn = mobility_date) -> Iterator[Document]:
    """One record of `kind` per mobility for which `when(mobility)` holds, in `langs_fn(mobility)`.

    The record is dated `date_fn(mobility)` (default: signing date, else planned start).
    A mobility whose partner did not load is skipped (the cross-record checks report it).
    """
    for mid, (mobility, _, path) in sorted(project.mobilities.items()):
        if not when(mobility):
            continue
        partner = project.partners.get(mobility.partner)
        if partner is None:
            continue
        rates = project.rates.get(mobility.funding.call)
        yield Document(
            kind=kind,
            record_id=mid,
            partner_id=mobility.partner,
            langs=tuple(langs_fn(mobility)),
            out_dir=mobility_dir(mobility.academic_year, mobility.id),
            mobilities=(mid,),
            data_files=data_files(project, partner, path, rates[1] if rates else None),
            date=date_fn(mobility).isoformat(),
        )


def is_staff(mobility: Mobility) -> bool:
    return mobility.type in STAFF_TYPES


def is_student(mobility: Mobility) -> bool:
    return mobility.type in STUDENT_TYPES


def pick_contact(institution: Institution, *roles: str) -> Contact | None:
    """The first of `roles` the institution has a contact for."""
    for role in roles:
        found = institution.contact(role)
        if found is not None:
            return found
    return None


def responsible(institution: Institution, contact: Contact | None, side: str) -> dict[str, Any]:
    """Who signs for an institution, as {name, function}: `contact` with its position when given,
    else the legal representative (with academic title)."""
    if contact is not None and contact.position:
        return {"name": contact.name, "function": contact.position}
    sig = signatory(institution, None, side)
    return {"name": sig["name"], "function": sig["function"]}


def three_parties(ctx: Mapping[str, Any], sending_contact: Contact | None) -> dict[str, Any]:
    """The signatories of a mobility or learning agreement besides the participant: whoever `sending_contact`
    names (else the legal representative) for the sender, the receiving coordinator for the receiver."""
    return {
        "signed": ctx["mobility"].signed,
        "sending_signatory": responsible(ctx["sending"], sending_contact, ctx["sending_side"]),
        "receiving_signatory": responsible(ctx["receiving"], ctx["receiving_coordinator"], ctx["receiving_side"]),
    }


def joined(text: Mapping[str, str], langs: tuple[str, ...], what: str = "text") -> str:
    """A per-language data text in every document language, equal forms once: 'Rektor / Rector'."""
    forms: list[str] = []
    for lang in langs:
        form = local(text, lang, what)
        if form not in forms:
            forms.append(form)
    return " / ".join(forms)


def mobility_context(project: Project, record: Document) -> dict[str, Any]:
    """Everything a mobility document reads, seen from the mobility's sending and receiving sides.

    Outgoing: the home institution sends and the partner receives; incoming: the reverse.
    Keys: mobility, participant, home, partner, agreement, direction, sending, receiving,
    sending_side / receiving_side ("home" / "partner"), sending_contact / receiving_contact (the
    mobility officer: outgoing at the sender, incoming at the receiver, else the institutional
    coordinator), sending_coordinator / receiving_coordinator (institutional coordinator, else the
    faculty coordinator), subject (ISCED-F code and per-language name), planned, actual, stay (actual
    when known, else planned), days (planned days, travel excluded), stay_days, travel_days,
    rates (the call's Rates or None), dated (the document date), and `texts(localtext, what)`: the
    text in every document language, equal forms once (see `joined`).
    """
    mobility = project.mobilities[record.record_id][0]
    home = project.home
    assert home is not None
    partner = project.partners[mobility.partner]
    agreement_entry = partner.agreements.get(mobility.agreement)
    outgoing = mobility.direction == "outgoing"
    sending, receiving = (home, partner.institution) if outgoing else (partner.institution, home)
    isced = project.isced.get(mobility.subject)
    stay = mobility.period
    rates = project.rates.get(mobility.funding.call)
    return {
        "mobility": mobility,
        "participant": mobility.participant,
        "home": home,
        "partner": partner.institution,
        "agreement": agreement_entry[0] if agreement_entry else None,
        "direction": mobility.direction,
        "sending": sending,
        "receiving": receiving,
        "sending_side": "home" if outgoing else "partner",
        "receiving_side": "partner" if outgoing else "home",
        "sending_contact": pick_contact(sending, "outgoing", "institutional-coordinator"),
        "receiving_contact": mobility.receiving_contact or pick_contact(receiving, "incoming",
                                                                        "institutional-coordinator"),
        "sending_coordinator": pick_contact(sending, "institutional-coordinator", "faculty-coordinator"),
        "receiving_coordinator": pick_contact(receiving, "institutional-coordinator", "faculty-coordinator"),
        "sending_faculty": mobility.participant.faculty,  # the participant's own faculty
        "receiving_faculty": mobility.receiving_faculty,
        "subject": {"code": mobility.subject, "name": isced.name if isced else {}},
        "planned": mobility.planned,
        "actual": mobility.actual,
        "stay": stay,
        "days": mobility.planned.days,
        "stay_days": stay.days,
        "travel_days": mobility.travel_days,
        "rates": rates[0] if rates else None,
        "dated": dt.date.fromisoformat(record.date),
        "texts": lambda text, what="text": joined(text, record.langs, what),
    }
