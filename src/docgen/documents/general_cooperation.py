"""General agreement on scientific and teaching cooperation, in its one or two languages side by side."""
from __future__ import annotations

from typing import Any

from docgen.documents import DocKind, Document
from docgen.documents.common import agreement_context, agreement_records
from docgen.model.project import Project
from docgen.review.terms import split_scope

def context(project: Project, record: Document) -> dict[str, Any]:
    base = agreement_context(project, record)
    return {**base, "scope": split_scope(base["terms"].scope)}


KIND = DocKind(
    name="general-cooperation",
    title_key="general.title",
    records=lambda project: agreement_records(project, "general-cooperation"),
    context=context,
    agreement=True,
)
