"""Rates files: both shipped files load clean; broken ones give located problems."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from docgen.model.loader import load_yaml
from docgen.money.rates import Rates
from docgen.model.validation import validate

RATES = Path(__file__).resolve().parent / "fixtures" / "sample" / "rates"


def load(path: Path) -> tuple[Rates | None, list]:
    return validate(Rates, load_yaml(path))


@pytest.mark.parametrize("name", ["ka107-2016-pl", "ka131-2024-pl", "ka131-2025-pl"])
def test_shipped_file_loads(name: str) -> None:
    rates, problems = load(RATES / f"{name}.yaml")
    assert problems == []
    assert rates is not None
    assert rates.id == name
    assert rates.currency == "EUR"


def test_ka107_figures() -> None:
    rates, _ = load(RATES / "ka107-2016-pl.yaml")
    assert rates is not None
    inc = rates.support_for("incoming", "PL")
    out = rates.support_for("outgoing", "UA")
    assert inc is not None and out is not None
    assert inc.student_month == 750 and out.student_month == 650
    assert inc.staff_day is not None and inc.staff_day.rate == 140 and inc.staff_day.reduced_rate == 98
    assert out.staff_day is not None and out.staff_day.rate == 160 and out.staff_day.reduced_rate is None
    assert [(b.from_km, b.to_km, b.amount) for b in rates.travel] == [
        (100, 499, 180), (500, 1999, 275), (2000, 2999, 360), (3000, 3999, 530), (4000, 7999, 820), (8000, None, 1100)]
    assert rates.band_for(99) is None
    assert rates.payment.student.advance_percent == 70 and rates.payment.staff.advance_percent == 100
    assert rates.payment.student.advance_due_days == 30 and rates.payment.student.balance_due_days == 15
    assert rates.limits["student-studies"].months is not None
    assert rates.limits["student-studies"].months.min == 3
    assert rates.top_ups.social_month is None
    assert rates.travel_days is None


def test_ka131_figures() -> None:
    rates, _ = load(RATES / "ka131-2024-pl.yaml")
    assert rates is not None
    expect = {"DK": (670, 190, "133.00"), "NO": (670, 190, "133.00"), "DE": (670, 190, "133.00"),
              "GR": (670, 170, "119.00"), "CZ": (670, 170, "119.00"), "PL": (600, 148, "103.60"),
              "TR": (600, 148, "103.60")}
    for country, (month, day, reduced) in expect.items():
        row = rates.support_for("outgoing", country)
        assert row is not None and row.staff_day is not None, country
        assert row.student_month == month and row.staff_day.rate == day
        assert row.staff_day.reduced_rate == Decimal(reduced)
    assert rates.support_for("incoming", "PL") is None  # incoming KA131 is paid by the sender
    assert rates.support_for("outgoing", "UA") is None  # not a programme country
    band = rates.band_for(4000)
    assert band is not None and band.amount == 1188 and band.green is None
    assert rates.band_for(9) is None
    assert rates.top_ups.traineeship_month == 150 and rates.top_ups.fewer_opportunities_month == 250
    assert rates.travel_days is not None and (rates.travel_days.max, rates.travel_days.max_green) == (2, 6)
    assert rates.short_term is not None and (rates.short_term.min, rates.short_term.max) == (5, 30)
    every = [c for g in rates.country_groups for c in g.countries]
    assert len(every) == len(set(every)) == 33  # EU 27 + IS LI NO + MK RS TR


# The KA131 country groups since the 2024 call, written out by hand from the Programme Guide 2024 list.
KA131_2024_GROUPS = {
    "AT": "1", "BE": "1", "FR": "1", "DE": "1", "IT": "1", "NL": "1", "DK": "1", "FI": "1", "IS": "1",
    "IE": "1", "LI": "1", "LU": "1", "NO": "1", "SE": "1",
    "CY": "2", "CZ": "2", "EE": "2", "GR": "2", "LV": "2", "MT": "2", "PT": "2", "SK": "2", "SI": "2",
    "ES": "2",
    "BG": "3", "HR": "3", "HU": "3", "LT": "3", "MK": "3", "PL": "3", "RO": "3", "RS": "3", "TR": "3",
}


def test_ka131_2024_groups_match_the_hand_table() -> None:
    rates, _ = load(RATES / "ka131-2024-pl.yaml")
    assert rates is not None
    got = {c: g.id for g in rates.country_groups for c in g.countries}
    assert got == KA131_2024_GROUPS
    assert rates.group_of("UA") is None


MINIMAL = """\
id: test-call
title: Test call
action: KA131
call_year: 2024
support:
  - direction: outgoing
    student_month: 600
travel:
{travel}
travel_support: {{staff: all, students: all, short_term_students: none}}
payment:
  student: {{advance_percent: 70, advance_due_days: 30}}
  staff: {{advance_percent: 100, advance_due_days: 30}}
limits:
  student-studies: {{months: {{min: 2, max: 12}}}}
window:
  student: {{starts: "06-01", ends: "09-30"}}
  staff: {{starts: "06-01", ends: "09-30"}}
"""
GOOD_TRAVEL = "  - {from_km: 100, to_km: 499, amount: 180}\n  - {from_km: 500, amount: 275}"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rates.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_minimal_fixture_loads(tmp_path: Path) -> None:
    rates, problems = load(write(tmp_path, MINIMAL.format(travel=GOOD_TRAVEL)))
    assert problems == [] and rates is not None


def test_band_gap_is_located(tmp_path: Path) -> None:
    travel = "  - {from_km: 100, to_km: 499, amount: 180}\n  - {from_km: 600, amount: 275}"
    rates, problems = load(write(tmp_path, MINIMAL.format(travel=travel)))
    assert rates is None
    [p] = problems
    assert p.field == "travel"
    assert p.line == 9  # the band list starts on line 9
    assert "should start at 500 km" in p.message


def test_unknown_key_and_bad_amount_are_located(tmp_path: Path) -> None:
    text = MINIMAL.format(travel=GOOD_TRAVEL).replace("    student_month: 600",
                                                      "    student_month: -5\n    staff_days: 10")
    rates, problems = load(write(tmp_path, text))
    assert rates is None
    where = {(p.field, p.line) for p in problems}
    assert ("support[0].student_month", 7) in where
    assert ("support[0].staff_days", 8) in where
    assert any("did you mean 'staff_day'" in p.message for p in problems)


def test_fractional_cent_is_refused(tmp_path: Path) -> None:
    text = MINIMAL.format(travel=GOOD_TRAVEL).replace("student_month: 600", "student_month: 600.005")
    rates, problems = load(write(tmp_path, text))
    assert rates is None
    assert [p.field for p in problems] == ["support[0].student_month"]


def test_unknown_group_and_overlapping_groups(tmp_path: Path) -> None:
    text = MINIMAL.format(travel=GOOD_TRAVEL).replace(
        "support:\n", "country_groups:\n  - {id: a, countries: [DE, FR]}\n  - {id: b, countries: [FR]}\nsupport:\n")
    rates, problems = load(write(tmp_path, text))
    assert rates is None
    assert any(p.field == "country_groups" and "FR is in group 'a' and in group 'b'" in p.message
               for p in problems)


def test_student_limits_need_months(tmp_path: Path) -> None:
    text = MINIMAL.format(travel=GOOD_TRAVEL).replace("{months: {min: 2, max: 12}}", "{days: {min: 2, max: 12}}")
    rates, problems = load(write(tmp_path, text))
    assert rates is None
    assert [(p.field, p.line) for p in problems] == [("limits", 16)]
    assert "in months" in problems[0].message


def test_ka131_2025_marks_what_is_not_sourced() -> None:
    # The 2025 file loads, says what is still to be checked, and keeps the 2024 groups (assumed unchanged,
    # and marked so).
    text = (RATES / "ka131-2025-pl.yaml").read_text(encoding="utf-8")
    assert "TO CHECK" in text
    rates, problems = load(RATES / "ka131-2025-pl.yaml")
    assert problems == [] and rates is not None
    assert {c: g.id for g in rates.country_groups for c in g.countries} == KA131_2024_GROUPS
    assert rates.project_period is not None and str(rates.project_period.start) == "2025-06-01"
