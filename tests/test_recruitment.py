"""Recruitment on the sample office: eligibility per rule, scores, ties, reserve lists, replacements, deadlines."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from docgen.pipeline import load_checked
from docgen.recruitment import expr
from docgen.recruitment.ranking import Ranked, deadline, rank
from conftest import SAMPLE


@pytest.fixture(scope="module")
def project():  # type: ignore[no-untyped-def]
    return load_checked(SAMPLE)


@pytest.fixture(scope="module")
def students(project) -> Ranked:  # type: ignore[no-untyped-def]
    return rank(project.recruitment.calls["2025-students"])


@pytest.fixture(scope="module")
def staff(project) -> Ranked:  # type: ignore[no-untyped-def]
    return rank(project.recruitment.calls["2025-staff"])


def test_sample_calls_are_valid(project) -> None:  # type: ignore[no-untyped-def]
    assert not project.errors
    assert set(project.recruitment.calls) == {"2025-students", "2025-staff"}


def test_an_ineligible_applicant_per_rule(students: Ranked, staff: Ranked) -> None:
    assert students.scored["s25-06"].failed == ["second-year"]
    assert students.scored["s25-07"].failed == ["no-dean-leave"]
    assert students.scored["s25-08"].failed == ["good-average"]
    assert students.scored["s25-09"].missing == ["motivation"]
    assert staff.scored["t25-04"].failed == ["contract"]
    assert staff.scored["t25-05"].failed == ["teaching-hours"]


def test_student_lists_by_hand(students: Ranked) -> None:
    # (average + points) * 0.2: s25-01 (4.8 + 3) = 1.56; s25-02 and s25-03 (4.5 + 1) = 1.10 (s25-02 first-time);
    # s25-04 and s25-05 (4.2 + 1) = 1.04 (s25-04 submitted earlier); s25-02 resigns, s25-03 moves up.
    tud, ege = students.rows
    assert [s.app.id for s in tud.ranking] == ["s25-01", "s25-02", "s25-03", "s25-04", "s25-05"]
    assert [s.total for s in tud.ranking] == [Decimal("1.56"), Decimal("1.10"), Decimal("1.10"),
                                              Decimal("1.04"), Decimal("1.04")]
    assert [(t.first, t.second, t.by.id if t.by else None) for t in tud.ties] == \
        [("s25-02", "s25-03", "first-time"), ("s25-04", "s25-05", "submission")]
    assert tud.initially_qualified == ["s25-01", "s25-02"]
    assert tud.qualified == ["s25-01", "s25-03"]
    assert tud.reserve == ["s25-04", "s25-05"]
    assert [(r.resigned, r.by) for r in tud.replacements] == [("s25-02", "s25-03")]
    # the upheld appeal adds one achievement: (4.6 + 1) * 0.2 = 1.12 > s25-10's (4.0 + 1) * 0.2 = 1.00
    assert ege.qualified == ["s25-11"] and ege.reserve == ["s25-10"]


def test_staff_lists_by_hand(staff: Ranked) -> None:
    khnu, tud = staff.rows
    # 30 + 20 + 20 + 20 = 90, capped at 70; 30 + 10 + 15 = 55; 5 + 5 + 20 = 30
    assert [(s.app.id, s.total) for s in khnu.ranking] == [("t25-01", 70), ("t25-02", 55), ("t25-03", 30)]
    assert khnu.qualified == ["t25-02"] and khnu.reserve == ["t25-03"]
    # all three 45: the first-time participant t25-08 first, then full-time t25-06 before t25-07
    assert [s.app.id for s in tud.ranking] == ["t25-08", "t25-06", "t25-07"]
    assert [t.by.id for t in tud.ties if t.by] == ["first-time", "full-time"]


def test_appeal_deadlines_move_off_weekends_and_holidays(project, students: Ranked,  # type: ignore[no-untyped-def]
                                                         staff: Ranked) -> None:
    rec = project.recruitment
    late = deadline(rec, students.call, students.scored["s25-11"].app)
    assert (late.period_end, late.last_day) == (dt.date(2025, 12, 25), dt.date(2025, 12, 29))
    plain = deadline(rec, students.call, students.scored["s25-06"].app)
    assert plain.last_day == dt.date(2025, 12, 22) and not plain.moved
    weekend = deadline(rec, staff.call, staff.scored["t25-03"].app)
    assert (weekend.period_end, weekend.last_day) == (dt.date(2026, 1, 24), dt.date(2026, 1, 26))


def test_rank_command_prints_replacements(run_cli, project_copy) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("rank", "2025-students")
    assert result.exit_code == 0, result.output
    assert "s25-02 resigned on 2026-01-12: replaced by s25-03 from the reserve list" in result.output
    assert "rule 'second-year'" in result.output
    assert run_cli("rank", "nope").exit_code == 2


@given(st.integers(-1000, 1000), st.integers(-1000, 1000), st.integers(1, 1000))
def test_expressions_compute_like_arithmetic(a: int, b: int, c: int) -> None:
    env = {"a": Decimal(a), "b": Decimal(b), "c": Decimal(c)}
    assert expr.evaluate(expr.parse("(a + b) * 2 - c / c"), env) == (a + b) * 2 - 1
    assert expr.evaluate(expr.parse("a >= b and not c < 1"), env) is (a >= b)


@pytest.mark.parametrize("text", ["", "a +", "__import__('os')", "a < b < c", "a.b", "1 +* 2"])
def test_unreadable_expressions_are_refused(text: str) -> None:
    with pytest.raises(expr.ExprError):
        expr.parse(text)
