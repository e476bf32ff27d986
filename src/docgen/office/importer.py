"""Recruitment spreadsheets (xlsx, csv) into mobility records through the same validation, and back out."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import types
import typing
import zipfile
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import PlainScalarString, SingleQuotedScalarString

from docgen.model import checks
from docgen.errors import DataError, Problem, UsageError
from docgen.model.loader import Loaded, Loc, Pos, SourceMap, dotted, load_yaml, plain_is_text
from docgen.build.paths import record_file
from docgen.model.models import Mobility, parse_academic_year, year_start
from docgen.model.policy import load_policy
from docgen.model.project import Project, Where, load_project
from docgen.model.validation import validate

# The mapping used when --mapping is not given: the package's own copy, so an installed docgen has one.
DEFAULT_MAPPING = Path(__file__).resolve().parents[1] / "data" / "import-mobilities.yaml"
_FIXED = dt.datetime(2000, 1, 1)  # workbook properties and zip entries of an export: never the clock
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})$")
# The office's other way of writing a date as text (docgen.yaml office.importer.date_format): the pattern and
# the order of year, month, day among its groups.
_DATE_FORMATS: dict[str, tuple[re.Pattern[str], tuple[int, int, int]]] = {
    "DD.MM.YYYY": (re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})$"), (3, 2, 1)),
    "DD/MM/YYYY": (re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})$"), (3, 2, 1)),
    "MM/DD/YYYY": (re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})$"), (3, 1, 2)),
}
_WHOLE = re.compile(r"[-+]?[0-9]+$")
_NUMBER = re.compile(r"[-+]?[0-9]+(\.[0-9]+)?$")


@dataclass(frozen=True, order=True)
class CellProblem(Problem):
    """A problem at a spreadsheet cell: `FILE.xlsx:Sheet!C12: field: message` (CSV: `FILE.csv:12:3: ...`)."""

    sheet: str | None = None

    def __str__(self) -> str:
        if self.sheet is None:
            return super().__str__()
        from openpyxl.utils import get_column_letter

        prefix = "warning: " if self.severity == "warning" else ""
        return (f"{self.file}:{self.sheet}!{get_column_letter(self.col)}{self.line}: "
                f"{self.field or '(row)'}: {prefix}{self.message}")


# ---------------------------------------------------------------- the mapping


@dataclass(frozen=True)
class Column:
    header: str
    field: str  # dotted path inside a mobility record
    values: dict[str, Any]  # cell text → value written (e.g. studia → student-studies); empty: as read


@dataclass(frozen=True)
class Mapping:
    columns: dict[str, Column]  # by case-folded header
    ignore: frozenset[str]
    defaults: dict[str, Any]  # dotted field → value for rows whose cell is empty or absent
    yes: frozenset[str]
    no: frozenset[str]
    sheet: str | None
    header_row: int
    date_format: str = "YYYY-MM-DD"  # besides ISO, how dates written as text are read (the office's policy)


def office_mapping(data_dir: Path) -> Path:
    """The office's mapping (docgen.yaml office.importer.mapping, relative to docgen.yaml), else docgen's own."""
    found = load_policy(data_dir)
    if found.path is not None and found.policy.importer.mapping:
        return found.path.parent / found.policy.importer.mapping
    return DEFAULT_MAPPING


def load_mapping(path: Path) -> Mapping:
    """Read a mapping file strictly: every problem located in it, raised as one DataError."""
    loaded = load_yaml(path)
    problems = list(loaded.problems)
    data = loaded.data
    if problems or not isinstance(data, dict):
        raise DataError(problems or [loaded.source.problem((), "expected a mapping with 'columns:'")])
    allowed = {"sheet", "header_row", "columns", "ignore", "defaults", "yes", "no"}
    for key in data:
        if key not in allowed:
            problems.append(loaded.source.problem((key,), f"unknown key {key!r}; a mapping file takes "
                                                          f"{', '.join(sorted(allowed))}", key=True))
    columns: dict[str, Column] = {}
    raw_columns = data.get("columns")
    if not isinstance(raw_columns, dict) or not raw_columns:
        problems.append(loaded.source.problem(("columns",), "expected 'columns:': header → mobility field"))
        raw_columns = {}
    for header, spec in raw_columns.items():
        loc: Loc = ("columns", header)
        values: dict[str, Any] = {}
        if isinstance(spec, dict):
            target, values = spec.get("field"), spec.get("values") or {}
            if not isinstance(values, dict):
                problems.append(loaded.source.problem(loc + ("values",), "expected cell text → value lines"))
                values = {}
        else:
            target = spec
        if not isinstance(target, str) or _field_type(target) is None:
            problems.append(loaded.source.problem(loc, f"{target!r} is not a mobility field (write it dotted, "
                                                       "e.g. participant.first_name or planned.start)"))
            continue
        columns[str(header).strip().casefold()] = Column(str(header).strip(), target,
                                                         {str(k).casefold(): v for k, v in values.items()})
    defaults = data.get("defaults") or {}
    for name in defaults:
        if _field_type(str(name)) is None:
            problems.append(loaded.source.problem(("defaults", name), f"{name!r} is not a mobility field",
                                                  key=True))
    if problems:
        raise DataError(sorted(problems))
    words = lambda key, dflt: frozenset(str(w).casefold() for w in (data.get(key) or dflt))  # noqa: E731
    return Mapping(columns, frozenset(str(h).strip().casefold() for h in data.get("ignore") or []),
                   dict(defaults), words("yes", ["yes", "true"]), words("no", ["no", "false"]),
                   data.get("sheet"), int(data.get("header_row") or 1))


def _unwrap(tp: Any) -> list[Any]:
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(tp)[0])
    if origin in (typing.Union, types.UnionType):
        return [t for a in typing.get_args(tp) for t in _unwrap(a) if t is not type(None)]
    return [tp]


def _field_type(path: str) -> type | None:
    """The scalar type a dotted mobility field holds (str, int, bool, Decimal, date), or None if there is none."""
    current: list[Any] = [Mobility]
    for part in path.split("."):
        nxt: list[Any] = []
        for tp in current:
            if isinstance(tp, type) and issubclass(tp, BaseModel):
                if part in tp.model_fields:
                    nxt += _unwrap(tp.model_fields[part].annotation)
            elif typing.get_origin(tp) is dict:
                nxt += _unwrap(typing.get_args(tp)[1])
        current = nxt
    for tp in current:
        if typing.get_origin(tp) is typing.Literal:
            return type(typing.get_args(tp)[0])
        if tp in (str, int, bool, Decimal, dt.date):
            return tp
    return None


# ---------------------------------------------------------------- reading cells


@dataclass
class Sheet:
    """A spreadsheet's rows as (row number, [(column number, value)])."""

    display: str
    name: str | None  # None for CSV
    header_row: int
    rows: list[tuple[int, list[Any]]]


def read_sheet(path: Path, display: str, mapping: Mapping) -> Sheet:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise UsageError(f"{display}: not UTF-8: save the CSV as UTF-8") from None
        first = text.split("\n", 1)[0]
        delimiter = max(";,\t", key=first.count)  # a Polish Excel writes ';', others ','
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        rows = []
        for values in reader:
            rows.append((reader.line_num, list(values)))
        return Sheet(display, None, mapping.header_row, rows)
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
            raise UsageError(f"{display}: not a readable xlsx workbook ({exc})") from None
        try:
            if mapping.sheet is not None and mapping.sheet not in wb.sheetnames:
                raise UsageError(f"{display}: no sheet {mapping.sheet!r} (it has {', '.join(wb.sheetnames)})")
            ws = wb[mapping.sheet] if mapping.sheet is not None else wb.worksheets[0]
            rows = [(n, list(values)) for n, values in enumerate(ws.iter_rows(values_only=True), 1)]
            return Sheet(display, ws.title, mapping.header_row, rows)
        finally:
            wb.close()
    raise UsageError(f"{display}: expected a .xlsx or .csv file")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def convert(value: Any, target: type, mapping: Mapping) -> Any:
    """A cell's value as the field's type; ValueError with the fix when it cannot be read strictly."""
    if target is dt.date:
        if isinstance(value, dt.datetime):
            if value.time() != dt.time(0):
                raise ValueError(f"the cell holds a date with a time of day ({value}): give the date alone")
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            text = value.strip()
            m = _ISO_DATE.match(text)
            parts = (m[1], m[2], m[3]) if m else None
            other = _DATE_FORMATS.get(mapping.date_format)
            if other is not None and (m := other[0].match(text)):
                parts = tuple(m[i] for i in other[1])
            if parts is None:
                written = "YYYY-MM-DD" + (f" or {mapping.date_format}" if other is not None else "")
                raise ValueError(f"expected a date cell, or text written {written}, got {text!r}")
            try:
                return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
            except ValueError:
                raise ValueError(f"{text!r} is not a date in the calendar") from None
        raise ValueError(f"expected a date, got {_shown(value)}: format the cell as a date or write YYYY-MM-DD")
    if target is bool:
        if isinstance(value, bool):
            return value
        word = str(value).strip().casefold()
        if word in mapping.yes:
            return True
        if word in mapping.no:
            return False
        raise ValueError(f"expected yes or no ({', '.join(sorted(mapping.yes | mapping.no))}), got {_shown(value)}")
    if target is int:
        if isinstance(value, bool):
            raise ValueError(f"expected a whole number, got {_shown(value)}")
        if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
            return int(value)
        if isinstance(value, str) and _WHOLE.match(value.strip()):
            return int(value.strip())
        raise ValueError(f"expected a whole number, got {_shown(value)}")
    if target is Decimal:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return Decimal(str(value))
        if isinstance(value, str) and _NUMBER.match(value.strip()):
            return Decimal(value.strip())
        raise ValueError(f"expected a number written with a decimal point, got {_shown(value)}")
    # text
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValueError(f"the cell holds the number {value}, which loses leading zeros and long digits: "
                         "format the column as Text and type the value again")
    raise ValueError(f"expected text, got {_shown(value)}")


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, bool):
        return f"the boolean {str(value).upper()}"
    if isinstance(value, (dt.date, dt.datetime)):
        return f"the date {value:%Y-%m-%d}"
    return f"the number {value}"


def _set(record: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    for part in parts[:-1]:
        record = record.setdefault(part, {})
    record[parts[-1]] = value


def _get(record: dict[str, Any], path: str) -> Any:
    for part in path.split("."):
        if not isinstance(record, dict) or part not in record:
            return None
        record = record[part]
    return record


# ---------------------------------------------------------------- rows into records


@dataclass
class Row:
    number: int  # row of the sheet (CSV: line)
    record: dict[str, Any]
    source: SourceMap
    problems: list[Problem] = field(default_factory=list)
    mobility: Mobility | None = None


@dataclass
class Imported:
    """What an import found: every row, its problems and the records that are valid."""

    sheet: Sheet
    target: Path
    rows: list[Row]
    sheet_problems: list[Problem]  # about the header, not about one row

    @property
    def valid(self) -> list[Row]:
        return [r for r in self.rows if not any(p.severity == "error" for p in r.problems)]

    @property
    def invalid(self) -> list[Row]:
        return [r for r in self.rows if any(p.severity == "error" for p in r.problems)]

    def problems(self) -> list[Problem]:
        return sorted(self.sheet_problems + [p for r in self.rows for p in r.problems])


def _cell(sheet: Sheet, problem: Problem) -> Problem:
    return CellProblem(problem.file, problem.line, problem.col, problem.field, problem.message,
                       problem.severity, sheet.name)


def year_file(data_dir: Path, year: str) -> Path:
    """The mobilities file of an academic year (checked: `year` may come from the command line)."""
    year = parse_academic_year(year, "--year")
    return record_file(data_dir, "mobilities", year.replace("/", "-"))


def mobility_id(year: str, partner: str, direction: str, mobility_type: str, taken: set[str]) -> str:
    """The next free id in the data's own pattern: `2025-ege-out-studies-1`."""
    stem = f"{year_start(year)}-{partner}-{'out' if direction == 'outgoing' else 'in'}-{mobility_type.split('-')[-1]}"
    n = 1
    while f"{stem}-{n}" in taken:
        n += 1
    return f"{stem}-{n}"


def _agreement_for(project: Project, partner: str, year: str) -> str | None:
    """The partner's one Erasmus+ agreement in effect in `year`, when there is exactly one."""
    record = project.partners.get(partner)
    if record is None:
        return None
    found = [aid for aid, (a, _) in record.agreements.items()
             if a.kind == "erasmus-iia" and checks.in_effect(a, year) is None]
    return found[0] if len(found) == 1 else None


def read_rows(path: Path, year: str, data_dir: Path, mapping: Mapping) -> Imported:
    """Read, convert and validate every row (the model, then the cross-record rules) without writing."""
    parse_academic_year(year, "--year")
    project = load_project(data_dir)
    if project.home is None:
        raise DataError([p for p in project.errors if p.file.endswith("institution.yaml")] or project.errors)
    mapping = replace(mapping, date_format=project.policy.importer.date_format)
    target = year_file(data_dir, year)
    target_display = project.display(target)
    broken = [p for p in project.errors if p.file == target_display]
    if broken:
        raise DataError(broken + [Problem(target_display, 1, 1, "", "fix this file before importing into it")])
    sheet = read_sheet(path, str(path), mapping)
    header = next((values for n, values in sheet.rows if n == sheet.header_row), None)
    if header is None:
        raise UsageError(f"{sheet.display}: no header row {sheet.header_row}")
    problems: list[Problem] = []
    columns: dict[int, Column] = {}
    for c, head in enumerate(header, 1):
        if _blank(head):
            continue
        key = str(head).strip().casefold()
        if key in mapping.columns:
            columns[c] = mapping.columns[key]
        elif key not in mapping.ignore:
            problems.append(_cell(sheet, Problem(sheet.display, sheet.header_row, c, "",
                                                 f"column {str(head).strip()!r} is not in the mapping: map it "
                                                 "to a mobility field under columns:, or list it under ignore:")))
    taken = set(project.mobilities) | project.failed
    rows: list[Row] = []
    for number, values in sheet.rows:
        if number <= sheet.header_row or all(_blank(v) for v in values):
            continue
        source = SourceMap(sheet.display)
        source.values[()] = Pos(number, 1)
        row = Row(number, {}, source)
        for c, column in columns.items():
            value = values[c - 1] if c - 1 < len(values) else None
            if _blank(value):
                continue
            loc = tuple(column.field.split("."))
            source.values[loc] = Pos(number, c)
            if column.values and not isinstance(value, bool) and str(value).strip().casefold() in column.values:
                value = column.values[str(value).strip().casefold()]
            target_type = _field_type(column.field)
            assert target_type is not None
            try:
                _set(row.record, column.field, convert(value, target_type, mapping))
            except ValueError as exc:
                row.problems.append(_cell(sheet, Problem(sheet.display, number, c, column.field, str(exc))))
        for name, value in mapping.defaults.items():
            if _get(row.record, name) is None:
                _set(row.record, name, value)
        _derive(row, project, year, taken)
        rows.append(row)
    imported = Imported(sheet, target, rows, problems)
    _validate(imported, project)
    return imported


def _derive(row: Row, project: Project, year: str, taken: set[str]) -> None:
    """Fields that follow from others: the year, the category, the agreement and the id."""
    rec = row.record
    rec["academic_year"] = year
    kind = rec.get("type")
    participant = rec.setdefault("participant", {})
    if isinstance(kind, str) and "category" not in participant:
        participant["category"] = "student" if kind.startswith("student-") else "staff"
    partner = rec.get("partner")
    if "agreement" not in rec and isinstance(partner, str):
        found = _agreement_for(project, partner, year)
        if found:
            rec["agreement"] = found
            row.source.values[("agreement",)] = row.source.locate(("partner",))
    if "id" not in rec:
        parts = (partner, rec.get("direction"), kind)
        if all(isinstance(p, str) for p in parts):
            rec["id"] = mobility_id(year, str(partner), str(rec["direction"]), str(kind), taken)
    if isinstance(rec.get("id"), str):
        taken.add(rec["id"])
    # the record in the order the model lists its fields, as a hand-written one is
    row.record = _ordered(rec, Mobility)


def _ordered(record: dict[str, Any], model: type[BaseModel]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    names = list(model.model_fields) + [k for k in record if k not in model.model_fields]
    for name in names:
        if name not in record:
            continue
        value = record[name]
        sub = model.model_fields.get(name)
        inner = [t for t in _unwrap(sub.annotation) if isinstance(t, type) and issubclass(t, BaseModel)] \
            if sub is not None else []
        out[name] = _ordered(value, inner[0]) if inner and isinstance(value, dict) else value
    return out


def _validate(imported: Imported, project: Project) -> None:
    sheet = imported.sheet
    existing = set(project.mobilities) | project.failed
    ids: dict[str, int] = {}
    for row in imported.rows:
        trapped = {p.field for p in row.problems}
        mobility, found = validate(Mobility, Loaded(row.record, row.source, []))
        row.problems += [_cell(sheet, p) for p in found if p.field not in trapped]
        if row.problems:
            continue
        assert mobility is not None
        if mobility.id in existing or mobility.id in ids:
            also = f"row {ids[mobility.id]} of the sheet" if mobility.id in ids else "the data"
            row.problems.append(_cell(sheet, row.source.problem(("id",), f"mobility id {mobility.id!r} is already "
                                                                         f"used ({also})")))
            continue
        ids[mobility.id] = row.number
        row.mobility = mobility
        project.mobilities[mobility.id] = (mobility, Where(row.source, ()), imported.target)
    before = set(project.problems)
    checks.run(project)
    by_row = {row.number: row for row in imported.rows}
    for problem in project.problems:
        if problem in before or problem.file != sheet.display or problem.line not in by_row:
            continue
        by_row[problem.line].problems.append(_cell(sheet, problem))


# ---------------------------------------------------------------- writing YAML


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    return yaml


def _node(value: Any) -> Any:
    if isinstance(value, dict):
        out = CommentedMap()
        for k, v in value.items():
            out[k] = _node(v)
        return out
    if isinstance(value, list):
        seq = CommentedSeq(_node(v) for v in value)
        return seq
    if isinstance(value, str):
        return PlainScalarString(value) if plain_is_text(value) else SingleQuotedScalarString(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else PlainScalarString(str(value))
    return value


def append_records(target: Path, year: str, records: list[tuple[dict[str, Any], str]]) -> bytes:
    """The year's file with `records` (record, comment) appended; comments and quoting kept."""
    yaml = _yaml()
    if target.is_file():
        data = yaml.load(target.read_text(encoding="utf-8"))
    else:
        data = CommentedMap()
        data.yaml_set_start_comment(f"Mobilities of the academic year {year}.")
        data["mobilities"] = CommentedSeq()
    seq = data["mobilities"]
    if seq is None:
        seq = data["mobilities"] = CommentedSeq()
    for record, comment in records:
        seq.append(_node(record))
        seq.yaml_set_comment_before_after_key(len(seq) - 1, before=comment, indent=2)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue().encode("utf-8")


def write(imported: Imported, *, partial: bool) -> int:
    """Append the valid rows (all rows must be valid unless `partial`) to the year's file; how many written."""
    from docgen.files import write_atomic

    rows = imported.valid if partial else (imported.rows if not imported.invalid else [])
    if imported.sheet_problems and not partial:
        rows = []
    if not rows:
        return 0
    year = rows[0].record["academic_year"]
    where = Path(imported.sheet.display).name
    records = [(r.record, f"imported from {where}" + (f" sheet {imported.sheet.name}" if imported.sheet.name else "")
                + f" row {r.number}") for r in rows]
    write_atomic(imported.target, append_records(imported.target, year, records))
    return len(rows)


# ---------------------------------------------------------------- export


def export_rows(project: Project, year: str | None) -> tuple[list[str], list[list[Any]], list[str]]:
    """Header, one row per valid mobility (of `year`, or all) with its grant lines, and what was left out."""
    from docgen.money import grants

    assert project.home is not None
    chosen = [(m, w) for m, w, _ in project.mobilities.values() if year is None or m.academic_year == year]
    left_out = sorted(mid for mid in project.failed if mid in project.mobilities)
    chosen = [(m, w) for m, w in chosen if m.id not in project.failed]
    chosen.sort(key=lambda mw: (mw[0].academic_year, mw[0].planned.start, mw[0].id))
    computed: list[tuple[Mobility, grants.Settlement | None, str]] = []
    keys: list[str] = []
    for mobility, _ in chosen:
        rates = project.rates[mobility.funding.call][0]
        if not grants.home_pays(mobility, rates):
            computed.append((mobility, None, "paid by the sending institution"))
            continue
        partner = project.partners[mobility.partner].institution
        s = grants.settle(mobility, rates, project.home, partner)
        for line in s.planned.lines:
            if line.key not in keys:
                keys.append(line.key)
        computed.append((mobility, s, "zero grant" if mobility.funding.zero_grant else ""))
    header = ["id", "academic_year", "last_name", "first_name", "type", "direction", "partner", "agreement",
              "call", "planned_start", "planned_end", "actual_start", "actual_end", "host_country", "group",
              "distance_km", "duration", "currency"] + keys + ["planned_total", "advance", "planned_balance",
                                                               "due", "balance_due", "repayment", "note"]
    table: list[list[Any]] = []
    for mobility, s, note in computed:
        p = mobility.participant
        row: list[Any] = [mobility.id, mobility.academic_year, p.last_name, p.first_name, mobility.type,
                          mobility.direction, mobility.partner, mobility.agreement, mobility.funding.call,
                          mobility.planned.start, mobility.planned.end,
                          mobility.actual.start if mobility.actual else None,
                          mobility.actual.end if mobility.actual else None]
        if s is None:
            row += [None] * (len(header) - len(row) - 1) + [note]
        else:
            g = s.planned
            row += [g.host_country, g.group, g.distance_km, g.duration, g.currency]
            row += [g.amount(k) if any(line.key == k for line in g.lines) else None for k in keys]
            row += [g.total, g.advance, g.balance, s.due.total, s.balance if s.balance >= 0 else None,
                    s.repayment if s.repayment else None, "; ".join(filter(None, [note, *s.notes]))]
        table.append(row)
    return header, table, left_out


def to_csv(header: list[str], table: list[list[Any]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in table:
        writer.writerow(["" if v is None else v.isoformat() if isinstance(v, dt.date) else
                         f"{v:.2f}" if isinstance(v, Decimal) else v for v in row])
    return out.getvalue().encode("utf-8-sig")  # the BOM lets Excel read the Polish letters


def to_xlsx(header: list[str], table: list[list[Any]], title: str) -> bytes:
    """One sheet; the same bytes for the same data (fixed properties and zip entry times)."""
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    wb = Workbook()
    ws = wb.active
    ws.title = "mobilities"
    ws.append(header)
    for row in table:
        ws.append([float(v) if isinstance(v, Decimal) else v for v in row])
        for cell, v in zip(ws[ws.max_row], row):
            if isinstance(v, Decimal):
                cell.number_format = "0.00"
            elif isinstance(v, dt.date):
                cell.number_format = "yyyy-mm-dd"
    ws.freeze_panes = "B2"
    wb.properties.creator = "docgen"
    wb.properties.title = title
    wb.properties.created = _FIXED
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        wb.properties.modified = _FIXED
        ExcelWriter(wb, archive).save()
    fixed = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, src.read(info.filename))
    return fixed.getvalue()
