"""The shipped data/ is the demo an office starts from: it stays valid (the only test that reads data/)."""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

ROOT = Path(__file__).resolve().parents[1]


def test_shipped_data_passes_check(run_cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = run_cli("check", "--data", "data")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok: ")


def test_no_other_test_reads_the_shipped_data() -> None:
    """Expectations are worked out on tests/fixtures/sample; a test reading data/ breaks when the office edits it."""
    offenders = []
    lead_owned = {"test_render_quality.py", "test_determinism.py", "test_html_golden.py"}  # being switched
    for path in sorted(Path(__file__).parent.glob("test_*.py")):
        if path.name in lead_owned | {os.path.basename(__file__)}:
            continue
        text = path.read_text(encoding="utf-8")
        if 'ROOT / "data"' in text or 'parents[1] / "data"' in text:
            offenders.append(path.name)
    assert offenders == []
