"""Pieces every document kind shares: agreement records, institution and signature views."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from docgen.documents import Document
from docgen.build.paths import agreement_dir
from docgen.model.models import Agreement, Institution, year_start
from docgen.model.project import PartnerRecord, Project


def agreement_date(agreement: Agreement) -> dt.date:
    """The date an agreement is dated with: its last signature, else 1 October of its first year."""
    signed = [e.date for e in agreement.status if e.status == "signed"]
    return max(signed) if signed else dt.date(year_start(agreement.terms.first_year), 10, 1)


def agreement_records(project: Project, kind: str) -> Iterator[Document]:
    """One record per agreement of `kind`, in the agreement's languages."""
    for pid, partner in sorted(project.partners.items()):
        for aid, (agreement, _) in sorted(partner.agreements.items()):
            if agreement.kind != kind:
                continue
            yield Document(
                kind=kind,
                record_id=aid,
                partner_id=pid,
                langs=tuple(agreement.languages),
                out_dir=agreement_dir(pid, aid),
                data_files=data_files(project, partner),
                date=agreement_date(agreement).isoformat(),
            )


def data_files(project: Project, partner: PartnerRecord | None = None, *extra: Path | None) -> tuple[Path, ...]:
    files = [project.home_path, project.isced_path, partner.path if partner else None, *extra]
    return tuple(sorted({f for f in files if f is not None}))


def signatory(institution: Institution, agreement: Agreement | None, side: str) -> dict[str, Any]:
    """Who signs for a side, and in which function.

    The signed event's signatory when recorded, else the legal representative. The function is the
    event's own, else that of the contact with the signatory's name, else the legal representative's
    (checks warn when a signatory is none of these, since that function is then a guess).
    """
    rep = institution.legal_representative
    rep_names = (rep.name, " ".join(filter(None, [rep.title, rep.name])))
    event = agreement.signed_by(side) if agreement else None
    name = event.signatory if event and event.signatory else rep_names[1]
    function = rep.function
    if event and event.function:
        function = event.function
    elif name not in rep_names:
        contact = next((c for c in institution.contacts if c.name == name and c.position), None)
        function = contact.position if contact else rep.function
    return {"name": name, "function": function, "date": event.date if event else None,
            "institution": institution}


def native_name(institution: Institution, langs: tuple[str, ...]) -> str | None:
    """The institution's legal name in its own country's language, when the document's languages lack it
    (`Uniwersytet ...` beside `University ...` in an English IIA)."""
    from babel.languages import get_official_languages

    for lang in get_official_languages(institution.country, de_facto=True):
        if lang in langs:
            return None
        if lang in institution.name:
            return institution.name[lang]
    return None


def agreement_context(project: Project, record: Document) -> dict[str, Any]:
    """The context all agreement kinds share."""
    partner = project.partners[record.partner_id]
    agreement = partner.agreements[record.record_id][0]
    home = project.home
    assert home is not None
    return {
        "agreement": agreement,
        "terms": agreement.terms,
        "home": home,
        "partner": partner.institution,
        "signatures": [signatory(home, agreement, "home"), signatory(partner.institution, agreement, "partner")],
        "isced": {code: f.name for code, f in project.isced.items()},
        "dated": agreement_date(agreement),
    }
