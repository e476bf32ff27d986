"""Learning agreement of a student mobility: the studies form (tables A/B of components) or the traineeship form."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from docgen.documents import DocKind, Document
from docgen.documents._mobility import is_student, mobility_context, mobility_records, three_parties
from docgen.model.project import Project

NAME = "learning-agreement"
LANGS = ("en",)  # the language of the Erasmus+ form; the template also lays out a pair


def context(project: Project, record: Document) -> dict[str, Any]:
    """The shared mobility view, the ECTS totals of tables A and B and the coordinators who sign."""
    ctx = mobility_context(project, record)
    mobility = ctx["mobility"]
    ctx.update(
        ects_abroad=sum((c.ects for c in mobility.components_abroad), Decimal(0)),
        ects_home=sum((c.ects for c in mobility.components_home), Decimal(0)),
        **three_parties(ctx, ctx["sending_coordinator"]),
    )
    trainee = mobility.traineeship
    if trainee is not None and trainee.supervisor.position:
        # the traineeship form is signed for the receiving organisation by the trainee's supervisor
        ctx["receiving_signatory"] = {"name": trainee.supervisor.name, "function": trainee.supervisor.position}
    return ctx


KIND = DocKind(
    name=NAME,
    title_key="learning.title",
    records=lambda project: mobility_records(project, NAME, lambda m: LANGS, is_student),
    context=context,
)
