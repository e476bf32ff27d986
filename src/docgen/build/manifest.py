"""The build manifest: for every output, the hash of everything it was made from, so a build redoes only what changed."""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import docgen
from docgen.files import write_atomic
from docgen.site import SearchPath, search_path

if TYPE_CHECKING:
    from docgen.build.builder import Job
    from docgen.model.project import Project

MANIFEST = ".docgen-manifest.json"
FORMAT = 1
CODE = "docgen code"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _code_hash() -> str:
    """docgen's own source: a new version or a local fix re-renders what it may change."""
    root = Path(docgen.__file__).parent
    digest = hashlib.sha256(docgen.__version__.encode())
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@dataclass
class InputHashes:
    """Hashes of the inputs of a plan: whole files, and one slice per mobility (a year file holds many)."""

    names_of: dict[Path, str]  # input path → its name in the manifest
    sliced: set[Path]  # files hashed per record, not whole
    slices: dict[str, str]  # "file#mobility-id" → hash of the validated record
    slice_of: dict[str, str]  # mobility id → its slice's name
    files: dict[str, str] = field(default_factory=dict)

    def _file(self, path: Path) -> str:
        name = self.names_of.get(path) or str(path)
        if name not in self.files:
            try:
                self.files[name] = _sha(path.read_bytes())
            except OSError:
                self.files[name] = "missing"
        return name

    def names(self, job: Job) -> list[str]:
        names = [CODE]
        for path in job.inputs:
            if path in self.sliced:
                continue
            names.append(self._file(path))
        return names + [self.slice_of[mid] for mid in job.doc.mobilities if mid in self.slice_of]

    def hash_of(self, name: str) -> str:
        return self.slices.get(name) or self.files.get(name) or ""

    def key(self, job: Job) -> str:
        doc = job.doc
        parts = [f"{job.fmt}|{doc.kind}|{doc.record_id}|{'-'.join(doc.langs)}|{doc.date}|{job.output.name}"]
        parts += [f"{name}={self.hash_of(name)}" for name in sorted(self.names(job))]
        return _sha("\n".join(parts).encode())

    def all(self) -> dict[str, str]:
        return {**self.files, **self.slices}


def input_hashes(project: Project, templates: Path | SearchPath, jobs: Iterable[Job]) -> InputHashes:
    """Hash what the jobs read; record slices come from the validated models, so a comment or a neighbour's
    edit in a year file does not re-render a mobility whose data did not change."""
    search = search_path(templates)
    names_of: dict[Path, str] = {}
    for job in jobs:
        for path in job.inputs:
            if path not in names_of:
                names_of[path] = search.name(path) if search.root is not None or _under(path, search) else \
                    project.display(path)
    sliced: set[Path] = set()
    slices: dict[str, str] = {}
    slice_of: dict[str, str] = {}
    for mid, (mobility, _, path) in project.mobilities.items():
        sliced.add(path)
        name = f"{names_of.get(path) or project.display(path)}#{mid}"
        slice_of[mid] = name
        slices[name] = _sha(mobility.model_dump_json().encode())
    hashes = InputHashes(names_of, sliced, slices, slice_of)
    hashes.files[CODE] = _code_hash()
    return hashes


def _under(path: Path, search: SearchPath) -> bool:
    return any(path.resolve().is_relative_to(d.resolve()) for d in search.dirs)


@dataclass
class Manifest:
    """`build/.docgen-manifest.json`; missing or unreadable means a full build, never a wrong skip."""

    out_dir: Path
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    inputs: dict[str, str] = field(default_factory=dict)
    previous_inputs: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, out_dir: Path) -> Manifest:
        manifest = cls(out_dir)
        try:
            data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
            if data.get("format") == FORMAT and isinstance(data.get("outputs"), dict) and \
                    isinstance(data.get("inputs"), dict):
                manifest.outputs = {k: v for k, v in data["outputs"].items() if isinstance(v, dict)}
                manifest.previous_inputs = {str(k): str(v) for k, v in data["inputs"].items()}
                manifest.inputs = dict(manifest.previous_inputs)
        except (OSError, ValueError, AttributeError):
            pass
        return manifest

    def _rel(self, output: Path) -> str:
        return Path(os.path.relpath(output, self.out_dir)).as_posix()

    def up_to_date(self, output: Path, key: str, names: list[str], hashes: InputHashes) -> str | None:
        """None when `output` is as the manifest says and made from the same inputs; else why it is rebuilt."""
        entry = self.outputs.get(self._rel(output))
        if entry is None:
            return "new"
        try:
            stat = output.stat()
        except OSError:
            return "missing from the build folder"
        if stat.st_size != entry.get("size") or stat.st_mtime_ns != entry.get("mtime_ns"):
            return "changed in the build folder"
        if entry.get("key") == key:
            return None
        changed = [n for n in names if self.previous_inputs.get(n) != hashes.hash_of(n)]
        if not changed:
            return "its inputs changed"
        return ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "") + " changed"

    def made_from(self, output: Path, key: str) -> bool:
        """Was `output` written (rendered without a failure) from the inputs `key` stands for?"""
        entry = self.outputs.get(self._rel(output))
        return entry is not None and entry.get("key") == key

    def record(self, output: Path, key: str) -> None:
        stat = output.stat()
        self.outputs[self._rel(output)] = {"key": key, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}

    def forget(self, output: Path) -> None:
        self.outputs.pop(self._rel(output), None)

    def save(self) -> None:
        """Written last, after every file it lists is in place."""
        data = {"format": FORMAT, "inputs": dict(sorted(self.inputs.items())),
                "outputs": dict(sorted(self.outputs.items()))}
        self.out_dir.mkdir(parents=True, exist_ok=True)
        write_atomic(self.out_dir / MANIFEST, json.dumps(data, indent=1).encode())
