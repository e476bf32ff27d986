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
from docgen.site import SearchPath, search_path


class DocumentTemplates:
    """`html/<kind>.html` and what it includes, rendered with the catalogs' wording; the office's overrides
    folder first, then docgen's (a ChoiceLoader)."""

    def __init__(self, templates: Path | SearchPath, catalogs: Catalogs) -> None:
        self.search = search_path(templates)
        loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(str(d / "html")) for d in self.search.dirs]
        self.env = make_env(catalogs, jinja2.ChoiceLoader(loaders))
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
            source = self.search.find(Path("html") / pending.pop())
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
        return [self.search.find(Path("html") / n) for n in sorted(names)]

    def render(self, kind: str, context: Mapping[str, Any], meta: DocMeta) -> str:
        """The document as HTML: what WeasyPrint lays out and what the DOCX writer walks."""
        try:
            template = self.env.get_template(f"{kind}.html")
            return template.render(**context, meta=meta)
        except (jinja2.TemplateError, TemplateError) as exc:
            raise template_error(f"html/{kind}.html", exc) from exc
