"""Staff mobility agreement (teaching or training): period, staff member, both institutions, programme, signatures."""
from __future__ import annotations

from typing import Any

from docgen.documents import DocKind, Document
from docgen.documents._mobility import is_staff, mobility_context, mobility_records, three_parties
from docgen.model.project import Project

NAME = "staff-mobility-agreement"
LANGS = ("en",)  # the language of the Erasmus+ form; the template also lays out a pair


def context(project: Project, record: Document) -> dict[str, Any]:
    """The shared mobility view, the three signatories and the call's minimum of teaching hours."""
    ctx = mobility_context(project, record)
    mobility, rates = ctx["mobility"], ctx["rates"]
    limits = rates.limits.get(mobility.type) if rates is not None else None
    hours = limits.teaching_hours if limits is not None else None
    ctx.update(
        min_teaching_hours=hours.min if hours is not None else None,
        # As on the Erasmus+ form: the sender's head approves, the receiver's Erasmus+ coordinator accepts.
        **three_parties(ctx, None),
    )
    return ctx


KIND = DocKind(
    name=NAME,
    title_key="staff_agreement.title",
    records=lambda project: mobility_records(project, NAME, lambda m: LANGS, is_staff),
    context=context,
)
