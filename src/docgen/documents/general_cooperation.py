"""General agreement on scientific and teaching cooperation, in its one or two languages side by side."""
from __future__ import annotations

from typing import Any


from docgen.documents import DocKind, Document
from docgen.documents.common import agreement_context, agreement_records
from docgen.models import ScopeClause
from docgen.project import Project

def split_scope(scope: list[ScopeClause]) -> dict[str, list[ScopeClause]]:
    """The scope clauses by where the agreement prints them, in data order.

    Yearly programmes and intellectual property have paragraphs of their own whatever their area; a general
    'other' clause replaces the standard wording on further activities; every other clause is an item of the
    research, teaching or general list, by its area.
    """
    parts: dict[str, list[ScopeClause]] = {
        "research": [], "teaching": [], "general": [], "yearly": [], "ip": [], "other": [],
    }
    for clause in scope:
        if clause.topic == "yearly-programmes":
            parts["yearly"].append(clause)
        elif clause.topic == "intellectual-property":
            parts["ip"].append(clause)
        elif clause.area == "general" and clause.topic == "other":
            parts["other"].append(clause)  # replaces the standard "further activities by annex" paragraph
        else:
            parts[clause.area].append(clause)
    return parts


def context(project: Project, record: Document) -> dict[str, Any]:
    base = agreement_context(project, record)
    return {**base, "scope": split_scope(base["terms"].scope)}


KIND = DocKind(
    name="general-cooperation",
    title_key="general.title",
    records=lambda project: agreement_records(project, "general-cooperation"),
    context=context,
)
