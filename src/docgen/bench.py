"""Timings of the stages of a build, printed for people (`make bench`); it measures, it never judges.

    python -m docgen.bench --data data [--templates DIR] [-n 16] [--max-seconds 20]

Prints the time to load and validate the data, to plan the jobs, and to render N documents per
format (picked round-robin over the document kinds, so every kind is timed; the first, cold
document is shown apart and not counted), with documents per second and the mean per kind; for
PDF also how much of that is the Jinja HTML step. Rendering goes
through `Builder.run` into a temporary folder that is removed afterwards. Each format stops after
--max-seconds, so the whole run stays well under a minute.
"""
from __future__ import annotations

import argparse
import logging
import platform
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


def _timed(fn: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _round_robin(jobs: list[Any], count: int) -> list[Any]:
    """Up to `count` jobs, taking one of each kind in turn so that every kind is measured."""
    by_kind: dict[str, list[Any]] = defaultdict(list)
    for job in jobs:
        by_kind[job.record.kind].append(job)
    queues = [list(reversed(q)) for _, q in sorted(by_kind.items())]
    picked: list[Any] = []
    while len(picked) < count and any(queues):
        for queue in queues:
            if queue and len(picked) < count:
                picked.append(queue.pop())
    return picked


def _rate(done: int, seconds: float) -> str:
    return f"{done / seconds:.2f} documents/s" if seconds > 0 and done else "n/a"


def run(data: Path, templates: Path, count: int, max_seconds: float) -> int:
    from docgen import checks
    from docgen.build import FORMATS, Builder
    from docgen.errors import DocgenError
    from docgen.project import load_project

    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # its font-subsetting notices are not figures
    print(f"docgen bench: data {data}, templates {templates}")
    print(f"  Python {platform.python_version()}, WeasyPrint {_version('weasyprint')}, "
          f"docxtpl {_version('docxtpl')}, {platform.machine()}")

    def load() -> Any:
        project = load_project(data)
        if project.home is not None:
            checks.run(project)
        return project

    try:
        project, seconds = _timed(load)
    except DocgenError as exc:
        print(f"docgen bench: {exc}", file=sys.stderr)
        return 2
    agreements = sum(len(p.agreements) for p in project.partners.values())
    print(f"load + validate   {seconds:8.3f} s   {len(project.partners)} partners, {agreements} agreements, "
          f"{len(project.mobilities)} mobilities; {len(project.errors)} error(s), "
          f"{len(project.warnings)} warning(s)")

    out = Path(tempfile.mkdtemp(prefix="docgen-bench-"))
    try:
        try:
            builder, seconds = _timed(lambda: Builder(project, templates, out, FORMATS))
            jobs, plan_seconds = _timed(builder.plan)
        except Exception as exc:  # report, never raise: this is a measurement
            print(f"plan failed: {type(exc).__name__}: {exc}")
            return 1
        per_format = {fmt: [j for j in jobs if j.fmt == fmt] for fmt in FORMATS}
        print(f"set up renderers  {seconds:8.3f} s")
        print(f"plan              {plan_seconds:8.3f} s   {len(jobs)} jobs ("
              + ", ".join(f"{len(v)} {k}" for k, v in per_format.items()) + f", "
              f"{len({j.record.kind for j in jobs})} kinds)")

        for fmt in FORMATS:
            chosen = _round_robin(per_format[fmt], count)
            if chosen:  # the first document pays for imports, fonts and caches: shown, not counted
                first = chosen[0].record
                try:
                    _, seconds = _timed(lambda: builder.run([chosen[0]]))
                    cold = f"{seconds:8.3f} s   {first.kind} {first.record_id}"
                except Exception as exc:
                    cold = f"crashed: {first.kind} {first.record_id}: {type(exc).__name__}: {exc}"
                print(f"first {fmt:4} (cold) {cold}")
            per_kind: dict[str, list[float]] = defaultdict(list)
            failed: list[str] = []
            total = 0.0
            for job in chosen:
                if total >= max_seconds:
                    break
                try:
                    report, seconds = _timed(lambda job=job: builder.run([job]))
                except Exception as exc:
                    failed.append(f"{job.record.kind} {job.record.record_id}: crashed: {type(exc).__name__}: {exc}")
                    continue
                total += seconds
                if report.failed:
                    failed.append(f"{job.record.kind} {job.record.record_id}: {report.failed[0].message}")
                else:
                    per_kind[job.record.kind].append(seconds)
            done = sum(len(v) for v in per_kind.values())
            print(f"render {fmt:4}       {total:8.3f} s   {done} of {len(per_format[fmt])} documents, "
                  f"{_rate(done, total)}" + (f", {len(failed)} failed" if failed else "")
                  + (f" (stopped after {max_seconds:g} s)" if done + len(failed) < len(chosen) else ""))
            for kind, times in sorted(per_kind.items(), key=lambda kv: -sum(kv[1]) / len(kv[1])):
                print(f"    {kind:28} {len(times):3} x {sum(times) / len(times):6.3f} s")
            for line in failed[:5]:
                print(f"    failed: {line}")
            if fmt == "pdf" and done:
                _html_share(builder, [j for j in chosen if j.record.kind in per_kind], total)
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return 0


def _html_share(builder: Any, jobs: list[Any], layout_total: float) -> None:
    """How much of a PDF's time is Jinja (the HTML) rather than WeasyPrint's layout and PDF writing."""
    renderer = builder.renderers["pdf"]
    total = 0.0
    for job in jobs:
        kind = builder.kinds[job.record.kind]
        try:
            context = {"langs": job.record.langs, **kind.context(builder.project, job.record)}
            _, seconds = _timed(lambda: renderer.html(kind.template, context, builder.meta(job.record)))
        except Exception:
            continue
        total += seconds
    share = f"{100 * total / layout_total:.0f} %" if layout_total else "n/a"
    print(f"    of which HTML (Jinja) {total:.3f} s = {share}; the rest is WeasyPrint layout and PDF output")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m docgen.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("data"), help="data folder [data]")
    parser.add_argument("--templates", type=Path, default=None,
                        help="templates folder [templates/ beside the data folder]")
    parser.add_argument("-n", "--count", type=int, default=16, help="documents to render per format [16]")
    parser.add_argument("--max-seconds", type=float, default=20.0,
                        help="stop rendering a format after this many seconds [20]")
    args = parser.parse_args(argv)
    templates = args.templates or args.data.resolve().parent / "templates"
    if not args.data.is_dir() or not templates.is_dir():
        print(f"docgen bench: data folder {args.data} or templates folder {templates} not found", file=sys.stderr)
        return 2
    return run(args.data, templates, max(1, args.count), args.max_seconds)


if __name__ == "__main__":
    sys.exit(main())
