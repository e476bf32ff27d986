"""EWP Interinstitutional Agreements API v7: an agreement as a `get` response, its `iia-hash`, XSD validation."""
from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

from lxml import etree

from docgen.model import checks
from docgen.errors import ExportError, Problem, UsageError
from docgen.model.loader import Loc, in_scope
from docgen.model.models import ASCII_ID, STUDENT_TYPES, Agreement, CooperationCondition, Institution, IscedField, Subject
from docgen.model.project import Project, Where

NS = "https://github.com/erasmus-without-paper/ewp-specs-api-iias/blob/stable-v7/endpoints/get-response.xsd"
NS_CONTACT = "https://github.com/erasmus-without-paper/ewp-specs-types-contact/tree/stable-v1"
SCHEMA_URL = ("https://raw.githubusercontent.com/erasmus-without-paper/ewp-specs-api-iias/stable-v7/"
              "endpoints/get-response.xsd")
XSI = "http://www.w3.org/2001/XMLSchema-instance"

# The schema's cooperation-conditions sequence: every spec of one type before the next type's.
SPEC_ELEMENTS = {
    "student-studies": "student-studies-mobility-spec",
    "student-traineeship": "student-traineeship-mobility-spec",
    "staff-teaching": "staff-teacher-mobility-spec",
    "staff-training": "staff-training-mobility-spec",
}


# ---------------------------------------------------------------- iia-hash (transform_version_7.xsl)

_CONTACTS = ("sending-contact", "receiving-contact")
_YEARS = ("receiving-first-academic-year-id", "receiving-last-academic-year-id")
_UNHASHED_ATTRIBUTES = ("not-yet-defined", "v6-value")


def _name(node: etree._Element | None) -> str:
    """XPath local-name(): '' for no node."""
    return "" if node is None else etree.QName(node).localname


def _children(node: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in node.iterchildren(etree.Element) if _name(c) == name]


def _value(node: etree._Element | None) -> str:
    """XPath string value (text of the node and its descendants, comments left out); '' for no node."""
    return "" if node is None else str(node.xpath("string()"))


def _flagged(node: etree._Element) -> bool:
    return node.get("not-yet-defined") in ("true", "1")


def text_to_hash(iia: etree._Element) -> str:
    """The `text-to-hash` form of one `iia` element, as transform_version_7.xsl of the IIAs API v7 makes it.

    `_@terminated-as-a-whole@_` when set; `_iia-id_N=…_` for each partner in order; then, for each
    mobility spec, every leaf element below it as `_grandparent.parent.name=value_` in document order
    (each element's attributes first, as `_@…attribute=value@_`), leaving out the sending and receiving
    contacts, the academic years and whatever is (or lies inside) an element flagged not-yet-defined,
    an isced-f-code reading its v6-value when it has one; the spec ends with its first and last
    receiving academic year. The stylesheet reads the terminated flag document-wide (`//`); for the
    one-agreement responses docgen writes that is this agreement's own flag.
    """
    out: list[str] = []
    conditions = next(iter(_children(iia, "cooperation-conditions")), None)
    if conditions is not None and conditions.get("terminated-as-a-whole") in ("true", "1"):
        out.append("_@terminated-as-a-whole@_")
    for position, partner in enumerate(_children(iia, "partner"), start=1):
        out.append(f"_iia-id_{position}={_value(next(iter(_children(partner, 'iia-id')), None))}_")
    specs = [] if conditions is None else list(conditions.iterchildren(etree.Element))
    for spec in specs:
        for node in spec.iterdescendants(etree.Element):
            ancestors = list(node.iterancestors())
            if (any(_name(a) in _CONTACTS for a in ancestors) or _name(node) in _YEARS
                    or any(_flagged(n) for n in (node, *ancestors))):
                continue
            parent = node.getparent()
            grandparent = parent.getparent() if parent is not None else None
            for key, value in node.attrib.items():
                if key not in _UNHASHED_ATTRIBUTES:
                    out.append(f"_@{_name(grandparent)}.{_name(parent)}.{_name(node)}."
                               f"{etree.QName(key).localname}={value}@_")
            if next(node.iterchildren(etree.Element), None) is None:
                value = _value(node)
                if _name(node) == "isced-f-code" and node.get("v6-value"):
                    value = node.get("v6-value", "")
                out.append(f"_{_name(grandparent)}.{_name(parent)}.{_name(node)}={value}_")
        for year in _YEARS:
            out.append(f"_{year}={_value(next(iter(_children(spec, year)), None))}_")
    return "".join(out)


def iia_hash(iia: etree._Element) -> str:
    """SHA-256 (lower-case hex) of the agreement's text-to-hash, UTF-8 encoded."""
    return hashlib.sha256(text_to_hash(iia).encode("utf-8")).hexdigest()


# ---------------------------------------------------------------- agreement → get response


def _el(parent: etree._Element, name: str, text: str | None = None, ns: str = NS) -> etree._Element:
    node = etree.SubElement(parent, f"{{{ns}}}{name}")
    if text is not None:
        node.text = text
    return node


def _number(value: Decimal | int) -> str:
    """10 → '10', Decimal('3.50') → '3.5': the plain decimal form, no exponent."""
    return format(Decimal(value).normalize(), "f")


def _clarification(subject: Subject, agreement: Agreement, isced: dict[str, IscedField]) -> str | None:
    """The subject's own name, when the agreement gives one: the v7 clarification may not repeat the official name."""
    if not subject.name:
        return None
    lang = next((lang for lang in ("en", *agreement.languages) if lang in subject.name), next(iter(subject.name)))
    text = subject.name[lang]
    official = isced.get(subject.code)
    if official is not None and official.name.get(lang) == text:
        return None
    return text


def _subject_area(parent: etree._Element, code: str, clarification: str | None) -> None:
    area = _el(parent, "subject-area")
    _el(area, "isced-f-code", code)
    if clarification is not None:
        _el(area, "isced-clarification", clarification)


def _partner(iia: etree._Element, inst: Institution, iia_id: str | None, agreement: Agreement,
             side: str) -> None:
    node = _el(iia, "partner")
    _el(node, "hei-id", inst.schac)
    if iia_id is not None:
        _el(node, "iia-id", iia_id)
    if side == "home":
        _el(node, "iia-code", agreement.id)
    signed = agreement.signed_by(side)
    if signed is not None and signed.signatory:
        contact = _el(node, "signing-contact")
        _el(contact, "contact-name", signed.signatory, NS_CONTACT)
        email = next((c.email for c in inst.contacts if c.name == signed.signatory), None)
        if email:
            _el(contact, "email", email, NS_CONTACT)
    if signed is not None:
        _el(node, "signing-date", signed.date.isoformat())
    coordinator = inst.contact("institutional-coordinator")
    if coordinator is not None:
        contact = _el(node, "contact", ns=NS_CONTACT)
        _el(contact, "contact-name", coordinator.name, NS_CONTACT)
        _el(contact, "email", coordinator.email, NS_CONTACT)


def _spec(parent: etree._Element, row: CooperationCondition, agreement: Agreement, home: Institution,
          partner: Institution, isced: dict[str, IscedField]) -> None:
    terms = agreement.terms
    sending, receiving = (home, partner) if row.direction == "outgoing" else (partner, home)
    spec = _el(parent, SPEC_ELEMENTS[row.type])
    _el(spec, "sending-hei-id", sending.schac)
    _el(spec, "receiving-hei-id", receiving.schac)
    _el(spec, "receiving-first-academic-year-id", terms.first_year)
    _el(spec, "receiving-last-academic-year-id", terms.last_year)
    _el(spec, "mobilities-per-year", str(row.people))
    for skill in checks.row_language_skills(terms, row):
        for language in filter(None, (skill.main_language, skill.additional_language)):
            node = _el(spec, "recommended-language-skill")
            _el(node, "language", language)
            _el(node, "cefr-level", skill.levels[row.type])
            if skill.subject is not None:
                _subject_area(node, skill.subject, None)
    for subject in row.subjects:
        _subject_area(spec, subject.code, _clarification(subject, agreement, isced))
    if row.type in STUDENT_TYPES:
        if row.months is not None:
            _el(spec, "total-months-per-year", _number(row.months))
        _el(spec, "blended", "true" if row.blended else "false")
        for level in row.cycles:
            _el(spec, "eqf-level", str(level))
    elif row.days is not None:
        _el(spec, "total-days-per-year", _number(row.days))


def get_response(agreement: Agreement, home: Institution, partner: Institution,
                 isced: dict[str, IscedField]) -> etree._Element:
    """The IIAs API v7 `get` response holding this one agreement, its iia-hash included.

    Call only for an agreement `refusals()` has nothing against: the home institution is the first
    partner (the local HEI), its iia-id the agreement id; rows keep their data order within each type."""
    root = etree.Element(f"{{{NS}}}iias-get-response", nsmap={None: NS, "c": NS_CONTACT, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{NS} {SCHEMA_URL}")
    iia = _el(root, "iia")
    _partner(iia, home, agreement.id, agreement, "home")
    _partner(iia, partner, agreement.partner_iia_id, agreement, "partner")
    signed = all(agreement.signed_by(side) is not None for side in ("home", "partner"))
    _el(iia, "in-effect", "true" if signed else "false")
    conditions = _el(iia, "cooperation-conditions")
    for mobility_type in SPEC_ELEMENTS:
        for row in agreement.terms.mobilities:
            if row.type == mobility_type:
                _spec(conditions, row, agreement, home, partner, isced)
    _el(iia, "iia-hash", iia_hash(iia))
    return root


def refusals(agreement: Agreement, home: Institution, partner: Institution) -> list[tuple[str, Loc, str]]:
    """Why the agreement cannot be written as a valid v7 response: (whose record, path, message).

    Whose record is 'agreement', 'home' or 'partner' (the institution files)."""
    if agreement.kind != "erasmus-iia":
        return [("agreement", ("kind",), f"a {agreement.kind} agreement is not an Erasmus+ inter-institutional "
                                         "agreement: EWP exchanges only those")]
    if agreement.terms.action == "KA107":
        return [("agreement", ("terms", "action"),
                 "KA107 (partner-country mobility of the 2014–2020 programme) agreements are not "
                 "exchanged through the EWP IIAs API v7")]
    found: list[tuple[str, Loc, str]] = [("agreement", loc, message)
                                         for loc, message in checks.ewp_preflight(agreement)]
    if not ASCII_ID.fullmatch(agreement.id):
        found.append(("agreement", ("id",), f"the agreement id {agreement.id!r} is its EWP iia-id: 1 to 64 "
                                            "printable ASCII characters, no spaces"))
    for r, row in enumerate(agreement.terms.mobilities):
        if row.months is not None and (row.months <= 0 or row.months != row.months.quantize(Decimal("0.01"))):
            found.append(("agreement", ("terms", "mobilities", r, "months"),
                          f"EWP IIA v7 takes total months above 0 with at most 2 decimals, not {row.months}"))
    for side, inst in (("home", home), ("partner", partner)):
        if inst.schac is None:
            found.append((side, ("schac",), f"{inst.id} has no schac: give its SCHAC code, its EWP hei-id "
                                             "(e.g. schac: ege.edu.tr)"))
    return found


def export(project: Project, agreement_id: str) -> tuple[bytes, str]:
    """The agreement's v7 get response as UTF-8 XML, and its iia-hash; ExportError with located reasons."""
    record = next((r for r in project.partners.values() if agreement_id in r.agreements), None)
    if record is None:
        if agreement_id in project.failed:
            raise ExportError(agreement_id, reason="it has data errors (run docgen check)")
        raise UsageError(f"no agreement with id {agreement_id!r}")
    agreement, where = record.agreements[agreement_id]
    if agreement_id in project.failed or project.home is None or project.home_where is None:
        own = [p for p in project.errors if p.file == where.source.file and in_scope(p, where.loc)]
        raise ExportError(agreement_id, own, "it has data errors (run docgen check)")
    wheres: dict[str, Where] = {"agreement": where, "home": project.home_where, "partner": record.where}
    problems: list[Problem] = [wheres[whose].problem(loc, message, key=whose != "agreement")
                               for whose, loc, message in refusals(agreement, project.home, record.institution)]
    if problems:
        raise ExportError(agreement_id, sorted(problems))
    root = get_response(agreement, project.home, record.institution, project.isced)
    digest = root.findtext(f"{{{NS}}}iia/{{{NS}}}iia-hash") or ""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True), digest


# ---------------------------------------------------------------- validation against the published XSD


class _SpecsResolver(etree.Resolver):
    """Reads the schemas' imports from a local folder instead of the network.

    `https://raw.githubusercontent.com/erasmus-without-paper/<repo>/<branch>/<path>` is read from
    `<specs>/<repo>/<path>` (a checkout of that repository at that branch), the W3C
    `http://www.w3.org/2001/03/xml.xsd` from `<specs>/xml.xsd`."""

    def __init__(self, specs: Path) -> None:
        super().__init__()
        self.specs = specs

    def resolve(self, url: str, pubid: str | None, context: object) -> object:
        prefix = "https://raw.githubusercontent.com/erasmus-without-paper/"
        if url.startswith(prefix):
            repo, _branch, path = url[len(prefix):].split("/", 2)
            return self.resolve_filename(str(self.specs / repo / path), context)
        if url == "http://www.w3.org/2001/03/xml.xsd":
            return self.resolve_filename(str(self.specs / "xml.xsd"), context)
        return None


def schema(specs: Path) -> etree.XMLSchema:
    """The v7 get-response schema, read with every import from the local folder `specs` (see _SpecsResolver)."""
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_SpecsResolver(specs))
    xsd = etree.parse(str(specs / "ewp-specs-api-iias" / "endpoints" / "get-response.xsd"), parser)
    return etree.XMLSchema(xsd)
