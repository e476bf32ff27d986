"""The HTML fed to WeasyPrint for a few chosen records equals the reviewed copy in tests/golden/.

When a template, a catalog or the data changes on purpose, regenerate and review by eye:

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_html_golden.py
    git diff tests/golden/

Control characters are left out of the comparison (and of the golden files, so they stay plain
text); test_html_has_no_control_characters reports them instead.
"""
from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from docgen.build.builder import Builder
from docgen.pipeline import load_checked
from test_render_quality import CONTROL, DATA, TEMPLATES

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"

# (kind, record id): the pl/uk bilateral agreement, the KHNU inter-institutional agreement, one
# mobility document. A kind nobody has defined yet is skipped; a missing golden file fails.
CASES = [
    ("bilateral-cooperation", "khnu-bilateral-2015"),
    ("erasmus-iia", "khnu-iia-2016"),
    ("staff-mobility-agreement", "2018-khnu-out-teaching-1"),
]


@pytest.fixture(scope="module")
def builder() -> Builder:
    return Builder(load_checked(DATA), TEMPLATES, Path("build"), ["pdf"])


def render_html(builder: Builder, kind_name: str, record_id: str) -> tuple[str, str]:
    """(golden file name, HTML) exactly as Builder.render makes the context and meta for WeasyPrint."""
    kind = builder.kinds.get(kind_name)
    if kind is None:
        pytest.skip(f"no document kind {kind_name!r} is defined (yet)")
    docs = [d for d in builder.documents() if d.kind == kind_name and d.record_id == record_id]
    assert docs, f"{kind_name} has no record {record_id!r} in {DATA}"
    return f"{record_id}.{docs[0].stem()}.html", builder.html(docs[0])


@pytest.mark.parametrize(("kind", "record_id"), CASES)
def test_html_matches_golden(builder: Builder, kind: str, record_id: str) -> None:
    name, html = render_html(builder, kind, record_id)
    actual = CONTROL.sub("", html)
    path = GOLDEN / name
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="\n")
        pytest.skip(f"wrote {path.relative_to(GOLDEN.parent.parent)}: review it with git diff")
    if not path.is_file():
        pytest.fail(f"no golden file {path.name}: run UPDATE_GOLDEN=1 pytest tests/test_html_golden.py, "
                    "read the file and commit it")
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = list(difflib.unified_diff(expected.splitlines(keepends=True), actual.splitlines(keepends=True),
                                         fromfile=f"tests/golden/{name}", tofile=f"rendered {kind} {record_id}"))
        shown = "".join(diff[:200]) + (f"\n... {len(diff) - 200} more diff lines\n" if len(diff) > 200 else "")
        pytest.fail(f"the HTML of {kind} {record_id} differs from tests/golden/{name}:\n{shown}\n"
                    "If the change is intended: UPDATE_GOLDEN=1 pytest tests/test_html_golden.py, then review "
                    "the diff by eye (git diff tests/golden/) before committing.", pytrace=False)


@pytest.mark.parametrize(("kind", "record_id"), CASES)
def test_html_has_no_control_characters(builder: Builder, kind: str, record_id: str) -> None:
    _, html = render_html(builder, kind, record_id)
    found = set(CONTROL.findall(html))
    assert not found, f"control characters {sorted(map(hex, map(ord, found)))} in the HTML"
