"""The short terms hash is printed in every agreement's footer, in the PDF and in the DOCX."""
from __future__ import annotations

import zipfile
from pathlib import Path

from docgen.i18n import Catalogs
from docgen.pipeline import build_folder
from docgen.project import load_project
from docgen.terms import short_hash, terms_hash
from reading import pdf_text


def test_agreement_footer_names_its_terms_hash_in_both_formats(project_copy: Path) -> None:
    project = load_project(project_copy / "data")
    short = short_hash(terms_hash(project, Catalogs(project_copy / "templates" / "locale"), "khnu-bilateral-2015"))
    out = project_copy / "build"
    build_folder(project_copy / "data", project_copy / "templates", out, only="khnu-bilateral-2015")
    folder = out / "khnu" / "khnu-bilateral-2015"
    # pl-uk: the footer speaks the document's first language, as the page label does
    assert f"Warunki {short}" in pdf_text(folder / "bilateral-cooperation.pl-uk.pdf")
    with zipfile.ZipFile(folder / "bilateral-cooperation.pl-uk.docx") as docx:
        footers = "".join(docx.read(n).decode() for n in docx.namelist() if n.startswith("word/footer"))
    assert f"Warunki {short}" in footers


def test_a_mobility_document_has_no_terms_footer(project_copy: Path) -> None:
    out = project_copy / "build"
    build_folder(project_copy / "data", project_copy / "templates", out, only="2018-khnu-out-teaching-1",
                 formats=("pdf",))
    pdfs = list(out.rglob("*.pdf"))
    assert pdfs and not any("Terms " in pdf_text(p) for p in pdfs)
