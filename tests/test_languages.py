"""Spanish and German documents: a fixture project with a Polish|Spanish bilateral agreement, a Spanish and a
German general agreement checks clean and builds, and the documents read as a Spanish or German reader expects.

Every expected phrase below was worked out by hand (dates, plural forms, wording), not copied from output.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from reading import pdf_text, read, squash

# Spanish and German forms of the home institution's printed names, added to the copy of data/.
HOME_FORMS = [
    ("    tr: Bydgoszcz Jan ve Jędrzej Śniadecki Bilim ve Teknoloji Üniversitesi\n",
     "    es: Universidad de Ciencia y Tecnología Jan y Jędrzej Śniadecki de Bydgoszcz\n"
     "    de: Jan-und-Jędrzej-Śniadecki-Universität für Wissenschaft und Technologie Bydgoszcz\n", 1),
    ("    tr: Bydgoszcz\n", "    es: Bydgoszcz\n    de: Bydgoszcz\n", 1),
    ("      tr: Bydgoszcz\n", "      es: Bydgoszcz\n      de: Bydgoszcz\n", 1),
    ("      tr: Rektör\n", "      es: Rector\n      de: Rektor\n", 1),
]

SPANISH_PARTNER = """\
# An invented Spanish university (fixture data): the people and e-mail addresses are invented.
institution:
  id: upt
  name:
    es: Universidad Politécnica del Turia
    en: Turia Polytechnic University
    pl: Politechnika Turijska
    de: Polytechnische Universität Turia
  short_name: UPT
  country: ES
  erasmus_code: 'E  VALENCI99'
  address:
    street: Camino de Vera 1
    postcode: '46022'
    city: {es: Valencia, en: Valencia, pl: Walencja, de: Valencia}
    country: ES
  website: https://www.upt.example.org
  legal_representative:
    name: Begoña Ibáñez Muñoz
    title: Dra.
    function: {es: Rectora, en: Rector, pl: Rektor, de: Rektorin}
  contacts:
    - role: institutional-coordinator
      name: Íñigo Peña Güell
      position: {es: Coordinador institucional Erasmus+, en: Institutional Erasmus+ Coordinator}
      email: erasmus@upt.example.org

agreements:
  - id: upt-bilateral-2024
    kind: bilateral-cooperation
    languages: [pl, es]
    place:
      pl: Bydgoszcz – Walencja
      es: Bydgoszcz – Valencia
    terms:
      first_year: 2024/2025
      last_year: 2028/2029
      scope:
        - topic: student-exchange
          area: teaching
        - topic: conferences
          area: research
        - topic: intellectual-property
          area: general
      notice:
        months: 6
    status:
      - status: signed
        date: 2024-09-16
        by: partner
        signatory: Begoña Ibáñez Muñoz
      - status: signed
        date: 2024-10-01
        by: home
        signatory: Bogumił Wróblewski

  - id: upt-general-2025
    kind: general-cooperation
    languages: [es]
    place:
      es: Bydgoszcz – Valencia
    terms:
      first_year: 2025/2026
      scope:
        - topic: joint-research
          area: research
        - topic: staff-exchange
          area: teaching
      notice:
        academic_years: 2
    status:
      - status: signed
        date: 2025-03-15
        by: home
        signatory: Bogumił Wróblewski
      - status: signed
        date: 2025-03-21
        by: partner
        signatory: Begoña Ibáñez Muñoz
"""

GERMAN_AGREEMENT = """
  # ------------------------------------------------------------ general agreement in German (fixture)
  - id: tud-general-2024
    kind: general-cooperation
    languages: [de]
    place:
      de: Bydgoszcz – Dresden
    terms:
      first_year: 2024/2025
      last_year: 2026/2027
      scope:
        - topic: library-exchange
          area: research
        - topic: syllabus-exchange
          area: teaching
      notice:
        months: 1
    status:
      - status: signed
        date: 2024-09-02
        by: partner
        signatory: Annegret Böhme-Lindner
      - status: signed
        date: 2024-10-01
        by: home
        signatory: Bogumił Wróblewski
"""


@pytest.fixture
def project(project_copy: Path, edit_file: Callable[..., str]) -> Path:
    data = project_copy / "data"
    for old, new, count in HOME_FORMS:
        edit_file(data / "institution.yaml", old, old + new, count)
    (data / "partners" / "upt.yaml").write_text(SPANISH_PARTNER, encoding="utf-8")
    with (data / "partners" / "tud.yaml").open("a", encoding="utf-8") as fh:
        fh.write(GERMAN_AGREEMENT)
    return project_copy


def build(run_cli: Callable[..., Result], project: Path, record: str, fmt: str) -> Path:
    out = project / "build"
    result = run_cli("build", "--data", project / "data", "--only", record, "--format", fmt, "--out", out,
                     "--jobs", 1)
    assert result.exit_code == 0, result.output
    files = sorted(out.rglob(f"*.{fmt}"))
    assert len(files) == 1, files
    return files[0]


def test_check_accepts_spanish_and_german_agreements(run_cli: Callable[..., Result], project: Path) -> None:
    result = run_cli("check", "--data", project / "data")
    assert result.exit_code == 0, result.output


def test_check_names_a_missing_spanish_name(run_cli: Callable[..., Result], project: Path,
                                            edit_file: Callable[..., str]) -> None:
    edit_file(project / "data" / "institution.yaml", HOME_FORMS[0][1], "")
    result = run_cli("check", "--data", project / "data")
    assert result.exit_code == 1
    assert "data/partners/upt.yaml:" in result.output
    assert "the agreement is printed in 'es' but the home institution's name has no 'es' text (utp)" in result.output


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_polish_spanish_bilateral_agreement(run_cli: Callable[..., Result], project: Path, fmt: str) -> None:
    path = build(run_cli, project, "upt-bilateral-2024", fmt)
    assert path.name == "bilateral-cooperation.pl-es." + fmt
    text = squash(read(path))
    for phrase in [
        # Spanish column
        "Convenio de cooperación", "celebrado entre", "Universidad Politécnica del Turia (España)",
        "Universidad de Ciencia y Tecnología Jan y Jędrzej Śniadecki de Bydgoszcz (Polonia)",
        "la cooperación en la formación de estudiantes, incluido el intercambio de estudiantes;",
        "Disposiciones finales:",
        "Se redacta en dos versiones lingüísticas (polaco, español), igualmente válidas.",
        "permanece en vigor hasta el final del curso académico 2028/2029.",
        "con un preaviso de 6 mes(es).",
        "Bydgoszcz – Valencia", "1 de octubre de 2024",  # the last signature dates the agreement
        "Rectora",
        # Polish column, beside it
        "Umowa o współpracy", "Sporządzono ją w dwóch wersjach językowych (polski, hiszpański)",
        "1 października 2024", "Politechnika Turijska (Hiszpania)",
    ]:
        assert squash(phrase) in text, (fmt, phrase)


def test_german_general_agreement(run_cli: Callable[..., Result], project: Path) -> None:
    text = squash(pdf_text(build(run_cli, project, "tud-general-2024", "pdf")))
    for phrase in [
        "Vereinbarung über die Zusammenarbeit in Wissenschaft und Lehre", "geschlossen zwischen",
        "Technische Universität Dresden",
        "Im Bereich der wissenschaftlichen Forschung vereinbaren die Parteien:",
        "den Austausch wissenschaftlicher Literatur zwischen den Bibliotheken der Parteien.",
        "Diese Vereinbarung wird für die Studienjahre 2024/2025 bis 2026/2027 geschlossen.",
        "schriftlich mit einer Frist von 1 Monat kündigen.",  # one month: singular
        "Sprache der Vereinbarung: Deutsch.",
        "vertreten durch Annegret Böhme-Lindner, Rektorin",
        "Bydgoszcz – Dresden", "1. Oktober 2024",
    ]:
        assert squash(phrase) in text, phrase
    assert squash("Frist von 1 Monaten") not in text


def test_spanish_general_agreement_counts_years_in_the_plural(run_cli: Callable[..., Result], project: Path) -> None:
    text = squash(pdf_text(build(run_cli, project, "upt-general-2025", "pdf")))
    for phrase in [
        "Convenio de cooperación científica y docente",
        "En materia de investigación científica, las partes acuerdan:",
        "la realización de investigaciones conjuntas en ciencias básicas y aplicadas.",
        "El presente Convenio se celebra por tiempo indefinido.",
        "con un preaviso de 2 cursos académicos.",  # two academic years: plural
        "Idioma del Convenio: español.",
        "representada por Begoña Ibáñez Muñoz, Rectora",
        "21 de marzo de 2025",
    ]:
        assert squash(phrase) in text, phrase
