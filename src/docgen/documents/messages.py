"""Message keys used by the HTML templates (the one source of both formats), and the catalogs that translate them."""
from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

import jinja2
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from jinja2 import nodes

from docgen.documents.i18n import SHIPPED, Catalogs

# Template calls whose first constant string argument is a message key: t(lang, "key"), bi("key").
_KEY_ARG = {"t": 1, "bi": 0}


def _keys_in_source(source: str, env: jinja2.Environment) -> Iterator[str]:
    for call in env.parse(source).find_all(nodes.Call):
        name = call.node.name if isinstance(call.node, nodes.Name) else None
        if name in _KEY_ARG and len(call.args) > _KEY_ARG[name]:
            arg = call.args[_KEY_ARG[name]]
            if isinstance(arg, nodes.Const) and isinstance(arg.value, str):
                yield arg.value


def extract(templates: Path) -> dict[str, set[Path]]:
    """Every message key the templates use, with the files that use it."""
    env = jinja2.Environment()
    found: dict[str, set[Path]] = {}
    sources = [(p, p.read_text(encoding="utf-8")) for p in sorted((templates / "html").glob("*.html"))]
    for path, source in sources:
        for key in _keys_in_source(source, env):
            found.setdefault(key, set()).add(path)
    return found


def missing(templates: Path) -> dict[str, list[str]]:
    """lang → keys the templates use that the language's catalogs do not translate."""
    used = extract(templates)
    catalogs = Catalogs(templates / "locale").messages
    return {lang: sorted(k for k in used if k not in catalogs.get(lang, {})) for lang in SHIPPED}


def write_catalog(domain: str, table: Mapping[str, Mapping[str, str]], templates: Path) -> None:
    """Write `locale/<lang>/<domain>.po` for every shipped language from {key: {lang: text}}."""
    for lang in SHIPPED:
        catalog = Catalog(locale=lang, domain=domain, project="docgen", version="0.1",
                          copyright_holder="docgen authors", msgid_bugs_address="docgen@example.org",
                          fuzzy=False)
        for key, texts in table.items():
            catalog.add(key, texts[lang])
        path = templates / "locale" / lang / f"{domain}.po"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            write_po(fh, catalog, width=100, sort_output=True)
        # The header dates change on every write; leave them out so catalogs diff cleanly in git.
        lines = [line for line in path.read_text(encoding="utf-8").splitlines()
                 if not line.startswith(('"POT-Creation-Date', '"PO-Revision-Date'))]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    """`python -m docgen.documents.messages [check] [TEMPLATES]`: list untranslated keys; exit 1 if any."""
    args = [a for a in argv if a != "check"]
    templates = Path(args[0]) if args else Path("templates")
    gaps = missing(templates)
    bad = {lang: keys for lang, keys in gaps.items() if keys}
    for lang, keys in bad.items():
        for key in keys:
            print(f"{lang}: missing translation for {key}")
    used = extract(templates)
    print(f"{len(used)} message keys in {templates}; {'all translated' if not bad else 'gaps above'}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
