"""Every message the templates use is translated in every shipped language, and the check finds gaps."""
from __future__ import annotations

import subprocess
import sys
import typing
from pathlib import Path

import pytest

from docgen.documents import messages
from docgen.documents.i18n import SHIPPED, Catalogs
from docgen.model.models import ScopeTopic

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"
TOPICS = typing.get_args(ScopeTopic)


@pytest.mark.parametrize("lang", SHIPPED)
def test_every_template_message_is_translated(lang: str) -> None:
    gaps = messages.missing(TEMPLATES)[lang]
    used = messages.extract(TEMPLATES)
    assert gaps == [], f"{len(gaps)} message(s) used by templates have no {lang!r} translation:\n" + "\n".join(
        f"  {key}  (used in {', '.join(sorted(p.name for p in used[key]))})" for key in gaps)


def test_extract_reads_the_html_templates() -> None:
    used = messages.extract(TEMPLATES)
    files = {path.suffix for paths in used.values() for path in paths}
    assert files == {".html"}, files
    assert {p.name for p in used["bilateral.title"]} == {"bilateral-cooperation.html"}


# scope.<topic> keys are built at render time ("scope." ~ clause.topic), so extraction cannot see them.
@pytest.mark.parametrize(("lang", "topic"), [(lang, topic) for lang in SHIPPED for topic in TOPICS])
def test_every_scope_topic_is_translated(lang: str, topic: str) -> None:
    catalogs = Catalogs(TEMPLATES / "locale")
    assert catalogs.messages.get(lang, {}).get(f"scope.{topic}"), f"no {lang!r} translation for scope.{topic}"


# ----------------------------------------------------------------------------- the check itself


def _po(keys: dict[str, str], fuzzy: tuple[str, ...] = ()) -> str:
    out = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"', ""]
    for key, text in keys.items():
        if key in fuzzy:
            out.append("#, fuzzy")
        out += [f'msgid "{key}"', f'msgstr "{text}"', ""]
    return "\n".join(out)


@pytest.fixture
def gappy_templates(tmp_path: Path) -> Path:
    """A templates folder whose templates use keys that no catalog (or only a fuzzy/empty entry) translates."""
    root = tmp_path / "templates"
    (root / "html").mkdir(parents=True)
    (root / "html" / "probe.html").write_text(
        '{% for lang in langs %}<p>{{ t(lang, "known.key") }} {{ t(lang, "only.html") }}</p>{% endfor %}\n'
        '{{ bi("only.macro") }} {{ t(langs[0], "fuzzy.key") }} {{ t(langs[0], "empty.key") }}\n', encoding="utf-8")
    for lang in SHIPPED:
        (root / "locale" / lang).mkdir(parents=True)
        (root / "locale" / lang / "probe.po").write_text(
            _po({"known.key": "ok", "fuzzy.key": "draft", "empty.key": ""}, fuzzy=("fuzzy.key",)), encoding="utf-8")
    return root


def test_missing_reports_untranslated_keys(gappy_templates: Path) -> None:
    expected = ["empty.key", "fuzzy.key", "only.html", "only.macro"]
    assert messages.missing(gappy_templates) == {lang: expected for lang in SHIPPED}


def test_missing_reports_a_key_one_language_lacks(gappy_templates: Path) -> None:
    (gappy_templates / "html" / "probe.html").write_text('{{ t("pl", "known.key") }}', encoding="utf-8")
    (gappy_templates / "locale" / "tr" / "probe.po").write_text(_po({"other.key": "x"}), encoding="utf-8")
    assert messages.missing(gappy_templates) == {lang: ["known.key"] if lang == "tr" else [] for lang in SHIPPED}


def test_main_exits_1_and_names_each_gap(gappy_templates: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert messages.main(["check", str(gappy_templates)]) == 1
    out = capsys.readouterr().out
    assert "pl: missing translation for only.html" in out and "tr: missing translation for only.macro" in out


@pytest.mark.parametrize("args", [["check"], []])
def test_command_line_checks_the_folder_it_is_given(gappy_templates: Path, tmp_path: Path, args: list[str]) -> None:
    elsewhere = tmp_path / "elsewhere"  # a working folder without templates/
    elsewhere.mkdir()
    done = subprocess.run([sys.executable, "-m", "docgen.documents.messages", *args, str(gappy_templates)],
                          capture_output=True, text=True, cwd=elsewhere, timeout=60)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "missing translation for only.html" in done.stdout


# ----------------------------------------------------------------------------- languages awaiting review

# Catalogs written by the developers, not by a native speaker: each says so until an office has reviewed it.
UNREVIEWED = {"es": "nplurals=2; plural=(n != 1);", "de": "nplurals=2; plural=(n != 1);",
              "fr": "nplurals=2; plural=(n > 1);"}  # French: 0 is singular too


@pytest.mark.parametrize("lang", sorted(UNREVIEWED))
def test_unreviewed_catalogs_say_so_and_cover_every_domain(lang: str) -> None:
    from babel.messages.pofile import read_po

    english = sorted(p.name for p in (TEMPLATES / "locale" / "en").glob("*.po"))
    assert sorted(p.name for p in (TEMPLATES / "locale" / lang).glob("*.po")) == english
    for name in english:
        path = TEMPLATES / "locale" / lang / name
        with path.open("rb") as fh:
            catalog = read_po(fh)
        assert "NEEDS REVIEW" in catalog.header_comment and "native" in catalog.header_comment, path
        assert "needs review" in str(catalog.language_team), path
        assert catalog.plural_forms == UNREVIEWED[lang], path
        with (TEMPLATES / "locale" / "en" / name).open("rb") as fh:
            assert {m.id for m in catalog if m.id} == {m.id for m in read_po(fh) if m.id}, path


# ----------------------------------------------------------------------------- fonts


def test_embedded_fonts_cover_every_catalog_character() -> None:
    """Every letter the catalogs print (ñ, ß, ä, ö, ü, é, ą, ї, ğ …) has a glyph in every shipped DejaVu face,
    so no document falls back to a system font or prints a box."""
    from fontTools.ttLib import TTFont  # WeasyPrint's own font library, pinned in constraints.txt

    used = {ch for texts in Catalogs(TEMPLATES / "locale").messages.values() for text in texts.values()
            for ch in text if not ch.isspace()}
    assert set("ñßäöüéèçœ«»") <= used
    for font in sorted((TEMPLATES / "fonts").glob("*.ttf")):
        cmap = TTFont(font).getBestCmap()
        assert sorted(ch for ch in used if ord(ch) not in cmap) == [], font.name
