"""DOCX template of the learning agreement (English form; labels in every document language)."""
from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from staff_mobility_agreement import K, L, countries, dates, institution, three_parties

KIND = "learning-agreement"


def components(b, title: str, rows: str, total: str) -> None:
    """Table A or B: one row per component, then the ECTS total."""
    b.heading(title)
    b.grid([K("learning.code"), K("learning.component"), K("learning.term"), K("learning.ects")],
           ["{{ c.code }}", "{{ c.title }}",
            "{% if c.term %}" + L("'learning.term.' ~ c.term") + "{% else %}—{% endif %}",
            "{{ number(c.ects, langs[0]) }}"],
           loop="c in " + rows, widths=[3.0, 8.4, 3.0, 3.0])
    table = b.doc.tables[-1]
    cells = table.add_row().cells
    merged = cells[0].merge(cells[2])
    merged.text = ""
    run = merged.paragraphs[0].add_run(K("learning.total"))
    run.bold = True
    run.font.size = Pt(8.5)
    merged.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    cells[3].text = ""
    run = cells[3].paragraphs[0].add_run("{{ number(" + total + ", langs[0]) }}")
    run.bold = True
    run.font.size = Pt(8.5)
    for row in table.rows[2:]:  # the ECTS column right-aligned (header and loop-tag rows excluded)
        row.cells[-1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def build(b) -> None:
    b.title(K("learning.title"))
    b.para("{% for lang in langs %}{{ t(lang, 'mobility.type.' ~ mobility.type)|capitalize }}"
           "{% if not loop.last %} / {% endif %}{% endfor %} · Erasmus+ · {{ mobility.academic_year }}",
           bold=True, align="center")
    b.heading(K("learning.student"))
    b.kv([
        (K("mobility.last_name"), "{{ participant.last_name }}"),
        (K("mobility.first_name"), "{{ participant.first_name }}"),
        (K("mobility.birth_date"), dates("participant.birth_date")),
        (K("mobility.nationality"), countries("participant.nationality")),
        (K("mobility.sex"), "{% if participant.sex %}" + L("'mobility.sex.' ~ participant.sex")
         + "{% else %}—{% endif %}"),
        (K("mobility.email"), "{{ participant.email }}"),
        (K("mobility.academic_year"), "{{ mobility.academic_year }}"),
        (K("learning.cycle"), L("'learning.cycle.' ~ mobility.cycle")),
        (K("learning.subject"), "{{ subject.code }} – {{ texts(subject.name, 'ISCED-F field name') }}"),
        ("{%tr if participant.field_of_study %}", ""),
        (K("learning.field_of_study"), "{{ texts(participant.field_of_study, 'field of study') }}"),
        ("{%tr endif %}", ""),
    ])
    institution(b, "mobility.sending", "sending", "participant.faculty", "sending_contact")
    institution(b, "mobility.receiving", "receiving", "{}", "receiving_contact")
    b.heading(K("mobility.period"))
    b.kv([
        (K("mobility.from"), dates("planned.start")),
        (K("mobility.till"), dates("planned.end")),
        (K("learning.language"),
         L("'mobility.language_level'", "language=language(mobility.language.language, lang), "
                                          "level=mobility.language.level")),
    ])
    components(b, L("'learning.table_a.' ~ mobility.type"), "mobility.components_abroad", "ects_abroad")
    components(b, K("learning.table_b"), "mobility.components_home", "ects_home")
    b.heading(K("learning.commitment"))
    b.parallel(["{{ t(lang, 'learning.commit_" + part + "') }}"
                for part in ("approve", "receiving", "sending", "student", "changes")])
    three_parties(b, K("learning.student"),
                  "{{ texts(participant.field_of_study, 'field of study') if participant.field_of_study else '' }}")
