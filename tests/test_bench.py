"""The bench's synthetic office is valid data: every partner and mobility it invents passes `docgen check`."""
from __future__ import annotations

from pathlib import Path

from conftest import SAMPLE

from docgen.build.bench import make_corpus
from docgen.pipeline import load_checked


def test_the_synthetic_office_is_valid_and_of_the_asked_size(tmp_path: Path) -> None:
    data = make_corpus(SAMPLE, tmp_path / "data", partners=5, mobilities=23)
    project = load_checked(data)
    assert project.problems == []
    assert sorted(project.partners) == ["p001", "p002", "p003", "p004", "p005"]
    assert len(project.mobilities) == 23
    people = {(m.participant.first_name, m.participant.last_name) for m, _, _ in project.mobilities.values()}
    assert len(people) == 23  # nobody twice: no overlapping stays
    emails = [m.participant.email for m, _, _ in project.mobilities.values()]
    assert all(e.endswith(".example.org") for e in emails)
