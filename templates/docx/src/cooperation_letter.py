"""DOCX template of the letter to a partner's rector summing up the mobility done per academic year."""
from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

KIND = "cooperation-letter"
INDENT = Cm(9)  # the addressee and signature blocks stand on the right half of the page


def _last(b):
    return b.doc.paragraphs[-1]


def _indented(b, text: str, *, bold: bool = False) -> None:
    b.para(text, bold=bold)
    _last(b).paragraph_format.left_indent = INDENT
    _last(b).paragraph_format.space_after = Pt(0)


def _rule_below(paragraph) -> None:
    """A thin line under the letterhead."""
    ppr = paragraph._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "4"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    border.append(bottom)
    ppr.append(border)


def build(b) -> None:
    b.para("{{ local(home.name, lang, 'home institution name') }}", bold=True, align="center", size=12)
    _last(b).runs[0].font.all_caps = True
    _last(b).paragraph_format.space_after = Pt(0)
    b.control("{%p if home.office %}")
    b.para("{{ local(home.office, lang, 'office name') }}", align="center", size=10.5)
    _last(b).paragraph_format.space_after = Pt(0)
    b.control("{%p endif %}")
    b.para("{{ home.address.street }}, {{ home.address.postcode }} {{ local(home.address.city, lang, 'city') }}, "
           "{{ country(home.address.country, lang) }}{% if phone %} · {{ t(lang, 'letter.phone') }} {{ phone }}"
           "{% endif %} · {{ home.website }}", align="center", size=8)
    _rule_below(_last(b))
    b.para("")
    b.para("{{ local(home.address.city, lang, 'city') }}, {{ date(dated, lang) }}", align="right")
    b.para("")
    for line in ("{{ addressee.name }}",
                 "{{ local(addressee.function, lang, \"partner representative's function\") }}",
                 "{{ local(partner.name, lang, 'partner name') }}",
                 "{{ partner.address.street }}",
                 "{{ partner.address.postcode }} {{ local(partner.address.city, lang, 'partner city') }}",
                 "{{ country(partner.address.country, lang) }}"):
        _indented(b, line, bold=True)
    b.para("")
    b.para("")
    b.para("{{ t(lang, 'letter.subject') }}", italic=True)
    _last(b).paragraph_format.space_after = Pt(10)
    b.para("{{ t(lang, 'letter.salutation', function=local(addressee.function, lang, "
           "\"partner representative's function\")) }}")
    _last(b).paragraph_format.space_after = Pt(8)
    b.para("{{ t(lang, 'letter.opening', home=home.short_name, partner=partner.short_name) }}", align="justify")
    _last(b).paragraph_format.first_line_indent = Cm(0.8)
    b.control("{%p for y in years %}")
    b.para("{{ t(lang, 'letter.year', year=y.year) }}")
    _last(b).paragraph_format.space_before = Pt(4)
    b.control("{%p for line in y.lines %}")
    b.para("• {{ t(lang, line.key ~ '.' ~ plural(lang, line.n), n=line.n, home=home.short_name, "
           "partner=partner.short_name) }}{{ '.' if loop.last else ';' }}")
    _last(b).paragraph_format.left_indent = Cm(1.2)
    _last(b).paragraph_format.space_after = Pt(0)
    b.control("{%p endfor %}")
    b.control("{%p endfor %}")
    b.para("")
    b.para("{{ t(lang, 'letter.closing') }}", align="justify")
    _last(b).paragraph_format.first_line_indent = Cm(0.8)
    b.para("")
    _indented(b, "{{ t(lang, 'letter.regards') }}")
    for _ in range(3):
        _indented(b, "")
    _indented(b, "………………………………………")
    for line in ("{{ signer.name }}", "{{ local(signer.function, lang, 'signatory function') }}",
                 "{{ local(home.name, lang, 'home institution name') }}"):
        _indented(b, line)
