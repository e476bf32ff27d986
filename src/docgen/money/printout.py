"""`docgen grant`: a mobility's grant worked out line by line for an officer to check by hand."""
from __future__ import annotations

from docgen.money.calculation import Grant, calculate, settle
from docgen.money.rules import _count, home_pays
from docgen.model.models import Institution, Mobility
from docgen.money.rates import Rates


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
    if g.travel_rule:
        lines.append(f"  travel support: {g.travel_rule}")
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
