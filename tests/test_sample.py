"""The shipped data/ is the demo an office starts from: it stays valid (the only test that reads data/)."""
from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = "data"  # the demo data/ itself, read by this test alone


def test_shipped_data_passes_check(run_cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the repository, so the shipped folder is the relative "data" an office runs with
    result = run_cli("check", "--data", SHIPPED)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok: ")


def test_no_other_test_reads_the_shipped_data() -> None:
    """Expectations are worked out on tests/fixtures/sample; a test reading data/ breaks when the office edits it."""
    live = re.compile(r'(ROOT|parents\[1\]) ?/ ?"data"')  # the repository's own data/ folder
    offenders = [path.name for path in sorted(Path(__file__).parent.glob("test_*.py"))
                 if path.name != os.path.basename(__file__) and live.search(path.read_text(encoding="utf-8"))]
    assert offenders == []
