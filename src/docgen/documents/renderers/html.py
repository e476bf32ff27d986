"""The one template of each document kind: Jinja HTML under templates/html, rendered once for every format."""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta

from docgen.errors import TemplateError
from docgen.documents.i18n import Catalogs
from docgen.documents.renderers.base import DocMeta, make_env, template_error


class DocumentTemplates:
    """`templates/html/<kind>.html` and what it includes, rendered with the catalogs' wording."""

    def __init__(self, templates: Path, catalogs: Catalogs) -> None:
        self.html_dir = templates / "html"
        self.env = make_env(catalogs, jinja2.FileSystemLoader(str(self.html_dir)))
        self._files: dict[str, list[Path]] = {}

    def files(self, kind: str) -> list[Path]:
        """The kind's template and every template it extends, includes or imports."""
        if kind not in self._files:
            self._files[kind] = self._find(kind)
        return list(self._files[kind])

    def _find(self, kind: str) -> list[Path]:
        names = {f"{kind}.html"}
        pending = [f"{kind}.html"]
        while pending:  # follow extends / include / import, once each
            source = self.html_dir / pending.pop()
            if not source.is_file():
                continue
            try:
                ast = self.env.parse(source.read_text(encoding="utf-8"))
            except jinja2.TemplateSyntaxError:
                continue  # reported when the document is rendered
            for name in jinja2.meta.find_referenced_templates(ast):
                if name and name not in names:
                    names.add(name)
                    pending.append(name)
        return [self.html_dir / n for n in sorted(names)]

    def render(self, kind: str, context: Mapping[str, Any], meta: DocMeta) -> str:
        """The document as HTML: what WeasyPrint lays out and what the DOCX writer walks."""
        try:
            template = self.env.get_template(f"{kind}.html")
            return template.render(**context, meta=meta)
        except (jinja2.TemplateError, TemplateError) as exc:
            raise template_error(f"html/{kind}.html", exc) from exc
