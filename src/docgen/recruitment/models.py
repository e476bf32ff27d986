"""Pydantic models of recruitment data: calls (rules as data), applications with their events, public holidays."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal, Union

from pydantic import AfterValidator, BeforeValidator, Field, model_validator

from docgen.model.models import (AcademicYear, Country, DocLang, Email, Id, IscedCode, LanguageLevel, LocalText,
                                 Model, MobilityType, Name, Period, Text, _to_decimal)
from docgen.recruitment import expr


def _expression(v: str) -> str:
    try:
        expr.parse(v)
    except expr.ExprError as exc:
        raise ValueError(f"cannot read the expression {v!r}: {exc}") from None
    return v


Expression = Annotated[str, AfterValidator(_expression)]
Number = Annotated[Decimal, BeforeValidator(_to_decimal)]
Points = Annotated[Decimal, BeforeValidator(_to_decimal), Field(ge=0)]
Group = Literal["student", "staff"]
FieldType = Literal["number", "whole", "yes-no", "choice"]


class FieldSpec(Model):
    """One answer an application gives (a grade average, a contract kind): its name and type."""

    id: Annotated[str, AfterValidator(lambda v: _name(v))]
    type: FieldType
    label: LocalText
    values: list[Id] = []  # choice: the allowed values
    min: Number | None = None
    max: Number | None = None

    @model_validator(mode="after")
    def _choice(self) -> FieldSpec:
        if (self.type == "choice") != bool(self.values):
            raise ValueError("a choice field lists its values; only a choice field has values")
        return self


def _name(v: str) -> str:
    import re

    if not re.fullmatch(r"[a-z][a-z0-9_]{0,39}", v) or v in ("and", "or", "not", "true", "false", "min", "max"):
        raise ValueError(f"{v!r} is not a field name: lowercase letters, digits and '_', starting with a letter "
                         "(it is the name formulas use)")
    return v


class DocumentSpec(Model):
    id: Id
    text: LocalText


class Rule(Model):
    """An eligibility rule: applicants for whom `when` is false are not eligible, and are told this rule."""

    id: Id
    text: LocalText
    when: Expression


class Band(Model):
    above: Number | None = None  # the value is greater than this (no lower bound when missing)
    up_to: Number | None = None  # ... and at most this (no upper bound when missing)
    points: Points


class Criterion(Model):
    """A scoring line: `points` when `when` holds, or points from a `table` of choices, `bands` of a number, or a
    `formula`."""

    id: Id
    text: LocalText
    points: Points | None = None
    when: Expression | None = None
    field: str | None = None  # table / bands: the field they read
    table: dict[Id, Points] | None = None
    bands: list[Band] | None = None
    formula: Expression | None = None

    @model_validator(mode="after")
    def _one_way(self) -> Criterion:
        ways = [w for w, v in (("points", self.points), ("table", self.table), ("bands", self.bands),
                               ("formula", self.formula)) if v is not None]
        if len(ways) != 1:
            raise ValueError("a criterion scores in exactly one way: points (with when), table, bands or formula; "
                             f"this one has {', '.join(ways) or 'none'}")
        if (self.table is not None or self.bands is not None) != (self.field is not None):
            raise ValueError("a table or bands criterion names the field it reads (field:), and only they do")
        if self.when is not None and self.points is None:
            raise ValueError("when: goes with points:")
        return self


class TieBreak(Model):
    """At equal score: `prefer` (true first), `higher` (greater value first) or `earlier` submission first."""

    id: Id
    text: LocalText
    prefer: Expression | None = None
    higher: Expression | None = None
    earlier: Literal["submitted"] | None = None

    @model_validator(mode="after")
    def _one(self) -> TieBreak:
        if sum(v is not None for v in (self.prefer, self.higher, self.earlier)) != 1:
            raise ValueError("a tie-break is exactly one of prefer:, higher: or earlier: submitted")
        return self


class Places(Model):
    partner: Id
    type: MobilityType
    faculty: Id | None = None  # only applicants of this faculty (else any)
    places: int = Field(ge=0)


class Appeal(Model):
    """The appeal period from the decision's delivery, and to whom."""

    days: int | None = Field(default=None, ge=1, le=366)
    months: int | None = Field(default=None, ge=1, le=12)
    body: LocalText

    @model_validator(mode="after")
    def _one(self) -> Appeal:
        if (self.days is None) == (self.months is None):
            raise ValueError("an appeal period is days: or months:, one of them")
        return self


class Member(Model):
    name: Name
    function: LocalText
    chair: bool = False


class Committee(Model):
    members: list[Member] = Field(min_length=1)
    meeting: dt.date
    place: LocalText


class Total(Model):
    """The score from the criteria's sum `points` and the answers; at most `max`."""

    formula: Expression = "points"
    max: Points | None = None
    decimals: int = Field(default=2, ge=0, le=4)


class Call(Model):
    id: Id
    title: LocalText
    group: Group
    academic_year: AcademicYear
    languages: list[DocLang] = Field(min_length=1, max_length=2)
    opens: dt.date
    closes: dt.date
    results: dt.date  # the lists are published
    delivered: dt.date  # decisions delivered (an application's own `delivered` overrides)
    fields: list[FieldSpec] = []
    documents: list[DocumentSpec] = []
    eligibility: list[Rule] = []
    criteria: list[Criterion] = Field(min_length=1)
    total: Total = Total()
    tie_breaks: list[TieBreak] = []
    places: list[Places] = Field(min_length=1)
    appeal: Appeal
    committee: Committee

    @model_validator(mode="after")
    def _dates(self) -> Call:
        if not self.opens <= self.closes <= self.results <= self.delivered:
            raise ValueError(f"the dates must run opens ≤ closes ≤ results ≤ delivered; got {self.opens}, "
                             f"{self.closes}, {self.results}, {self.delivered}")
        return self


class CallFile(Model):
    call: Call


def _clock(v: str) -> str:
    import re

    if not re.fullmatch(r"([01][0-9]|2[0-3]):[0-5][0-9]", v):
        raise ValueError(f"{v!r} is not a time of day written HH:MM in quotes (e.g. '09:05')")
    return v


class Applicant(Model):
    first_name: Name
    last_name: Name
    email: Email
    birth_date: dt.date | None = None
    nationality: Country | None = None
    sex: Literal["F", "M", "X"] | None = None
    faculty: Id | None = None  # the faculty id places may be limited to
    faculty_name: LocalText = {}
    field_of_study: LocalText = {}
    student_number: Text | None = None
    position: LocalText = {}  # staff


class Event(Model):
    """Something that happened to an application after the lists: a resignation, an appeal and its outcome."""

    event: Literal["resigned", "appeal"]
    date: dt.date
    outcome: Literal["pending", "upheld", "dismissed"] | None = None  # appeal
    answers: dict[str, Union[bool, Number, Id]] = {}  # appeal upheld: corrected answers, re-scored
    note: Text | None = None

    @model_validator(mode="after")
    def _kind(self) -> Event:
        if self.event == "appeal" and self.outcome is None:
            raise ValueError("an appeal states its outcome: pending, upheld or dismissed")
        if self.event != "appeal" and (self.outcome is not None or self.answers):
            raise ValueError("outcome and answers belong to an appeal")
        if self.answers and self.outcome != "upheld":
            raise ValueError("corrected answers belong to an upheld appeal")
        return self


class Application(Model):
    id: Id  # the recruitment number, the only thing published lists show
    submitted: dt.date
    time: Annotated[str, AfterValidator(_clock)] | None = None  # HH:MM of submission: the order within a day
    applicant: Applicant
    partner: Id
    type: MobilityType
    documents: list[Id] = []
    answers: dict[str, Union[bool, Number, Id]] = {}
    subject: IscedCode | None = None
    cycle: Literal[5, 6, 7, 8] | None = None
    language: LanguageLevel | None = None
    planned: Period | None = None
    delivered: dt.date | None = None
    events: list[Event] = []


class ApplicationFile(Model):
    applications: list[Application]


class Holiday(Model):
    date: dt.date
    name: LocalText


class Holidays(Model):
    """Days on which a deadline does not end, and the office's rule for one that falls on them."""

    weekend: list[Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]] = \
        ["saturday", "sunday"]
    rule: Literal["next-working-day", "stays"] = "next-working-day"
    days: list[Holiday] = []


class HolidaysFile(Model):
    holidays: Holidays
