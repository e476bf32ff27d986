"""Confirmation of stay of an incoming participant, issued and signed by the home (receiving) institution.

Its languages side by side: docgen.yaml office.confirmation_languages, else the office and working languages.
"""
from __future__ import annotations

from typing import Any

from docgen.documents import DocKind, Document
from docgen.documents._mobility import mobility_context, mobility_records, responsible
from docgen.model.models import Mobility
from docgen.model.project import Project

NAME = "confirmation-of-stay"


def _incoming(mobility: Mobility) -> bool:
    return mobility.direction == "incoming"


def context(project: Project, record: Document) -> dict[str, Any]:
    """The shared mobility view and the home coordinator who signs; the period is the stay (actual, else planned)."""
    ctx = mobility_context(project, record)
    ctx["coordinator"] = responsible(ctx["home"], ctx["receiving_coordinator"], "home")
    return ctx


KIND = DocKind(
    name=NAME,
    title_key="stay.title",
    # Dated the day the participant leaves: the stay's last day, actual when known.
    records=lambda project: mobility_records(project, NAME, lambda m: project.policy.confirmation(project.home), _incoming,
                                             date_fn=lambda m: m.period.end),
    context=context,
)
