"""The `docgen` command: check, list, build, grant, export-ewp; user mistakes become messages and exit codes, never tracebacks."""
from __future__ import annotations

import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click

from docgen import checks
from docgen.errors import DocgenError, UsageError
from docgen.loader import in_scope
from docgen.project import Project, load_project

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2


def _data_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    fn = click.option("--data", "data_dir", type=click.Path(path_type=Path), default=Path("data"),
                      show_default=True, help="Data folder (institution.yaml, partners/, mobilities/, rates/).")(fn)
    return fn


def _templates_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--templates", "templates_dir", type=click.Path(path_type=Path), default=None,
                        help="Templates folder [default: templates/ beside the data folder].")(fn)


def _friendly(fn: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except UsageError as exc:
            click.echo(f"docgen: {exc}", err=True)
            sys.exit(EXIT_USAGE)
        except DocgenError as exc:
            click.echo(f"docgen: {exc}", err=True)
            sys.exit(exc.exit_code)

    return wrapper


def _checked(data_dir: Path) -> Project:
    project = load_project(data_dir)
    if project.home is not None:
        checks.run(project)
    else:
        project.problems.sort()
    return project


def _report(project: Project) -> None:
    for problem in project.problems:
        click.echo(str(problem))


def _summary(project: Project) -> str:
    agreements = sum(len(p.agreements) for p in project.partners.values())
    records = len(project.partners) + agreements + len(project.mobilities)
    return (f"{len(project.partners)} partners, {agreements} agreements, {len(project.mobilities)} mobilities, "
            f"{len(project.rates)} rate files ({records} records)")


def _templates(data_dir: Path, templates_dir: Path | None) -> Path:
    path = templates_dir or data_dir.resolve().parent / "templates"
    if not path.is_dir():
        raise UsageError(f"templates folder not found: {path} (use --templates)")
    return path


def _selection_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Which documents: templates folder, --only, --format, --out (shared by list and build)."""
    fn = click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("build"),
                      show_default=True, help="Build folder.")(fn)
    fn = click.option("--format", "formats", type=click.Choice(["docx", "pdf"]), multiple=True,
                      help="Only this format (repeatable) [default: all].")(fn)
    fn = click.option("--only", default=None, help="Only this partner, agreement or mobility id.")(fn)
    return _templates_option(fn)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="docgen")
def main() -> None:
    """Make an international-relations office's documents from its YAML data."""


@main.command()
@_data_option
@_friendly
def check(data_dir: Path) -> None:
    """Validate every data file; print every problem as file:line:col: field: message."""
    project = _checked(data_dir)
    _report(project)
    errors, warnings = len(project.errors), len(project.warnings)
    if errors:
        click.echo(f"{errors} error(s), {warnings} warning(s) in {data_dir}", err=True)
        sys.exit(EXIT_DATA)
    click.echo(f"ok: {_summary(project)}; {warnings} warning(s)")


@main.command("list")
@_data_option
@_selection_options
@click.option("--inputs", is_flag=True, help="Also list every file each document reads.")
@_friendly
def list_(data_dir: Path, templates_dir: Path | None, only: str | None, formats: tuple[str, ...],
          out_dir: Path, inputs: bool) -> None:
    """List every document that `docgen build` will make: kind, record, languages, output path."""
    from docgen.build import FORMATS, Builder

    project = _checked(data_dir)
    builder = Builder(project, _templates(data_dir, templates_dir), out_dir, formats or FORMATS)
    for job in builder.plan(only):
        r = job.record
        click.echo(f"{r.kind:28} {r.record_id:24} {'+'.join(r.langs):6} {job.output}")
        if inputs:
            for path in job.inputs:
                click.echo(f"    reads {path}")
    if project.errors:
        click.echo(f"{len(project.errors)} error(s): records with errors are left out (run docgen check)",
                   err=True)
        sys.exit(EXIT_DATA)


@main.command()
@_data_option
@_selection_options
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Documents rendered at once [default: the number of CPUs].")
@_friendly
def build(data_dir: Path, templates_dir: Path | None, only: str | None, formats: tuple[str, ...],
          out_dir: Path, jobs: int | None) -> None:
    """Validate, then render every document of every valid record into the build folder."""
    from docgen.build import FORMATS, Builder

    project = _checked(data_dir)
    _report(project)
    if not project.errors:
        click.echo(f"ok: {_summary(project)}; {len(project.warnings)} warning(s)")
    builder = Builder(project, _templates(data_dir, templates_dir), out_dir, formats or FORMATS)
    report = builder.run(builder.plan(only), workers=jobs or os.cpu_count() or 1)
    for failure in report.failed:
        click.echo(f"{failure.job.output}: not written: {failure.message}", err=True)
    click.echo(f"wrote {len(report.written)} file(s) into {out_dir}")
    if project.errors or report.failed:
        click.echo(f"{len(project.errors)} data error(s), {len(report.failed)} document(s) failed: "
                   "nothing was written for those records", err=True)
        sys.exit(EXIT_DATA)


@main.command()
@_data_option
@click.argument("mobility_id")
@_friendly
def grant(data_dir: Path, mobility_id: str) -> None:
    """Explain a mobility's grant line by line: rate, units, subtotal, advance and balance."""
    from docgen import grants

    project = _checked(data_dir)
    if mobility_id not in project.mobilities:
        if mobility_id in project.failed:
            _report(project)
            click.echo(f"mobility {mobility_id!r} has data errors", err=True)
            sys.exit(EXIT_DATA)
        raise UsageError(f"no mobility with id {mobility_id!r}")
    mobility, where, _ = project.mobilities[mobility_id]
    if mobility_id in project.failed:
        for problem in project.errors:
            if problem.file == where.source.file and in_scope(problem, where.loc):
                click.echo(str(problem))
        click.echo(f"mobility {mobility_id!r} has data errors", err=True)
        sys.exit(EXIT_DATA)
    assert project.home is not None
    partner = project.partners[mobility.partner].institution
    rates = project.rates[mobility.funding.call][0]
    click.echo(grants.explain(mobility, rates, project.home, partner))


@main.command("export-ewp")
@_data_option
@click.argument("agreement_id")
@click.option("--out", "out_file", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write the XML to this file [default: standard output].")
@_friendly
def export_ewp(data_dir: Path, agreement_id: str, out_file: Path | None) -> None:
    """Write an Erasmus+ agreement as an EWP IIAs API v7 get response, with its iia-hash."""
    from docgen import ewp
    from docgen.build import write_atomic

    xml, digest = ewp.export(_checked(data_dir), agreement_id)
    if out_file is None:
        click.echo(xml.decode("utf-8"), nl=False)
    else:
        write_atomic(out_file, xml)
        click.echo(f"wrote {out_file} (iia-hash {digest})")


if __name__ == "__main__":  # pragma: no cover
    main()
