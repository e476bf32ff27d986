"""Cross-record rules: a copy of the sample data with one thing changed gives exactly the located problem(s).

Positions are computed from the edited file's text, so the tests follow the sample data when it grows;
the expected wording and field paths are written out in full.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ruamel.yaml import YAML

from docgen.model import checks
from docgen.money import grants
from docgen.model.project import Project, load_project

M18 = "mobilities/2018-2019.yaml"
M24 = "mobilities/2024-2025.yaml"
KHNU = "partners/khnu.yaml"

Edit = Callable[..., str]


def run(root: Path) -> Project:
    project = load_project(root / "data")
    checks.run(project)
    return project


def found(root: Path) -> list[str]:
    return [str(p) for p in run(root).problems]


def at(root: Path, rel: str, needle: str, *after: str) -> str:
    """`data/<rel>:line:col` of the first `needle` that follows each of `after` in turn."""
    text = (root / "data" / rel).read_text(encoding="utf-8")
    start = 0
    for marker in after:
        start = text.index(marker, start) + len(marker)
    i = text.index(needle, start)
    line = text.count("\n", 0, i) + 1
    col = i - (text.rfind("\n", 0, i) + 1) + 1
    return f"data/{rel}:{line}:{col}"


def ids(root: Path, rel: str) -> list[str]:
    """The mobility ids of a file, in order (read with ruamel, not with docgen)."""
    data = YAML(typ="safe").load((root / "data" / rel).read_text(encoding="utf-8"))
    return [m["id"] for m in data["mobilities"]]


def record(mid: str) -> str:
    return f"  - id: {mid}\n"


def mobility_text(root: Path, rel: str, mid: str) -> str:
    """The text of one mobility record (up to the next record or the end of the file)."""
    text = (root / "data" / rel).read_text(encoding="utf-8")
    start = text.index(record(mid))
    end = text.find("\n  - id: ", start + 1)
    return text[start:] if end < 0 else text[start:end + 1]


def edit_record(edit_file: Edit, root: Path, rel: str, mid: str, old: str, new: str) -> None:
    """Replace `old` by `new` inside one mobility record only."""
    block = mobility_text(root, rel, mid)
    assert old in block, f"{old!r} not in {mid}"
    edit_file(root / "data" / rel, block, block.replace(old, new, 1))


# ------------------------------------------------------------------ the sample data


def test_sample_data_has_no_problems(project_copy: Path) -> None:
    project = run(project_copy)
    assert [str(p) for p in project.problems] == []
    assert project.failed == set()
    assert len(project.partners) == 3
    assert len(project.mobilities) == len(ids(project_copy, M18)) + len(ids(project_copy, M24))


# ------------------------------------------------------------------ ids and references


def test_duplicate_mobility_id(project_copy: Path, edit_file: Edit) -> None:
    first, second = ids(project_copy, M18)[1:3]
    i = ids(project_copy, M18).index(second)
    edit_file(project_copy / "data" / M18, record(second), record(first))
    first_line = at(project_copy, M18, record(first)).split(":")[1]
    second_id = at(project_copy, M18, first, record(first))  # the second record's id
    project = run(project_copy)
    assert [str(p) for p in project.problems] == [
        f"{second_id}: mobilities[{i}].id: mobility id {first!r} is used twice "
        f"(also at data/{M18}:{first_line})"]
    assert first in project.failed


def test_unknown_partner(project_copy: Path, edit_file: Edit) -> None:
    mid = "2018-khnu-out-studies-1"
    edit_record(edit_file, project_copy, M18, mid, "partner: khnu", "partner: knhu")
    i = ids(project_copy, M18).index(mid)
    assert found(project_copy) == [
        f"{at(project_copy, M18, 'knhu', record(mid))}: mobilities[{i}].partner: partner 'knhu' has no file in "
        "partners/: did you mean 'khnu'?"]


def test_partner_that_does_not_validate(project_copy: Path, edit_file: Edit) -> None:
    """The partner's error is reported once, at the partner; its mobilities' own errors still show."""
    edit_file(project_copy / "data" / KHNU, "email: housing@khnu.example.org", "email: housing(at)khnu.example.org")
    mid = "2018-khnu-out-studies-1"
    edit_record(edit_file, project_copy, M18, mid, "call: ka107-2016-pl", "call: ka107-2061-pl")
    project = run(project_copy)
    assert [str(p) for p in project.problems] == [
        f"{at(project_copy, M18, 'ka107-2061-pl', record(mid))}: mobilities[3].funding.call: no rates file "
        "data/rates/ka107-2061-pl.yaml: did you mean 'ka107-2016-pl'?",
        f"{at(project_copy, KHNU, 'housing(at)')}: institution.contacts[6].email: 'housing(at)khnu.example.org' "
        "is not an email address"]
    assert set(ids(project_copy, M18)) <= project.failed  # no document for the partner's mobilities


def test_wrong_iban_does_not_hide_a_wrong_agreement(project_copy: Path, edit_file: Edit) -> None:
    mid = "2024-tud-out-studies-1"
    edit_record(edit_file, project_copy, M24, mid, "iban: 'PL71249010440000000719283746'",
                "iban: 'PL71249010440000000719283747'")
    edit_record(edit_file, project_copy, M24, mid, "agreement: tud-iia-2021", "agreement: tud-iia-2012")
    problems = found(project_copy)
    assert [p.split(": ")[1] for p in problems] == ["mobilities[2].agreement", "mobilities[2].iban"]
    assert problems[0] == (f"{at(project_copy, M24, 'tud-iia-2012', record(mid))}: mobilities[2].agreement: agreement "
                           "'tud-iia-2012' does not exist among 'tud''s agreements: did you mean 'tud-iia-2021'?")


def test_agreements_of_a_broken_partner_are_validated_too(project_copy: Path, edit_file: Edit) -> None:
    edit_file(project_copy / "data" / KHNU, "email: housing@khnu.example.org", "email: housing(at)khnu.example.org")
    edit_file(project_copy / "data" / KHNU, "last_year: 2020/2021", "last_year: 2015/2016")
    fields = [p.split(": ")[1] for p in found(project_copy)]
    assert "institution.contacts[6].email" in fields and any(f.startswith("agreements[0]") for f in fields)


def test_agreement_of_another_partner(project_copy: Path, edit_file: Edit) -> None:
    mid = "2018-khnu-out-studies-1"
    edit_record(edit_file, project_copy, M18, mid, "agreement: khnu-iia-2016", "agreement: ege-iia-2021")
    i = ids(project_copy, M18).index(mid)
    assert found(project_copy) == [
        f"{at(project_copy, M18, 'ege-iia-2021', record(mid))}: mobilities[{i}].agreement: agreement "
        "'ege-iia-2021' is with 'ege', not with 'khnu'"]


def test_agreement_that_does_not_exist(project_copy: Path, edit_file: Edit) -> None:
    mid = "2024-tud-out-studies-1"
    edit_record(edit_file, project_copy, M24, mid, "agreement: tud-iia-2021", "agreement: tud-iia-2012")
    i = ids(project_copy, M24).index(mid)
    assert found(project_copy) == [
        f"{at(project_copy, M24, 'tud-iia-2012', record(mid))}: mobilities[{i}].agreement: agreement "
        "'tud-iia-2012' does not exist among 'tud''s agreements: did you mean 'tud-iia-2021'?"]


# ------------------------------------------------------------------ agreements in effect


def _every_2018_mobility(root: Path, message: str) -> list[str]:
    return [f"{at(root, M18, '2018/2019', record(mid))}: mobilities[{i}].academic_year: {message}"
            for i, mid in enumerate(ids(root, M18))]


def test_agreement_ended_before_the_academic_year(project_copy: Path, edit_file: Edit) -> None:
    edit_file(project_copy / "data" / KHNU, "last_year: 2020/2021", "last_year: 2017/2018")
    assert found(project_copy) == _every_2018_mobility(
        project_copy, "agreement 'khnu-iia-2016' ended with 2017/2018: not in effect in 2018/2019")


def test_agreement_starting_after_the_academic_year(project_copy: Path, edit_file: Edit) -> None:
    edit_file(project_copy / "data" / KHNU, "first_year: 2016/2017\n      last_year: 2020/2021",
              "first_year: 2019/2020\n      last_year: 2020/2021")
    assert found(project_copy) == _every_2018_mobility(
        project_copy, "agreement 'khnu-iia-2016' starts in 2019/2020: not in effect in 2018/2019")


def test_agreement_not_signed_by_the_partner(project_copy: Path, edit_file: Edit) -> None:
    edit_file(project_copy / "data" / KHNU,
              "      - status: signed\n        date: 2016-04-05\n        by: partner\n"
              "        signatory: Volodymyr Kravchenko\n", "")
    assert found(project_copy) == _every_2018_mobility(
        project_copy, "agreement 'khnu-iia-2016' is not signed by the partner side: not in effect in 2018/2019")


# ------------------------------------------------------------------ agreement rows and agreed numbers


def test_no_row_for_the_type_and_subject(project_copy: Path, edit_file: Edit) -> None:
    # TU Dresden takes trainees in 0715 only; 0732 has a study row, not a traineeship row
    mid = "2024-tud-out-traineeship-1"
    edit_record(edit_file, project_copy, M24, mid, "subject: '0715'", "subject: '0732'")
    i = ids(project_copy, M24).index(mid)
    assert found(project_copy) == [
        f"{at(project_copy, M24, chr(39) + '0732', record(mid))}: mobilities[{i}].subject: agreement "
        "'tud-iia-2021' has no outgoing student-traineeship row for subject 0732 at EQF level 6"]


def test_no_row_for_the_study_cycle(project_copy: Path, edit_file: Edit) -> None:
    mid = "2018-khnu-in-studies-2"
    edit_record(edit_file, project_copy, M18, mid, "cycle: 7", "cycle: 5")
    i = ids(project_copy, M18).index(mid)
    assert found(project_copy) == [
        f"{at(project_copy, M18, chr(39) + '071', record(mid))}: mobilities[{i}].subject: agreement "
        "'khnu-iia-2016' has no incoming student-studies row for subject 071 at EQF level 5"]


def test_narrower_subject_is_covered_by_its_broad_field(project_copy: Path, edit_file: Edit) -> None:
    edit_record(edit_file, project_copy, M18, "2018-khnu-out-studies-1", "subject: '073'", "subject: '0732'")
    assert found(project_copy) == []


def test_more_mobilities_than_agreed_is_a_warning_with_the_numbers(project_copy: Path, edit_file: Edit) -> None:
    # Ege's agreement: 1 incoming staff-training person, 5 days a year (row 8); add a second 5-day visit
    # (of a colleague: the same person twice at once would be an overlap error)
    mid = "2024-ege-in-training-1"
    block = mobility_text(project_copy, M24, mid)
    assert "first_name: Emre" in block
    edit_file(project_copy / "data" / M24, block,
              block + "\n" + block.replace(mid, "2024-ege-in-training-2").replace("first_name: Emre", "first_name: Ece"))
    i = ids(project_copy, M24).index("2024-ege-in-training-2")
    after = record("2024-ege-in-training-2")
    project = run(project_copy)
    assert project.errors == []
    assert [str(p) for p in project.warnings] == [
        f"{at(project_copy, M24, 'ege-iia-2021', after)}: mobilities[{i}].agreement: warning: 2 incoming "
        "staff-training mobilities in 2024/2025 under 'ege-iia-2021' (row 8), but the agreement allows 1",
        f"{at(project_copy, M24, 'start:', after)}: mobilities[{i}].planned: warning: 10 days of incoming "
        "staff-training in 2024/2025 under 'ege-iia-2021' (row 8), but the agreement allows 5 days",
    ]
    assert "2024-ege-in-training-2" not in project.failed  # a warning does not stop the documents


# ------------------------------------------------------------------ calls, codes, limits


def test_unknown_rates_call(project_copy: Path, edit_file: Edit) -> None:
    mid = "2018-khnu-out-studies-1"
    edit_record(edit_file, project_copy, M18, mid, "call: ka107-2016-pl", "call: ka107-2061-pl")
    i = ids(project_copy, M18).index(mid)
    assert found(project_copy) == [
        f"{at(project_copy, M18, 'ka107-2061-pl', record(mid))}: mobilities[{i}].funding.call: no rates file "
        "data/rates/ka107-2061-pl.yaml: did you mean 'ka107-2016-pl'?"]


def test_call_of_another_action(project_copy: Path, edit_file: Edit) -> None:
    mid = "2024-tud-out-studies-1"
    edit_record(edit_file, project_copy, M24, mid, "call: ka131-2024-pl", "call: ka107-2016-pl")
    i = ids(project_copy, M24).index(mid)
    problems = found(project_copy)
    assert f"{at(project_copy, M24, 'ka107-2016-pl', record(mid))}: mobilities[{i}].funding.call: call " \
           "'ka107-2016-pl' is for KA107, but agreement 'tud-iia-2021' is KA131" in problems


def test_unknown_isced_code_in_a_mobility(project_copy: Path, edit_file: Edit) -> None:
    mid = "2018-khnu-out-training-1"
    edit_record(edit_file, project_copy, M18, mid, "subject: '081'", "subject: '089'")
    i = ids(project_copy, M18).index(mid)
    where = at(project_copy, M18, "'089'", record(mid))
    assert found(project_copy) == [
        f"{where}: mobilities[{i}].subject: ISCED-F code '089' is not in isced.yaml",
        f"{where}: mobilities[{i}].subject: agreement 'khnu-iia-2016' has no outgoing staff-training row for "
        "subject 089",
    ]


def test_unknown_isced_code_in_an_agreement(project_copy: Path, edit_file: Edit) -> None:
    edit_file(project_copy / "data" / KHNU, "subjects: [{code: '081'}]", "subjects: [{code: '089'}]")
    problems = found(project_copy)
    assert problems[-1] == (
        f"{at(project_copy, KHNU, chr(39) + '089')}: agreements[0].terms.mobilities[3].subjects[0].code: "
        "ISCED-F code '089' is not in isced.yaml: add it there with its names, or give the name here")
    # the agreement is unusable, and so is every mobility under it
    assert problems[:-1] == [
        f"{at(project_copy, M18, 'khnu-iia-2016', record(mid))}: mobilities[{i}].agreement: agreement "
        "'khnu-iia-2016' has errors" for i, mid in enumerate(ids(project_copy, M18))]


def test_duration_beyond_the_call_limits(project_copy: Path, edit_file: Edit) -> None:
    mid = "2018-khnu-in-studies-1"
    edit_record(edit_file, project_copy, M18, mid, "end: 2019-02-15", "end: 2018-10-20")
    i = ids(project_copy, M18).index(mid)
    problems = found(project_copy)
    assert len(problems) == 1
    prefix = (f"{at(project_copy, M18, 'start:', record(mid))}: mobilities[{i}].planned: a student-studies mobility "
              "lasts at least 3 months under call ka107-2016-pl; planned 2018-10-01 – 2018-10-20 is ")
    assert problems[0].startswith(prefix)
    assert problems[0].endswith("20 days")
    assert mid in run(project_copy).failed


def test_staff_duration_beyond_the_call_limits(project_copy: Path, edit_file: Edit) -> None:
    mid = "2018-khnu-out-training-1"
    edit_record(edit_file, project_copy, M18, mid, "end: 2019-05-17", "end: 2019-05-15")
    i = ids(project_copy, M18).index(mid)
    assert found(project_copy) == [
        f"{at(project_copy, M18, 'start:', record(mid))}: mobilities[{i}].planned: a staff-training mobility "
        "lasts 5–60 days (travel excluded) under call ka107-2016-pl; planned 2019-05-13 – 2019-05-15 is 3 days"]


def test_end_outside_the_academic_year_window(project_copy: Path, edit_file: Edit) -> None:
    mid = "2018-khnu-out-studies-1"
    edit_record(edit_file, project_copy, M18, mid, "end: 2019-06-14", "end: 2019-10-14")
    i = ids(project_copy, M18).index(mid)
    assert found(project_copy) == [
        f"{at(project_copy, M18, '2019-10-14', record(mid))}: mobilities[{i}].planned.end: a student-studies "
        "mobility of 2018/2019 starts and ends between 2018-06-01 and 2019-09-30 under call ka107-2016-pl; "
        "planned end is 2019-10-14"]


def test_start_outside_the_staff_window(project_copy: Path, edit_file: Edit) -> None:
    mid = "2018-khnu-in-training-1"
    edit_record(edit_file, project_copy, M18, mid, "start: 2018-10-01", "start: 2018-09-28")
    i = ids(project_copy, M18).index(mid)
    assert found(project_copy) == [
        f"{at(project_copy, M18, '2018-09-28', record(mid))}: mobilities[{i}].planned.start: a staff-training "
        "mobility of 2018/2019 starts and ends between 2018-10-01 and 2019-09-15 under call ka107-2016-pl; "
        "planned start is 2018-09-28"]


# ------------------------------------------------------------------ problems outside any record


def test_repeated_top_level_key_is_reported(project_copy: Path) -> None:
    path = project_copy / "data" / M24
    with path.open("a", encoding="utf-8") as fh:
        fh.write("\nmobilities:\n  - id: 2024-forgotten-1\n")
    problems = found(project_copy)
    assert any(p.startswith(f"{at(project_copy, M24, 'mobilities:', 'signed: 2025-02-17')}: mobilities: "
                            "duplicate key 'mobilities'") for p in problems)


def test_top_level_merge_key_is_reported(project_copy: Path) -> None:
    path = project_copy / "data" / "partners" / "tud.yaml"
    with path.open("a", encoding="utf-8") as fh:
        fh.write("<<: {agreements: []}\n")
    assert any("merge keys (<<) are not supported" in p for p in found(project_copy))


def test_unreadable_home_file_gives_only_the_real_problem(project_copy: Path, edit_file: Edit) -> None:
    edit_file(project_copy / "data" / "institution.yaml", "\n  short_name: UTP", "\n\tshort_name: UTP")
    line = at(project_copy, "institution.yaml", "\tshort_name").split(":")[1]
    assert found(project_copy) == [
        f"data/institution.yaml:{line}:1: (file): a tab is used for indentation: YAML allows only spaces there; "
        "replace the tab with spaces"]


def test_unreadable_partner_file_is_reported_once(project_copy: Path) -> None:
    (project_copy / "data" / "partners" / "zz.yaml").write_text("institution:\n  id: zz\n---\nagreements: []\n")
    assert found(project_copy) == [
        "data/partners/zz.yaml:4:1: (file): the file holds more than one YAML document (---): keep one"]


# ------------------------------------------------------------------ signatories


def test_signatory_without_function_is_a_warning(project_copy: Path, edit_file: Edit) -> None:
    # KHNU's IIA was signed for the home side by a former rector, who is no longer in institution.yaml
    line = "        function: {pl: Rektor, en: Rector, uk: Ректор, tr: Rektör}  # rector at the time\n"
    edit_file(project_copy / "data" / KHNU, line, "")
    project = run(project_copy)
    assert project.errors == []
    assert [str(p) for p in project.warnings] == [
        f"{at(project_copy, KHNU, 'Czesław Zieliński', 'id: khnu-iia-2016')}: agreements[0].status[1].signatory: "
        "warning: Czesław Zieliński is neither utp's legal representative nor one of its contacts: give the "
        "function they signed in (function: {pl: ..., en: ...}); the documents print the legal representative's "
        "function meanwhile"]


def test_signatory_function_from_the_signed_event(project_copy: Path, edit_file: Edit) -> None:
    from docgen.documents.common import signatory

    line = "        function: {pl: Rektor, en: Rector, uk: Ректор, tr: Rektör}  # rector at the time\n"
    edit_file(project_copy / "data" / KHNU, line,
              "        function: {pl: Prorektor, en: Vice-Rector, uk: Проректор, tr: Rektör Yardımcısı}\n")
    project = run(project_copy)
    agreement = project.partners["khnu"].agreements["khnu-iia-2016"][0]
    assert project.home is not None
    sig = signatory(project.home, agreement, "home")
    assert (sig["name"], sig["function"]["en"]) == ("Czesław Zieliński", "Vice-Rector")
    # the partner side signed through its legal representative: the representative's function
    assert signatory(project.partners["khnu"].institution, agreement, "partner")["function"]["en"] == "Rector"


def test_a_grant_we_pay_needs_the_iban(project_copy: Path, edit_file: Edit) -> None:
    mid = "2024-ege-out-teaching-1"
    block = mobility_text(project_copy, M24, mid)
    iban_line = next(line for line in block.splitlines(keepends=True) if line.strip().startswith("iban:"))
    edit_file(project_copy / "data" / M24, block, block.replace(iban_line, ""))
    i = ids(project_copy, M24).index(mid)
    assert found(project_copy) == [
        f"{at(project_copy, M24, 'id: ' + mid)}: mobilities[{i}].iban: we pay this mobility's grant: give the "
        "participant's iban (or funding.zero_grant: true)"]


def test_incoming_ka131_needs_no_iban(project_copy: Path) -> None:
    # the sample's incoming KA131 mobilities have no iban: their sending institutions pay them
    project = run(project_copy)
    incoming = [m for m, _, _ in project.mobilities.values()
                if m.direction == "incoming" and m.funding.call == "ka131-2024-pl"]
    assert incoming and all(m.iban is None and not m.funding.zero_grant for m in incoming)
    assert project.problems == []


# ------------------------------------------------------------------ EWP pre-flight (KA131)

TUD = "partners/tud.yaml"
QUOTED_071 = "'071'"


def test_ka131_agreement_ready_for_ewp_has_no_preflight_warning(project_copy: Path) -> None:
    project = run(project_copy)
    agreement, _ = project.partners["tud"].agreements["tud-iia-2021"]
    assert checks.ewp_preflight(agreement) == []
    assert not [p for p in project.warnings if "EWP" in p.message]


def test_three_digit_code_in_ka131_agreement_is_a_located_warning(project_copy: Path, edit_file: Edit) -> None:
    edit_file(project_copy / "data" / TUD, "subjects: [{code: '0715'}]", "subjects: [{code: '071'}]")
    project = run(project_copy)
    assert [str(p) for p in project.warnings] == [
        f"{at(project_copy, TUD, QUOTED_071)}: agreements[0].terms.mobilities[1].subjects[0].code: warning: "
        "EWP IIA v7 takes 4-digit ISCED-F codes only: '071' is a broad or narrow field; name the detailed field "
        "(4 digits) within it"]
    assert "tud-iia-2021" not in project.failed  # a warning: the documents are still made


def test_missing_language_skill_for_teaching_is_a_located_warning(project_copy: Path, edit_file: Edit) -> None:
    # The home side's skill loses its teaching level: incoming teaching (row 7) has no recommended skill.
    edit_file(project_copy / "data" / TUD, "            student-studies: B1\n            staff-teaching: B2\n",
              "            student-studies: B1\n")
    incoming_teaching = at(project_copy, TUD, "staff-teaching", *["direction: incoming"] * 3)
    assert [str(p) for p in run(project_copy).warnings] == [
        f"{incoming_teaching}: agreements[0].terms.mobilities[6].type: warning: EWP IIA v7 requires a recommended language skill for "
        "staff-teaching: add a terms.language_skills entry with receiving: home and a staff-teaching level"]


def test_open_ended_ka131_agreement_warns_for_ewp(project_copy: Path, edit_file: Edit) -> None:
    # No last_year key: the warning points at the terms mapping (its first key).
    edit_file(project_copy / "data" / TUD, "      last_year: 2027/2028\n", "")
    assert [str(p) for p in run(project_copy).warnings] == [
        f"{at(project_copy, TUD, 'action:', 'tud-iia-2021')}: agreements[0].terms.last_year: warning: EWP IIA v7 "
        "needs the last academic year of every mobility: give terms.last_year"]


def test_years_out_of_order_are_already_an_error(project_copy: Path, edit_file: Edit) -> None:
    edit_file(project_copy / "data" / TUD, "last_year: 2027/2028", "last_year: 2020/2021")
    assert [p.message for p in run(project_copy).errors if p.file.endswith("tud.yaml")] == [
        "last_year 2020/2021 is before first_year 2021/2022"]


def test_ka107_agreement_gets_no_ewp_warnings(project_copy: Path) -> None:
    # KHNU's KA107 agreement has 3-digit codes: not exported to EWP, so nothing to warn about.
    assert not [p for p in run(project_copy).warnings if "EWP" in p.message]
# ------------------------------------------------------------------ no false warnings

TUD = "partners/tud.yaml"
TRAINEE = "2024-tud-out-traineeship-1"
TUD_PARTNER_SKILLS = """        - receiving: partner
          main_language: de
          additional_language: en
          levels:
            student-studies: B2
            student-traineeship: B1
            staff-teaching: B2
"""


def _two_language_rows(edit_file: Edit, root: Path) -> None:
    """The partner asks German B1 or English B2 of trainees: one row per language."""
    edit_file(root / "data" / TUD, TUD_PARTNER_SKILLS,
              "        - receiving: partner\n          main_language: de\n"
              "          levels: {student-traineeship: B1}\n"
              "        - receiving: partner\n          main_language: en\n"
              "          levels: {student-traineeship: B2}\n")


def test_language_level_is_compared_within_the_same_language(project_copy: Path, edit_file: Edit) -> None:
    _two_language_rows(edit_file, project_copy)
    edit_record(edit_file, project_copy, M24, TRAINEE, "language: en\n      level: B2",
                "language: de\n      level: B1")
    # (the edited rows drop the studies level, which EWP pre-flight rightly warns about: not under test here)
    assert [p for p in found(project_copy) if "EWP" not in p] == []  # German B1 is what the German row asks


def test_language_level_below_the_same_language_warns(project_copy: Path, edit_file: Edit) -> None:
    _two_language_rows(edit_file, project_copy)
    edit_record(edit_file, project_copy, M24, TRAINEE, "language: en\n      level: B2",
                "language: en\n      level: B1")
    assert [p for p in found(project_copy) if "EWP" not in p] == [
        f"{at(project_copy, M24, 'B1', record(TRAINEE), 'language:')}: mobilities[3].language.level: "
        "warning: en B1 is below the en B2 the agreement recommends for student-traineeship"]


def test_months_of_stay_are_calendar_months_as_in_the_grant(project_copy: Path, edit_file: Edit) -> None:
    """1 Jun–31 Aug is 3 months (the grant pays 3), within a 3-month row: no warning (days / 30 said 3.1)."""
    edit_record(edit_file, project_copy, M24, TRAINEE, "start: 2025-07-01\n      end: 2025-09-12",
                "start: 2025-06-01\n      end: 2025-08-31")
    assert found(project_copy) == []
    mobility = load_project(project_copy / "data").mobilities[TRAINEE][0]
    assert grants.stay_months(mobility.planned.start, mobility.planned.end) == 3


def test_months_over_the_row_warn_in_calendar_months(project_copy: Path, edit_file: Edit) -> None:
    edit_record(edit_file, project_copy, M24, TRAINEE, "start: 2025-07-01\n      end: 2025-09-12",
                "start: 2025-06-01\n      end: 2025-09-15")
    assert found(project_copy) == [
        f"{at(project_copy, M24, 'start:', record(TRAINEE), 'planned:')}: mobilities[3].planned: warning: "
        "3.5 months of outgoing student-traineeship in 2024/2025 under 'tud-iia-2021' (row 2), "
        "but the agreement allows 3 months"]


# ------------------------------------------------------------------ one person, one place at a time

def _same_person_as_wiktoria(edit_file: Edit, root: Path, birth: str = "2003-04-11") -> None:
    """2024-tud-out-studies-1 (from 1 Apr 2025) becomes Wiktoria's, whose Ege stay now ends 15 Apr 2025."""
    edit_record(edit_file, root, M24, "2024-tud-out-studies-1",
                "first_name: Natalia\n      last_name: Dębska", "first_name: Wiktoria\n      last_name: Ćwiklińska")
    edit_record(edit_file, root, M24, "2024-tud-out-studies-1", "birth_date: 2000-06-25", f"birth_date: {birth}")
    edit_record(edit_file, root, M24, "2024-ege-out-studies-1", "end: 2025-02-14", "end: 2025-04-15")


def test_overlapping_mobilities_of_one_person_are_an_error(project_copy: Path, edit_file: Edit) -> None:
    _same_person_as_wiktoria(edit_file, project_copy)
    project = run(project_copy)
    overlaps = [str(p) for p in project.problems if "overlap" in p.message]
    assert overlaps == [
        f"{at(project_copy, M24, 'actual:', record('2024-tud-out-studies-1'))}: mobilities[2].actual: "
        "Wiktoria Ćwiklińska (born 2003-04-11) is on mobility '2024-ege-out-studies-1' from 2024-09-15 to "
        f"2025-04-15 (data/{M24}:{at(project_copy, M24, 'planned:', record('2024-ege-out-studies-1')).split(':')[1]})"
        ": the stays overlap"]
    assert {"2024-tud-out-studies-1", "2024-ege-out-studies-1"} <= project.failed


def test_same_name_other_birth_date_is_another_person(project_copy: Path, edit_file: Edit) -> None:
    _same_person_as_wiktoria(edit_file, project_copy, birth="2003-04-12")
    assert not [p for p in run(project_copy).problems if "overlap" in p.message]
