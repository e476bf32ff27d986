"""Grant contract: which mobilities get one, and the figures a reader sees in the PDF and the DOCX."""
from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
import reading
from docx import Document
from num2words import num2words

from docgen.money import grants
from docgen.build.builder import Builder
from docgen.documents.grant_contract import KIND as KIND_DEF
from docgen.documents.grant_contract import contract_languages, format_iban, home_pays
from docgen.model.models import Mobility
from docgen.model.project import Project, load_project

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "fixtures" / "sample"  # the sample project; never the office's data/
TEMPLATES = ROOT / "templates"
KIND = "grant-contract"

# Sample mobilities and what each one exercises.
STUDENT_15TH = "2024-ege-out-studies-1"  # starts on 15 September: five whole months to 14 February
STAFF = "2024-ege-out-teaching-1"  # 100 % advance, travel days
SHORTER = "2024-tud-out-studies-1"  # actual stay shorter than planned: settlement
ZERO = "2024-ege-out-studies-2"  # outgoing, zero grant
INCOMING_UA = "2018-khnu-in-studies-1"  # KA107 incoming student: Polish beside Ukrainian
INCOMING_UA_STAFF = "2018-khnu-in-training-1"  # KA107 incoming staff
SAMPLES = (STUDENT_15TH, STAFF, SHORTER, ZERO, INCOMING_UA, INCOMING_UA_STAFF)
# Variants of sample mobilities with another nationality, to see Turkish and English beside Polish.
VARIANTS = {STAFF: "TR", SHORTER: "DE"}


# ----------------------------------------------------------------------------- reading what was built


def normal(text: str) -> str:
    """Whitespace (non-breaking spaces and line breaks included) as single spaces; PDF hyphenation undone."""
    text = re.sub(r"[\u2010\u00ad]\s*\n", "", text)
    return re.sub(r"[\s\u00a0\u202f]+", " ", text)


def pdf_text(path: Path) -> str:
    return normal(reading.pdf_text(path))


def docx_text(path: Path) -> str:
    return normal(reading.docx_text(path))


def docx_parallel_rows(path: Path) -> list[list[str]]:
    """The rows of the side-by-side table: one cell text per language."""
    table = Document(str(path)).tables[0]
    return [[cell.text for cell in row.cells] for row in table.rows]


# ----------------------------------------------------------------------------- figures worked out apart


def money(amount: Decimal, lang: str) -> str:
    """A euro amount as each language writes it: 1 234,56 € / 1 234,56 EUR / €1,234.56 / €1.234,56."""
    whole, cents = f"{amount:.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    if lang == "pl":
        return f"{' '.join(groups)},{cents} €"
    if lang == "uk":
        return f"{' '.join(groups)},{cents} EUR"
    if lang == "en":
        return f"€{','.join(groups)}.{cents}"
    if lang == "tr":
        return f"€{'.'.join(groups)},{cents}"
    raise AssertionError(lang)


def in_words(amount: Decimal, lang: str) -> str:
    """num2words of the amount; Turkish has no currency mode: whole euro ('avro') and cents ('sent') apart."""
    whole, cents = divmod(int(amount * 100), 100)
    if lang == "tr":
        return f"{num2words(whole, lang='tr')} avro {num2words(cents, lang='tr')} sent"
    if lang == "en":  # the contract writes English numbers without commas between the thousands groups
        cent_words = "cent" if cents == 1 else "cents"
        return normal(f"{num2words(whole, lang='en').replace(',', '')} euro, {num2words(cents, lang='en')} "
                      f"{cent_words}")
    return normal(num2words(amount, lang=lang, to="currency", currency="EUR"))


def has_money(text: str, amount: Decimal, lang: str) -> bool:
    """The amount stands on its own (not the tail of a larger figure)."""
    return re.search(r"(?<![\d.,])(?<!\d )" + re.escape(money(amount, lang)) + r"(?!\d)", text) is not None


# ----------------------------------------------------------------------------- building


def with_nationality(project: Project, mid: str, nationality: str) -> Project:
    mobility, where, path = project.mobilities[mid]
    participant = mobility.participant.model_copy(update={"nationality": nationality})
    changed = mobility.model_copy(update={"participant": participant})
    return replace(project, mobilities={**project.mobilities, mid: (changed, where, path)})


def build(project: Project, out: Path, mids: tuple[str, ...]) -> dict[tuple[str, str], Path]:
    builder = Builder(project, TEMPLATES, out, ["pdf", "docx"])
    jobs = [j for j in builder.plan() if j.doc.kind == KIND and j.doc.record_id in mids]
    report = builder.run(jobs)
    assert not report.failed, [f.message for f in report.failed]
    return {(j.doc.record_id, j.fmt): j.output for j in report.written}


@pytest.fixture(scope="module")
def project() -> Project:
    return load_project(DATA)


@pytest.fixture(scope="module")
def built(project: Project, tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    return build(project, tmp_path_factory.mktemp("grant"), SAMPLES)


@pytest.fixture(scope="module")
def variants(project: Project, tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    changed = project
    for mid, nationality in VARIANTS.items():
        changed = with_nationality(changed, mid, nationality)
    return build(changed, tmp_path_factory.mktemp("grant-variants"), tuple(VARIANTS))


def texts(paths: dict[tuple[str, str], Path], mid: str) -> dict[str, str]:
    return {"pdf": pdf_text(paths[(mid, "pdf")]), "docx": docx_text(paths[(mid, "docx")])}


def grant_of(project: Project, mid: str) -> grants.Grant:
    mobility = project.mobilities[mid][0]
    return grants.calculate(mobility, project.rates[mobility.funding.call][0], project.home,
                            project.partners[mobility.partner].institution)


# ----------------------------------------------------------------------------- which records


def test_records_are_the_mobilities_the_home_institution_pays(project: Project) -> None:
    ids = {record.record_id for record in KIND_DEF.records(project)}
    outgoing = {mid for mid, (m, _, _) in project.mobilities.items() if m.direction == "outgoing"}
    # KA107 (2016 call) funds incoming participants from the home side; KA131 does not.
    ka107_incoming = {"2018-khnu-in-studies-1", "2018-khnu-in-studies-2", "2018-khnu-in-training-1"}
    assert ids == outgoing | ka107_incoming
    assert ZERO in ids  # a zero-grant outgoing mobility still gets its contract
    for mid in ("2024-ege-in-studies-1", "2024-ege-in-training-1", "2024-tud-in-teaching-1"):
        assert not home_pays(project, project.mobilities[mid][0])
        assert mid not in ids


@pytest.mark.parametrize(("nationality", "langs"), [
    ("PL", ("pl",)), ("UA", ("pl", "uk")), ("TR", ("pl", "tr")), ("DE", ("pl", "en")), ("US", ("pl", "en")),
])
def test_languages_follow_nationality(project: Project, nationality: str, langs: tuple[str, ...]) -> None:
    mobility: Mobility = project.mobilities[STAFF][0]
    changed = mobility.model_copy(update={"participant": mobility.participant.model_copy(
        update={"nationality": nationality})})
    assert contract_languages(project, changed) == langs


def test_output_names_carry_the_languages(built) -> None:
    assert built[(INCOMING_UA, "pdf")].name == "grant-contract.pl-uk.pdf"
    assert built[(STUDENT_15TH, "docx")].name == "grant-contract.pl.docx"


def test_iban_in_groups_of_four() -> None:
    assert format_iban("PL17105015620000000463728190") == "PL17 1050 1562 0000 0004 6372 8190"
    assert format_iban("UA453220010000026201948375610") == "UA45 3220 0100 0002 6201 9483 7561 0"


# ----------------------------------------------------------------------------- figures


@pytest.mark.parametrize("mid", [STUDENT_15TH, STAFF, SHORTER, INCOMING_UA, INCOMING_UA_STAFF])
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_total_advance_balance_and_words_as_calculated(project: Project, built, variants, mid: str,
                                                       fmt: str) -> None:
    g = grant_of(project, mid)
    outputs = [built] + ([variants] if mid in VARIANTS else [])
    for paths in outputs:
        text = texts(paths, mid)[fmt]
        langs = paths[(mid, fmt)].name.split(".")[1].split("-")
        assert langs[0] == "pl"
        for lang in langs:
            assert has_money(text, g.total, lang), (lang, money(g.total, lang))
            assert has_money(text, g.advance, lang), (lang, money(g.advance, lang))
            if g.balance:
                assert has_money(text, g.balance, lang), (lang, money(g.balance, lang))
            assert in_words(g.total, lang) in text, (lang, in_words(g.total, lang))


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_student_from_the_15th_worked_by_hand(built, fmt: str) -> None:
    # ka131-2024-pl, Turkey is in group 3: 600 €/month, fewer-opportunities top-up 250 €/month.
    # 15 Sep 2024 – 14 Feb 2025 is five whole months (15 Sep–14 Oct, … , 15 Jan–14 Feb), no days left:
    #   600 × 5 = 3000.00; 250 × 5 = 1250.00; travel 1777 km, band 500–1999 km: 309.00
    #   total 3000 + 1250 + 309 = 4559.00; advance 70 % = 3191.30; balance 4559.00 − 3191.30 = 1367.70
    text = texts(built, STUDENT_15TH)[fmt]
    for figure in ("3 000,00 €", "1 250,00 €", "309,00 €", "4 559,00 €", "3 191,30 €", "1 367,70 €"):
        assert figure in text, figure
    assert "600,00 € / mies. × 5 miesięcy" in text
    assert "250,00 € / mies. × 5 miesięcy" in text
    assert "cztery tysiące pięćset pięćdziesiąt dziewięć euro, zero centów" in text
    assert "PL17 1050 1562 0000 0004 6372 8190" in text
    assert "Wiktoria Ćwiklińska" in text
    assert "70 %" in text and "30 dni" in text and "15 dni" in text


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_shorter_stay_settled_worked_by_hand(project: Project, built, variants, fmt: str) -> None:
    # ka131-2024-pl, Germany is in group 2: 670 €/month; 374 km is band 100–499 km: 211.00.
    # Planned 1 Apr – 31 Jul 2025 = 4 months: 670 × 4 + 211 = 2891.00; advance 70 % = 2023.70.
    # Actual 1 Apr – 11 Jul 2025 = 3 months (Apr, May, Jun) + 11 days (1–11 Jul):
    #   670 × 3 = 2010.00; 670 × 11 / 30 = 245.666… → 245.67; + 211.00 = 2466.67
    #   still to pay: 2466.67 − 2023.70 = 442.97
    text = texts(built, SHORTER)[fmt]
    for figure in ("2 891,00 €", "2 023,70 €", "2 010,00 €", "245,67 €", "2 466,67 €", "442,97 €"):
        assert figure in text, figure
    assert "670,00 € / mies. × 11 dni × 1/30" in text
    mobility = project.mobilities[SHORTER][0]
    s = grants.settle(mobility, project.rates[mobility.funding.call][0], project.home,
                      project.partners[mobility.partner].institution)
    assert (s.due.total, s.advance_paid, s.balance) == (Decimal("2466.67"), Decimal("2023.70"), Decimal("442.97"))
    english = texts(variants, SHORTER)[fmt]
    for figure in ("€2,466.67", "€2,023.70", "€442.97"):
        assert figure in english, figure
    assert "Politechnika Drezdeńska" in english and "Dresden University of Technology" in english


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_staff_paid_in_full_in_advance(project: Project, built, variants, fmt: str) -> None:
    # ka131-2024-pl, Turkey in group 3: 148 €/day × 5 days = 740.00; 2 travel days × 148 = 296.00;
    # travel 1777 km: 309.00; total 1345.00, all of it paid as the advance (100 %).
    g = grant_of(project, STAFF)
    assert (g.total, g.advance, g.balance) == (Decimal("1345.00"), Decimal("1345.00"), Decimal("0.00"))
    text = texts(built, STAFF)[fmt]
    assert "1 345,00 €" in text and "100 %" in text
    assert "740,00 €" in text and "296,00 €" in text
    turkish = texts(variants, STAFF)[fmt]
    assert "€1.345,00" in turkish and "%100" in turkish
    assert "binüçyüzkırkbeş avro sıfır sent" in turkish
    assert "Erasmus+ Hareketlilik Hibe Sözleşmesi" in turkish and "Marek Świątek" in turkish


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_zero_grant_contract(project: Project, built, fmt: str) -> None:
    g = grant_of(project, ZERO)
    assert g.total == 0 and not g.lines
    text = texts(built, ZERO)[fmt]
    assert "0,00 €" in text
    assert in_words(Decimal("0.00"), "pl") in text
    assert "bez dofinansowania" in text  # the zero-grant wording
    assert "Jakub Mączyński" in text
    assert "zaliczk" not in text  # no advance, no bank account, no repayment clauses
    assert "rachunek bankowy" not in text


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_polish_beside_ukrainian(built, fmt: str) -> None:
    text = texts(built, INCOMING_UA)[fmt]
    assert "Umowa o dofinansowanie mobilności w programie Erasmus+" in text
    assert "Договір про фінансування мобільності за програмою Еразмус+" in text
    assert "Oleksandra Hrytsenko" in text and "22 lipca 1998" in text and "22 липня 1998" in text
    assert "UA45 3220 0100 0002 6201 9483 7561 0" in text
    # ka107-2016-pl incoming: 750 €/month; 1 Oct 2018 – 15 Feb 2019 = 4 months + 15 days:
    # 750 × 4 = 3000.00; 750 × 15 / 30 = 375.00; 747 km, band 500–1999 km: 275.00; total 3650.00
    assert "3 650,00 €" in text and "3 650,00 EUR" in text
    assert "трисячі" not in text  # words are separate words
    assert "три тисячі шістсот п'ятдесят євро, нуль центів" in text


def test_paragraph_numbers_stand_on_the_same_rows(built) -> None:
    rows = docx_parallel_rows(built[(INCOMING_UA, "docx")])
    numbered = [cells for cells in rows if any(c.startswith("§") for c in cells)]
    assert len(numbered) >= 5
    assert all(len(cells) == 2 and cells[0] == cells[1] for cells in numbered)
    assert [cells[0] for cells in numbered] == [f"§ {n}" for n in range(1, len(numbered) + 1)]
    pdf = pdf_text(built[(INCOMING_UA, "pdf")])
    for n in range(1, len(numbered) + 1):
        assert f"§ {n} § {n}" in pdf
