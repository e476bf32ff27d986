"""The office's site, resolved once: root, data, output, overrides, policy and the template search path."""
from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from docgen.errors import DataError, UsageError
from docgen.model.policy import OfficePolicy

CONFIG = "docgen.yaml"
# Every default of docgen.yaml, in one place (the README's table is made from the same names).
DEFAULT_DATA = "data"
DEFAULT_OUTPUT = "build"
DEFAULT_OVERRIDES = "templates"


def package_templates() -> Path:
    """docgen's own templates, catalogs, stylesheet, fonts and Word shell (package data `docgen/templates`)."""
    return Path(str(resources.files("docgen") / "templates"))


def example_office() -> Path:
    """The sample office `docgen init --example` copies (package data `docgen/example`: this repository's data/)."""
    return Path(str(resources.files("docgen") / "example"))


@dataclass(frozen=True)
class SearchPath:
    """Template folders, the office's overrides first, then docgen's: a file of the same name wins in that order."""

    dirs: tuple[Path, ...]
    root: Path | None = None  # the office's root: an input inside it is named relative to it

    def find(self, relative: str | Path) -> Path:
        """The winning file of that name; docgen's own (which may be missing) when no folder has it."""
        for folder in self.dirs:
            if (folder / relative).is_file():
                return folder / relative
        return self.dirs[-1] / relative

    def winner(self, path: Path) -> Path:
        """A path inside any of the folders, redirected to the file of the same name that wins."""
        full = Path(os.path.abspath(path))
        for folder in self.dirs:
            try:
                rel = full.relative_to(Path(os.path.abspath(folder)))
            except ValueError:
                continue
            return self.find(rel)
        return path

    def glob(self, sub: str, pattern: str) -> list[Path]:
        """Every file matching `pattern` in `sub` of any folder, the winner of each name, sorted by name."""
        found: dict[str, Path] = {}
        for folder in self.dirs:
            for path in sorted((folder / sub).glob(pattern)) if (folder / sub).is_dir() else []:
                found.setdefault(path.name, path)
        return [found[name] for name in sorted(found)]

    def layers(self, sub: str) -> list[Path]:
        """The existing `sub` folders, docgen's first and the office's last: the order in which later ones win
        (catalogs: an office message over docgen's)."""
        return [folder / sub for folder in reversed(self.dirs) if (folder / sub).is_dir()]

    def name(self, path: Path) -> str:
        """A stable name for an input file: relative to the office root, else `docgen:` and its place in docgen."""
        full = path.resolve()
        if self.root is not None:
            try:
                return full.relative_to(self.root.resolve()).as_posix()
            except ValueError:
                pass
        try:
            return "docgen:templates/" + full.relative_to(package_templates().resolve()).as_posix()
        except ValueError:
            return str(full)


def search_path(templates: Path | SearchPath | Iterable[Path]) -> SearchPath:
    """A search path from a templates folder (docgen's own after it), or as given."""
    if isinstance(templates, SearchPath):
        return templates
    folders = [templates] if isinstance(templates, Path) else list(templates)
    return _search(folders, folders[0].resolve().parent if folders else None)


def _search(folders: list[Path], root: Path | None) -> SearchPath:
    seen: set[Path] = set()
    dirs: list[Path] = []
    for folder in [*folders, package_templates()]:
        key = folder.resolve()
        if key not in seen:
            seen.add(key)
            dirs.append(folder)
    return SearchPath(tuple(dirs), root)


class SiteConfig(BaseModel):
    """`docgen.yaml`: where the office keeps its data, output and overrides, and its policy."""

    model_config = ConfigDict(extra="forbid")

    data: str = Field(DEFAULT_DATA, min_length=1)
    output: str = Field(DEFAULT_OUTPUT, min_length=1)
    templates: str = Field(DEFAULT_OVERRIDES, min_length=1)
    # The office policy: languages, contract language rule, signatories, import format, default formats.
    office: OfficePolicy = Field(default_factory=OfficePolicy)


@dataclass(frozen=True)
class Site:
    """One office: every folder a command reads or writes, resolved once."""

    root: Path
    data: Path
    output: Path
    overrides: Path | None
    config: Path | None = None
    policy: OfficePolicy = field(default_factory=OfficePolicy)
    search: SearchPath = field(default_factory=lambda: _search([], None))

    @property
    def locales(self) -> list[Path]:
        return self.search.layers("locale")


def find_config(start: Path) -> Path | None:
    """The nearest docgen.yaml in `start` or a folder above it (as mkdocs.yml is found)."""
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG).is_file():
            return folder / CONFIG
    return None


def _relative(path: Path) -> Path:
    """`path` relative to the current folder when inside it or near it, so messages stay short."""
    try:
        return Path(os.path.relpath(path))
    except ValueError:
        return path


def load_config(path: Path) -> SiteConfig:
    """docgen.yaml validated with the data's located errors; a DataError holds every problem."""
    from docgen.model.loader import load_yaml
    from docgen.model.validation import validate

    display = str(_relative(path))
    loaded = load_yaml(path, display)
    if isinstance(loaded.data, dict) and not loaded.problems:
        config, problems = validate(SiteConfig, loaded)
    elif loaded.data is not None and not loaded.problems:
        config, problems = None, [loaded.source.problem((), "docgen.yaml holds a mapping of settings "
                                                            "(data:, output:, templates:, office:)")]
    elif loaded.data is None and loaded.problems and loaded.problems[0].message == "the file is empty":
        return SiteConfig()
    else:
        config, problems = None, loaded.problems
    if config is None:
        raise DataError(problems)
    return config


def resolve(data: Path | None = None, templates: Path | None = None, out: Path | None = None,
            start: Path | None = None) -> Site:
    """The site of the current folder: docgen.yaml found above it, or without one this repository's layout
    (data/ here, templates/ beside the data folder, build/). An option given on the command line wins."""
    config_path = find_config(start or Path.cwd())
    if config_path is None:
        data_dir = data or Path(DEFAULT_DATA)
        root = data_dir.resolve().parent
        overrides = templates if templates is not None else root / DEFAULT_OVERRIDES
        if templates is not None and not templates.is_dir():
            raise UsageError(f"templates folder not found: {templates}")
        folders = [overrides] if overrides.is_dir() else []
        return Site(root=root, data=data_dir, output=out or Path(DEFAULT_OUTPUT),
                    overrides=overrides if overrides.is_dir() else None, search=_search(folders, root))
    config = load_config(config_path)
    root = config_path.parent
    data_dir = data or _relative(root / config.data)
    overrides = templates or _relative(root / config.templates)
    folders = [overrides] if overrides.is_dir() else []
    return Site(root=root, data=data_dir, output=out or _relative(root / config.output), overrides=overrides,
                config=config_path, policy=_policy(config), search=_search(folders, root))


def _policy(config: SiteConfig) -> OfficePolicy:
    return config.office
