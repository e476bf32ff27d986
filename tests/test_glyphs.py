"""Characters the shipped fonts cannot draw are warned at their field; a long unbroken word wraps inside the page."""
from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from fontTools import ttLib

from docgen.model import glyphs

from reading import squash

Run = Callable[..., Result]
Edit = Callable[..., str]

M24 = "mobilities/2024-2025.yaml"
MARGIN = 18 / 25.4 * 72  # style.css: @page margin 18 mm left and right, in points
FONTS = Path(__file__).resolve().parents[1] / "templates" / "fonts"


def test_the_fonts_draw_every_letter_of_the_shipped_languages() -> None:
    covered = glyphs.coverage(FONTS)
    letters = "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ" "абвгґдеєжзиіїйклмнопрстуфхцчшщьюяЄІЇҐ" "çğıöşüÇĞİÖŞÜ" "ñáéíóúü¿¡" "äöüßÄÖÜ" \
              "αβγδΩ" "„”«»–—€₴₺…'’"
    assert glyphs.undrawable(letters, covered) == []


@pytest.mark.parametrize(("text", "missing"), [
    ("Anna 😀", ["😀"]),
    ("Ада 👩‍🔬", ["👩", "🔬"]),  # the joiner between them is not drawn, so not reported
    ("שלום Shalom", ["ש", "ל", "ו", "ם"]),
    ("山田 Yamada 山", ["山", "田"]),
    ("line\nbreak\tand soft\u00adhyphen", []),
])
def test_undrawable_characters(text: str, missing: list[str]) -> None:
    assert glyphs.undrawable(text, glyphs.coverage(FONTS)) == missing


def test_check_warns_at_the_field_with_an_emoji_or_another_script(run_cli: Run, project_copy: Path,
                                                                  edit_file: Edit) -> None:
    data = project_copy / "data"
    edit_file(data / M24, "first_name: Wiktoria", "first_name: Wiktoria 😀")
    edit_file(data / "partners" / "ege.yaml", "  short_name: EÜ", "  short_name: EÜ إزمير")
    result = run_cli("check", "--data", data)
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if "cannot draw" in line]
    assert lines == [
        "data/mobilities/2024-2025.yaml:8:19: mobilities[0].participant.first_name: warning: the shipped fonts "
        "(templates/fonts) cannot draw '😀' (U+1F600 GRINNING FACE): the documents would show an empty box there; "
        "write the text without it, or in Latin, Cyrillic or Greek letters",
        "data/partners/ege.yaml:LINE: institution.short_name: warning: the shipped fonts (templates/fonts) "
        "cannot draw 'إ' (U+0625 ARABIC LETTER ALEF WITH HAMZA BELOW), 'ز' (U+0632 ARABIC LETTER ZAIN), "
        "'م' (U+0645 ARABIC LETTER MEEM), 'ي' (U+064A ARABIC LETTER YEH), 'ر' (U+0631 ARABIC LETTER REH): "
        "the documents would show an empty box there; write the text without it, or in Latin, Cyrillic or "
        "Greek letters".replace("LINE", _line_col(data / "partners" / "ege.yaml", "EÜ إزمير")),
    ]
    assert result.stdout.endswith("2 warning(s)\n")


def _line_col(path: Path, needle: str) -> str:
    text = path.read_text(encoding="utf-8")
    i = text.index(needle)
    return f"{text.count(chr(10), 0, i) + 1}:{i - text.rfind(chr(10), 0, i)}"


def test_the_fonts_are_read_once_per_run(run_cli: Run, project_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    real = ttLib.TTFont

    def counting(path: str, *args: object, **kwargs: object) -> ttLib.TTFont:
        opened.append(Path(path).name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(ttLib, "TTFont", counting)
    glyphs.coverage.cache_clear()
    assert run_cli("check", "--data", project_copy / "data").exit_code == 0
    assert sorted(opened) == sorted(p.name for p in FONTS.glob("*.ttf"))


# ------------------------------------------------------------------ a word with no break opportunity

def test_a_200_character_unbroken_name_wraps_inside_the_page(run_cli: Run, project_copy: Path,
                                                             edit_file: Edit) -> None:
    data, out = project_copy / "data", project_copy / "out"
    name = "Wolfeschlegelsteinhausenbergerdorff" * 6
    name = name[:200]
    assert len(name) == 200
    edit_file(data / M24, "last_name: Ćwiklińska", f"last_name: {name}")
    result = run_cli("check", "--data", data)
    assert result.exit_code == 0, result.output
    result = run_cli("build", "--data", data, "--only", "2024-ege-out-studies-1", "--format", "pdf", "--out", out)
    assert result.exit_code == 0, result.output
    pdfs = sorted(out.rglob("*.pdf"))
    assert pdfs
    for pdf in pdfs:
        layout = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                                check=True).stdout
        width = float(re.search(r'<page width="([\d.]+)"', layout)[1])
        words = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
                           layout)
        assert words
        right = width - MARGIN
        beyond = [(w[:20], x1) for x0, x1, w in words if float(x0) < MARGIN - 0.5 or float(x1) > right + 0.5]
        assert beyond == [], pdf.name
        # the name is there whole, in pieces on consecutive lines
        pieces = [w for _, _, w in words if squash(w) and squash(w) in name]
        assert squash(name) in "".join(squash(w) for w in pieces), pdf.name
