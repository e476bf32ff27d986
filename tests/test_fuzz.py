"""Fuzzing: generated YAML text and mutated records end as a valid model or located problems, never another exception.

`make test` runs hypothesis's default number of examples; `make fuzz` (HYPOTHESIS_PROFILE=fuzz) many more.
"""
from __future__ import annotations

import copy
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from ruamel.yaml import YAML

from docgen.errors import Problem
from docgen.model.loader import Loaded, load_yaml
from docgen.model.models import Agreement, Institution, Mobility
from docgen.money.rates import Rates
from docgen.model.validation import validate

SAMPLE = Path(__file__).resolve().parent / "fixtures" / "sample"
FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# Pieces YAML gives meaning to, the traps docgen refuses, and text that is only text.
TOKENS = ["\n", "  ", " ", "- ", ": ", ":", "? ", "#", "&a ", "*a", "<<: ", "!tag ", "!!python/object ", "---\n",
          "...\n", "'", '"', "|\n", ">\n", "{", "}", "[", "]", ",", "\t", "%YAML 1.1\n", "\\", "\0", "\x1b", "\ufeff",
          "id", "mobilities", "institution", "agreements", "name", "pl", "en", "NO", "yes", "on", "~", "null",
          "TODO", "061", "0x1F", ".inf", "1e3", "2018-02-30", "2018-10-01", "01.10.2018", "2018-10-01 10:00",
          "12", "-3", "4.5", "true", "ą", "Ж", "😀", "ש", "\u202e", "a" * 300]


def _problems_are_located(problems: list[Problem], file: str) -> None:
    for problem in problems:
        assert isinstance(problem, Problem)
        assert problem.file == file and problem.line >= 1 and problem.col >= 1
        assert problem.message and problem.severity in ("error", "warning")
        str(problem)  # the report line itself can be made


def _validate_all(loaded: Loaded, file: str) -> None:
    """Every model at every place a record stands: a model or located problems."""
    places: list[tuple[type[BaseModel], tuple[str | int, ...]]] = [(Rates, ()), (Mobility, ()), (Institution, ())]
    data = loaded.data
    if isinstance(data, dict):
        if isinstance(data.get("mobilities"), list):
            places += [(Mobility, ("mobilities", i)) for i in range(len(data["mobilities"]))]
        if isinstance(data.get("agreements"), list):
            places += [(Agreement, ("agreements", i)) for i in range(len(data["agreements"]))]
        if "institution" in data:
            places.append((Institution, ("institution",)))
    for model, prefix in places:
        obj, problems = validate(model, loaded, prefix)
        assert obj is None or isinstance(obj, model)
        assert obj is not None or problems or loaded.data is None
        _problems_are_located(problems, file)


@FUZZ
@given(st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=8)), max_size=60))
def test_any_text_loads_as_data_or_located_problems(tmp_path: Path, pieces: list[str]) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_bytes("".join(pieces).encode("utf-8", "surrogatepass"))
    loaded = load_yaml(path, "fuzz.yaml")
    assert loaded.data is not None or loaded.problems
    _problems_are_located(loaded.problems, "fuzz.yaml")
    _validate_all(loaded, "fuzz.yaml")


@FUZZ
@given(st.binary(max_size=400))
def test_any_bytes_load_as_data_or_located_problems(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(raw)
    loaded = load_yaml(path, "fuzz.yaml")
    _problems_are_located(loaded.problems, "fuzz.yaml")
    _validate_all(loaded, "fuzz.yaml")


# ------------------------------------------------------------------ real records with one value changed

def _records() -> list[tuple[str, dict[str, Any]]]:
    yaml = YAML(typ="safe", pure=True)
    found = []
    for path in sorted(SAMPLE.rglob("*.yaml")):
        found.append((path.relative_to(SAMPLE).as_posix(), yaml.load(path.read_text(encoding="utf-8"))))
    return found


RECORDS = _records()

VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**12, max_value=10**12),
    st.decimals(allow_nan=False, allow_infinity=False, places=3),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
    st.text(max_size=30), st.sampled_from(["", " x", "a" * 2001, "../../x", "CON", "NO", "061", "😀", "\x1b"]),
    st.lists(st.text(max_size=5), max_size=3), st.dictionaries(st.text(max_size=6), st.text(max_size=6), max_size=3),
)


def _paths(node: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [here]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, here + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _paths(value, here + (i,))
    return out


def _dump(data: Any) -> str:
    def plain(node: Any) -> Any:  # ruamel cannot dump Decimal; a YAML writer writes it as a number anyway
        if isinstance(node, dict):
            return {k: plain(v) for k, v in node.items()}
        if isinstance(node, list):
            return [plain(v) for v in node]
        return float(node) if isinstance(node, Decimal) else node

    stream = io.StringIO()
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.dump(plain(data), stream)
    return stream.getvalue()


@FUZZ
@given(st.data())
def test_a_real_record_with_any_value_changed_validates_or_is_located(tmp_path: Path, data: st.DataObject) -> None:
    name, original = data.draw(st.sampled_from(RECORDS))
    record = copy.deepcopy(original)
    for _ in range(data.draw(st.integers(1, 3))):
        where = data.draw(st.sampled_from(_paths(record)[1:]))
        parent = record
        for part in where[:-1]:
            parent = parent[part]
        action = data.draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "delete" and isinstance(parent, dict):
            del parent[where[-1]]
        elif action == "add" and isinstance(parent, dict):
            parent[data.draw(st.sampled_from(["adress", "id", "extra", "<<", "nmae"]))] = data.draw(VALUES)
        else:
            parent[where[-1]] = data.draw(VALUES)
        if not _paths(record)[1:]:
            break
    path = tmp_path / Path(name).name
    path.write_text(_dump(record), encoding="utf-8")
    loaded = load_yaml(path, name)
    _problems_are_located(loaded.problems, name)
    _validate_all(loaded, name)
