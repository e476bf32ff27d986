"""DOCX template of the Erasmus+ inter-institutional agreement (prose side by side, data tables with joined labels)."""
from __future__ import annotations

KIND = "erasmus-iia"

SEP = "{% if not loop.last %} / {% endif %}"


def lab(key: str) -> str:
    """A table label in every document language, joined by ' / '."""
    return "{% for lang in langs %}{{ t(lang, '" + key + "') }}" + SEP + "{% endfor %}"


def per_lang(expr: str) -> str:
    """`expr` (using `lang`) in every document language, joined by ' / '."""
    return "{% for lang in langs %}" + expr + SEP + "{% endfor %}"


def student_cell(c: str) -> str:
    return ("{% if not " + c + " %}–{% else %}" + per_lang(
        "{% if " + c + ".months is not none %}{{ t(lang, 'iia.students.' ~ plural(lang, " + c + ".months), "
        "people=" + c + ".people, months=number(" + c + ".months, lang)) }}{% else %}{{ " + c + ".people }}{% endif %}")
        + "{% endif %}")


def staff_cell(c: str) -> str:
    return ("{% if not " + c + " %}–{% else %}" + per_lang(
        "{% if " + c + ".each %}{{ t(lang, 'iia.staff_each.' ~ plural(lang, " + c + ".each), people=" + c
        + ".people, days=" + c + ".each) }}{% elif " + c + ".days %}{{ t(lang, 'iia.staff_total.' ~ plural(lang, "
        + c + ".days), people=" + c + ".people, days=" + c + ".days) }}{% else %}{{ " + c + ".people }}"
        "{% endif %}") + "{% endif %}")


SUBJECT_CODES = "{%p for s in row.subjects %}\n{{ s.code }}\n{%p endfor %}"
SUBJECT_NAMES = "{%p for s in row.subjects %}\n{{ each(s.name, 'name of subject area ' ~ s.code) }}\n{%p endfor %}"
CYCLES = ("{% if row.cycles %}" + per_lang("{% for c in row.cycles %}{{ t(lang, 'iia.cycle.' ~ c) }}"
                                           "{% if not loop.last %}, {% endif %}{% endfor %}")
          + "{% else %}" + lab("iia.cycle.any") + "{% endif %}")
FROM_TO = ["{{ row.from if row.first else '' }}", "{{ row.to if row.first else '' }}"]


def details(c: str) -> str:
    """Email and, when known, phone, one per paragraph."""
    return ("{%p if " + c + " %}\n{{ " + c + ".email }}\n{%p if " + c + ".phone %}\n{{ " + c + ".phone }}\n"
            "{%p endif %}\n{%p else %}\n–\n{%p endif %}")


def bullets(keys: list[str]) -> list[tuple[str, str]]:
    """One parallel row per item, so the languages stay side by side."""
    return [("", "• {{ t(lang, '" + key + "') }}") for key in keys]


def grid(b, header: list[str], cells: list[str], *, loop: str, widths: list[float] | None = None) -> None:
    """b.grid, with the column widths also set on the table grid (LibreOffice lays tables out from it)."""
    b.grid(header, cells, loop=loop, widths=widths)
    if widths:
        from docx.shared import Cm

        table = b.doc.tables[-1]
        table.autofit = False
        for column, width in zip(table.columns, widths):
            column.width = Cm(width)


def prose(b, rows: list[tuple[str, str]]) -> None:
    """A parallel table from (style, cell) pairs; style: '' plain, 'b' bold, 'c' centred, 'bc' both, 'tr' row tag."""
    texts = [cell for _, cell in rows]
    bold = tuple(i for i, (style, _) in enumerate(rows) if "b" in style)
    center = tuple(i for i, (style, _) in enumerate(rows) if "c" in style)
    b.parallel(texts, bold_rows=bold, center_rows=center)


def build(b) -> None:
    period = ("{{ t(lang, 'iia.period', first=terms.first_year, last=terms.last_year) if terms.last_year "
              "else t(lang, 'iia.period_open', first=terms.first_year) }}")
    prose(b, [
        ("bc", "{{ t(lang, 'iia.title') }}"),
        ("c", "{{ t(lang, 'iia.action.' ~ terms.action) }}"),
        ("bc", period),
        ("c", "{{ t(lang, 'iia.between') }}\n{{ local(home.name, lang, 'home institution name') }} "
              "({{ country(home.country, lang) }})\n{{ t(lang, 'iia.and') }}\n"
              "{{ local(partner.name, lang, 'partner name') }} ({{ country(partner.country, lang) }})"),
        ("", "{{ t(lang, 'iia.intro') }}"),
        ("b", "{{ t(lang, 'iia.a.heading') }}"),
    ])
    grid(
        b,
        [lab("iia.a.institution"), lab("iia.code_or_city"), lab("iia.a.contact"), lab("iia.a.details"),
         lab("iia.a.website")],
        ["{{ each(p.institution.name, 'institution name') }}\n"
         + per_lang("{{ country(p.institution.country, lang) }}"),
         "{{ p.code }}",
         "{{ p.coordinator.name if p.coordinator else '–' }}\n{%p if p.coordinator and p.coordinator.position %}\n"
         "{{ each(p.coordinator.position, 'position of ' ~ p.coordinator.name) }}\n{%p endif %}",
         details("p.coordinator"),
         "{{ p.institution.website }}"],
        loop="p in parties", widths=[3.9, 2.7, 3.5, 4.3, 3.0])

    prose(b, [
        ("b", "{{ t(lang, 'iia.b.heading') }}"),
        ("tr", "{%tr if multi_year %}"),
        ("", "{{ t(lang, 'iia.b.amend') }}"),
        ("tr", "{%tr endif %}"),
        ("", "{{ t(lang, 'iia.b.figures') }}"),
    ])
    student_head = [lab("iia.from"), lab("iia.to"), lab("iia.subject_code"), lab("iia.subject_name"),
                    lab("iia.b.cycle"), lab("iia.type.student-studies")]
    student_cells = FROM_TO + [SUBJECT_CODES, SUBJECT_NAMES, CYCLES, student_cell("row.cells['student-studies']")]
    b.control("{%p if student_rows %}")
    b.para(lab("iia.b.students"), bold=True)
    b.control("{%p if traineeships %}")
    grid(b, student_head + [lab("iia.type.student-traineeship")],
           student_cells + [student_cell("row.cells['student-traineeship']")],
           loop="row in student_rows", widths=[2.7, 2.7, 1.5, 3.6, 1.9, 2.5, 2.5])
    b.control("{%p else %}")
    grid(b, student_head, student_cells, loop="row in student_rows", widths=[2.8, 2.8, 1.6, 4.4, 2.4, 3.4])
    b.control("{%p endif %}")
    b.control("{%p endif %}")
    b.control("{%p if staff_rows %}")
    b.para(lab("iia.b.staff"), bold=True)
    grid(b, [lab("iia.from"), lab("iia.to"), lab("iia.subject_code"), lab("iia.subject_name"),
            lab("iia.type.staff-teaching"), lab("iia.type.staff-training")],
           FROM_TO + [SUBJECT_CODES, SUBJECT_NAMES, staff_cell("row.cells['staff-teaching']"),
                      staff_cell("row.cells['staff-training']")],
           loop="row in staff_rows", widths=[2.8, 2.8, 1.6, 4.4, 2.9, 2.9])
    b.control("{%p endif %}")

    prose(b, [
        ("b", "{{ t(lang, 'iia.c.heading') }}"),
        ("", "{{ t(lang, 'iia.c.support') }}"),
    ])
    b.control("{%p if skills %}")
    grid(
        b,
        [lab("iia.c.receiving"), lab("iia.subject_name"), lab("iia.c.main"), lab("iia.c.additional"),
         "{%tc for mt in skill_types %}",
         per_lang("{{ t(lang, 'iia.c.level', type=t(lang, 'iia.type.' ~ mt)) }}"),
         "{%tc endfor %}"],
        ["{{ s.code }}",
         "{% if s.subject %}{{ s.subject }}{% if s.subject_name %} "
         "{{ each(s.subject_name, 'name of subject area ' ~ s.subject) }}{% endif %}{% else %}"
         + lab("iia.c.all") + "{% endif %}",
         per_lang("{{ language(s.main, lang) }}"),
         "{% if s.additional %}" + per_lang("{{ language(s.additional, lang) }}") + "{% else %}–{% endif %}",
         "{%tc for level in s.levels %}", "{{ level or '–' }}", "{%tc endfor %}"],
        loop="s in skills")
    b.control("{%p endif %}")

    prose(b, [
        ("", "{{ t(lang, 'iia.c.cefr') }}"),
        ("b", "{{ t(lang, 'iia.d.heading') }}"),
        ("tr", "{%tr if parties|selectattr('institution.erasmus_code')|list %}"),
        ("", "{{ t(lang, 'iia.d.charter') }}"),
        ("tr", "{%tr endif %}"),
        ("", "{{ t(lang, 'iia.d.partner_intro' if partner_country else 'iia.d.all_intro') }}"),
        *bullets(["iia.d.nondiscrimination", "iia.d.selection", "iia.d.recognition", "iia.d.fees"]),
        ("b", "{{ t(lang, 'iia.d.before') }}"),
        *bullets(["iia.d.courses", "iia.d.preparation", "iia.d.agreements", "iia.d.visa", "iia.d.insurance",
                  "iia.d.housing"]),
        ("b", "{{ t(lang, 'iia.d.during') }}"),
        *bullets(["iia.d.equal", "iia.d.learning_agreement", "iia.d.transcripts", "iia.d.reintegration",
                  "iia.d.staff_recognition"]),
        ("b", "{{ t(lang, 'iia.e.heading') }}"),
        ("tr", "{%tr if terms.additional_requirements %}"),
        ("tr", "{%tr for req in terms.additional_requirements %}"),
        ("", "• {{ local(req, lang, 'additional requirement') }}"),
        ("tr", "{%tr endfor %}"),
        ("tr", "{%tr else %}"),
        ("", "{{ t(lang, 'iia.e.none') }}"),
        ("tr", "{%tr endif %}"),
        ("b", "{{ t(lang, 'iia.f.heading') }}"),
        ("tr", "{%tr if deadlines %}"),
        ("", "{{ t(lang, 'iia.f.nominations') }}"),
        ("tr", "{%tr endif %}"),
    ])
    b.control("{%p if deadlines %}")
    grid(b, [lab("iia.c.receiving"), lab("iia.f.autumn"), lab("iia.f.spring")],
           ["{{ d.code }}", per_lang("{{ d.autumn[lang] }}"), per_lang("{{ d.spring[lang] }}")],
           loop="d in deadlines", widths=[5.8, 5.8, 5.8])
    b.control("{%p endif %}")

    prose(b, [
        ("tr", "{%tr if calendar %}"),
        ("", "• {{ t(lang, 'iia.f.decision.' ~ plural(lang, calendar.decision_weeks), "
             "n=calendar.decision_weeks) }}"),
        ("", "• {{ t(lang, 'iia.f.transcript.' ~ plural(lang, calendar.transcript_weeks), "
             "n=calendar.transcript_weeks) }}"),
        ("tr", "{%tr endif %}"),
        ("b", "{{ t(lang, 'iia.f.termination') }}"),
        ("", "{% if terms.notice and terms.notice.academic_years %}{{ t(lang, 'iia.f.notice_years.' ~ "
             "plural(lang, terms.notice.academic_years), n=terms.notice.academic_years) }}"
             "{% elif terms.notice %}{{ t(lang, 'iia.f.notice_months.' ~ plural(lang, terms.notice.months), "
             "n=terms.notice.months) }}{% else %}{{ t(lang, 'iia.f.notice_default') }}{% endif %}"),
        ("", "{{ t(lang, 'iia.f.running') }}"),
        ("", "{{ t(lang, 'iia.f.disclaimer') }}"),
        ("b", "{{ t(lang, 'iia.g.heading') }}"),
        ("b", "{{ t(lang, 'iia.g.grading') }}"),
        ("tr", "{%tr if not graded %}"),
        ("", "{{ t(lang, 'iia.g.grading_none') }}"),
        ("tr", "{%tr endif %}"),
    ])
    b.control("{%p for p in graded %}")
    b.para("{{ p.code }} – {{ each(p.institution.name, 'institution name') }}", bold=True)
    grid(b, [lab("iia.g.local"), lab("iia.g.ects"), lab("iia.g.percent"), lab("iia.g.definition")],
           ["{{ g.local }}", "{{ g.ects }}", "{{ g.percent if g.percent is not none else '–' }}",
            "{{ each(g.definition, 'definition of grade ' ~ g.local) }}"],
           loop="g in p.institution.grading", widths=[2.0, 1.8, 3.8, 9.8])
    b.control("{%p endfor %}")

    b.control("{%p for role in info_roles %}")
    prose(b, [
        ("b", "{{ t(lang, 'iia.g.' ~ role) }}"),
        ("", "{{ t(lang, 'iia.g.' ~ role ~ '_intro') }}"),
    ])
    grid(b, [lab("iia.g.institution"), lab("iia.g.contact"), lab("iia.a.details"), lab("iia.g.website")],
           ["{{ p.code }}", "{{ p.info[role].name if p.info[role] else '–' }}", details("p.info[role]"),
            "{{ p.info[role].website if p.info[role] else p.institution.website }}"],
           loop="p in parties", widths=[3.0, 4.0, 4.8, 5.6])
    b.control("{%p endfor %}")

    prose(b, [
        ("b", "{{ t(lang, 'iia.h.heading') }}"),
        ("", "{{ t(lang, 'iia.h.intro') }}"),
    ])
    grid(b, [lab("iia.g.institution"), lab("iia.h.signatory"), lab("common.date"), lab("common.signature")],
           ["{{ each(sig.institution.name, 'institution name') }}\n{{ sig.code }}",
            "{{ sig.name }}\n{%p if sig.function %}\n{{ each(sig.function, 'function of ' ~ sig.name) }}\n{%p endif %}",
            "{% if sig.date %}" + per_lang("{{ date(sig.date, lang) }}") + "{% else %}…………………{% endif %}",
            "\n\n\n"],
           loop="sig in signatures", widths=[5.6, 4.2, 2.8, 4.8])
