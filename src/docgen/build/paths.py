"""The output path scheme, in one place, and the guard that keeps every write inside the output folder."""
from __future__ import annotations

import os
from pathlib import Path

from docgen.errors import DocgenError


class UnsafePathError(DocgenError):
    """A document's path would leave the output folder (an id used as a path segment)."""


def agreement_dir(partner_id: str, agreement_id: str) -> Path:
    """`<partner>/<agreement>`: an agreement's documents."""
    return Path(partner_id) / agreement_id


def partner_dir(partner_id: str) -> Path:
    """`<partner>`: documents about the whole partnership (the letter to the rector)."""
    return Path(partner_id)


def mobility_dir(academic_year: str, mobility_id: str) -> Path:
    """`mobilities/2018-2019/<mobility>`: every document of one mobility."""
    return Path("mobilities") / academic_year.replace("/", "-") / mobility_id


def reports_dir() -> Path:
    """`reports`: the office's reports (CSV tables and one HTML page), never cleaned as stale documents."""
    return Path("reports")


def document_name(kind: str, langs: tuple[str, ...], extension: str) -> str:
    """`bilateral-cooperation.pl-uk.pdf`."""
    return f"{kind}.{'-'.join(langs)}.{extension}"


def redline_dir() -> Path:
    """`redline`: the folder of the build docgen redline writes into (never cleaned by a build)."""
    return Path("redline")


def redline_path(partner_id: str, agreement_id: str, kind: str, langs: tuple[str, ...], extension: str) -> Path:
    """`redline/<partner>/<agreement>/erasmus-iia.en.redline.docx`: an agreement's changes marked (docgen redline)."""
    return redline_dir() / agreement_dir(partner_id, agreement_id) / document_name(kind, langs, f"redline.{extension}")


def record_file(data_dir: Path, folder: str, stem: str) -> Path:
    """`<data>/partners/<id>.yaml`, `<data>/rates/<id>.yaml`, `<data>/mobilities/2025-2026.yaml`: a data file
    docgen writes (new, import, sign), kept inside the data folder by the same guard as every output."""
    return inside(data_dir, Path(folder) / f"{stem}.yaml")


def inside(out_dir: Path, relative: Path) -> Path:
    """`out_dir / relative`, refused unless it resolves inside `out_dir` (ids are checked by the models too)."""
    root = Path(os.path.abspath(out_dir))
    target = Path(os.path.abspath(root / relative))
    if relative.is_absolute() or any(part in ("", ".", "..") for part in relative.parts) or \
            root not in target.parents:
        raise UnsafePathError(f"refusing to write {relative}: it is not inside the output folder {out_dir}")
    real_root = Path(os.path.realpath(root))
    real_target = Path(os.path.realpath(target))
    if real_root != real_target and real_root not in real_target.parents:
        raise UnsafePathError(f"refusing to write {relative}: it resolves outside the output folder {out_dir}")
    return out_dir / relative
