"""`docgen rank CALL` as text: eligibility with the failed rule, every score line, the lists, ties and replacements."""
from __future__ import annotations

from docgen.recruitment.load import Recruitment
from docgen.recruitment.ranking import Ranked, Scored, deadline
from docgen.recruitment.models import Call


def _en(text: dict[str, str], call: Call) -> str:
    return text.get("en") or text[call.languages[0]]


def _applicant(s: Scored) -> str:
    return f"{s.app.id} ({s.app.applicant.first_name} {s.app.applicant.last_name}, submitted {s.app.submitted}" + \
        (f" {s.app.time}" if s.app.time else "") + ")"


def explain(ranked: Ranked, recruitment: Recruitment) -> str:
    call = ranked.call
    out = [f"call {call.id}: {_en(call.title, call)}", f"  {call.group}, {call.academic_year}; applications "
           f"{call.opens} – {call.closes}; results {call.results}", ""]
    rules = {r.id: r for r in call.eligibility}
    docs = {d.id: d for d in call.documents}
    for s in sorted(ranked.scored.values(), key=lambda s: s.app.id):
        out.append(f"{_applicant(s)} → {s.app.partner}, {s.app.type}")
        for event in s.app.events:
            extra = f" ({event.outcome})" if event.outcome else ""
            corrected = ", ".join(f"{k} = {v}" for k, v in event.answers.items())
            out.append(f"  event {event.date}: {event.event}{extra}" + (f": corrected {corrected}" if corrected else "")
                       + (f" — {event.note}" if event.note else ""))
        for doc_id in s.missing:
            out.append(f"  formal check 0: missing document {doc_id!r} ({_en(docs[doc_id].text, call)})")
        for rule_id in s.failed:
            out.append(f"  not eligible: rule {rule_id!r} ({_en(rules[rule_id].text, call)}) is not met: "
                       f"{rules[rule_id].when}")
        if not s.eligible:
            out.append(f"  appeal by {deadline(recruitment, call, s.app).last_day}")
            continue
        for line in s.lines:
            out.append(f"  {line.criterion.id:<20} {line.points:>8}   {line.detail}")
        out.append(f"  {'points':<20} {s.points:>8}")
        capped = f" (capped at {call.total.max})" if s.capped else ""
        out.append(f"  {'score':<20} {s.total:>8}   {call.total.formula}{capped}")
    for row in ranked.rows:
        out += ["", f"{row.row.partner}, {row.row.type}" + (f", faculty {row.row.faculty}" if row.row.faculty else "")
                + f": {row.row.places} place(s), {len(row.ranking)} eligible"]
        for n, s in enumerate(row.ranking, 1):
            out.append(f"  {n:>3}. {s.app.id:<12} {s.total:>8}")
        for tie in row.ties:
            why = f"tie-break {tie.by.id!r}: {_en(tie.by.text, call)}" if tie.by else \
                "no tie-break separates them: by recruitment number"
            out.append(f"  tie at {tie.total}: {tie.first} before {tie.second} ({why})")
        out.append(f"  qualified: {', '.join(row.initially_qualified) or '-'}")
        for rep in row.replacements:
            out.append(f"  {rep.resigned} resigned on {rep.date}: " +
                       (f"replaced by {rep.by} from the reserve list" if rep.by else "the reserve list is empty"))
        if row.replacements:
            out.append(f"  qualified now: {', '.join(row.qualified) or '-'}")
        out.append(f"  reserve list: {', '.join(row.reserve) or '-'}")
    return "\n".join(out)
