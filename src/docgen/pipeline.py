"""The one path of the data: load → validate → plan → render → write, shared by the CLI, bench and the tests."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from pathlib import Path

from docgen.model import checks
from docgen.build.builder import FORMATS, Builder, BuildResult, build_lock
from docgen.build.manifest import Manifest, input_hashes
from docgen.documents import Document
from docgen.files import Progress
from docgen.errors import DocgenError, Problem, UsageError
from docgen.documents.i18n import Catalogs
from docgen.model.project import Project, Where, load_project
from docgen.site import SearchPath


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
          progress: Progress | None = None, executor: Executor | None = None) -> tuple[Builder, BuildResult]:
    """Plan every document of the valid records and write those whose inputs changed (rendered in `workers`
    local processes, or on `executor`). A full build (no `only`) also removes the documents the plan no longer
    makes. One build at a time writes into an output folder: a second one stops at once (BuildLocked)."""
    builder = Builder(project, templates, out_dir, formats)
    jobs = builder.plan(only)
    with build_lock(out_dir):
        return builder, builder.run(jobs, workers=workers, force=force, progress=progress, clean=only is None,
                                    executor=executor)


@contextmanager
def dask_executor(address: str) -> Iterator[Executor]:
    """A Dask distributed cluster's executor (`--dask-scheduler tcp://host:8786`): documents are rendered on its
    workers, files are written here."""
    try:
        from distributed import Client
    except ImportError:
        raise UsageError("--dask-scheduler needs Dask distributed: pip install 'docgen[dask]'") from None
    try:
        client = Client(address, timeout=10)
    except (OSError, TimeoutError) as exc:
        raise UsageError(f"--dask-scheduler {address}: no Dask scheduler answers there ({exc})") from None
    try:
        yield client.get_executor(pure=False)
    finally:
        client.close()


def render_problems(project: Project, templates: Path | SearchPath, catalogs: Catalogs | None = None,
                    out_dir: Path | None = None) -> list[Problem]:
    """Render (without writing) the HTML of every planned document: data that fails only when a template
    reads it (an address with no `city.en`) becomes a located problem of its record, found by `check`.
    A document the build in `out_dir` already wrote, in every format, from the same inputs (its manifest keys)
    rendered then and renders now: it is not rendered again."""
    builder = Builder(project, templates, out_dir or Path("build"), catalogs=catalogs)
    done = _built_from_current_inputs(builder) if out_dir is not None else set()
    found: list[Problem] = []
    for doc in builder.documents():
        if _doc_key(doc) in done:
            continue
        try:
            builder.html(doc)
        except DocgenError as exc:
            where = _where(project, doc.record_id, doc.partner_id)
            message = f"the {doc.kind} ({'-'.join(doc.langs)}) cannot be made: {exc}"
            if where is None:
                found.append(Problem(doc.record_id, 1, 1, "", message))
            else:
                found.append(where.problem((), message))
    return found


def _where(project: Project, record_id: str, partner_id: str) -> Where | None:
    if record_id in project.mobilities:
        return project.mobilities[record_id][1]
    partner = project.partners.get(partner_id)
    if partner is None:
        return None
    if record_id in partner.agreements:
        return partner.agreements[record_id][1]
    return partner.where


def _doc_key(doc: Document) -> tuple[str, str, tuple[str, ...], str]:
    return doc.kind, doc.record_id, doc.langs, str(doc.out_dir)


def _built_from_current_inputs(builder: Builder) -> set[tuple[str, str, tuple[str, ...], str]]:
    """The documents whose every output the manifest records as made from the inputs they have now."""
    jobs = builder.plan()
    manifest = Manifest.load(builder.out_dir)
    hashes = input_hashes(builder.project, builder.templates_dir, jobs)
    current: dict[tuple[str, str, tuple[str, ...], str], bool] = {}
    for job in jobs:
        key = _doc_key(job.doc)
        current[key] = current.get(key, True) and manifest.made_from(job.output, hashes.key(job))
    return {key for key, ok in current.items() if ok}
