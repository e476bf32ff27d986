"""The canonical text of an agreement's terms, its SHA-256, the § outline of cooperation agreements, signed-terms checks."""
from __future__ import annotations

# The canonical text ("docgen terms 1") is UTF-8 with LF line ends, one fact a line, in this order:
#
#   docgen terms 1
#   agreement <id> (<kind>) with <partner id>
#   languages: <codes in the agreement's order>
#   action: <KA...>                                   (Erasmus+ only)
#   years: <first> – <last> | years: from <first>, for an indefinite period
#   mobility: <Type>, <sender> → <receiver>, <subjects>[, EQF <cycles>]: <n> people[, <m> months|days] a year
#   language skill: receiving <code>, <subject or all subjects>: <main>[ (or <additional>)]; <type> <level>, ...
#                                                     (types in the order studies, traineeship, teaching, training)
#   nominations: receiving <code>: autumn MM-DD, spring MM-DD
#   decisions: within <n> weeks / transcripts: within <n> weeks
#   requirement <n> [<lang>]: <text>                 (in each language of the agreement)
#   notice: <n> months | <n> academic years
#   § <n> [<lang>]: <the sentence as printed>   (bilateral and general agreements; the preamble is § 0)
#
# Rows, skills and deadlines keep the data's order (the documents print them in it); a sender or receiver
# is the Erasmus code, else the English city. Wording is resolved: a scope clause without text reads the
# catalog's `scope.<topic>` (or its paragraph's own key), in every language of the agreement, and each
# sentence carries the § it stands under. Whitespace runs are one space, so YAML folding and quoting do not
# count. Left out: contacts, addresses, signatures and status, place, comments, key order and the ISCED
# reference names (a subject's own `name:` override is a term and is kept).

import hashlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from docgen.errors import Problem, TemplateError, UsageError
from docgen.documents.i18n import Catalogs, language_name, local, plural
from docgen.model.models import STUDENT_TYPES, Agreement, CooperationCondition, Institution, ScopeClause, StatusEvent
from docgen.model.project import Project, Where

FORMAT = "docgen terms 1"
SHORT = 12  # hex digits of the short hash printed in a footer
SIDES = ("home", "partner")
TYPE_LABEL = {"student-studies": "Student studies", "student-traineeship": "Student traineeship",
              "staff-teaching": "Staff teaching", "staff-training": "Staff training"}
# Bilateral agreements print these topics as paragraphs of their own, not as items of the scope list.
_BILATERAL_OWN = ("research-programmes", "yearly-programmes", "intellectual-property")


# ---------------------------------------------------------------- the § outline of cooperation agreements


@dataclass(frozen=True)
class LanguageName:
    """A message value that is a language's name, spelled in the language of the sentence."""

    code: str


@dataclass(frozen=True)
class Part:
    """One sentence (or list item) of a paragraph: a catalog message, or a scope clause's own text.

    `count` picks a plural form (`key.one`, `key.few`, ...); `end` (";" or ".") replaces the clause's own
    final punctuation, as the general agreement's lists do.
    """

    key: str | None = None
    clause: ScopeClause | None = None
    values: Mapping[str, Any] = field(default_factory=dict)
    count: int | None = None
    end: str | None = None
    item: bool = False  # a list item under the paragraph's first sentence

    def text(self, catalogs: Catalogs, lang: str) -> str:
        if self.clause is not None and self.clause.text:
            words = local(self.clause.text, lang, "scope clause")
        else:
            assert self.key is not None
            key = f"{self.key}.{plural(lang, self.count)}" if self.count is not None else self.key
            values = {name: language_name(v.code, lang) if isinstance(v, LanguageName) else v
                      for name, v in self.values.items()}
            words = catalogs.gettext(lang, key, **values)
        if self.end is not None:
            words = words.rstrip(";. ") + self.end
        return words


@dataclass(frozen=True)
class Paragraph:
    number: int  # the § it stands under; 0 for the unnumbered preamble
    parts: tuple[Part, ...]


def split_scope(scope: list[ScopeClause]) -> dict[str, list[ScopeClause]]:
    """The general agreement's scope clauses by where it prints them, in data order.

    Yearly programmes and intellectual property have paragraphs of their own whatever their area; a general
    'other' clause replaces the standard wording on further activities; every other clause is an item of the
    research, teaching or general list, by its area. The general agreement's template numbers its §§ by it.
    """
    parts: dict[str, list[ScopeClause]] = {
        "research": [], "teaching": [], "general": [], "yearly": [], "ip": [], "other": [],
    }
    for clause in scope:
        if clause.topic == "yearly-programmes":
            parts["yearly"].append(clause)
        elif clause.topic == "intellectual-property":
            parts["ip"].append(clause)
        elif clause.area == "general" and clause.topic == "other":
            parts["other"].append(clause)
        else:
            parts[clause.area].append(clause)
    return parts


def _bilateral(agreement: Agreement) -> Iterator[tuple[bool, tuple[Part, ...]]]:
    """(numbered?, parts) of templates/html/bilateral-cooperation.html, in its order."""
    terms = agreement.terms
    scope = terms.scope
    yield False, (Part("bilateral.preamble"),)
    yield True, (Part("bilateral.purpose"),)
    yield True, (Part("bilateral.scope_intro"),) + tuple(
        Part(f"scope.{c.topic}", c, item=True) for c in scope if c.topic not in _BILATERAL_OWN)
    for c in scope:
        if c.topic == "research-programmes":
            yield True, (Part("bilateral.research_programmes", c),)
    yield True, (Part("bilateral.open_scope"),)
    for topic, key in (("yearly-programmes", "bilateral.annexes"), ("intellectual-property", "bilateral.ip")):
        for c in scope:
            if c.topic == topic:
                yield True, (Part(key, c),)
    langs = agreement.languages
    force = (Part("bilateral.final_force_two", values={"first": LanguageName(langs[0]),
                                                       "second": LanguageName(langs[1])})
             if len(langs) == 2 else Part("bilateral.final_force_one"))
    term = (Part("bilateral.final_term", values={"last": terms.last_year}) if terms.last_year
            else Part("bilateral.final_indefinite"))
    notice = terms.notice
    assert notice is not None
    notice_part = (Part("bilateral.final_notice_months", values={"months": notice.months}) if notice.months
                   else Part("bilateral.final_notice_years", values={"years": notice.academic_years}))
    yield True, (Part("bilateral.final"), Part("bilateral.final_amendments"), force, term, notice_part)


def _items(intro: str, clauses: list[ScopeClause]) -> tuple[Part, ...]:
    return (Part(intro),) + tuple(Part(f"scope.{c.topic}", c, end="." if i == len(clauses) - 1 else ";", item=True)
                                  for i, c in enumerate(clauses))


def _general(agreement: Agreement) -> Iterator[tuple[bool, tuple[Part, ...]]]:
    """(numbered?, parts) of templates/html/general-cooperation.html, in its order."""
    terms = agreement.terms
    scope = split_scope(terms.scope)
    yield True, (Part("general.subject"),)
    for area in ("research", "teaching", "general"):
        if scope[area]:
            yield True, _items(f"general.{area}_intro", scope[area])
    if scope["yearly"]:
        parts: list[Part] = []
        for c in scope["yearly"]:
            if c.text:
                parts.append(Part(clause=c))
            else:
                parts += [Part("general.yearly")] + [Part(f"general.yearly_{k}", item=True)
                                                     for k in ("subjects", "schedule", "people", "financing")]
        yield True, tuple(parts)
        yield True, (Part("general.units"),)
    if scope["ip"]:
        yield True, tuple(Part("general.ip", c) for c in scope["ip"])
    yield True, (Part("general.amendments"),)
    yield True, tuple(Part(clause=c) for c in scope["other"]) or (Part("general.other"),)
    notice = terms.notice
    assert notice is not None
    yield True, (
        Part("general.term", values={"first": terms.first_year, "last": terms.last_year}) if terms.last_year
        else Part("general.indefinite"),
        Part("general.notice_months", values={"n": notice.months}, count=notice.months) if notice.months
        else Part("general.notice_years", values={"n": notice.academic_years}, count=notice.academic_years),
        Part("general.force"),
    )
    langs = agreement.languages
    yield True, ((Part("general.copies_two", values={"first": LanguageName(langs[0]),
                                                     "second": LanguageName(langs[1])}),)
                 if len(langs) == 2 else (Part("general.copies_one", values={"language": LanguageName(langs[0])}),))


def paragraphs(agreement: Agreement) -> list[Paragraph]:
    """The numbered paragraphs of a bilateral or general agreement: what each § says, in order.

    Numbering rule (both kinds): paragraphs are numbered § 1, § 2, ... in the order printed; a paragraph that
    exists only when the scope has a clause for it (research programmes, yearly programmes, intellectual
    property; and in the general agreement each non-empty research/teaching/general list) takes the next
    number only when present, so the numbers after it move up or down. The bilateral preamble is § 0
    (printed without a number). An Erasmus+ agreement is a form without § numbers: an empty list.
    """
    if agreement.kind == "bilateral-cooperation":
        outline = _bilateral(agreement)
    elif agreement.kind == "general-cooperation":
        outline = _general(agreement)
    else:
        return []
    out: list[Paragraph] = []
    number = 0
    for numbered, parts in outline:
        if numbered:
            number += 1
        out.append(Paragraph(number if numbered else 0, parts))
    return out


# ---------------------------------------------------------------- canonical lines


@dataclass(frozen=True)
class Line:
    """One line of the canonical text. `key` identifies it across revisions (for the diff); `figures`
    are a mobility row's counted values (value, unit), so a diff can say "2 → 3 people"."""

    section: str
    key: str
    text: str
    figures: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        return f"{self.section}: {self.text}" if self.section else self.text


@dataclass(frozen=True)
class CanonicalTerms:
    agreement_id: str
    partner_id: str
    lines: tuple[Line, ...]

    @property
    def text(self) -> str:
        return "\n".join(str(line) for line in self.lines) + "\n"

    @property
    def hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def _ws(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _number(value: Decimal | int) -> str:
    return f"{Decimal(value).normalize():f}"


def _units(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


def row_label(row: CooperationCondition, home: Institution, partner: Institution) -> str:
    """'Staff teaching, Khmelnytskyi → PL BYDGOSZ02, 061': what identifies a row in words."""
    sender, receiver = (home, partner) if row.direction == "outgoing" else (partner, home)
    subjects = ", ".join(
        s.code + (f" ({' / '.join(_ws(s.name[k]) for k in sorted(s.name))})" if s.name else "")
        for s in row.subjects)
    cycles = f", EQF {' '.join(str(c) for c in sorted(row.cycles))}" if row.cycles else ""
    return f"{TYPE_LABEL[row.type]}, {sender.code_or_city} → {receiver.code_or_city}, {subjects}{cycles}"


def row_figures(row: CooperationCondition) -> tuple[tuple[str, str], ...]:
    figures = [(str(row.people), _units(row.people, "person", "people"))]
    if row.type in STUDENT_TYPES and row.months is not None:
        figures.append((_number(row.months), "month" if row.months == 1 else "months"))
    elif row.days is not None:
        figures.append((str(row.days), _units(row.days, "day", "days")))
    return tuple(figures)


def figures_text(figures: tuple[tuple[str, str], ...]) -> str:
    return ", ".join(f"{value} {unit}" for value, unit in figures) + " a year"


def canonical(project: Project, catalogs: Catalogs, agreement_id: str) -> CanonicalTerms:
    """The canonical terms of one agreement (see the module comment for the format)."""
    partner_id, agreement = find(project, agreement_id)
    home = project.home
    assert home is not None
    partner = project.partners[partner_id].institution
    codes = {"home": home.code_or_city, "partner": partner.code_or_city}
    terms = agreement.terms
    lines = [Line("", "format", FORMAT),
             Line("agreement", "id", f"{agreement.id} ({agreement.kind}) with {partner_id}"),
             Line("languages", "languages", ", ".join(agreement.languages))]
    if terms.action:
        lines.append(Line("action", "action", terms.action))
    years = (f"{terms.first_year} – {terms.last_year}" if terms.last_year
             else f"from {terms.first_year}, for an indefinite period")
    lines.append(Line("years", "years", years))
    seen: dict[str, int] = {}
    for row in terms.mobilities:
        label = row_label(row, home, partner)
        seen[label] = seen.get(label, 0) + 1
        key = label if seen[label] == 1 else f"{label} #{seen[label]}"
        figures = row_figures(row)
        lines.append(Line("mobility", key, f"{label}: {figures_text(figures)}", figures))
    for skill in terms.language_skills:
        subject = skill.subject or "all subjects"
        languages = skill.main_language + (f" (or {skill.additional_language})" if skill.additional_language else "")
        levels = ", ".join(f"{t} {skill.levels[t]}" for t in TYPE_LABEL if t in skill.levels)
        key = f"receiving {codes[skill.receiving]}, {subject}"
        lines.append(Line("language skill", key, f"{key}: {languages}; {levels}"))
    if terms.calendar is not None:
        for d in terms.calendar.nominations:
            key = f"receiving {codes[d.receiving]}"
            lines.append(Line("nominations", key, f"{key}: autumn {d.autumn}, spring {d.spring}"))
        lines.append(Line("decisions", "decisions", f"within {terms.calendar.decision_weeks} weeks"))
        lines.append(Line("transcripts", "transcripts", f"within {terms.calendar.transcript_weeks} weeks"))
    for i, requirement in enumerate(terms.additional_requirements, 1):
        for lang in agreement.languages:
            text = _ws(local(requirement, lang, f"additional requirement {i}"))
            lines.append(Line(f"requirement {i} [{lang}]", f"requirement {i} [{lang}]", text))
    if terms.notice is not None:
        n = terms.notice
        notice = (f"{n.months} {_units(n.months, 'month', 'months')}" if n.months is not None
                  else f"{n.academic_years} {_units(n.academic_years or 0, 'academic year', 'academic years')}")
        lines.append(Line("notice", "notice", notice))
    for lang in agreement.languages:
        for paragraph in paragraphs(agreement):
            for part in paragraph.parts:
                text = _ws(part.text(catalogs, lang))
                lines.append(Line(f"§ {paragraph.number} [{lang}]", f"[{lang}]",
                                  f"- {text}" if part.item else text))
    return CanonicalTerms(agreement.id, partner_id, tuple(lines))


def find(project: Project, agreement_id: str) -> tuple[str, Agreement]:
    """(partner id, agreement) of a valid agreement, or a UsageError saying why there is none."""
    for pid, record in sorted(project.partners.items()):
        if agreement_id in record.agreements:
            return pid, record.agreements[agreement_id][0]
    if agreement_id in project.failed:
        raise UsageError(f"agreement {agreement_id!r} has data errors (run docgen check)")
    raise UsageError(f"no agreement with id {agreement_id!r}")


def terms_hash(project: Project, catalogs: Catalogs, agreement_id: str) -> str:
    """SHA-256 (64 hex digits) of the agreement's canonical terms; a footer prints `short_hash()` of it."""
    return canonical(project, catalogs, agreement_id).hash


def short_hash(full: str) -> str:
    return full[:SHORT]


# ---------------------------------------------------------------- signed terms


def same_terms(recorded: str, current: str) -> bool:
    """A recorded hash may be the full SHA-256 or a prefix of it (as copied from a footer)."""
    return current.startswith(recorded)


def signed_now(agreement: Agreement) -> list[tuple[int, StatusEvent]]:
    """Per side, its latest signature that recorded a terms hash, with the event's index in `status`.

    Earlier signatures of the same side are history (the terms they signed were since amended and signed
    again), so only the latest one counts.
    """
    out = []
    for side in SIDES:
        events = [(i, e) for i, e in enumerate(agreement.status) if e.status == "signed" and e.by == side]
        if events:
            i, event = max(events, key=lambda ie: (ie[1].date, ie[0]))
            if event.terms_hash is not None:
                out.append((i, event))
    return out


def changed_since_signed(project: Project, catalogs: Catalogs, agreement_id: str,
                         current: str | None = None) -> list[tuple[int, StatusEvent]]:
    """The signature events whose recorded terms hash differs from the current terms (`current`: their hash,
    when the caller has it already)."""
    _, agreement = find(project, agreement_id)
    current = current or terms_hash(project, catalogs, agreement_id)
    return [(i, e) for i, e in signed_now(agreement) if e.terms_hash and not same_terms(e.terms_hash, current)]


def is_amendment_draft(project: Project, catalogs: Catalogs, agreement_id: str) -> bool:
    """True when a side signed terms that have changed since: the document is then a draft of an amendment."""
    return bool(changed_since_signed(project, catalogs, agreement_id))


def check_signed(project: Project, catalogs: Catalogs) -> None:
    """Warn, at the signature event, for every agreement whose terms changed since a side signed them."""
    for record in project.partners.values():
        for aid, (agreement, where) in record.agreements.items():
            if aid in project.failed or not any(e.terms_hash for e in agreement.status):
                continue
            try:
                changed = changed_since_signed(project, catalogs, aid)
            except TemplateError as exc:  # a missing translation: the documents report it; say why here too
                project.problems.append(where.problem(("terms",), f"terms cannot be hashed: {exc}",
                                                      severity="warning"))
                continue
            for i, event in changed:
                project.problems.append(_signed_problem(where, i, event))
    project.problems.sort()


def _signed_problem(where: Where, index: int, event: StatusEvent) -> Problem:
    return where.problem(("status", index, "terms_hash"),
                         f"terms changed since signed on {event.date.isoformat()}: "
                         "amendment or new signatures needed", severity="warning")
