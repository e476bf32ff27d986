"""`docgen diff`: the terms of every agreement (and every grant) between two git revisions, in plain words."""
from __future__ import annotations

import difflib
import io
import json
import re
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from docgen.money import grants
from docgen.errors import DocgenError, UsageError
from docgen.documents.i18n import Catalogs
from docgen.model.models import Agreement
from docgen.model.project import Project, load_project
from docgen.site import SearchPath, search_path
from docgen.review.terms import SIDES, CanonicalTerms, Line, canonical, figures_text, short_hash

WORKTREE = None  # a revision of None is the working tree as it is now


# ---------------------------------------------------------------- reading a revision


def _git(cwd: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise UsageError("git is not installed") from None
    if done.returncode != 0:
        raise UsageError(f"git {' '.join(args)}: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout


@contextmanager
def snapshot(data_dir: Path, templates: Path | SearchPath, rev: str | None) -> Iterator[tuple[Path, list[Path]]]:
    """The site at `rev`: (data folder, its locale folders, docgen's first), or as they are for WORKTREE.

    A revision is read with `git archive` into a temporary folder: the user's working tree, index and
    HEAD are never touched. The catalogs of a template folder inside the repository (the office's overrides,
    or docgen's own in docgen's repository) are read at `rev`; docgen's installed ones are today's.
    """
    locales = search_path(templates).layers("locale")
    if rev is WORKTREE:
        yield data_dir, locales
        return
    top = Path(_git(data_dir, "rev-parse", "--show-toplevel").decode().strip()).resolve()
    try:
        data_rel = data_dir.resolve().relative_to(top).as_posix()
    except ValueError:
        raise UsageError(f"{data_dir} is not inside the git repository {top}") from None
    inside_repo = {i: p.resolve().relative_to(top).as_posix() for i, p in enumerate(locales)
                   if p.resolve().is_relative_to(top)}
    _git(top, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    archive = _git(top, "archive", "--format=tar", rev, "--", data_rel, *inside_repo.values())
    with tempfile.TemporaryDirectory(prefix="docgen-rev-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        root = Path(tmp)
        yield root / data_rel, [root / inside_repo[i] if i in inside_repo else p for i, p in enumerate(locales)]


@dataclass
class Side:
    """One revision, loaded: its project, catalogs and the canonical terms of each readable agreement."""

    project: Project
    catalogs: Catalogs
    templates: SearchPath
    terms: dict[str, CanonicalTerms] = field(default_factory=dict)
    unreadable: dict[str, str] = field(default_factory=dict)  # agreement id → why


def load_side(data_dir: Path, templates: Path | SearchPath, locales: list[Path] | None = None) -> Side:
    """One revision's project and catalogs (`locales`, default the templates' own) with today's templates."""
    search = search_path(templates)
    project = load_project(data_dir)
    side = Side(project, Catalogs(search.layers("locale") if locales is None else locales), search)
    if project.home is None:
        return side
    for record in project.partners.values():
        for aid in record.agreements:
            try:
                side.terms[aid] = canonical(project, side.catalogs, aid)
            except DocgenError as exc:
                side.unreadable[aid] = str(exc)
    return side


def planned_outputs(side: Side, out_dir: Path, record_id: str) -> list[str]:
    """The files `docgen build` makes for a record (the one place this module asks the build plan)."""
    from docgen.build.builder import Builder

    try:
        return [str(job.output) for job in Builder(side.project, side.templates, out_dir).plan(record_id)]
    except DocgenError:
        return []


# ---------------------------------------------------------------- comparing


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level changes as (op, text): '=' kept, '-' removed, '+' added."""
    a, b = old.split(" "), new.split(" ")
    out: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            out.append(("=", " ".join(a[i1:i2])))
        if tag in ("delete", "replace"):
            out.append(("-", " ".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            out.append(("+", " ".join(b[j1:j2])))
    return out


@dataclass
class Change:
    """One change in words. `words` is set for a changed sentence (a word-level diff)."""

    kind: str  # added, removed, changed
    where: str  # the section: 'mobility', '§ 3 [pl]', 'requirement 1 [en]', 'grant', ...
    text: str  # the line (added/removed), or 'old → new' in words (changed)
    words: list[tuple[str, str]] | None = None


@dataclass
class RecordDiff:
    partner: str
    record: str  # agreement or mobility id
    kind: str  # agreement, mobility
    status: str  # added, removed, changed, unchanged, unreadable
    old_hash: str | None = None
    new_hash: str | None = None
    changes: list[Change] = field(default_factory=list)
    signed: list[str] = field(default_factory=list)  # signatures the change affects
    outputs: list[str] = field(default_factory=list)
    not_terms: list[str] = field(default_factory=list)
    note: str = ""

    @property
    def terms_changed(self) -> bool:
        return self.status in ("added", "removed", "changed")


def _is_clause(line: Line) -> bool:
    return line.section.startswith("§") or line.section.startswith("requirement")


def compare_terms(old: CanonicalTerms, new: CanonicalTerms) -> list[Change]:
    changes: list[Change] = []
    before = {(l.section, l.key): l for l in old.lines if not _is_clause(l)}
    after = {(l.section, l.key): l for l in new.lines if not _is_clause(l)}
    for key, line in before.items():
        if key not in after:
            changes.append(Change("removed", line.section, line.text))
    for key, line in after.items():
        was = before.get(key)
        if was is None:
            changes.append(Change("added", line.section, line.text))
        elif was.text != line.text:
            if was.figures and line.figures and len(was.figures) == len(line.figures):
                figures = tuple((f"{a} → {b}" if a != b else b, unit)
                                for (a, _), (b, unit) in zip(was.figures, line.figures))
                changes.append(Change("changed", line.section, f"{line.key}: {figures_text(figures)}"))
            else:
                changes.append(Change("changed", line.section, f"{was.text} → {line.text}"))
    changes += _compare_clauses([l for l in old.lines if _is_clause(l)], [l for l in new.lines if _is_clause(l)])
    return changes


def _lang(line: Line) -> str:
    return line.section.rsplit("[", 1)[-1].rstrip("]")


def _compare_clauses(old: list[Line], new: list[Line]) -> list[Change]:
    """Sentences matched in order per language; a changed sentence as a word-level diff."""
    changes: list[Change] = []
    langs = list(dict.fromkeys([_lang(l) for l in old] + [_lang(l) for l in new]))
    for lang in langs:
        a = [l for l in old if _lang(l) == lang]
        b = [l for l in new if _lang(l) == lang]
        matcher = difflib.SequenceMatcher(None, [l.text for l in a], [l.text for l in b], autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            pairs = min(i2 - i1, j2 - j1) if tag == "replace" else 0
            for k in range(pairs):
                was, now = a[i1 + k], b[j1 + k]
                where = now.section if was.section == now.section else f"{was.section} → {now.section}"
                changes.append(Change("changed", where, f"{was.text} → {now.text}", word_diff(was.text, now.text)))
            for line in a[i1 + pairs:i2]:
                changes.append(Change("removed", line.section, line.text))
            for line in b[j1 + pairs:j2]:
                changes.append(Change("added", line.section, line.text))
    return changes


def _leaves(value: Any, path: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for k, v in value.items():
            out.update(_leaves(v, f"{path}.{k}" if path else str(k)))
        return out
    if isinstance(value, list):
        out = {}
        for i, v in enumerate(value):
            out.update(_leaves(v, f"{path}[{i}]"))
        return out
    return {path: value}


def changed_fields(old: Any, new: Any, prefix: str) -> list[str]:
    """'contacts[0].phone: +380 … → +380 …' for every value that differs between two records."""
    a, b = _leaves(old, prefix), _leaves(new, prefix)
    out = []
    for path in dict.fromkeys([*a, *b]):
        if a.get(path, "∅") != b.get(path, "∅"):
            out.append(f"{path}: {a.get(path, '(none)')} → {b.get(path, '(none)')}")
    return out


def _outside_terms(agreement: Agreement) -> dict[str, Any]:
    return agreement.model_dump(mode="json", exclude={"terms"})


def _signed(agreement: Agreement | None) -> list[str]:
    """The signatures a terms change affects: each side's latest signature, with its recorded hash if any."""
    if agreement is None:
        return []
    out = []
    for side in SIDES:
        events = [(e.date, i, e) for i, e in enumerate(agreement.status) if e.status == "signed" and e.by == side]
        if events:
            _, _, e = max(events, key=lambda t: (t[0], t[1]))
            recorded = f"terms {short_hash(e.terms_hash)}" if e.terms_hash else "no terms hash recorded"
            out.append(f"signed by {side} on {e.date.isoformat()} ({recorded})")
    return out


def _agreement(side: Side, aid: str) -> tuple[str, Agreement] | None:
    for pid, record in side.project.partners.items():
        if aid in record.agreements:
            return pid, record.agreements[aid][0]
    return None


def compare(old: Side, new: Side, out_dir: Path) -> list[RecordDiff]:
    """Every agreement and mobility of either side, compared; unchanged ones are kept (status 'unchanged')."""
    diffs: list[RecordDiff] = []
    ids = sorted({*old.terms, *old.unreadable, *new.terms, *new.unreadable},
                 key=lambda a: ((_agreement(new, a) or _agreement(old, a) or ("", None))[0], a))
    for aid in ids:
        found_new, found_old = _agreement(new, aid), _agreement(old, aid)
        partner = (found_new or found_old or ("?", None))[0]
        diff = RecordDiff(partner, aid, "agreement", "unchanged")
        a, b = old.terms.get(aid), new.terms.get(aid)
        diff.old_hash, diff.new_hash = (a.hash if a else None), (b.hash if b else None)
        if aid in old.unreadable or aid in new.unreadable:
            diff.status = "unreadable"
            diff.note = new.unreadable.get(aid) or old.unreadable.get(aid, "")
        elif a is None and b is not None:
            diff.status = "added"
            diff.changes = [Change("added", l.section, l.text) for l in b.lines[1:]]
        elif b is None and a is not None:
            diff.status = "removed"
        elif a is not None and b is not None and a.hash != b.hash:
            diff.status = "changed"
            diff.changes = compare_terms(a, b)
        if diff.status == "changed":
            diff.signed = _signed(found_new[1] if found_new else None)
        if diff.terms_changed and diff.status != "removed":
            diff.outputs = planned_outputs(new, out_dir, aid)
        if found_old and found_new:
            diff.not_terms = changed_fields(_outside_terms(found_old[1]), _outside_terms(found_new[1]), "")
        diffs.append(diff)
    diffs += _partners_not_terms(old, new)
    diffs += _mobilities(old, new, out_dir)
    return diffs


def _partners_not_terms(old: Side, new: Side) -> list[RecordDiff]:
    """Institution changes (contacts, addresses, names): never terms, listed apart."""
    out = []
    if old.project.home and new.project.home:
        fields = changed_fields(old.project.home.model_dump(mode="json"), new.project.home.model_dump(mode="json"),
                                "institution")
        if fields:
            out.append(RecordDiff("(home)", new.project.home.id, "institution", "unchanged", not_terms=fields))
    for pid in sorted(set(old.project.partners) & set(new.project.partners)):
        fields = changed_fields(old.project.partners[pid].institution.model_dump(mode="json"),
                                new.project.partners[pid].institution.model_dump(mode="json"), "institution")
        if fields:
            out.append(RecordDiff(pid, pid, "institution", "unchanged", not_terms=fields))
    return out


@dataclass(frozen=True)
class _GrantLine:
    label: str
    amount: Decimal
    formula: str


def _grant_lines(side: Side, mid: str) -> tuple[dict[str, _GrantLine], str] | str | None:
    """The grant due line by line ({line id: line}, currency) with 'total' last, a reason, or None (not ours)."""
    found = side.project.mobilities.get(mid)
    if found is None or side.project.home is None:
        return None
    mobility = found[0]
    rates = side.project.rates.get(mobility.funding.call)
    partner = side.project.partners.get(mobility.partner)
    if rates is None or partner is None:
        return f"grant cannot be calculated: call {mobility.funding.call!r} or partner {mobility.partner!r} missing"
    if not grants.home_pays(mobility, rates[0]):
        return None
    try:
        grant = grants.settle(mobility, rates[0], side.project.home, partner.institution).due
    except DocgenError as exc:
        return f"grant cannot be calculated: {exc}"
    lines: dict[str, _GrantLine] = {}
    for line in grant.lines:
        # A key appears twice for students (whole months, then days at 1/30): the unit tells them apart.
        key = f"{line.key} ({line.unit}s)"
        label = re.sub(r"[:,(].*", "", line.description).strip() + ("" if line.unit == "trip" else f" ({line.unit}s)")
        lines[key] = _GrantLine(label, line.amount, line.formula(grant.currency))
    lines["total"] = _GrantLine("total", grant.total, "")
    return lines, grant.currency


def _grant_changes(a: object, b: object) -> list[Change]:
    changes = []
    if isinstance(a, tuple) and isinstance(b, tuple):
        (la, cur), (lb, _) = a, b
        keys = [k for k in dict.fromkeys([*la, *lb]) if k != "total"] + ["total"]
        for key in keys:
            va, vb = la.get(key), lb.get(key)
            if va != vb:
                label = (vb or va).label  # type: ignore[union-attr]
                old_v = f"{va.amount:.2f}" if va else "none"
                new_v = f"{vb.amount:.2f}" if vb else "none"
                how = f" ({vb.formula})" if vb and vb.formula else ""
                changes.append(Change("changed", "grant", f"{label}: {old_v} → {new_v} {cur}{how}"))
        return changes
    for label, value in (("before", a), ("now", b)):
        if isinstance(value, str):
            changes.append(Change("changed", "grant", f"{label}: {value}"))
        elif isinstance(value, tuple):
            changes.append(Change("changed", "grant", f"{label}: total {value[0]['total'].amount:.2f} {value[1]}"))
        else:
            changes.append(Change("changed", "grant", f"{label}: no grant paid by us"))
    return changes


def _mobilities(old: Side, new: Side, out_dir: Path) -> list[RecordDiff]:
    """Mobilities whose grant (as docgen.money.grants settles it) differs between the two sides."""
    out = []
    for mid in sorted({*old.project.mobilities, *new.project.mobilities}):
        a, b = _grant_lines(old, mid), _grant_lines(new, mid)
        if a == b:
            continue
        mobility = (new.project.mobilities.get(mid) or old.project.mobilities[mid])[0]
        diff = RecordDiff(mobility.partner, mid, "mobility", "changed", changes=_grant_changes(a, b))
        if mid in new.project.mobilities:
            diff.outputs = planned_outputs(new, out_dir, mid)
        out.append(diff)
    return out


# ---------------------------------------------------------------- reporting


def _words(words: list[tuple[str, str]], md: bool) -> str:
    marks = {"-": ("~~", "~~"), "+": ("**", "**")} if md else {"-": ("[-", "-]"), "+": ("{+", "+}")}
    return " ".join(text if op == "=" else f"{marks[op][0]}{text}{marks[op][1]}" for op, text in words if text)


def render(diffs: list[RecordDiff], fmt: str, rev_a: str, rev_b: str) -> str:
    if fmt == "json":
        return json.dumps({"from": rev_a, "to": rev_b, "terms_changed": any(d.terms_changed for d in diffs),
                           "records": [asdict(d) for d in diffs if d.status != "unchanged" or d.not_terms]},
                          ensure_ascii=False, indent=2) + "\n"
    md = fmt == "md"
    out: list[str] = [f"# Terms: {rev_a} → {rev_b}" if md else f"terms: {rev_a} → {rev_b}"]
    shown = [d for d in diffs if d.terms_changed or d.status == "unreadable"]
    partners = sorted(dict.fromkeys(d.partner for d in shown))
    if not shown:
        out.append("no terms changed")
    for pid in partners:
        out.append(f"\n## {pid}" if md else f"\n{pid}")
        for d in (d for d in shown if d.partner == pid):
            title = f"{d.kind} {d.record}: {d.status}"
            if d.old_hash or d.new_hash:
                title += f" (terms {short_hash(d.old_hash) if d.old_hash else '–'} → " \
                         f"{short_hash(d.new_hash) if d.new_hash else '–'})"
            out.append(f"\n### {title}" if md else f"  {title}")
            bullet = "- " if md else "    "
            if d.note:
                out.append(f"{bullet}{d.note}")
            for c in d.changes:
                text = _words(c.words, md) if c.words else c.text
                out.append(f"{bullet}{c.kind} {c.where}: {text}")
            if d.kind == "agreement" and d.status == "changed":
                out.append(f"{bullet}signed version affected: " + ("; ".join(d.signed) if d.signed else "no"))
            for path in d.outputs:
                out.append(f"{bullet}document changes: {path}")
    apart = [d for d in diffs if d.not_terms]
    if apart:
        out.append("\n## Not terms" if md else "\nnot terms (no terms hash changes):")
        for d in apart:
            for text in d.not_terms:
                out.append(f"{'- ' if md else '  '}{d.kind} {d.record}: {text}")
    return "\n".join(out) + "\n"
