"""Build progress: a live bar on a terminal (rich), a plain line every so often elsewhere (CI, make logs)."""
from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from docgen.files import Progress


@contextmanager
def progress_reporter(stream: object = None) -> Iterator[Progress]:
    out = stream or sys.stderr
    started = time.monotonic()
    if getattr(out, "isatty", lambda: False)():
        try:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn, TimeRemainingColumn
        except ImportError:
            pass
        else:
            with Bar(TextColumn("rendering"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[note]}"),
                     TimeRemainingColumn(), transient=True) as bar:
                task = bar.add_task("render", total=None, note="")

                def live(done: int, failed: int, total: int) -> None:
                    rate = (done + failed) / max(time.monotonic() - started, 1e-6)
                    bar.update(task, completed=done + failed, total=total,
                               note=f"{failed} failed, {rate:.1f}/s" if failed else f"{rate:.1f}/s")

                yield live
            return
    last = [0.0]

    def plain(done: int, failed: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= 5 or done + failed == total:
            last[0] = now
            rate = (done + failed) / max(now - started, 1e-6)
            print(f"rendered {done + failed}/{total} files ({failed} failed, {total - done - failed} to go, "
                  f"{rate:.1f}/s)", file=out, flush=True)

    yield plain
