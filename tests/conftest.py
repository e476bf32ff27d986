"""Shared fixtures: a private copy of the sample project, the CLI runner, a text editor for data files."""
from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import settings

from docgen.cli import main

# CI replays the same examples every run (a red CI must be reproducible); locally hypothesis explores.
settings.register_profile("ci", derandomize=True, print_blob=True)
# `make fuzz`: the fuzz tests (and every other property test) with many more examples.
settings.register_profile("fuzz", max_examples=1000, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
if os.environ.get("HYPOTHESIS_PROFILE"):
    settings.load_profile(os.environ["HYPOTHESIS_PROFILE"])

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The tests' expectations are worked out on this sample project, a frozen copy of the shipped data/;
# the office edits data/ freely and no test reads it (except test_sample.py: the shipped data/ is valid).
SAMPLE = FIXTURES / "sample"


# Modules that share one session build (test_render_quality.main_build) run in one xdist worker.
SHARED_BUILD_MODULES = {"test_render_quality", "test_determinism"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under `pytest -n` with `--dist loadgroup` (make test): every test of a module in one worker, so a module's
    build fixture is made once, and the modules of one shared build together."""
    for item in items:
        if item.get_closest_marker("xdist_group") is None:
            module = item.module.__name__ if item.module is not None else item.nodeid.split("::")[0]
            group = "shared-build" if module in SHARED_BUILD_MODULES else module
            item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture
def project_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the sample project as `data/` and of `templates/` in tmp_path, the current directory
    (messages name files relative to it: `data/...`); returns the folder holding both."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SAMPLE, tmp_path / "data")
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    return tmp_path


@pytest.fixture
def run_cli() -> Callable[..., Result]:
    """`run_cli("check", "--data", path)`: invoke `docgen` in-process; stdout and stderr kept apart."""

    def run(*args: object) -> Result:
        return CliRunner().invoke(main, [str(a) for a in args])

    return run


@pytest.fixture
def edit_file() -> Callable[..., str]:
    """`edit_file(path, old, new, count=1)`: plain text replacement; `old` must occur at least `count` times."""

    def edit(path: Path, old: str, new: str, count: int = 1) -> str:
        text = path.read_text(encoding="utf-8")
        assert text.count(old) >= count, f"{old!r} occurs {text.count(old)} time(s) in {path}, not {count}"
        text = text.replace(old, new, count)
        path.write_text(text, encoding="utf-8")
        return text

    return edit
