"""The rendered HTML of a document, walked into Word paragraphs and tables styled by the shell's named styles.

The building blocks both writers understand (a template uses only these):

* headings `h1`–`h3` (Word: Heading 1–3), paragraphs `p`, blocks `div`, line breaks `br`;
* inline `strong`/`b` (bold), `em`/`i` (italic), `span`; text inside an element of class `code`
  keeps its spaces (the padded Erasmus code `E  VALENCI99`);
* lists `ul`/`ol` with `li` (Word: List Bullet / List Number);
* tables `table` with `tr`, `td`/`th`, `thead` rows (repeated as Word header rows), `colgroup`/`col`
  widths in %, `colspan`/`rowspan` (merged cells) and a `caption` (Word: Caption);
* `table.parallel`: the languages side by side, one language a column, the same § on the same row.

Styles come from classes: an element's class `signature-line` is the shell's style `Signature Line`
(paragraph style for blocks, table style for tables, character style for inline elements); a block
without such a class takes the nearest styled ancestor's, else its tag's default. An office restyles a
document by editing these styles in the shell; the content never carries direct formatting beyond
bold and italic. `style` elements and the `head` are the PDF's alone.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu
from docx.styles.styles import Styles
from lxml import html as lxml_html

BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "ul", "ol", "li", "table", "caption", "blockquote"}
INLINE_BOLD = {"strong", "b"}
INLINE_ITALIC = {"em", "i"}
SKIP_TAGS = {"style", "script", "head", "title", "colgroup", "col"}
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
            out.append(Run(text, run.bold, run.italic, run.style, run.keep_spaces))
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
    """Walks one HTML body into a python-docx container (a Subdoc of the shell), using the shell's styles."""

    def __init__(self, styles: Styles, text_width: int) -> None:
        self.text_width = text_width
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

    def _own_style(self, el: Any, inherited: str) -> str:
        for css_class in classes(el):
            name = style_name(css_class)
            if name in self.paragraph_styles:
                return name
        default = TAG_STYLE.get(el.tag)
        if default and default in self.paragraph_styles and (el.tag != "p" or inherited == "Normal"):
            return default
        return inherited

    def _table_style(self, el: Any) -> str | None:
        for css_class in classes(el):
            name = style_name(css_class)
            if name in self.table_styles:
                return name
        return "Grid" if "Grid" in self.table_styles else None

    def _char_style(self, el: Any) -> str | None:
        for css_class in classes(el):
            name = style_name(css_class)
            if name in self.char_styles:
                return name
        return None

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
                fresh = self._emit(container, para.style, runs, fresh)
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
            fresh = self._emit(container, style, [], fresh)
        return fresh

    @staticmethod
    def _has_content(el: Any) -> bool:
        return bool("".join(el.itertext()).strip())

    def _emit(self, container: Any, style: str, runs: list[Run], fresh: Any) -> None:
        """Write one paragraph (into the fresh empty one when there is one); returns None (fresh is used)."""
        if fresh is not None:
            paragraph = fresh
            paragraph.style = style
        else:
            paragraph = container.add_paragraph(style=style)
        for run in runs:
            if run.is_break:
                (paragraph.runs[-1] if paragraph.runs else paragraph.add_run()).add_break()
                continue
            _add_run(paragraph, run)
        return None

    # ------------------------------------------------------------ inline

    def inline(self, el: Any, para: Para, bold: bool, italic: bool, char: str | None, keep: bool) -> None:
        tag = el.tag
        if tag == "br":
            para.add(Run("", is_break=True))
            return
        if tag == "wbr":  # a break opportunity: a zero-width space, as WeasyPrint draws it (libxml2 may nest
            para.add(Run("\u200b", bold, italic, char, keep_spaces=True))  # the following text inside it)
        bold = bold or tag in INLINE_BOLD
        italic = italic or tag in INLINE_ITALIC
        char = self._char_style(el) or char
        keep = keep or "code" in classes(el)
        if el.text:
            para.add(Run(el.text, bold, italic, char, keep))
        for child in el:
            if isinstance(child.tag, str) and child.tag not in SKIP_TAGS:
                self.inline(child, para, bold, italic, char, keep)
            if child.tail:
                para.add(Run(child.tail, bold, italic, char, keep))

    # ------------------------------------------------------------ tables

    def table(self, el: Any, container: Any, inherited: str, width: int, fresh: Any) -> Any:
        caption = el.find("caption")
        if caption is not None:
            self.blocks(caption, container, self._own_style(caption, inherited), width, fresh)
            fresh = None
        rows = list(self._rows(el))
        grid = self._grid(rows)
        ncols = max((len(r) for r in grid), default=0)
        if ncols == 0:
            return fresh
        widths = self._widths(el, ncols, width)
        if fresh is not None:
            # The cell's empty paragraph gives way to the table; the one Word requires after it is the new fresh one.
            fresh._p.getparent().remove(fresh._p)
        table = container.add_table(rows=len(rows), cols=ncols)
        style = self._table_style(el)
        if style:
            table.style = style
        table.autofit = False
        self._fix_layout(table, widths)
        parallel = "parallel" in classes(el)
        for r, (tr, header) in enumerate(rows):
            row = table.rows[r]
            if header:
                tr_pr = row._tr.get_or_add_trPr()
                flag = OxmlElement("w:tblHeader")
                tr_pr.append(flag)
            if parallel or "keep" in classes(tr):
                tr_pr = row._tr.get_or_add_trPr()
                tr_pr.append(OxmlElement("w:cantSplit"))
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
    def _fix_layout(table: Any, widths: list[int]) -> None:
        tbl = table._tbl
        tbl_pr = tbl.tblPr
        layout = OxmlElement("w:tblLayout")
        layout.set(qn("w:type"), "fixed")
        tbl_pr.append(layout)
        tbl_w = tbl_pr.find(qn("w:tblW"))
        if tbl_w is None:
            tbl_w = OxmlElement("w:tblW")
            tbl_pr.append(tbl_w)
        tbl_w.set(qn("w:type"), "dxa")
        tbl_w.set(qn("w:w"), str(sum(Emu(w).twips for w in widths)))
        look = tbl_pr.find(qn("w:tblLook"))
        if look is None:
            look = OxmlElement("w:tblLook")
            tbl_pr.append(look)
        for attr, value in (("w:val", "04A0"), ("w:firstRow", "1"), ("w:lastRow", "0"), ("w:firstColumn", "0"),
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


def _cell_lang(cell: Any, lang: str) -> None:
    """Mark a language column's text with its language (Word's spell checker and hyphenation follow it)."""
    for paragraph in cell.paragraphs:
        for run in paragraph.runs:
            r_pr = run._r.get_or_add_rPr()
            el = OxmlElement("w:lang")
            el.set(qn("w:val"), lang)
            r_pr.append(el)


def _add_run(paragraph: Any, run: Run) -> None:
    """`paragraph.add_run(text, style)` with bold and italic, as the same XML built directly: python-docx's
    run.text walks the text a character at a time and places each child by schema lookups (a third of a
    document's time). Text with a tab or a line break goes through python-docx, which turns those into
    `w:tab` and `w:br`."""
    if any(c in run.text for c in "\t\r\n"):
        r = paragraph.add_run(run.text, style=run.style)
        if run.bold:
            r.bold = True
        if run.italic:
            r.italic = True
        return
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
