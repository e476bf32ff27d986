"""Properties of the grant calculator over many generated mobilities."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from docgen.money.grants import calculate, month_end, months_and_days
from docgen.model.models import Period
from test_grants import HOME, PARTNERS, grant_of, mobility, rates, settle_of

SETTINGS = settings(max_examples=150, deadline=None)
CENT = Decimal("0.01")

starts = st.dates(dt.date(2024, 6, 1), dt.date(2025, 5, 31))
lengths = st.integers(min_value=1, max_value=400)


@st.composite
def records(draw: st.DrawFn) -> dict[str, Any]:
    """Keyword arguments of a KA131 mobility the calculator can price (start and length drawn apart)."""
    kind = draw(st.sampled_from(["student-studies", "student-traineeship", "staff-teaching", "staff-training",
                                 "short-term"]))
    green = draw(st.booleans())
    funding: dict[str, Any] = {"distance_km": draw(st.integers(min_value=0, max_value=12000))}
    out: dict[str, Any] = {"partner": draw(st.sampled_from(["DE", "DK", "NO", "CZ", "IT", "TR"])),
                           "green_travel": green,
                           "travel_days": draw(st.integers(min_value=0, max_value=6 if green else 2))}
    if kind == "short-term":
        out["type"] = "student-studies"
        funding["short_term"] = True
    else:
        out["type"] = kind
    if kind.startswith("student") or kind == "short-term":
        funding["fewer_opportunities"] = draw(st.booleans())
    out["funding"] = funding
    return out


def build(record: dict[str, Any], start: dt.date, length: int, **more: Any) -> Any:
    return mobility(start=start, end=start + dt.timedelta(days=length - 1), **record, **more)


@SETTINGS
@given(start=starts, length=lengths)
def test_month_rule_is_consistent(start: dt.date, length: int) -> None:
    end = start + dt.timedelta(days=length - 1)
    months, days = months_and_days(start, end)
    assert 0 <= days <= 30
    assert month_end(start, months) + dt.timedelta(days=days) == end
    assert month_end(start, months + 1) > end


@SETTINGS
@given(record=records(), start=starts, length=lengths)
def test_lines_add_up_and_advance_plus_balance_is_total(record: dict[str, Any], start: dt.date, length: int) -> None:
    g = grant_of(build(record, start, length))
    assert all(line.amount == line.amount.quantize(CENT) and line.amount >= 0 for line in g.lines)
    assert sum((line.amount for line in g.lines), Decimal(0)) == g.total
    assert g.advance + g.balance == g.total
    assert g.advance == (g.total * g.advance_percent / 100).quantize(CENT, "ROUND_HALF_UP")
    assert Decimal(0) <= g.advance <= g.total


@SETTINGS
@given(record=records(), start=starts, length=st.integers(min_value=1, max_value=399))
# Found by hypothesis: the short-term fewer-opportunities top-up (15–30 days) vanished on day 31.
@example(record={"partner": "DE", "green_travel": False, "travel_days": 0, "type": "student-studies",
                 "funding": {"distance_km": 0, "short_term": True, "fewer_opportunities": True}},
         start=dt.date(2024, 6, 1), length=30)
def test_grant_never_decreases_as_the_stay_grows(record: dict[str, Any], start: dt.date, length: int) -> None:
    # Same distance (so the same band), one more day of stay.
    shorter = grant_of(build(record, start, length))
    longer = grant_of(build(record, start, length + 1))
    assert longer.total >= shorter.total
    if longer.band is not None:
        assert longer.band == shorter.band


@SETTINGS
@given(record=records(), start=starts, length=st.integers(min_value=2, max_value=400),
       cut_start=st.integers(min_value=0, max_value=399), cut_end=st.integers(min_value=0, max_value=399))
def test_a_shorter_actual_stay_never_pays_more(record: dict[str, Any], start: dt.date, length: int,
                                               cut_start: int, cut_end: int) -> None:
    cut_start %= length
    cut_end %= length - cut_start
    end = start + dt.timedelta(days=length - 1)
    actual = (start + dt.timedelta(days=cut_start), end - dt.timedelta(days=cut_end))
    m = mobility(start=start, end=end, actual=actual, **record)
    s = settle_of(m)
    assert s.actual is not None
    # Recalculated on a period inside the planned one, the grant is not higher ...
    assert s.actual.total <= s.planned.total
    # ... and the settlement never pays more than planned, nor asks back more than the advance.
    assert s.due.total <= s.planned.total
    assert s.balance == s.due.total - s.advance_paid
    assert Decimal(0) <= s.repayment <= s.advance_paid
    assert not s.capped


@SETTINGS
@given(record=records(), start=starts, length=lengths, extra=st.integers(min_value=1, max_value=120),
       funded=st.booleans())
def test_a_longer_actual_stay_pays_more_only_when_funded(record: dict[str, Any], start: dt.date, length: int,
                                                         extra: int, funded: bool) -> None:
    end = start + dt.timedelta(days=length - 1)
    record = {**record, "funding": {**record["funding"], "extension_funded": funded}}
    m = mobility(start=start, end=end, actual=(start, end + dt.timedelta(days=extra)), **record)
    s = settle_of(m)
    assert s.actual is not None and s.actual.total >= s.planned.total
    if funded:
        assert s.due.total == s.actual.total
    else:
        assert s.due.total == s.planned.total


@SETTINGS
@given(start=starts, length=st.integers(min_value=1, max_value=60), km=st.integers(min_value=0, max_value=12000))
def test_calculate_on_a_period_matches_the_record_with_those_dates(start: dt.date, length: int, km: int) -> None:
    end = start + dt.timedelta(days=length - 1)
    base = mobility(type="staff-training", start=start, end=start, funding={"distance_km": km})
    same = mobility(type="staff-training", start=start, end=end, funding={"distance_km": km})
    period = Period(start=start, end=end)
    assert calculate(base, rates("ka131-2024-pl"), HOME, PARTNERS["DE"], period=period).total == grant_of(same).total
