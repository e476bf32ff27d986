"""Plan the documents to make, skip those whose inputs did not change, render the rest, write each as it arrives."""
from __future__ import annotations

import atexit
import datetime as dt
import fcntl
import hashlib
import multiprocessing
import os
import pickle
import re
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from docgen.review import terms
from docgen.documents import DocKind, Document, kinds
from docgen.errors import BuildLocked, DocgenError, UsageError
from docgen.files import Progress, write_atomic
from docgen.documents.i18n import Catalogs
from docgen.build.manifest import MANIFEST, Manifest, input_hashes
from docgen.build.paths import inside, redline_dir, reports_dir
from docgen.model.project import Project
from docgen.documents.renderers import DocMeta, DocumentTemplates, Writer, get_writer
from docgen.site import SearchPath, search_path

FORMATS = ("docx", "pdf")
DOCUMENT_SUFFIXES = (".pdf", ".docx")
# Folders of the build that are not documents of the plan (never cleaned as stale).
OWN_FOLDERS = (reports_dir().name, "bench", redline_dir().name)
LOCK = ".docgen.lock"
# docgen's own bookkeeping in the build folder, beside the documents.
OWN_FILES = (MANIFEST, LOCK)
# A local worker process renders this many documents, then a fresh one takes over: memory stays flat.
RECYCLE_AFTER = 200


@dataclass(frozen=True)
class Job:
    """One output file: a document in one format, and every file it reads."""

    doc: Document
    fmt: str
    output: Path
    inputs: tuple[Path, ...]


@dataclass
class Failure:
    job: Job
    message: str


@dataclass
class Blocked:
    """A document that sums records and is not made because some of them have errors."""

    doc: Document
    records: list[str]

    def __str__(self) -> str:
        return (f"{self.doc.kind} of {self.doc.partner_id}: not built while these records it counts have errors: "
                f"{', '.join(self.records)}")


@dataclass
class BuildResult:
    written: list[Job] = field(default_factory=list)
    skipped: list[Job] = field(default_factory=list)  # up to date
    failed: list[Failure] = field(default_factory=list)
    blocked: list[Blocked] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)  # stale outputs deleted
    reasons: dict[Path, str] = field(default_factory=dict)  # why each written file was rebuilt


class Builder:
    """Holds the project, the one template per kind, and one writer per requested format."""

    def __init__(self, project: Project, templates: Path | SearchPath, out_dir: Path,
                 formats: Iterable[str] = FORMATS, catalogs: Catalogs | None = None) -> None:
        self.project = project
        self.templates_dir = search = search_path(templates)
        self.out_dir = out_dir
        self.formats = tuple(formats)
        self.catalogs = catalogs or Catalogs(search.layers("locale"))
        self.templates = DocumentTemplates(search, self.catalogs)
        self.writers: dict[str, Writer] = {name: get_writer(name)(search) for name in self.formats}
        self.kinds: dict[str, DocKind] = kinds()
        self.blocked: list[Blocked] = []
        self._terms_cache: dict[str, tuple[str, dt.date | None]] = {}

    def __getstate__(self) -> dict[str, object]:
        """What a remote worker needs to render (the Jinja environment and writers are made again there)."""
        return {"args": (self.project, self.templates_dir, self.out_dir, self.formats, self.catalogs),
                "blocked": self.blocked}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__init__(*state["args"])  # type: ignore[misc]
        self.blocked = state["blocked"]  # type: ignore[assignment]

    def documents(self, only: str | None = None) -> list[Document]:
        """Every valid record's documents; `only` narrows to a partner, agreement or mobility id."""
        found: list[Document] = []
        self.blocked = []
        for kind in self.kinds.values():
            for doc in kind.records(self.project):
                if doc.record_id in self.project.failed or doc.partner_id in self.project.failed:
                    continue
                if only and only not in (doc.record_id, doc.partner_id):
                    continue
                blocking = kind.blocked_by(self.project, doc) if kind.blocked_by else []
                if blocking:
                    self.blocked.append(Blocked(doc, blocking))
                    continue
                found.append(doc)
        if only and not found and not self.blocked:
            raise UsageError(f"--only {only}: no partner, agreement or mobility with that id has documents")
        return sorted(found, key=lambda d: (str(d.out_dir), d.kind))

    def plan(self, only: str | None = None) -> list[Job]:
        jobs = []
        for doc in self.documents(only):
            template_files = self.templates.files(self.kinds[doc.kind].template)
            catalogs = {f for f in self.catalogs.files if f.parent.name in doc.langs}
            for fmt, writer in self.writers.items():
                inputs = tuple(sorted(set(doc.data_files) | set(template_files) | set(writer.files()) | catalogs))
                output = inside(self.out_dir, doc.out_dir / doc.file_name(writer.extension))
                jobs.append(Job(doc, fmt, output, inputs))
        return jobs

    def meta(self, doc: Document) -> DocMeta:
        kind = self.kinds[doc.kind]
        title = " / ".join(self.catalogs.gettext(lang, kind.title_key) for lang in doc.langs)
        home = self.project.home
        author = home.name["en"] if home else "docgen"
        footer = ""
        if kind.agreement:
            footer = self.catalogs.gettext(doc.langs[0], "common.terms", hash=self._terms(doc)[0])
        return DocMeta(title=title, langs=doc.langs, doc_id=doc.record_id,
                       date=dt.date.fromisoformat(doc.date), author=author,
                       page_label=self.catalogs.gettext(doc.langs[0], "common.page"), footer_left=footer)

    def _terms(self, doc: Document) -> tuple[str, dt.date | None]:
        """An agreement's short terms hash, and the date of the signature its terms no longer match."""
        if doc.record_id not in self._terms_cache:
            full = terms.terms_hash(self.project, self.catalogs, doc.record_id)
            changed = terms.changed_since_signed(self.project, self.catalogs, doc.record_id, full)
            self._terms_cache[doc.record_id] = (terms.short_hash(full), changed[0][1].date if changed else None)
        return self._terms_cache[doc.record_id]

    def html(self, doc: Document, meta: DocMeta | None = None) -> str:
        """The document's one rendered source: the HTML every format is written from (`meta`: another footer)."""
        kind = self.kinds[doc.kind]
        context = {"langs": doc.langs, **kind.context(self.project, doc)}
        if kind.agreement:
            context["amendment_of"] = self._terms(doc)[1]
        return self.templates.render(kind.template, context, meta or self.meta(doc))

    def render(self, job: Job) -> bytes:
        return self.writers[job.fmt].write(self.html(job.doc), self.meta(job.doc))

    def attempt(self, jobs: list[Job]) -> list[bytes | str]:
        """One document in each of its formats (its HTML rendered once): bytes, or the message why not.
        Any exception is this document's failure, never the build's."""
        try:
            html = self.html(jobs[0].doc)
            meta = self.meta(jobs[0].doc)
        except Exception as exc:  # noqa: BLE001 - one bad document never takes the build down
            return [_message(exc)] * len(jobs)
        results: list[bytes | str] = []
        for job in jobs:
            try:
                results.append(self.writers[job.fmt].write(html, meta))
            except Exception as exc:  # noqa: BLE001
                results.append(_message(exc))
        return results

    def run(self, jobs: list[Job], workers: int = 1, force: bool = False,
            progress: Progress | None = None, clean: bool = False,
            executor: Executor | None = None) -> BuildResult:
        """Render the jobs whose inputs changed (all with `force`), in `workers` local processes or on
        `executor`, writing each file as its document arrives; then record the manifest, and with `clean` remove
        outputs no longer planned. `docgen build` holds `build_lock` around it (pipeline.build)."""
        result = BuildResult(blocked=list(self.blocked))
        manifest = Manifest.load(self.out_dir)
        hashes = input_hashes(self.project, self.templates_dir, jobs)
        pending: list[Job] = []
        for job in jobs:
            key = hashes.key(job)
            reason = None if force else manifest.up_to_date(job.output, key, hashes.names(job), hashes)
            if reason is None and not force:
                result.skipped.append(job)
            else:
                result.reasons[job.output] = "forced" if force else reason or ""
                pending.append(job)
        if clean:  # a full build: another run writing into the folder (--only, a test's shard) keeps its temps
            _remove_leftover_temps(self.out_dir)
        groups = _by_document(pending)
        done = failed = 0
        total = len(pending)
        for group, results in self._results(groups, workers, executor):
            for job, outcome in zip(group, results):
                if isinstance(outcome, str):
                    result.failed.append(Failure(job, outcome))
                    manifest.forget(job.output)
                    failed += 1
                    continue
                write_atomic(job.output, outcome)
                manifest.record(job.output, hashes.key(job))
                result.written.append(job)
                done += 1
            if progress:
                progress(done, failed, total)
        if clean:
            planned = {job.output for job in jobs}
            formats = {f".{w.extension}" for w in self.writers.values()}
            result.removed = _remove_stale(self.out_dir, planned, formats, set(self.kinds))
            for path in result.removed:
                manifest.forget(path)
        manifest.inputs.update(hashes.all())
        manifest.save()
        return result

    def _results(self, groups: list[list[Job]], workers: int,
                 executor: Executor | None) -> Iterator[tuple[list[Job], list[bytes | str]]]:
        """Each document's outcomes, in plan order, as soon as they are there."""
        if executor is not None:
            state = pickle.dumps(self)
            token = hashlib.sha256(state).hexdigest()
            shared = _shared(executor, state)

            def remote(ex: Executor, i: int) -> Future[list[bytes | str]]:
                return ex.submit(_attempt_remote, token, shared, groups[i])

            yield from _streamed(groups, range(len(groups)), executor, remote, _in_flight(executor, workers))
        elif workers > 1 and len(groups) > 1:
            global _ACTIVE
            _ACTIVE = (self, groups)  # forked workers inherit the loaded project, templates and plan
            count = min(workers, len(groups))
            try:
                ctx = multiprocessing.get_context("fork")
                # a new pool every RECYCLE_AFTER documents a worker: memory stays flat however large the office
                for start in range(0, len(groups), RECYCLE_AFTER * count):
                    batch = range(start, min(start + RECYCLE_AFTER * count, len(groups)))
                    with ProcessPoolExecutor(count, mp_context=ctx) as pool:
                        yield from _streamed(groups, batch, pool, _local, 2 * count)
            finally:
                _ACTIVE = None
        else:
            for group in groups:
                yield group, self.attempt(group)


_ACTIVE: tuple[Builder, list[list[Job]]] | None = None
# A remote worker's builder by the hash of its pickled state: made once, reused for every document.
_REMOTE: dict[str, Builder] = {}
_REMOTE_LOCK = threading.Lock()
atexit.register(_REMOTE.clear)  # WeasyPrint's font configuration cannot be freed once the interpreter is gone


def _attempt(index: int) -> list[bytes | str]:
    assert _ACTIVE is not None
    builder, groups = _ACTIVE
    return builder.attempt(groups[index])


def _local(executor: Executor, index: int) -> Future[list[bytes | str]]:
    return executor.submit(_attempt, index)


def _attempt_remote(token: str, state: bytes, group: list[Job]) -> list[bytes | str]:
    """One document on an executor's worker. The lock keeps a worker process to one document at a time:
    the PDF writer sets SOURCE_DATE_EPOCH for the whole process, and WeasyPrint's font configuration is shared."""
    with _REMOTE_LOCK:
        builder = _REMOTE.get(token)
        if builder is None:
            _REMOTE.clear()
            builder = _REMOTE[token] = pickle.loads(state)
        return builder.attempt(group)


def _shared(executor: Executor, state: bytes) -> object:
    """The pickled builder as each task's argument; on Dask sent to every worker once (scatter), not once a
    document."""
    client = getattr(executor, "_client", None)
    if client is not None and hasattr(client, "scatter"):
        return client.scatter(state, broadcast=True)
    return state


def _in_flight(executor: Executor, workers: int) -> int:
    """Documents submitted ahead of the one being written: enough to keep every worker busy, few enough
    that the rendered files waiting in memory stay few (a Dask executor says how many threads it has)."""
    client = getattr(executor, "_client", None)
    try:
        workers = max(workers, sum(client.nthreads().values())) if client is not None else workers
    except Exception:  # noqa: BLE001 - only a sizing hint
        pass
    return 2 * max(workers, 1)


def _streamed(groups: list[list[Job]], indexes: Iterable[int], executor: Executor,
              submit: Callable[[Executor, int], Future[list[bytes | str]]],
              ahead: int) -> Iterator[tuple[list[Job], list[bytes | str]]]:
    """Outcomes in plan order, with at most `ahead` documents submitted and not yet written; a document
    whose task failed (a worker died, the cluster lost it) fails alone."""
    pending: deque[tuple[int, Future[list[bytes | str]]]] = deque()
    todo = iter(indexes)
    for index in islice(todo, ahead):
        pending.append((index, submit(executor, index)))
    while pending:
        index, future = pending.popleft()
        try:
            outcome = future.result()
        except Exception as exc:  # noqa: BLE001 - one lost document never takes the build down
            outcome = [f"not rendered: {_message(exc)}"] * len(groups[index])
        for following in islice(todo, 1):
            pending.append((following, submit(executor, following)))
        yield groups[index], outcome


@contextmanager
def build_lock(out_dir: Path) -> Iterator[None]:
    """`build/.docgen.lock`, held while a build writes: a second build into the same folder stops at once."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / LOCK
    with open(path, "a+b") as fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildLocked(f"another docgen build is writing into {out_dir} (it holds {path}); wait for "
                              "it to finish, or build into another folder with --out") from None
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def _message(exc: Exception) -> str:
    return str(exc) if isinstance(exc, DocgenError) else f"{type(exc).__name__}: {exc}"


def _by_document(jobs: list[Job]) -> list[list[Job]]:
    """Jobs grouped per document, in plan order, so a document's HTML is rendered once for all its formats."""
    groups: dict[Document, list[Job]] = {}
    for job in jobs:
        groups.setdefault(job.doc, []).append(job)
    return list(groups.values())


def _remove_leftover_temps(out_dir: Path) -> None:
    """Temporary files a killed build left behind (`.<name>.<random>.tmp`) are never kept."""
    if out_dir.is_dir():
        for tmp in out_dir.rglob(".*.tmp"):
            tmp.unlink(missing_ok=True)


def _docgen_name(name: str, kind_names: set[str]) -> bool:
    """Could docgen have named a file so (`<kind>.<lang>[-<lang>...].<ext>`)? Only such files are ever removed:
    anything else in build/ (a signed scan, a note) is the user's and is kept."""
    parts = name.split(".")
    return (len(parts) == 3 and parts[0] in kind_names and f".{parts[2]}" in DOCUMENT_SUFFIXES
            and all(re.fullmatch(r"[a-z]{2}", lang) for lang in parts[1].split("-")))


def _remove_stale(out_dir: Path, planned: set[Path], suffixes: set[str],
                  kind_names: set[str] | None = None) -> list[Path]:
    """Documents in the build folder that the plan no longer makes (a record deleted, renamed or now invalid)."""
    kind_names = set(kinds()) if kind_names is None else kind_names
    removed: list[Path] = []
    if not out_dir.is_dir():
        return removed
    planned_abs = {Path(os.path.abspath(p)) for p in planned}
    for path in sorted(out_dir.rglob("*")):
        rel = path.relative_to(out_dir)
        if rel.parts and rel.parts[0] in OWN_FOLDERS:
            continue
        if path.is_file() and path.suffix in suffixes and _docgen_name(path.name, kind_names) and \
                Path(os.path.abspath(path)) not in planned_abs:
            path.unlink()
            removed.append(path)
    for folder in sorted((p for p in out_dir.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
        if not any(folder.iterdir()):
            folder.rmdir()
    return removed

