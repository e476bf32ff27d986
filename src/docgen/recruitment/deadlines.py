"""The appeal deadline: the period from delivery, moved off weekends and public holidays as the office's rule says."""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from docgen.recruitment.models import Appeal, Holidays

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class Deadline:
    delivered: dt.date
    period_end: dt.date  # the last day of the period as counted
    last_day: dt.date  # the last day an appeal can be filed (moved when period_end is not a working day)
    skipped: tuple[dt.date, ...]  # the days it moved over, in order

    @property
    def moved(self) -> bool:
        return self.last_day != self.period_end


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; the month's last day when it has no such day (31 January + 1 → 28/29 February)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def working_day(day: dt.date, holidays: Holidays) -> bool:
    return _WEEKDAYS[day.weekday()] not in holidays.weekend and day not in {h.date for h in holidays.days}


def appeal_deadline(delivered: dt.date, appeal: Appeal, holidays: Holidays) -> Deadline:
    """Counted from the day after delivery (`days`), or to the same day of a later month (`months`)."""
    end = delivered + dt.timedelta(days=appeal.days) if appeal.days is not None \
        else add_months(delivered, appeal.months or 0)
    last = end
    skipped: list[dt.date] = []
    if holidays.rule == "next-working-day":
        while not working_day(last, holidays):
            skipped.append(last)
            last += dt.timedelta(days=1)
    return Deadline(delivered, end, last, tuple(skipped))
