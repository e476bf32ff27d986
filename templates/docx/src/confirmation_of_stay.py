"""DOCX template of the confirmation of stay (languages side by side)."""
from __future__ import annotations

KIND = "confirmation-of-stay"


def field(key: str, value: str) -> str:
    return "{{ t(lang, '" + key + "') }}: " + value


def build(b) -> None:
    rows = [
        "{{ local(home.name, lang, 'home institution name') }}\n"
        "{{ local(home.office, lang, 'office name') if home.office else '' }}\n"
        "{{ home.address.street }}, {{ home.address.postcode }} {{ local(home.address.city, lang, 'city') }}, "
        "{{ country(home.address.country, lang) }}{{ ' · ' ~ home.erasmus_code if home.erasmus_code else '' }}",
        "{{ t(lang, 'stay.title') }}",
        "{{ t(lang, 'stay.statement', institution=local(home.name, lang, 'home institution name')) }}",
        field("stay.participant", "{{ participant.first_name }} {{ participant.last_name }}"),
        field("mobility.sending", "{{ local(sending.name, lang, 'sending institution name') }} "
                                  "({{ country(sending.country, lang) }})"),
        field("mobility.type", "{{ t(lang, 'mobility.type.' ~ mobility.type) }}"),
        field("mobility.academic_year", "{{ mobility.academic_year }}"),
        "{{ t(lang, 'stay.period') }}",
        field("stay.arrival", "{{ date(stay.start, lang) }}"),
        field("stay.departure", "{{ date(stay.end, lang) }}"),
        field("stay.days", "{{ stay_days }}"),
        "{%tr if mobility.type == 'staff-teaching' %}",
        field("stay.hours", "{{ mobility.teaching_hours }}"),
        "{%tr endif %}",
        "\n" + field("stay.place_date", "{{ local(home.address.city, lang, 'city') }}, {{ date(dated, lang) }}"),
        "\n\n\n\n………………………………………\n{{ t(lang, 'stay.signature_stamp') }}\n{{ coordinator.name }}\n"
        "{{ local(coordinator.function, lang, 'coordinator position') }}",
    ]
    b.parallel(rows, bold_rows=(1, 7), center_rows=(0, 1))
