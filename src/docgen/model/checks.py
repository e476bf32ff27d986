"""Cross-record rules: ids, references, agreements in effect, agreed numbers, call limits."""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from docgen.money import grants
from docgen.review import terms
from docgen.documents.i18n import Catalogs
from docgen.model.loader import Loc
from docgen.model.suggest import closest
from docgen.model.models import (
    ID_MAX,
    ID_PATTERN,
    STUDENT_TYPES,
    Agreement,
    CooperationCondition,
    LanguageSkill,
    Mobility,
    Period,
    Terms,
    year_start,
)
from docgen.model.project import Project, Where
from docgen.money.rates import Rates

_CEFR_ORDER = ["A1", "A2", "B1", "B2", "C1", "C2"]


def covers(row: CooperationCondition, mobility: Mobility) -> bool:
    """Does an agreement row cover this mobility's direction, type, subject and cycle?"""
    if row.direction != mobility.direction or row.type != mobility.type:
        return False
    if not any(mobility.subject.startswith(s.code) for s in row.subjects):
        return False
    return not (row.cycles and mobility.cycle is not None and mobility.cycle not in row.cycles)


def in_effect(agreement: Agreement, academic_year: str) -> str | None:
    """Why the agreement is not in effect in `academic_year`, or None when it is."""
    terms = agreement.terms
    if academic_year < terms.first_year:
        return f"agreement {agreement.id!r} starts in {terms.first_year}"
    if terms.last_year is not None and academic_year > terms.last_year:
        return f"agreement {agreement.id!r} ended with {terms.last_year}"
    unsigned = [side for side in ("home", "partner") if agreement.signed_by(side) is None]
    if unsigned:
        return f"agreement {agreement.id!r} is not signed by the {' and '.join(unsigned)} side"
    ended = agreement.terminated
    if ended is not None and ended.date.year <= year_start(academic_year):
        return f"agreement {agreement.id!r} was terminated on {ended.date.isoformat()}"
    return None


def receiving_side(row: CooperationCondition) -> str:
    """The side that receives the row's participants: the partner for outgoing rows, we for incoming ones."""
    return "partner" if row.direction == "outgoing" else "home"


def row_language_skills(terms: Terms, row: CooperationCondition) -> list[LanguageSkill]:
    """The language skills recommended for a row: the receiving side's, with a level for the row's type,
    for all subjects or for one of the row's subjects."""
    codes = [s.code for s in row.subjects]
    return [skill for skill in terms.language_skills
            if skill.receiving == receiving_side(row) and row.type in skill.levels
            and (skill.subject is None
                 or any(c.startswith(skill.subject) or skill.subject.startswith(c) for c in codes))]


# EWP IIA v7 requires at least one recommended language skill in these mobility specifications.
EWP_SKILL_TYPES = ("student-studies", "staff-teaching")


def ewp_preflight(agreement: Agreement) -> list[tuple[Loc, str]]:
    """What would make an EWP IIA v7 approval of the agreement fail, as (path inside the agreement, message).

    Years out of order need no rule here: the model already rejects a last_year before first_year."""
    terms = agreement.terms
    found: list[tuple[Loc, str]] = []
    if terms.last_year is None:
        found.append((("terms", "last_year"), "EWP IIA v7 needs the last academic year of every mobility: "
                                              "give terms.last_year"))
    for r, row in enumerate(terms.mobilities):
        for s, subject in enumerate(row.subjects):
            if len(subject.code) != 4:
                found.append((("terms", "mobilities", r, "subjects", s, "code"),
                              f"EWP IIA v7 takes 4-digit ISCED-F codes only: {subject.code!r} is a broad or "
                              "narrow field; name the detailed field (4 digits) within it"))
        if row.type in EWP_SKILL_TYPES and not row_language_skills(terms, row):
            found.append((("terms", "mobilities", r, "type"),
                          f"EWP IIA v7 requires a recommended language skill for {row.type}: add a "
                          f"terms.language_skills entry with receiving: {receiving_side(row)} and a "
                          f"{row.type} level"))
    for k, skill in enumerate(terms.language_skills):
        if skill.subject is not None and len(skill.subject) != 4:
            found.append((("terms", "language_skills", k, "subject"),
                          f"EWP IIA v7 takes 4-digit ISCED-F codes only: {skill.subject!r} is a broad or "
                          "narrow field; name the detailed field (4 digits) within it"))
    return found


def _check_ewp(project: Project) -> None:
    """KA131 agreements go through EWP: warn about what would make their approval fail."""
    for record in project.partners.values():
        for agreement, where in record.agreements.values():
            if agreement.kind == "erasmus-iia" and agreement.terms.action == "KA131":
                for loc, message in ewp_preflight(agreement):
                    project.problems.append(where.problem(loc, message, severity="warning"))


def mobility_units(mobility: Mobility, period: Period | None = None) -> Decimal:
    """Months (students, counted as the grant counts them) or days (staff) a mobility uses of an agreement row,
    on `period` (default: the planned one)."""
    period = period or mobility.planned
    if mobility.type in STUDENT_TYPES:
        return grants.stay_months(period.start, period.end)
    return Decimal(period.days)


def row_index(agreement: Agreement, mobility: Mobility) -> int | None:
    """The agreement row a mobility counts against: the first row that covers it (None: no row does)."""
    return next((i for i, row in enumerate(agreement.terms.mobilities) if covers(row, mobility)), None)


def _check_ids(project: Project) -> None:
    seen: dict[str, Where] = {}
    home = project.home
    if home is not None and project.home_where is not None:
        seen[home.id] = project.home_where
    for pid, record in project.partners.items():
        if pid in seen:
            first = seen[pid]
            pos = first.source.locate(first.loc + ("id",))
            project.problems.append(record.where.problem(("id",), f"institution id {pid!r} is used twice "
                                                                  f"(also {first.source.file}:{pos.line})"))
        seen[pid] = record.where
    agreements: dict[str, Where] = {}
    for record in project.partners.values():
        for aid, (_, where) in record.agreements.items():
            if aid in agreements:
                first = agreements[aid]
                pos = first.source.locate(first.loc + ("id",))
                project.problems.append(where.problem(("id",), f"agreement id {aid!r} is used twice "
                                                               f"(also {first.source.file}:{pos.line})"))
                project.failed.add(aid)
            agreements[aid] = where


def _check_names(project: Project) -> None:
    """Every name a document prints must exist in the document's languages."""
    home = project.home
    for record in project.partners.values():
        for agreement, where in record.agreements.values():
            for lang in agreement.languages:
                for inst, label in ((home, "home institution"), (record.institution, "partner")):
                    if inst is None:
                        continue
                    for what, text in (("name", inst.name), ("legal_representative.function",
                                                             inst.legal_representative.function)):
                        if lang not in text:
                            project.problems.append(where.problem(
                                ("languages",), f"the agreement is printed in {lang!r} but the {label}'s "
                                                f"{what} has no {lang!r} text ({inst.id})"))
                            project.failed.add(agreement.id)


def _check_signatories(project: Project) -> None:
    """A signatory who is neither the legal representative nor a contact needs the function they signed in."""
    for record in project.partners.values():
        for agreement, where in record.agreements.values():
            for i, event in enumerate(agreement.status):
                if event.status != "signed" or not event.signatory or event.function:
                    continue
                inst = project.home if event.by == "home" else record.institution
                if inst is None:
                    continue
                rep = inst.legal_representative
                known = {rep.name, " ".join(filter(None, [rep.title, rep.name]))}
                known |= {c.name for c in inst.contacts if c.position}
                if event.signatory not in known:
                    project.problems.append(where.problem(
                        ("status", i, "signatory"),
                        f"{event.signatory} is neither {inst.id}'s legal representative nor one of its "
                        "contacts: give the function they signed in (function: {pl: ..., en: ...}); "
                        "the documents print the legal representative's function meanwhile",
                        severity="warning"))


def _check_subjects(project: Project) -> None:
    if not project.isced:
        return
    known = project.isced
    for record in project.partners.values():
        for agreement, where in record.agreements.values():
            for r, row in enumerate(agreement.terms.mobilities):
                for s, subject in enumerate(row.subjects):
                    if subject.code not in known and not subject.name:
                        project.problems.append(where.problem(
                            ("terms", "mobilities", r, "subjects", s, "code"),
                            f"ISCED-F code {subject.code!r} is not in isced.yaml: add it there with its names, "
                            "or give the name here"))
                        project.failed.add(agreement.id)
    for mobility, where, _ in project.mobilities.values():
        if not any(mobility.subject.startswith(code) or code.startswith(mobility.subject) for code in known):
            project.problems.append(where.problem(("subject",), f"ISCED-F code {mobility.subject!r} is not in "
                                                                "isced.yaml"))
            project.failed.add(mobility.id)


def _check_iia_contacts(project: Project) -> None:
    for record in project.partners.values():
        for agreement, where in record.agreements.values():
            if agreement.kind != "erasmus-iia":
                continue
            for inst, label, inst_where in ((project.home, "home institution", project.home_where),
                                            (record.institution, "partner", record.where)):
                if inst is None or inst_where is None:
                    continue
                if inst.contact("institutional-coordinator") is None:
                    project.problems.append(inst_where.problem(
                        ("contacts",), f"an Erasmus+ agreement ({agreement.id}) needs the {label}'s "
                                       "institutional-coordinator contact", key=True))
                    project.failed.add(agreement.id)


def _did_you_mean(name: str, known: list[str]) -> str:
    close = closest(name, known)
    return f": did you mean {close!r}?" if close else ""


def _is_id(value: object) -> bool:
    return isinstance(value, str) and len(value) <= ID_MAX and ID_PATTERN.fullmatch(value) is not None


def _references(project: Project, where: Where, partner: object, agreement_id: object,
                call: object) -> tuple[Agreement | None, bool]:
    """Check a mobility's partner, agreement and call references; (its agreement if usable, any problem?)."""
    problems: list[tuple[tuple[str, ...], str]] = []
    agreement = None
    unusable = False
    if _is_id(call) and call not in project.rates:
        problems.append((("funding", "call"), f"no rates file {project.display(project.root / 'rates' / f'{call}.yaml')}"
                                              + _did_you_mean(str(call), list(project.rates))))
    if not _is_id(partner):
        pass  # its own validation error is reported
    elif partner in project.failed_partners:
        # The partner file's errors are reported there; repeating them at each mobility hides the
        # mobility's own problems among copies of one message.
        unusable = True
    elif (record := project.partners.get(str(partner))) is None:
        problems.append((("partner",), f"partner {partner!r} has no file in partners/"
                                       + _did_you_mean(str(partner), list(project.partners))))
    elif _is_id(agreement_id):
        found = record.agreements.get(str(agreement_id))
        if found is None:
            owner = next((pid for pid, r in project.partners.items() if agreement_id in r.agreements), None)
            if owner:
                msg = f"agreement {agreement_id!r} is with {owner!r}, not with {partner!r}"
            elif agreement_id in project.failed:
                msg = f"agreement {agreement_id!r} did not validate"
            else:
                msg = (f"agreement {agreement_id!r} does not exist among {partner!r}'s agreements"
                       + _did_you_mean(str(agreement_id), list(record.agreements)))
            problems.append((("agreement",), msg))
        elif found[0].id in project.failed:
            problems.append((("agreement",), f"agreement {agreement_id!r} has errors"))
        else:
            agreement = found[0]
    for loc, message in problems:
        project.problems.append(where.problem(loc, message))
    return agreement, unusable or bool(problems)


def _check_failed_mobilities(project: Project) -> None:
    """References of the mobility records that did not validate: reported now, not after the next fix."""
    for raw, where in project.failed_mobilities:
        funding = raw.get("funding")
        call = funding.get("call") if isinstance(funding, dict) else None
        _references(project, where, raw.get("partner"), raw.get("agreement"), call)


def _check_mobilities(project: Project) -> None:
    usage: dict[tuple[str, int, str], list[tuple[Mobility, Where]]] = defaultdict(list)
    for mobility, where, _ in project.mobilities.values():
        agreement, bad = _references(project, where, mobility.partner, mobility.agreement, mobility.funding.call)
        if bad:
            project.failed.add(mobility.id)
        rates = project.rates.get(mobility.funding.call)
        if rates is not None:
            _check_funding(project, mobility, where, agreement, rates[0])
        if agreement is None:
            continue
        why = in_effect(agreement, mobility.academic_year)
        if why:
            project.problems.append(where.problem(("academic_year",), f"{why}: not in effect in "
                                                                      f"{mobility.academic_year}"))
            project.failed.add(mobility.id)
        row = row_index(agreement, mobility)
        if row is None:
            project.problems.append(where.problem(
                ("subject",), f"agreement {agreement.id!r} has no {mobility.direction} {mobility.type} row for "
                              f"subject {mobility.subject}" + (f" at EQF level {mobility.cycle}"
                                                               if mobility.cycle else "")))
            project.failed.add(mobility.id)
        else:
            usage[(agreement.id, row, mobility.academic_year)].append((mobility, where))
        skill_warning(project, mobility, where, agreement)
    _check_usage(project, usage)


def _check_funding(project: Project, mobility: Mobility, where: Where, agreement: Agreement | None,
                   rates_model: Rates) -> None:
    """The call's rules for one mobility (checked even when its agreement or partner has errors)."""
    if agreement is not None and agreement.terms.action and rates_model.action not in (None, agreement.terms.action):
        project.problems.append(where.problem(
            ("funding", "call"), f"call {rates_model.id!r} is for {rates_model.action}, but agreement "
                                 f"{agreement.id!r} is {agreement.terms.action}"))
        project.failed.add(mobility.id)
    if mobility.iban is None and not mobility.funding.zero_grant and grants.home_pays(mobility, rates_model):
        project.problems.append(where.problem(
            ("iban",), "we pay this mobility's grant: give the participant's iban "
                       "(or funding.zero_grant: true)", key=True))
        project.failed.add(mobility.id)
    for loc, message in grants.limit_problems(mobility, rates_model):
        project.problems.append(where.problem(loc, message))
        project.failed.add(mobility.id)


def skill_warning(project: Project, mobility: Mobility, where: Where, agreement: Agreement) -> None:
    """Warn when the mobility's level is below what the agreement recommends for the same language."""
    side = "partner" if mobility.direction == "outgoing" else "home"
    lang, level = mobility.language.language, mobility.language.level
    rows = [skill for skill in agreement.terms.language_skills
            if skill.receiving == side and (not skill.subject or mobility.subject.startswith(skill.subject))
            and lang in (skill.main_language, skill.additional_language) and mobility.type in skill.levels]
    # A row for the mobility's subject area overrides the rows for all areas.
    specific = [skill for skill in rows if skill.subject]
    for skill in specific or rows:
        wanted = skill.levels[mobility.type]
        if _CEFR_ORDER.index(level) < _CEFR_ORDER.index(wanted):
            project.problems.append(where.problem(
                ("language", "level"), f"{lang} {level} is below the {lang} {wanted} the agreement "
                                       f"recommends for {mobility.type}", severity="warning"))
            return


def _check_usage(project: Project, usage: dict[tuple[str, int, str], list[tuple[Mobility, Where]]]) -> None:
    for (aid, row_index, year), used in sorted(usage.items(), key=lambda kv: kv[0]):
        agreement = next(r.agreements[aid][0] for r in project.partners.values() if aid in r.agreements)
        row = agreement.terms.mobilities[row_index]
        people = len(used)
        units = sum((mobility_units(m) for m, _ in used), Decimal(0))
        agreed_units = row.months if row.type in STUDENT_TYPES else row.days
        unit = "months" if row.type in STUDENT_TYPES else "days"
        last_mobility, last_where = used[-1]
        if people > row.people:
            project.problems.append(last_where.problem(
                ("agreement",), f"{people} {row.direction} {row.type} mobilities in {year} under {aid!r} "
                                f"(row {row_index + 1}), but the agreement allows {row.people}",
                severity="warning"))
        if agreed_units is not None and units > agreed_units:
            project.problems.append(last_where.problem(
                ("planned",), f"{units.normalize():f} {unit} of {row.direction} {row.type} in {year} under {aid!r} "
                              f"(row {row_index + 1}), but the agreement allows {agreed_units} {unit}",
                severity="warning"))


def _check_overlaps(project: Project) -> None:
    """One person (first and last name, birth date) cannot be on two mobilities at once."""
    people: dict[tuple[str, str, object], list[tuple[Mobility, Where]]] = defaultdict(list)
    for mobility, where, _ in project.mobilities.values():
        p = mobility.participant
        people[(p.first_name, p.last_name, p.birth_date)].append((mobility, where))
    for stays in people.values():
        stays.sort(key=lambda s: (s[0].period.start, s[0].id))
        for i, (later, where) in enumerate(stays):
            for earlier, first in stays[:i]:
                if earlier.period.end < later.period.start:
                    continue
                field = "actual" if later.actual else "planned"
                pos = first.source.locate(first.loc + ("actual" if earlier.actual else "planned",), key=True)
                p = later.participant
                project.problems.append(where.problem(
                    (field,), f"{p.first_name} {p.last_name} (born {p.birth_date.isoformat()}) is on mobility "
                              f"{earlier.id!r} from {earlier.period.start.isoformat()} to "
                              f"{earlier.period.end.isoformat()} ({first.source.file}:{pos.line}): the stays "
                              "overlap", key=True))
                project.failed |= {later.id, earlier.id}


def _check_languages(project: Project, catalogs: Catalogs) -> None:
    """A document language is one the office prints in (docgen.yaml) and has a catalog for."""
    have = sorted(lang for lang, messages in catalogs.messages.items() if messages)
    offered = set(project.languages)

    def missing(lang: str) -> str | None:
        if lang not in have:
            return (f"no catalog for the language {lang!r} (catalogs: {', '.join(have)}); add its wording as "
                    f"templates/locale/{lang}/*.po")
        if lang not in offered:
            return f"{lang!r} is not one of the office's document languages ({', '.join(project.languages)})"
        return None

    for partner in project.partners.values():
        for agreement, where in partner.agreements.values():
            for i, lang in enumerate(agreement.languages):
                if (why := missing(lang)) is not None:
                    project.problems.append(where.problem(("languages", i), why))
    source, policy = project.policy_source, project.policy
    if source is None:
        return
    used: list[tuple[Loc, str | None]] = [(("language",), policy.language),
                                          (("working_language",), policy.working_language),
                                          (("contract", "language"), policy.contract.language),
                                          (("contract", "other"), policy.contract.other),
                                          (("letter", "language"), policy.letter.language),
                                          (("letter", "foreign"), policy.letter.foreign)]
    used += [(("document_languages", i), lang) for i, lang in enumerate(policy.document_languages or [])]
    used += [(("confirmation_languages", i), lang) for i, lang in enumerate(policy.confirmation_languages or [])]
    used += [(("contract", "by_nationality", nat), lang)
             for nat, lang in (policy.contract.by_nationality or {}).items()]
    for loc, lang in used:
        if lang is not None and (why := missing(lang)) is not None:
            project.problems.append(source.problem(("office",) + loc, why))


def run(project: Project, catalogs: Catalogs | None = None) -> None:
    """Apply every cross-record rule; problems are appended to `project.problems`.

    With the catalogs, also warn where an agreement's terms changed since a side signed them.
    """
    _check_ids(project)
    _check_names(project)
    _check_signatories(project)
    _check_subjects(project)
    _check_iia_contacts(project)
    _check_mobilities(project)
    _check_failed_mobilities(project)
    _check_overlaps(project)
    if catalogs is not None:
        _check_languages(project, catalogs)
        terms.check_signed(project, catalogs)
    _check_ewp(project)
    project.problems.sort()
