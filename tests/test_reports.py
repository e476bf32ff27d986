"""docgen report: figures worked out by hand from a small project (expiring and unsigned agreements, an
over-used row, money per call), the files it writes, what it leaves out and why."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from hypothesis import given
from hypothesis import strategies as st

from docgen.office.reports import add_months, year_end

Run = Callable[..., Result]
Edit = Callable[..., str]

TODAY = "2026-12-01"
KEEP = ("2024-ege-out-studies-1", "2024-ege-out-studies-2", "2024-tud-out-studies-1", "2024-ege-in-studies-1",
        "2024-ege-out-teaching-1")


def _teacher(block: str, n: int, first: str, last: str, born: str, start: str, end: str) -> str:
    """Another teacher on the sample's staff-teaching mobility to Ege, at other dates."""
    out = (block.replace("id: 2024-ege-out-teaching-1", f"id: 2024-ege-out-teaching-{n}")
           .replace("first_name: Marek", f"first_name: {first}").replace("last_name: Świątek", f"last_name: {last}")
           .replace("m.swiatek@utp.example.org", f"{first.lower()}.{last.lower()}@utp.example.org")
           .replace("birth_date: 1980-02-28", f"birth_date: {born}")
           .replace("start: 2025-04-14\n      end: 2025-04-18", f"start: {start}\n      end: {end}"))
    assert out.count(f"teaching-{n}") == 1 and start in out
    return out


@pytest.fixture
def small(project_copy: Path, edit_file: Edit) -> Path:
    """The sample without its 2018/2019 mobilities; in 2024/2025 five of its mobilities and three more teachers
    on the Ege staff-teaching row (2 people, 10 days a year): one back a day early (actual dates), one in
    June, one naming an agreement that does not exist. Ege's partner signature of the general agreement is
    replaced by the home side sending it on 2026-10-02."""
    data = project_copy / "data"
    (data / "mobilities" / "2018-2019.yaml").unlink()
    path = data / "mobilities" / "2024-2025.yaml"
    head, *blocks = re.split(r"(?m)^(?=  - id: )", path.read_text(encoding="utf-8"))
    kept = [b for b in blocks if re.match(r"  - id: (\S+)", b)[1] in KEEP]  # type: ignore[index]
    assert len(kept) == len(KEEP)
    teaching = next(b for b in kept if "2024-ege-out-teaching-1" in b)
    early = _teacher(teaching, 2, "Anna", "Nowak", "1975-05-05", "2025-05-12", "2025-05-16")
    early = early.replace("      end: 2025-05-16\n", "      end: 2025-05-16\n    actual:\n      start: 2025-05-12\n"
                                                    "      end: 2025-05-15\n")
    june = _teacher(teaching, 3, "Piotr", "Zieliński", "1970-07-07", "2025-06-02", "2025-06-06")
    wrong = _teacher(teaching, 4, "Ewa", "Kowalska", "1985-08-08", "2025-06-09", "2025-06-13")
    wrong = wrong.replace("agreement: ege-iia-2021", "agreement: ege-iia-2042")
    path.write_text(head + "".join(kept) + early + june + wrong, encoding="utf-8")
    edit_file(data / "partners" / "ege.yaml",
              "      - status: signed\n        date: 2022-06-03\n        by: partner\n"
              "        signatory: Hüseyin Tuğrul Özdağ\n",
              "      - status: sent\n        date: 2026-10-02\n        by: home\n")
    return project_copy


def table(root: Path, name: str) -> list[dict[str, str]]:
    raw = (root / "build" / "reports" / f"{name}.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads the Polish letters
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def pick(rows: list[dict[str, str]], **match: str) -> dict[str, str]:
    found = [r for r in rows if all(r[k] == v for k, v in match.items())]
    assert len(found) == 1, (match, found)
    return found[0]


def test_agreements_expiring_and_unsigned(small: Path, run_cli: Run) -> None:
    result = run_cli("report", "--data", "data", "--today", TODAY)
    expiring = table(small, "expiring")
    # ege-general-2022 runs to 2026/2027: it ends on 2027-09-30, 30+31+28+31+30+31+30+31+31+30 = 303 days on.
    # The two KHNU agreements ended with 2018/2019 and 2020/2021; the IIAs with Ege and Dresden run to
    # 2027/2028 (ending 2028-09-30, beyond 12 months), the KHNU bilateral one has no last year.
    assert [(r["agreement"], r["ends"], r["days_left"], r["expiry"]) for r in expiring] == [
        ("ege-general-2022", "2027-09-30", "303", "expiring"),
        ("khnu-general-2016", "2019-09-30", "-2619", "expired"),
        ("khnu-iia-2016", "2021-09-30", "-1888", "expired"),
    ]
    # Sent on 2026-10-02: 29 days to 31 October, 30 in November, 1 December = 60 days waiting.
    assert table(small, "signatures") == [{
        "partner": "ege", "agreement": "ege-general-2022", "kind": "general-cooperation", "missing": "partner",
        "home_signed": "2022-05-16", "partner_signed": "", "sent": "2026-10-02", "days_waiting": "60"}]
    assert "  expiring: ege-general-2022 (ege) ends on 2027-09-30 (in 303 days), last academic year 2026/2027" \
        in result.stdout.splitlines()
    assert ("  not signed by the partner side: ege-general-2022 (ege), sent on 2026-10-02, 60 days waiting"
            in result.stdout.splitlines())

    run_cli("report", "--data", "data", "--today", TODAY, "--months", "6")
    assert [r["agreement"] for r in table(small, "expiring")] == ["khnu-general-2016", "khnu-iia-2016"]


def test_places_per_row_and_year(small: Path, run_cli: Run) -> None:
    result = run_cli("report", "--data", "data", "--today", TODAY)
    rows = table(small, "rows")
    # Row 3 of ege-iia-2021 (outgoing staff teaching 0613, 2 people, 10 days): 14–18 Apr, 12–16 May and
    # 2–6 Jun 2025 are 3 people and 5 + 5 + 5 = 15 days planned; done: the May stay, 12–15 May, 4 days.
    # The teacher naming ege-iia-2042 is left out, not counted.
    assert pick(rows, agreement="ege-iia-2021", row="3", academic_year="2024/2025") == {
        "partner": "ege", "agreement": "ege-iia-2021", "row": "3", "direction": "outgoing",
        "type": "staff-teaching", "subjects": "0613", "academic_year": "2024/2025", "unit": "days",
        "people_agreed": "2", "people_planned": "3", "people_done": "1", "agreed": "10", "planned": "15",
        "done": "4", "flag": "over-used: 3 of 2 people, 15 of 10 days"}
    # Row 1 (0613 studies, 2 people, 10 months): 15 Sep 2024 – 14 Feb 2025 is 5 whole months.
    # Row 2 (0715): 17 Feb – 16 Jun is 4 months, 17–27 Jun 11 days: 4 + 11/30 = 4.37 months.
    assert [(r["row"], r["people_planned"], r["planned"], r["flag"])
            for r in rows if r["agreement"] == "ege-iia-2021" and r["academic_year"] == "2024/2025"] == [
        ("1", "1", "5.00", ""), ("2", "1", "4.37", ""), ("3", "3", "15", "over-used: 3 of 2 people, 15 of 10 days"),
        ("4", "0", "0", "unused"), ("5", "1", "4.30", ""), ("6", "0", "0.00", "unused"), ("7", "0", "0", "unused"),
        ("8", "0", "0", "unused")]
    # Dresden, studies 0732: planned 1 Apr – 31 Jul 2025 = 4 months; done 1 Apr – 11 Jul = 3 months 11 days.
    tud = pick(rows, agreement="tud-iia-2021", row="1", academic_year="2024/2025")
    assert (tud["planned"], tud["people_done"], tud["done"]) == ("4.00", "1", "3.37")
    # Years run from the first year to the one of the report date (2026/2027), or to the last year.
    assert sorted({r["academic_year"] for r in rows if r["agreement"] == "ege-iia-2021"}) == [
        f"{y}/{y + 1}" for y in range(2021, 2027)]
    assert sorted({r["academic_year"] for r in rows if r["agreement"] == "khnu-iia-2016"}) == [
        f"{y}/{y + 1}" for y in range(2016, 2021)]
    assert ("  over-used: 3 of 2 people, 15 of 10 days: ege-iia-2021 row 3 (outgoing staff-teaching 0613) "
            "in 2024/2025") in result.stdout.splitlines()
    assert pick(table(small, "places"), partner="ege", academic_year="2024/2025") == {
        "partner": "ege", "academic_year": "2024/2025", "people_agreed": "14", "people_planned": "6",
        "people_done": "1"}


def test_money_per_call(small: Path, run_cli: Run) -> None:
    run_cli("report", "--data", "data", "--today", TODAY)
    money = table(small, "money")
    # Staff teaching in Izmir (group 3, 148 EUR a day), 1777 km (309 EUR travel), 100 % advance:
    # planned 5 days + 2 travel days = 7 × 148 + 309 = 1345.00 each, three of them: 4035.00.
    # The May teacher came back a day early: 6 × 148 + 309 = 1197.00 due, 1345.00 paid, 148.00 to repay.
    # Every contract was signed more than 30 days before the report date: every advance is due.
    assert pick(money, call="ka131-2024-pl", type="staff-teaching", direction="outgoing") == {
        "call": "ka131-2024-pl", "academic_year": "2024/2025", "type": "staff-teaching", "direction": "outgoing",
        "mobilities": "3", "currency": "EUR", "committed": "4035.00", "advance": "4035.00",
        "advance_due": "4035.00", "balance": "0.00", "settled": "1", "advance_paid": "1345.00", "due": "1197.00",
        "balance_to_pay": "0.00", "repayment": "148.00"}
    # Outgoing students, 70 % advance:
    #   Izmir, fewer opportunities, 5 months: 5 × 600 + 5 × 250 + 309 travel = 4559.00, advance 3191.30;
    #   Izmir, zero grant: 0.00;
    #   Dresden (group 1, 670 a month), 374 km (211): 4 × 670 + 211 = 2891.00, advance 2023.70; on the
    #   actual dates 3 × 670 + 11/30 × 670 (245.67) + 211 = 2466.67, so 2466.67 − 2023.70 = 442.97 to pay.
    assert pick(money, call="ka131-2024-pl", type="student-studies", direction="outgoing") == {
        "call": "ka131-2024-pl", "academic_year": "2024/2025", "type": "student-studies", "direction": "outgoing",
        "mobilities": "3", "currency": "EUR", "committed": "7450.00", "advance": "5215.00",
        "advance_due": "5215.00", "balance": "2235.00", "settled": "1", "advance_paid": "2023.70",
        "due": "2466.67", "balance_to_pay": "442.97", "repayment": "0.00"}
    # The incoming student's grant is paid by Ege (KA131): not in the money tables.
    assert len(money) == 2
    by_month = {r["month"]: (r["mobilities"], r["committed"]) for r in table(small, "money-by-month")}
    assert by_month == {"2024-09": ("1", "4559.00"), "2025-02": ("1", "0.00"), "2025-04": ("2", "4236.00"),
                        "2025-05": ("1", "1345.00"), "2025-06": ("1", "1345.00")}


def test_counts_match_the_letters(small: Path, run_cli: Run) -> None:
    run_cli("report", "--data", "data", "--today", TODAY)
    letter = [(r["partner"], r["direction"], r["category"], r["mobilities"]) for r in table(small, "letter-counts")]
    # The letter's order: incoming students, incoming staff, outgoing students, outgoing staff.
    assert letter == [("ege", "incoming", "student", "1"), ("ege", "outgoing", "student", "2"),
                      ("ege", "outgoing", "staff", "3"), ("tud", "outgoing", "student", "1")]
    na = table(small, "na-counts")
    assert pick(na, type="student-studies", direction="outgoing", country="TR") == {
        "academic_year": "2024/2025", "call": "ka131-2024-pl", "type": "student-studies", "direction": "outgoing",
        "country": "TR", "mobilities": "2", "fewer_opportunities": "1", "green_travel": "0"}
    # The National Agency's breakdown adds up to the letters' lines.
    sums: Counter[tuple[str, str]] = Counter()
    for r in na:
        sums[(r["direction"], "student" if r["type"].startswith("student") else "staff")] += int(r["mobilities"])
    letters: Counter[tuple[str, str]] = Counter()
    for _, direction, category, n in letter:
        letters[(direction, category)] += int(n)
    assert sums == letters


def test_left_out_records_and_why(small: Path, run_cli: Run) -> None:
    result = run_cli("report", "--data", "data", "--today", TODAY)
    assert result.exit_code == 1
    left = table(small, "left-out")
    assert [r["record"] for r in left] == ["mobility 2024-ege-out-teaching-4"]
    assert re.fullmatch(r"data/mobilities/2024-2025\.yaml:\d+:\d+: mobilities\[7\]\.agreement: agreement "
                        r"'ege-iia-2042' does not exist among 'ege''s agreements: did you mean 'ege-iia-2021'\?",
                        left[0]["why"]), left[0]["why"]
    assert "1 record(s) left out of the report:" in result.stderr
    assert "  mobility 2024-ege-out-teaching-4: data/mobilities/2024-2025.yaml:" in result.stderr
    assert "wrote 10 file(s) into build/reports" in result.stdout


def test_page_is_self_contained_and_output_deterministic(small: Path, run_cli: Run) -> None:
    run_cli("report", "--data", "data", "--today", TODAY)
    reports = small / "build" / "reports"
    first = {p.name: p.read_bytes() for p in sorted(reports.iterdir())}
    assert sorted(first) == ["expiring.csv", "left-out.csv", "letter-counts.csv", "money-by-month.csv",
                             "money.csv", "na-counts.csv", "places.csv", "report.html", "rows.csv",
                             "signatures.csv"]
    page = first["report.html"].decode("utf-8")
    assert "<style>" in page and not re.search(r"<script|<link|src=|https?://", page)
    # The over-used row is highlighted and its words are on the page, as are the charts' figures.
    assert '<tr class="over-used"><td>ege</td><td>ege-iia-2021</td><td class="n">3</td>' in page
    assert '<tr class="unused"><td>ege</td><td>ege-iia-2021</td><td class="n">4</td>' in page
    assert '<tr class="expiring"><td>ege</td><td>ege-general-2022</td>' in page
    assert "over-used: 3 of 2 people, 15 of 10 days" in page
    assert '<td class="n">6 / 14 (1 done)</td>' in page
    assert '<td class="n">4236.00 EUR</td>' in page
    run_cli("report", "--data", "data", "--today", TODAY)
    assert {p.name: p.read_bytes() for p in sorted(reports.iterdir())} == first


def test_report_of_the_sample_is_clean(project_copy: Path, run_cli: Run) -> None:
    result = run_cli("report", "--data", "data", "--today", TODAY, "--out", "elsewhere")
    assert result.exit_code == 0, result.output
    assert (project_copy / "elsewhere" / "reports" / "report.html").is_file()
    left = (project_copy / "elsewhere" / "reports" / "left-out.csv").read_bytes()
    assert left == b"\xef\xbb\xbfrecord,why\r\n"
    assert not (project_copy / "build").exists()
    assert "3 incoming mobilities paid by the sending institution (not in the money tables)" in result.stdout


def test_usage_errors(project_copy: Path, run_cli: Run) -> None:
    assert run_cli("report", "--data", "data", "--today", "01.12.2026").exit_code == 2
    assert run_cli("report", "--data", "data", "--months", "-1").exit_code == 2


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31)), st.integers(0, 240))
def test_add_months(day: dt.date, months: int) -> None:
    later = add_months(day, months)
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months
    assert later.day == day.day or (later.day < day.day and (later + dt.timedelta(days=1)).day == 1)


def test_year_end() -> None:
    assert year_end("2020/2021") == dt.date(2021, 9, 30)


def test_no_report_without_a_valid_home_institution(project_copy: Path, run_cli: Run, edit_file: Edit) -> None:
    edit_file(project_copy / "data" / "institution.yaml", "  website:", "  websiet:")
    result = run_cli("report", "--data", "data", "--today", TODAY)
    assert result.exit_code == 1
    assert "institution.websiet: unknown field 'websiet': did you mean 'website'?" in result.stdout
    assert "docgen: the home institution file has errors: no report (run docgen check)" in result.stderr
    assert not (project_copy / "build").exists()


def test_a_broken_partner_file_leaves_out_the_partner_and_its_mobilities(project_copy: Path, run_cli: Run,
                                                                         edit_file: Edit) -> None:
    edit_file(project_copy / "data" / "partners" / "tud.yaml", "  country: DE", "  country: XX")
    result = run_cli("report", "--data", "data", "--today", TODAY)
    assert result.exit_code == 1
    left = {r["record"]: r["why"] for r in table(project_copy, "left-out")}
    assert left["partner tud"] == ("data/partners/tud.yaml:13:12: institution.country: 'XX' is not an ISO 3166 "
                                   "alpha-2 country code (e.g. PL, UA, TR, DE)")
    # Its four 2024/2025 mobilities are not counted anywhere.
    tud = {k for k in left if k.startswith("mobility 2024-tud-")}
    assert tud == {"mobility 2024-tud-out-studies-1", "mobility 2024-tud-out-traineeship-1",
                   "mobility 2024-tud-in-teaching-1", "mobility 2024-tud-out-training-1"}
    assert {left[k] for k in tud} == {"its partner 'tud' has errors"}
    assert left["record tud-iia-2021"] == "it has errors, or its partner file has (run docgen check)"
    assert not [r for r in table(project_copy, "rows") if r["partner"] == "tud"]
    assert [r["partner"] for r in table(project_copy, "letter-counts") if r["partner"] == "tud"] == []


def test_a_grant_that_cannot_be_calculated_is_left_out_of_the_money(project_copy: Path, run_cli: Run,
                                                                      edit_file: Edit) -> None:
    data = project_copy / "data"
    edit_file(data / "partners" / "ege.yaml", "  coordinates:\n    lat: 38.4556\n    lon: 27.2250\n", "")
    edit_file(data / "mobilities" / "2024-2025.yaml", "      distance_km: 1777\n", "", count=4)
    result = run_cli("report", "--data", "data", "--today", TODAY)
    assert result.exit_code == 1
    left = {r["record"]: r["why"] for r in table(project_copy, "left-out")}
    assert left["mobility 2024-ege-out-teaching-1"] == (
        "left out of the money tables: mobility 2024-ege-out-teaching-1: no travel distance: give "
        "funding.distance_km (the figure of the official distance calculator) or coordinates of EÜ")
    # Still counted as a place used and in the letter; only its money is missing.
    assert pick(table(project_copy, "rows"), agreement="ege-iia-2021", row="3",
                academic_year="2024/2025")["people_planned"] == "1"
    assert not [r for r in table(project_copy, "money") if r["type"] == "staff-teaching"
                and r["direction"] == "outgoing" and r["call"] == "ka131-2024-pl"]
