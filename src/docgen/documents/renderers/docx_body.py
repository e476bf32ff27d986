"""The rendered HTML of a document, walked into Word paragraphs and tables styled by the shell's named styles.

The building blocks both writers understand (a template uses only these):

* headings `h1`–`h3` (Word: Heading 1–3), paragraphs `p`, blocks `div`, line breaks `br`;
* inline `strong`/`b` (bold), `em`/`i` (italic), `span`; text inside an element of class `code`
  keeps its spaces (the padded Erasmus code `E  VALENCI99`);
* lists `ul`/`ol` with `li` (Word: List Bullet / List Number);
* tables `table` with `tr`, `td`/`th`, `thead` rows (repeated as Word header rows), `colgroup`/`col`
  widths in %, `colspan`/`rowspan` (merged cells) and a `caption` (Word: Caption);
* `table.parallel`: the languages side by side, one language a column, the same § on the same row;
* inline `ins`/`del` (a redline): Word tracked changes, `w:ins`/`w:del` around the runs (deleted text in
  `w:delText`) by the author "docgen" at the writer's fixed date; a paragraph or table row whose whole
  text is inserted or deleted has its paragraph mark or row marked too, so accepting or rejecting leaves
  no empty paragraph or row behind. Change ids count from 1 as they are written (deterministic bytes).

Styles come from classes: an element's class `signature-line` is the shell's style `Signature Line`
(paragraph style for blocks, table style for tables, character style for inline elements); a block
without such a class takes the nearest styled ancestor's, else its tag's default. An office restyles a
document by editing these styles in the shell; the content never carries direct formatting beyond
bold and italic. `style` elements and the `head` are the PDF's alone.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu
from docx.styles.styles import Styles
from docx.text.run import Run as DocxRun
from lxml import html as lxml_html

from docgen.documents.renderers.ooxml import place

BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "ul", "ol", "li", "table", "caption", "blockquote"}
INLINE_BOLD = {"strong", "b"}
INLINE_ITALIC = {"em", "i"}
SKIP_TAGS = {"style", "script", "head", "title", "colgroup", "col"}
CHANGE_TAGS = {"ins", "del"}
CHANGE_AUTHOR = "docgen"
TAG_STYLE = {"h1": "Heading 1", "h2": "Heading 2", "h3": "Heading 3", "h4": "Heading 4", "p": "Body Text",
             "caption": "Caption", "th": "Table Heading"}
LIST_STYLE = {"ul": "List Bullet", "ol": "List Number"}
_SPACE = re.compile(r"[ \t\n\r\f]+")


def style_name(css_class: str) -> str:
    """`signature-line` → `Signature Line`: the shell's style for an HTML class."""
    return " ".join(part.capitalize() for part in css_class.split("-") if part)


def classes(el: Any) -> list[str]:
    return (el.get("class") or "").split()


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    style: str | None = None
    keep_spaces: bool = False
    is_break: bool = False
    change: str | None = None  # 'ins' or 'del': a tracked change


@dataclass
class Para:
    """One paragraph being collected: its style and runs."""

    style: str
    runs: list[Run] = field(default_factory=list)

    def add(self, run: Run) -> None:
        self.runs.append(run)

    def finish(self) -> list[Run]:
        """Collapse white space as a browser does: one space between words, none at the ends or around breaks."""
        out: list[Run] = []
        at_line_start = True
        for run in self.runs:
            if run.is_break:
                _rstrip(out)
                out.append(run)
                at_line_start = True
                continue
            text = run.text if run.keep_spaces else _SPACE.sub(" ", run.text)
            if not run.keep_spaces and text.startswith(" ") and (
                    at_line_start or (out[-1].text.endswith(" ") and not out[-1].keep_spaces)):
                text = text[1:]
            if not text:
                continue
            out.append(replace(run, text=text))
            at_line_start = False
        _rstrip(out)
        while out and out[-1].is_break:
            out.pop()
            _rstrip(out)
        return out


def _rstrip(runs: list[Run]) -> None:
    """Drop the spaces that end a line (before a break or at the paragraph's end)."""
    while runs and not runs[-1].is_break and not runs[-1].keep_spaces:
        runs[-1].text = runs[-1].text.rstrip(" ")
        if runs[-1].text:
            return
        runs.pop()


class BodyWriter:
    """Walks one HTML body into a python-docx container (the rendered shell, or a table cell of it), using the
    shell's styles."""

    def __init__(self, styles: Styles, text_width: int, changes_date: str = "2000-01-01T00:00:00Z") -> None:
        self.text_width = text_width
        self.changes_date = changes_date  # w:date of every tracked change, ISO 8601 UTC
        self._change_id = 0
        self.paragraph_styles = {s.name for s in styles if s.type == WD_STYLE_TYPE.PARAGRAPH}
        self.table_styles = {s.name for s in styles if s.type == WD_STYLE_TYPE.TABLE}
        self.char_styles = {s.name for s in styles if s.type == WD_STYLE_TYPE.CHARACTER}

    # ------------------------------------------------------------ entry

    def write(self, source: str, container: Any) -> None:
        root = lxml_html.document_fromstring(source)
        body = root.find("body")
        if body is None:
            return
        self.blocks(body, container, self._own_style(body, "Normal"), self.text_width, fresh=None)

    # ------------------------------------------------------------ styles

    @staticmethod
    def _class_style(el: Any, available: set[str]) -> str | None:
        """The shell style named by the element's first class that has one (`signature-line` → Signature Line)."""
        return next((name for name in map(style_name, classes(el)) if name in available), None)

    def _own_style(self, el: Any, inherited: str) -> str:
        own = self._class_style(el, self.paragraph_styles)
        if own:
            return own
        default = TAG_STYLE.get(el.tag)
        if default and default in self.paragraph_styles and (el.tag != "p" or inherited == "Normal"):
            return default
        return inherited

    def _table_style(self, el: Any) -> str | None:
        return self._class_style(el, self.table_styles) or ("Grid" if "Grid" in self.table_styles else None)

    # ------------------------------------------------------------ blocks

    def blocks(self, el: Any, container: Any, style: str, width: int, fresh: Any) -> Any:
        """Write `el`'s children into `container`; `fresh` is an empty paragraph to use first (a new cell's).
        Returns the still-unused empty paragraph, if any."""
        para = Para(style)
        keep = "code" in classes(el)

        def flush() -> None:
            nonlocal fresh
            runs = para.finish()
            if runs:
                self._emit(container, para.style, runs, fresh)
                fresh = None
            para.runs.clear()

        if el.text:
            para.add(Run(el.text, keep_spaces=keep))
        for child in el:
            if not isinstance(child.tag, str) or child.tag in SKIP_TAGS:
                pass
            elif child.tag in BLOCK_TAGS:
                flush()
                fresh = self.block(child, container, style, width, fresh)
            else:
                self.inline(child, para, bold=False, italic=False, char=None, keep=keep)
            if child.tail:
                para.add(Run(child.tail, keep_spaces=keep))
        flush()
        return fresh

    def block(self, el: Any, container: Any, inherited: str, width: int, fresh: Any) -> Any:
        tag = el.tag
        if tag == "table":
            return self.table(el, container, inherited, width, fresh)
        if tag in LIST_STYLE:
            style = LIST_STYLE[tag] if LIST_STYLE[tag] in self.paragraph_styles else inherited
            for item in el:
                if isinstance(item.tag, str) and item.tag == "li":
                    fresh = self.blocks(item, container, self._own_style(item, style), width, fresh)
            return fresh
        style = self._own_style(el, inherited)
        before = fresh
        fresh = self.blocks(el, container, style, width, fresh)
        if fresh is before and not self._has_content(el) and style != inherited:
            # An empty styled block (a stamp's space, a signature box) keeps its place as an empty paragraph.
            self._emit(container, style, [], fresh)
            fresh = None
        return fresh

    @staticmethod
    def _has_content(el: Any) -> bool:
        return bool("".join(el.itertext()).strip())

    def _emit(self, container: Any, style: str, runs: list[Run], fresh: Any) -> None:
        """Write one paragraph, into `fresh` (an empty paragraph waiting to be used) when there is one."""
        if fresh is not None:
            paragraph = fresh
            paragraph.style = style
        else:
            paragraph = container.add_paragraph(style=style)
        last: Any = None  # the run written last, and its change
        last_change: str | None = None
        group: Any = None  # the open w:ins/w:del consecutive runs of the same change share
        for run in runs:
            if run.is_break and last is not None and run.change == last_change:
                last.add_break()
                continue
            r = _add_run(paragraph, run)
            if run.change is None:
                group = None
            else:
                if group is None or group.tag != qn(f"w:{run.change}"):
                    group = self._change(run.change)
                    r._r.addprevious(group)
                group.append(r._r)
                if run.change == "del":
                    _deleted_text(r._r)
            last, last_change = r, run.change
        changes = {run.change for run in runs}
        if runs and len(changes) == 1 and None not in changes:
            # the whole paragraph is new or gone: so is its mark
            p_pr = paragraph._p.get_or_add_pPr()
            r_pr = p_pr.find(qn("w:rPr"))
            if r_pr is None:
                r_pr = place(p_pr, OxmlElement("w:rPr"))
            place(r_pr, self._change(changes.pop()))

    def _change(self, kind: str) -> Any:
        """A `w:ins` or `w:del` with the next id, the fixed author and date."""
        self._change_id += 1
        el = OxmlElement(f"w:{kind}")
        el.set(qn("w:id"), str(self._change_id))
        el.set(qn("w:author"), CHANGE_AUTHOR)
        el.set(qn("w:date"), self.changes_date)
        return el

    # ------------------------------------------------------------ inline

    def inline(self, el: Any, para: Para, bold: bool, italic: bool, char: str | None, keep: bool,
               change: str | None = None) -> None:
        tag = el.tag
        if tag == "br":
            para.add(Run("", is_break=True, change=change))
            return
        if tag == "wbr":  # a break opportunity: a zero-width space, as WeasyPrint draws it (libxml2 may nest
            para.add(Run("\u200b", bold, italic, char, True, change=change))  # the following text inside it)
        bold = bold or tag in INLINE_BOLD
        italic = italic or tag in INLINE_ITALIC
        char = self._class_style(el, self.char_styles) or char
        keep = keep or "code" in classes(el)
        change = tag if tag in CHANGE_TAGS else change
        if el.text:
            para.add(Run(el.text, bold, italic, char, keep, change=change))
        for child in el:
            if isinstance(child.tag, str) and child.tag not in SKIP_TAGS:
                self.inline(child, para, bold, italic, char, keep, change)
            if child.tail:
                para.add(Run(child.tail, bold, italic, char, keep, change=change))

    # ------------------------------------------------------------ tables

    def table(self, el: Any, container: Any, inherited: str, width: int, fresh: Any) -> Any:
        caption = el.find("caption")
        if caption is not None:
            fresh = self.blocks(caption, container, self._own_style(caption, inherited), width, fresh)
        rows = list(self._rows(el))
        grid = self._grid(rows)
        ncols = max((len(r) for r in grid), default=0)
        if ncols == 0:
            return fresh
        if ncols == 1 and "parallel" in classes(el):
            return self._unwrapped(rows, container, inherited, width, fresh)
        widths = self._widths(el, ncols, width)
        if fresh is not None:
            # The cell's empty paragraph gives way to the table; the one Word requires after it is the new fresh one.
            fresh._p.getparent().remove(fresh._p)
        table = container.add_table(rows=len(rows), cols=ncols)
        style = self._table_style(el)
        if style:
            table.style = style
        table.autofit = False
        header = any(head for _, head in rows)
        # a form (label | value rows): its first column of th cells is shaded as the PDF shades th
        label_column = not header and all(len(tr) and tr[0].tag == "th" for tr, _ in rows)
        self._fix_layout(table, widths, header, label_column)
        parallel = "parallel" in classes(el)
        for r, (tr, header) in enumerate(rows):
            row = table.rows[r]
            if header:
                place(row._tr.get_or_add_trPr(), OxmlElement("w:tblHeader"))
            if parallel or "keep" in classes(tr):
                place(row._tr.get_or_add_trPr(), OxmlElement("w:cantSplit"))
            whole = wholly_changed(tr)
            if whole:  # a row the redline adds or removes: the row itself is a tracked change
                place(row._tr.get_or_add_trPr(), self._change(whole))
        # place cells (with spans) on the grid; the cells are listed once, before any merge (table.cell() lists
        # them all on every call): merging never removes a cell where another span starts or ends
        unmerged = table._cells
        for r, cells in enumerate(grid):
            for c, slot in enumerate(cells):
                if slot is None or slot.origin != (r, c):
                    continue
                cell = unmerged[r * ncols + c]
                if slot.colspan > 1 or slot.rowspan > 1:
                    cell = cell.merge(unmerged[(r + slot.rowspan - 1) * ncols + c + slot.colspan - 1])
                cell_width = sum(widths[c:c + slot.colspan])
                td = slot.el
                cell_style = self._cell_style(td, parallel, inherited)
                left = self.blocks(td, cell, cell_style, cell_width, fresh=cell.paragraphs[0])
                if left is not None:
                    left.style = cell_style
                if td.get("lang"):
                    _cell_lang(cell, td.get("lang"))
        # python-docx ends a cell with an empty paragraph after a nested table: the next content goes there
        return container.paragraphs[-1] if hasattr(container, "_tc") else None

    def _unwrapped(self, rows: list[tuple[Any, bool]], container: Any, inherited: str, width: int,
                   fresh: Any) -> Any:
        """The parallel layout of a one-language document: its cells are the document's own headings and
        paragraphs, one after another, not a one-column table."""
        for tr, _ in rows:
            for td in tr:
                if not isinstance(td.tag, str) or td.tag not in ("td", "th"):
                    continue
                before = len(container.paragraphs)
                fresh = self.blocks(td, container, self._own_style(td, inherited), width, fresh)
                if td.get("lang"):
                    _mark_lang(container.paragraphs[max(0, before - 1):], td.get("lang"))
        return fresh

    def _cell_style(self, td: Any, parallel: bool, inherited: str) -> str:
        if parallel:
            return self._own_style(td, inherited)
        default = "Table Heading" if td.tag == "th" else "Table Text"
        if default not in self.paragraph_styles:
            default = inherited
        own = self._own_style(td, default)
        return own

    @staticmethod
    def _rows(el: Any) -> Iterator[tuple[Any, bool]]:
        for part in el:
            if not isinstance(part.tag, str):
                continue
            if part.tag == "tr":
                yield part, False
            elif part.tag in ("thead", "tbody", "tfoot"):
                for tr in part:
                    if isinstance(tr.tag, str) and tr.tag == "tr":
                        yield tr, part.tag == "thead"

    def _grid(self, rows: list[tuple[Any, bool]]) -> list[list[_Slot | None]]:
        grid: list[list[_Slot | None]] = [[] for _ in rows]
        for r, (tr, _) in enumerate(rows):
            c = 0
            for td in tr:
                if not isinstance(td.tag, str) or td.tag not in ("td", "th"):
                    continue
                while c < len(grid[r]) and grid[r][c] is not None:
                    c += 1
                colspan = max(1, int(td.get("colspan") or 1))
                rowspan = max(1, min(int(td.get("rowspan") or 1), len(rows) - r))
                slot = _Slot(td, (r, c), colspan, rowspan)
                for dr in range(rowspan):
                    line = grid[r + dr]
                    while len(line) < c + colspan:
                        line.append(None)
                    for dc in range(colspan):
                        line[c + dc] = slot
                c += colspan
        ncols = max((len(line) for line in grid), default=0)
        for line in grid:
            line.extend([None] * (ncols - len(line)))
        return grid

    @staticmethod
    def _widths(el: Any, ncols: int, width: int) -> list[int]:
        percents: list[float] = []
        for col in el.iter("col"):
            match = re.search(r"width:\s*([0-9.]+)%", col.get("style") or "")
            percents.append(float(match.group(1)) if match else 0.0)
        if len(percents) != ncols or not all(percents):
            percents = [100.0 / ncols] * ncols
        total = sum(percents)
        return [int(width * p / total) for p in percents]

    @staticmethod
    def _fix_layout(table: Any, widths: list[int], header: bool, label_column: bool) -> None:
        """Fixed column widths; the table style's first-row (or first-column) look only where the HTML has
        header cells there."""
        tbl_pr = table._tbl.tblPr  # `table.autofit = False` has set w:tblLayout to fixed
        tbl_w = tbl_pr.find(qn("w:tblW"))
        if tbl_w is None:
            tbl_w = place(tbl_pr, OxmlElement("w:tblW"))
        tbl_w.set(qn("w:type"), "dxa")
        tbl_w.set(qn("w:w"), str(sum(Emu(w).twips for w in widths)))
        look = tbl_pr.find(qn("w:tblLook"))
        if look is None:
            look = place(tbl_pr, OxmlElement("w:tblLook"))
        for attr, value in (("w:val", f"{0x600 | 0x20 * header | 0x80 * label_column:04X}"),
                            ("w:firstRow", "1" if header else "0"), ("w:lastRow", "0"),
                            ("w:firstColumn", "1" if label_column else "0"),
                            ("w:lastColumn", "0"), ("w:noHBand", "1"), ("w:noVBand", "1")):
            look.set(qn(attr), value)
        for col, w in zip(table.columns, widths):
            col.width = Emu(w)
            for cell in col.cells:
                cell.width = Emu(w)


@dataclass
class _Slot:
    el: Any
    origin: tuple[int, int]
    colspan: int
    rowspan: int


def wholly_changed(el: Any) -> str | None:
    """'ins' or 'del' when every word of `el` stands inside an `ins` (or every one inside a `del`), else None."""
    found: set[str | None] = set()

    def walk(node: Any, change: str | None) -> None:
        if node.text and node.text.strip():
            found.add(change)
        for child in node:
            if isinstance(child.tag, str) and child.tag not in SKIP_TAGS:
                walk(child, child.tag if child.tag in CHANGE_TAGS else change)
            if child.tail and child.tail.strip():
                found.add(change)

    walk(el, None)
    return found.pop() if len(found) == 1 and None not in found else None


def _deleted_text(r: Any) -> None:
    """A deleted run holds its text in `w:delText`, as the WordprocessingML schema wants."""
    for t in list(r.iter(qn("w:t"))):
        deleted = OxmlElement("w:delText")
        deleted.text = t.text
        deleted.set(qn("xml:space"), "preserve")
        t.addprevious(deleted)
        t.getparent().remove(t)


def _cell_lang(cell: Any, lang: str) -> None:
    """Mark a language column's text with its language (Word's spell checker and hyphenation follow it)."""
    _mark_lang(cell.paragraphs, lang)


def _mark_lang(paragraphs: Any, lang: str) -> None:
    for paragraph in paragraphs:
        for r in paragraph._p.iter(qn("w:r")):  # the runs inside tracked changes too
            el = OxmlElement("w:lang")
            el.set(qn("w:val"), lang)
            place(r.get_or_add_rPr(), el)


def _add_run(paragraph: Any, run: Run) -> Any:
    """`paragraph.add_run(text, style)` with bold and italic, as the same XML built directly: python-docx's
    run.text walks the text a character at a time and places each child by schema lookups (a third of a
    document's time). A break, and text with a tab or a line break, go through python-docx, which turns
    those into `w:br` and `w:tab`."""
    if run.is_break or any(c in run.text for c in "\t\r\n"):
        added = paragraph.add_run(None if run.is_break else run.text, style=run.style)
        if run.is_break:
            added.add_break()
        if run.bold:
            added.bold = True
        if run.italic:
            added.italic = True
        return added
    style_id = paragraph.part.get_style_id(run.style, WD_STYLE_TYPE.CHARACTER) if run.style else None
    r = OxmlElement("w:r")
    if style_id or run.bold or run.italic:
        r_pr = OxmlElement("w:rPr")
        if style_id:
            r_style = OxmlElement("w:rStyle")
            r_style.set(qn("w:val"), style_id)
            r_pr.append(r_style)
        if run.bold:
            r_pr.append(OxmlElement("w:b"))
        if run.italic:
            r_pr.append(OxmlElement("w:i"))
        r.append(r_pr)
    if run.text:
        t = OxmlElement("w:t")
        t.text = run.text
        if len(run.text.strip()) < len(run.text):
            t.set(qn("xml:space"), "preserve")
        r.append(t)
    paragraph._p.append(r)
    return DocxRun(r, paragraph)
