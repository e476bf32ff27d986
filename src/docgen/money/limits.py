"""What a mobility claims that its call does not allow or pay: duration, hours, year window, funding."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
import datetime as dt

from docgen.money.rules import CENT, _count, _short_term, _student, gets_travel, home_pays, months_and_days
from docgen.model.models import Mobility, Period, year_start
from docgen.money.rates import Rates


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
    if mobility.travel_days and _student(mobility) and not gets_travel(mobility, rates):
        green = rates.travel_support.green_without_travel
        if not mobility.green_travel or green is None:
            out.append((("travel_days",), f"under {call} this student has no travel grant, and travel days are "
                                          "funded to such a student only with green travel"
                                          + ("" if green else f", which {call} does not fund")
                                          + f"; travel_days is {mobility.travel_days}: set it to 0"))
        elif mobility.travel_days > green.travel_days:
            out.append((("travel_days",), f"{call} funds at most {green.travel_days} travel days to a student "
                                          f"without a travel grant who travels green; travel_days is "
                                          f"{mobility.travel_days}"))
    elif mobility.travel_days:
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
        pp = rates.project_period
        if pp is not None:
            for end_name, day in (("start", p.start), ("end", p.end)):
                if not pp.start <= day <= pp.end:
                    out.append(((name, end_name), f"a mobility under {call} takes place within its project period "
                                                  f"{pp.start} – {pp.end}; {name} {end_name} is {day}"))
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

