"""EWP IIAs API v7 export: the spec's published hashes, the response's structure, XSD validity, refusals."""
from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from docgen.review import ewp
from docgen.model.project import load_project

Run = Callable[..., Result]
Edit = Callable[..., str]

# The iia-hash values published in erasmus-without-paper/ewp-specs-api-iias, branch stable-v7 (tag v7.0.0).
ENDPOINTS_GET_RESPONSE_EXAMPLE_XML = "e950faa83a799cf45839e7915db88ed51575babe7845c1219dfde54ce30a61e4"
RESOURCES_XSLTKIT_GET_RESPONSE_V7_XML = "87b33170d7a6c6d894215641f39e7b7de36501265479e5ab3922f32d5b225033"

NS = ewp.NS
C = ewp.NS_CONTACT
UW, HIBO = "uw.edu.pl", "hibo.no"


def el(tag: str, *children: etree._Element | str, ns: str = NS, **attrs: str) -> etree._Element:
    """A namespaced element; string children become its text."""
    node = etree.Element(f"{{{ns}}}{tag}", {k.replace("_", "-"): v for k, v in attrs.items()})
    for child in children:
        if isinstance(child, str):
            node.text = child
        else:
            node.append(child)
    return node


def partner(hei: str, iia_id: str, code: str, signer: str) -> etree._Element:
    return el("partner", el("hei-id", hei), el("iia-id", iia_id), el("iia-code", code),
              el("signing-contact", el("contact-name", signer, ns=C), el("email", "email@example.com", ns=C)))


def main_part(sending: str, receiving: str, first: str, last: str, people: str, *, ounit: str | None = "140",
              ounit_side: str = "sending") -> list[etree._Element]:
    ounit_el = [el(f"{ounit_side}-ounit-id", ounit)] if ounit else []
    return [el("sending-hei-id", sending), *(ounit_el if ounit_side == "sending" else []),
            el("receiving-hei-id", receiving), *(ounit_el if ounit_side == "receiving" else []),
            el("receiving-first-academic-year-id", first), el("receiving-last-academic-year-id", last),
            el("mobilities-per-year", people)]


def skill(lang: str, level: str, **attrs: str) -> etree._Element:
    return el("recommended-language-skill", el("language", lang), el("cefr-level", level), **attrs)


def area(code: str, clarification: str | None = None, **attrs: str) -> etree._Element:
    parts = [el("isced-f-code", code, **attrs)]
    if clarification is not None:
        parts.append(el("isced-clarification", clarification))
    return el("subject-area", *parts)


def endpoint_example() -> etree._Element:
    """The agreement of the spec's endpoints/get-response-example.xml, written out here element by element."""
    return el(
        "iia",
        partner(UW, "0f7a5682-faf7-49a7-9cc7-ec486c49a281", "983/E+/III14&15", "Sylwia Nowak"),
        partner(HIBO, "1954991", "2014/E+/PL/4104B", "Monica Turner"),
        el("in-effect", "true"),
        el("cooperation-conditions",
           el("student-studies-mobility-spec",
              *main_part(UW, HIBO, "2014/2015", "2020/2021", "2"), skill("en", "B1"), skill("no", "B1"),
              area("0314"), el("total-months-per-year", "5"), el("blended", "false"),
              el("eqf-level", "7"), el("eqf-level", "8")),
           el("student-traineeship-mobility-spec",
              *main_part(UW, HIBO, "2014/2015", "2020/2021", "10"), skill("no", "B1"), area("0314"),
              el("total-months-per-year", "10"), el("blended", "false")),
           el("staff-teacher-mobility-spec",
              *main_part(UW, HIBO, "2016/2017", "2017/2018", "2"), skill("en", "C1"), area("0314"),
              el("total-days-per-year", "8")),
           el("staff-teacher-mobility-spec",
              *main_part(HIBO, UW, "2016/2017", "2017/2018", "2", ounit_side="receiving"), skill("en", "C1"),
              area("0314"), el("total-days-per-year", "14")),
           el("staff-training-mobility-spec",
              *main_part(HIBO, UW, "2016/2017", "2017/2018", "2", ounit_side="receiving"), skill("en", "B2"),
              area("0314"), el("total-days-per-year", "14"))),
    )


def xsltkit_example(contact_name: str = "XYZ") -> etree._Element:
    """The agreement of the spec's resources/xsltKit/get-response-v7.xml: a v6 agreement carried into v7
    (a not-yet-defined number and language skill, a 3-digit v6-value under the 4-digit code), written out here."""
    return el(
        "iia",
        partner(UW, "0f7a5682-faf7-49a7-9cc7-ec486c49a281", "983/E+/III14&15", "Sylwia Nowak"),
        partner(HIBO, "1954991", "2014/E+/PL/4104B", "Monica Turner"),
        el("in-effect", "true"),
        el("cooperation-conditions",
           el("student-studies-mobility-spec",
              el("sending-hei-id", UW), el("sending-ounit-id", "140"),
              el("sending-contact", el("contact-name", contact_name, ns=C)),
              el("receiving-hei-id", HIBO),
              el("receiving-first-academic-year-id", "2014/2015"),
              el("receiving-last-academic-year-id", "2020/2021"),
              el("mobilities-per-year", "2", not_yet_defined="true"),
              skill("en", "B1", not_yet_defined="true"),
              area("0314", "Social and behavioural sciences", v6_value="031"),
              el("total-months-per-year", "5"), el("blended", "false"),
              el("eqf-level", "7"), el("eqf-level", "8")),
           el("staff-teacher-mobility-spec",
              *main_part(UW, HIBO, "2016/2017", "2017/2018", "2"), skill("en", "C1"), area("0314"),
              el("total-days-per-year", "8"))),
    )


# ------------------------------------------------------------------ iia-hash, from the spec's examples


def test_hash_of_the_spec_endpoint_example() -> None:
    assert ewp.iia_hash(endpoint_example()) == ENDPOINTS_GET_RESPONSE_EXAMPLE_XML


def test_hash_of_the_spec_xslt_kit_example() -> None:
    assert ewp.iia_hash(xsltkit_example()) == RESOURCES_XSLTKIT_GET_RESPONSE_V7_XML


def test_text_to_hash_reads_v6_values_and_leaves_out_contacts_years_and_undefined_values() -> None:
    text = ewp.text_to_hash(xsltkit_example())
    spec = "cooperation-conditions.student-studies-mobility-spec"
    assert text.startswith("_iia-id_1=0f7a5682-faf7-49a7-9cc7-ec486c49a281__iia-id_2=1954991_"
                           f"_{spec}.sending-hei-id=uw.edu.pl__{spec}.sending-ounit-id=140_"
                           f"_{spec}.receiving-hei-id=hibo.no_"
                           "_student-studies-mobility-spec.subject-area.isced-f-code=031_"
                           "_student-studies-mobility-spec.subject-area.isced-clarification="
                           "Social and behavioural sciences_")
    assert "XYZ" not in text and "mobilities-per-year=2__student" not in text and "language=en__c" not in text
    assert ("_cooperation-conditions.student-studies-mobility-spec.eqf-level=8_"
            "_receiving-first-academic-year-id=2014/2015__receiving-last-academic-year-id=2020/2021_") in text
    assert text.endswith("_cooperation-conditions.staff-teacher-mobility-spec.total-days-per-year=8_"
                         "_receiving-first-academic-year-id=2016/2017__receiving-last-academic-year-id=2017/2018_")


def test_text_to_hash_marks_an_agreement_terminated_as_a_whole() -> None:
    iia = endpoint_example()
    iia.find(f"{{{NS}}}cooperation-conditions").set("terminated-as-a-whole", "true")
    assert ewp.text_to_hash(iia).startswith("_@terminated-as-a-whole@__iia-id_1=0f7a5682")
    assert ewp.iia_hash(iia) != ENDPOINTS_GET_RESPONSE_EXAMPLE_XML


def test_a_partner_without_iia_id_hashes_as_empty() -> None:
    iia = endpoint_example()
    second = iia.findall(f"{{{NS}}}partner")[1]
    second.remove(second.find(f"{{{NS}}}iia-id"))
    assert "_iia-id_1=0f7a5682-faf7-49a7-9cc7-ec486c49a281__iia-id_2=__cooperation-conditions." in \
        ewp.text_to_hash(iia)


@given(st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1))
def test_contacts_never_change_the_hash(name: str) -> None:
    assert ewp.iia_hash(xsltkit_example(name)) == RESOURCES_XSLTKIT_GET_RESPONSE_V7_XML


@given(st.integers(min_value=1, max_value=999).filter(lambda n: n != 2))
def test_the_number_of_mobilities_changes_the_hash(people: int) -> None:
    iia = endpoint_example()
    iia.find(f".//{{{NS}}}staff-teacher-mobility-spec/{{{NS}}}mobilities-per-year").text = str(people)
    assert ewp.iia_hash(iia) != ENDPOINTS_GET_RESPONSE_EXAMPLE_XML


# ------------------------------------------------------------------ export of a sample agreement

# The schema's element order (get-response.xsd, stable-v7): iia, a student and a staff spec.
IIA_ORDER = ["partner", "partner", "in-effect", "cooperation-conditions", "iia-hash"]
STUDENT_ORDER = ["sending-hei-id", "receiving-hei-id", "receiving-first-academic-year-id",
                 "receiving-last-academic-year-id", "mobilities-per-year", "recommended-language-skill",
                 "subject-area", "total-months-per-year", "blended", "eqf-level"]
STAFF_ORDER = ["sending-hei-id", "receiving-hei-id", "receiving-first-academic-year-id",
               "receiving-last-academic-year-id", "mobilities-per-year", "recommended-language-skill",
               "subject-area", "total-days-per-year"]
PARTNER_ORDER = ["hei-id", "iia-id", "iia-code", "signing-contact", "signing-date", "contact"]


def names(node: etree._Element) -> list[str]:
    return [etree.QName(c).localname for c in node]


def in_order(seen: list[str], order: list[str]) -> bool:
    """Every name is in `order`, in that order (repeats and gaps allowed)."""
    positions = [order.index(n) for n in seen]
    return positions == sorted(positions)


def exported(root: Path, agreement_id: str) -> etree._Element:
    xml, digest = ewp.export(_checked(root), agreement_id)
    doc = etree.fromstring(xml)
    assert doc.findtext(f"{{{NS}}}iia/{{{NS}}}iia-hash") == digest
    return doc


def _checked(root: Path):  # noqa: ANN202
    from docgen.model import checks

    project = load_project(root / "data")
    checks.run(project)
    return project


def text(node: etree._Element, path: str) -> list[str]:
    return [n.text for n in node.iterfind(path, {"e": NS, "c": C})]


def test_sample_agreement_exports_in_the_schema_structure(project_copy: Path) -> None:
    doc = exported(project_copy, "tud-iia-2021")
    assert doc.tag == f"{{{NS}}}iias-get-response"
    iia = doc.find("e:iia", {"e": NS})
    assert names(iia) == IIA_ORDER
    home, partner_ = iia.findall("e:partner", {"e": NS})
    assert names(home) == PARTNER_ORDER and names(partner_) == ["hei-id", "signing-contact", "signing-date",
                                                                 "contact"]
    assert text(home, "e:hei-id") == ["utp.example.org"] and text(home, "e:iia-id") == ["tud-iia-2021"]
    assert text(partner_, "e:hei-id") == ["tud.example.org"]
    assert text(partner_, "e:signing-contact/c:contact-name") == ["Jörg Weißenfels"]
    assert text(partner_, "e:signing-date") == ["2022-01-11"]
    assert text(iia, "e:in-effect") == ["true"]
    specs = iia.find("e:cooperation-conditions", {"e": NS})
    # Two of each type (outgoing, then incoming as in the data), grouped in the schema's type order.
    assert names(specs) == [name for name in ewp.SPEC_ELEMENTS.values() for _ in (1, 2)]
    for spec in specs:
        order = STUDENT_ORDER if "student" in etree.QName(spec).localname else STAFF_ORDER
        assert in_order(names(spec), order), names(spec)
    out_studies, in_studies, *_ = specs
    assert [text(out_studies, f"e:{n}") for n in STUDENT_ORDER if n not in ("recommended-language-skill",
                                                                           "subject-area")] == [
        ["utp.example.org"], ["tud.example.org"], ["2021/2022"], ["2027/2028"], ["2"], ["10"], ["false"],
        ["6", "7"]]
    assert text(out_studies, "e:recommended-language-skill/e:language") == ["de", "en"]
    assert text(out_studies, "e:recommended-language-skill/e:cefr-level") == ["B2", "B2"]
    assert text(out_studies, "e:subject-area/e:isced-f-code") == ["0732"]
    assert text(in_studies, "e:sending-hei-id") == ["tud.example.org"]
    assert text(in_studies, "e:recommended-language-skill/e:language") == ["pl", "en"]
    assert text(in_studies, "e:recommended-language-skill/e:cefr-level") == ["B1", "B1"]
    in_training = specs[7]
    assert text(in_training, "e:total-days-per-year") == ["5"]
    assert in_training.find("e:recommended-language-skill", {"e": NS}) is None  # no training level agreed
    assert re.fullmatch("[0-9a-f]{64}", iia.findtext("e:iia-hash", namespaces={"e": NS}))
    assert iia.findtext("e:iia-hash", namespaces={"e": NS}) == ewp.iia_hash(iia)


def test_clarification_blended_and_partner_id_reach_the_hash(project_copy: Path, edit_file: Edit) -> None:
    tud = project_copy / "data" / "partners" / "tud.yaml"
    before = exported(project_copy, "tud-iia-2021").findtext(f".//{{{NS}}}iia-hash")
    edit_file(tud, "subjects: [{code: '0732'}]\n          cycles: [6, 7]\n          people: 2\n          months: 10",
              "subjects: [{code: '0732', name: {en: Structural engineering}}]\n          cycles: [6, 7]\n"
              "          people: 2\n          months: 10\n          blended: true")
    edit_file(tud, "    status:\n      - status: signed\n        date: 2022-01-11",
              "    partner_iia_id: TUD-2021-PL-17\n    status:\n      - status: signed\n        date: 2022-01-11")
    iia = exported(project_copy, "tud-iia-2021").find(f"{{{NS}}}iia")
    first = iia.find(f".//{{{NS}}}student-studies-mobility-spec")
    assert text(first, "e:subject-area/e:isced-clarification") == ["Structural engineering"]
    assert text(first, "e:blended") == ["true"]
    assert text(iia, "e:partner[2]/e:iia-id") == ["TUD-2021-PL-17"]
    hashed = ewp.text_to_hash(iia)
    assert "_iia-id_2=TUD-2021-PL-17_" in hashed
    assert "_student-studies-mobility-spec.subject-area.isced-clarification=Structural engineering_" in hashed
    assert "_cooperation-conditions.student-studies-mobility-spec.blended=true_" in hashed
    assert iia.findtext(f"{{{NS}}}iia-hash") != before


def test_a_contact_change_keeps_the_hash(project_copy: Path, edit_file: Edit) -> None:
    before = exported(project_copy, "tud-iia-2021").findtext(f".//{{{NS}}}iia-hash")
    edit_file(project_copy / "data" / "partners" / "tud.yaml", "j.weissenfels@tud.example.org",
              "joerg.weissenfels@tud.example.org")
    assert exported(project_copy, "tud-iia-2021").findtext(f".//{{{NS}}}iia-hash") == before


# ------------------------------------------------------------------ validity against the published XSD

SPECS = os.environ.get("DOCGEN_EWP_SPECS")


@pytest.mark.skipif(not SPECS, reason="DOCGEN_EWP_SPECS is not set: point it at a folder holding checkouts of "
                                      "ewp-specs-api-iias (stable-v7), ewp-specs-architecture, -types-contact, "
                                      "-types-academic-term, -types-address, -types-phonenumber (stable-v1) "
                                      "and the W3C xml.xsd (see docgen.review.ewp.schema)")
@pytest.mark.parametrize("agreement_id", ["tud-iia-2021", "ege-iia-2021"])
def test_export_is_valid_against_the_v7_schema(project_copy: Path, agreement_id: str) -> None:
    schema = ewp.schema(Path(SPECS or ""))
    doc = exported(project_copy, agreement_id)
    assert schema.validate(doc), schema.error_log
    doc.find(f".//{{{NS}}}isced-f-code").text = "073"  # the schema does bite
    assert not schema.validate(doc)


# ------------------------------------------------------------------ refusals and the command


def no_traceback(result: Result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output


def line_col(path: Path, needle: str, *after: str) -> str:
    body = path.read_text(encoding="utf-8")
    start = 0
    for marker in after:
        start = body.index(marker, start) + len(marker)
    i = body.index(needle, start)
    return f"{body.count(chr(10), 0, i) + 1}:{i - (body.rfind(chr(10), 0, i) + 1) + 1}"


def test_command_writes_the_file_and_prints_the_hash(project_copy: Path, run_cli: Run) -> None:
    out = project_copy / "ewp" / "tud.xml"
    result = run_cli("export-ewp", "tud-iia-2021", "--data", project_copy / "data", "--out", out)
    no_traceback(result)
    assert result.exit_code == 0
    digest = etree.parse(str(out)).findtext(f".//{{{NS}}}iia-hash")
    assert result.stdout == f"wrote {out} (iia-hash {digest})\n"
    to_stdout = run_cli("export-ewp", "tud-iia-2021", "--data", project_copy / "data")
    assert to_stdout.exit_code == 0 and to_stdout.stdout.encode() == out.read_bytes()


def test_ka107_agreement_is_not_exportable(project_copy: Path, run_cli: Run) -> None:
    khnu = project_copy / "data" / "partners" / "khnu.yaml"
    result = run_cli("export-ewp", "khnu-iia-2016", "--data", project_copy / "data")
    no_traceback(result)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == (
        "docgen: agreement 'khnu-iia-2016' cannot be exported to EWP IIA v7:\n"
        f"data/partners/khnu.yaml:{line_col(khnu, 'KA107', 'action: ')}: agreements[0].terms.action: KA107 (partner-country "
        "mobility of the 2014–2020 programme) agreements are not exchanged through the EWP IIAs API v7\n")


QUOTED_071 = "'071'"


def refused(run_cli: Run, project_copy: Path, agreement_id: str) -> str:
    """What `docgen export-ewp` says on refusing an agreement (exit 1, no traceback)."""
    result = run_cli("export-ewp", agreement_id, "--data", project_copy / "data")
    no_traceback(result)
    assert result.exit_code == 1
    return result.stderr


def test_three_digit_code_is_not_exportable(project_copy: Path, run_cli: Run, edit_file: Edit) -> None:
    tud = project_copy / "data" / "partners" / "tud.yaml"
    edit_file(tud, "subjects: [{code: '0715'}]", "subjects: [{code: '071'}]")
    assert refused(run_cli, project_copy, "tud-iia-2021") == (
        "docgen: agreement 'tud-iia-2021' cannot be exported to EWP IIA v7:\n"
        f"data/partners/tud.yaml:{line_col(tud, QUOTED_071)}: agreements[0].terms.mobilities[1].subjects[0].code: "
        "EWP IIA v7 takes 4-digit ISCED-F codes only: '071' is a broad or narrow field; name the detailed "
        "field (4 digits) within it\n")


def test_missing_schac_and_unknown_agreement(project_copy: Path, run_cli: Run, edit_file: Edit) -> None:
    tud = project_copy / "data" / "partners" / "tud.yaml"
    edit_file(tud, "  schac: tud.example.org\n", "")
    assert refused(run_cli, project_copy, "tud-iia-2021") == (
        "docgen: agreement 'tud-iia-2021' cannot be exported to EWP IIA v7:\n"
        f"data/partners/tud.yaml:{line_col(tud, 'institution:')}: institution.schac: tud has no schac: give its "
        "SCHAC code, its EWP hei-id (e.g. schac: ege.edu.tr)\n")
    unknown = run_cli("export-ewp", "tud-iia-1999", "--data", project_copy / "data")
    assert unknown.exit_code == 2 and unknown.stderr == "docgen: no agreement with id 'tud-iia-1999'\n"


def test_other_kinds_are_not_exportable(project_copy: Path, run_cli: Run) -> None:
    result = run_cli("export-ewp", "ege-general-2022", "--data", project_copy / "data")
    no_traceback(result)
    assert result.exit_code == 1
    assert "agreements[1].kind: a general-cooperation agreement is not an Erasmus+ inter-institutional " \
           "agreement: EWP exchanges only those" in result.stderr


def test_blended_is_for_student_rows_only(project_copy: Path, run_cli: Run, edit_file: Edit) -> None:
    tud = project_copy / "data" / "partners" / "tud.yaml"
    edit_file(tud, "subjects: [{code: '0413'}]\n          people: 1\n          days: 5",
              "subjects: [{code: '0413'}]\n          people: 1\n          days: 5\n          blended: true")
    result = run_cli("check", "--data", project_copy / "data")
    assert result.exit_code == 1
    assert "agreements[0].terms.mobilities[3]: blended mobility is a student mobility option: remove blended " \
           "from a staff row" in result.stdout
