"""Schema of a rates file (data/rates/ID.yaml): one Erasmus+ call's grant figures, limits and payment split."""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator, model_validator

from docgen.model.models import (
    STUDENT_TYPES,
    Amount,
    Country,
    Direction,
    Id,
    Model,
    MobilityType,
    MonthDay,
    Period,
    Text,
)

# A rates file holds every figure the calculator (docgen.money.grants) uses; the calculator holds none.
# Layout of a file, in brief:
#
#   id, title, action, call_year, currency     which call this is
#   country_groups: [{id, countries}]          host-country groups (optional)
#   support: [{direction, group?, student_month?, staff_day?, short_term_day?}]
#                                              individual support; a row without group fits every host country
#   top_ups: {traineeship_month?, fewer_opportunities_month?, social_month?, short_term_fewer_opportunities?}
#   travel: [{from_km, to_km?, amount, green?}] distance bands, one-way km, both ends included
#   travel_support: {staff, students, short_term_students, green_without_travel?}
#                                              who gets the travel lump sum (all | fewer-opportunities | none),
#                                              and what green travel brings a student without it
#   travel_days: {max, max_green}              funded travel days (absent: the call funds none)
#   payment: {student: {...}, staff: {...}}    advance percent and deadlines
#   limits: {MOBILITY-TYPE: {months | days, teaching_hours?}}
#                                              a type missing here is not covered by the call
#   short_term: {min, max}                     short-term student mobility, days (absent: the call has none)
#   window: {student: {starts, ends}, staff: {starts, ends}}
#                                              a mobility of academic year Y/Y+1 starts and ends between
#                                              `starts` (MM-DD of year Y) and `ends` (MM-DD of year Y+1)
#   project_period: {start, end}               the project's contract period: every mobility of the call
#                                              takes place within it (absent: not checked)

CENT = Decimal("0.01")


def _to_decimal(v: object) -> object:
    if isinstance(v, int) and not isinstance(v, bool):
        return Decimal(v)
    return v


# Money in a rates file: whole cents at most, never negative.
Money = Annotated[Amount, Field(decimal_places=2)]
Percent = Annotated[Decimal, BeforeValidator(_to_decimal), Field(ge=0, le=100, decimal_places=2)]

_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


class DayRate(Model):
    """A rate per day, optionally lower from a given day of the stay on (days 1–14 full, 15+ reduced)."""

    rate: Money
    reduced: Money | None = None  # a fixed lower rate ...
    reduced_percent: Percent | None = None  # ... or a percentage of `rate` (rounded half-up to the cent)
    reduced_from_day: int = Field(default=15, ge=2)

    @model_validator(mode="after")
    def _one_reduction(self) -> DayRate:
        if self.reduced is not None and self.reduced_percent is not None:
            raise ValueError("give the lower rate as reduced or as reduced_percent, not both")
        if self.reduced is not None and self.reduced > self.rate:
            raise ValueError(f"the reduced rate {self.reduced} is higher than the rate {self.rate}")
        return self

    @property
    def reduced_rate(self) -> Decimal | None:
        """The rate from `reduced_from_day` on; None when the rate never drops."""
        if self.reduced is not None:
            return self.reduced
        if self.reduced_percent is not None:
            return (self.rate * self.reduced_percent / 100).quantize(CENT, ROUND_HALF_UP)
        return None


class CountryGroup(Model):
    """Receiving countries that share the same rates."""

    id: Text
    name: Text | None = None
    countries: list[Country] = Field(min_length=1)


class Support(Model):
    """Individual support for one direction and one host-country group (no group: every host country)."""

    direction: Direction  # outgoing: the home institution sends
    group: Text | None = None
    student_month: Money | None = None  # long-term student mobility, per month
    staff_day: DayRate | None = None
    short_term_day: DayRate | None = None  # short-term student mobility, per day


class ShortTermTopUp(Model):
    """A one-off top-up of short-term student mobility, by the length of the stay in days (both ends included)."""

    from_day: int = Field(ge=1)
    to_day: int = Field(ge=1)
    amount: Money

    @model_validator(mode="after")
    def _order(self) -> ShortTermTopUp:
        if self.to_day < self.from_day:
            raise ValueError(f"to_day {self.to_day} is before from_day {self.from_day}")
        return self


class TopUps(Model):
    """Monthly top-ups of long-term student mobility; absent: the call does not pay it."""

    traineeship_month: Money | None = None
    fewer_opportunities_month: Money | None = None
    social_month: Money | None = None  # study mobility only (students with a social scholarship)
    short_term_fewer_opportunities: list[ShortTermTopUp] = []

    @field_validator("short_term_fewer_opportunities")
    @classmethod
    def _no_overlap(cls, v: list[ShortTermTopUp]) -> list[ShortTermTopUp]:
        ordered = sorted(v, key=lambda t: t.from_day)
        for a, b in zip(ordered, ordered[1:]):
            if b.from_day <= a.to_day:
                raise ValueError(f"days {a.from_day}–{a.to_day} and {b.from_day}–{b.to_day} overlap")
        return v


class TravelBand(Model):
    """Travel support for a one-way distance from `from_km` to `to_km` (both included; no to_km: and more)."""

    from_km: int = Field(ge=0)
    to_km: int | None = Field(default=None, ge=0)
    amount: Money
    green: Money | None = None  # amount with green travel; absent: the standard amount

    @model_validator(mode="after")
    def _order(self) -> TravelBand:
        if self.to_km is not None and self.to_km < self.from_km:
            raise ValueError(f"to_km {self.to_km} is below from_km {self.from_km}")
        return self

    @property
    def label(self) -> str:
        return f"{self.from_km}–{self.to_km} km" if self.to_km is not None else f"{self.from_km} km and more"


class TravelDays(Model):
    """Travel days funded as individual support, at most `max` (or `max_green` with green travel)."""

    max: int = Field(ge=0, le=6)
    max_green: int = Field(ge=0, le=6)

    @model_validator(mode="after")
    def _order(self) -> TravelDays:
        if self.max_green < self.max:
            raise ValueError(f"max_green {self.max_green} is below max {self.max}")
        return self


# Who gets the travel lump sum: everyone, only participants with fewer opportunities, or no one.
TravelFor = Literal["all", "fewer-opportunities", "none"]


class GreenWithoutTravel(Model):
    """What a student without a travel grant gets for green travel: a one-off top-up and travel days."""

    top_up: Money
    travel_days: int = Field(ge=0, le=6)  # days of individual support, at most


class TravelSupport(Model):
    """Who gets the travel lump sum under this call (KA131: by call and National Agency)."""

    staff: TravelFor
    students: TravelFor  # long-term student mobility
    short_term_students: TravelFor
    green_without_travel: GreenWithoutTravel | None = None  # absent: green travel brings them nothing


class Payment(Model):
    """How a grant is paid: an advance within `advance_due_days` of signature, the balance after the report."""

    advance_percent: Percent
    advance_due_days: int = Field(ge=0)  # calendar days after both parties sign
    balance_due_days: int | None = Field(default=None, ge=0)  # calendar days after the participant report


class Payments(Model):
    student: Payment
    staff: Payment


class Span(Model):
    """Allowed length, both ends included."""

    min: int = Field(ge=1)
    max: int = Field(ge=1)

    @model_validator(mode="after")
    def _order(self) -> Span:
        if self.max < self.min:
            raise ValueError(f"max {self.max} is below min {self.min}")
        return self


class TeachingHours(Model):
    """At least `min` teaching hours; with `per_days`, per that many days of stay, proportionally for the rest."""

    min: int = Field(ge=1)
    per_days: int | None = Field(default=None, ge=1)


class TypeLimits(Model):
    """Duration limits of one mobility type: months for students, days (travel excluded) for staff."""

    months: Span | None = None
    days: Span | None = None
    teaching_hours: TeachingHours | None = None


class Window(Model):
    starts: MonthDay  # in the first year of the academic year
    ends: MonthDay  # in the second year


class Windows(Model):
    """Where a mobility of academic year Y/Y+1 must start and end."""

    student: Window
    staff: Window


class Rates(Model):
    """One call's rates file."""

    id: Id  # the file name without .yaml; mobilities name it in funding.call
    title: Text
    action: Literal["KA103", "KA107", "KA131", "KA171"]
    call_year: int = Field(ge=2014, le=2100)
    currency: Literal["EUR"] = "EUR"
    country_groups: list[CountryGroup] = []
    support: list[Support] = Field(min_length=1)
    top_ups: TopUps = TopUps()
    travel: list[TravelBand] = Field(min_length=1)
    travel_support: TravelSupport
    travel_days: TravelDays | None = None
    payment: Payments
    limits: dict[MobilityType, TypeLimits] = Field(min_length=1)
    short_term: Span | None = None
    window: Windows
    project_period: Period | None = None

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not _ID.fullmatch(v):
            raise ValueError(f"{v!r} is not a rates id: lower-case letters and digits joined by '-' "
                             "(e.g. ka131-2024-pl), the file name without .yaml")
        return v

    @field_validator("country_groups")
    @classmethod
    def _groups(cls, v: list[CountryGroup]) -> list[CountryGroup]:
        seen: dict[str, str] = {}
        ids: set[str] = set()
        for g in v:
            if g.id in ids:
                raise ValueError(f"group {g.id!r} is given twice")
            ids.add(g.id)
            for c in g.countries:
                if c in seen:
                    raise ValueError(f"{c} is in group {seen[c]!r} and in group {g.id!r}: keep one")
                seen[c] = g.id
        return v

    @field_validator("support")
    @classmethod
    def _support(cls, v: list[Support], info: ValidationInfo) -> list[Support]:
        groups = {g.id for g in info.data.get("country_groups", [])}
        keys: set[tuple[str, str | None]] = set()
        for row in v:
            if row.group is not None and row.group not in groups:
                known = ", ".join(sorted(groups)) or "none"
                raise ValueError(f"support row ({row.direction}) names group {row.group!r}, which is not "
                                 f"in country_groups (known: {known})")
            key = (row.direction, row.group)
            if key in keys:
                what = f"group {row.group!r}" if row.group else "every host country"
                raise ValueError(f"two support rows for {row.direction} mobility and {what}: keep one")
            keys.add(key)
        for direction in ("outgoing", "incoming"):
            rows = [r for r in v if r.direction == direction]
            grouped = {r.group for r in rows if r.group is not None}
            if grouped and len(grouped) != len(rows):
                raise ValueError(f"{direction} support mixes a row for every host country with rows by group: "
                                 "give rows by group only, or one row")
            missing = groups - grouped
            if grouped and missing:
                raise ValueError(f"{direction} support has no row for group(s) {', '.join(sorted(missing))}")
        return v

    @field_validator("travel")
    @classmethod
    def _bands(cls, v: list[TravelBand]) -> list[TravelBand]:
        for a, b in zip(v, v[1:]):
            if a.to_km is None:
                raise ValueError(f"band {a.label} is open-ended but is not the last one")
            if b.from_km != a.to_km + 1:
                raise ValueError(f"bands {a.label} and {b.label} do not follow each other: the next band "
                                 f"should start at {a.to_km + 1} km")
        return v

    @field_validator("limits")
    @classmethod
    def _limits(cls, v: dict[str, TypeLimits]) -> dict[str, TypeLimits]:
        for kind, lim in v.items():
            if kind in STUDENT_TYPES:
                if lim.months is None or lim.days is not None:
                    raise ValueError(f"{kind} limits are in months: give months (min, max), not days")
            elif lim.days is None or lim.months is not None:
                raise ValueError(f"{kind} limits are in days: give days (min, max), not months")
            if lim.teaching_hours is not None and kind != "staff-teaching":
                raise ValueError(f"teaching_hours belong to staff-teaching limits, not {kind}")
        return v

    # ------------------------------------------------------------ look-ups

    def group_of(self, country: str) -> CountryGroup | None:
        return next((g for g in self.country_groups if country in g.countries), None)

    def support_for(self, direction: str, country: str) -> Support | None:
        """The support row for a direction and host country: its group's row, or the row for every country."""
        group = self.group_of(country)
        rows = [r for r in self.support if r.direction == direction]
        if group is not None:
            row = next((r for r in rows if r.group == group.id), None)
            if row is not None:
                return row
        return next((r for r in rows if r.group is None), None)

    def band_for(self, km: int) -> TravelBand | None:
        """The travel band of a one-way distance; None below the first band."""
        for band in self.travel:
            if km >= band.from_km and (band.to_km is None or km <= band.to_km):
                return band
        return None

    def payment_for(self, mobility_type: str) -> Payment:
        return self.payment.student if mobility_type in STUDENT_TYPES else self.payment.staff

    def window_for(self, mobility_type: str) -> Window:
        return self.window.student if mobility_type in STUDENT_TYPES else self.window.staff
