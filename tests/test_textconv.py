"""docgen textconv: a DOCX or PDF as stable text for git diff."""
from __future__ import annotations

from pathlib import Path

from docx import Document


def test_docx_paragraphs_and_table_rows_in_order(tmp_path: Path, run_cli) -> None:
    doc = Document()
    doc.add_paragraph("§ 1")
    doc.add_paragraph("Umowa   ma na celu\twspółpracę.")
    table = doc.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "PL BYDGOSZ02"
    table.rows[0].cells[1].text = "2 people"
    path = tmp_path / "a.docx"
    doc.save(str(path))
    result = run_cli("textconv", path)
    assert result.exit_code == 0, result.output
    assert result.output == "§ 1\nUmowa ma na celu współpracę.\nPL BYDGOSZ02 | 2 people\n"
    assert run_cli("textconv", path).output == result.output


def test_pdf_pages(tmp_path: Path, run_cli) -> None:
    from weasyprint import HTML

    path = tmp_path / "a.pdf"
    HTML(string="<p>Agreement khnu</p><p style='page-break-before: always'>Page two</p>").write_pdf(path)
    result = run_cli("textconv", path)
    assert result.exit_code == 0, result.output
    assert result.output == "--- page 1 ---\nAgreement khnu\n--- page 2 ---\nPage two\n"


def test_other_files_are_refused(tmp_path: Path, run_cli) -> None:
    path = tmp_path / "a.txt"
    path.write_text("x")
    result = run_cli("textconv", path)
    assert result.exit_code == 2 and "reads .docx and .pdf" in result.output
