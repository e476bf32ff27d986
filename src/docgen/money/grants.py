"""Erasmus+ grants: the rules (rules), the calculation (calculation), the call's limits (limits), the printout."""
from __future__ import annotations

from docgen.money.calculation import (
    EARTH_RADIUS_KM,
    DistanceSource,
    Grant,
    Line,
    Settlement,
    Unit,
    calculate,
    distance,
    great_circle_km,
    settle,
)
from docgen.money.limits import limit_problems
from docgen.money.printout import explain
from docgen.money.rules import (
    CENT,
    DAYS_PER_MONTH,
    ZERO,
    GrantError,
    gets_travel,
    home_pays,
    money,
    month_end,
    months_and_days,
    stay_months,
    travel_rule,
)

__all__ = [
    "CENT", "DAYS_PER_MONTH", "EARTH_RADIUS_KM", "ZERO", "DistanceSource", "Grant", "GrantError", "Line",
    "Settlement", "Unit", "calculate", "distance", "explain", "gets_travel", "great_circle_km", "home_pays", "limit_problems",
    "money", "month_end", "months_and_days", "stay_months", "settle", "travel_rule",
]
