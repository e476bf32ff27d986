"""Plan the documents to make, render each with its format's renderer, write atomically."""
from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from docgen.documents import DocKind, Record, kinds
from docgen.errors import DocgenError, UsageError
from docgen.i18n import Catalogs
from docgen.project import Project
from docgen.renderers import DocMeta, Renderer, get_renderer

FORMATS = ("docx", "pdf")


@dataclass(frozen=True)
class Job:
    """One output file: a record of a kind, in one format, and every file it reads."""

    record: Record
    fmt: str
    output: Path
    inputs: tuple[Path, ...]


@dataclass
class Failure:
    job: Job
    message: str


@dataclass
class Report:
    written: list[Job] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)


class Builder:
    """Holds the project, the templates and one renderer per requested format."""

    def __init__(self, project: Project, templates: Path, out_dir: Path,
                 formats: Iterable[str] = FORMATS) -> None:
        self.project = project
        self.templates = templates
        self.out_dir = out_dir
        self.catalogs = Catalogs(templates / "locale")
        self.renderers: dict[str, Renderer] = {
            name: get_renderer(name)(templates, self.catalogs) for name in formats
        }
        self.kinds: dict[str, DocKind] = kinds()

    def records(self, only: str | None = None) -> list[Record]:
        """Every valid record's documents; `only` narrows to a partner, agreement or mobility id."""
        found: list[Record] = []
        for kind in self.kinds.values():
            for record in kind.records(self.project):
                if record.record_id in self.project.failed or record.partner_id in self.project.failed:
                    continue
                if only and only not in (record.record_id, record.partner_id):
                    continue
                found.append(record)
        if only and not found:
            raise UsageError(f"--only {only}: no partner, agreement or mobility with that id has documents")
        return sorted(found, key=lambda r: (str(r.out_dir), r.kind))

    def plan(self, only: str | None = None) -> list[Job]:
        jobs = []
        for record in self.records(only):
            for fmt, renderer in self.renderers.items():
                inputs = tuple(sorted(set(record.data_files)
                                      | set(renderer.template_files(self.kinds[record.kind].template))
                                      | {f for f in self.catalogs.files if f.parent.name in record.langs}))
                output = self.out_dir / record.out_dir / f"{record.stem()}.{renderer.extension}"
                jobs.append(Job(record, fmt, output, inputs))
        return jobs

    def meta(self, record: Record) -> DocMeta:
        kind = self.kinds[record.kind]
        title = " / ".join(self.catalogs.gettext(lang, kind.title_key) for lang in record.langs)
        home = self.project.home
        author = home.name["en"] if home else "docgen"
        return DocMeta(title=title, langs=record.langs, doc_id=record.record_id,
                       date=dt.date.fromisoformat(record.date), author=author)

    def render(self, job: Job) -> bytes:
        kind = self.kinds[job.record.kind]
        context = {"langs": job.record.langs, **kind.context(self.project, job.record)}
        return self.renderers[job.fmt].render(kind.template, context, self.meta(job.record))

    def attempt(self, job: Job) -> bytes | str:
        """The rendered bytes, or the message why this document could not be made."""
        try:
            return self.render(job)
        except DocgenError as exc:
            return str(exc)

    def run(self, jobs: list[Job], workers: int = 1) -> Report:
        """Render every job (in `workers` processes), then write each result atomically in plan order."""
        if workers > 1 and len(jobs) > 1:
            global _ACTIVE
            _ACTIVE = (self, jobs)  # forked workers inherit the loaded project, renderers and plan
            try:
                with multiprocessing.get_context("fork").Pool(min(workers, len(jobs))) as pool:
                    results = pool.map(_attempt, range(len(jobs)), chunksize=1)
            finally:
                _ACTIVE = None
        else:
            results = [self.attempt(job) for job in jobs]
        report = Report()
        for job, result in zip(jobs, results):
            if isinstance(result, str):
                report.failed.append(Failure(job, result))
                continue
            write_atomic(job.output, result)
            report.written.append(job)
        return report


_ACTIVE: tuple[Builder, list[Job]] | None = None


def _attempt(index: int) -> bytes | str:
    assert _ACTIVE is not None
    builder, jobs = _ACTIVE
    return builder.attempt(jobs[index])


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, flush it to disk, then rename over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
