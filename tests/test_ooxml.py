"""The WordprocessingML sequences: the checker finds what Word refuses, and `place` puts each element where it belongs."""
from __future__ import annotations

from lxml import etree

from docgen.documents.renderers.ooxml import order_problems, place

NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def xml(text: str) -> etree._Element:
    return etree.fromstring(text.replace("<w:body>", f"<w:body {NS}>", 1))


def test_a_repeated_layout_after_the_look_is_two_problems() -> None:
    """What docgen wrote before: python-docx's w:tblLayout, then a second one appended after w:tblLook."""
    root = xml('<w:body><w:tbl><w:tblPr><w:tblW/><w:tblLayout/><w:tblLook/><w:tblLayout/></w:tblPr>'
               '<w:tblGrid/><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl></w:body>')
    problems = list(order_problems(root))
    assert len(problems) == 2, problems
    assert any("out of order" in p for p in problems) and any("occurs twice" in p for p in problems)


def test_a_cell_must_end_with_a_paragraph_and_a_row_needs_a_cell() -> None:
    root = xml('<w:body><w:tbl><w:tblPr/><w:tblGrid/><w:tr><w:tc><w:tcPr/></w:tc></w:tr><w:tr/></w:tbl></w:body>')
    problems = list(order_problems(root))
    assert any("must end with a paragraph" in p for p in problems)
    assert any("without cells" in p for p in problems)


def test_a_paragraph_marks_change_comes_before_its_formatting() -> None:
    assert not list(order_problems(xml('<w:body><w:p><w:pPr><w:rPr><w:ins/><w:b/></w:rPr></w:pPr></w:p></w:body>')))
    assert list(order_problems(xml('<w:body><w:p><w:pPr><w:rPr><w:b/><w:ins/></w:rPr></w:pPr></w:p></w:body>')))
    # in a run's properties there is no w:ins at all
    assert list(order_problems(xml('<w:body><w:p><w:r><w:rPr><w:ins/></w:rPr></w:r></w:p></w:body>')))


def test_place_puts_each_property_in_its_slot_and_replaces_a_single_one() -> None:
    root = xml('<w:body><w:p><w:pPr><w:pStyle/><w:jc/><w:sectPr/></w:pPr></w:p></w:body>')
    p_pr = root.find(f"{W}p/{W}pPr")
    place(p_pr, etree.Element(f"{W}keepNext"))
    place(p_pr, etree.Element(f"{W}rPr"))
    place(p_pr, etree.Element(f"{W}jc", {f"{W}val": "left"}))
    assert [c.tag[len(W):] for c in p_pr] == ["pStyle", "keepNext", "jc", "rPr", "sectPr"]
    assert p_pr.find(f"{W}jc").get(f"{W}val") == "left"
    assert not list(order_problems(root))


def test_row_properties_are_a_choice_with_the_change_last() -> None:
    ok = '<w:body><w:tbl><w:tblPr/><w:tblGrid/><w:tr><w:trPr><w:cantSplit/><w:tblHeader/><w:ins/></w:trPr>' \
         '<w:tc><w:p/></w:tc></w:tr></w:tbl></w:body>'
    assert not list(order_problems(xml(ok)))
    assert list(order_problems(xml(ok.replace("<w:cantSplit/><w:tblHeader/><w:ins/>", "<w:ins/><w:cantSplit/>"))))
