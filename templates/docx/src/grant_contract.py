"""DOCX template of the grant contract (Polish beside the participant's language; grant lines as tables)."""
from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

KIND = "grant-contract"

# A cell line `@@lines:<expr>` becomes a table of the grant `<expr>`'s lines, in the cell's language.
LINES = "@@lines:"

NONE_DATE = "……………………"


def _line_label(g: str) -> str:
    """The label of `line` of grant `g`: the catalog's name; travel also names the distance and band."""
    band = (f"(t(lang, 'grant.band', low=number({g}.band.from_km, lang), high=number({g}.band.to_km, lang)) "
            f"if {g}.band.to_km is not none else t(lang, 'grant.band_open', low=number({g}.band.from_km, lang)))")
    return (f"{{% if line.key == 'travel' and {g}.band %}}"
            f"{{{{ t(lang, 'grant.line.travel_detail', km=number({g}.distance_km, lang), band={band}) }}}}"
            f"{{% if mobility.green_travel and {g}.band.green is not none %}}, {{{{ t(lang, 'grant.green') }}}}"
            "{% endif %}"
            "{% else %}{{ t(lang, 'grant.line.' ~ line.key) }}{% endif %}")


def _lines_table(cell, g: str) -> None:
    """A bordered table of grant `g`'s lines (item, rate × units, amount) and its total, inside `cell`."""
    calc = ("{{ money(line.rate, " + g + ".currency, lang) }} {{ t(lang, 'grant.per.' ~ line.rate_unit) }} × "
            "{{ t(lang, 'grant.unit.' ~ line.unit ~ '.' ~ plural(lang, line.units), n=number(line.units, lang)) }}"
            "{% if line.divisor != 1 %} × 1/{{ line.divisor }}{% endif %}")
    rows = [
        ("{{ t(lang, 'grant.col.item') }}", "{{ t(lang, 'grant.col.rate') }} × {{ t(lang, 'grant.col.units') }}",
         "{{ t(lang, 'grant.col.amount') }}"),
        ("{%tr for line in " + g + ".lines %}", None, None),
        (_line_label(g), calc, "{{ money(line.amount, " + g + ".currency, lang) }}"),
        ("{%tr endfor %}", None, None),
        ("{{ t(lang, 'grant.col.total') }}", "", "{{ money(" + g + ".total, " + g + ".currency, lang) }}"),
    ]
    table = cell.add_table(rows=0, cols=3)
    table.style = "Table Grid"
    _width(table._tbl, "w:tbl", "5000")
    for i, (a, b, c) in enumerate(rows):
        cells = table.add_row().cells
        for j, text in enumerate((a, b, c)):
            cells[j]._tc.get_or_add_tcPr()
            _width(cells[j]._tc, "w:tc", ("2000", "1900", "1100")[j])
            if text is None:
                continue
            run = cells[j].paragraphs[0].add_run(text)
            run.font.size = Pt(8)
            run.bold = (i in (0, 4)) or None
            if j == 2:
                cells[j].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _width(element, tag: str, pct: str) -> None:
    """Set a table's or cell's preferred width as a share of the page (`pct`: fiftieths of a percent)."""
    props = element.find(qn(tag + "Pr"))
    width = props.find(qn(tag + "W"))
    if width is None:
        width = OxmlElement(tag + "W")
        props.append(width)
    width.set(qn("w:type"), "pct")
    width.set(qn("w:w"), pct)


def _finish(b) -> None:
    """Lay out the parallel table: equal language columns (page width / number of languages), text aligned
    left (justified narrow columns gape), and every `@@lines:<expr>` paragraph turned into a lines table."""
    table = b.doc.tables[0]
    tbl = table._tbl
    _width(tbl, "w:tbl", "5000")
    for row in table.rows:
        cells = row.cells
        if cells[0].text.startswith("{%tr "):
            continue
        content = cells[1]
        content._tc.get_or_add_tcPr()
        _width(content._tc, "w:tc", "{{ (5000 / langs|length)|int }}")
        for paragraph in content.paragraphs:
            if paragraph.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
        last = content.paragraphs[-1]
        if last.text.startswith(LINES):
            expr = last.text[len(LINES):]
            last._p.getparent().remove(last._p)
            _lines_table(content, expr)


def _para() -> list[str]:
    return ["{%tr set ns.n = ns.n + 1 %}", "§ {{ ns.n }}"]


def _detail(label: str, value: str) -> str:
    return "{{ t(lang, '" + label + "') }}: " + value


def build(b) -> None:
    b.control("{%p set ns = namespace(n=0) %}")
    date_signed = "{{ date(signed, lang) if signed else '" + NONE_DATE + "' }}"
    rows = [
        "{{ t(lang, 'grant.title') }}\n{{ t(lang, 'grant.number', id=mobility.id) }}",
        "{{ t(lang, 'grant.concluded', place=local(place, lang, 'city'), date=date(signed, lang) if signed else '"
        + NONE_DATE + "') }}",
        "{{ local(home.name, lang, 'home institution name') }}, {{ t(lang, 'grant.home_party', "
        "address=home.address.street ~ ', ' ~ home.address.postcode ~ ' ' ~ local(home.address.city, lang, 'city'), "
        "rep=representative, function=local(home.legal_representative.function, lang, "
        "'legal representative function')) }}",
        "{{ t(lang, 'grant.and') }}",
        "{{ participant.first_name }} {{ participant.last_name }}, {{ t(lang, 'grant.participant_party', "
        "birth=date(participant.birth_date, lang), email=participant.email, "
        "nationality=country(participant.nationality, lang), affiliation=t(lang, 'grant.affiliation.' ~ "
        "participant.category, institution=local(sending.name, lang, 'sending institution name'))) }}",
        # ---------------------------------------------------------------- subject
        *_para(),
        "{{ t(lang, 'grant.subject_zero' if zero_grant else 'grant.subject') }}",
        _detail("grant.label.type", "{{ t(lang, 'grant.type.' ~ mobility.type) }}{% if mobility.funding.short_term %}"
                " ({{ t(lang, 'grant.short_term') }}){% endif %}"),
        _detail("grant.label.sending", "{{ local(sending.name, lang, 'sending institution name') }} "
                "({{ country(sending.country, lang) }}){% if sending.erasmus_code %}, {{ sending.erasmus_code }}"
                "{% endif %}"),
        _detail("grant.label.receiving", "{{ local(receiving.name, lang, 'receiving institution name') }} "
                "({{ country(receiving.country, lang) }}){% if receiving.erasmus_code %}, "
                "{{ receiving.erasmus_code }}{% endif %}"),
        _detail("grant.label.year", "{{ mobility.academic_year }}"),
        _detail("grant.label.planned", "{{ t(lang, 'grant.from_to', start=date(planned.start, lang), "
                "end=date(planned.end, lang)) }}"),
        _detail("grant.label.days", "{{ t(lang, 'grant.unit.day.' ~ plural(lang, days), n=number(days, lang)) }}"
                "{% if grant.months is not none %} ({{ t(lang, 'grant.months_days' if grant.days else "
                "'grant.months_only', months=t(lang, 'grant.unit.month.' ~ plural(lang, grant.months), "
                "n=number(grant.months, lang)), days=t(lang, 'grant.unit.day.' ~ plural(lang, grant.days), "
                "n=number(grant.days, lang))) }}){% endif %}"),
        "{%tr if travel_days %}",
        _detail("grant.label.travel_days", "{{ number(travel_days, lang) }}"),
        "{%tr endif %}",
        _detail("grant.label.call", "{{ t(lang, 'grant.call', action=rates.action, year=rates.call_year, "
                "id=rates.id) }}"),
        "{%tr if agreement %}",
        _detail("grant.label.agreement", "{{ agreement.id }}"),
        "{%tr endif %}",
        # ---------------------------------------------------------------- amount
        *_para(),
        "{%tr if zero_grant %}",
        "{{ t(lang, 'grant.amount_zero', amount=money(grant.total, grant.currency, lang)) }} "
        "({{ t(lang, 'grant.in_words', words=words(grant.total, grant.currency, lang)) }}).",
        "{%tr else %}",
        "{{ t(lang, 'grant.amount_intro', call=rates.id) }}\n" + LINES + "grant",
        "{%tr if month_lines %}",
        "{{ t(lang, 'grant.month_rule') }}",
        "{%tr endif %}",
        "{{ t(lang, 'grant.total', amount=money(grant.total, grant.currency, lang)) }} "
        "({{ t(lang, 'grant.in_words', words=words(grant.total, grant.currency, lang)) }}).",
        "{%tr endif %}",
        # ---------------------------------------------------------------- payment
        *_para(),
        "{%tr if zero_grant %}",
        "{{ t(lang, 'grant.pay_none') }}",
        "{%tr else %}",
        "{%tr if grant.balance == 0 %}",
        "{{ t(lang, 'grant.pay_full', percent=number(grant.advance_percent, lang), "
        "advance=money(grant.advance, grant.currency, lang), days=grant.advance_due_days) }}",
        "{%tr else %}",
        "{{ t(lang, 'grant.pay_advance', percent=number(grant.advance_percent, lang), "
        "advance=money(grant.advance, grant.currency, lang), days=grant.advance_due_days) }}",
        "{{ t(lang, 'grant.pay_balance', balance=money(grant.balance, grant.currency, lang), "
        "days=grant.balance_due_days) if grant.balance_due_days is not none else t(lang, 'grant.pay_balance_nodays', "
        "balance=money(grant.balance, grant.currency, lang)) }}",
        "{%tr endif %}",
        "{{ t(lang, 'grant.bank', iban=iban, currency=grant.currency) }}",
        "{%tr endif %}",
        # ---------------------------------------------------------------- obligations
        *_para(),
        "{{ t(lang, 'grant.ob_intro') }}",
        "{%tr for item in obligations %}",
        "{{ item.no }}. {{ t(lang, item.key, days=arrival_days, hours=mobility.teaching_hours) }}",
        "{%tr endfor %}",
        # ---------------------------------------------------------------- settlement
        "{%tr if not zero_grant %}",
        *_para(),
        "{{ t(lang, 'grant.settle_rule') }}",
        "{%tr if settlement %}",
        "{{ t(lang, 'grant.settle_actual', start=date(actual.start, lang), end=date(actual.end, lang), "
        "days=t(lang, 'grant.unit.day.' ~ plural(lang, actual.days), n=number(actual.days, lang))) }}\n"
        + LINES + "settlement.actual",
        "{%tr if settlement.capped %}",
        "{{ t(lang, 'grant.settle_capped', amount=money(settlement.due.total, settlement.currency, lang)) }}",
        "{%tr endif %}",
        "{{ t(lang, 'grant.settle_due', amount=money(settlement.due.total, settlement.currency, lang), "
        "advance=money(settlement.advance_paid, settlement.currency, lang)) }} "
        "{% if settlement.balance < 0 %}{{ t(lang, 'grant.settle_repay', amount=money(settlement.repayment, "
        "settlement.currency, lang)) }}{% elif settlement.balance > 0 %}{{ t(lang, 'grant.settle_balance', "
        "amount=money(settlement.balance, settlement.currency, lang)) }}{% else %}{{ t(lang, 'grant.settle_even') }}"
        "{% endif %}",
        "{%tr endif %}",
        "{%tr endif %}",
        # ---------------------------------------------------------------- final provisions
        *_para(),
        "{{ t(lang, 'grant.final_rules') }}\n{{ t(lang, 'grant.final_changes') }}\n"
        "{{ t(lang, 'grant.final_disputes') }}",
        "{%tr if langs|length == 2 %}",
        "{{ t(lang, 'grant.final_two', first=language(langs[0], lang), second=language(langs[1], lang)) }}",
        "{%tr endif %}",
        "{{ t(lang, 'grant.final_copies') }}",
        # ---------------------------------------------------------------- signatures
        "{{ local(place, lang, 'city') }}, " + date_signed,
        "{{ t(lang, 'grant.sign_home') }}\n{{ local(home.name, lang, 'home institution name') }}\n\n\n"
        "………………………………………\n{{ representative }}\n"
        "{{ local(home.legal_representative.function, lang, 'legal representative function') }}\n\n"
        "{{ t(lang, 'grant.sign_participant') }}\n\n\n………………………………………\n"
        "{{ participant.first_name }} {{ participant.last_name }}",
    ]
    para_rows = tuple(i for i, r in enumerate(rows) if r.startswith("§"))
    place_row = next(i for i, r in enumerate(rows) if r.startswith("{{ local(place"))
    b.parallel(rows, bold_rows=(0,) + para_rows, center_rows=(0,) + para_rows + (place_row,))
    _finish(b)
