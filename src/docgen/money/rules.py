"""The grant rules in words, the figures-free constants, the month rule and who is paid what."""
from __future__ import annotations

import calendar
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from docgen.errors import GrantError
from docgen.model.models import STUDENT_TYPES, Mobility
from docgen.money.rates import Rates

# ============================================================================ the rules
#
# Every figure comes from the rates file (docgen.money.rates.Rates); this module holds none.
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
# Who gets travel.  The rates file's travel_support says, per call, who gets the travel lump sum: staff,
#   long-term students and short-term students each `all`, `fewer-opportunities` (only participants with
#   funding.fewer_opportunities) or `none`.  A student without a travel grant who travels green gets the
#   call's green_without_travel instead: a one-off top-up line and up to its number of travel days (paid as
#   individual support, as below); without green travel such a student has no funded travel days.  The rule
#   applied is named on the grant (Grant.travel_rule) and in `docgen grant`.
#
# Travel.  For those who get it: one trip per mobility, by band of the one-way distance: funding.distance_km when given (the
#   official distance calculator's figure), else the great-circle distance between the two
#   institutions' coordinates (haversine, Earth radius 6371 km, rounded down to whole km).  Neither →
#   GrantError.  With green_travel the band's green amount, when the band has one.  Below the first
#   band: no travel line.
#
# Project period.  A rates file's project_period bounds every mobility of the call, planned and actual
#   dates alike, whatever the academic year; a date outside it is a limit problem at that date.
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
DAYS_PER_MONTH = 30


def money(value: Decimal) -> Decimal:
    """Round to the cent, half-up."""
    return value.quantize(CENT, ROUND_HALF_UP)



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




def stay_months(start: dt.date, end: dt.date) -> Decimal:
    """A stay in months as the grant counts it: whole months plus leftover days / 30 (1 Jun–31 Aug = 3).

    The one definition of a month of stay: agreement numbers (checks) and grants both use it.
    """
    months, days = months_and_days(start, end)
    return (Decimal(months) + Decimal(days) / DAYS_PER_MONTH).quantize(Decimal("0.01"), ROUND_HALF_UP)

def _student(mobility: Mobility) -> bool:
    return mobility.type in STUDENT_TYPES


def _short_term(mobility: Mobility) -> bool:
    return _student(mobility) and mobility.funding.short_term


def home_pays(mobility: Mobility, rates: Rates) -> bool:
    """Does the home institution pay this mobility's grant? Always for outgoing mobility; for incoming
    only when the call has an incoming rate (KA107 did; under KA131 the sending institution pays)."""
    return mobility.direction == "outgoing" or any(s.direction == "incoming" for s in rates.support)


def _travel_for(mobility: Mobility, rates: Rates) -> tuple[str, str]:
    """The travel_support field that applies to this mobility and its value."""
    ts = rates.travel_support
    if not _student(mobility):
        return "staff", ts.staff
    if mobility.funding.short_term:
        return "short_term_students", ts.short_term_students
    return "students", ts.students


def gets_travel(mobility: Mobility, rates: Rates) -> bool:
    """Does the call pay this participant the travel lump sum (rates file: travel_support)?"""
    _, rule = _travel_for(mobility, rates)
    return rule == "all" or (rule == "fewer-opportunities" and mobility.funding.fewer_opportunities)


def travel_rule(mobility: Mobility, rates: Rates) -> str:
    """The travel-support rule applied to this mobility, in words, naming the rates file's field."""
    field, rule = _travel_for(mobility, rates)
    who = {"staff": "staff", "students": "long-term students",
           "short_term_students": "short-term students"}[field]
    said = f"travel_support.{field}: {rule} (call {rates.id})"
    if rule == "all":
        return f"{said}: every one of its {who} gets the travel lump sum"
    if rule == "none":
        base = f"{said}: none of its {who} gets the travel lump sum"
    elif mobility.funding.fewer_opportunities:
        return f"{said}: {who} with fewer opportunities get the travel lump sum, and this participant has them"
    else:
        base = (f"{said}: only {who} with fewer opportunities get the travel lump sum; this participant "
                "has no travel grant")
    green = rates.travel_support.green_without_travel
    if not _student(mobility) or green is None:
        return base
    offer = f"green travel without a travel grant brings a one-off {green.top_up:.2f} {rates.currency} top-up and " \
            f"up to {green.travel_days} travel days"
    return f"{base}; {offer}" + ("" if mobility.green_travel else " (this participant does not travel green)")
