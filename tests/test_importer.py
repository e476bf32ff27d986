"""docgen import / export mobilities: fixture workbooks built here, every bad cell located, figures = docgen grant."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import Result
from openpyxl import Workbook, load_workbook
from ruamel.yaml import YAML

Run = Callable[..., Result]

HEADER = ["Lp.", "Imię", "Nazwisko", "E-mail", "Data urodzenia", "Obywatelstwo", "Płeć", "Rodzaj wyjazdu",
          "Uczelnia partnerska", "Dziedzina ISCED", "Poziom EQF", "Początek", "Koniec", "Język mobilności",
          "Poziom językowy", "Konkurs", "Mniejsze szanse", "IBAN"]
# Two invented students for Ege University, 2025/2026: one with Excel date cells, one with text dates.
GOOD = [
    [1, "Anna", "Nowak", "anna.nowak@student.example.org", dt.datetime(2004, 3, 2), "PL", "K", "studia", "ege",
     "0613", 6, dt.datetime(2025, 9, 15), dt.datetime(2026, 2, 14), "en", "B2", "ka131-2024-pl", "tak",
     "PL61109010140000071219812874"],
    [2, "Jan", "Kowalski", "jan.kowalski@student.example.org", "01.12.2003", "PL", "M", "studia", "ege",
     "0715", 6, "2026-02-16", "2026-06-26", "en", "B2", "ka131-2024-pl", "nie", "PL27114020040000300201355387"],
]


def workbook(path: Path, rows: list[list[object]], sheet: str = "Rekrutacja") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def mobilities(path: Path) -> list[dict]:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))["mobilities"]


def test_a_workbook_imports_into_valid_records(project_copy: Path, run_cli: Run) -> None:
    data = project_copy / "data"
    sheet = workbook(project_copy / "list.xlsx", GOOD)
    result = run_cli("import", "mobilities", sheet, "--year", "2025/2026", "--data", data)
    assert result.exit_code == 0, result.output
    target = data / "mobilities" / "2025-2026.yaml"
    assert "wrote 2 mobilities into" in result.stdout
    records = mobilities(target)
    assert [r["id"] for r in records] == ["2025-ege-out-studies-1", "2025-ege-out-studies-2"]
    anna, jan = records
    assert anna["participant"] == {"first_name": "Anna", "last_name": "Nowak",
                                   "email": "anna.nowak@student.example.org", "birth_date": dt.date(2004, 3, 2),
                                   "nationality": "PL", "sex": "F", "category": "student"}
    assert anna["planned"] == {"start": dt.date(2025, 9, 15), "end": dt.date(2026, 2, 14)}
    assert anna["agreement"] == "ege-iia-2021" and anna["academic_year"] == "2025/2026"
    assert anna["funding"] == {"call": "ka131-2024-pl", "fewer_opportunities": True}
    assert jan["participant"]["birth_date"] == dt.date(2003, 12, 1)  # DD.MM.YYYY text
    assert jan["planned"]["start"] == dt.date(2026, 2, 16)
    assert jan["funding"] == {"call": "ka131-2024-pl", "fewer_opportunities": False}
    text = target.read_text(encoding="utf-8")
    assert "subject: '0613'" in text and "# imported from list.xlsx sheet Rekrutacja row 2" in text
    check = run_cli("check", "--data", data)
    assert check.exit_code == 0, check.output
    assert "17 mobilities" in check.stdout


def test_appending_keeps_the_comments_of_the_year_file(project_copy: Path, run_cli: Run) -> None:
    data = project_copy / "data"
    target = data / "mobilities" / "2024-2025.yaml"
    before = target.read_text(encoding="utf-8")
    row = GOOD[0][:11] + [dt.datetime(2025, 2, 17), dt.datetime(2025, 6, 27)] + GOOD[0][13:]
    result = run_cli("import", "mobilities", workbook(project_copy / "l.xlsx", [row]), "--year", "2024/2025",
                     "--data", data)
    assert result.exit_code == 0, result.output
    after = target.read_text(encoding="utf-8")
    assert after.startswith(before.rstrip("\n"))  # every line and comment kept, the record appended
    assert mobilities(target)[-1]["id"] == "2024-ege-out-studies-3"  # -1 and -2 are taken
    assert run_cli("check", "--data", data).exit_code == 0


def test_bad_cells_are_each_reported_at_their_cell_and_nothing_is_written(project_copy: Path,
                                                                          run_cli: Run) -> None:
    data = project_copy / "data"
    bad = [list(GOOD[0]), list(GOOD[1])]
    bad[0][3] = "anna.nowak"                    # D2
    bad[0][11] = "09/15/2025"                   # L2: month-first text is refused, not guessed
    bad[1][9] = 715                             # J3: a number loses the leading zero
    bad[1][12] = dt.datetime(2026, 2, 30 - 2, 13, 30)  # M3: a time of day
    bad[1][7] = "wymiana"                       # H3: no such type
    sheet = workbook(project_copy / "bad.xlsx", bad)
    result = run_cli("import", "mobilities", sheet, "--year", "2025/2026", "--data", data)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    where = [line.split(": ", 2)[:2] for line in lines]
    assert where == [
        [f"{sheet}:Rekrutacja!D2", "participant.email"],
        [f"{sheet}:Rekrutacja!L2", "planned.start"],
        [f"{sheet}:Rekrutacja!H3", "type"],
        [f"{sheet}:Rekrutacja!J3", "subject"],
        [f"{sheet}:Rekrutacja!M3", "planned.end"],
    ], result.stdout
    assert "'anna.nowak' is not an email address" in lines[0]
    assert "YYYY-MM-DD or DD.MM.YYYY, got '09/15/2025'" in lines[1]
    assert "'wymiana' is not allowed here" in lines[2]
    assert "the number 715" in lines[3] and "format the column as Text" in lines[3]
    assert "time of day" in lines[4]
    assert "nothing is written unless every row is valid" in result.stderr
    assert not (data / "mobilities" / "2025-2026.yaml").exists()


def test_cross_record_rules_apply_to_imported_rows(project_copy: Path, run_cli: Run) -> None:
    data = project_copy / "data"
    row = list(GOOD[0])
    row[8] = "nowhere"  # I2: no such partner
    row[17] = None      # R2 empty: we pay an outgoing student, so the IBAN is needed
    sheet = workbook(project_copy / "x.xlsx", [row, GOOD[1]])
    result = run_cli("import", "mobilities", sheet, "--year", "2025/2026", "--data", data)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0].startswith(f"{sheet}:Rekrutacja!A2: ")  # no id could be made
    row[8] = "ege"
    result = run_cli("import", "mobilities", workbook(project_copy / "y.xlsx", [row]), "--year", "2025/2026",
                     "--data", data)
    assert result.stdout == (f"{project_copy / 'y.xlsx'}:Rekrutacja!A2: iban: we pay this mobility's grant: give "
                             "the participant's iban (or funding.zero_grant: true)\n")


def test_partial_writes_the_valid_rows_and_lists_the_rest(project_copy: Path, run_cli: Run) -> None:
    data = project_copy / "data"
    bad = list(GOOD[1])
    bad[4] = "1.13.2003"  # E3: no 13th month
    sheet = workbook(project_copy / "p.xlsx", [GOOD[0], bad])
    result = run_cli("import", "mobilities", sheet, "--year", "2025/2026", "--data", data, "--partial")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{sheet}:Rekrutacja!E3: participant.birth_date: '1.13.2003' is not a date in the calendar",
        "wrote 1 mobility into " + str(data / "mobilities" / "2025-2026.yaml"),
    ]
    assert "1 row(s) not written" in result.stderr
    assert [r["participant"]["last_name"] for r in mobilities(data / "mobilities" / "2025-2026.yaml")] == ["Nowak"]
    assert run_cli("check", "--data", data).exit_code == 0


def test_csv_cells_are_located_by_line_and_column(project_copy: Path, run_cli: Run) -> None:
    data = project_copy / "data"
    rows = [";".join(HEADER)]
    for r in GOOD:
        rows.append(";".join("" if v is None else v.strftime("%d.%m.%Y") if isinstance(v, dt.datetime) else str(v)
                             for v in r))
    rows[2] = rows[2].replace(";nie;", ";może;")
    sheet = project_copy / "list.csv"
    sheet.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = run_cli("import", "mobilities", sheet, "--year", "2025/2026", "--data", data)
    assert result.stdout.startswith(f"{sheet}:3:17: funding.fewer_opportunities: expected yes or no")
    rows[2] = rows[2].replace(";może;", ";nie;")
    sheet.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = run_cli("import", "mobilities", sheet, "--year", "2025/2026", "--data", data)
    assert result.exit_code == 0, result.output
    assert len(mobilities(data / "mobilities" / "2025-2026.yaml")) == 2


def test_an_unmapped_column_is_an_error_at_its_header(project_copy: Path, run_cli: Run) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER + ["Ulubiony kolor"])
    ws.append(GOOD[0] + ["zielony"])
    wb.save(project_copy / "c.xlsx")
    result = run_cli("import", "mobilities", project_copy / "c.xlsx", "--year", "2025/2026",
                     "--data", project_copy / "data")
    assert result.exit_code == 1
    assert f"c.xlsx:Sheet!S1: (row): column 'Ulubiony kolor' is not in the mapping" in result.stdout


def test_a_mapping_file_adds_a_field_in_one_line(project_copy: Path, run_cli: Run) -> None:
    mapping = project_copy / "m.yaml"
    mapping.write_text("columns:\n  Name: participant.first_name\n  Surname: participant.last_name\n"
                       "  Green: green_travel\n  Mail: participant.emial\n", encoding="utf-8")
    result = run_cli("import", "mobilities", workbook(project_copy / "m.xlsx", []), "--year", "2025/2026",
                     "--data", project_copy / "data", "--mapping", mapping)
    assert result.exit_code == 1
    assert "m.yaml:5:9: columns.Mail: 'participant.emial' is not a mobility field" in result.stderr


def _grant_figures(run_cli: Run, data: Path, mobility_id: str) -> dict[str, Decimal]:
    out = run_cli("grant", mobility_id, "--data", data).stdout
    planned = out.split("On actual dates:")[0]
    total = re.search(r"\n  total\s+([0-9.]+) EUR", planned) or re.search(r"zero-grant .* total ([0-9.]+) EUR", planned)
    figures = {"planned_total": Decimal(total[1])}
    m = re.search(r"advance [0-9.]+ % = ([0-9.]+) EUR", planned)
    if m:
        figures["advance"] = Decimal(m[1])
        figures["planned_balance"] = Decimal(re.search(r"balance [0-9.]+ − [0-9.]+ = ([0-9.]+) EUR", planned)[1])
    due = re.search(r"grant due ([0-9.]+) EUR", out)
    if due:
        figures["due"] = Decimal(due[1])
    return figures


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_figures_are_docgen_grant_figures(project_copy: Path, run_cli: Run, fmt: str) -> None:
    data = project_copy / "data"
    out = project_copy / f"finance.{fmt}"
    result = run_cli("export", "mobilities", "--year", "2024/2025", "--format", fmt, "--out", out, "--data", data)
    assert result.exit_code == 0, result.output
    if fmt == "xlsx":
        ws = load_workbook(out).active
        rows = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    else:
        import csv

        rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    header, body = rows[0], rows[1:]
    assert len(body) == 9
    assert {r[header.index("academic_year")] for r in body} == {"2024/2025"}
    compared = 0
    for row in body:
        record = dict(zip(header, row))
        if record["note"] and "sending institution" in str(record["note"]):
            continue
        expected = _grant_figures(run_cli, data, record["id"])
        for name, value in expected.items():
            assert Decimal(str(record[name])).quantize(Decimal("0.01")) == value, (record["id"], name)
        lines = [k for k in header[header.index("currency") + 1:header.index("planned_total")]
                 if record[k] not in (None, "")]
        assert sum((Decimal(str(record[k])) for k in lines), Decimal(0)).quantize(Decimal("0.01")) == expected["planned_total"]
        compared += 1
    assert compared >= 5


def test_export_is_the_same_bytes_every_time(project_copy: Path, run_cli: Run) -> None:
    data = project_copy / "data"
    first, second = project_copy / "a.xlsx", project_copy / "b.xlsx"
    run_cli("export", "mobilities", "--format", "xlsx", "--out", first, "--data", data)
    run_cli("export", "mobilities", "--format", "xlsx", "--out", second, "--data", data)
    assert first.read_bytes() == second.read_bytes()
