"""Erasmus+ grant calculator: pure functions of a mobility, its call's rates file and the two institutions."""
from __future__ import annotations

import calendar
import datetime as dt
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from docgen.errors import DocgenError
from docgen.models import STUDENT_TYPES, Institution, Mobility, Period, year_start
from docgen.rates import DayRate, Rates, TravelBand

# ============================================================================ the rules
#
# Every figure comes from the rates file (docgen.rates.Rates); this module holds none.
#
# Money.  Decimal only.  Each line is rounded to the cent, half-up (0.005 → 0.01), once, from its exact
#   value rate × units / per; the total is the sum of the rounded lines, so the lines printed always add
#   up to the total printed.  A percentage of a rate (KA131 staff: 70 % from day 15) is rounded the
#   same way before it is used as a rate.
#
# Host country.  The receiving institution's country: ours (home) for incoming mobility, the partner's
#   for outgoing.  It picks the rates file's support row (by country group when the file has groups).
#
# Students, long term: months and days.  The stay (both ends included) is counted in whole months from
#   the start day, then the days left over.  Month n of a stay starting on day D ends the day before day
#   D of the n-th following month; when that month has no day D, it ends on that month's last day:
#       15 Sep → 14 Oct is one month;   1 Feb → 28 Feb (29 Feb in a leap year) is one month;
#       31 Jan → 28 Feb (29 Feb in 2024) is one month, and 31 Jan → 30 Apr three;
#       30 Jan → 28 Feb is one month; 28 Jan → 28 Feb is one month and one day.
#   The leftover days (0–30) are paid at 1/30 of the monthly rate ("1 month = 30 days"):
#       amount = monthly rate × months   (one line, unit 'month')
#              + monthly rate × days / 30 (one line of the same key, unit 'day', rounded)
#   Top-ups per month (traineeship, fewer opportunities, social) are counted the same way.  Funded
#   travel days are one more line at 1/30 of the monthly rate each.
#
# Staff and short-term students: days.  Days of stay (both ends included) plus funded travel days are
#   counted one after another, travel days last; days 1 … (from_day − 1) get the daily rate, days from
#   `reduced_from_day` (15) on the reduced rate (KA107 incoming staff: a fixed 98; KA131 staff: 70 %;
#   KA131 short-term students: 56).  A rate without a reduction applies to every day.
#   Short-term students with fewer opportunities get a one-off top-up by the length of the stay.
#
# Travel.  One trip per mobility, by band of the one-way distance: funding.distance_km when given (the
#   official distance calculator's figure), else the great-circle distance between the two
#   institutions' coordinates (haversine, Earth radius 6371 km, rounded down to whole km).  Neither →
#   GrantError.  With green_travel the band's green amount, when the band has one.  Below the first
#   band: no travel line.
#
# Zero-grant mobility (funding.zero_grant): no lines, total 0, nothing to pay or repay.
#
# Advance and balance.  advance = total × the call's advance percent (students 70, staff 100 in both
#   shipped files), rounded half-up to the cent; balance = total − advance, so they add up to the cent.
#
# Settlement on actual dates.  The grant is recalculated on the actual period.  A shorter stay lowers
#   it (months and days as above); a stay that would pay more than the planned grant is capped at the
#   planned grant unless funding.extension_funded.  balance = grant due − advance paid (the planned
#   advance); a negative balance is a repayment.
#
# Anything the record claims but the call does not pay (a top-up absent from the rates file, travel
#   days beyond the maximum, a mobility type the call does not cover ...) is never dropped silently:
#   limit_problems() reports it, located, and calculate() raises GrantError.
# ============================================================================

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
EARTH_RADIUS_KM = 6371.0
DAYS_PER_MONTH = 30

Unit = Literal["month", "day", "trip"]
DistanceSource = Literal["funding.distance_km", "great-circle"]


class GrantError(DocgenError):
    """The grant cannot be calculated from this mobility, rates file and institutions."""


def money(value: Decimal) -> Decimal:
    """Round to the cent, half-up."""
    return value.quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class Line:
    """One line of a grant: amount = rate (per rate_unit) × units (in unit) / divisor, rounded to the cent."""

    key: str  # stable: templates translate by it; a key may appear twice (months, then days)
    rate: Decimal
    rate_unit: Unit  # what the rate is per: 'month', 'day' or 'trip' (once per mobility)
    units: int
    unit: Unit  # what `units` counts
    amount: Decimal
    description: str  # English, for the officer and for logs

    @property
    def divisor(self) -> int:
        """30 for days paid at 1/30 of a monthly rate, else 1."""
        return DAYS_PER_MONTH if (self.rate_unit, self.unit) == ("month", "day") else 1

    def formula(self, currency: str = "EUR") -> str:
        """`670.00 EUR/month × 15 days / 30 = 335.00 EUR`."""
        per = f" / {self.divisor}" if self.divisor != 1 else ""
        return (f"{self.rate:.2f} {currency}/{self.rate_unit} × {_count(self.units, self.unit)}{per} "
                f"= {self.amount:.2f} {currency}")


@dataclass(frozen=True)
class Grant:
    """A mobility's grant on one period."""

    mobility_id: str
    call: str
    currency: str
    period: Period
    lines: tuple[Line, ...]
    total: Decimal
    advance: Decimal
    balance: Decimal
    advance_percent: Decimal
    advance_due_days: int  # calendar days after signature
    balance_due_days: int | None  # calendar days after the participant report
    host_country: str
    group: str | None  # the host country's group in the rates file
    distance_km: int | None
    distance_source: DistanceSource | None
    band: TravelBand | None
    months: int | None  # long-term students: whole months of the stay ...
    days: int  # ... and days left over; everyone else: days of stay (travel days excluded)
    travel_days: int  # funded travel days
    zero_grant: bool

    def amount(self, key: str) -> Decimal:
        """Sum of the lines with this key (0.00 when there is none)."""
        return sum((line.amount for line in self.lines if line.key == key), ZERO)

    @property
    def duration(self) -> str:
        if self.months is not None and self.days == 0:
            return _count(self.months, "month")
        if self.months:
            return f"{_count(self.months, 'month')} {_count(self.days, 'day')}"
        return _count(self.days, "day")


@dataclass(frozen=True)
class Settlement:
    """The grant after the stay: planned, on actual dates, due, and what is left to pay or repay."""

    planned: Grant
    actual: Grant | None  # recalculated on the actual dates; None while they are not known
    due: Grant  # what the participant is entitled to
    capped: bool  # the actual stay would pay more, but a longer stay is not funded
    advance_paid: Decimal  # the planned grant's advance
    balance: Decimal  # due.total − advance_paid; negative: the participant repays
    repayment: Decimal  # −balance when balance < 0, else 0.00
    notes: tuple[str, ...]

    @property
    def currency(self) -> str:
        return self.planned.currency


# ============================================================================ dates


def _count(n: int, unit: str) -> str:
    return f"{n} {unit}" + ("" if n == 1 else "s")


def month_end(start: dt.date, n: int) -> dt.date:
    """Last day of month `n` of a stay from `start` (n = 0: the day before `start`)."""
    y, m = divmod(start.month - 1 + n, 12)
    year, month = start.year + y, m + 1
    last = calendar.monthrange(year, month)[1]
    if start.day <= last:
        return dt.date(year, month, start.day) - dt.timedelta(days=1)
    return dt.date(year, month, last)


def months_and_days(start: dt.date, end: dt.date) -> tuple[int, int]:
    """Whole months from `start` and the days left over, up to `end` included (see the rules above)."""
    if end < start:
        raise GrantError(f"the period ends ({end}) before it starts ({start})")
    n = (end.year - start.year) * 12 + end.month - start.month + 1
    while month_end(start, n) > end:
        n -= 1
    return n, (end - month_end(start, n)).days


# ============================================================================ distance


def stay_months(start: dt.date, end: dt.date) -> Decimal:
    """A stay in months as the grant counts it: whole months plus leftover days / 30 (1 Jun–31 Aug = 3).

    The one definition of a month of stay: agreement numbers (checks) and grants both use it.
    """
    months, days = months_and_days(start, end)
    return (Decimal(months) + Decimal(days) / DAYS_PER_MONTH).quantize(Decimal("0.01"), ROUND_HALF_UP)


def great_circle_km(a: Institution, b: Institution) -> int:
    """Haversine distance between two institutions' coordinates, rounded down to whole km."""
    if a.coordinates is None or b.coordinates is None:
        raise GrantError("both institutions need coordinates to measure the distance")
    lat1, lon1 = math.radians(float(a.coordinates.lat)), math.radians(float(a.coordinates.lon))
    lat2, lon2 = math.radians(float(b.coordinates.lat)), math.radians(float(b.coordinates.lon))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return math.floor(2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h))))


def distance(mobility: Mobility, home: Institution, partner: Institution) -> tuple[int, DistanceSource]:
    """One-way distance in km: funding.distance_km, else great circle between the institutions."""
    if mobility.funding.distance_km is not None:
        return mobility.funding.distance_km, "funding.distance_km"
    missing = [i.short_name for i in (home, partner) if i.coordinates is None]
    if missing:
        raise GrantError(f"mobility {mobility.id}: no travel distance: give funding.distance_km (the figure of "
                         f"the official distance calculator) or coordinates of {' and '.join(missing)}")
    return great_circle_km(home, partner), "great-circle"


# ============================================================================ checks


def _student(mobility: Mobility) -> bool:
    return mobility.type in STUDENT_TYPES


def _short_term(mobility: Mobility) -> bool:
    return _student(mobility) and mobility.funding.short_term


def home_pays(mobility: Mobility, rates: Rates) -> bool:
    """Does the home institution pay this mobility's grant? Always for outgoing mobility; for incoming
    only when the call has an incoming rate (KA107 did; under KA131 the sending institution pays)."""
    return mobility.direction == "outgoing" or any(s.direction == "incoming" for s in rates.support)


def _unfunded(mobility: Mobility, rates: Rates) -> list[tuple[tuple, str]]:
    """What the record claims that the call does not pay."""
    out: list[tuple[tuple, str]] = []
    call = f"call {rates.id}"
    f = mobility.funding
    if mobility.type not in rates.limits:
        out.append((("type",), f"{call} does not cover {mobility.type} mobility "
                               f"(it covers {', '.join(rates.limits)})"))
    if f.short_term and not _student(mobility):
        out.append((("funding", "short_term"), "short_term applies to student mobility only"))
    elif f.short_term and rates.short_term is None:
        out.append((("funding", "short_term"), f"{call} has no short-term student mobility"))
    if f.fewer_opportunities:
        if not _student(mobility):
            out.append((("funding", "fewer_opportunities"),
                        "the fewer-opportunities top-up applies to students only"))
        elif f.short_term and not rates.top_ups.short_term_fewer_opportunities:
            out.append((("funding", "fewer_opportunities"),
                        f"{call} has no fewer-opportunities top-up for short-term mobility"))
        elif not f.short_term and rates.top_ups.fewer_opportunities_month is None:
            out.append((("funding", "fewer_opportunities"), f"{call} has no fewer-opportunities top-up"))
    if f.social_top_up:
        if mobility.type != "student-studies" or f.short_term:
            out.append((("funding", "social_top_up"),
                        "the social top-up applies to long-term study mobility only, "
                        f"not to {'short-term mobility' if f.short_term else mobility.type}"))
        elif rates.top_ups.social_month is None:
            out.append((("funding", "social_top_up"), f"{call} has no social top-up"))
    if mobility.travel_days:
        td = rates.travel_days
        if td is None:
            out.append((("travel_days",), f"{call} funds no travel days; travel_days is "
                                          f"{mobility.travel_days}: set it to 0"))
        else:
            most = td.max_green if mobility.green_travel else td.max
            if mobility.travel_days > most:
                how = "with green travel" if mobility.green_travel else \
                    f"without green travel ({td.max_green} with green travel)"
                out.append((("travel_days",), f"{call} funds at most {most} travel days {how}; "
                                              f"travel_days is {mobility.travel_days}"))
    return out


def _hours_needed(days: int, minimum: int, per_days: int | None) -> Decimal:
    if per_days is None or days <= per_days:
        return Decimal(minimum)
    return Decimal(minimum * days) / per_days


def limit_problems(mobility: Mobility, rates: Rates) -> list[tuple[tuple, str]]:
    """Duration, teaching-hours, academic-year-window and funding problems, located in the mobility record."""
    out: list[tuple[tuple, str]] = []
    call = f"call {rates.id}"
    if mobility.funding.call != rates.id:
        out.append((("funding", "call"), f"the mobility names call {mobility.funding.call!r}, "
                                         f"checked against {rates.id!r}"))
    periods: list[tuple[str, Period]] = [("planned", mobility.planned)]
    if mobility.actual is not None:
        periods.append(("actual", mobility.actual))
    lim = rates.limits.get(mobility.type)
    kind = "short-term student" if _short_term(mobility) else mobility.type
    for name, p in periods:
        span = f"{p.start} – {p.end}"
        if _short_term(mobility):
            if rates.short_term is not None and not rates.short_term.min <= p.days <= rates.short_term.max:
                out.append(((name,), f"a short-term student mobility lasts {rates.short_term.min}–"
                                     f"{rates.short_term.max} days under {call}; {name} {span} is "
                                     f"{_count(p.days, 'day')}"))
        elif lim is not None and lim.months is not None:
            months, days = months_and_days(p.start, p.end)
            length = f"{_count(months, 'month')} {_count(days, 'day')}"
            if months < lim.months.min:
                out.append(((name,), f"a {kind} mobility lasts at least {_count(lim.months.min, 'month')} "
                                     f"under {call}; {name} {span} is {length}"))
            elif months > lim.months.max or (months == lim.months.max and days > 0):
                out.append(((name,), f"a {kind} mobility lasts at most {_count(lim.months.max, 'month')} "
                                     f"under {call}; {name} {span} is {length}"))
        elif lim is not None and lim.days is not None:
            if not lim.days.min <= p.days <= lim.days.max:
                out.append(((name,), f"a {kind} mobility lasts {lim.days.min}–{lim.days.max} days "
                                     f"(travel excluded) under {call}; {name} {span} is {_count(p.days, 'day')}"))
        window = rates.window_for(mobility.type)
        y = year_start(mobility.academic_year)
        first = dt.date(y, int(window.starts[:2]), int(window.starts[3:]))
        last = dt.date(y + 1, int(window.ends[:2]), int(window.ends[3:]))
        for end_name, day in (("start", p.start), ("end", p.end)):
            if not first <= day <= last:
                out.append(((name, end_name), f"a {kind} mobility of {mobility.academic_year} starts and ends "
                                              f"between {first} and {last} under {call}; {name} {end_name} "
                                              f"is {day}"))
    if mobility.type == "staff-teaching" and lim is not None and lim.teaching_hours is not None \
            and mobility.teaching_hours is not None:
        th = lim.teaching_hours
        days = mobility.period.days
        need = _hours_needed(days, th.min, th.per_days)
        if mobility.teaching_hours < need:
            if th.per_days is not None and days > th.per_days:
                rule = (f"{th.min} hours per {th.per_days} days, so {_count(days, 'day')} need "
                        f"{th.min} × {days} / {th.per_days} = {need.quantize(CENT, ROUND_HALF_UP)} hours")
            else:
                rule = f"at least {th.min} hours"
            out.append((("teaching_hours",), f"staff teaching under {call} means {rule}; "
                                             f"teaching_hours is {mobility.teaching_hours}"))
    if not mobility.funding.zero_grant and home_pays(mobility, rates):
        out.extend(_unfunded(mobility, rates))
    return out


# ============================================================================ the calculation


def _line(key: str, rate: Decimal, rate_unit: Unit, units: int, unit: Unit, description: str) -> Line:
    divisor = DAYS_PER_MONTH if (rate_unit, unit) == ("month", "day") else 1
    return Line(key, money(rate), rate_unit, units, unit, money(rate * units / divisor), description)


def _monthly(key: str, rate: Decimal, months: int, days: int, what: str) -> list[Line]:
    out = []
    if months:
        out.append(_line(key, rate, "month", months, "month", f"{what}: {_count(months, 'month')}"))
    if days:
        out.append(_line(key, rate, "month", days, "day",
                         f"{what}: {_count(days, 'day')} at 1/{DAYS_PER_MONTH} of the monthly rate"))
    return out


def _daily(rate: DayRate, stay: int, travel: int, what: str) -> list[Line]:
    """Days of stay then travel days, split at the reduced-rate day."""
    reduced = rate.reduced_rate
    cut = rate.reduced_from_day - 1 if reduced is not None else stay + travel  # days at the full rate
    stay_full, stay_low = min(stay, cut), max(0, stay - cut)
    travel_full = max(0, min(travel, cut - stay))
    travel_low = travel - travel_full
    out = []
    if stay_full:
        out.append(_line("individual-support", rate.rate, "day", stay_full, "day",
                         f"{what}: days 1–{stay_full}" if stay_full > 1 else f"{what}: day 1"))
    if stay_low:
        assert reduced is not None
        out.append(_line("individual-support-reduced", reduced, "day", stay_low, "day",
                         f"{what}: days {rate.reduced_from_day}–{stay}, reduced rate"
                         if stay_low > 1 else f"{what}: day {stay}, reduced rate"))
    if travel_full:
        out.append(_line("travel-days", rate.rate, "day", travel_full, "day",
                         f"travel days: {_count(travel_full, 'day')}"))
    if travel_low:
        assert reduced is not None
        out.append(_line("travel-days", reduced, "day", travel_low, "day",
                         f"travel days: {_count(travel_low, 'day')} at the reduced rate"))
    return out


def calculate(mobility: Mobility, rates: Rates, home: Institution, partner: Institution, *,
              period: Period | None = None) -> Grant:
    """The grant of a mobility on `period` (default: the planned period)."""
    period = period or mobility.planned
    if mobility.funding.call != rates.id:
        raise GrantError(f"mobility {mobility.id} names call {mobility.funding.call!r}, "
                         f"but the rates given are {rates.id!r}")
    host = home if mobility.direction == "incoming" else partner
    group = rates.group_of(host.country)
    payment = rates.payment_for(mobility.type)
    long_term = _student(mobility) and not mobility.funding.short_term
    months: int | None
    if long_term:
        months, days = months_and_days(period.start, period.end)
    else:
        months, days = None, period.days

    def grant(lines: list[Line], km: int | None = None, source: DistanceSource | None = None,
              band: TravelBand | None = None, travel_days: int = 0) -> Grant:
        total = sum((line.amount for line in lines), ZERO)
        advance = money(total * payment.advance_percent / 100)
        return Grant(mobility.id, rates.id, rates.currency, period, tuple(lines), total, advance,
                     total - advance, payment.advance_percent, payment.advance_due_days,
                     payment.balance_due_days, host.country, group.id if group else None, km,
                     source, band, months, days, travel_days, mobility.funding.zero_grant)

    if mobility.funding.zero_grant:
        return grant([])
    if not home_pays(mobility, rates):
        raise GrantError(f"mobility {mobility.id}: under call {rates.id} the sending institution pays an "
                         "incoming participant's grant; there is nothing for us to calculate")
    problems = _unfunded(mobility, rates)
    if problems:
        raise GrantError(f"mobility {mobility.id}: " + "; ".join(msg for _, msg in problems))
    support = rates.support_for(mobility.direction, host.country)
    if support is None:
        where = f"{host.country} (group {group.id})" if group else host.country
        raise GrantError(f"call {rates.id} has no {mobility.direction} rate for host country {where}")

    f = mobility.funding
    lines: list[Line] = []
    if long_term:
        assert months is not None
        if support.student_month is None:
            raise GrantError(f"call {rates.id} has no monthly student rate for {mobility.direction} mobility")
        lines += _monthly("individual-support", support.student_month, months, days, "individual support")
        top = rates.top_ups
        if mobility.type == "student-traineeship" and top.traineeship_month is not None:
            lines += _monthly("top-up-traineeship", top.traineeship_month, months, days, "traineeship top-up")
        if f.fewer_opportunities and top.fewer_opportunities_month is not None:
            lines += _monthly("top-up-fewer-opportunities", top.fewer_opportunities_month, months, days,
                              "fewer-opportunities top-up")
        if f.social_top_up and top.social_month is not None:
            lines += _monthly("top-up-social", top.social_month, months, days, "social top-up")
        if mobility.travel_days:
            lines.append(_line("travel-days", support.student_month, "month", mobility.travel_days, "day",
                               f"travel days: {_count(mobility.travel_days, 'day')} at 1/{DAYS_PER_MONTH} "
                               "of the monthly rate"))
    else:
        rate = support.short_term_day if f.short_term else support.staff_day
        if rate is None:
            what = "short-term student" if f.short_term else "staff"
            raise GrantError(f"call {rates.id} has no daily {what} rate for {mobility.direction} mobility")
        lines += _daily(rate, days, mobility.travel_days, "individual support")
        if f.short_term and f.fewer_opportunities:
            # The band reached by the stay's length; a stay past the last band keeps the last one, so the
            # grant never drops as a stay grows (such a stay is refused by limit_problems anyway).
            top_up = next((t for t in sorted(rates.top_ups.short_term_fewer_opportunities,
                                             key=lambda t: t.from_day, reverse=True)
                           if t.from_day <= days), None)
            if top_up is not None:
                lines.append(_line("top-up-fewer-opportunities", top_up.amount, "trip", 1, "trip",
                                   f"fewer-opportunities top-up, once for a stay of "
                                   f"{top_up.from_day}–{top_up.to_day} days"))

    km, source = distance(mobility, home, partner)
    band = rates.band_for(km)
    if band is not None:
        green = mobility.green_travel and band.green is not None
        amount = band.green if green and band.green is not None else band.amount
        lines.append(_line("travel", amount, "trip", 1, "trip",
                           f"travel, {km} km one way ({band.label}){', green travel' if green else ''}"))
    return grant(lines, km, source, band, mobility.travel_days)


def settle(mobility: Mobility, rates: Rates, home: Institution, partner: Institution) -> Settlement:
    """Planned grant, grant on actual dates, and what is still due or to be repaid."""
    planned = calculate(mobility, rates, home, partner)
    actual = calculate(mobility, rates, home, partner, period=mobility.actual) if mobility.actual else None
    notes: list[str] = []
    due, capped = planned, False
    if actual is not None:
        if actual.total > planned.total and not mobility.funding.extension_funded:
            capped = True
            notes.append(f"the actual stay would pay {actual.total:.2f} {rates.currency}, more than the planned "
                         f"{planned.total:.2f} {rates.currency}; a longer stay is not funded (funding.extension_funded is false), "
                         "so the planned grant stands")
        else:
            due = actual
        short = [msg for loc, msg in limit_problems(mobility, rates) if loc[:1] == ("actual",) and len(loc) == 1]
        notes += [f"{msg}: the grant may have to be repaid in full unless force majeure is recognised"
                  for msg in short]
    balance = due.total - planned.advance
    return Settlement(planned, actual, due, capped, planned.advance, balance,
                      -balance if balance < 0 else ZERO, tuple(notes))


# ============================================================================ the printout


def _grant_text(g: Grant, indent: str = "  ") -> list[str]:
    cur = g.currency
    out = [f"{indent}period {g.period.start} – {g.period.end}: {g.duration}"
           + (f" + {_count(g.travel_days, 'travel day')}" if g.travel_days else "")]
    if g.zero_grant:
        out.append(f"{indent}zero-grant mobility: no grant, total 0.00 {cur}")
        return out
    width = max((len(line.description) for line in g.lines), default=0)
    for line in g.lines:
        out.append(f"{indent}{line.description:<{width}}  {line.formula(cur)}")
    out.append(f"{indent}{'total':<{width}}  {g.total:.2f} {cur}")
    return out


def explain(mobility: Mobility, rates: Rates, home: Institution, partner: Institution) -> str:
    """The grant worked out line by line, so that an officer can check it by hand."""
    if not home_pays(mobility, rates):
        who = f"{mobility.participant.first_name} {mobility.participant.last_name}"
        return (f"Grant of mobility {mobility.id} ({who}): {mobility.type}, {mobility.direction}, call {rates.id}\n"
                f"  paid by the sending institution ({partner.short_name}): call {rates.id} has no incoming "
                "rate, so the home institution pays nothing and makes no grant contract")
    g = calculate(mobility, rates, home, partner)
    cur = g.currency
    who = f"{mobility.participant.first_name} {mobility.participant.last_name}"
    lines = [f"Grant of mobility {mobility.id} ({who}): {mobility.type}, {mobility.direction}, "
             f"call {rates.id} ({rates.title})"]
    host = f"host country {g.host_country}" + (f" (group {g.group})" if g.group else "")
    lines.append(f"  {host}")
    if g.distance_km is not None:
        src = "funding.distance_km" if g.distance_source == "funding.distance_km" else \
            "great circle between the institutions' coordinates"
        band = f"band {g.band.label}" if g.band else f"below the first band ({rates.travel[0].label}): no travel grant"
        lines.append(f"  distance {g.distance_km} km one way ({src}): {band}")
    lines.append("Planned:")
    lines += _grant_text(g)
    if not g.zero_grant:
        lines.append(f"  advance {g.advance_percent.normalize():f} % = {g.advance:.2f} {cur}, within "
                     f"{g.advance_due_days} days of signature")
        due = f", within {g.balance_due_days} days of the participant report" if g.balance_due_days is not None \
            else ""
        lines.append(f"  balance {g.total:.2f} − {g.advance:.2f} = {g.balance:.2f} {cur}{due}")
    if mobility.actual is not None and mobility.actual != mobility.planned:
        s = settle(mobility, rates, home, partner)
        lines.append("On actual dates:")
        assert s.actual is not None
        lines += _grant_text(s.actual)
        for note in s.notes:
            lines.append(f"  note: {note}")
        lines.append(f"  grant due {s.due.total:.2f} {cur}; advance paid {s.advance_paid:.2f} {cur}")
        if s.balance < 0:
            lines.append(f"  repayment {s.advance_paid:.2f} − {s.due.total:.2f} = {s.repayment:.2f} {cur}")
        else:
            lines.append(f"  balance due {s.due.total:.2f} − {s.advance_paid:.2f} = {s.balance:.2f} {cur}")
    return "\n".join(lines) + "\n"
