"""The grant of a mobility: pure functions of the mobility, its call's rates file and the two institutions."""
from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from docgen.money.limits import _unfunded, limit_problems
from docgen.money.rules import (
    DAYS_PER_MONTH,
    ZERO,
    GrantError,
    _count,
    _student,
    gets_travel,
    home_pays,
    money,
    months_and_days,
    travel_rule,
)
from docgen.model.models import Institution, Mobility, Period
from docgen.money.rates import DayRate, Rates, TravelBand

# The rules are written out in docgen.money.rules.

EARTH_RADIUS_KM = 6371.0

Unit = Literal["month", "day", "trip"]
DistanceSource = Literal["funding.distance_km", "great-circle"]


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
    travel_rule: str = ""  # who gets travel under the call, and what that means for this participant

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



# ============================================================================ distance


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
                     source, band, months, days, travel_days, mobility.funding.zero_grant,
                     "" if mobility.funding.zero_grant else travel_rule(mobility, rates))

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

    if not gets_travel(mobility, rates):
        green = rates.travel_support.green_without_travel
        if mobility.green_travel and green is not None and _student(mobility):
            lines.append(_line("top-up-green-travel", green.top_up, "trip", 1, "trip",
                               "green-travel top-up, once, without a travel grant"))
        return grant(lines, travel_days=mobility.travel_days)
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

