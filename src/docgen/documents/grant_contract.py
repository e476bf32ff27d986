"""Grant contract between the home institution and a participant it funds, in the office's contract language beside the participant's."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any


from docgen.money import grants
from docgen.documents import DocKind, Document
from docgen.documents._mobility import is_student, mobility_context, mobility_records
from docgen.errors import DocgenError
from docgen.model.models import Mobility
from docgen.model.project import Project

# ---------------------------------------------------------------- which mobilities get a contract
#
# A grant contract is signed by the institution that pays the participant: ours, the HOME institution.
# So a mobility gets one when
#   * it is OUTGOING (we send the participant; every call we run funds its outgoing mobility), or
#   * it is INCOMING and its call's rates file has an `incoming` support row (KA107 / KA171
#     international credit mobility: the Polish beneficiary pays the partner-country participants it hosts).
# Incoming mobility under a call without incoming rates (KA131: the SENDING institution pays) gets none.
# A zero-grant mobility that passes this rule still gets its contract, stating 0 and that no grant is paid
# (the seeds: every rule except those about the grant binds a participant without a grant, too).
# An incoming mobility whose rates file did not load gets none (cannot tell who pays; `docgen check`
# reports the missing file); an outgoing one is planned and fails loudly when rendered.

# ---------------------------------------------------------------- languages
#
# The contract is in the office's contract language (docgen.yaml office.contract.language, else the office
# language); when the participant's language is another one, that version stands beside it, paragraph by
# paragraph. The participant's language is taken from the nationality: the office's table, else
# `OfficePolicy.participant_language`'s neutral rule.

# Students confirm their arrival at the receiving institution within this many days (the seeds' rule 19).
ARRIVAL_CONFIRMATION_DAYS = 14


def participant_language(project: Project, mobility: Mobility) -> str:
    return project.policy.participant_language(mobility.participant.nationality, project.languages)


def contract_languages(project: Project, mobility: Mobility) -> tuple[str, ...]:
    """(contract language,) when the participant's language is the same, else (contract language, theirs)."""
    own = project.policy.contract_language(project.home)
    lang = participant_language(project, mobility)
    return (own,) if lang == own else (own, lang)


def home_pays(project: Project, mobility: Mobility) -> bool:
    """The records rule above (`grants.home_pays` on the mobility's call)."""
    rates = project.rates.get(mobility.funding.call)
    if rates is None:
        return mobility.direction == "outgoing"
    return grants.home_pays(mobility, rates[0])


def grant_records(project: Project) -> Iterator[Document]:
    return mobility_records(project, KIND_NAME, lambda m: contract_languages(project, m), lambda m: home_pays(project, m))


# ---------------------------------------------------------------- template helpers


def format_iban(iban: str | None) -> str:
    """'PL56102050110000000171234567' → 'PL56 1020 5011 0000 0001 7123 4567'."""
    if not iban:
        return ""
    compact = "".join(iban.split()).upper()
    return " ".join(compact[i:i + 4] for i in range(0, len(compact), 4))


def obligations(mobility: Mobility) -> list[dict[str, Any]]:
    """The participant's numbered obligations, as catalog keys: what applies to this mobility only.

    Everyone: insurance, the receiving institution's certificate of the dates of stay, the online report.
    Students: confirm arrival within ARRIVAL_CONFIRMATION_DAYS. Staff: the agreed programme (teaching
    hours for staff teaching). With a grant: repay a part for a shorter stay; a longer stay raises the grant
    only when funding.extension_funded says the institution pays for it.
    """
    keys = ["grant.ob_insurance"]
    if is_student(mobility):
        keys.append("grant.ob_arrival")
    elif mobility.teaching_hours is not None:
        keys.append("grant.ob_teaching")
    else:
        keys.append("grant.ob_programme")
    keys += ["grant.ob_certificate", "grant.ob_report"]
    if not mobility.funding.zero_grant:
        keys += ["grant.ob_shorter",
                 "grant.ob_longer_funded" if mobility.funding.extension_funded else "grant.ob_longer"]
    return [{"no": i, "key": key} for i, key in enumerate(keys, 1)]


def grant_context(project: Project, record: Document) -> dict[str, Any]:
    """The mobility view, plus the planned grant and, when the actual dates are known, its settlement."""
    context = mobility_context(project, record)
    mobility: Mobility = context["mobility"]
    rates = context["rates"]
    if rates is None:
        raise DocgenError(f"mobility {mobility.id}: no rates file data/rates/{mobility.funding.call}.yaml, "
                          "so its grant cannot be calculated")
    home = project.home
    assert home is not None
    partner = project.partners[mobility.partner].institution
    grant = grants.calculate(mobility, rates, home, partner)
    settlement = grants.settle(mobility, rates, home, partner) if mobility.actual is not None else None
    context.update({
        "grant": grant,
        "settlement": settlement,
        "student": is_student(mobility),
        "zero_grant": mobility.funding.zero_grant,
        "month_lines": any(line.divisor != 1 for line in grant.lines),
        "iban": format_iban(mobility.iban),
        "signed": mobility.signed,
        "place": home.address.city,
        "arrival_days": ARRIVAL_CONFIRMATION_DAYS,
        "obligations": obligations(mobility),
        "representative": " ".join(filter(None, [home.legal_representative.title,
                                                 home.legal_representative.name])),
    })
    return context


KIND_NAME = "grant-contract"
KIND = DocKind(
    name=KIND_NAME,
    title_key="grant.title",
    records=grant_records,
    context=grant_context,
)
