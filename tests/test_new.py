"""docgen new: each skeleton is refused by check field by field, passes once filled, and never overwrites."""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

Run = Callable[..., Result]


def todo_fields(result: Result) -> list[str]:
    """The fields check names as still holding the skeleton's TODO."""
    return [line.split(": ")[1] for line in result.stdout.splitlines() if "still the skeleton's TODO" in line]


def fill(path: Path, values: dict[str, str]) -> None:
    """Replace `key: TODO` by `key: value`, once each, in file order (a key may be listed as 'key#2')."""
    text = path.read_text(encoding="utf-8")
    for key, value in values.items():
        name = key.split("#")[0]
        text, n = re.subn(rf"(\b{re.escape(name)}: )TODO\b", lambda m: m[1] + value, text, count=1)
        assert n == 1, key
    path.write_text(text, encoding="utf-8")


def test_new_partner_and_agreement(project_copy: Path, run_cli: Run) -> None:
    data = project_copy / "data"
    result = run_cli("new", "partner", "upv", "--data", data)
    assert result.exit_code == 0, result.output
    path = data / "partners" / "upv.yaml"
    assert "# who signs for the partner" in path.read_text(encoding="utf-8")
    check = run_cli("check", "--data", data)
    assert check.exit_code == 1
    assert todo_fields(check) == [
        "institution.name.en", "institution.short_name", "institution.country", "institution.erasmus_code",
        "institution.address.street", "institution.address.postcode", "institution.address.city.en",
        "institution.address.country", "institution.website", "institution.legal_representative.name",
        "institution.legal_representative.function.en", "institution.contacts[0].name",
        "institution.contacts[0].email"]
    fill(path, {"en": "Universitat Politècnica de València", "short_name": "UPV", "country": "ES",
                "erasmus_code": "'E  VALENCI02'", "street": "Camí de Vera, s/n", "postcode": "'46022'",
                "en#2": "Valencia", "country#2": "ES", "website": "https://www.upv.example.org",
                "name": "Elena Ruiz", "en#3": "Rector", "name#2": "Marta Gil", "email": "marta.gil@example.org"})
    assert run_cli("check", "--data", data).exit_code == 0

    result = run_cli("new", "agreement", "upv", "--kind", "erasmus-iia", "--id", "upv-iia-2025", "--data", data)
    assert result.exit_code == 0, result.output
    check = run_cli("check", "--data", data)
    assert todo_fields(check) == [
        "agreements[0].terms.action", "agreements[0].terms.first_year", "agreements[0].terms.last_year",
        "agreements[0].terms.mobilities[0].type", "agreements[0].terms.mobilities[0].subjects[0].code",
        "agreements[0].terms.mobilities[0].people", "agreements[0].terms.mobilities[0].months"]
    fill(path, {"action": "KA131", "first_year": "2025/2026", "last_year": "2031/2032", "type": "student-studies",
                "code": "'0613'", "people": "2", "months": "10"})
    check = run_cli("check", "--data", data)
    assert check.exit_code == 0, check.output
    assert "4 partners, 7 agreements" in check.stdout
    assert "# made by docgen new agreement" in path.read_text(encoding="utf-8")

    again = run_cli("new", "agreement", "upv", "--kind", "general-cooperation", "--id", "upv-iia-2025",
                    "--data", data)
    assert again.exit_code == 2 and "is used already" in again.stderr
    before = path.read_bytes()
    again = run_cli("new", "partner", "upv", "--data", data)
    assert again.exit_code == 2 and "exists already: not overwritten" in again.stderr
    assert path.read_bytes() == before


def test_new_bilateral_agreement_names_its_scope_and_notice(project_copy: Path, run_cli: Run) -> None:
    data = project_copy / "data"
    result = run_cli("new", "agreement", "tud", "--kind", "bilateral-cooperation", "--id", "tud-bil-2025",
                     "--data", data)
    assert result.exit_code == 0, result.output
    check = run_cli("check", "--data", data)
    assert todo_fields(check) == ["agreements[1].terms.first_year", "agreements[1].terms.last_year",
                                  "agreements[1].terms.scope[0].topic", "agreements[1].terms.notice.months"]
    fill(data / "partners" / "tud.yaml", {"first_year": "2025/2026", "last_year": "2029/2030",
                                          "topic": "joint-research", "months": "6"})
    check = run_cli("check", "--data", data)
    assert check.exit_code == 0, check.output


def test_new_mobility(project_copy: Path, run_cli: Run) -> None:
    data = project_copy / "data"
    result = run_cli("new", "mobility", "--agreement", "ege-iia-2021", "--type", "staff-training",
                     "--year", "2025/2026", "--data", data)
    assert result.exit_code == 0, result.output
    assert "mobility '2025-ege-out-training-1'" in result.stdout
    path = data / "mobilities" / "2025-2026.yaml"
    check = run_cli("check", "--data", data)
    fields = [f.removeprefix("mobilities[0].") for f in todo_fields(check)]
    assert fields == ["participant.first_name", "participant.last_name", "participant.email",
                      "participant.birth_date", "participant.nationality", "participant.position.pl",
                      "participant.position.en", "subject",
                      "planned.start", "planned.end", "programme.objectives[0]", "programme.added_value[0]",
                      "programme.activities[0]", "programme.outcomes[0]", "language.language", "language.level",
                      "funding.call", "iban"]
    assert "teaching_hours" not in path.read_text(encoding="utf-8")  # staff-teaching only
    text = path.read_text(encoding="utf-8")
    text = text.replace("[TODO]", "[Share practice in laboratory teaching]")
    path.write_text(text, encoding="utf-8")
    fill(path, {"first_name": "Ewa", "last_name": "Lis", "email": "ewa.lis@example.org", "birth_date": "1980-05-04",
                "nationality": "PL", "pl": "specjalistka ds. laboratoriów", "en": "laboratory specialist",
                "subject": "'0413'",
                "start": "2025-10-06", "end": "2025-10-10", "language": "en", "level": "B2",
                "call": "ka131-2024-pl", "iban": "'PL61109010140000071219812874'"})
    check = run_cli("check", "--data", data)
    assert check.exit_code == 0, check.output
    second = run_cli("new", "mobility", "--agreement", "ege-iia-2021", "--type", "staff-training",
                     "--year", "2025/2026", "--data", data, "--id", "2025-ege-out-training-1")
    assert second.exit_code == 2 and "is used already" in second.stderr


def test_new_rates_blanks_every_amount_and_keeps_the_rules(project_copy: Path, run_cli: Run) -> None:
    data = project_copy / "data"
    result = run_cli("new", "rates", "--from", "ka131-2024-pl", "--call", "2026", "--data", data)
    assert result.exit_code == 0, result.output
    path = data / "rates" / "ka131-2026-pl.yaml"
    check = run_cli("check", "--data", data)
    fields = todo_fields(check)
    assert fields[:4] == ["title", "support[0].student_month", "support[0].staff_day.rate",
                          "support[0].short_term_day.rate"]
    assert len(fields) == 1 + 3 * 4 + 2 + 2 + 12  # title, 3 groups × 4 rates, 2 top-ups, 2 one-offs, travel
    text = path.read_text(encoding="utf-8")
    assert "call_year: 2026" in text and "id: ka131-2026-pl" in text
    assert "rate: TODO                        # ka131-2024-pl: 190" in text
    # the office writes the new figures (here: the earlier ones) and a title
    text = re.sub(r"TODO(\s+# ka131-2024-pl: )([0-9]+)", r"\2\1\2", text)
    text = text.replace("title: TODO", "title: Erasmus+ KA131, 2026 call (Polish National Agency)")
    path.write_text(text, encoding="utf-8")
    check = run_cli("check", "--data", data)
    assert check.exit_code == 0, check.output
    assert "4 rate files" in check.stdout
    again = run_cli("new", "rates", "--from", "ka131-2024-pl", "--call", "2026", "--data", data)
    assert again.exit_code == 2 and "exists already" in again.stderr
