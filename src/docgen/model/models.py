"""Pydantic models of the office's data: institutions, agreements (terms kept apart from contacts), mobilities."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from typing import Annotated, Literal

from babel import Locale
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from docgen.errors import UsageError

# ---------------------------------------------------------------- value types


# Longest text a field takes: a paragraph of free text, a line for a name. Longer input is a mistake
# (a pasted file, a runaway script) that would break the layout of a signed document.
TEXT_MAX = 2000
NAME_MAX = 200


def _nonblank(v: str) -> str:
    if not v.strip():
        raise ValueError("must not be blank")
    if v != v.strip():
        raise ValueError("has spaces at the start or end: remove them")
    return v


def _at_most(limit: int, what: str) -> AfterValidator:
    def check(v: str) -> str:
        if len(v) > limit:
            raise ValueError(f"the text has {len(v)} characters; {what} takes at most {limit}: shorten it")
        return v

    return AfterValidator(check)


def _matching(pattern: str, problem: str) -> AfterValidator:
    """A text that must match `pattern` whole; else the message `'<value>' <problem>`."""
    regex = re.compile(pattern)

    def check(v: str) -> str:
        if not regex.fullmatch(v):
            raise ValueError(f"{v!r} {problem}")
        return v

    return AfterValidator(check)


def _nfc(v: object) -> object:
    # One spelling of each letter: 'ę' typed as one character or as 'e' and a combining ogonek is one person.
    return unicodedata.normalize("NFC", v) if isinstance(v, str) else v


def _is_noncharacter(c: str) -> bool:
    n = ord(c)
    return 0xFDD0 <= n <= 0xFDEF or n & 0xFFFE == 0xFFFE


def unsafe_character(v: str, *, multiline: bool) -> str | None:
    """Why `v` cannot be printed as written (its first invisible or control character), or None.

    Refused: C0 and C1 controls (a tab and a line break only in a multi-line field), the bidirectional
    embedding, override and isolate controls and every other invisible format character (zero-width space,
    joiners, U+FEFF, language tags; a soft hyphen stays), line and paragraph separators, lone surrogates and
    noncharacters: each either changes what a reader sees without showing itself or breaks a writer."""
    for i, c in enumerate(v, 1):
        if c in "\t\n" and multiline:
            continue
        category = unicodedata.category(c)
        if category == "Cc":
            why = "a control character"
        elif "\u202a" <= c <= "\u202e" or "\u2066" <= c <= "\u2069":
            why = "a bidirectional control, which reorders the text a reader sees"
        elif category == "Cf" and c != "\u00ad":
            why = "an invisible format character"
        elif category in ("Zl", "Zp"):
            why = "a line or paragraph separator"
        elif category == "Cs":
            why = "a lone surrogate, not a character"
        elif _is_noncharacter(c):
            why = "a Unicode noncharacter"
        else:
            continue
        name = unicodedata.name(c, "")
        hint = "" if multiline or c not in "\t\n\r" else " (this field is one line)"
        return f"character {i} is U+{ord(c):04X}{' ' + name if name else ''}, {why}{hint}: remove it"
    return None


def _printable(multiline: bool) -> AfterValidator:
    def check(v: str) -> str:
        why = unsafe_character(v, multiline=multiline)
        if why:
            raise ValueError(why)
        return v

    return AfterValidator(check)


# Every text a document prints goes through one of these: NFC, then no invisible or control character.
Text = Annotated[str, BeforeValidator(_nfc), _printable(True), AfterValidator(_nonblank),
                 _at_most(TEXT_MAX, "a text field")]
Name = Annotated[str, BeforeValidator(_nfc), _printable(False), AfterValidator(_nonblank),
                 _at_most(NAME_MAX, "a name")]

# An id names the record's files and folders in build/ (build/<partner>/<agreement>/...), so its syntax
# is that of a safe path segment on every system: no separators, no dots, no Windows device names.
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*")
ID_MAX = 64
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {f"{d}{n}" for d in ("com", "lpt") for n in range(1, 10)}
ID_RULE = (f"an id is 1 to {ID_MAX} characters: lowercase letters a-z, digits and '-', starting with a "
           "letter or digit (e.g. 'khnu-iia-2016'), because ids name files and folders in build/")


def _id(v: str) -> str:
    if len(v) > ID_MAX:
        raise ValueError(f"the id {v[:20]!r}... has {len(v)} characters; {ID_RULE}")
    if not ID_PATTERN.fullmatch(v):
        bad = next((c for c in v if not re.fullmatch(r"[a-z0-9-]", c)), None)
        why = ("it is empty" if not v else "it starts with '-'" if bad is None
               else f"it contains {bad!r}" + (" (use lowercase)" if bad.isupper() else ""))
        raise ValueError(f"{v!r} is not a valid id: {why}; {ID_RULE}")
    if v in _WINDOWS_RESERVED:
        raise ValueError(f"{v!r} is not a valid id: it is a reserved device name on Windows "
                         "(CON, PRN, AUX, NUL, COM1-9, LPT1-9) and cannot name a file there")
    return v


Id = Annotated[str, AfterValidator(_id)]


def parse_id(value: str, what: str) -> str:
    """An id typed on the command line, held to the data's id rule; else a UsageError naming `what`."""
    try:
        return _id(value)
    except ValueError as exc:
        raise UsageError(f"{what}: {exc}") from None

LangCode = Annotated[str, _matching(r"[a-z]{2}", "is not a two-letter ISO 639-1 language code (e.g. pl, en, uk, tr)")]
# A document's language: any language code; it is printable when a catalog exists for it (checks.run says so).
DocLang = LangCode
LocalText = dict[LangCode, Text]

_TERRITORIES = {code for code in Locale("en").territories if len(code) == 2 and code.isalpha()}


def _country(v: str) -> str:
    if v not in _TERRITORIES:
        raise ValueError(f"{v!r} is not an ISO 3166 alpha-2 country code (e.g. PL, UA, TR, DE)")
    return v


Country = Annotated[str, AfterValidator(_country)]

Email = Annotated[str, BeforeValidator(_nfc), _printable(False), _matching(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}", "is not an email address")]
Phone = Annotated[str, _matching(r"\+?[0-9][0-9 ()\-]{5,}[0-9]",
                                 "is not a phone number (digits, spaces, ( ) - and a leading +)")]
Url = Annotated[str, BeforeValidator(_nfc), _printable(False), _matching(r"https?://[^\s/]+\.[^\s]+", "is not a web address starting with http:// or https://")]

# EWP surrogate ids (iia-id, ounit-id): the architecture's AsciiPrintableIdentifier.
ASCII_ID = re.compile(r"[!-~]{1,64}")
AsciiId = Annotated[str, _matching(ASCII_ID.pattern,
                                   "is not an EWP identifier: 1 to 64 printable ASCII characters, no spaces")]

# Erasmus code: country prefix padded with spaces to three characters, city, two digits.
ErasmusCode = Annotated[str, _matching(r"(?:[A-Z]{3}|[A-Z]{2} |[A-Z]  )[A-Z][A-Z\-]{1,9}[0-9]{2}",
                                       "is not an Erasmus code: country prefix padded with spaces to three "
                                       "characters, city, two digits (e.g. 'PL BYDGOSZ02', 'D  BERLIN01', 'TR IZMIR02')")]


def _iban(v: str) -> str:
    from schwifty import IBAN
    from schwifty.exceptions import SchwiftyException

    try:
        IBAN(v)
    except SchwiftyException as exc:
        raise ValueError(f"{v!r} is not a valid IBAN: {exc}") from None
    return v


Iban = Annotated[str, AfterValidator(_iban)]


def _academic_year(v: str) -> str:
    m = re.fullmatch(r"([0-9]{4})/([0-9]{4})", v)
    if not m or int(m[2]) != int(m[1]) + 1:
        raise ValueError(f"{v!r} is not an academic year written like 2016/2017")
    return v


AcademicYear = Annotated[str, AfterValidator(_academic_year)]


def parse_academic_year(value: str, what: str) -> str:
    """An academic year typed on the command line (`--year`); else a UsageError naming `what`."""
    try:
        return _academic_year(value)
    except ValueError as exc:
        raise UsageError(f"{what}: {exc}") from None


def year_start(academic_year: str) -> int:
    """`2016/2017` → 2016."""
    return int(academic_year[:4])


IscedCode = Annotated[str, _matching(r"[0-9]{2,4}", "is not an ISCED-F 2013 field code (2 to 4 digits, quoted, "
                                                      "e.g. '061' or '0613')")]


def _month_day(v: str) -> str:
    m = re.fullmatch(r"([0-9]{2})-([0-9]{2})", v)
    try:
        if not m:
            raise ValueError
        dt.date(2000, int(m[1]), int(m[2]))
    except ValueError:
        raise ValueError(f"{v!r} is not a day of the year written MM-DD (e.g. '06-30' for 30 June)") from None
    return v


MonthDay = Annotated[str, AfterValidator(_month_day)]


def _to_decimal(v: object) -> object:
    if isinstance(v, int) and not isinstance(v, bool):
        return Decimal(v)
    return v


Amount = Annotated[Decimal, BeforeValidator(_to_decimal), Field(ge=0)]

Cefr = Literal["A1", "A2", "B1", "B2", "C1", "C2"]
MobilityType = Literal["student-studies", "student-traineeship", "staff-teaching", "staff-training"]
STUDENT_TYPES: tuple[str, ...] = ("student-studies", "student-traineeship")
STAFF_TYPES: tuple[str, ...] = ("staff-teaching", "staff-training")
Direction = Literal["outgoing", "incoming"]
Side = Literal["home", "partner"]
# EQF levels: 5 short cycle, 6 first (bachelor), 7 second (master), 8 third (doctoral).
EqfLevel = Literal[5, 6, 7, 8]


class Model(BaseModel):
    """Strict base: no unknown keys, no type coercion."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# ---------------------------------------------------------------- institutions

ContactRole = Literal[
    "institutional-coordinator", "faculty-coordinator", "incoming", "outgoing",
    "visa", "insurance", "housing",
]


class Contact(Model):
    role: ContactRole
    name: Name
    position: LocalText = {}
    email: Email
    phone: Phone | None = None
    website: Url | None = None


class Representative(Model):
    """Who signs for the institution."""

    name: Name
    title: Name | None = None  # academic title as printed before the name, e.g. "prof. dr hab. inż."
    function: LocalText


class Address(Model):
    street: Text
    postcode: Text
    city: LocalText
    country: Country


class GradeRow(Model):
    local: Text
    ects: Literal["A", "B", "C", "D", "E", "F", "FX"]
    percent: int | None = Field(default=None, ge=0, le=100)
    definition: LocalText


class BankAccount(Model):
    bank: Name
    iban: Iban
    bic: Text | None = None


class Coordinates(Model):
    lat: Decimal = Field(ge=-90, le=90)
    lon: Decimal = Field(ge=-180, le=180)


class Institution(Model):
    """An institution's identity and contacts: what is not a term of any agreement."""

    id: Id
    name: LocalText
    short_name: Name
    country: Country
    erasmus_code: ErasmusCode | None = None
    city: LocalText = {}
    schac: Text | None = None
    address: Address
    coordinates: Coordinates | None = None
    website: Url
    legal_representative: Representative
    contacts: list[Contact] = []
    grading: list[GradeRow] = []
    bank: BankAccount | None = None
    office: LocalText = {}  # name of the international-relations office, printed on letters

    @model_validator(mode="after")
    def _code_or_city(self) -> Institution:
        if self.erasmus_code is None and not self.city:
            raise ValueError("give erasmus_code, or city for an institution outside the programme countries")
        if "en" not in self.name:
            raise ValueError("name needs at least its English form (name.en)")
        return self

    def contact(self, role: str) -> Contact | None:
        return next((c for c in self.contacts if c.role == role), None)

    @property
    def code_or_city(self) -> str:
        return self.erasmus_code or self.city.get("en") or next(iter(self.city.values()))


# ---------------------------------------------------------------- agreements

AgreementKind = Literal["erasmus-iia", "bilateral-cooperation", "general-cooperation"]


class Subject(Model):
    code: IscedCode
    name: LocalText = {}  # overrides the name from the ISCED-F reference list


class CooperationCondition(Model):
    """One row of the IIA mobility tables: who sends whom, for what, how many, how long."""

    direction: Direction  # outgoing: the home institution sends
    type: MobilityType
    subjects: list[Subject] = Field(min_length=1)
    cycles: list[EqfLevel] = []
    people: int = Field(ge=1)
    months: Amount | None = None  # students: total months a year
    days: int | None = Field(default=None, ge=1)  # staff: total days a year
    blended: bool = False  # students: also open to blended mobility (short physical stay + virtual part)

    @model_validator(mode="after")
    def _units(self) -> CooperationCondition:
        student = self.type in STUDENT_TYPES
        if student and self.days is not None:
            raise ValueError("student mobility is counted in months: use months, not days")
        if not student and self.months is not None:
            raise ValueError("staff mobility is counted in days: use days, not months")
        if not student and self.cycles:
            raise ValueError("study cycles apply to student mobility only")
        if not student and self.blended:
            raise ValueError("blended mobility is a student mobility option: remove blended from a staff row")
        return self


class LanguageSkill(Model):
    receiving: Side
    subject: IscedCode | None = None  # None: all subject areas
    main_language: LangCode
    additional_language: LangCode | None = None
    levels: dict[MobilityType, Cefr]


class Deadlines(Model):
    receiving: Side
    autumn: MonthDay
    spring: MonthDay


class Calendar(Model):
    nominations: list[Deadlines] = []
    decision_weeks: int = Field(ge=1, le=52)
    transcript_weeks: int = Field(ge=1, le=52)


ScopeTopic = Literal[
    "joint-research", "staff-exchange", "student-exchange", "conferences", "publications",
    "library-exchange", "teaching-materials", "syllabus-exchange", "research-programmes",
    "yearly-programmes", "intellectual-property", "other",
]


class ScopeClause(Model):
    """A structured item of a bilateral or general agreement's scope of cooperation."""

    topic: ScopeTopic
    area: Literal["research", "teaching", "general"] = "general"
    text: LocalText = {}  # empty: the catalog's standard wording for the topic

    @model_validator(mode="after")
    def _other_needs_text(self) -> ScopeClause:
        if self.topic == "other" and not self.text:
            raise ValueError("a clause with topic 'other' needs its text")
        return self


class Notice(Model):
    months: int | None = Field(default=None, ge=1)
    academic_years: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _one(self) -> Notice:
        if (self.months is None) == (self.academic_years is None):
            raise ValueError("give the notice period as months or as academic_years (one of them)")
        return self


class Terms(Model):
    """What the parties agree to; hashed and diffed apart from contacts and layout."""

    action: Literal["KA131", "KA171", "KA107"] | None = None
    first_year: AcademicYear
    last_year: AcademicYear | None = None  # None: concluded for an indefinite period
    mobilities: list[CooperationCondition] = []
    language_skills: list[LanguageSkill] = []
    calendar: Calendar | None = None
    additional_requirements: list[LocalText] = []
    scope: list[ScopeClause] = []
    notice: Notice | None = None

    @model_validator(mode="after")
    def _years(self) -> Terms:
        if self.last_year is not None and self.last_year < self.first_year:
            raise ValueError(f"last_year {self.last_year} is before first_year {self.first_year}")
        return self


Status = Literal["draft", "sent", "signed", "in-effect", "terminated"]


def _terms_hash(v: str) -> str:
    if not re.fullmatch(r"[0-9a-f]{12,64}", v):
        raise ValueError(f"{v!r} is not a terms hash: the SHA-256 that `docgen terms` prints (64 hex digits), "
                         "or its first 12 or more hex digits as printed in a document's footer")
    return v


TermsHash = Annotated[str, AfterValidator(_terms_hash)]


class StatusEvent(Model):
    status: Status
    date: dt.date
    by: Side | None = None  # who signed / sent / terminated
    signatory: Name | None = None
    function: LocalText = {}  # the signatory's function then (a former rector, a vice-rector, ...)
    notice_date: dt.date | None = None  # terminated: when notice was given
    terms_hash: TermsHash | None = None  # signed: the hash of the terms that were signed (docgen sign)

    @model_validator(mode="after")
    def _signed_by(self) -> StatusEvent:
        if self.status == "signed" and self.by is None:
            raise ValueError("a 'signed' event names the side that signed: by: home or by: partner")
        return self


class Agreement(Model):
    id: Id
    kind: AgreementKind
    languages: list[DocLang] = Field(min_length=1, max_length=2)
    place: LocalText = {}  # where it is signed, e.g. "Khmelnytskyi – Bydgoszcz"
    terms: Terms
    status: list[StatusEvent] = []
    partner_iia_id: AsciiId | None = None  # the partner's own id of this agreement in EWP, once known

    @model_validator(mode="after")
    def _kind_rules(self) -> Agreement:
        if len(set(self.languages)) != len(self.languages):
            raise ValueError("languages lists a language twice")
        if self.kind == "erasmus-iia":
            if self.terms.action is None:
                raise ValueError("an Erasmus+ agreement names its action (terms.action: KA131, KA171 or KA107)")
            if not self.terms.mobilities:
                raise ValueError("an Erasmus+ agreement lists its mobilities (terms.mobilities)")
        elif self.terms.mobilities:
            raise ValueError(f"mobility numbers belong to an Erasmus+ agreement, not to a {self.kind} agreement")
        if self.kind in ("bilateral-cooperation", "general-cooperation"):
            if not self.terms.scope:
                raise ValueError(f"a {self.kind} agreement states its scope (terms.scope)")
            if self.terms.notice is None:
                raise ValueError(f"a {self.kind} agreement states its notice period (terms.notice)")
        return self

    def signed_by(self, side: str) -> StatusEvent | None:
        return next((e for e in self.status if e.status == "signed" and e.by == side), None)

    @property
    def terminated(self) -> StatusEvent | None:
        return next((e for e in self.status if e.status == "terminated"), None)

    @property
    def latest_date(self) -> dt.date | None:
        return max((e.date for e in self.status), default=None)


class Partner(Model):
    """A partner file: the institution and its agreements with us."""

    institution: Institution
    agreements: list[Agreement] = []


# ---------------------------------------------------------------- mobilities


class Participant(Model):
    first_name: Name
    last_name: Name
    email: Email
    birth_date: dt.date
    nationality: Country
    sex: Literal["F", "M", "X"] | None = None
    category: Literal["student", "staff"]
    seniority: Literal["junior", "intermediate", "senior"] | None = None  # staff: < 10, 10–20, > 20 years
    position: LocalText = {}  # staff: function at the sending institution
    faculty: LocalText = {}
    field_of_study: LocalText = {}  # students
    student_number: Text | None = None  # students: the sending institution's student ID


class Period(Model):
    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _order(self) -> Period:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self

    @property
    def days(self) -> int:
        """Calendar days, both ends included."""
        return (self.end - self.start).days + 1


class Programme(Model):
    """Staff mobility programme, as in the mobility agreement form."""

    objectives: list[Text] = Field(min_length=1)
    added_value: list[Text] = Field(min_length=1)
    activities: list[Text] = Field(min_length=1)
    outcomes: list[Text] = Field(min_length=1)


class Component(Model):
    """A course unit of a learning agreement."""

    code: Text
    title: Text
    ects: Amount
    term: Literal["autumn", "spring", "year"] | None = None


class LanguageLevel(Model):
    language: LangCode
    level: Cefr


class Person(Model):
    """A named person at an organisation, as a form's box asks for them."""

    name: Text
    position: LocalText = {}
    email: Email
    phone: Phone | None = None


InsuranceBy = Literal["sending", "receiving", "participant"]


class Insurance(Model):
    """Who covers the trainee, as the traineeship form states it."""

    health: InsuranceBy = "participant"  # European Health Insurance Card or private
    accident: InsuranceBy
    liability: InsuranceBy


class Traineeship(Model):
    """The work programme of a student traineeship (the traineeship form's Table A and commitments)."""

    title: Text
    hours_per_week: Amount = Field(gt=0, le=48)
    tasks: list[Text] = Field(min_length=1)
    skills: list[Text] = Field(min_length=1)  # knowledge, skills and competences to be acquired
    monitoring: list[Text] = Field(min_length=1)
    evaluation: list[Text] = Field(min_length=1)
    mentor: Person  # guides the trainee day to day at the receiving organisation
    supervisor: Person  # signs for the receiving organisation and the traineeship certificate
    insurance: Insurance
    certificate_weeks: int = Field(default=5, ge=1, le=52)  # certificate issued within this many weeks


class Funding(Model):
    call: Id  # id of a file in data/rates/
    zero_grant: bool = False
    fewer_opportunities: bool = False  # KA131 top-up
    social_top_up: bool = False  # students with a social scholarship (the seeds' +200 EUR rule)
    distance_km: int | None = Field(default=None, ge=0)  # the official distance calculator's figure
    extension_funded: bool = False  # a longer actual stay may raise the grant
    short_term: bool = False  # student short-term mobility (5–30 days)


class Mobility(Model):
    id: Id
    participant: Participant
    type: MobilityType
    direction: Direction
    partner: Id
    agreement: Id
    subject: IscedCode
    cycle: EqfLevel | None = None
    academic_year: AcademicYear
    planned: Period
    actual: Period | None = None
    travel_days: int = Field(default=0, ge=0, le=6)
    green_travel: bool = False
    teaching_hours: int | None = Field(default=None, ge=0)
    programme: Programme | None = None
    traineeship: Traineeship | None = None  # student-traineeship: the work programme
    receiving_faculty: LocalText = {}  # faculty or department that receives the participant
    receiving_contact: Person | None = None  # the contact person there (else the institution's)
    course_catalogue: Url | None = None  # the receiving institution's course catalogue (students)
    language: LanguageLevel
    components_abroad: list[Component] = []
    components_home: list[Component] = []
    funding: Funding
    iban: Iban | None = None
    signed: dt.date | None = None  # date the documents are dated and signed

    @model_validator(mode="after")
    def _type_rules(self) -> Mobility:
        student = self.type in STUDENT_TYPES
        if student != (self.participant.category == "student"):
            raise ValueError(f"a {self.type} mobility needs a participant of category "
                             f"{'student' if student else 'staff'}")
        if self.type == "staff-teaching" and self.teaching_hours is None:
            raise ValueError("a staff-teaching mobility states teaching_hours")
        if self.type != "staff-teaching" and self.teaching_hours is not None:
            raise ValueError("teaching_hours belong to staff-teaching mobility only")
        if student and self.cycle is None:
            raise ValueError("a student mobility states the study cycle (cycle: EQF level 5–8)")
        if (self.type == "student-traineeship") != (self.traineeship is not None):
            raise ValueError("a student-traineeship mobility states its work programme (traineeship: title, "
                             "hours_per_week, tasks, skills, monitoring, evaluation, mentor, supervisor, insurance)"
                             if self.traineeship is None else "traineeship belongs to student-traineeship mobility only")
        if not student and self.programme is None:
            raise ValueError("a staff mobility states its programme (objectives, added_value, activities, outcomes)")
        return self

    @property
    def period(self) -> Period:
        """The period the money is settled on: actual when known, else planned."""
        return self.actual or self.planned


class MobilityFile(Model):
    mobilities: list[Mobility]


class InstitutionFile(Model):
    institution: Institution


class IscedField(Model):
    code: IscedCode
    name: LocalText


class IscedFile(Model):
    fields: list[IscedField]
