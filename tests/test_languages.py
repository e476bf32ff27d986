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


# ----------------------------------------------------------------------------- French

# French forms of the home institution's printed names, added beside the Turkish ones.
FRENCH_HOME_FORMS = [
    ("    tr: Bydgoszcz Jan ve Jędrzej Śniadecki Bilim ve Teknoloji Üniversitesi\n",
     "    fr: Université des sciences et technologies Jan et Jędrzej Śniadecki de Bydgoszcz\n"),
    ("    tr: Bydgoszcz\n", "    fr: Bydgoszcz\n"),
    ("      tr: Bydgoszcz\n", "      fr: Bydgoszcz\n"),
    ("      tr: Rektör\n", "      fr: Recteur\n"),
]

FRENCH_PARTNER = """\
# An invented French university (fixture data): the people and e-mail addresses are invented.
institution:
  id: urs
  name:
    fr: Université Rhône-Saône
    en: Rhône-Saône University
    pl: Uniwersytet Rodan-Saona
  short_name: URS
  country: FR
  erasmus_code: 'F  LYON99'
  address:
    street: 12 quai des Célestins
    postcode: '69002'
    city: {fr: Lyon, en: Lyon, pl: Lyon}
    country: FR
  website: https://www.urs.example.org
  legal_representative:
    name: Geneviève Lacroix-Béranger
    title: Pr
    function: {fr: Présidente, en: President, pl: Prezydent}
  contacts:
    - role: institutional-coordinator
      name: Jérôme Vaucelles
      position: {fr: Coordinateur institutionnel Erasmus+, en: Institutional Erasmus+ Coordinator}
      email: erasmus@urs.example.org

agreements:
  - id: urs-general-2024
    kind: general-cooperation
    languages: [fr]
    place:
      fr: Bydgoszcz – Lyon
    terms:
      first_year: 2024/2025
      last_year: 2027/2028
      scope:
        - topic: joint-research
          area: research
        - topic: publications
          area: research
        - topic: student-exchange
          area: teaching
        - topic: yearly-programmes
        - topic: intellectual-property
      notice:
        academic_years: 1
    status:
      - status: signed
        date: 2024-09-23
        by: partner
        signatory: Geneviève Lacroix-Béranger
      - status: signed
        date: 2024-10-01
        by: home
        signatory: Bogumił Wróblewski

  - id: urs-bilateral-2025
    kind: bilateral-cooperation
    languages: [pl, fr]
    place:
      pl: Bydgoszcz – Lyon
      fr: Bydgoszcz – Lyon
    terms:
      first_year: 2025/2026
      last_year: 2028/2029
      scope:
        - topic: staff-exchange
          area: teaching
        - topic: conferences
          area: research
      notice:
        months: 3
    status:
      - status: signed
        date: 2025-02-03
        by: home
        signatory: Bogumił Wróblewski
      - status: signed
        date: 2025-02-14
        by: partner
        signatory: Geneviève Lacroix-Béranger
"""


@pytest.fixture
def french_project(project_copy: Path, edit_file: Callable[..., str]) -> Path:
    data = project_copy / "data"
    for old, new in FRENCH_HOME_FORMS:
        edit_file(data / "institution.yaml", old, old + new)
    (data / "partners" / "urs.yaml").write_text(FRENCH_PARTNER, encoding="utf-8")
    return project_copy


# (fixture, the home name form the fixture adds, partner file, language)
CHECKED = [("project", HOME_FORMS[0][1], "upt", "es"), ("french_project", FRENCH_HOME_FORMS[0][1], "urs", "fr")]


@pytest.mark.parametrize(("fixture", "form", "partner", "lang"), CHECKED)
def test_check_accepts_the_agreements_and_names_a_missing_home_name(
        run_cli: Callable[..., Result], edit_file: Callable[..., str], request: pytest.FixtureRequest,
        fixture: str, form: str, partner: str, lang: str) -> None:
    root: Path = request.getfixturevalue(fixture)
    result = run_cli("check", "--data", root / "data")
    assert result.exit_code == 0, result.output
    edit_file(root / "data" / "institution.yaml", form, "")
    result = run_cli("check", "--data", root / "data")
    assert result.exit_code == 1
    assert f"data/partners/{partner}.yaml:" in result.output
    assert (f"the agreement is printed in '{lang}' but the home institution's name has no '{lang}' text (utp)"
            in result.output)


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_french_general_agreement(run_cli: Callable[..., Result], french_project: Path, fmt: str) -> None:
    path = build(run_cli, french_project, "urs-general-2024", fmt)
    assert path.name == "general-cooperation.fr." + fmt
    text = squash(read(path))
    for phrase in [
        "Accord de coopération scientifique et pédagogique", "conclu entre",
        "Université Rhône-Saône (France)", "représentée par Geneviève Lacroix-Béranger, Présidente",
        "Université des sciences et technologies Jan et Jędrzej Śniadecki de Bydgoszcz (Pologne)",
        "représentée par Bogumił Wróblewski, Recteur",
        # research items: ";" after each but the last, which ends with "."
        "En matière de recherche scientifique, les parties conviennent de :",
        "la réalisation de recherches communes en sciences fondamentales et appliquées;",
        "l'échange de résultats de recherche, de publications et d'autres informations scientifiques.",
        "En matière d'enseignement et d'activités universitaires connexes, les parties conviennent de :",
        "la coopération dans la formation des étudiants, y compris l'échange d'étudiants.",
        "Le programme annuel précise :", "le mode de financement des activités communes.",
        "La propriété intellectuelle des résultats des travaux menés dans le cadre du présent Accord",
        "Le présent Accord est conclu pour les années universitaires 2024/2025 à 2027/2028.",
        # one academic year: singular (and 0 would be too, in French)
        "moyennant un préavis écrit de 1 année universitaire adressé à l'autre partie.",
        "Langue de l'Accord : français.",
        "Au nom de :", "Adresse de contact :", "12 quai des Célestins", "69002 Lyon",
        "Bydgoszcz – Lyon", "23 septembre 2024", "1er octobre 2024",
    ]:
        assert squash(phrase) in text, (fmt, phrase)
    assert squash("1 années universitaires") not in text


def test_polish_french_bilateral_agreement(run_cli: Callable[..., Result], french_project: Path) -> None:
    path = build(run_cli, french_project, "urs-bilateral-2025", "pdf")
    assert path.name == "bilateral-cooperation.pl-fr.pdf"
    text = squash(pdf_text(path))
    for phrase in [
        # French column
        "Accord de coopération", "Désireuses de développer leurs relations mutuelles",
        "Dans le cadre du présent Accord, les parties soutiennent notamment :",
        "l'échange de personnels enseignants et chercheurs à des fins de recherche, d'enseignement et de formation",
        "Dispositions finales :",
        "Il est établi en deux versions linguistiques (polonais, français), faisant également foi.",
        "3. Le présent Accord reste en vigueur jusqu'à la fin de l'année universitaire 2028/2029.",
        "moyennant un préavis de 3 mois.",
        "14 février 2025",  # the last signature dates the agreement
        # Polish column, beside it
        "Umowa o współpracy", "Sporządzono ją w dwóch wersjach językowych (polski, francuski)",
        "14 lutego 2025", "Uniwersytet Rodan-Saona (Francja)",
    ]:
        assert squash(phrase) in text, phrase
