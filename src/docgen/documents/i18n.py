"""Wording from gettext catalogs and Babel formatting of dates, money and names, per document language."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal
from num2words import num2words

from docgen.errors import TemplateError

# Languages docgen ships a catalog for (templates/locale/<lang>/); an office adds one with its own catalog.
SHIPPED: tuple[str, ...] = ("pl", "en", "uk", "tr", "es", "de", "fr")
# Where num2words has no currency mode for a language (tr), lacks a currency in it (PLN in de, fr) or gets the
# grammar wrong (fr: "zéro euros", "deux millions euros"), the whole units and cents are spelled separately:
# the sentence shape, then (unit, units), (cent, cents); the singular goes with CLDR's "one" (French 0 and 1).
_SPELLED: dict[str, tuple[str, dict[str, tuple[tuple[str, str], tuple[str, str]]]]] = {
    "tr": ("{whole} {unit} {rest} {sub}", {"EUR": (("avro", "avro"), ("sent", "sent")),
                                           "PLN": (("zloti", "zloti"), ("grosz", "grosz"))}),
    "de": ("{whole} {unit} und {rest} {sub}", {"PLN": (("Złoty", "Złoty"), ("Grosz", "Groszy"))}),
    "fr": ("{whole} {unit} et {rest} {sub}", {"EUR": (("euro", "euros"), ("centime", "centimes")),
                                              "PLN": (("zloty", "zlotys"), ("grosz", "groszy"))}),
}
# "d MMMM y" / "dd.MM.y" unless the language writes its dates otherwise (as CLDR's long formats do).
_LONG_DATE = {"es": "d 'de' MMMM 'de' y", "de": "d. MMMM y"}
_SHORT_DATE = {"en": "dd/MM/y", "es": "dd/MM/y", "fr": "dd/MM/y"}
_EN_UNIT = {"EUR": "euro", "PLN": "zloty", "USD": "dollar"}


class Catalogs:
    """All `.po` files under `locale/<lang>/`, merged per language; keys are symbolic message ids. Given several
    locale folders (docgen's, then the office's), a later folder's message wins, and a language only the office's
    folder has is a new document language."""

    def __init__(self, locale_dirs: Path | Iterable[Path]) -> None:
        dirs = [locale_dirs] if isinstance(locale_dirs, Path) else list(locale_dirs)
        self.locale_dir = dirs[-1] if dirs else Path("locale")
        self.messages: dict[str, dict[str, str]] = {}
        self.files: list[Path] = []
        for locale_dir in dirs:
            for lang_dir in sorted(p for p in locale_dir.iterdir() if p.is_dir()) if locale_dir.is_dir() else []:
                merged = self.messages.setdefault(lang_dir.name, {})
                for po in sorted(lang_dir.rglob("*.po")):
                    self.files.append(po)
                    with po.open("rb") as fh:
                        catalog = read_po(fh, locale=None)
                    for message in catalog:
                        if message.id and message.string and not message.fuzzy:
                            merged[str(message.id)] = str(message.string)

    def gettext(self, lang: str, key: str, **values: Any) -> str:
        try:
            text = self.messages[lang][key]
        except KeyError:
            raise TemplateError(f"no {lang!r} translation for message {key!r} "
                                f"(add it to {self.locale_dir}/{lang}/*.po)") from None
        if values:
            try:
                return text % values
            except (KeyError, ValueError, TypeError) as exc:
                raise TemplateError(f"message {key!r} in {lang!r} does not fit its values: {exc}") from None
        return text


def format_date(value: dt.date | None, lang: str) -> str:
    """1 października 2018 / 1 жовтня 2018 / 1 October 2018 / 1 Ekim 2018 / 1 de octubre de 2018 / 1. Oktober 2018
    / 1er octobre 2018 (French writes the first of a month as an ordinal)."""
    if value is None:
        return ""
    text = _babel_date(value, _LONG_DATE.get(lang, "d MMMM y"), locale=lang)
    return text.replace("1", "1er", 1) if lang == "fr" and value.day == 1 else text


def format_short_date(value: dt.date | None, lang: str) -> str:
    if value is None:
        return ""
    return _babel_date(value, _SHORT_DATE.get(lang, "dd.MM.y"), locale=lang)


def format_money(amount: Decimal, currency: str, lang: str) -> str:
    return format_currency(amount, currency, locale=lang)


def format_number(value: Decimal | int, lang: str) -> str:
    return format_decimal(value, locale=lang)


def amount_in_words(amount: Decimal, currency: str, lang: str) -> str:
    """The amount spelled out with cents, as a contract states it."""
    cents = int((abs(amount) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    whole, rest = divmod(cents, 100)
    if currency in _SPELLED.get(lang, ("", {}))[1]:
        shape, forms = _SPELLED[lang]
        (unit, units), (sub, subs) = forms[currency]
        unit = unit if plural(lang, whole) == "one" else units
        if lang == "fr" and whole and whole % 1_000_000 == 0:
            # A round million or milliard takes "de" before the noun: "deux millions d'euros", "un million de zlotys".
            unit = ("d'" if unit[0] in "aeiouy" else "de ") + unit
        return shape.format(whole=_cardinal(whole, lang), unit=unit,
                            rest=_cardinal(rest, lang), sub=sub if plural(lang, rest) == "one" else subs)
    text = str(num2words(Decimal(cents) / 100, lang=lang, to="currency", currency=currency))
    if lang == "es" and whole and whole % 1_000_000 == 0:
        # A round million takes "de" before the noun: "dos millones de euros" (the unit word comes before "con").
        text = re.sub(r"\b(mill[oó]n|millones|bill[oó]n|billones) (?=\w+ con )", r"\1 de ", text, count=1)
    if lang == "en":
        # num2words puts commas between thousands groups; in a contract a comma reads as a list separator.
        number, _, rest_words = text.partition(f" {_EN_UNIT.get(currency, '')}")
        if rest_words or _EN_UNIT.get(currency):
            text = number.replace(",", "") + f" {_EN_UNIT[currency]}" + rest_words
    if lang == "pl" and currency == "EUR" and whole == 1:
        text = text.replace("jeden euro", "jedno euro", 1)  # euro is neuter in Polish
    return text


def _cardinal(n: int, lang: str) -> str:
    """The number as it stands before a noun: German counts "ein Złoty", "hundertein Złoty", never "eins"."""
    words = str(num2words(n, lang=lang))
    return words[:-1] if lang == "de" and words.endswith("eins") else words


def country_name(code: str, lang: str) -> str:
    return Locale.parse(lang).territories.get(code, code)


def language_name(code: str, lang: str) -> str:
    return Locale.parse(lang).languages.get(code, code)


def plural(lang: str, n: Decimal | int) -> str:
    """CLDR plural category of `n` in `lang` (one, few, many, other): the suffix of a counted message key,
    so catalogs can say "1 miesiąc", "2 miesiące", "5 miesięcy"."""
    return str(Locale.parse(lang).plural_form(n))


def local(text: Mapping[str, str], lang: str, what: str = "text") -> str:
    """The `lang` form of a per-language data text; a missing form is an error, never a silent fallback."""
    if lang in text:
        return text[lang]
    raise TemplateError(f"{what} has no {lang!r} form (has: {', '.join(sorted(text)) or 'none'})")


def template_globals(catalogs: Catalogs) -> dict[str, Any]:
    """What every template (HTML or DOCX) may call."""

    def t(lang: str, key: str, **values: Any) -> str:
        return catalogs.gettext(lang, key, **values)

    return {
        "t": t,
        "date": format_date,
        "short_date": format_short_date,
        "money": format_money,
        "number": format_number,
        "words": amount_in_words,
        "country": country_name,
        "language": language_name,
        "local": local,
        "plural": plural,
    }
