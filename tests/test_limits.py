"""Size limits: a file over 2 MB is refused before parsing; text fields have a maximum length, located."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from docgen.model import loader
from docgen.model.loader import MAX_BYTES, load_yaml
from docgen.model.models import Institution, Mobility
from docgen.model.validation import validate

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_file_over_two_megabytes_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    # 5 MB of valid YAML: parsing it would take more than a minute.
    path.write_text("mobilities:\n" + "  - id: x\n" * (5 * 1024 * 1024 // 10), encoding="utf-8")
    size = path.stat().st_size
    started = time.monotonic()
    loaded = load_yaml(path, "big.yaml")
    assert time.monotonic() - started < 1
    assert loaded.data is None
    assert [str(p) for p in loaded.problems] == [
        f"big.yaml:1:1: (file): the file has {size:,} bytes; a data file takes at most 2 MB (2,097,152 bytes): "
        "split it (e.g. one mobilities file a year)"]


def test_file_at_the_limit_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The boundary, on a small limit: parsing 2 MB for real would take the suite half a minute.
    monkeypatch.setattr(loader, "MAX_BYTES", 100)
    path = tmp_path / "edge.yaml"
    path.write_bytes(b"a: b\n#" + b"x" * 93 + b"\n")
    assert path.stat().st_size == 100
    assert load_yaml(path, "edge.yaml").data == {"a": "b"}
    path.write_bytes(b"a: b\n#" + b"x" * 94 + b"\n")
    assert [p.message for p in load_yaml(path, "edge.yaml").problems] == [
        "the file has 101 bytes; a data file takes at most 0 MB (100 bytes): split it (e.g. one mobilities file a year)"]
    assert MAX_BYTES == 2 * 1024 * 1024


def _mobility(tmp_path: Path, old: str, new: str) -> list[str]:
    text = (FIXTURES / "mobility.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "m.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    obj, found = validate(Mobility, load_yaml(path, "m.yaml"), ("mobilities", 0))
    return [str(p) for p in found]


@pytest.mark.parametrize("length,ok", [(200, True), (201, False), (10_000, False)])
def test_a_name_takes_at_most_200_characters(tmp_path: Path, length: int, ok: bool) -> None:
    found = _mobility(tmp_path, "first_name: Anna", "first_name: " + "A" * length)
    if ok:
        assert found == []
    else:
        assert found == [f"m.yaml:5:19: mobilities[0].participant.first_name: the text has {length} characters; "
                         "a name takes at most 200: shorten it"]


@pytest.mark.parametrize("length,ok", [(2000, True), (2001, False)])
def test_free_text_takes_at_most_2000_characters(tmp_path: Path, length: int, ok: bool) -> None:
    found = _mobility(tmp_path, "objectives: [Teach software engineering.]", "objectives: [" + "w" * length + "]")
    if ok:
        assert found == []
    else:
        assert found == [f"m.yaml:22:20: mobilities[0].programme.objectives[0]: the text has {length} characters; "
                         "a text field takes at most 2000: shorten it"]


def test_text_in_a_language_map_is_limited_too(tmp_path: Path) -> None:
    text = (FIXTURES / "institution.yaml").read_text(encoding="utf-8")
    path = tmp_path / "i.yaml"
    path.write_text(text.replace("institution:\n", "institution:\n  office: {en: " + "o" * 2001 + "}\n", 1),
                    encoding="utf-8")
    obj, found = validate(Institution, load_yaml(path, "i.yaml"), ("institution",))
    assert obj is None
    assert [(p.line, p.field) for p in found] == [(3, "institution.office.en")]
