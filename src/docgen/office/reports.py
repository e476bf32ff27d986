"""The office's reports: agreements to renew or sign, places used per agreement row, money per call, counts."""
from __future__ import annotations

import calendar
import datetime as dt
import html
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from docgen.money import grants
from docgen.files import write_atomic
from docgen.model.checks import mobility_units, row_index
from docgen.documents.cooperation_letter import LINES, year_counts
from docgen.errors import DocgenError
from docgen.model.loader import in_scope
from docgen.model.models import STUDENT_TYPES, Agreement, Mobility, year_start
from docgen.office.newrecords import current_year
from docgen.build.paths import inside, reports_dir
from docgen.model.project import Project, Where

# What each figure means where the issue was silent (year end, over-used, unused, advance due and paid)
# is written out in the README's "Choices made" section; every amount comes from docgen.money.grants.
YEAR_ENDS = (9, 30)  # month, day in the second calendar year of an academic year


class ReportError(DocgenError):
    """No report can be made (the home institution file has errors)."""


@dataclass(frozen=True)
class Table:
    """One table of the report: `build/reports/<name>.csv` and a table of the HTML page."""

    name: str
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    flag_column: str | None = None  # rows with a value there are highlighted on the page


@dataclass(frozen=True)
class LeftOut:
    record: str
    why: str


@dataclass(frozen=True)
class AgreementState:
    partner: str
    agreement: str
    kind: str
    first_year: str
    last_year: str | None
    ends: dt.date | None  # None: concluded for an indefinite period
    ended_by: str  # 'last year' or 'terminated'
    days_left: int | None  # negative: ended that many days ago
    expiry: str  # 'expired', 'expiring' or ''
    home_signed: dt.date | None
    partner_signed: dt.date | None
    sent: dt.date | None  # the latest 'sent' event
    days_waiting: int | None  # since sent, while a signature is missing

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(side for side, signed in (("home", self.home_signed), ("partner", self.partner_signed))
                     if signed is None)


@dataclass(frozen=True)
class RowUse:
    """One agreement row in one academic year: agreed, planned and done."""

    partner: str
    agreement: str
    row: int  # 1-based, as the check's warnings number it
    direction: str
    type: str
    subjects: str
    academic_year: str
    unit: str  # 'months' or 'days'
    people_agreed: int
    units_agreed: Decimal | None
    people_planned: int
    units_planned: Decimal
    people_done: int
    units_done: Decimal

    @property
    def flag(self) -> str:
        over = []
        if max(self.people_planned, self.people_done) > self.people_agreed:
            over.append(f"{max(self.people_planned, self.people_done)} of {self.people_agreed} people")
        used = max(self.units_planned, self.units_done)
        if self.units_agreed is not None and used > self.units_agreed:
            over.append(f"{_number(used)} of {_number(self.units_agreed)} {self.unit}")
        if over:
            return "over-used: " + ", ".join(over)
        return "unused" if self.people_planned == 0 else ""


@dataclass
class MoneySum:
    """Grants of the mobilities of one call, academic year, type and direction (or one call and month)."""

    currency: str
    mobilities: int = 0
    committed: Decimal = grants.ZERO
    advance: Decimal = grants.ZERO
    advance_due: Decimal = grants.ZERO
    balance: Decimal = grants.ZERO
    settled: int = 0
    advance_paid: Decimal = grants.ZERO
    due: Decimal = grants.ZERO
    to_pay: Decimal = grants.ZERO
    repayment: Decimal = grants.ZERO

    def add(self, s: grants.Settlement, mobility: Mobility, today: dt.date) -> None:
        g = s.planned
        self.mobilities += 1
        self.committed += g.total
        self.advance += g.advance
        self.balance += g.balance
        if mobility.signed is not None and mobility.signed + dt.timedelta(days=g.advance_due_days) <= today:
            self.advance_due += g.advance
        if mobility.actual is not None:
            self.settled += 1
            self.advance_paid += s.advance_paid
            self.due += s.due.total
            self.to_pay += max(s.balance, grants.ZERO)
            self.repayment += s.repayment


@dataclass
class Report:
    today: dt.date
    months: int
    agreements: list[AgreementState] = field(default_factory=list)
    rows: list[RowUse] = field(default_factory=list)
    money: dict[tuple[str, str, str, str], MoneySum] = field(default_factory=dict)  # call, year, type, direction
    money_months: dict[tuple[str, str], MoneySum] = field(default_factory=dict)  # call, YYYY-MM of the start
    paid_by_sender: list[str] = field(default_factory=list)  # incoming mobilities the sending side pays
    letter: list[tuple[str, str, str, str, int]] = field(default_factory=list)  # partner, year, dir, cat, n
    na: dict[tuple[str, str, str, str, str], list[int]] = field(default_factory=dict)
    left_out: list[LeftOut] = field(default_factory=list)

    @property
    def expiring(self) -> list[AgreementState]:
        return [a for a in self.agreements if a.expiry]

    @property
    def unsigned(self) -> list[AgreementState]:
        return [a for a in self.agreements if a.missing and a.expiry != "expired" and a.ended_by != "terminated"]


# ============================================================================ dates


def year_end(academic_year: str) -> dt.date:
    """`2020/2021` → 2021-09-30, the day before the next year starts (newrecords.current_year: 1 October)."""
    return dt.date(year_start(academic_year) + 1, *YEAR_ENDS)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when it has fewer days)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _years(first: str, last: str) -> list[str]:
    return [f"{y}/{y + 1}" for y in range(year_start(first), year_start(last) + 1)]


# ============================================================================ the report


def build_report(project: Project, today: dt.date, months: int = 12) -> Report:
    """Every figure of the report, from the valid records of a checked project."""
    if project.home is None:
        raise ReportError("the home institution file has errors: no report (run docgen check)")
    report = Report(today, months)
    report.left_out = _left_out(project)
    agreements = _valid_agreements(project)
    mobilities = sorted((m for m, _, _ in project.mobilities.values() if m.id not in project.failed),
                        key=lambda m: (m.academic_year, m.planned.start, m.id))
    report.agreements = [_state(pid, a, today, months) for pid, a in agreements]
    report.rows = _row_use(agreements, mobilities, current_year(today))
    _money(project, mobilities, report)
    _counts(project, mobilities, report)
    return report


def _valid_agreements(project: Project) -> list[tuple[str, Agreement]]:
    found = [(pid, agreement) for pid, record in project.partners.items()
             for agreement, _ in record.agreements.values() if agreement.id not in project.failed]
    return sorted(found, key=lambda pa: (pa[0], pa[1].id))


def _state(partner: str, agreement: Agreement, today: dt.date, months: int) -> AgreementState:
    terms = agreement.terms
    ends = year_end(terms.last_year) if terms.last_year else None
    ended_by = "last year" if ends else ""
    terminated = agreement.terminated
    if terminated is not None and (ends is None or terminated.date < ends):
        ends, ended_by = terminated.date, "terminated"
    expiry = ""
    if ends is not None:
        expiry = "expired" if ends < today else "expiring" if ends <= add_months(today, months) else ""
    home, other = agreement.signed_by("home"), agreement.signed_by("partner")
    sent = max((e.date for e in agreement.status if e.status == "sent"), default=None)
    waiting = (today - sent).days if sent is not None and (home is None or other is None) else None
    return AgreementState(partner, agreement.id, agreement.kind, terms.first_year, terms.last_year, ends,
                          ended_by, (ends - today).days if ends else None, expiry,
                          home.date if home else None, other.date if other else None, sent, waiting)


def _row_use(agreements: list[tuple[str, Agreement]], mobilities: list[Mobility], current: str) -> list[RowUse]:
    used: dict[tuple[str, int, str], list[Mobility]] = defaultdict(list)
    by_id = {a.id: a for _, a in agreements}
    for m in mobilities:
        agreement = by_id.get(m.agreement)
        index = row_index(agreement, m) if agreement is not None else None
        if index is not None:
            used[(m.agreement, index, m.academic_year)].append(m)
    out = []
    for pid, agreement in agreements:
        terms = agreement.terms
        last = min(terms.last_year or current, current)
        for i, row in enumerate(terms.mobilities):
            years = set(_years(terms.first_year, last)) if terms.first_year <= last else set()
            years |= {y for (aid, r, y) in used if aid == agreement.id and r == i}
            student = row.type in STUDENT_TYPES
            agreed = row.months if student else (Decimal(row.days) if row.days is not None else None)
            for year in sorted(years):
                ms = used.get((agreement.id, i, year), [])
                done = [m for m in ms if m.actual is not None]
                out.append(RowUse(
                    pid, agreement.id, i + 1, row.direction, row.type, ", ".join(s.code for s in row.subjects),
                    year, "months" if student else "days", row.people, agreed,
                    len(ms), sum((mobility_units(m) for m in ms), Decimal(0)),
                    len(done), sum((mobility_units(m, m.actual) for m in done), Decimal(0))))
    return out


def _money(project: Project, mobilities: list[Mobility], report: Report) -> None:
    assert project.home is not None
    for m in mobilities:
        rates = project.rates[m.funding.call][0]
        if not grants.home_pays(m, rates):
            report.paid_by_sender.append(m.id)
            continue
        try:
            s = grants.settle(m, rates, project.home, project.partners[m.partner].institution)
        except grants.GrantError as exc:
            report.left_out.append(LeftOut(f"mobility {m.id}", f"left out of the money tables: {exc}"))
            continue
        key = (m.funding.call, m.academic_year, m.type, m.direction)
        report.money.setdefault(key, MoneySum(rates.currency)).add(s, m, report.today)
        month = (m.funding.call, m.planned.start.strftime("%Y-%m"))
        report.money_months.setdefault(month, MoneySum(rates.currency)).add(s, m, report.today)
    report.money = dict(sorted(report.money.items()))
    report.money_months = dict(sorted(report.money_months.items()))


def _counts(project: Project, mobilities: list[Mobility], report: Report) -> None:
    """The rector's letter's lines (the letter's own year_counts) and the National Agency's breakdown."""
    direction_category = {key: (d, c) for d, c, key in LINES}
    for pid in sorted({m.partner for m in mobilities}):
        for year in year_counts([m for m in mobilities if m.partner == pid]):
            for line in year["lines"]:
                report.letter.append((pid, year["year"], *direction_category[line["key"]], line["n"]))
    na: dict[tuple[str, str, str, str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for m in mobilities:
        country = project.partners[m.partner].institution.country
        counts = na[(m.academic_year, m.funding.call, m.type, m.direction, country)]
        counts[0] += 1
        counts[1] += m.funding.fewer_opportunities
        counts[2] += m.green_travel
    report.na = dict(sorted(na.items()))


def _left_out(project: Project) -> list[LeftOut]:
    """Every record with errors, with its first located problem (all of them: docgen check)."""
    out: list[LeftOut] = []
    placed: set[str] = set()

    def first_error(where: Where, mobility: Mobility | None = None) -> str:
        found = next((p for p in project.errors if p.file == where.source.file and in_scope(p, where.loc)), None)
        if found:
            return str(found)
        if mobility is not None and mobility.partner in project.failed_partners:
            return f"its partner {mobility.partner!r} has errors"
        if mobility is not None and mobility.agreement in project.failed:
            return f"its agreement {mobility.agreement!r} has errors"
        return "it depends on a record with errors"

    for pid in sorted(project.failed_partners):
        file = project.display(project.root / "partners" / f"{pid}.yaml")
        found = next((p for p in project.errors if p.file == file), None)
        out.append(LeftOut(f"partner {pid}", str(found) if found else "the partner file has errors"))
        placed.add(pid)
    for pid, record in sorted(project.partners.items()):
        for aid, (_, where) in sorted(record.agreements.items()):
            if aid in project.failed:
                out.append(LeftOut(f"agreement {aid}", first_error(where)))
                placed.add(aid)
    for mid, (mobility, where, _) in sorted(project.mobilities.items()):
        if mid in project.failed:
            out.append(LeftOut(f"mobility {mid}", first_error(where, mobility)))
            placed.add(mid)
    for raw, where in project.failed_mobilities:
        mid = raw.get("id")
        name = mid if isinstance(mid, str) else f"{where.source.file} mobilities[{where.loc[-1]}]"
        out.append(LeftOut(f"mobility {name}", first_error(where)))
        placed.add(str(mid))
    for rid in sorted(project.failed - placed):
        out.append(LeftOut(f"record {rid}", "it has errors, or its partner file has (run docgen check)"))
    return out


# ============================================================================ tables


def tables(report: Report) -> list[Table]:
    """The report's tables, in the order of the page."""
    money_header = ("mobilities", "currency", "committed", "advance", "advance_due", "balance", "settled",
                    "advance_paid", "due", "balance_to_pay", "repayment")

    def money_cells(s: MoneySum) -> tuple[Any, ...]:
        return (s.mobilities, s.currency, s.committed, s.advance, s.advance_due, s.balance, s.settled,
                s.advance_paid, s.due, s.to_pay, s.repayment)

    places: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for r in report.rows:
        cell = places[(r.partner, r.academic_year)]
        cell[0] += r.people_agreed
        cell[1] += r.people_planned
        cell[2] += r.people_done
    return [
        Table("expiring", f"Agreements expired or ending within {report.months} months of {report.today}",
              ("partner", "agreement", "kind", "first_year", "last_year", "ends", "ended_by", "days_left", "expiry"),
              tuple((a.partner, a.agreement, a.kind, a.first_year, a.last_year, a.ends, a.ended_by, a.days_left,
                     a.expiry) for a in report.expiring), "expiry"),
        Table("signatures", "Agreements whose signatures are incomplete",
              ("partner", "agreement", "kind", "missing", "home_signed", "partner_signed", "sent", "days_waiting"),
              tuple((a.partner, a.agreement, a.kind, " and ".join(a.missing), a.home_signed, a.partner_signed,
                     a.sent, a.days_waiting) for a in report.unsigned)),
        Table("rows", "Places per agreement row and academic year: agreed, planned, done (with actual dates)",
              ("partner", "agreement", "row", "direction", "type", "subjects", "academic_year", "unit",
               "people_agreed", "people_planned", "people_done", "agreed", "planned", "done", "flag"),
              tuple((r.partner, r.agreement, r.row, r.direction, r.type, r.subjects, r.academic_year, r.unit,
                     r.people_agreed, r.people_planned, r.people_done, *_units(r), r.flag) for r in report.rows),
              "flag"),
        Table("places", "Places per partner and academic year (people, all rows)",
              ("partner", "academic_year", "people_agreed", "people_planned", "people_done"),
              tuple((p, y, *n) for (p, y), n in sorted(places.items()))),
        Table("money", "Grants per call, academic year, type and direction",
              ("call", "academic_year", "type", "direction", *money_header),
              tuple((*key, *money_cells(s)) for key, s in report.money.items())),
        Table("money-by-month", "Grants per call and month of the planned start",
              ("call", "month", *money_header),
              tuple((*key, *money_cells(s)) for key, s in report.money_months.items())),
        Table("letter-counts", "Mobilities in the letters to the rectors (per partner and academic year)",
              ("partner", "academic_year", "direction", "category", "mobilities"), tuple(report.letter)),
        Table("na-counts", "Mobilities for the National Agency",
              ("academic_year", "call", "type", "direction", "country", "mobilities", "fewer_opportunities",
               "green_travel"),
              tuple((*key, *n) for key, n in report.na.items())),
        Table("left-out", "Records left out of the report (they have errors: run docgen check)",
              ("record", "why"), tuple((x.record, x.why) for x in report.left_out)),
    ]


def _units(r: RowUse) -> tuple[Decimal | int | None, ...]:
    """Agreed, planned and done units of a row: months to the hundredth, days whole."""
    values = (r.units_agreed, r.units_planned, r.units_done)
    return values if r.unit == "months" else tuple(None if v is None else int(v) for v in values)


def _number(value: Decimal | int) -> str:
    """`10` for 10.00, `4.5` for 4.50: units as a person reads them."""
    return f"{value.normalize():f}" if isinstance(value, Decimal) else str(value)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def to_csv(table: Table) -> bytes:
    """The table as the spreadsheet export writes one (UTF-8 with a BOM, amounts with a decimal point)."""
    from docgen.office.importer import to_csv as export_csv

    return export_csv(list(table.header), [list(row) for row in table.rows])


# ============================================================================ summary


def summary(report: Report) -> list[str]:
    """What the terminal prints."""
    lines = [f"report of {report.today.isoformat()}"]
    for a in report.expiring:
        when = (f"ended on {a.ends}" if a.expiry == "expired" else f"ends on {a.ends} (in {a.days_left} days)")
        why = "terminated" if a.ended_by == "terminated" else f"last academic year {a.last_year}"
        lines.append(f"  {a.expiry}: {a.agreement} ({a.partner}) {when}, {why}")
    for a in report.unsigned:
        wait = f"sent on {a.sent}, {a.days_waiting} days waiting" if a.sent else "not sent yet"
        lines.append(f"  not signed by the {' and '.join(a.missing)} side: {a.agreement} ({a.partner}), {wait}")
    if not report.expiring and not report.unsigned:
        lines.append(f"  no agreement ends within {report.months} months, every one is signed by both sides")
    over = [r for r in report.rows if r.flag.startswith("over-used")]
    for r in over:
        lines.append(f"  {r.flag}: {r.agreement} row {r.row} ({r.direction} {r.type} {r.subjects}) "
                     f"in {r.academic_year}")
    unused = sum(1 for r in report.rows if r.flag == "unused")
    lines.append(f"  rows: {len(report.rows)} row-years, {len(over)} over-used, {unused} unused")
    for (call, year, kind, direction), s in report.money.items():
        text = (f"  {call} {year} {direction} {kind}: {s.mobilities} mobilit{'y' if s.mobilities == 1 else 'ies'}, "
                f"committed {s.committed:.2f} {s.currency}, advance {s.advance:.2f}")
        if s.settled:
            text += f"; {s.settled} settled: due {s.due:.2f}, to pay {s.to_pay:.2f}, repay {s.repayment:.2f}"
        lines.append(text)
    if report.paid_by_sender:
        lines.append(f"  {len(report.paid_by_sender)} incoming mobilit"
                     f"{'y' if len(report.paid_by_sender) == 1 else 'ies'} paid by the sending institution "
                     "(not in the money tables)")
    return lines


# ============================================================================ the page

_CSS = """
body{font-family:DejaVu Sans,Arial,sans-serif;font-size:13px;margin:2em;color:#222}
h1{font-size:20px}h2{font-size:16px;margin-top:2em}
table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #bbb;padding:2px 6px;text-align:left}
th{background:#eee}td.n{text-align:right}
tr.over-used td,tr.expired td{background:#f9d6d5}tr.unused td,tr.expiring td{background:#fdf3d8}
.chart td{border:none;padding:1px 4px}.bar{height:10px;display:block}
.agreed{background:#9ab}.planned{background:#37a}.done{background:#183}.money{background:#c83}
.legend span{display:inline-block;width:10px;height:10px;margin:0 4px 0 12px}
"""


def _table_html(table: Table) -> str:
    flag = table.header.index(table.flag_column) if table.flag_column else None
    out = [f'<h2 id="{table.name}">{html.escape(table.title)}</h2>',
           f"<p>{len(table.rows)} row(s); also <code>{table.name}.csv</code></p>"]
    if not table.rows:
        return "\n".join(out)
    out.append("<table><thead><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in table.header)
               + "</tr></thead><tbody>")
    for row in table.rows:
        # The flag's first word is the row's class: over-used and expired rows red, unused and expiring amber.
        marked = str(row[flag]).split(":")[0] if flag is not None and row[flag] else ""
        cells = "".join(f'<td class="n">{_cell(v)}</td>' if isinstance(v, (int, Decimal)) else
                        f"<td>{html.escape(_cell(v))}</td>" for v in row)
        out.append(f'<tr class="{marked}">{cells}</tr>' if marked else f"<tr>{cells}</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def _bar(cls: str, value: Decimal | int, scale: Decimal | int) -> str:
    width = Decimal(0) if not scale else (Decimal(value) * 300 / Decimal(scale)).quantize(Decimal(1))
    return f'<span class="bar {cls}" style="width:{width}px"></span>'


def _charts(report: Report, by_name: dict[str, Table]) -> str:
    places = by_name["places"].rows
    top = max((max(r[2], r[3], r[4]) for r in places), default=0)
    out = ['<h2 id="charts">Places used vs agreed, per partner and academic year</h2>',
           '<p class="legend"><span class="agreed"></span>agreed<span class="planned"></span>planned'
           '<span class="done"></span>done</p><table class="chart">']
    for partner, year, agreed, planned, done in places:
        bars = "".join(_bar(c, v, top) for c, v in (("agreed", agreed), ("planned", planned), ("done", done)))
        out.append(f"<tr><td>{html.escape(partner)}</td><td>{year}</td><td>{bars}</td>"
                   f'<td class="n">{planned} / {agreed} ({done} done)</td></tr>')
    out.append("</table>")
    out.append("<h2>Grant money committed per call and month of the planned start</h2><table class=\"chart\">")
    top_money = max((s.committed for s in report.money_months.values()), default=Decimal(0))
    for (call, month), s in report.money_months.items():
        out.append(f"<tr><td>{html.escape(call)}</td><td>{month}</td><td>{_bar('money', s.committed, top_money)}"
                   f'</td><td class="n">{s.committed:.2f} {html.escape(s.currency)}</td></tr>')
    out.append("</table>")
    return "\n".join(out)


def to_html(report: Report, all_tables: list[Table]) -> bytes:
    """One self-contained page: inline CSS, charts as CSS bars, no scripts, no outside files."""
    by_name = {t.name: t for t in all_tables}
    left = len(report.left_out)
    body = [f"<h1>docgen report of {report.today.isoformat()}</h1>",
            "<pre>" + html.escape("\n".join(summary(report))) + "</pre>",
            f"<p>{left} record(s) with errors left out{': see below' if left else ''}.</p>",
            _charts(report, by_name)]
    body += [_table_html(t) for t in all_tables]
    page = ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>docgen report {report.today.isoformat()}</title><style>{_CSS}</style></head><body>\n"
            + "\n".join(body) + "\n</body></html>\n")
    return page.encode("utf-8")


def write(report: Report, out_dir: Path) -> list[Path]:
    """Every table as `<out>/reports/<name>.csv` and the page `<out>/reports/report.html`, written atomically."""
    all_tables = tables(report)
    files = [(f"{t.name}.csv", to_csv(t)) for t in all_tables] + [("report.html", to_html(report, all_tables))]
    written = []
    for name, data in files:
        path = inside(out_dir, reports_dir() / name)
        write_atomic(path, data)
        written.append(path)
    return written
