"""Helpers to write docxtpl templates with python-docx: styles, parallel-language tables, data grids."""
from __future__ import annotations

import datetime as dt
import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

FONT = "DejaVu Serif"
ALIGN = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT,
         "justify": WD_ALIGN_PARAGRAPH.JUSTIFY, None: None}


def _field(run, instr: str) -> None:
    """A Word field (PAGE, NUMPAGES) inside a run."""
    for kind, text in (("begin", None), ("instr", instr), ("separate", None), ("text", "1"), ("end", None)):
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {text} "
        elif kind == "text":
            el = OxmlElement("w:t")
            el.text = text
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        run._r.append(el)


class Builder:
    """A new A4 document with docgen's styles, a header (title, document id) and a page X / Y footer."""

    def __init__(self) -> None:
        self.doc = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(1.8)
        section.top_margin, section.bottom_margin = Cm(2.0), Cm(1.8)
        styles = self.doc.styles
        normal = styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(10)
        normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
        normal.paragraph_format.space_after = Pt(4)
        for name, size in (("Title", 15), ("Heading 1", 12), ("Heading 2", 11)):
            style = styles[name]
            style.font.name = FONT
            style.font.size = Pt(size)
            style.font.bold = True
            style.font.color.rgb = None
            rfonts = style.element.rPr.rFonts
            for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
                rfonts.set(qn(attr), FONT)
            for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
                if rfonts.get(qn(attr)) is not None:
                    del rfonts.attrib[qn(attr)]
        styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        header = section.header.paragraphs[0]
        header.text = "{{ meta.title }}\t\t{{ meta.doc_id }}"
        header.runs[0].font.size = Pt(7.5)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = footer.add_run("{{ t(langs[0], 'common.page') }} ")
        run.font.size = Pt(7.5)
        run = footer.add_run()
        _field(run, "PAGE")
        run = footer.add_run(" / ")
        run = footer.add_run()
        _field(run, "NUMPAGES")
        props = self.doc.core_properties
        props.author = "docgen"
        props.created = props.modified = dt.datetime(2000, 1, 1)
        props.revision = 1

    # -- text
    def title(self, text: str) -> None:
        self.doc.add_paragraph(text, style="Title")

    def heading(self, text: str, level: int = 1) -> None:
        self.doc.add_paragraph(text, style=f"Heading {level}")

    def para(self, text: str, *, bold: bool = False, align: str | None = None, size: float | None = None,
             italic: bool = False) -> None:
        p = self.doc.add_paragraph()
        run = p.add_run(text)
        run.bold = bold or None
        run.italic = italic or None
        if size:
            run.font.size = Pt(size)
        if ALIGN[align] is not None:
            p.alignment = ALIGN[align]

    def control(self, tag: str) -> None:
        """A paragraph-level Jinja tag: '{%p if x %}', '{%p for i in items %}', '{%p endfor %}'."""
        self.doc.add_paragraph(tag)

    def page_break(self) -> None:
        self.doc.add_page_break()

    # -- tables
    def parallel(self, rows: list[str], *, bold_rows: tuple[int, ...] = (), center_rows: tuple[int, ...] = ()) -> None:
        """A table with one column per document language: each row is a cell template using `lang`.

        A row that starts with '{%tr ' is a row-level control tag (loop or condition over rows).
        A cell may hold several paragraphs separated by '\\n'.
        """
        table = self.doc.add_table(rows=0, cols=3)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for i, row in enumerate(rows):
            cells = table.add_row().cells
            if row.startswith("{%tr "):
                cells[0].text = row
                continue
            cells[0].text = "{%tc for lang in langs %}"
            cells[2].text = "{%tc endfor %}"
            first = True
            for line in row.split("\n"):
                p = cells[1].paragraphs[0] if first else cells[1].add_paragraph()
                first = False
                run = p.add_run(line)
                if i in bold_rows:
                    run.bold = True
                if i in center_rows:
                    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                elif not line.startswith("{%"):
                    p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    def grid(self, header: list[str], cells: list[str], *, loop: str | None = None,
             widths: list[float] | None = None, font_size: float = 8.5) -> None:
        """A bordered data table: a header row, then `cells` (repeated by `loop`, e.g. 'row in rows')."""
        table = self.doc.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, header):
            cell.text = ""
            run = cell.paragraphs[0].add_run(text)
            run.bold = True
            run.font.size = Pt(font_size)
        if loop:
            table.add_row().cells[0].text = "{%tr for " + loop + " %}"
        row = table.add_row().cells
        for cell, text in zip(row, cells):
            cell.text = ""
            for j, line in enumerate(text.split("\n")):
                p = cell.paragraphs[0] if j == 0 else cell.add_paragraph()
                p.add_run(line).font.size = Pt(font_size)
        if loop:
            table.add_row().cells[0].text = "{%tr endfor %}"
        if widths:
            for r in table.rows:
                for cell, w in zip(r.cells, widths):
                    cell.width = Cm(w)

    def kv(self, pairs: list[tuple[str, str]], widths: tuple[float, float] = (5.5, 11.9)) -> None:
        """A two-column bordered table of label → value."""
        table = self.doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, value in pairs:
            if label.startswith("{%tr "):
                table.add_row().cells[0].text = label
                continue
            a, b = table.add_row().cells
            a.text, b.text = "", ""
            a.paragraphs[0].add_run(label).bold = True
            b.paragraphs[0].add_run(value)
            a.width, b.width = Cm(widths[0]), Cm(widths[1])

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        self.doc.save(buf)
        return buf.getvalue()
