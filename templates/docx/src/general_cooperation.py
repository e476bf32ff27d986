"""DOCX template of the general agreement on scientific and teaching cooperation (languages side by side)."""
from __future__ import annotations

KIND = "general-cooperation"

NEXT = "{%tr set ns.n = ns.n + 1 %}"
NUMBER = "§ {{ ns.n }}"
ITEM = ("• {{ (local(clause.text, lang, 'scope clause') if clause.text else t(lang, 'scope.' ~ clause.topic))"
        ".rstrip(';. ') }}{{ '.' if loop.last else ';' }}")


def _list(part: str, intro: str) -> list[str]:
    """A numbered paragraph listing the scope clauses of one part; absent when the part is empty."""
    return [
        "{%tr if scope." + part + " %}",
        NEXT,
        NUMBER,
        "{{ t(lang, '" + intro + "') }}\n{%p for clause in scope." + part + " %}\n" + ITEM + "\n{%p endfor %}",
        "{%tr endif %}",
    ]


def build(b) -> None:
    b.control("{%p set ns = namespace(n=0) %}")
    rows = [
        "{{ t(lang, 'general.title') }}",
        "{{ t(lang, 'general.between') }}\n"
        "{%p for sig in signatures %}\n"
        "{%p if not loop.first %}\n{{ t(lang, 'general.and') }}\n{%p endif %}\n"
        "{{ local(sig.institution.name, lang, 'institution name') }} ({{ country(sig.institution.country, lang) }})\n"
        "{{ t(lang, 'general.represented', name=sig.name, function=local(sig.function, lang, 'signatory function')) }}\n"
        "{%p endfor %}",
        NEXT,
        NUMBER,
        "{{ t(lang, 'general.subject') }}",
    ]
    rows += _list("research", "general.research_intro")
    rows += _list("teaching", "general.teaching_intro")
    rows += _list("general", "general.general_intro")
    rows += [
        "{%tr if scope.yearly %}",
        NEXT,
        NUMBER,
        "{%tr for clause in scope.yearly %}",
        "{%p if clause.text %}\n{{ local(clause.text, lang, 'scope clause') }}\n{%p else %}\n"
        "{{ t(lang, 'general.yearly') }}\n• {{ t(lang, 'general.yearly_subjects') }}\n"
        "• {{ t(lang, 'general.yearly_schedule') }}\n• {{ t(lang, 'general.yearly_people') }}\n"
        "• {{ t(lang, 'general.yearly_financing') }}\n{%p endif %}",
        "{%tr endfor %}",
        NEXT,
        NUMBER,
        "{{ t(lang, 'general.units') }}",
        "{%tr endif %}",
        "{%tr if scope.ip %}",
        NEXT,
        NUMBER,
        "{%tr for clause in scope.ip %}",
        "{{ local(clause.text, lang, 'scope clause') if clause.text else t(lang, 'general.ip') }}",
        "{%tr endfor %}",
        "{%tr endif %}",
        NEXT,
        NUMBER,
        "{{ t(lang, 'general.amendments') }}",
        NEXT,
        NUMBER,
        "{%tr for clause in scope.other %}",
        "{{ local(clause.text, lang, 'scope clause') }}",
        "{%tr endfor %}",
        "{%tr if not scope.other %}",
        "{{ t(lang, 'general.other') }}",
        "{%tr endif %}",
        NEXT,
        NUMBER,
        "{{ t(lang, 'general.term', first=terms.first_year, last=terms.last_year) if terms.last_year "
        "else t(lang, 'general.indefinite') }} "
        "{{ t(lang, 'general.notice_months.' ~ plural(lang, terms.notice.months), n=terms.notice.months) "
        "if terms.notice.months else t(lang, 'general.notice_years.' ~ plural(lang, terms.notice.academic_years), "
        "n=terms.notice.academic_years) }} {{ t(lang, 'general.force') }}",
        NEXT,
        NUMBER,
        "{{ t(lang, 'general.copies_two', first=language(langs[0], lang), second=language(langs[1], lang)) "
        "if langs|length == 2 else t(lang, 'general.copies_one', language=language(langs[0], lang)) }}",
        "{{ local(agreement.place, lang, 'place') if agreement.place else '' }}",
        "{%tr for sig in signatures %}",
        "{{ t(lang, 'general.for') }}\n{{ local(sig.institution.name, lang, 'institution name') }}\n\n\n"
        "………………………………………\n{{ sig.name }}\n{{ local(sig.function, lang, 'signatory function') }}\n"
        "{{ t(lang, 'common.date') }}: {{ date(sig.date, lang) if sig.date else '…………………' }}\n\n"
        "{{ t(lang, 'general.contact') }}\n{{ local(sig.institution.name, lang, 'institution name') }}\n"
        "{{ sig.institution.address.street }}\n{{ sig.institution.address.postcode }} "
        "{{ local(sig.institution.address.city, lang, 'city') }}\n"
        "{{ country(sig.institution.address.country, lang) }}",
        "{%tr endfor %}",
    ]
    numbers = tuple(i for i, r in enumerate(rows) if r == NUMBER)
    place = rows.index("{{ local(agreement.place, lang, 'place') if agreement.place else '' }}")
    b.parallel(rows, bold_rows=(0,) + numbers, center_rows=(0, 1, place) + numbers)
