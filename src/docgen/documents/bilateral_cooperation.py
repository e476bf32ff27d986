"""Bilateral cooperation agreement, printed in its two languages side by side."""
from __future__ import annotations

from docgen.documents import DocKind
from docgen.documents.common import agreement_context, agreement_records

KIND = DocKind(
    name="bilateral-cooperation",
    title_key="bilateral.title",
    records=lambda project: agreement_records(project, "bilateral-cooperation"),
    context=agreement_context,
    agreement=True,
)
