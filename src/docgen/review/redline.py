"""`docgen redline`: an agreement's documents with what changed between two git revisions marked word by word."""
from __future__ import annotations

# How the marking works: both revisions' documents are rendered to HTML (the one source of both formats)
# and their bodies compared block by block. A container's child blocks are aligned on their text
# (difflib); a block with no block inside it (a paragraph, heading, list item, cell of inline text) that
# changed is compared word by word with difflib and gets `<ins>`/`<del>` at the changed words; a block
# only one side has is marked wholly (a removed one is put back, struck through, where it stood). The
# result is the newer document with the older one's words inside `<del>`: every language of the document
# at once, since the HTML holds them all. Both revisions are rendered with the templates (structure,
# stylesheet, Word shell) as they are now, and each revision's own data and catalogs, so the redline
# shows what `docgen diff` reports: data and wording, not template edits.

import copy
import dataclasses
import datetime as dt
import difflib
import re
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import html as lxml_html

from docgen.build.builder import FORMATS, Builder
from docgen.files import write_atomic
from docgen.review.diff import WORKTREE, snapshot
from docgen.site import SearchPath
from docgen.documents import Document
from docgen.errors import UsageError
from docgen.documents.i18n import Catalogs
from docgen.build.paths import inside, redline_path
from docgen.pipeline import load_checked
from docgen.model.project import Project
from docgen.documents.renderers import DocMeta, get_writer
from docgen.review.terms import short_hash, terms_hash

MARKS = ("ins", "del")
# Elements that are blocks for the comparison (compared as units); everything else is inline.
BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "ul", "ol", "li", "table", "thead", "tbody", "tfoot", "tr", "td",
          "th", "caption", "blockquote", "body"}
SKIP = {"style", "script", "colgroup", "col"}
VOID = {"br", "wbr", "img"}
_WORDS = re.compile(r"\s+|\S+")
_SIMILAR = 0.5  # blocks of a changed stretch are paired when their words are at least this similar


# ---------------------------------------------------------------- marking one HTML against another


def _text(el: Any) -> str:
    """The words of an element, whitespace runs as one space, style sheets left out."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        if not isinstance(node.tag, str) or node.tag in SKIP:
            return
        parts.append(node.text or "")
        for child in node:
            walk(child)
            parts.append(child.tail or "")

    walk(el)
    return " ".join("".join(parts).split())


def _signature(el: Any) -> tuple[str, str, str]:
    return el.tag, el.get("class") or "", _text(el)


def _is_leaf(el: Any) -> bool:
    return not any(isinstance(d.tag, str) and d.tag in BLOCKS for d in el.iterdescendants())


def _children(el: Any) -> list[Any]:
    return [c for c in el if isinstance(c.tag, str) and c.tag not in SKIP]


class Marker:
    """Marks one document's HTML against an older one; counts the changes it marks."""

    def __init__(self) -> None:
        self.changes = 0

    def mark(self, old_html: str | None, new_html: str) -> str:
        """The new HTML with `<ins>`/`<del>` at every change (all of it inserted when there is no old HTML)."""
        new = lxml_html.document_fromstring(new_html)
        body = new.find("body")
        if body is None:
            return new_html
        if old_html is None:
            self._wholly(body, "ins")
        else:
            old_body = lxml_html.document_fromstring(old_html).find("body")
            if old_body is None:
                self._wholly(body, "ins")
            else:
                self._merge(old_body, body)
        return lxml_html.tostring(new, doctype="<!DOCTYPE html>", encoding="unicode", method="html")

    # ------------------------------------------------------------ blocks

    def _merge(self, old: Any, new: Any) -> None:
        """Mark `new` (in place) against `old`, two blocks of the same tag at the same place."""
        if _signature(old) == _signature(new):
            return
        if _is_leaf(old) and _is_leaf(new):
            self._words(old, new)
            return
        a, b = _children(old), _children(new)
        if new.tag == "tr" and len(a) == len(b):  # a row's cells are columns: compared by position
            for x, y in zip(a, b):
                if x.tag == y.tag:
                    self._merge(x, y)
                else:
                    self._wholly(y, "ins")
            return
        matcher = difflib.SequenceMatcher(None, [_signature(x) for x in a], [_signature(y) for y in b],
                                          autojunk=False)
        for tag, i1, i2, j1, j2 in reversed(matcher.get_opcodes()):  # from the end: positions stay valid
            if tag == "equal":
                continue
            anchor = b[j2] if j2 < len(b) else None
            for op, x, y in reversed(_pairs(a[i1:i2], b[j1:j2])):
                if op == "pair":
                    self._merge(x, y)
                    anchor = y
                elif op == "ins":
                    self._wholly(y, "ins")
                    anchor = y
                else:
                    gone = copy.deepcopy(x)
                    gone.tail = x.tail if anchor is None else None
                    self._wholly(gone, "del")
                    if anchor is None:
                        new.append(gone)
                    else:
                        anchor.addprevious(gone)
                    anchor = gone

    def _wholly(self, el: Any, mark: str) -> None:
        """Every word of `el` inside one `<ins>` (or `<del>`) per block of inline text."""
        leaves = [el] if _is_leaf(el) else [d for d in el.iterdescendants()
                                             if isinstance(d.tag, str) and d.tag in BLOCKS and _is_leaf(d)]
        for leaf in leaves:
            if not _text(leaf) or leaf.tag in SKIP:
                continue
            wrapper = leaf.makeelement(mark, {})
            wrapper.text, leaf.text = leaf.text, None
            for child in list(leaf):
                wrapper.append(child)  # its tail moves with it
            leaf.append(wrapper)
            self.changes += 1

    # ------------------------------------------------------------ words

    def _words(self, old: Any, new: Any) -> None:
        """Word-level changes of two blocks of inline text, written into `new`."""
        a, b = _atoms(old), _atoms(new)
        matcher = difflib.SequenceMatcher(_is_space, [t.key for t in a], [t.key for t in b], autojunk=False)
        merged: list[tuple[_Atom, str | None]] = []
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                merged += [(t, None) for t in b[j1:j2]]
                continue
            merged += [(t, "del") for t in a[i1:i2]]
            merged += [(t, "ins") for t in b[j1:j2]]
        merged = _spaces_outside(merged)
        new.text = None
        for child in list(new):
            new.remove(child)
        _rebuild(new, merged)
        self.changes += sum(1 for i, (_, m) in enumerate(merged) if m and (i == 0 or merged[i - 1][1] != m))


def _pairs(old: list[Any], new: list[Any]) -> list[tuple[str, Any, Any]]:
    """A changed stretch of blocks as ('pair', old, new), ('del', old, None), ('ins', None, new), in order.

    The most similar pair of the same tag is taken first and the stretches either side are paired the same
    way (difflib's fancy replace); blocks nothing resembles are removed and added. A stretch of as many old
    as new blocks of the same tags, none similar, is paired by position (a cell whose number changed).
    """
    if not old or not new:
        return [("del", x, None) for x in old] + [("ins", None, y) for y in new]
    best, where = _SIMILAR, None
    for i, x in enumerate(old):
        for j, y in enumerate(new):
            if x.tag != y.tag:
                continue
            s = difflib.SequenceMatcher(None, _text(x).split(), _text(y).split(), autojunk=False)
            if s.real_quick_ratio() > best and s.quick_ratio() > best and s.ratio() > best:
                best, where = s.ratio(), (i, j)
    if where is None:
        if len(old) == len(new) and all(x.tag == y.tag for x, y in zip(old, new)):
            return [("pair", x, y) for x, y in zip(old, new)]
        return [("del", x, None) for x in old] + [("ins", None, y) for y in new]
    i, j = where
    return _pairs(old[:i], new[:j]) + [("pair", old[i], new[j])] + _pairs(old[i + 1:], new[j + 1:])


@dataclass(frozen=True)
class _Atom:
    """A word, a run of white space or a void element (`br`), inside its chain of inline elements."""

    text: str  # the word or space as written; '' for a void element
    chain: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]  # (tag, attributes) from the block down
    void: str | None = None

    @property
    def key(self) -> tuple[Any, ...]:
        if self.void:
            return ("void", self.void, self.chain)
        if self.text.isspace():
            return (" ",)
        return (self.text, self.chain)


def _is_space(key: tuple[Any, ...]) -> bool:
    return key == (" ",)


def _atoms(block: Any) -> list[_Atom]:
    out: list[_Atom] = []

    def text(value: str | None, chain: tuple[Any, ...]) -> None:
        for piece in _WORDS.findall(value or ""):
            out.append(_Atom(piece, chain))

    def walk(el: Any, chain: tuple[Any, ...]) -> None:
        for child in el:
            if isinstance(child.tag, str) and child.tag not in SKIP and child.tag not in MARKS:
                inner = (*chain, (child.tag, tuple(sorted(child.attrib.items()))))
                if child.tag in VOID and not len(child) and not child.text:
                    out.append(_Atom("", chain, child.tag))
                else:
                    text(child.text, inner)
                    walk(child, inner)
            text(child.tail, chain)

    text(block.text, ())
    walk(block, ())
    return out


def _spaces_outside(merged: list[tuple[_Atom, str | None]]) -> list[tuple[_Atom, str | None]]:
    """A space between a change and kept text is kept text: `2 <del>3</del>` not `2<del> 3</del>`."""
    out = list(merged)
    for i, (atom, mark) in enumerate(out):
        if mark and atom.text.isspace():
            before = out[i - 1][1] if i > 0 else None
            after = out[i + 1][1] if i + 1 < len(out) else None
            if before is None or after is None:
                out[i] = (atom, None)
    return out


def _rebuild(block: Any, merged: list[tuple[_Atom, str | None]]) -> None:
    """Write the atoms into the emptied `block`: each run of one mark in its `<ins>`/`<del>`, formatting kept."""
    index = 0
    while index < len(merged):
        mark = merged[index][1]
        end = index
        while end < len(merged) and merged[end][1] == mark:
            end += 1
        parent = block if mark is None else block.makeelement(mark, {})
        if mark is not None:
            block.append(parent)
        _write_atoms(parent, [a for a, _ in merged[index:end]])
        index = end


def _write_atoms(parent: Any, atoms: Iterable[_Atom]) -> None:
    stack: list[tuple[Any, tuple[Any, ...]]] = [(parent, ())]  # open elements and the chain they stand for
    for atom in atoms:
        while not atom.chain[:len(stack[-1][1])] == stack[-1][1]:
            stack.pop()
        while len(stack[-1][1]) < len(atom.chain):
            tag, attrs = atom.chain[len(stack[-1][1])]
            el = stack[-1][0].makeelement(tag, dict(attrs))
            stack[-1][0].append(el)
            stack.append((el, atom.chain[:len(stack[-1][1]) + 1]))
        top = stack[-1][0]
        if atom.void:
            top.append(top.makeelement(atom.void, {}))
        elif len(top):
            top[-1].tail = (top[-1].tail or "") + atom.text
        else:
            top.text = (top.text or "") + atom.text


# ---------------------------------------------------------------- the agreement at two revisions


@dataclass
class Redline:
    """One document of the agreement, marked: the newer revision's document, meta and marked HTML."""

    doc: Document
    meta: DocMeta
    html: str
    changes: int

    def path(self, extension: str) -> Path:
        return redline_path(self.doc.partner_id, self.doc.record_id, self.doc.kind, self.doc.langs, extension)


@dataclass
class _Side:
    project: Project
    builder: Builder
    docs: dict[str, Document]  # kind → the agreement's document


def _side(data: Path, templates: Path | SearchPath, locale: list[Path], agreement_id: str,
          rev: str | None) -> _Side:
    project = load_checked(data)
    name = rev or "the working tree"
    if agreement_id in project.failed:
        raise UsageError(f"agreement {agreement_id!r} has data errors at {name} (run docgen check there)")
    builder = Builder(project, templates, Path("build"), formats=(), catalogs=Catalogs(locale))
    docs = {d.kind: d for d in builder.documents() if d.record_id == agreement_id}
    if not docs:
        raise UsageError(f"no agreement {agreement_id!r} at {name}")
    return _Side(project, builder, docs)


def commit_date(data_dir: Path, rev: str) -> dt.datetime:
    """The commit date of `rev`, in UTC."""
    try:
        done = subprocess.run(["git", "log", "-1", "--format=%ct", rev, "--"], cwd=data_dir, capture_output=True,
                              text=True, check=False)
    except FileNotFoundError:
        raise UsageError("git is not installed") from None
    if done.returncode != 0 or not done.stdout.strip():
        raise UsageError(f"git log {rev}: {done.stderr.strip() or 'no such commit'}")
    return dt.datetime.fromtimestamp(int(done.stdout.strip()), dt.timezone.utc).replace(tzinfo=None)


def redlines(data_dir: Path, templates_dir: Path | SearchPath, agreement_id: str, rev_from: str,
             rev_to: str | None = WORKTREE) -> list[Redline]:
    """Each document of the agreement at `rev_to` (default: the working tree) marked against `rev_from`."""
    with snapshot(data_dir, templates_dir, rev_from) as (old_data, old_templates):
        old = _side(old_data, templates_dir, old_templates, agreement_id, rev_from)
        old_html = {kind: old.builder.html(doc) for kind, doc in old.docs.items()}
        old_hash = short_hash(terms_hash(old.project, old.builder.catalogs, agreement_id))
    with snapshot(data_dir, templates_dir, rev_to) as (new_data, new_templates):
        new = _side(new_data, templates_dir, new_templates, agreement_id, rev_to)
        new_hash = short_hash(terms_hash(new.project, new.builder.catalogs, agreement_id))
        out = []
        for kind, doc in new.docs.items():
            meta = new.builder.meta(doc)
            changes_date = commit_date(data_dir, rev_to) if rev_to is not WORKTREE else \
                dt.datetime.combine(meta.date, dt.time(12, 0))
            footer = meta.footer_left if old_hash == new_hash else new.builder.catalogs.gettext(
                doc.langs[0], "common.terms", hash=f"{old_hash} → {new_hash}")
            meta = dataclasses.replace(meta, footer_left=footer, changes_date=changes_date)
            marker = Marker()
            html = marker.mark(old_html.get(kind), new.builder.html(doc, meta))
            out.append(Redline(doc, meta, html, marker.changes))
    return out


def write(found: list[Redline], templates_dir: Path | SearchPath, out_dir: Path,
          formats: Iterable[str] = FORMATS) -> Iterator[tuple[Path, Redline]]:
    """Write every changed document in each format; yields each path written with its redline."""
    writers = [get_writer(name)(templates_dir) for name in formats]
    for redline in found:
        if not redline.changes:
            continue
        for writer in writers:
            path = inside(out_dir, redline.path(writer.extension))
            write_atomic(path, writer.write(redline.html, redline.meta))
            yield path, redline
