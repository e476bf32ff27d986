"""The `docgen` command and its subcommands; user mistakes become messages and exit codes, never tracebacks."""
from __future__ import annotations

import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click

from docgen.errors import DataError, DocgenError, UsageError
from docgen.documents.i18n import Catalogs
from docgen.model.loader import in_scope
from docgen.model.project import Project, load_project
from docgen.site import Site, resolve

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2


def _site_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    """`--data` and `--templates` (each wins over docgen.yaml), resolved once into the command's `site`."""

    @wraps(fn)
    def wrapper(*args: Any, data_dir: Path | None, templates_dir: Path | None, **kwargs: Any) -> Any:
        out = kwargs.get("out_dir")
        site = _resolve(data_dir, templates_dir, out)
        if "out_dir" in kwargs:
            kwargs["out_dir"] = site.output
        return fn(*args, site=site, **kwargs)

    with_templates = click.option("--templates", "templates_dir", type=click.Path(path_type=Path), default=None,
                                  help="The office's template overrides folder [default: docgen.yaml's, else "
                                       "templates/ beside the data folder].")(wrapper)
    return click.option("--data", "data_dir", type=click.Path(path_type=Path), default=None,
                        help="Data folder [default: docgen.yaml's, else data/].")(with_templates)


def _data_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    """`--data` for a command that reads only the data: the site's data folder."""

    @wraps(fn)
    def wrapper(*args: Any, data_dir: Path | None, **kwargs: Any) -> Any:
        return fn(*args, data_dir=_resolve(data_dir, None, None).data, **kwargs)

    return click.option("--data", "data_dir", type=click.Path(path_type=Path), default=None,
                        help="Data folder [default: docgen.yaml's, else data/].")(wrapper)


def _resolve(data_dir: Path | None, templates_dir: Path | None, out_dir: Path | None) -> Site:
    try:
        return resolve(data_dir, templates_dir, out_dir)
    except DataError as exc:
        for problem in exc.problems:
            click.echo(str(problem))
        click.echo(f"{len(exc.problems)} error(s) in docgen.yaml", err=True)
        sys.exit(EXIT_DATA)
    except UsageError as exc:
        click.echo(f"docgen: {exc}", err=True)
        sys.exit(EXIT_USAGE)


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


def _catalogs(site: Site) -> Catalogs:
    """The site's catalogs: docgen's, then the office's messages over them."""
    return Catalogs(site.locales)


def _checked(data: Site | Path) -> Project:
    from docgen.pipeline import load_checked

    if isinstance(data, Site):
        return load_checked(data.data, _catalogs(data))
    return load_checked(data, _catalogs(_resolve(data, None, None)))


def _more_warnings(project: Project, site: Site) -> None:
    """Characters the fonts cannot draw, warned at their fields; and participants' data that git tracks in
    clear (docgen.model.personal)."""
    from docgen.model import glyphs
    from docgen.model import personal

    fonts = tuple(site.search.glob("fonts", "*.ttf"))
    if fonts:
        project.problems.extend(glyphs.problems(project, fonts))
    project.problems.extend(personal.problems(project))
    project.problems.sort()


def _report(project: Project) -> None:
    for problem in project.problems:
        click.echo(str(problem))


def _summary(project: Project) -> str:
    agreements = sum(len(p.agreements) for p in project.partners.values())
    records = len(project.partners) + agreements + len(project.mobilities)
    return (f"{len(project.partners)} partners, {agreements} agreements, {len(project.mobilities)} mobilities, "
            f"{len(project.rates)} rate files ({records} records)")


def _selection_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Which documents: --only, --format, --out (shared by list and build)."""
    fn = click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
                      help="Build folder [default: docgen.yaml's, else build/].")(fn)
    fn = click.option("--format", "formats", type=click.Choice(["docx", "pdf"]), multiple=True,
                      help="Only this format (repeatable) [default: all].")(fn)
    return click.option("--only", default=None, help="Only this partner, agreement or mobility id.")(fn)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="docgen")
def main() -> None:
    """Make an international-relations office's documents from its YAML data."""


@main.command()
@_site_option
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Build folder [default: docgen.yaml's, else build/]: documents it already holds from the same "
                   "inputs are not rendered again.")
@_friendly
def check(site: Site, out_dir: Path) -> None:
    """Validate every data file; print every problem as file:line:col: field: message. Documents the build folder
    already holds from the same inputs are not rendered again."""
    from docgen.pipeline import load_checked, render_problems

    catalogs = _catalogs(site)
    project = load_checked(site.data, catalogs)
    if project.home is not None:
        project.problems.extend(render_problems(project, site.search, catalogs, out_dir))
        project.problems.sort()
    _more_warnings(project, site)
    _report(project)
    errors, warnings = len(project.errors), len(project.warnings)
    if errors:
        click.echo(f"{errors} error(s), {warnings} warning(s) in {site.data}", err=True)
        sys.exit(EXIT_DATA)
    click.echo(f"ok: {_summary(project)}; {warnings} warning(s)")


@main.command("list")
@_site_option
@_selection_options
@click.option("--inputs", is_flag=True, help="Also list every file each document reads (the office's override "
                                              "or docgen's own, whichever wins).")
@_friendly
def list_(site: Site, only: str | None, formats: tuple[str, ...], out_dir: Path, inputs: bool) -> None:
    """List every document that `docgen build` will make: kind, record, languages, output path."""
    from docgen.build.builder import FORMATS, Builder

    project = _checked(site)
    builder = Builder(project, site.search, out_dir, formats or FORMATS)
    for job in builder.plan(only):
        r = job.doc
        click.echo(f"{r.kind:28} {r.record_id:24} {'+'.join(r.langs):6} {job.output}")
        if inputs:
            for path in job.inputs:
                click.echo(f"    reads {site.search.name(path) if path.is_relative_to(site.search.dirs[-1]) else path}")
    if project.errors:
        click.echo(f"{len(project.errors)} error(s): records with errors are left out (run docgen check)",
                   err=True)
        sys.exit(EXIT_DATA)


@main.command()
@_site_option
@_selection_options
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Documents rendered at once [default: the number of CPUs].")
@click.option("--force", is_flag=True, help="Rebuild every document, even those whose inputs did not change.")
@click.option("--verbose", "-v", is_flag=True, help="Say why each document is rebuilt.")
@click.option("--dask-scheduler", "dask_scheduler", metavar="ADDRESS", default=None,
              help="Render on this Dask distributed cluster (tcp://host:8786) instead of local processes.")
@_friendly
def build(site: Site, only: str | None, formats: tuple[str, ...],
          out_dir: Path, jobs: int | None, force: bool, verbose: bool, dask_scheduler: str | None) -> None:
    """Validate, then render every document of every valid record whose inputs changed into the build folder."""
    from docgen.build.builder import FORMATS
    from contextlib import nullcontext

    from docgen.pipeline import build as run_build
    from docgen.pipeline import dask_executor
    from docgen.progress import progress_reporter

    project = _checked(site)
    _more_warnings(project, site)
    _report(project)
    if not project.errors:
        click.echo(f"ok: {_summary(project)}; {len(project.warnings)} warning(s)")
    with dask_executor(dask_scheduler) if dask_scheduler else nullcontext() as executor, \
            progress_reporter() as progress:
        builder, result = run_build(project, site.search, out_dir, formats or FORMATS,
                                    only=only, workers=jobs or os.cpu_count() or 1, force=force,
                                    progress=progress, executor=executor)
    if verbose:
        for job in result.written:
            click.echo(f"rebuilt {job.output}: {result.reasons.get(job.output, '')}")
    for blocked in result.blocked:
        click.echo(f"docgen: {blocked}", err=True)
    for failure in result.failed:
        click.echo(f"{failure.job.output}: not written: {failure.message}", err=True)
    for path in result.removed:
        click.echo(f"removed {path} (no longer made)")
    if result.skipped:
        click.echo(f"{len(result.skipped)} file(s) up to date" if result.written else
                   f"nothing to render: all {len(result.skipped)} file(s) are up to date")
    click.echo(f"wrote {len(result.written)} file(s) into {out_dir}")
    if project.errors or result.failed or result.blocked:
        click.echo(f"{len(project.errors)} data error(s), {len(result.failed)} document(s) failed, "
                   f"{len(result.blocked)} blocked: nothing was written for those records", err=True)
        sys.exit(EXIT_DATA)


@main.command(context_settings={"ignore_unknown_options": True, "help_option_names": []})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def bench(args: tuple[str, ...]) -> None:
    """Time docgen against the naive loop on a synthetic office (docgen bench --help)."""
    from docgen.build.bench import main as bench_main

    sys.exit(bench_main(list(args)))


@main.command()
@_data_option
@click.argument("mobility_id")
@_friendly
def grant(data_dir: Path, mobility_id: str) -> None:
    """Explain a mobility's grant line by line: rate, units, subtotal, advance and balance."""
    from docgen.money import grants

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


@main.command()
@_site_option
@click.argument("agreement_id")
@click.option("--rev", default=None, help="A git revision to read the data and catalogs from [default: the files now].")
@_friendly
def terms(site: Site, agreement_id: str, rev: str | None) -> None:
    """Print an agreement's canonical terms and their SHA-256."""
    from docgen.review.diff import snapshot
    from docgen.review.terms import canonical

    with snapshot(site.data, site.search, rev) as (data, locales):
        project = load_project(data)
        if project.home is None:
            _report(project)
            raise DocgenError("the home institution file has errors (run docgen check)")
        found = canonical(project, Catalogs(locales), agreement_id)
    click.echo(found.text, nl=False)
    click.echo(f"sha256: {found.hash}")


@main.command()
@_site_option
@click.argument("agreement_id")
@click.option("--by", type=click.Choice(["home", "partner"]), required=True, help="The side that signed.")
@click.option("--date", "date", type=click.DateTime(formats=["%Y-%m-%d"]), required=True,
              help="The day it was signed, YYYY-MM-DD.")
@click.option("--signatory", default=None, help="Who signed [default: the legal representative].")
@_friendly
def sign(site: Site, agreement_id: str, by: str, date: Any, signatory: str | None) -> None:
    """Record a signature of the agreement's current terms (with their hash) in the partner file."""
    from docgen.review import sign as signing

    project = _checked(site)
    catalogs = _catalogs(site)
    path, full = signing.sign(project, catalogs, agreement_id, by, date.date(), signatory)
    click.echo(f"{project.display(path)}: {agreement_id} signed by {by} on {date.date().isoformat()}, "
               f"terms {full}")


@main.command()
@_site_option
@click.argument("rev_a", required=False, default="HEAD")
@click.argument("rev_b", required=False, default=None)
@click.option("--format", "fmt", type=click.Choice(["text", "md", "json"]), default="text", show_default=True)
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Build folder the changed documents are named in [default: the site's].")
@_friendly
def diff(site: Site, rev_a: str, rev_b: str | None, fmt: str, out_dir: Path) -> None:
    """Compare the terms of every agreement (and every grant) between two git revisions.

    REV_A defaults to HEAD, REV_B to the working tree. Exit 0 when no terms changed, 1 when some did.
    """
    from docgen.review import diff as diffing

    with diffing.snapshot(site.data, site.search, rev_a) as (data, locales):
        old = diffing.load_side(data, site.search, locales)
        with diffing.snapshot(site.data, site.search, rev_b) as (data_b, locales_b):
            new = diffing.load_side(data_b, site.search, locales_b)
            diffs = diffing.compare(old, new, out_dir)
    click.echo(diffing.render(diffs, fmt, rev_a, rev_b or "working tree"), nl=False)
    sys.exit(EXIT_DATA if any(d.terms_changed for d in diffs) else EXIT_OK)


@main.command()
@_site_option
@click.argument("agreement_id")
@click.option("--from", "rev_from", required=True, help="The git revision the changes are counted from.")
@click.option("--to", "rev_to", default=None, help="The newer git revision [default: the working tree].")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Build folder; the files go to <out>/redline/<partner>/<agreement>/ [default: the site's].")
@click.option("--format", "formats", type=click.Choice(["docx", "pdf"]), multiple=True,
              help="Only this format (repeatable) [default: all].")
@_friendly
def redline(site: Site, agreement_id: str, rev_from: str, rev_to: str | None, out_dir: Path,
            formats: tuple[str, ...]) -> None:
    """Write an agreement's documents with the changes since --from marked: PDF underlined and struck
    through, DOCX as Word tracked changes (accept or reject them in Word)."""
    from docgen.review import redline as redlining
    from docgen.build.builder import FORMATS

    found = redlining.redlines(site.data, site.search, agreement_id, rev_from, rev_to)
    span = f"{rev_from} and {rev_to or 'the working tree'}"
    for item in found:
        if not item.changes:
            click.echo(f"{agreement_id}: the {item.doc.kind} ({'-'.join(item.doc.langs)}) is the same at {span}: "
                       "no redline written")
    for path, item in redlining.write(found, site.search, out_dir, formats or FORMATS):
        click.echo(f"{path}: {item.changes} change(s) marked")


@main.command()
@click.argument("target", type=click.Path(path_type=Path, file_okay=False))
@click.option("--example", is_flag=True, help="Start from the sample office (invented partners and people).")
@_friendly
def init(target: Path, example: bool) -> None:
    """Make a new office repository in TARGET: docgen.yaml, data/, Makefile, CI, .gitignore, README."""
    from docgen.office.init import init as make_office

    written = make_office(target, example)
    click.echo(f"wrote an office repository into {target} ({len(written)} files and data/): cd {target} && make")


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@_friendly
def textconv(path: Path) -> None:
    """Print a stable text form of a DOCX or PDF (for git diff: diff.docgen.textconv)."""
    from docgen.review.textconv import textconv as convert

    click.echo(convert(path), nl=False)
@main.command("export-ewp")
@_data_option
@click.argument("agreement_id")
@click.option("--out", "out_file", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write the XML to this file [default: standard output].")
@_friendly
def export_ewp(data_dir: Path, agreement_id: str, out_file: Path | None) -> None:
    """Write an Erasmus+ agreement as an EWP IIAs API v7 get response, with its iia-hash."""
    from docgen.review import ewp
    from docgen.files import write_atomic

    xml, digest = ewp.export(_checked(data_dir), agreement_id)
    if out_file is None:
        click.echo(xml.decode("utf-8"), nl=False)
    else:
        write_atomic(out_file, xml)
        click.echo(f"wrote {out_file} (iia-hash {digest})")
@main.group("import")
def import_() -> None:
    """Bring records in from a spreadsheet."""


@import_.command("mobilities")
@_data_option
@click.argument("sheet", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--year", required=True, help="Academic year of the mobilities, e.g. 2025/2026.")
@click.option("--mapping", "mapping_path", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              default=None, help="Columns → fields mapping [default: docgen.yaml's, else the shipped one].")
@click.option("--partial", is_flag=True, help="Write the valid rows even when others have errors.")
@_friendly
def import_mobilities(data_dir: Path, sheet: Path, year: str, mapping_path: Path | None, partial: bool) -> None:
    """Append a recruitment list's rows (xlsx or csv) to the year's mobilities file, all validated first."""
    from docgen.office import importer

    mapping = importer.load_mapping(mapping_path or importer.office_mapping(data_dir))
    imported = importer.read_rows(sheet, year, data_dir, mapping)
    for problem in imported.problems():
        click.echo(str(problem))
    written = importer.write(imported, partial=partial)
    target = imported.target
    bad = len(imported.invalid) + (1 if imported.sheet_problems else 0)
    if written:
        click.echo(f"wrote {written} mobilit{'y' if written == 1 else 'ies'} into {target}")
    if bad or not imported.rows:
        left = len(imported.rows) - written
        click.echo(f"{left} row(s) not written" + ("" if partial else
                                                  ": nothing is written unless every row is valid "
                                                  "(--partial writes the valid ones)"), err=True)
        sys.exit(EXIT_DATA)


@main.group()
def export() -> None:
    """Write records out as a spreadsheet."""


@export.command("mobilities")
@_site_option
@click.option("--year", default=None, help="Only this academic year, e.g. 2024/2025 [default: all].")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv"]), required=True)
@click.option("--out", "out", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Output file [default: the build folder's mobilities-YEAR.FORMAT].")
@_friendly
def export_mobilities(site: Site, year: str | None, fmt: str, out: Path | None) -> None:
    """One row per valid mobility with its grant lines (the grant calculator's figures), for the finance office."""
    from docgen.office import importer
    from docgen.files import write_atomic

    project = _checked(site)
    if project.home is None:
        _report(project)
        sys.exit(EXIT_DATA)
    header, table, left_out = importer.export_rows(project, year)
    name = f"mobilities-{year.replace('/', '-') if year else 'all'}"
    out = out or site.output / f"{name}.{fmt}"
    data = importer.to_csv(header, table) if fmt == "csv" else importer.to_xlsx(header, table, name)
    write_atomic(out, data)
    click.echo(f"wrote {len(table)} mobilit{'y' if len(table) == 1 else 'ies'} into {out}")
    if left_out:
        click.echo(f"{len(left_out)} mobilit{'y' if len(left_out) == 1 else 'ies'} with data errors left out: "
                   f"{', '.join(left_out)} (run docgen check)", err=True)
        sys.exit(EXIT_DATA)


@main.command()
@_site_option
@click.option("--months", type=click.IntRange(min=0), default=12, show_default=True,
              help="List the agreements that end within this many months.")
@click.option("--today", "today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The report's date, YYYY-MM-DD [default: today].")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Build folder; the report goes into its reports/ folder [default: the site's].")
@_friendly
def report(site: Site, months: int, today: Any, out_dir: Path) -> None:
    """Agreements to renew or sign, places used per agreement row, money per call, counts for the letters and
    the National Agency: CSV tables and one HTML page in build/reports/, a summary here."""
    import datetime as dt

    from docgen.office import reports

    project = _checked(site)
    if project.home is None:
        _report(project)
    made = reports.build_report(project, today.date() if today else dt.date.today(), months)
    for line in reports.summary(made):
        click.echo(line)
    written = reports.write(made, out_dir)
    click.echo(f"wrote {len(written)} file(s) into {out_dir / 'reports'}")
    if made.left_out:
        click.echo(f"{len(made.left_out)} record(s) left out of the report:", err=True)
        for left in made.left_out:
            click.echo(f"  {left.record}: {left.why}", err=True)
        sys.exit(EXIT_DATA)


@main.group()
def new() -> None:
    """Write a commented skeleton of a record; docgen check names each field still to fill."""


def _made(path: Path, what: str) -> None:
    click.echo(f"wrote {what} into {path}: replace every TODO, then run docgen check")


@new.command("partner")
@_data_option
@click.argument("partner_id")
@_friendly
def new_partner(data_dir: Path, partner_id: str) -> None:
    """A partner file partners/ID.yaml."""
    from docgen.office import newrecords

    _made(newrecords.new_partner(data_dir, partner_id), f"partner {partner_id!r}")


@new.command("agreement")
@_data_option
@click.argument("partner_id")
@click.option("--kind", required=True, type=click.Choice(["erasmus-iia", "bilateral-cooperation",
                                                          "general-cooperation"]))
@click.option("--id", "agreement_id", default=None, help="Agreement id [default: PARTNER-iia|bilateral|general-YEAR].")
@_friendly
def new_agreement(data_dir: Path, partner_id: str, kind: str, agreement_id: str | None) -> None:
    """An agreement appended to the partner's file."""
    from docgen.office import newrecords

    path, made = newrecords.new_agreement(data_dir, partner_id, kind, agreement_id)
    _made(path, f"agreement {made!r}")


@new.command("mobility")
@_data_option
@click.option("--agreement", "agreement_id", required=True, help="Id of the agreement it is made under.")
@click.option("--type", "mobility_type", required=True,
              type=click.Choice(["student-studies", "student-traineeship", "staff-teaching", "staff-training"]))
@click.option("--direction", type=click.Choice(["outgoing", "incoming"]), default="outgoing", show_default=True)
@click.option("--year", default=None, help="Academic year, e.g. 2025/2026 [default: the one in progress].")
@click.option("--id", "mobility_id", default=None, help="Mobility id [default: the next free YYYY-partner-out-studies-N].")
@_friendly
def new_mobility(data_dir: Path, agreement_id: str, mobility_type: str, direction: str, year: str | None,
                 mobility_id: str | None) -> None:
    """A mobility appended to the year's mobilities file."""
    from docgen.office import newrecords

    path, made = newrecords.new_mobility(data_dir, agreement_id, mobility_type, direction, year, mobility_id)
    _made(path, f"mobility {made!r}")


@new.command("rates")
@_data_option
@click.option("--from", "source_id", required=True, help="Rates file to start from, e.g. ka131-2024-pl.")
@click.option("--call", type=click.IntRange(2014, 2100), required=True, help="Call year, e.g. 2025.")
@_friendly
def new_rates(data_dir: Path, source_id: str, call: int) -> None:
    """A rates file for a new call: the rules copied, every amount to be written again."""
    from docgen.office import newrecords

    path, made = newrecords.new_rates(data_dir, source_id, call)
    _made(path, f"rates {made!r}")


if __name__ == "__main__":  # pragma: no cover
    main()
