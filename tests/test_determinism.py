"""Builds are reproducible: the same data and templates give the same bytes, whenever and wherever built.

Build A is the session's full build (shared with test_render_quality.py); build B runs after it in
worker processes with another hash seed, another time zone and no SOURCE_DATE_EPOCH (nothing is
monkeypatched: the clock simply moved on between the two builds).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from test_render_quality import Built, build, main_build

# B starts rendering at least this long after A ended: every PDF of B is made in a later second than A's.
_DELAY_S = 1.5


@dataclass
class Twice:
    a: Built
    b: Built


def _other_environment() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("SOURCE_DATE_EPOCH", None)
    env["PYTHONHASHSEED"] = "54321" if env.get("PYTHONHASHSEED") == "12345" else "12345"
    env["TZ"] = "Pacific/Kiritimati"  # UTC+14: "today" differs from UTC's for ten hours a day
    return env


@pytest.fixture(scope="module")
def twice(tmp_path_factory: pytest.TempPathFactory) -> Twice:
    a = main_build(tmp_path_factory)
    b = build(tmp_path_factory.mktemp("build-b"), env=_other_environment(), delay=_DELAY_S)
    return Twice(a, b)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_both_builds_write_the_same_files(twice: Twice) -> None:
    a_written = set(twice.a.written("pdf")) | set(twice.a.written("docx"))
    b_written = set(twice.b.written("pdf")) | set(twice.b.written("docx"))
    assert a_written == b_written, (
        f"only in A: {sorted(a_written - b_written)}\nonly in B: {sorted(b_written - a_written)}\n"
        f"B's failures: {twice.b.failures}")


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_two_builds_are_byte_identical(twice: Twice, fmt: str) -> None:
    a_files, b_files = twice.a.written(fmt), twice.b.written(fmt)
    common = sorted(set(a_files) & set(b_files))
    assert common, f"no {fmt} file written by both builds"
    differ = [name for name in common if _sha256(a_files[name]) != _sha256(b_files[name])]
    assert differ == [], f"{len(differ)} of {len(common)} {fmt} file(s) differ between the builds: {differ}"


def _record_date(built: Built, name: str) -> dt.date:
    return dt.date.fromisoformat(built.jobs[name].doc.date)


def test_docx_dates_are_the_record_date_not_today(twice: Twice) -> None:
    """Core properties carry the record's date; zip entries a fixed stamp; nothing says when it was built."""
    import docx

    today = {dt.date.today(), dt.datetime.now(dt.timezone.utc).date()}
    bad = []
    for name, path in twice.a.written("docx").items():
        date = _record_date(twice.a, name)
        props = docx.Document(str(path)).core_properties
        for field in ("created", "modified", "last_printed"):
            value = getattr(props, field)
            if value is None or value.date() != date:
                bad.append(f"{name}: core property {field} = {value}, the record's date is {date}")
        with zipfile.ZipFile(path) as archive:
            stamps = {info.date_time for info in archive.infolist()}
        if stamps != {(1980, 1, 1, 0, 0, 0)}:
            bad.append(f"{name}: zip entries dated {sorted(stamps)[:3]}")
        if date not in today and any(dt.date(*s[:3]) in today for s in stamps):
            bad.append(f"{name}: a zip entry is dated today")
    assert twice.a.written("docx")
    assert bad == [], "\n".join(bad)


def test_pdf_dates_are_the_record_date(twice: Twice) -> None:
    """Info dictionary and XMP metadata dates come from the record, never from the clock."""
    import pypdf

    bad = []
    for name, path in twice.a.written("pdf").items():
        date = _record_date(twice.a, name)
        reader = pypdf.PdfReader(path)
        info = reader.metadata or {}
        for key in ("/CreationDate", "/ModDate"):
            if not str(info.get(key, "")).startswith(f"D:{date:%Y%m%d}"):
                bad.append(f"{name}: {key} = {info.get(key)}, the record's date is {date}")
        xmp = reader.xmp_metadata
        if xmp is not None:
            for label, value in (("xmp:CreateDate", xmp.xmp_create_date), ("xmp:ModifyDate", xmp.xmp_modify_date)):
                if value is not None and value.date() != date:
                    bad.append(f"{name}: {label} = {value}, the record's date is {date}")
    assert twice.a.written("pdf")
    assert bad == [], "\n".join(bad)
