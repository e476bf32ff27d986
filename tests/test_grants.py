"""Grant cases worked out by hand, the month rule, limits, settlement and the printout."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from docgen.money import grants
from docgen.errors import DocgenError
from docgen.money.grants import GrantError, calculate, explain, home_pays, limit_problems, months_and_days, settle
from docgen.model.loader import load_yaml
from docgen.model.models import Institution, Mobility
from docgen.money.rates import Rates
from docgen.model.validation import validate

# ---------------------------------------------------------------- builders (also used by the property tests)

RATES_DIR = Path(__file__).resolve().parent / "fixtures" / "sample" / "rates"


@cache
def rates(name: str) -> Rates:
    loaded, problems = validate(Rates, load_yaml(RATES_DIR / f"{name}.yaml"))
    assert loaded is not None, problems
    return loaded


def institution(short: str, country: str, lat: str | None = None, lon: str | None = None) -> Institution:
    data: dict[str, Any] = {
        "id": short.lower(), "name": {"en": f"{short} University"}, "short_name": short, "country": country,
        "city": {"en": "Town"},
        "address": {"street": "Main Street 1", "postcode": "00-001", "city": {"en": "Town"}, "country": country},
        "website": "https://example.org",
        "legal_representative": {"name": "Jan Example", "function": {"en": "Rector"}},
    }
    if lat is not None and lon is not None:
        data["coordinates"] = {"lat": Decimal(lat), "lon": Decimal(lon)}
    return Institution.model_validate(data)


HOME = institution("HOME", "PL")
PARTNERS = {c: institution(f"P{c}", c) for c in ("UA", "DE", "DK", "NO", "CZ", "IT", "TR")}
PROGRAMME = {k: ["an item"] for k in ("objectives", "added_value", "activities", "outcomes")}


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def academic_year(start: dt.date) -> str:
    y = start.year if start.month >= 6 else start.year - 1
    return f"{y}/{y + 1}"


def mobility(*, type: str = "student-studies", direction: str = "outgoing", start: str | dt.date,
             end: str | dt.date, actual: tuple[str | dt.date, str | dt.date] | None = None,
             partner: str = "DE", call: str = "ka131-2024-pl", **extra: Any) -> Mobility:
    """A valid mobility record; keys under `funding` are merged into the default funding."""
    s = start if isinstance(start, dt.date) else day(start)
    e = end if isinstance(end, dt.date) else day(end)
    student = type.startswith("student")
    funding = {"call": call, "distance_km": 1000, **extra.pop("funding", {})}
    data: dict[str, Any] = {
        "id": "m-test", "type": type, "direction": direction, "partner": partner.lower(), "agreement": "iia",
        "subject": "0613", "academic_year": academic_year(s),
        "participant": {"first_name": "Ada", "last_name": "Example", "email": "ada@example.org",
                        "birth_date": dt.date(1990, 1, 1), "nationality": "PL",
                        "category": "student" if student else "staff"},
        "planned": {"start": s, "end": e},
        "language": {"language": "en", "level": "B2"},
        "funding": funding,
    }
    if not funding.get("zero_grant"):
        data["iban"] = "DE89370400440532013000"
    if actual is not None:
        a0, a1 = (x if isinstance(x, dt.date) else day(x) for x in actual)
        data["actual"] = {"start": a0, "end": a1}
    if student:
        data["cycle"] = 6
    else:
        data["programme"] = PROGRAMME
    if type == "staff-teaching":
        data["teaching_hours"] = 40
    if type == "student-traineeship":
        data["traineeship"] = TRAINEESHIP
    data.update(extra)
    return Mobility.model_validate(data)


TRAINEESHIP = {"title": "Laboratory work", "hours_per_week": 38, "tasks": ["Measure"], "skills": ["Measuring"],
               "monitoring": ["Weekly meeting"], "evaluation": ["Final report"],
               "mentor": {"name": "Mia Mentor", "email": "mia@example.org"},
               "supervisor": {"name": "Sam Supervisor", "email": "sam@example.org"},
               "insurance": {"accident": "sending", "liability": "sending"}}


def grant_of(m: Mobility, *, period: Any = None) -> grants.Grant:
    return calculate(m, rates(m.funding.call), HOME, PARTNERS[m.partner.upper()], period=period)


def settle_of(m: Mobility) -> grants.Settlement:
    return settle(m, rates(m.funding.call), HOME, PARTNERS[m.partner.upper()])


# ---------------------------------------------------------------- the month rule

# (start, end, months, days) — each worked out on a calendar.
MONTHS = [
    ("2016-09-15", "2016-10-14", 1, 0),   # 15 Sep → 14 Oct: the brief's example of one month
    ("2016-09-15", "2016-10-15", 1, 1),   # one more day
    ("2016-10-01", "2016-10-01", 0, 1),   # a single day
    ("2016-10-01", "2016-10-30", 0, 30),  # 30 days of a 31-day month: not yet a month
    ("2016-10-01", "2016-10-31", 1, 0),   # the whole 31-day month
    ("2017-02-01", "2017-02-28", 1, 0),   # the whole February, 28 days
    ("2024-02-01", "2024-02-28", 0, 28),  # leap year: 28 Feb is not the end of February
    ("2024-02-01", "2024-02-29", 1, 0),   # leap year: the whole February, 29 days
    ("2017-01-31", "2017-02-28", 1, 0),   # no 31 Feb: month 1 ends on the last day of February
    ("2017-01-30", "2017-02-28", 1, 0),   # no 30 Feb either
    ("2017-01-28", "2017-02-28", 1, 1),   # 28 Jan → 27 Feb is a month, 28 Feb one day more
    ("2024-01-31", "2024-02-28", 0, 29),  # leap year: month 1 from 31 Jan ends 29 Feb; 31 Jan–28 Feb is 29 days
    ("2024-01-31", "2024-02-29", 1, 0),
    ("2017-01-31", "2017-04-30", 3, 0),   # ends 28 Feb, 30 Mar (day before 31 Mar), 30 Apr (no 31 Apr)
    ("2016-03-31", "2016-05-30", 2, 0),   # ends 30 Apr (no 31 Apr), 30 May (day before 31 May)
    ("2016-03-31", "2016-05-31", 2, 1),
    ("2024-02-29", "2025-02-28", 12, 0),  # from 29 Feb 2024: month 12 ends 28 Feb 2025 (no 29 Feb 2025)
    ("2016-10-10", "2017-01-31", 3, 22),  # ends 9 Nov, 9 Dec, 9 Jan; 10–31 Jan = 22 days
]


@pytest.mark.parametrize(("start", "end", "months", "days"), MONTHS)
def test_months_and_days(start: str, end: str, months: int, days: int) -> None:
    assert months_and_days(day(start), day(end)) == (months, days)


# ---------------------------------------------------------------- grant cases, worked out by hand


@dataclass
class Case:
    name: str
    mobility: dict[str, Any]
    lines: list[tuple[str, str, int, str, str]]  # key, rate, units, unit, amount
    total: str
    advance: str
    balance: str
    extra: dict[str, Any] = field(default_factory=dict)


KA107 = {"call": "ka107-2016-pl", "partner": "UA"}

CASES = [
    # 1. KA107 incoming student, 15 Sep 2016 – 14 Jan 2017, 1000 km. Host = us (PL): 750/month.
    #    Months: 15 Sep→14 Oct (1), →14 Nov (2), →14 Dec (3), →14 Jan (4): 4 months, 0 days.
    #    750 × 4 = 3000.00; travel 500–1999 km = 275.00; total 3275.00.
    #    Advance 70 %: 3275 × 0.7 = 2292.50; balance 3275.00 − 2292.50 = 982.50.
    Case("ka107-incoming-student", {**KA107, "direction": "incoming", "start": "2016-09-15", "end": "2017-01-14"},
         [("individual-support", "750", 4, "month", "3000.00"), ("travel", "275", 1, "trip", "275.00")],
         "3275.00", "2292.50", "982.50"),
    # 2. KA107 outgoing student over February, 1 Feb – 31 May 2017, 499 km. 650/month.
    #    1 Feb→28 Feb (1), →31 Mar (2), →30 Apr (3), →31 May (4): 4 months. 650 × 4 = 2600.00.
    #    499 km: band 100–499 = 180.00. Total 2780.00; advance 0.7 × 2780 = 1946.00; balance 834.00.
    Case("ka107-february", {**KA107, "start": "2017-02-01", "end": "2017-05-31",
                            "funding": {"distance_km": 499}},
         [("individual-support", "650", 4, "month", "2600.00"), ("travel", "180", 1, "trip", "180.00")],
         "2780.00", "1946.00", "834.00"),
    # 3. KA107 outgoing student with days over whole months, 10 Oct 2016 – 31 Jan 2017, 500 km.
    #    10 Oct→9 Nov (1), →9 Dec (2), →9 Jan (3); 10–31 Jan = 22 days (January has 31).
    #    650 × 3 = 1950.00; 650 × 22 / 30 = 14300 / 30 = 476.666… → 476.67; travel 500 km: 275.00.
    #    Total 1950.00 + 476.67 + 275.00 = 2701.67; advance 2701.67 × 0.7 = 1891.169 → 1891.17;
    #    balance 2701.67 − 1891.17 = 810.50.
    Case("ka107-31-day-month", {**KA107, "start": "2016-10-10", "end": "2017-01-31",
                                "funding": {"distance_km": 500}},
         [("individual-support", "650", 3, "month", "1950.00"), ("individual-support", "650", 22, "day", "476.67"),
          ("travel", "275", 1, "trip", "275.00")],
         "2701.67", "1891.17", "810.50"),
    # 4. KA107 outgoing student from 31 Jan 2017 to 30 Apr 2017, 1999 km.
    #    Month 1 ends 28 Feb (no 31 Feb), month 2 on 30 Mar, month 3 on 30 Apr (no 31 Apr): 3 months.
    #    650 × 3 = 1950.00; 1999 km still band 500–1999: 275.00. Total 2225.00;
    #    advance 2225 × 0.7 = 1557.50; balance 667.50.
    Case("ka107-from-31-january", {**KA107, "start": "2017-01-31", "end": "2017-04-30",
                                   "funding": {"distance_km": 1999}},
         [("individual-support", "650", 3, "month", "1950.00"), ("travel", "275", 1, "trip", "275.00")],
         "2225.00", "1557.50", "667.50"),
    # 5. KA131 student from 29 Feb 2024 (leap day) to 15 Jul 2024, Germany (group 1: 670), 520 km.
    #    Month 1 ends 28 Mar, 2: 28 Apr, 3: 28 May, 4: 28 Jun; 29 Jun – 15 Jul = 2 + 15 = 17 days.
    #    670 × 4 = 2680.00; 670 × 17 / 30 = 11390 / 30 = 379.666… → 379.67; travel 500–1999: 309.00.
    #    Total 2680.00 + 379.67 + 309.00 = 3368.67; advance × 0.7 = 2358.069 → 2358.07; balance 1010.60.
    Case("ka131-leap-day", {"start": "2024-02-29", "end": "2024-07-15", "funding": {"distance_km": 520}},
         [("individual-support", "670", 4, "month", "2680.00"), ("individual-support", "670", 17, "day", "379.67"),
          ("travel", "309", 1, "trip", "309.00")],
         "3368.67", "2358.07", "1010.60"),
    # 6. KA131 staff training in Germany (group 1 since the 2024 call: 190/day), exactly 14 days
    #    (1–14 Oct 2024), 100 km. 14 × 190 = 2660.00, no day at the reduced rate; 100 km: band 100–499 = 211.00.
    #    Total 2871.00; staff advance 100 %: 2871.00; balance 0.00.
    Case("ka131-staff-14-days", {"type": "staff-training", "start": "2024-10-01", "end": "2024-10-14",
                                 "funding": {"distance_km": 100}},
         [("individual-support", "190", 14, "day", "2660.00"), ("travel", "211", 1, "trip", "211.00")],
         "2871.00", "2871.00", "0.00"),
    # 7. Same, exactly 15 days (1–15 Oct 2024), 99 km. Day 15 at 70 %: 190 × 0.70 = 133.00.
    #    14 × 190 = 2660.00; 1 × 133 = 133.00; 99 km: band 10–99 = 28.00. Total 2821.00.
    Case("ka131-staff-15-days", {"type": "staff-training", "start": "2024-10-01", "end": "2024-10-15",
                                 "funding": {"distance_km": 99}},
         [("individual-support", "190", 14, "day", "2660.00"),
          ("individual-support-reduced", "133", 1, "day", "133.00"), ("travel", "28", 1, "trip", "28.00")],
         "2821.00", "2821.00", "0.00"),
    # 8. KA131 staff teaching in Czechia (group 2 since the 2024 call: 170/day; 70 % = 119.00), 20 days
    #    + 2 travel days, 2000 km. Counted days 1–14: 14 × 170 = 2380.00; stay days 15–20: 6 × 119 = 714.00;
    #    travel days are days 21–22: 2 × 119 = 238.00; 2000 km: band 2000–2999 = 395.00.
    #    Total 2380.00 + 714.00 + 238.00 + 395.00 = 3727.00 = advance; balance 0.00.
    Case("ka131-staff-group-2-travel-days", {"type": "staff-teaching", "partner": "CZ", "start": "2024-11-04",
                                             "end": "2024-11-23", "travel_days": 2, "funding": {"distance_km": 2000}},
         [("individual-support", "170", 14, "day", "2380.00"),
          ("individual-support-reduced", "119", 6, "day", "714.00"),
          ("travel-days", "119", 2, "day", "238.00"), ("travel", "395", 1, "trip", "395.00")],
         "3727.00", "3727.00", "0.00"),
    # 8a. KA131 staff teaching in Türkiye (group 3: 148/day; 70 % = 103.60), same stay and distance.
    #    14 × 148 = 2072.00; 6 × 103.60 = 621.60; travel days 2 × 103.60 = 207.20; 395.00.
    #    Total 2072.00 + 621.60 + 207.20 + 395.00 = 3295.80.
    Case("ka131-staff-group-3-travel-days", {"type": "staff-teaching", "partner": "TR", "start": "2024-11-04",
                                             "end": "2024-11-23", "travel_days": 2, "funding": {"distance_km": 2000}},
         [("individual-support", "148", 14, "day", "2072.00"),
          ("individual-support-reduced", "103.60", 6, "day", "621.60"),
          ("travel-days", "103.60", 2, "day", "207.20"), ("travel", "395", 1, "trip", "395.00")],
         "3295.80", "3295.80", "0.00"),
    # 9. KA131 staff in Denmark (group 1: 190/day), 10 days + 2 travel days, 7999 km.
    #    12 counted days, all below day 15: 10 × 190 = 1900.00 and 2 × 190 = 380.00;
    #    7999 km: band 4000–7999 = 1188.00. Total 3468.00.
    Case("ka131-staff-7999-km", {"type": "staff-training", "partner": "DK", "start": "2025-03-03",
                                 "end": "2025-03-12", "travel_days": 2, "funding": {"distance_km": 7999}},
         [("individual-support", "190", 10, "day", "1900.00"), ("travel-days", "190", 2, "day", "380.00"),
          ("travel", "1188", 1, "trip", "1188.00")],
         "3468.00", "3468.00", "0.00"),
    # 10. KA131 staff in Italy (group 1: 190; 70 % = 133), 13 days + 2 travel days straddling day 15, 8000 km.
    #    Stay 13 × 190 = 2470.00; travel day 14 at 190.00, travel day 15 at 133.00;
    #    8000 km: band 8000+ = 1735.00. Total 2470 + 190 + 133 + 1735 = 4528.00.
    Case("ka131-staff-8000-km", {"type": "staff-training", "partner": "IT", "start": "2025-03-03",
                                 "end": "2025-03-15", "travel_days": 2, "funding": {"distance_km": 8000}},
         [("individual-support", "190", 13, "day", "2470.00"), ("travel-days", "190", 1, "day", "190.00"),
          ("travel-days", "133", 1, "day", "133.00"), ("travel", "1735", 1, "trip", "1735.00")],
         "4528.00", "4528.00", "0.00"),
    # 11. KA107 incoming staff, 1–15 Mar 2017 (15 days), 1999 km. Host = us: 140/day, 98 from day 15.
    #    14 × 140 = 1960.00; 1 × 98 = 98.00; travel 500–1999: 275.00. Total 2333.00, all in advance.
    Case("ka107-incoming-staff-15-days", {**KA107, "type": "staff-teaching", "direction": "incoming",
                                          "start": "2017-03-01", "end": "2017-03-15",
                                          "funding": {"distance_km": 1999}},
         [("individual-support", "140", 14, "day", "1960.00"),
          ("individual-support-reduced", "98", 1, "day", "98.00"), ("travel", "275", 1, "trip", "275.00")],
         "2333.00", "2333.00", "0.00"),
    # 12. KA107 outgoing staff, 20 days, 2000 km: 160/day with no lower rate: 20 × 160 = 3200.00;
    #    2000 km: band 2000–2999 = 360.00. Total 3560.00.
    Case("ka107-outgoing-staff-20-days", {**KA107, "type": "staff-training", "start": "2017-03-01",
                                          "end": "2017-03-20", "funding": {"distance_km": 2000}},
         [("individual-support", "160", 20, "day", "3200.00"), ("travel", "360", 1, "trip", "360.00")],
         "3560.00", "3560.00", "0.00"),
    # 13–14. KA107 band edge 7999 / 8000 km, outgoing staff 5 days: 5 × 160 = 800.00;
    #    7999 km → 820.00, total 1620.00; 8000 km → 1100.00, total 1900.00.
    Case("ka107-7999-km", {**KA107, "type": "staff-training", "start": "2017-03-06", "end": "2017-03-10",
                           "funding": {"distance_km": 7999}},
         [("individual-support", "160", 5, "day", "800.00"), ("travel", "820", 1, "trip", "820.00")],
         "1620.00", "1620.00", "0.00"),
    Case("ka107-8000-km", {**KA107, "type": "staff-training", "start": "2017-03-06", "end": "2017-03-10",
                           "funding": {"distance_km": 8000}},
         [("individual-support", "160", 5, "day", "800.00"), ("travel", "1100", 1, "trip", "1100.00")],
         "1900.00", "1900.00", "0.00"),
    # 15–16. KA107 band edge 99 / 100 km: the first band starts at 100 km.
    #    99 km: no travel line, total 800.00. 100 km: 180.00, total 980.00.
    Case("ka107-99-km", {**KA107, "type": "staff-training", "start": "2017-03-06", "end": "2017-03-10",
                         "funding": {"distance_km": 99}},
         [("individual-support", "160", 5, "day", "800.00")], "800.00", "800.00", "0.00"),
    Case("ka107-100-km", {**KA107, "type": "staff-training", "start": "2017-03-06", "end": "2017-03-10",
                          "funding": {"distance_km": 100}},
         [("individual-support", "160", 5, "day", "800.00"), ("travel", "180", 1, "trip", "180.00")],
         "980.00", "980.00", "0.00"),
    # 17–18. KA131 band edge 499 / 500 km, staff in Germany 2 days: 2 × 190 = 380.00;
    #    499 km → 211.00, total 591.00; 500 km → 309.00, total 689.00.
    Case("ka131-499-km", {"type": "staff-training", "start": "2024-10-01", "end": "2024-10-02",
                          "funding": {"distance_km": 499}},
         [("individual-support", "190", 2, "day", "380.00"), ("travel", "211", 1, "trip", "211.00")],
         "591.00", "591.00", "0.00"),
    Case("ka131-500-km", {"type": "staff-training", "start": "2024-10-01", "end": "2024-10-02",
                          "funding": {"distance_km": 500}},
         [("individual-support", "190", 2, "day", "380.00"), ("travel", "309", 1, "trip", "309.00")],
         "689.00", "689.00", "0.00"),
    # 19–20. KA131 band edge 1999 / 2000 km, same stay: 1999 → 309.00, total 689.00;
    #    2000 → 395.00, total 775.00.
    Case("ka131-1999-km", {"type": "staff-training", "start": "2024-10-01", "end": "2024-10-02",
                           "funding": {"distance_km": 1999}},
         [("individual-support", "190", 2, "day", "380.00"), ("travel", "309", 1, "trip", "309.00")],
         "689.00", "689.00", "0.00"),
    Case("ka131-2000-km", {"type": "staff-training", "start": "2024-10-01", "end": "2024-10-02",
                           "funding": {"distance_km": 2000}},
         [("individual-support", "190", 2, "day", "380.00"), ("travel", "395", 1, "trip", "395.00")],
         "775.00", "775.00", "0.00"),
    # 21. KA131 student traineeship in Norway (group 1: 670), 1 Jul – 31 Aug 2024, green travel, 4 travel
    #    days, 499 km. 1 Jul→31 Jul (1), →31 Aug (2): 2 months.
    #    670 × 2 = 1340.00; traineeship top-up 150 × 2 = 300.00; travel days 670 × 4 / 30 = 2680 / 30 =
    #    89.333… → 89.33; 499 km green: 285.00. Total 1340 + 300 + 89.33 + 285 = 2014.33;
    #    advance 2014.33 × 0.7 = 1410.031 → 1410.03; balance 604.30.
    Case("ka131-traineeship-green", {"type": "student-traineeship", "partner": "NO", "start": "2024-07-01",
                                     "end": "2024-08-31", "travel_days": 4, "green_travel": True,
                                     "funding": {"distance_km": 499}},
         [("individual-support", "670", 2, "month", "1340.00"), ("top-up-traineeship", "150", 2, "month", "300.00"),
          ("travel-days", "670", 4, "day", "89.33"), ("travel", "285", 1, "trip", "285.00")],
         "2014.33", "1410.03", "604.30"),
    # 22. Green travel on a band without a green amount: staff in Germany 5 days, 4000 km:
    #    5 × 190 = 950.00 + standard 1188.00 = 2138.00.
    Case("ka131-green-no-green-amount", {"type": "staff-training", "start": "2024-10-07", "end": "2024-10-11",
                                         "green_travel": True, "funding": {"distance_km": 4000}},
         [("individual-support", "190", 5, "day", "950.00"), ("travel", "1188", 1, "trip", "1188.00")],
         "2138.00", "2138.00", "0.00"),
    # 23. KA131 student with fewer opportunities in Italy, 1 Oct 2024 – 28 Feb 2025, 1500 km.
    #    Ends 31 Oct, 30 Nov, 31 Dec, 31 Jan, 28 Feb: 5 months. 670 × 5 = 3350.00;
    #    top-up 250 × 5 = 1250.00; travel 309.00. Total 4909.00; advance 3436.30; balance 1472.70.
    Case("ka131-fewer-opportunities", {"partner": "IT", "start": "2024-10-01", "end": "2025-02-28",
                                       "funding": {"distance_km": 1500, "fewer_opportunities": True}},
         [("individual-support", "670", 5, "month", "3350.00"),
          ("top-up-fewer-opportunities", "250", 5, "month", "1250.00"), ("travel", "309", 1, "trip", "309.00")],
         "4909.00", "3436.30", "1472.70"),
    # 24. KA131 short-term student with fewer opportunities, 1–20 Jul 2024 (20 days), 700 km.
    #    Days 1–14: 14 × 79 = 1106.00; days 15–20: 6 × 56 = 336.00; one-off top-up for 15–30 days:
    #    150.00; travel 309.00. Total 1901.00; advance 0.7 × 1901 = 1330.70; balance 570.30.
    Case("ka131-short-term", {"start": "2024-07-01", "end": "2024-07-20",
                              "funding": {"distance_km": 700, "short_term": True, "fewer_opportunities": True}},
         [("individual-support", "79", 14, "day", "1106.00"),
          ("individual-support-reduced", "56", 6, "day", "336.00"),
          ("top-up-fewer-opportunities", "150", 1, "trip", "150.00"), ("travel", "309", 1, "trip", "309.00")],
         "1901.00", "1330.70", "570.30"),
    # 25. Short-term, 5 days: 5 × 79 = 395.00; top-up for 5–14 days 100.00; 1000 km: 309.00.
    #    Total 804.00; advance 562.80; balance 241.20.
    Case("ka131-short-term-5-days", {"start": "2024-07-01", "end": "2024-07-05",
                                     "funding": {"short_term": True, "fewer_opportunities": True}},
         [("individual-support", "79", 5, "day", "395.00"),
          ("top-up-fewer-opportunities", "100", 1, "trip", "100.00"), ("travel", "309", 1, "trip", "309.00")],
         "804.00", "562.80", "241.20"),
    # 26. Zero grant: no lines, everything 0.00.
    Case("ka131-zero-grant", {"start": "2024-10-01", "end": "2025-02-28", "funding": {"zero_grant": True}},
         [], "0.00", "0.00", "0.00"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_grant_case(case: Case) -> None:
    g = grant_of(mobility(**case.mobility))
    got = [(ln.key, ln.rate, ln.units, ln.unit, ln.amount) for ln in g.lines]
    want = [(k, Decimal(r), u, unit, Decimal(a)) for k, r, u, unit, a in case.lines]
    assert got == want
    assert (g.total, g.advance, g.balance) == (Decimal(case.total), Decimal(case.advance), Decimal(case.balance))
    assert g.advance + g.balance == g.total
    assert g.currency == "EUR"


def test_at_least_fifteen_hand_cases() -> None:
    assert len(CASES) >= 15


def test_staff_week_in_dresden() -> None:
    # KA131 2024 staff training at TU Dresden (Germany: group 1 since the 2024 call), Mon 7 – Fri 11 Oct 2024
    # = 5 days + 2 travel days, 374 km. 7 counted days, all before day 15: 5 × 190 = 950.00 and
    # 2 × 190 = 380.00; 374 km: band 100–499 = 211.00. Total 1541.00, all in advance (staff 100 %).
    m = mobility(type="staff-training", start="2024-10-07", end="2024-10-11", travel_days=2,
                 funding={"distance_km": 374})
    g = grant_of(m)
    assert (g.host_country, g.group) == ("DE", "1")
    assert [(ln.key, ln.rate, ln.units, ln.amount) for ln in g.lines] == [
        ("individual-support", Decimal("190.00"), 5, Decimal("950.00")),
        ("travel-days", Decimal("190.00"), 2, Decimal("380.00")),
        ("travel", Decimal("211.00"), 1, Decimal("211.00"))]
    assert (g.total, g.advance, g.balance) == (Decimal("1541.00"), Decimal("1541.00"), Decimal("0.00"))


def test_great_circle_distance() -> None:
    # Along one meridian from 50° N to 55° N: 6371 × 5 × π / 180 = 6371 × 0.0872665 = 555.97 → 555 km.
    # Staff in Germany, 2 days: 2 × 190 = 380.00; 555 km: band 500–1999 = 309.00; total 689.00.
    home = institution("HOME", "PL", "50", "20")
    partner = institution("PDE", "DE", "55", "20")
    m = mobility(type="staff-training", start="2024-10-01", end="2024-10-02", funding={"distance_km": None})
    g = calculate(m, rates("ka131-2024-pl"), home, partner)
    assert (g.distance_km, g.distance_source) == (555, "great-circle")
    assert g.amount("travel") == Decimal("309.00") and g.total == Decimal("689.00")
    # On the equator one degree of longitude: 6371 × π / 180 = 111.19 → 111 km.
    assert grants.great_circle_km(institution("A", "PL", "0", "0"), institution("B", "DE", "0", "1")) == 111


def test_distance_km_wins_over_coordinates() -> None:
    home = institution("HOME", "PL", "50", "20")
    partner = institution("PDE", "DE", "55", "20")
    m = mobility(type="staff-training", start="2024-10-01", end="2024-10-02", funding={"distance_km": 2500})
    g = calculate(m, rates("ka131-2024-pl"), home, partner)
    assert (g.distance_km, g.distance_source, g.amount("travel")) == (2500, "funding.distance_km", Decimal("395.00"))


def test_no_distance_is_a_grant_error() -> None:
    m = mobility(type="staff-training", start="2024-10-01", end="2024-10-02", funding={"distance_km": None})
    with pytest.raises(GrantError, match="distance_km") as info:
        grant_of(m)
    assert isinstance(info.value, DocgenError)


def test_zero_grant_needs_no_distance() -> None:
    m = mobility(start="2024-10-01", end="2025-02-28", funding={"distance_km": None, "zero_grant": True})
    g = grant_of(m)
    assert g.zero_grant and g.lines == () and g.total == 0


def test_rounding_is_half_up_per_line() -> None:
    # A made-up call with a monthly rate of 100.35 and a travel amount of 1.45.
    # 1 month 1 day: 100.35 × 1 = 100.35; 100.35 × 1 / 30 = 3.345 → 3.35 half-up (half-even would give 3.34).
    # Travel 1.45. Total 100.35 + 3.35 + 1.45 = 105.15; advance 105.15 × 0.7 = 73.605 → 73.61 half-up
    # (half-even: 73.60); balance 105.15 − 73.61 = 31.54.
    base = rates("ka131-2024-pl").model_dump()
    base.update(id="made-up", country_groups=[],
                support=[{"direction": "outgoing", "student_month": Decimal("100.35")}],
                travel=[{"from_km": 0, "amount": Decimal("1.45")}])
    made_up = Rates.model_validate(base)
    m = mobility(start="2024-10-01", end="2024-11-01", funding={"call": "made-up"})
    g = calculate(m, made_up, HOME, PARTNERS["DE"])
    assert [ln.amount for ln in g.lines] == [Decimal("100.35"), Decimal("3.35"), Decimal("1.45")]
    assert (g.total, g.advance, g.balance) == (Decimal("105.15"), Decimal("73.61"), Decimal("31.54"))


# ---------------------------------------------------------------- settlement on actual dates


def test_shorter_staff_stay_means_repayment() -> None:
    # KA131 staff in Germany, planned 1–5 Oct 2024 (5 days), actual 1–3 Oct (3 days), 800 km.
    # Planned 5 × 190 = 950.00 + 309.00 = 1259.00, all paid in advance.
    # Actual 3 × 190 = 570.00 + 309.00 = 879.00. Balance 879.00 − 1259.00 = −380.00: repay 380.00.
    m = mobility(type="staff-training", start="2024-10-01", end="2024-10-05", actual=("2024-10-01", "2024-10-03"),
                 funding={"distance_km": 800})
    s = settle_of(m)
    assert s.planned.total == Decimal("1259.00") and s.advance_paid == Decimal("1259.00")
    assert s.actual is not None and s.actual.total == Decimal("879.00")
    assert s.due is s.actual and not s.capped
    assert (s.balance, s.repayment) == (Decimal("-380.00"), Decimal("380.00"))


def test_shorter_student_stay_lowers_the_balance() -> None:
    # KA107 outgoing student, planned 1 Oct 2016 – 28 Feb 2017: ends 31 Oct, 30 Nov, 31 Dec, 31 Jan, 28 Feb
    # = 5 months: 650 × 5 = 3250.00 + 275.00 (1000 km) = 3525.00; advance 0.7 × 3525 = 2467.50.
    # Actual 1 Oct 2016 – 20 Jan 2017: 3 months + 20 days: 1950.00 + 650 × 20 / 30 = 433.333… → 433.33;
    # + 275.00 = 2658.33. Balance 2658.33 − 2467.50 = 190.83, nothing to repay.
    m = mobility(**KA107, start="2016-10-01", end="2017-02-28", actual=("2016-10-01", "2017-01-20"))
    s = settle_of(m)
    assert (s.planned.total, s.advance_paid) == (Decimal("3525.00"), Decimal("2467.50"))
    assert s.due.total == Decimal("2658.33")
    assert (s.balance, s.repayment) == (Decimal("190.83"), Decimal("0.00"))


def test_much_shorter_student_stay_means_repayment() -> None:
    # KA131 student in Germany, planned 1 Oct 2024 – 28 Feb 2025 (5 months): 3350.00 + 309.00 = 3659.00;
    # advance 3659 × 0.7 = 2561.30. Actual 1 Oct – 30 Nov 2024 = 2 months: 1340.00 + 309.00 = 1649.00.
    # Balance 1649.00 − 2561.30 = −912.30: repay 912.30.
    m = mobility(start="2024-10-01", end="2025-02-28", actual=("2024-10-01", "2024-11-30"))
    s = settle_of(m)
    assert (s.planned.total, s.advance_paid, s.due.total) == (
        Decimal("3659.00"), Decimal("2561.30"), Decimal("1649.00"))
    assert (s.balance, s.repayment) == (Decimal("-912.30"), Decimal("912.30"))


def test_longer_stay_is_capped_unless_extension_funded() -> None:
    # KA107 outgoing student, planned 1 Oct – 31 Dec 2016 = 3 months: 1950.00 + 275.00 = 2225.00;
    # advance 1557.50. Actual 1 Oct 2016 – 15 Jan 2017 = 3 months + 15 days: 1950.00 + 650 × 15 / 30 =
    # 325.00, + 275.00 = 2550.00.
    # Not funded: due stays 2225.00, balance 2225.00 − 1557.50 = 667.50.
    # Funded: due 2550.00, balance 2550.00 − 1557.50 = 992.50.
    plain = mobility(**KA107, start="2016-10-01", end="2016-12-31", actual=("2016-10-01", "2017-01-15"))
    s = settle_of(plain)
    assert s.actual is not None and s.actual.total == Decimal("2550.00")
    assert s.capped and s.due.total == Decimal("2225.00") and s.balance == Decimal("667.50")
    assert any("extension_funded" in n for n in s.notes)
    funded = mobility(**KA107, start="2016-10-01", end="2016-12-31", actual=("2016-10-01", "2017-01-15"),
                      funding={"extension_funded": True})
    s = settle_of(funded)
    assert not s.capped and s.due.total == Decimal("2550.00") and s.balance == Decimal("992.50")


def test_settlement_without_actual_dates() -> None:
    m = mobility(start="2024-10-01", end="2025-02-28")
    s = settle_of(m)
    assert s.actual is None and s.due is s.planned and s.balance == s.planned.balance


# ---------------------------------------------------------------- refused: what the call does not pay


@pytest.mark.parametrize(("kwargs", "message"), [
    ({**KA107, "type": "student-traineeship", "start": "2016-10-01", "end": "2017-01-31"},
     "does not cover student-traineeship"),
    ({**KA107, "start": "2016-10-01", "end": "2017-01-31", "funding": {"social_top_up": True}},
     "has no social top-up"),
    ({**KA107, "type": "staff-training", "start": "2017-03-06", "end": "2017-03-10", "travel_days": 1},
     "funds no travel days"),
    ({"type": "staff-training", "start": "2024-10-07", "end": "2024-10-11", "travel_days": 3},
     "at most 2 travel days"),
    ({"type": "student-traineeship", "start": "2024-10-01", "end": "2025-01-31", "funding": {"social_top_up": True}},
     "long-term study mobility only"),
    ({"type": "staff-training", "start": "2024-10-07", "end": "2024-10-11",
      "funding": {"fewer_opportunities": True}}, "students only"),
])
def test_unfunded_claims_raise(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(GrantError, match=message):
        grant_of(mobility(**kwargs))


def test_incoming_ka131_and_non_programme_host_raise() -> None:
    with pytest.raises(GrantError, match="the sending institution pays"):
        grant_of(mobility(direction="incoming", start="2024-10-01", end="2025-01-31"))
    with pytest.raises(GrantError, match="host country UA"):
        grant_of(mobility(partner="UA", start="2024-10-01", end="2025-01-31"))


def test_wrong_rates_file_raises() -> None:
    m = mobility(start="2024-10-01", end="2025-01-31")
    with pytest.raises(GrantError, match="ka107-2016-pl"):
        calculate(m, rates("ka107-2016-pl"), HOME, PARTNERS["DE"])


# ---------------------------------------------------------------- limits


def problems(m: Mobility) -> dict[tuple, str]:
    return dict(limit_problems(m, rates(m.funding.call)))


def test_valid_mobilities_have_no_limit_problems() -> None:
    for case in CASES:
        m = mobility(**case.mobility)
        found = limit_problems(m, rates(m.funding.call))
        if case.name == "ka131-leap-day":
            # A month-rule case: 29 Feb 2024 is before the 2024 call's project period starts (1 Jun 2024).
            assert [loc for loc, _ in found] == [("planned", "start")]
            continue
        assert found == [], case.name


def test_student_months_limits() -> None:
    # KA107 studies: at least 3 months. 1 Oct – 30 Dec 2016 = 2 months 30 days.
    short = problems(mobility(**KA107, start="2016-10-01", end="2016-12-30"))
    assert short == {("planned",): "a student-studies mobility lasts at least 3 months under call ka107-2016-pl; "
                                   "planned 2016-10-01 – 2016-12-30 is 2 months 30 days"}
    assert problems(mobility(**KA107, start="2016-10-01", end="2016-12-31")) == {}
    # At most 12 months: 1 Jul 2024 – 30 Jun 2025 is exactly 12, one day more is too long.
    assert problems(mobility(start="2024-07-01", end="2025-06-30")) == {}
    long = problems(mobility(start="2024-07-01", end="2025-07-01"))
    assert "at most 12 months" in long[("planned",)] and "12 months 1 day" in long[("planned",)]


def test_staff_day_limits_and_actual_period() -> None:
    assert problems(mobility(type="staff-training", start="2024-10-01", end="2024-10-02")) == {}
    one = problems(mobility(type="staff-training", start="2024-10-01", end="2024-10-01"))
    assert one[("planned",)].startswith("a staff-training mobility lasts 2–60 days (travel excluded)")
    assert "is 1 day" in one[("planned",)]
    # 1 Oct – 30 Nov 2024 = 31 + 30 = 61 days.
    assert "is 61 days" in problems(mobility(type="staff-training", start="2024-10-01", end="2024-11-30"))[("planned",)]
    # KA107 staff: at least 5 days.
    four = problems(mobility(**KA107, type="staff-training", start="2017-03-06", end="2017-03-09"))
    assert "lasts 5–60 days" in four[("planned",)]
    actual = problems(mobility(type="staff-training", start="2024-10-01", end="2024-10-05",
                               actual=("2024-10-01", "2024-10-01")))
    assert list(actual) == [("actual",)]


def test_short_term_limits() -> None:
    four = problems(mobility(start="2024-07-01", end="2024-07-04", funding={"short_term": True}))
    assert four[("planned",)] == ("a short-term student mobility lasts 5–30 days under call ka131-2024-pl; "
                                  "planned 2024-07-01 – 2024-07-04 is 4 days")
    assert problems(mobility(start="2024-07-01", end="2024-07-30", funding={"short_term": True})) == {}
    assert ("planned",) in problems(mobility(start="2024-07-01", end="2024-07-31", funding={"short_term": True}))


def test_teaching_hours() -> None:
    five = mobility(type="staff-teaching", start="2024-10-07", end="2024-10-11", teaching_hours=7)
    assert problems(five) == {("teaching_hours",): "staff teaching under call ka131-2024-pl means at least "
                                                   "8 hours; teaching_hours is 7"}
    assert problems(mobility(type="staff-teaching", start="2024-10-07", end="2024-10-11", teaching_hours=8)) == {}
    # 14 days: 8 × 14 / 7 = 16 hours needed.
    two_weeks = mobility(type="staff-teaching", start="2024-10-07", end="2024-10-20", teaching_hours=15)
    assert "so 14 days need 8 × 14 / 7 = 16.00 hours; teaching_hours is 15" in problems(two_weeks)[("teaching_hours",)]
    # 10 days: 8 × 10 / 7 = 11.43 → 12 hours pass, 11 do not.
    assert problems(mobility(type="staff-teaching", start="2024-10-07", end="2024-10-16", teaching_hours=12)) == {}
    assert ("teaching_hours",) in problems(mobility(type="staff-teaching", start="2024-10-07", end="2024-10-16",
                                                    teaching_hours=11))


def test_academic_year_window() -> None:
    # KA107 staff of 2016/2017: between 1 Oct 2016 and 15 Sep 2017.
    early = mobility(**KA107, type="staff-training", start="2016-09-26", end="2016-09-30",
                     academic_year="2016/2017")
    assert problems(early) == {
        ("planned", "start"): "a staff-training mobility of 2016/2017 starts and ends between 2016-10-01 and "
                              "2017-09-15 under call ka107-2016-pl; planned start is 2016-09-26",
        ("planned", "end"): "a staff-training mobility of 2016/2017 starts and ends between 2016-10-01 and "
                            "2017-09-15 under call ka107-2016-pl; planned end is 2016-09-30"}
    # Students of 2024/2025 under KA131: 1 Jun 2024 – 30 Sep 2025.
    late = mobility(start="2025-08-01", end="2025-10-31", academic_year="2024/2025")
    assert list(problems(late)) == [("planned", "end")]
    assert problems(mobility(start="2024-06-01", end="2024-08-31", academic_year="2024/2025")) == {}


def test_funding_problems_are_located() -> None:
    m = mobility(**KA107, start="2016-10-01", end="2017-01-31", funding={"social_top_up": True})
    assert problems(m) == {("funding", "social_top_up"): "call ka107-2016-pl has no social top-up"}
    wrong = mobility(start="2024-10-01", end="2025-01-31")
    found = dict(limit_problems(wrong, rates("ka107-2016-pl")))
    assert found[("funding", "call")] == "the mobility names call 'ka131-2024-pl', checked against 'ka107-2016-pl'"
    many = problems(mobility(type="staff-training", start="2024-10-07", end="2024-10-11", travel_days=3,
                             green_travel=False))
    assert many == {("travel_days",): "call ka131-2024-pl funds at most 2 travel days without green travel "
                                      "(6 with green travel); travel_days is 3"}


# ---------------------------------------------------------------- the printout


def test_explain_shows_the_arithmetic() -> None:
    m = mobility(**KA107, start="2016-10-10", end="2017-01-31", actual=("2016-10-10", "2016-12-31"),
                 funding={"distance_km": 500})
    text = explain(m, rates("ka107-2016-pl"), HOME, PARTNERS["UA"])
    assert "650.00 EUR/month × 3 months = 1950.00 EUR" in text
    assert "650.00 EUR/month × 22 days / 30 = 476.67 EUR" in text
    assert "275.00 EUR/trip × 1 trip = 275.00 EUR" in text
    assert "2701.67 EUR" in text
    assert "advance 70 % = 1891.17 EUR, within 30 days of signature" in text
    assert "balance 2701.67 − 1891.17 = 810.50 EUR, within 15 days of the participant report" in text
    # Actual 10 Oct – 31 Dec 2016: ends 9 Nov, 9 Dec; 10–31 Dec = 22 days: 1300.00 + 476.67 + 275.00 = 2051.67.
    # The advance paid (1891.17) is below that: balance due 2051.67 − 1891.17 = 160.50.
    assert "On actual dates:" in text
    assert "balance due 2051.67 − 1891.17 = 160.50 EUR" in text


def test_explain_repayment_and_zero_grant() -> None:
    m = mobility(type="staff-training", start="2024-10-01", end="2024-10-05", actual=("2024-10-01", "2024-10-03"),
                 funding={"distance_km": 800})
    text = explain(m, rates("ka131-2024-pl"), HOME, PARTNERS["DE"])
    assert "repayment 1259.00 − 879.00 = 380.00 EUR" in text
    zero = mobility(start="2024-10-01", end="2025-02-28", funding={"zero_grant": True})
    assert "zero-grant mobility: no grant, total 0.00 EUR" in explain(zero, rates("ka131-2024-pl"), HOME,
                                                                      PARTNERS["DE"])


def test_incoming_ka131_is_paid_by_the_sending_institution() -> None:
    # KA131 has no incoming rate: the partner pays. KA107 (2016) paid incoming participants from our grant.
    incoming = mobility(type="staff-training", direction="incoming", start="2024-10-07", end="2024-10-11")
    assert not home_pays(incoming, rates("ka131-2024-pl"))
    assert limit_problems(incoming, rates("ka131-2024-pl")) == []
    with pytest.raises(GrantError, match="the sending institution pays"):
        calculate(incoming, rates("ka131-2024-pl"), HOME, PARTNERS["DE"])
    text = explain(incoming, rates("ka131-2024-pl"), HOME, PARTNERS["DE"])
    assert "paid by the sending institution" in text and "EUR" not in text
    old = mobility(type="staff-training", direction="incoming", start="2018-10-01", end="2018-10-05",
                   call="ka107-2016-pl", partner="UA")
    assert home_pays(old, rates("ka107-2016-pl"))
    assert home_pays(mobility(start="2024-10-01", end="2025-02-28"), rates("ka131-2024-pl"))  # outgoing


# ---------------------------------------------------------------- who gets travel, the project period


@cache
def fewer_only() -> Rates:
    """The 2024 call as an NA that pays students' travel only to those with fewer opportunities."""
    base = rates("ka131-2024-pl").model_dump()
    base.update(id="fewer-only", travel_support={
        "staff": "all", "students": "fewer-opportunities", "short_term_students": "fewer-opportunities",
        "green_without_travel": {"top_up": Decimal("50"), "travel_days": 4}})
    return Rates.model_validate(base)


def fewer_only_grant(**kwargs: Any) -> grants.Grant:
    m = mobility(call="fewer-only", **kwargs)
    return calculate(m, fewer_only(), HOME, PARTNERS[m.partner.upper()])


def test_students_without_fewer_opportunities_get_no_travel_where_the_call_says_so() -> None:
    # Student in Germany, 1 Oct 2024 – 28 Feb 2025 = 5 months, 1500 km: 670 × 5 = 3350.00, no travel line.
    # Advance 0.7 × 3350 = 2345.00; balance 1005.00. No distance is needed (none is measured).
    g = fewer_only_grant(start="2024-10-01", end="2025-02-28", funding={"distance_km": None})
    assert [(ln.key, ln.amount) for ln in g.lines] == [("individual-support", Decimal("3350.00"))]
    assert (g.total, g.advance, g.balance) == (Decimal("3350.00"), Decimal("2345.00"), Decimal("1005.00"))
    assert g.distance_km is None and g.band is None
    assert g.travel_rule.startswith("travel_support.students: fewer-opportunities (call fewer-only): only "
                                    "long-term students with fewer opportunities get the travel lump sum")
    # With fewer opportunities: 3350.00 + 250 × 5 = 1250.00 + travel 500–1999 km 309.00 = 4909.00.
    fo = fewer_only_grant(start="2024-10-01", end="2025-02-28",
                          funding={"distance_km": 1500, "fewer_opportunities": True})
    assert [ln.key for ln in fo.lines] == ["individual-support", "top-up-fewer-opportunities", "travel"]
    assert fo.total == Decimal("4909.00")
    # Staff still travel: 5 days in Germany 5 × 190 = 950.00 + 309.00 = 1259.00.
    staff = fewer_only_grant(type="staff-training", start="2024-10-07", end="2024-10-11")
    assert staff.total == Decimal("1259.00") and staff.travel_rule.startswith("travel_support.staff: all")


def test_green_travel_without_a_travel_grant() -> None:
    # Same student, green travel, 4 travel days: 3350.00 + travel days 670 × 4 / 30 = 2680 / 30 = 89.333… →
    # 89.33 + green top-up 50.00 = 3489.33; advance 0.7 × 3489.33 = 2442.531 → 2442.53; balance 1046.80.
    g = fewer_only_grant(start="2024-10-01", end="2025-02-28", green_travel=True, travel_days=4)
    assert [(ln.key, ln.rate, ln.units, ln.unit, ln.amount) for ln in g.lines] == [
        ("individual-support", Decimal("670.00"), 5, "month", Decimal("3350.00")),
        ("travel-days", Decimal("670.00"), 4, "day", Decimal("89.33")),
        ("top-up-green-travel", Decimal("50.00"), 1, "trip", Decimal("50.00"))]
    assert (g.total, g.advance, g.balance) == (Decimal("3489.33"), Decimal("2442.53"), Decimal("1046.80"))
    # Short-term, 1–10 Jul 2024 (10 days), green, 2 travel days: 12 counted days × 79 = 790.00 + 158.00;
    # top-up 50.00; total 998.00.
    st = fewer_only_grant(start="2024-07-01", end="2024-07-10", green_travel=True, travel_days=2,
                          funding={"short_term": True})
    assert [(ln.key, ln.amount) for ln in st.lines] == [
        ("individual-support", Decimal("790.00")), ("travel-days", Decimal("158.00")),
        ("top-up-green-travel", Decimal("50.00"))]
    assert st.total == Decimal("998.00")


def test_travel_days_without_a_travel_grant_are_limited() -> None:
    five = mobility(call="fewer-only", start="2024-10-01", end="2025-02-28", green_travel=True, travel_days=5)
    assert dict(limit_problems(five, fewer_only())) == {
        ("travel_days",): "call fewer-only funds at most 4 travel days to a student without a travel grant "
                          "who travels green; travel_days is 5"}
    with pytest.raises(GrantError, match="at most 4 travel days"):
        calculate(five, fewer_only(), HOME, PARTNERS["DE"])
    plain = mobility(call="fewer-only", start="2024-10-01", end="2025-02-28", travel_days=2)
    assert dict(limit_problems(plain, fewer_only())) == {
        ("travel_days",): "under call fewer-only this student has no travel grant, and travel days are funded "
                          "to such a student only with green travel; travel_days is 2: set it to 0"}


def test_explain_names_the_travel_rule() -> None:
    m = mobility(start="2024-10-01", end="2025-02-28")
    text = explain(m, rates("ka131-2024-pl"), HOME, PARTNERS["DE"])
    assert ("  travel support: travel_support.students: all (call ka131-2024-pl): every one of its long-term "
            "students gets the travel lump sum\n") in text
    plain = mobility(call="fewer-only", start="2024-10-01", end="2025-02-28", green_travel=True)
    text = explain(plain, fewer_only(), HOME, PARTNERS["DE"])
    assert ("travel support: travel_support.students: fewer-opportunities (call fewer-only): only long-term "
            "students with fewer opportunities get the travel lump sum; this participant has no travel grant; "
            "green travel without a travel grant brings a one-off 50.00 EUR top-up and up to 4 travel days\n"
            ) in text
    assert "green-travel top-up, once, without a travel grant  50.00 EUR/trip × 1 trip = 50.00 EUR" in text


def test_project_period() -> None:
    # A 2024-call traineeship of 2025/2026, 1 Jun – 31 Aug 2026: inside the academic-year window (1 Jun 2025 –
    # 30 Sep 2026) but ending after the project's end, 31 Jul 2026.
    late = mobility(type="student-traineeship", start="2026-06-01", end="2026-08-31", academic_year="2025/2026")
    assert problems(late) == {("planned", "end"): "a mobility under call ka131-2024-pl takes place within its "
                                                  "project period 2024-06-01 – 2026-07-31; planned end is "
                                                  "2026-08-31"}
    assert problems(mobility(type="student-traineeship", start="2026-06-01", end="2026-07-31",
                             academic_year="2025/2026")) == {}
    # The actual dates too: planned to 31 Jul, stayed to 2 Aug.
    stayed = mobility(type="student-traineeship", start="2026-06-01", end="2026-07-31",
                      actual=("2026-06-01", "2026-08-02"), academic_year="2025/2026")
    assert list(problems(stayed)) == [("actual", "end")]
