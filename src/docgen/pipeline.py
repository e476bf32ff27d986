"""The one path of the data: load → validate → plan → render → write, shared by the CLI, bench and the tests."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from docgen import checks
from docgen.build import FORMATS, Builder, BuildResult, Progress
from docgen.i18n import Catalogs
from docgen.project import Project, load_project


def load_checked(data_dir: Path, catalogs: Catalogs | None = None) -> Project:
    """Load and validate every record, then the cross-record rules (with `catalogs`, also whether signed
    terms changed): all problems found, none raised."""
    project = load_project(data_dir)
    if project.home is not None:
        checks.run(project, catalogs)
    else:
        project.problems.sort()
    return project


def build(project: Project, templates: Path, out_dir: Path, formats: Iterable[str] = FORMATS,
          only: str | None = None, workers: int = 1, force: bool = False,
          progress: Progress | None = None) -> tuple[Builder, BuildResult]:
    """Plan every document of the valid records and write those whose inputs changed. A full build (no
    `only`) also removes the documents the plan no longer makes."""
    builder = Builder(project, templates, out_dir, formats)
    jobs = builder.plan(only)
    return builder, builder.run(jobs, workers=workers, force=force, progress=progress, clean=only is None)


def build_folder(data_dir: Path, templates: Path, out_dir: Path, **options: object) -> tuple[Builder, BuildResult]:
    """`build` of a data folder, loaded and validated first."""
    return build(load_checked(data_dir), templates, out_dir, **options)  # type: ignore[arg-type]
