"""Eligibility, scores line by line, the ranking per place row with its ties explained, reserve lists and
replacements after resignations: what `docgen rank`, the lists, the protocol and the decisions all read."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from docgen.errors import UsageError
from docgen.recruitment import expr
from docgen.recruitment.deadlines import Deadline, appeal_deadline
from docgen.recruitment.load import CallRecord, Recruitment
from docgen.recruitment.models import Application, Call, Criterion, Places, TieBreak


@dataclass(frozen=True)
class Line:
    criterion: Criterion
    detail: str  # how the points follow from the answers
    points: Decimal


@dataclass
class Scored:
    app: Application
    answers: dict[str, expr.Value]  # after upheld appeals' corrections
    missing: list[str] = field(default_factory=list)  # document ids not filed (formal check 0)
    failed: list[str] = field(default_factory=list)  # eligibility rule ids not met
    lines: list[Line] = field(default_factory=list)
    points: Decimal = Decimal(0)
    total: Decimal = Decimal(0)
    capped: bool = False

    @property
    def eligible(self) -> bool:
        return not self.missing and not self.failed


@dataclass(frozen=True)
class Tie:
    first: str
    second: str
    total: Decimal
    by: TieBreak | None  # None: no tie-break separates them, the recruitment number does


@dataclass(frozen=True)
class Replacement:
    resigned: str
    by: str | None  # None: the reserve list was empty
    date: dt.date


@dataclass
class RowResult:
    row: Places
    ranking: list[Scored]  # every eligible applicant of the row, best first
    qualified: list[str]  # recruitment numbers, after replacements
    reserve: list[str]
    resigned: list[str]
    replacements: list[Replacement]
    ties: list[Tie]
    initially_qualified: list[str]


@dataclass
class Ranked:
    call: Call
    scored: dict[str, Scored]
    rows: list[RowResult]

    def row_of(self, app_id: str) -> RowResult | None:
        return next((r for r in self.rows if any(s.app.id == app_id for s in r.ranking)), None)

    def status(self, app_id: str) -> str:
        """ineligible, qualified, reserve or resigned."""
        if not self.scored[app_id].eligible:
            return "ineligible"
        row = self.row_of(app_id)
        assert row is not None
        if app_id in row.resigned:
            return "resigned"
        return "qualified" if app_id in row.qualified else "reserve"

    def replaced(self, app_id: str) -> Replacement | None:
        """The resignation this applicant moved up for, if any."""
        for row in self.rows:
            for rep in row.replacements:
                if rep.by == app_id:
                    return rep
        return None


def env_of(app: Application, answers: dict[str, expr.Value]) -> dict[str, expr.Value]:
    return {**answers, "type": app.type, "partner": app.partner, "faculty": app.applicant.faculty or ""}


def _fmt(v: expr.Value) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    return str(v)


def _score_line(c: Criterion, env: dict[str, expr.Value]) -> Line:
    if c.points is not None:
        holds = True if c.when is None else expr.evaluate(expr.parse(c.when), env)
        return Line(c, f"{c.when}: {_fmt(holds)}" if c.when else "granted", c.points if holds else Decimal(0))
    if c.table is not None:
        value = env[c.field or ""]
        return Line(c, f"{c.field} = {_fmt(value)}", c.table.get(str(value), Decimal(0)))
    if c.bands is not None:
        value = env[c.field or ""]
        assert isinstance(value, Decimal)
        for band in c.bands:
            if (band.above is None or value > band.above) and (band.up_to is None or value <= band.up_to):
                shown = (f"over {band.above}" if band.above is not None else "") + \
                        (" and " if band.above is not None and band.up_to is not None else "") + \
                        (f"up to {band.up_to}" if band.up_to is not None else "")
                return Line(c, f"{c.field} = {value} ({shown})", band.points)
        return Line(c, f"{c.field} = {value} (no band)", Decimal(0))
    value = expr.evaluate(expr.parse(c.formula or "0"), env)
    assert isinstance(value, Decimal)
    return Line(c, f"{c.formula} = {value}", value)


def score(call: Call, app: Application) -> Scored:
    """The formal check, eligibility and every scoring line of one application."""
    answers: dict[str, expr.Value] = dict(app.answers)
    for event in app.events:
        if event.event == "appeal" and event.outcome == "upheld":
            answers.update(event.answers)
    result = Scored(app, answers)
    env = env_of(app, answers)
    result.missing = [d.id for d in call.documents if d.id not in app.documents]
    result.failed = [r.id for r in call.eligibility if expr.evaluate(expr.parse(r.when), env) is not True]
    result.lines = [_score_line(c, env) for c in call.criteria]
    result.points = sum((line.points for line in result.lines), Decimal(0))
    total = expr.evaluate(expr.parse(call.total.formula), {**env, "points": result.points})
    assert isinstance(total, Decimal)
    if call.total.max is not None and total > call.total.max:
        total, result.capped = call.total.max, True
    result.total = total.quantize(Decimal(1).scaleb(-call.total.decimals), rounding=ROUND_HALF_UP)
    return result


def _tie_value(t: TieBreak, s: Scored) -> tuple[object, ...]:
    """Smaller sorts first."""
    if t.earlier:
        return (s.app.submitted, s.app.time or "99:99")
    value = expr.evaluate(expr.parse(t.prefer or t.higher or ""), env_of(s.app, s.answers))
    if t.prefer:
        return (0 if value is True else 1,)
    assert isinstance(value, Decimal)
    return (-value,)


def _sort_key(call: Call, s: Scored) -> tuple[object, ...]:
    return (-s.total, *(_tie_value(t, s) for t in call.tie_breaks), s.app.id)


def rank(record: CallRecord) -> Ranked:
    """The call's lists. The same inputs give the same lists: every order ends with the recruitment number."""
    call = record.call
    scored = {app.id: score(call, app) for app, _ in record.applications}
    rows: list[RowResult] = []
    for row in call.places:
        members = [s for s in scored.values() if s.eligible and s.app.partner == row.partner
                   and s.app.type == row.type and (row.faculty is None or s.app.applicant.faculty == row.faculty)
                   and not any(r is not row and _matches(r, s.app) and r.faculty is not None and row.faculty is None
                               for r in call.places)]
        ranking = sorted(members, key=lambda s: _sort_key(call, s))
        ties = []
        for a, b in zip(ranking, ranking[1:]):
            if a.total == b.total:
                by = next((t for t in call.tie_breaks if _tie_value(t, a) != _tie_value(t, b)), None)
                ties.append(Tie(a.app.id, b.app.id, a.total, by))
        qualified = [s.app.id for s in ranking[:row.places]]
        initially = list(qualified)
        reserve = [s.app.id for s in ranking[row.places:]]
        resignations = sorted(((e.date, s.app.id) for s in ranking for e in s.app.events if e.event == "resigned"))
        resigned: list[str] = []
        replacements: list[Replacement] = []
        for date, app_id in resignations:
            resigned.append(app_id)
            if app_id in qualified:
                qualified.remove(app_id)
                by = reserve.pop(0) if reserve else None
                if by is not None:
                    qualified.append(by)
                replacements.append(Replacement(app_id, by, date))
            elif app_id in reserve:
                reserve.remove(app_id)
        rows.append(RowResult(row, ranking, qualified, reserve, resigned, replacements, ties, initially))
    return Ranked(call, scored, rows)


def _matches(row: Places, app: Application) -> bool:
    return row.partner == app.partner and row.type == app.type and \
        (row.faculty is None or app.applicant.faculty == row.faculty)


def call_record(recruitment: Recruitment | None, call_id: str) -> CallRecord:
    if recruitment is None or call_id not in recruitment.calls:
        if recruitment is not None and call_id in recruitment.failed_calls:
            raise UsageError(f"the call {call_id!r} has errors: run docgen check")
        known = ", ".join(sorted(recruitment.calls)) if recruitment else ""
        raise UsageError(f"no call {call_id!r} in data/calls/" + (f" (calls: {known})" if known else ""))
    return recruitment.calls[call_id]


def deadline(recruitment: Recruitment, call: Call, app: Application) -> Deadline:
    return appeal_deadline(app.delivered or call.delivered, call.appeal, recruitment.holidays)
