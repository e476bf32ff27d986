"""Load a data folder: every file read and validated record by record, problems collected, nothing raised."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from docgen.errors import Problem, UsageError
from docgen.model.loader import Loaded, Loc, SourceMap, in_scope, load_yaml
from docgen.model.models import Agreement, Institution, IscedField, IscedFile, Mobility
from docgen.model.policy import OfficePolicy, load_policy
from docgen.money.rates import Rates
from docgen.model.validation import validate

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Where:
    """A record's file and path inside it: what a problem about it points at."""

    source: SourceMap
    loc: Loc

    def problem(self, sub: Loc, message: str, *, key: bool = False, severity: str = "error") -> Problem:
        return self.source.problem(self.loc + tuple(sub), message, key=key, severity=severity)


@dataclass
class PartnerRecord:
    institution: Institution
    where: Where
    path: Path
    agreements: dict[str, tuple[Agreement, Where]] = field(default_factory=dict)


@dataclass
class Project:
    """Everything valid in a data folder, where each record came from, and every problem found."""

    root: Path
    policy: OfficePolicy = field(default_factory=OfficePolicy)
    policy_path: Path | None = None  # the docgen.yaml it came from, if any
    policy_source: SourceMap | None = None
    home: Institution | None = None
    home_where: Where | None = None
    home_path: Path | None = None
    partners: dict[str, PartnerRecord] = field(default_factory=dict)
    mobilities: dict[str, tuple[Mobility, Where, Path]] = field(default_factory=dict)
    rates: dict[str, tuple[Rates, Path]] = field(default_factory=dict)
    isced: dict[str, IscedField] = field(default_factory=dict)
    isced_path: Path | None = None
    problems: list[Problem] = field(default_factory=list)
    failed: set[str] = field(default_factory=set)  # ids of records that did not validate
    # Mobility records that did not validate, as raw data: their references are still checked, so
    # fixing one mistake (an IBAN) does not reveal the next (a wrong agreement) only in the next run.
    failed_mobilities: list[tuple[dict[str, Any], Where]] = field(default_factory=list)
    failed_partners: set[str] = field(default_factory=set)  # partner files with errors (reported there)

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages the office prints documents in: its docgen.yaml's list, else every catalog docgen ships."""
        from docgen.documents.i18n import SHIPPED

        return tuple(self.policy.document_languages or SHIPPED)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def display(self, path: Path) -> str:
        return _display(path, self.root)


def _display(path: Path, root: Path) -> str:
    """`path` as the user can open it: relative to the current directory when inside it, else absolute."""
    full = path.resolve()
    try:
        return str(full.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(full)


def _records(loaded: Loaded, key: str, problems: list[Problem]) -> list[Any]:
    """The list under `key`, or a located problem why there is none."""
    data = loaded.data
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        problems.append(loaded.source.problem((), f"expected a top-level '{key}:' list"))
        return []
    return data[key]


def _top_keys(loaded: Loaded, allowed: tuple[str, ...], problems: list[Problem]) -> bool:
    data = loaded.data
    if not isinstance(data, dict):
        problems.append(loaded.source.problem((), f"expected a mapping with the key(s) {', '.join(allowed)}"))
        return False
    for key in data:
        if key not in allowed:
            problems.append(loaded.source.problem((key,), f"unknown top-level key {key!r}; this file takes "
                                                           f"{', '.join(allowed)}", key=True))
    return True


def _outside(loaded: Loaded, prefixes: list[Loc]) -> list[Problem]:
    """Reading problems that lie outside every record (top-level keys): no record reports them."""
    return [p for p in loaded.problems if not any(in_scope(p, prefix) for prefix in prefixes)]


def _record(project: Project, model: type[M], loaded: Loaded, loc: Loc) -> M | None:
    """Validate one record of a file; when it fails, its id (if readable) is marked failed."""
    obj, found = validate(model, loaded, loc)
    project.problems.extend(found)
    if obj is None:
        failed = _id_of(loaded.data, *loc, "id")
        if failed:
            project.failed.add(failed)
    return obj


def _id_of(data: Any, *path: str | int) -> str | None:
    """The text at `path` inside raw YAML data (mapping keys and list indexes), or None."""
    for part in path:
        if isinstance(data, dict) and isinstance(part, str):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data if isinstance(data, str) else None


def load_project(root: Path, policy: OfficePolicy | None = None) -> Project:
    """Read and validate every file under `root`; cross-record rules are `checks.run`'s job.

    Without `policy`, the `office:` section of a docgen.yaml beside `root` (or one level above) is read."""
    if not root.is_dir():
        raise UsageError(f"data folder not found: {root}")
    project = Project(root=root)
    problems = project.problems
    if policy is None:
        found = load_policy(root)
        policy, project.policy_path, project.policy_source = found.policy, found.path, found.source
        problems.extend(found.problems)
    project.policy = policy

    def load(path: Path) -> Loaded:
        return load_yaml(path, _display(path, root))

    inst_path = root / "institution.yaml"
    if not inst_path.is_file():
        problems.append(Problem(_display(inst_path, root), 1, 1, "", "the home institution file is missing"))
    else:
        loaded = load(inst_path)
        if loaded.data is None:
            problems.extend(loaded.problems)
        elif _top_keys(loaded, ("institution",), problems):
            problems.extend(_outside(loaded, [("institution",)]))
            home, found = validate(Institution, loaded, ("institution",)) if "institution" in loaded.data \
                else (None, [loaded.source.problem((), "expected a top-level 'institution:' mapping")])
            problems.extend(found)
            project.home, project.home_path = home, inst_path
            project.home_where = Where(loaded.source, ("institution",))
        else:
            problems.extend(loaded.problems)

    isced_path = root / "isced.yaml"
    if isced_path.is_file():
        loaded = load(isced_path)
        isced, found = validate(IscedFile, loaded)
        problems.extend(found)
        project.isced_path = isced_path
        if isced:
            project.isced = {f.code: f for f in isced.fields}

    for path in sorted((root / "rates").glob("*.yaml")):
        loaded = load(path)
        rates, found = validate(Rates, loaded)
        problems.extend(found)
        if rates is not None:
            if rates.id != path.stem:
                problems.append(loaded.source.problem(("id",), f"id {rates.id!r} differs from the file name "
                                                                f"{path.name!r}: make them the same"))
            else:
                project.rates[rates.id] = (rates, path)

    for path in sorted((root / "partners").glob("*.yaml")):
        loaded = load(path)
        if loaded.data is None:
            problems.extend(loaded.problems)
            continue
        if not _top_keys(loaded, ("institution", "agreements"), problems):
            continue
        agreements_raw = loaded.data.get("agreements") or []
        problems.extend(_outside(loaded, [("institution",)] + [("agreements", i) for i in
                                                              range(len(agreements_raw))
                                                              if isinstance(agreements_raw, list)]))
        where = Where(loaded.source, ("institution",))
        if "institution" not in loaded.data:
            problems.append(loaded.source.problem((), "expected a top-level 'institution:' mapping"))
            continue
        inst, found = validate(Institution, loaded, ("institution",))
        problems.extend(found)
        if inst is not None and inst.id != path.stem:
            problems.append(where.problem(("id",), f"partner id {inst.id!r} differs from the file name "
                                                   f"{path.name!r}: make them the same"))
            inst = None
        if inst is None:
            for failed in {_id_of(loaded.data, "institution", "id"), path.stem} - {None}:
                project.failed.add(failed)
                project.failed_partners.add(failed)
        record = PartnerRecord(inst, where, path) if inst is not None else None
        if record is not None:
            project.partners[record.institution.id] = record
        agreements = loaded.data.get("agreements", []) or []
        if not isinstance(agreements, list):
            problems.append(loaded.source.problem(("agreements",), "expected a list of agreements"))
            continue
        # The agreements of a partner with errors are validated too (every problem in one run), not used.
        for i in range(len(agreements)):
            loc = ("agreements", i)
            agreement = _record(project, Agreement, loaded, loc)
            if agreement is not None and record is not None:
                record.agreements[agreement.id] = (agreement, Where(loaded.source, loc))
            elif agreement is not None:
                project.failed.add(agreement.id)

    for path in sorted((root / "mobilities").glob("*.yaml")):
        loaded = load(path)
        if loaded.data is None:
            problems.extend(loaded.problems)
            continue
        if not _top_keys(loaded, ("mobilities",), problems):
            continue
        records = _records(loaded, "mobilities", problems)
        problems.extend(_outside(loaded, [("mobilities", i) for i in range(len(records))]))
        for i in range(len(records)):
            loc = ("mobilities", i)
            mobility = _record(project, Mobility, loaded, loc)
            if mobility is None:
                if isinstance(records[i], dict):
                    project.failed_mobilities.append((records[i], Where(loaded.source, loc)))
                continue
            where = Where(loaded.source, loc)
            if mobility.id in project.mobilities:
                first = project.mobilities[mobility.id][1]
                pos = first.source.locate(first.loc + ("id",))
                problems.append(where.problem(("id",), f"mobility id {mobility.id!r} is used twice (also at "
                                                       f"{first.source.file}:{pos.line})"))
                project.failed.add(mobility.id)
                continue
            project.mobilities[mobility.id] = (mobility, where, path)
    return project
