"""Personal data policy: participants' records never tracked by git in clear (a git-ignored folder, or git-crypt)."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

from docgen.errors import Problem
from docgen.model.project import Project, Where

# RFC 2606 / RFC 6761 names that can never be a real person's mailbox: an address there marks invented data.
RESERVED_DOMAINS = ("example.org", "example.com", "example.net")
RESERVED_TLDS = ("example", "test", "invalid", "localhost")
ENCRYPTING_FILTERS = ("git-crypt",)  # .gitattributes filters that store a file encrypted in the repository
POLICY = ("keep mobility files out of git (add the folder to .gitignore and back it up apart) or encrypt them "
          "in the repository with git-crypt (filter=git-crypt in .gitattributes); see README, 'Personal data'")


def invented(email: object) -> bool:
    """Is this an address at a reserved example domain (the sample data's people), not anyone's real mailbox?"""
    if not isinstance(email, str) or "@" not in email:
        return False
    domain = email.rsplit("@", 1)[1].lower().rstrip(".")
    return (domain in RESERVED_DOMAINS or domain.endswith(tuple(f".{d}" for d in RESERVED_DOMAINS))
            or domain.rsplit(".", 1)[-1] in RESERVED_TLDS)


def _git(data_dir: Path, *args: str) -> str | None:
    git = shutil.which("git")
    if git is None:
        return None
    try:
        done = subprocess.run([git, "-C", str(data_dir), *args], capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.decode("utf-8", "surrogateescape") if done.returncode == 0 else None


def tracked_in_clear(data_dir: Path, files: list[Path]) -> set[Path]:
    """Which of `files` git tracks (committed or staged) without an encrypting filter; none outside a repository."""
    listed = _git(data_dir, "ls-files", "-z", "--", *(str(f.resolve()) for f in files))
    if not listed:
        return set()
    root = Path(data_dir).resolve()
    tracked = {(root / name).resolve() for name in listed.split("\0") if name}
    attrs = _git(data_dir, "check-attr", "-z", "filter", "--", *(str(f) for f in sorted(tracked))) or ""
    fields = attrs.split("\0")
    encrypted = {(root / fields[i]).resolve() for i in range(0, len(fields) - 2, 3)
                 if fields[i + 2] in ENCRYPTING_FILTERS}
    return {f for f in files if f.resolve() in tracked - encrypted}


def _participant(raw: Any) -> Any:
    return raw.get("participant") if isinstance(raw, dict) else None


def problems(project: Project) -> list[Problem]:
    """A warning at the first real-looking participant of every mobility file git tracks in clear."""
    people: dict[Path, list[tuple[object, Where]]] = {}
    for mobility, where, path in project.mobilities.values():
        people.setdefault(path.resolve(), []).append((mobility.participant.email, where))
    for raw, where in project.failed_mobilities:
        participant = _participant(raw)
        email = participant.get("email") if isinstance(participant, dict) else None
        path = _file_of(project, where)
        if path is not None:
            people.setdefault(path, []).append((email, where))
    files = list(people)
    if not files:
        return []
    found = []
    for path in sorted(tracked_in_clear(project.root, files)):
        real = [where for email, where in people[path] if not invented(email)]
        if real:
            first = min(real, key=lambda w: w.source.locate(w.loc + ("participant",), key=True).line)
            found.append(first.problem(("participant",), (
                "participants' personal data (names, birth dates, bank accounts) in a file git tracks: "
                + POLICY), key=True, severity="warning"))
    return found


def _file_of(project: Project, where: Where) -> Path | None:
    """The mobility file a failed record came from (its source map names it as displayed)."""
    for path in sorted((project.root / "mobilities").glob("*.yaml")):
        if where.source.file in (str(path), project.display(path)):
            return path.resolve()
    return None
