"""docgen redline: an agreement's changes between two revisions, marked in the PDF and as Word tracked changes."""
from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html

from docgen.review.redline import Marker
from reading import pdf_text, squash
from test_terms import KHNU, STAFF_ROW, commit, repo  # noqa: F401 - repo is the scratch git repository fixture

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
OUT = Path("build/redline/khnu/khnu-iia-2016")
CLAUSE = "At least 80 % of an incoming student's course load"
COMMITTED = "2024-05-06T10:00:00Z"


def _change_number_and_clause(repo: Path, edit_file, monkeypatch: pytest.MonkeyPatch) -> None:
    edit_file(repo / KHNU, STAFF_ROW, STAFF_ROW.replace("people: 2", "people: 3"))
    edit_file(repo / KHNU, CLAUSE, CLAUSE.replace("80 %", "70 %"))
    monkeypatch.setenv("GIT_COMMITTER_DATE", COMMITTED)
    commit(repo, "3 incoming teachers, 70 % of the course load")


def _tracked(docx: Path) -> tuple[list[tuple[str, str, str, str]], list[str], list[str]]:
    """(every w:ins/w:del as (tag, id, author, date)), the inserted texts, the deleted texts."""
    with zipfile.ZipFile(docx) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    marks = [(el.tag[len(W):], el.get(f"{W}id"), el.get(f"{W}author"), el.get(f"{W}date"))
             for el in root.iter(f"{W}ins", f"{W}del")]
    inserted = ["".join(t.text or "" for t in el.iter(f"{W}t")) for el in root.iter(f"{W}ins")]
    deleted = ["".join(t.text or "" for t in el.iter(f"{W}delText")) for el in root.iter(f"{W}del")]
    assert not any(el.find(f".//{W}t") is not None for el in root.iter(f"{W}del")), "deleted text outside delText"
    return marks, [t for t in inserted if t], [t for t in deleted if t]


def test_redline_marks_a_changed_number_and_clause_in_both_formats(repo: Path, run_cli, edit_file,  # noqa: F811
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    _change_number_and_clause(repo, edit_file, monkeypatch)
    status = subprocess.run(["git", "status", "--porcelain"], cwd=repo, capture_output=True, text=True).stdout
    result = run_cli("redline", "khnu-iia-2016", "--from", "HEAD~1", "--to", "HEAD", "--data", repo / "data")
    assert result.exit_code == 0, result.output
    docx, pdf = OUT / "erasmus-iia.en.redline.docx", OUT / "erasmus-iia.en.redline.pdf"
    assert result.output == (f"{docx}: 5 change(s) marked\n{pdf}: 5 change(s) marked\n")

    marks, inserted, deleted = _tracked(repo / docx)
    # the staff row: 2 teachers × 5 days became 3 teachers, 10 days in total; the clause: 80 → 70 %
    assert deleted == ["2 × 5", "80"]
    assert inserted == ["3 (10", "in total)", "70"]
    assert {(author, date) for _, _, author, date in marks} == {("docgen", COMMITTED)}
    ids = [i for _, i, _, _ in marks]
    assert len(set(ids)) == len(ids) and all(i.isdigit() for i in ids)

    text = squash(pdf_text(repo / pdf))
    assert "Atleast8070%" in text  # the old word struck through, then the new one
    assert "2×53(10daysintotal)" in text
    assert "Terms" in pdf_text(repo / pdf) and "→" in pdf_text(repo / pdf)  # the footer: old → new terms hash

    first = {p: (repo / p).read_bytes() for p in (docx, pdf)}
    again = run_cli("redline", "khnu-iia-2016", "--from", "HEAD~1", "--to", "HEAD", "--data", repo / "data")
    assert again.exit_code == 0, again.output
    assert {p: (repo / p).read_bytes() for p in (docx, pdf)} == first  # the same bytes every run
    assert subprocess.run(["git", "status", "--porcelain"], cwd=repo, capture_output=True,
                          text=True).stdout == status + "?? build/\n"  # only the redline folder is new


def test_libreoffice_opens_the_redline_with_the_changes_tracked(repo: Path, run_cli, edit_file,  # noqa: F811
                                                               monkeypatch: pytest.MonkeyPatch,
                                                               tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed; `make test` installs libreoffice-writer-nogui")
    _change_number_and_clause(repo, edit_file, monkeypatch)
    result = run_cli("redline", "khnu-iia-2016", "--from", "HEAD~1", "--to", "HEAD", "--format", "docx",
                     "--data", repo / "data")
    assert result.exit_code == 0, result.output
    docx = repo / OUT / "erasmus-iia.en.redline.docx"
    converted = tmp_path / "converted"
    for target in ("fodt", "pdf"):
        done = subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                               "--norestore", "--convert-to", target, "--outdir", str(converted), str(docx)],
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    fodt = etree.parse(str(converted / "erasmus-iia.en.redline.fodt"))
    ns = {"text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
          "dc": "http://purl.org/dc/elements/1.1/"}
    regions = fodt.findall(".//text:tracked-changes/text:changed-region", ns)
    kinds = sorted(r[0].tag.rsplit("}", 1)[1] for r in regions)
    assert kinds == ["deletion", "deletion", "insertion", "insertion", "insertion"]
    assert {r.findtext(".//dc:creator", namespaces=ns) for r in regions} == {"docgen"}
    shown = squash(pdf_text(converted / "erasmus-iia.en.redline.pdf"))
    assert "Atleast8070%" in shown  # LibreOffice shows the deleted word beside the inserted one


def test_an_unchanged_agreement_says_so_and_writes_nothing(repo: Path, run_cli, edit_file,  # noqa: F811
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    _change_number_and_clause(repo, edit_file, monkeypatch)  # changes khnu-iia-2016, not khnu-general-2016
    result = run_cli("redline", "khnu-general-2016", "--from", "HEAD~1", "--data", repo / "data")
    assert result.exit_code == 0, result.output
    assert result.output == ("khnu-general-2016: the general-cooperation (en) is the same at HEAD~1 and the "
                             "working tree: no redline written\n")
    assert not (repo / "build").exists()


def test_redline_refuses_what_it_cannot_compare(repo: Path, run_cli) -> None:  # noqa: F811
    missing = run_cli("redline", "nope", "--from", "HEAD", "--data", repo / "data")
    assert missing.exit_code == 2 and "no agreement 'nope' at HEAD" in missing.stderr
    bad_rev = run_cli("redline", "khnu-iia-2016", "--from", "no-such-rev", "--data", repo / "data")
    assert bad_rev.exit_code == 2 and "no-such-rev" in bad_rev.stderr


def test_a_po_edit_is_marked_in_its_language_column_only(repo: Path, run_cli, edit_file) -> None:  # noqa: F811
    edit_file(repo / "templates/locale/uk/common.po", "зокрема обмін студентами", "зокрема обмін студентів")
    result = run_cli("redline", "khnu-bilateral-2015", "--from", "HEAD", "--format", "docx", "--data", repo / "data")
    assert result.exit_code == 0, result.output
    _, inserted, deleted = _tracked(repo / "build/redline/khnu/khnu-bilateral-2015/"
                                           "bilateral-cooperation.pl-uk.redline.docx")
    assert (deleted, inserted) == (["студентами;"], ["студентів;"])


# ---------------------------------------------------------------- the marking itself


def _mark(old_body: str, new_body: str) -> tuple[str, int]:
    marker = Marker()
    out = marker.mark(f"<html><body>{old_body}</body></html>", f"<html><body>{new_body}</body></html>")
    body = lxml_html.document_fromstring(out).find("body")
    return "".join(lxml_html.tostring(c, encoding="unicode") for c in body).strip(), marker.changes


def test_words_are_marked_inside_their_formatting() -> None:
    assert _mark("<p>We send <strong>2 people</strong> a year.</p>", "<p>We send <strong>3 people</strong> a year.</p>") \
        == ("<p>We send <del><strong>2</strong></del><ins><strong>3</strong></ins><strong> people</strong> "
            "a year.</p>", 2)


def test_added_and_removed_blocks_are_marked_wholly_where_they_stand() -> None:
    marked, changes = _mark("<p>one</p><p>two</p><p>three</p>", "<p>one</p><p>three</p><p>four</p>")
    assert marked == "<p>one</p><p><del>two</del></p><p>three</p><p><ins>four</ins></p>"
    assert changes == 2
    rows, _ = _mark("<table><tr><td>a</td><td>1</td></tr><tr><td>b</td><td>2</td></tr></table>",
                    "<table><tr><td>a</td><td>1</td></tr></table>")
    assert rows == ("<table><tr><td>a</td><td>1</td></tr><tr><td><del>b</del></td><td><del>2</del></td></tr>"
                    "</table>")


def test_the_same_html_has_no_changes() -> None:
    assert _mark("<p>same <em>text</em></p>", "<p>same  <em>text</em></p>")[1] == 0


def _accept(marked: str) -> str:
    root = lxml_html.fragment_fromstring(marked, create_parent="div")
    for el in root.iter("del"):
        el.drop_tree()
    return " ".join(root.text_content().split())


def _reject(marked: str) -> str:
    root = lxml_html.fragment_fromstring(marked, create_parent="div")
    for el in root.iter("ins"):
        el.drop_tree()
    return " ".join(root.text_content().split())


WORDS = st.lists(st.sampled_from(["umowa", "2", "3", "dni", "osoby", "rok", "§", "80 %"]), max_size=8)
PARAS = st.lists(WORDS.map(" ".join), max_size=5)


@given(PARAS, PARAS)
def test_accepting_the_marks_gives_the_new_text_and_rejecting_them_the_old(old: list[str], new: list[str]) -> None:
    old_html = "".join(f"<p>{p}</p>" for p in old) or "<p></p>"
    new_html = "".join(f"<p>{p}</p>" for p in new) or "<p></p>"
    marked, changes = _mark(old_html, new_html)
    paragraphs = lxml_html.fragment_fromstring(f"<div>{marked}</div>")
    accepted = [_accept(lxml_html.tostring(p, encoding="unicode")) for p in paragraphs]
    rejected = [_reject(lxml_html.tostring(p, encoding="unicode")) for p in paragraphs]
    assert [p for p in accepted if p] == [" ".join(p.split()) for p in new if p.strip()]
    assert [p for p in rejected if p] == [" ".join(p.split()) for p in old if p.strip()]
    texts = [[" ".join(p.split()) for p in side if p.strip()] for side in (old, new)]
    assert (changes == 0) == (texts[0] == texts[1])


def test_a_full_build_keeps_the_redlines(tmp_path: Path) -> None:
    from docgen.build.builder import _remove_stale

    kept = tmp_path / "redline/khnu/khnu-iia-2016/erasmus-iia.en.redline.pdf"
    kept.parent.mkdir(parents=True)
    kept.write_bytes(b"%PDF")
    stale = tmp_path / "khnu/old/erasmus-iia.en.pdf"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"%PDF")
    assert _remove_stale(tmp_path, set(), {".pdf"}) == [stale]
    assert kept.is_file()


def test_a_wholly_removed_row_and_added_paragraph_are_tracked_with_their_marks() -> None:
    import datetime as dt
    import io

    from docgen.documents.renderers.base import DocMeta
    from docgen.documents.renderers.docx import DocxWriter

    html = ("<html><body><p>kept <del>old</del><ins>new</ins><br>next line</p><p><ins>a new paragraph</ins></p>"
            "<table><tr><td>a</td></tr><tr><td><del>a removed row</del></td></tr></table></body></html>")
    meta = DocMeta(title="t", langs=("en",), doc_id="x", date=dt.date(2024, 5, 6), author="a")
    data = DocxWriter(Path(__file__).resolve().parents[1] / "templates").write(html, meta)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    body = root.find(f"{W}body")
    first, second = body.findall(f"{W}p")[:2]
    assert [el.tag[len(W):] for el in first if el.tag != f"{W}pPr"] == ["r", "del", "ins", "r", "r"]
    assert first.find(f"{W}pPr/{W}rPr") is None  # a paragraph only partly changed keeps its mark
    assert second.find(f"{W}pPr/{W}rPr/{W}ins") is not None  # a new paragraph: its mark is new too
    rows = body.findall(f".//{W}tr")
    assert rows[0].find(f"{W}trPr/{W}del") is None and rows[1].find(f"{W}trPr/{W}del") is not None
    dates = {el.get(f"{W}date") for el in root.iter(f"{W}ins", f"{W}del")}
    assert dates == {"2024-05-06T12:00:00Z"}  # without a redline date: the document's own, at noon
