"""Dates, money, amounts in words, names of countries and languages, catalogs: as a reader of each language expects.

Every expected string below was written by hand from the language's usage, not copied from the
code's output.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docgen.errors import TemplateError
from docgen.documents.i18n import (
    Catalogs,
    amount_in_words,
    country_name,
    format_date,
    format_money,
    format_number,
    format_short_date,
    language_name,
    local,
    plural,
)

NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space: the French thousands separator


@pytest.mark.parametrize(("lang", "expected"), [
    ("pl", "1 października 2018"),
    ("uk", "1 жовтня 2018"),
    ("en", "1 October 2018"),
    ("tr", "1 Ekim 2018"),
    ("es", "1 de octubre de 2018"),
    ("de", "1. Oktober 2018"),
    ("fr", "1er octobre 2018"),  # the first of a month is an ordinal in French
])
def test_long_date(lang: str, expected: str) -> None:
    assert format_date(dt.date(2018, 10, 1), lang) == expected


@pytest.mark.parametrize(("lang", "expected"), [
    ("pl", "15 marca 2019"),  # genitive month names
    ("uk", "15 березня 2019"),
    ("en", "15 March 2019"),
    ("tr", "15 Mart 2019"),
    ("es", "15 de marzo de 2019"),
    ("de", "15. März 2019"),
    ("fr", "15 mars 2019"),
])
def test_long_date_another_month(lang: str, expected: str) -> None:
    assert format_date(dt.date(2019, 3, 15), lang) == expected


@pytest.mark.parametrize(("lang", "expected"), [
    ("pl", "01.10.2018"), ("uk", "01.10.2018"), ("en", "01/10/2018"), ("tr", "01.10.2018"),
    ("es", "01/10/2018"), ("de", "01.10.2018"), ("fr", "01/10/2018"),
])
def test_short_date(lang: str, expected: str) -> None:
    assert format_short_date(dt.date(2018, 10, 1), lang) == expected


def test_no_date_prints_nothing() -> None:
    assert format_date(None, "pl") == ""
    assert format_short_date(None, "en") == ""


@pytest.mark.parametrize(("lang", "expected"), [
    ("pl", f"1{NBSP}234,56{NBSP}€"),
    ("uk", f"1{NBSP}234,56{NBSP}EUR"),
    ("en", "€1,234.56"),
    ("tr", "€1.234,56"),
    ("es", f"1.234,56{NBSP}€"),
    ("de", f"1.234,56{NBSP}€"),
    ("fr", f"1{NNBSP}234,56{NBSP}€"),
])
def test_money_in_euro(lang: str, expected: str) -> None:
    assert format_money(Decimal("1234.56"), "EUR", lang) == expected


def test_money_in_zloty_in_polish() -> None:
    assert format_money(Decimal("1234.5"), "PLN", "pl") == f"1{NBSP}234,50{NBSP}zł"


@pytest.mark.parametrize(("lang", "expected"), [
    ("pl", f"1{NBSP}234{NBSP}567,5"), ("uk", f"1{NBSP}234{NBSP}567,5"), ("en", "1,234,567.5"), ("tr", "1.234.567,5"),
    ("es", "1.234.567,5"), ("de", "1.234.567,5"), ("fr", f"1{NNBSP}234{NNBSP}567,5"),
])
def test_number(lang: str, expected: str) -> None:
    assert format_number(Decimal("1234567.5"), lang) == expected


@pytest.mark.parametrize(("amount", "currency", "lang", "expected"), [
    ("1234.56", "EUR", "pl", "tysiąc dwieście trzydzieści cztery euro, pięćdziesiąt sześć centów"),
    ("1234.56", "PLN", "pl", "tysiąc dwieście trzydzieści cztery złote, pięćdziesiąt sześć groszy"),
    ("22.22", "EUR", "pl", "dwadzieścia dwa euro, dwadzieścia dwa centy"),
    ("0.01", "EUR", "pl", "zero euro, jeden cent"),
    ("100", "EUR", "pl", "sto euro, zero centów"),
    ("1", "EUR", "pl", "jedno euro, zero centów"),  # euro is neuter in Polish
    ("21", "EUR", "pl", "dwadzieścia jeden euro, zero centów"),
    ("1234.56", "EUR", "uk", "одна тисяча двісті тридцять чотири євро, п'ятдесят шість центів"),
    ("22.22", "EUR", "uk", "двадцять два євро, двадцять два центи"),
    ("1", "EUR", "uk", "один євро, нуль центів"),
    ("234.56", "EUR", "en", "two hundred and thirty-four euro, fifty-six cents"),
    ("0.99", "EUR", "en", "zero euro, ninety-nine cents"),
    ("1234.56", "EUR", "en", "one thousand two hundred and thirty-four euro, fifty-six cents"),  # no comma inside
    ("2000000", "EUR", "en", "two million euro, zero cents"),
    # Turkish money amounts are written joined up, as on cheques and contracts (TDK); euro is "avro".
    ("1234.56", "EUR", "tr", "binikiyüzotuzdört avro ellialtı sent"),
    ("22.22", "EUR", "tr", "yirmiiki avro yirmiiki sent"),
    ("0.01", "EUR", "tr", "sıfır avro bir sent"),
    # Spanish: "un"/"veintiún" before the noun, "de" after a round million, "con" before the cents.
    ("1234.56", "EUR", "es", "mil doscientos treinta y cuatro euros con cincuenta y seis céntimos"),
    ("1", "EUR", "es", "un euro con cero céntimos"),
    ("21", "EUR", "es", "veintiún euros con cero céntimos"),
    ("0.01", "EUR", "es", "cero euros con un céntimo"),
    ("2000000", "EUR", "es", "dos millones de euros con cero céntimos"),
    ("1200000", "EUR", "es", "un millón doscientos mil euros con cero céntimos"),
    ("1234.56", "PLN", "es", "mil doscientos treinta y cuatro zlotys con cincuenta y seis groszy"),
    # German: numbers below a million written as one word; "ein" (not "eins") before the noun.
    ("1234.56", "EUR", "de", "eintausendzweihundertvierunddreißig Euro und sechsundfünfzig Cent"),
    ("1", "EUR", "de", "ein Euro und null Cent"),
    ("0.01", "EUR", "de", "null Euro und ein Cent"),
    ("2000000", "EUR", "de", "zwei Millionen Euro und null Cent"),
    ("1234.56", "PLN", "de", "eintausendzweihundertvierunddreißig Złoty und sechsundfünfzig Groszy"),
    ("101.01", "PLN", "de", "einhundertein Złoty und ein Grosz"),
    # French: "et" before the cents; 0 and 1 take the singular ("zéro euro"); "de" after a round million.
    ("1234.56", "EUR", "fr", "mille deux cent trente-quatre euros et cinquante-six centimes"),
    ("1", "EUR", "fr", "un euro et zéro centime"),
    ("0.01", "EUR", "fr", "zéro euro et un centime"),
    ("0.99", "EUR", "fr", "zéro euro et quatre-vingt-dix-neuf centimes"),
    ("71.81", "EUR", "fr", "soixante et onze euros et quatre-vingt-un centimes"),
    ("80.80", "EUR", "fr", "quatre-vingts euros et quatre-vingts centimes"),
    ("200.21", "EUR", "fr", "deux cents euros et vingt et un centimes"),
    ("2000000", "EUR", "fr", "deux millions d'euros et zéro centime"),
    ("1200000", "EUR", "fr", "un million deux cent mille euros et zéro centime"),
    # Zloty (num2words has no PLN in French): "zloty, zlotys", "grosz, groszy" as French texts on Poland write them.
    ("1234.56", "PLN", "fr", "mille deux cent trente-quatre zlotys et cinquante-six groszy"),
    ("1.01", "PLN", "fr", "un zloty et un grosz"),
    ("2.02", "PLN", "fr", "deux zlotys et deux groszy"),
    ("1000000", "PLN", "fr", "un million de zlotys et zéro grosz"),
])
def test_amount_in_words(amount: str, currency: str, lang: str, expected: str) -> None:
    assert amount_in_words(Decimal(amount), currency, lang) == expected


@given(st.integers(min_value=0, max_value=10**12 - 1), st.sampled_from(["EUR", "PLN"]))
def test_french_amounts_agree_with_their_number(cents: int, currency: str) -> None:
    """Whatever the amount: the unit is singular for 0 and 1 (zéro euro, un zloty) and plural from 2, takes
    "de"/"d'" only after a round million or milliard, and the cents follow "et", singular below 2."""
    whole, rest = divmod(cents, 100)
    words = amount_in_words(Decimal(cents) / 100, currency, "fr")
    unit = {"EUR": ("euro", "euros", "d'"), "PLN": ("zloty", "zlotys", "de ")}[currency]
    sub = {"EUR": ("centime", "centimes"), "PLN": ("grosz", "groszy")}[currency]
    noun = unit[0] if whole < 2 else unit[1]
    if whole and whole % 1_000_000 == 0:
        noun = unit[2] + noun
    assert f" {noun} et " in words, words
    assert words.endswith(" " + (sub[0] if rest < 2 else sub[1])), words
    assert "euros euros" not in words and "  " not in words


def test_amount_in_words_rounds_half_cents_up() -> None:
    assert amount_in_words(Decimal("0.005"), "EUR", "en") == "zero euro, one cent"
    assert amount_in_words(Decimal("10.994"), "EUR", "en") == "ten euro, ninety-nine cents"


@pytest.mark.parametrize(("code", "lang", "expected"), [
    ("UA", "pl", "Ukraina"), ("PL", "uk", "Польща"), ("TR", "en", "Türkiye"), ("DE", "tr", "Almanya"),
    ("PL", "es", "Polonia"), ("ES", "de", "Spanien"), ("PL", "fr", "Pologne"), ("DE", "fr", "Allemagne"),
])
def test_country_name(code: str, lang: str, expected: str) -> None:
    assert country_name(code, lang) == expected


@pytest.mark.parametrize(("code", "lang", "expected"), [
    ("uk", "pl", "ukraiński"), ("pl", "uk", "польська"), ("tr", "en", "Turkish"), ("pl", "tr", "Lehçe"),
    ("pl", "es", "polaco"), ("es", "es", "español"), ("pl", "de", "Polnisch"), ("de", "de", "Deutsch"),
    ("pl", "fr", "polonais"), ("fr", "fr", "français"),
])
def test_language_name(code: str, lang: str, expected: str) -> None:
    assert language_name(code, lang) == expected


@pytest.mark.parametrize(("lang", "n", "category"), [
    # Spanish: one for exactly 1; "many" for round millions ("un millón de meses"); everything else other.
    ("es", 0, "other"), ("es", 1, "one"), ("es", 2, "other"), ("es", 21, "other"), ("es", 1_000_000, "many"),
    ("es", Decimal("1.5"), "other"),
    # German: one for exactly 1 (not "1,0", not 21); no many or few.
    ("de", 0, "other"), ("de", 1, "one"), ("de", Decimal("1.0"), "other"), ("de", 2, "other"), ("de", 21, "other"),
    ("de", 1_000_000, "other"), ("de", Decimal("1.5"), "other"),
    # French: one for 0 and 1 and anything below 2 ("1,5 jour"); many for round millions; other from 2.
    ("fr", 0, "one"), ("fr", 1, "one"), ("fr", Decimal("1.5"), "one"), ("fr", 2, "other"), ("fr", 21, "other"),
    ("fr", 1_000_000, "many"), ("fr", 2_000_000, "many"), ("fr", 1_200_000, "other"),
])
def test_plural_category(lang: str, n: Decimal | int, category: str) -> None:
    assert plural(lang, n) == category


@pytest.mark.parametrize(("lang", "n", "expected"), [
    ("es", 1, "1 mes"), ("es", 3, "3 meses"), ("es", 1_000_000, "1000000 de meses"),
    ("de", 1, "1 Monat"), ("de", 3, "3 Monate"), ("de", 21, "21 Monate"),
    ("fr", 1, "1 mois"), ("fr", 3, "3 mois"), ("fr", 1_000_000, "1000000 de mois"),
])
def test_counted_words_in_the_shipped_catalogs(lang: str, n: int, expected: str) -> None:
    catalogs = Catalogs(Path(__file__).resolve().parents[1] / "templates" / "locale")
    assert catalogs.gettext(lang, f"grant.unit.month.{plural(lang, n)}", n=n) == expected


@pytest.mark.parametrize(("n", "expected"), [
    (0, "0 jour"), (1, "1 jour"), (2, "2 jours"), (21, "21 jours"), (1_000_000, "1000000 de jours"),
])
def test_french_days_are_singular_for_0_and_1(n: int, expected: str) -> None:
    catalogs = Catalogs(Path(__file__).resolve().parents[1] / "templates" / "locale")
    assert catalogs.gettext("fr", f"grant.unit.day.{plural('fr', n)}", n=n) == expected


def test_local_returns_the_language_form() -> None:
    assert local({"pl": "Rektor", "uk": "Ректор"}, "uk") == "Ректор"


def test_local_raises_for_a_missing_language() -> None:
    with pytest.raises(TemplateError) as caught:
        local({"pl": "Rektor", "en": "Rector"}, "uk", "signatory function")
    message = str(caught.value)
    assert "signatory function" in message and "'uk'" in message and "en, pl" in message


def test_local_raises_for_empty_text() -> None:
    with pytest.raises(TemplateError, match="none"):
        local({}, "pl")


# ----------------------------------------------------------------------------- catalogs

PO = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "greeting"
msgstr "{hello} %(name)s"

#, fuzzy
msgid "draft"
msgstr "not reviewed"

msgid "empty"
msgstr ""
"""


@pytest.fixture
def catalogs(tmp_path: Path) -> Catalogs:
    for lang, hello in (("pl", "Dzień dobry"), ("uk", "Добрий день")):
        (tmp_path / lang).mkdir()
        (tmp_path / lang / "test.po").write_text(PO.replace("{hello}", hello), encoding="utf-8")
    return Catalogs(tmp_path)


def test_gettext_translates_and_fills_values(catalogs: Catalogs) -> None:
    assert catalogs.gettext("pl", "greeting", name="Łukasz") == "Dzień dobry Łukasz"
    assert catalogs.gettext("uk", "greeting", name="Ірина") == "Добрий день Ірина"


def test_gettext_raises_for_an_unknown_key(catalogs: Catalogs) -> None:
    with pytest.raises(TemplateError, match="no 'pl' translation for message 'no.such.key'"):
        catalogs.gettext("pl", "no.such.key")


def test_gettext_raises_for_an_unknown_language(catalogs: Catalogs) -> None:
    with pytest.raises(TemplateError, match="'tr'"):
        catalogs.gettext("tr", "greeting", name="x")


@pytest.mark.parametrize("key", ["draft", "empty"])
def test_gettext_ignores_fuzzy_and_empty_entries(catalogs: Catalogs, key: str) -> None:
    with pytest.raises(TemplateError):
        catalogs.gettext("pl", key)


def test_gettext_raises_when_values_do_not_fit(catalogs: Catalogs) -> None:
    with pytest.raises(TemplateError, match="does not fit"):
        catalogs.gettext("pl", "greeting", other="x")


def test_french_ordinal_is_only_the_first_of_the_month() -> None:
    assert format_date(dt.date(2024, 2, 1), "fr") == "1er février 2024"
    assert format_date(dt.date(2024, 2, 11), "fr") == "11 février 2024"
    assert format_date(dt.date(2021, 11, 1), "fr") == "1er novembre 2021"
