"""DOCX template of the staff mobility agreement (English form; labels in every document language)."""
from __future__ import annotations

from docx.shared import Pt

KIND = "staff-mobility-agreement"


def L(key: str, args: str = "") -> str:
    """A message in every document language, ' / ' between them."""
    extra = f", {args}" if args else ""
    return ("{% for lang in langs %}{{ t(lang, " + key + extra + ") }}"
            "{% if not loop.last %} / {% endif %}{% endfor %}")


def K(key: str) -> str:
    return L(f"'{key}'")


def dates(expr: str) -> str:
    return "{% for lang in langs %}{{ date(" + expr + ", lang) }}{% if not loop.last %} / {% endif %}{% endfor %}"


def countries(expr: str) -> str:
    return ("{% for lang in langs %}{{ country(" + expr + ", lang) }}{% if not loop.last %} / {% endif %}"
            "{% endfor %} ({{ " + expr + " }})")


def institution(b, title: str, inst: str, faculty: str, contact: str) -> None:
    b.heading(K(title))
    b.kv([
        (K("mobility.institution_name"), "{{ texts(" + inst + ".name, 'institution name') }}"),
        (K("mobility.faculty"), "{{ texts(" + faculty + ", 'faculty') if " + faculty + " else '—' }}"),
        (K("mobility.erasmus_code"), "{{ " + inst + ".erasmus_code or '—' }}"),
        (K("mobility.address"), "{{ " + inst + ".address.street }}, {{ " + inst + ".address.postcode }} {{ texts("
         + inst + ".address.city, 'city') }}"),
        (K("mobility.country"), countries(inst + ".address.country")),
        ("{%tr if " + contact + " %}", ""),
        (K("mobility.contact"), "{{ " + contact + ".name }}{{ ', ' ~ texts(" + contact + ".position, "
         "'contact position') if " + contact + ".position else '' }}"),
        (K("mobility.contact_reach"), "{{ " + contact + ".email }}{{ ' · ' ~ " + contact + ".phone if "
         + contact + ".phone else '' }}"),
        ("{%tr endif %}", ""),
    ])


def bullets(b, title: str, items: str) -> None:
    b.heading(title, 2)
    b.control("{%p for item in " + items + " %}")
    b.para("• {{ item }}")
    b.control("{%p endfor %}")


def signatures(b, blocks: list[tuple[str, str, str]], when: str, sign_key: str = "mobility.signature") -> None:
    """A borderless table of signature blocks (who signs for whom, name, function), titles on their own row."""
    b.para("")
    table = b.doc.add_table(rows=2, cols=len(blocks))
    date = K("mobility.date") + ": {% if " + when + " %}" + dates(when) + "{% else %}…………………{% endif %}"
    for title_cell, cell, (title, name, function) in zip(table.rows[0].cells, table.rows[1].cells, blocks):
        run = title_cell.paragraphs[0].add_run(title)
        run.bold = True
        run.font.size = Pt(9)
        for i, text in enumerate(["", "", "……………………………", K(sign_key), name, function, date]):
            p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
            p.add_run(text).font.size = Pt(9)


def three_parties(b, participant_title: str, participant_function: str) -> None:
    """The three signatures of a mobility or learning agreement: participant, sender, receiver."""
    signatures(b, [
        (participant_title, "{{ participant.first_name }} {{ participant.last_name }}", participant_function),
        (K("mobility.sign_sending"), "{{ sending_signatory.name }}",
         "{{ texts(sending_signatory.function, 'signatory function') }}"),
        (K("mobility.sign_receiving"), "{{ receiving_signatory.name }}",
         "{{ texts(receiving_signatory.function, 'signatory function') }}"),
    ], "signed")


def build(b) -> None:
    b.title(K("staff_agreement.title"))
    b.para("{% for lang in langs %}{{ t(lang, 'mobility.type.' ~ mobility.type)|capitalize }}"
           "{% if not loop.last %} / {% endif %}{% endfor %} · Erasmus+ · {{ mobility.academic_year }}",
           bold=True, align="center")
    b.heading(K("mobility.period"))
    b.kv([
        (K("mobility.from"), dates("planned.start")),
        (K("mobility.till"), dates("planned.end")),
        (K("mobility.days"), "{{ days }}"),
        ("{%tr if travel_days %}", ""),
        (K("mobility.travel_days"), "{{ travel_days }}"),
        ("{%tr endif %}", ""),
    ])
    b.heading(K("staff_agreement.staff_member"))
    b.kv([
        (K("mobility.last_name"), "{{ participant.last_name }}"),
        (K("mobility.first_name"), "{{ participant.first_name }}"),
        ("{%tr if participant.position %}", ""),
        (K("mobility.position"), "{{ texts(participant.position, 'participant position') }}"),
        ("{%tr endif %}", ""),
        (K("mobility.seniority"), "{% if participant.seniority %}" + L("'mobility.seniority.' ~ participant.seniority")
         + "{% else %}—{% endif %}"),
        (K("mobility.nationality"), countries("participant.nationality")),
        (K("mobility.sex"), "{% if participant.sex %}" + L("'mobility.sex.' ~ participant.sex")
         + "{% else %}—{% endif %}"),
        (K("mobility.academic_year"), "{{ mobility.academic_year }}"),
        (K("mobility.email"), "{{ participant.email }}"),
    ])
    institution(b, "mobility.sending", "sending", "participant.faculty", "sending_contact")
    institution(b, "mobility.receiving", "receiving", "{}", "receiving_contact")
    b.heading(K("staff_agreement.programme"))
    b.kv([
        (L("'staff_agreement.language.' ~ mobility.type"),
         L("'mobility.language_level'", "language=language(mobility.language.language, lang), "
                                          "level=mobility.language.level")),
        ("{%tr if mobility.type == 'staff-teaching' %}", ""),
        (K("mobility.teaching_hours"),
         "{% if min_teaching_hours %}" + L("'staff_agreement.hours_value'", "hours=mobility.teaching_hours, "
                                           "min=min_teaching_hours")
         + "{% else %}{{ mobility.teaching_hours }}{% endif %}"),
        ("{%tr endif %}", ""),
    ])
    bullets(b, K("staff_agreement.objectives"), "mobility.programme.objectives")
    bullets(b, K("staff_agreement.added_value"), "mobility.programme.added_value")
    bullets(b, L("'staff_agreement.activities.' ~ mobility.type"), "mobility.programme.activities")
    bullets(b, K("staff_agreement.outcomes"), "mobility.programme.outcomes")
    b.heading(K("staff_agreement.commitment"))
    b.parallel(["{{ t(lang, 'staff_agreement.commit_" + part + "') }}"
                for part in ("approve", "recognise", "share", "grant", "changes")])
    three_parties(b, K("staff_agreement.staff_member"),
                  "{{ texts(participant.position, 'participant position') if participant.position else '' }}")
