"""DOCX template of the bilateral cooperation agreement (languages side by side)."""
from __future__ import annotations

KIND = "bilateral-cooperation"


def _clause(topic: str, default_key: str) -> list[str]:
    """A numbered paragraph that exists only when the scope lists `topic`."""
    return [
        "{%tr for clause in terms.scope if clause.topic == '" + topic + "' %}",
        "{%tr set ns.n = ns.n + 1 %}",
        "§ {{ ns.n }}",
        "{{ local(clause.text, lang, 'scope clause') if clause.text else t(lang, '" + default_key + "') }}",
        "{%tr endfor %}",
    ]


def build(b) -> None:
    b.control("{%p set ns = namespace(n=0) %}")
    rows = [
        "{{ t(lang, 'bilateral.title') }}",
        "{{ t(lang, 'bilateral.between') }}\n{{ local(home.name, lang, 'home institution name') }} "
        "({{ country(home.country, lang) }})\n{{ t(lang, 'bilateral.and') }}\n"
        "{{ local(partner.name, lang, 'partner name') }} ({{ country(partner.country, lang) }})",
        "{{ t(lang, 'bilateral.preamble') }}",
        "{%tr set ns.n = ns.n + 1 %}",
        "§ {{ ns.n }}",
        "{{ t(lang, 'bilateral.purpose') }}",
        "{%tr set ns.n = ns.n + 1 %}",
        "§ {{ ns.n }}",
        "{{ t(lang, 'bilateral.scope_intro') }}\n"
        "{%p for clause in terms.scope if clause.topic not in ('intellectual-property', 'yearly-programmes', "
        "'research-programmes') %}\n"
        "• {{ local(clause.text, lang, 'scope clause') if clause.text else t(lang, 'scope.' ~ clause.topic) }}\n"
        "{%p endfor %}",
    ]
    rows += _clause("research-programmes", "bilateral.research_programmes")
    rows += ["{%tr set ns.n = ns.n + 1 %}", "§ {{ ns.n }}", "{{ t(lang, 'bilateral.open_scope') }}"]
    rows += _clause("yearly-programmes", "bilateral.annexes")
    rows += _clause("intellectual-property", "bilateral.ip")
    rows += [
        "{%tr set ns.n = ns.n + 1 %}",
        "§ {{ ns.n }}",
        "{{ t(lang, 'bilateral.final') }}\n{{ t(lang, 'bilateral.final_amendments') }}\n"
        "{%p if langs|length == 2 %}\n"
        "{{ t(lang, 'bilateral.final_force_two', first=language(langs[0], lang), second=language(langs[1], lang)) }}\n"
        "{%p else %}\n{{ t(lang, 'bilateral.final_force_one') }}\n{%p endif %}\n"
        "{%p if terms.last_year %}\n{{ t(lang, 'bilateral.final_term', last=terms.last_year) }}\n"
        "{%p else %}\n{{ t(lang, 'bilateral.final_indefinite') }}\n{%p endif %}\n"
        "{{ t(lang, 'bilateral.final_notice_months', months=terms.notice.months) if terms.notice.months "
        "else t(lang, 'bilateral.final_notice_years', years=terms.notice.academic_years) }}",
        "{{ local(agreement.place, lang, 'place') if agreement.place else '' }}\n{{ date(dated, lang) }}",
        "{%p for sig in signatures %}\n{{ local(sig.institution.name, lang, 'institution name') }}\n\n\n"
        "………………………………………\n{{ sig.name }}\n{{ local(sig.function, lang, 'signatory function') }}\n"
        "{{ t(lang, 'common.date') }}: {{ date(sig.date, lang) if sig.date else '…………………' }}\n"
        "{{ sig.institution.address.street }}, {{ sig.institution.address.postcode }} "
        "{{ local(sig.institution.address.city, lang, 'city') }}\n{%p endfor %}",
    ]
    para_rows = tuple(i for i, r in enumerate(rows) if r.startswith("§"))
    b.parallel(rows, bold_rows=(0,) + para_rows, center_rows=(0, 1) + para_rows)
