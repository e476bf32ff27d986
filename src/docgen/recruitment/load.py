"""Load calls, applications and public holidays into a project, with every rule they break located."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from docgen.errors import Problem
from docgen.model.loader import Loaded
from docgen.model.suggest import closest
from docgen.model.validation import validate
from docgen.recruitment import expr
from docgen.recruitment.models import Application, Call, CallFile, FieldSpec, Holidays, HolidaysFile

# Names every expression may read besides the call's fields; `points` (the criteria's sum) only in the total.
BUILTINS = ("type", "partner", "faculty")


@dataclass
class CallRecord:
    call: Call
    where: Any  # docgen.model.project.Where
    path: Path
    applications: list[tuple[Application, Any]] = field(default_factory=list)
    applications_path: Path | None = None
    failed: list[str] = field(default_factory=list)  # applications with errors: the call's lists wait for them


@dataclass
class Recruitment:
    calls: dict[str, CallRecord] = field(default_factory=dict)
    holidays: Holidays = field(default_factory=Holidays)
    holidays_path: Path | None = None
    failed_calls: set[str] = field(default_factory=set)


def _check_expression(where: Any, loc: tuple[str | int, ...], text: str | None, known: set[str],
                      problems: list[Problem]) -> None:
    if text is None:
        return
    for name in sorted(expr.names(expr.parse(text)) - known):
        close = closest(name, known)
        hint = f": did you mean {close!r}?" if close else f" (known: {', '.join(sorted(known))})"
        problems.append(where.problem(loc, f"the expression reads {name!r}, which is no field of this call{hint}"))


def _check_call(call: Call, where: Any, partners: set[str], problems: list[Problem]) -> None:
    fields = {f.id: f for f in call.fields}
    known = set(fields) | set(BUILTINS)
    for i, f in enumerate(call.fields):
        if f.id in BUILTINS:
            problems.append(where.problem(("fields", i, "id"), f"{f.id!r} is a name docgen gives every "
                                                              "expression: choose another"))
        if list(fields).count(f.id) > 1 and list(fields).index(f.id) != i:
            problems.append(where.problem(("fields", i, "id"), f"the field {f.id!r} is declared twice"))
    for key, items in (("eligibility", call.eligibility), ("tie_breaks", call.tie_breaks),
                       ("criteria", call.criteria), ("documents", call.documents)):
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item.id in seen:
                problems.append(where.problem((key, i, "id"), f"the id {item.id!r} is used twice in {key}"))
            seen.add(item.id)
    for i, rule in enumerate(call.eligibility):
        _check_expression(where, ("eligibility", i, "when"), rule.when, known, problems)
    for i, c in enumerate(call.criteria):
        _check_expression(where, ("criteria", i, "when"), c.when, known, problems)
        _check_expression(where, ("criteria", i, "formula"), c.formula, known, problems)
        if c.field is not None:
            spec = fields.get(c.field)
            if spec is None:
                problems.append(where.problem(("criteria", i, "field"), f"no field {c.field!r} in this call"))
            elif c.table is not None:
                if spec.type != "choice":
                    problems.append(where.problem(("criteria", i, "field"), "a table reads a choice field"))
                for value in sorted(set(c.table) - set(spec.values)):
                    problems.append(where.problem(("criteria", i, "table", value),
                                                  f"{value!r} is not a value of {c.field!r} "
                                                  f"({', '.join(spec.values)})", key=True))
            elif spec.type not in ("number", "whole"):
                problems.append(where.problem(("criteria", i, "field"), "bands read a number field"))
    _check_expression(where, ("total", "formula"), call.total.formula, known | {"points"}, problems)
    for i, t in enumerate(call.tie_breaks):
        _check_expression(where, ("tie_breaks", i, "prefer"), t.prefer, known, problems)
        _check_expression(where, ("tie_breaks", i, "higher"), t.higher, known, problems)
    seen_rows: set[tuple[str, str, str | None]] = set()
    for i, row in enumerate(call.places):
        if row.partner not in partners:
            close = closest(row.partner, partners)
            problems.append(where.problem(("places", i, "partner"), f"no partner {row.partner!r} in data/partners/"
                                          + (f": did you mean {close!r}?" if close else "")))
        if call.group not in row.type:
            problems.append(where.problem(("places", i, "type"), f"a {call.group} call offers {call.group} "
                                                                 "mobility types only"))
        key = (row.partner, row.type, row.faculty)
        if key in seen_rows:
            problems.append(where.problem(("places", i), "these places are listed twice"))
        seen_rows.add(key)
    for lang in call.languages:
        for loc, text in _texts(call):
            if lang not in text:
                problems.append(where.problem(loc, f"no {lang!r} text, and the call's documents are in "
                                                   f"{', '.join(call.languages)}"))


def _texts(call: Call) -> list[tuple[tuple[str | int, ...], dict[str, str]]]:
    found: list[tuple[tuple[str | int, ...], dict[str, str]]] = [(("title",), call.title),
                                                                 (("appeal", "body"), call.appeal.body),
                                                                 (("committee", "place"), call.committee.place)]
    for key, items in (("fields", call.fields), ("documents", call.documents), ("eligibility", call.eligibility),
                       ("criteria", call.criteria), ("tie_breaks", call.tie_breaks)):
        for i, item in enumerate(items):
            found.append(((key, i, "label" if key == "fields" else "text"),
                          item.label if key == "fields" else item.text))  # type: ignore[union-attr]
    for i, m in enumerate(call.committee.members):
        found.append((("committee", "members", i, "function"), m.function))
    return found


def check_answer(spec: FieldSpec, value: object) -> str | None:
    """Why `value` is no answer to `spec`, or None."""
    if spec.type == "yes-no":
        return None if isinstance(value, bool) else f"expected true or false, got {value!r}"
    if spec.type == "choice":
        if value in spec.values:
            return None
        close = closest(str(value), spec.values)
        return f"{value!r} is not one of {', '.join(spec.values)}" + (f": did you mean {close!r}?" if close else "")
    if isinstance(value, bool) or not isinstance(value, Decimal):
        return f"expected a number, got {value!r}"
    if spec.type == "whole" and value != value.to_integral_value():
        return f"expected a whole number, got {value}"
    if spec.min is not None and value < spec.min:
        return f"{value} is below the least allowed, {spec.min}"
    if spec.max is not None and value > spec.max:
        return f"{value} is above the most allowed, {spec.max}"
    return None


def _check_answers(call: Call, answers: dict[str, object], where: Any, loc: tuple[str | int, ...],
                   problems: list[Problem], complete: bool) -> None:
    fields = {f.id: f for f in call.fields}
    for name, value in answers.items():
        spec = fields.get(name)
        if spec is None:
            close = closest(name, fields)
            problems.append(where.problem(loc + (name,), f"{name!r} is no field of the call {call.id!r}"
                                          + (f": did you mean {close!r}?" if close else ""), key=True))
            continue
        why = check_answer(spec, value)
        if why:
            problems.append(where.problem(loc + (name,), why))
    if complete:
        for name in fields:
            if name not in answers:
                problems.append(where.problem(loc, f"the answer {name!r} ({fields[name].label.get('en', name)}) "
                                                   "is missing", key=True))


def _check_application(record: CallRecord, app: Application, where: Any, problems: list[Problem]) -> None:
    call = record.call
    _check_answers(call, dict(app.answers), where, ("answers",), problems, complete=True)
    known_docs = {d.id for d in call.documents}
    for i, doc in enumerate(app.documents):
        if doc not in known_docs:
            close = closest(doc, known_docs)
            problems.append(where.problem(("documents", i), f"{doc!r} is no document the call asks for"
                                          + (f": did you mean {close!r}?" if close else "")))
    if not any(row.partner == app.partner and row.type == app.type for row in call.places):
        problems.append(where.problem(("partner",), f"the call {call.id!r} offers no {app.type} places at "
                                                    f"{app.partner!r}"))
    last = None
    for i, event in enumerate(app.events):
        if event.date < call.results and event.event == "resigned":
            problems.append(where.problem(("events", i, "date"), f"a resignation before the results "
                                                                 f"({call.results}) is no event: leave the "
                                                                 "application out"))
        if last is not None and event.date < last:
            problems.append(where.problem(("events", i, "date"), "events are listed in date order"))
        last = event.date
        _check_answers(call, dict(event.answers), where, ("events", i, "answers"), problems, complete=False)
    if app.submitted < call.opens or app.submitted > call.closes:
        problems.append(where.problem(("submitted",), f"submitted {app.submitted}, outside the call's period "
                                                      f"{call.opens} – {call.closes}"))


def load_recruitment(root: Path, load: Callable[[Path], Loaded], partners: set[str], where_of: Callable[..., Any],
                     problems: list[Problem], failed: set[str]) -> Recruitment:
    """Read data/calls/, data/applications/ and data/holidays.yaml (all optional)."""
    found = Recruitment()
    holidays_path = root / "holidays.yaml"
    if holidays_path.is_file():
        loaded = load(holidays_path)
        hol, found_problems = validate(HolidaysFile, loaded)
        problems.extend(found_problems)
        if hol is not None:
            found.holidays, found.holidays_path = hol.holidays, holidays_path
    for path in sorted((root / "calls").glob("*.yaml")):
        loaded = load(path)
        parsed, found_problems = validate(CallFile, loaded)
        problems.extend(found_problems)
        if parsed is None:
            found.failed_calls.add(path.stem)
            failed.add(path.stem)
            continue
        where = where_of(loaded.source, ("call",))
        before = len(problems)
        if parsed.call.id != path.stem:
            problems.append(where.problem(("id",), f"id {parsed.call.id!r} differs from the file name "
                                                   f"{path.name!r}: make them the same"))
        _check_call(parsed.call, where, partners, problems)
        if len(problems) > before:
            found.failed_calls.add(path.stem)
            failed.add(path.stem)
            continue
        found.calls[parsed.call.id] = CallRecord(parsed.call, where, path)
    for path in sorted((root / "applications").glob("*.yaml")):
        loaded = load(path)
        record = found.calls.get(path.stem)
        if loaded.data is None:
            problems.extend(loaded.problems)
            continue
        if record is None:
            if path.stem not in found.failed_calls:
                close = closest(path.stem, found.calls)
                problems.append(loaded.source.problem((), f"no call {path.stem!r} in data/calls/ for these "
                                                          "applications" + (f": did you mean {close!r}.yaml?"
                                                                            if close else "")))
            continue
        record.applications_path = path
        data = loaded.data
        if not isinstance(data, dict) or set(data) != {"applications"} or not isinstance(data["applications"], list):
            problems.append(loaded.source.problem((), "expected one top-level 'applications:' list"))
            continue
        ids: dict[str, int] = {}
        for i, raw in enumerate(data["applications"]):
            app, app_problems = validate(Application, loaded, ("applications", i))
            where = where_of(loaded.source, ("applications", i))
            if app is not None:
                if app.id in ids:
                    app_problems.append(where.problem(("id",), f"the recruitment number {app.id!r} is used twice "
                                                               f"(also applications[{ids[app.id]}])"))
                else:
                    ids[app.id] = i
                    _check_application(record, app, where, app_problems)
            problems.extend(app_problems)
            if app is None or any(p.severity == "error" for p in app_problems):
                app_id = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else f"#{i}"
                record.failed.append(app_id)
                failed.add(app_id)
                continue
            record.applications.append((app, where))
            _check_appeals(found, record.call, app, where, problems)
    return found


def _check_appeals(found: Recruitment, call: Call, app: Application, where: Any, problems: list[Problem]) -> None:
    from docgen.recruitment.deadlines import appeal_deadline

    last = appeal_deadline(app.delivered or call.delivered, call.appeal, found.holidays).last_day
    for i, event in enumerate(app.events):
        if event.event == "appeal" and event.date > last:
            problems.append(where.problem(("events", i, "date"), f"the appeal came after the deadline {last} "
                                                                 f"(delivered {app.delivered or call.delivered})",
                                          severity="warning"))
