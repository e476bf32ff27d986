"""`docgen new`: commented skeletons of a partner, agreement, mobility or rates file, refused by check until filled."""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from docgen.build.paths import record_file
from docgen.errors import UsageError
from docgen.model.models import parse_id
from docgen.office.importer import _yaml, mobility_id, year_file
from docgen.model.loader import PLACEHOLDER, load_yaml

SKELETONS = Path(__file__).resolve().parents[1] / "data" / "skeletons"
KINDS = ("erasmus-iia", "bilateral-cooperation", "general-cooperation")
_SHORT = {"erasmus-iia": "iia", "bilateral-cooperation": "bilateral", "general-cooperation": "general"}
# Rates keys that hold money: `new rates` blanks each (with the earlier call's figure beside it).
_MONEY = {"student_month", "rate", "reduced", "amount", "green", "traineeship_month", "fewer_opportunities_month",
          "social_month"}


def _skeleton(name: str) -> Any:
    return _yaml().load((SKELETONS / f"{name}.yaml").read_text(encoding="utf-8"))


def _dump(data: Any) -> bytes:
    out = io.StringIO()
    _yaml().dump(data, out)
    return out.getvalue().encode("utf-8")


def _write(path: Path, data: bytes) -> None:
    from docgen.files import write_atomic

    write_atomic(path, data)


def _raw(path: Path) -> Any:
    return load_yaml(path).data


def _agreement_ids(data_dir: Path) -> dict[str, str]:
    """Every agreement id written in partners/*.yaml (valid or not) → its partner file's stem."""
    out: dict[str, str] = {}
    for path in sorted((data_dir / "partners").glob("*.yaml")):
        data = _raw(path)
        for agreement in (data or {}).get("agreements") or [] if isinstance(data, dict) else []:
            if isinstance(agreement, dict) and isinstance(agreement.get("id"), str):
                out[agreement["id"]] = path.stem
    return out


def new_partner(data_dir: Path, partner_id: str) -> Path:
    partner_id = parse_id(partner_id, "partner id")
    path = record_file(data_dir, "partners", partner_id)
    if path.exists():
        raise UsageError(f"{path} exists already: not overwritten")
    data = _skeleton("partner")
    data["institution"]["id"] = partner_id
    _write(path, _dump(data))
    return path


def new_agreement(data_dir: Path, partner_id: str, kind: str, agreement_id: str | None) -> tuple[Path, str]:
    partner_id = parse_id(partner_id, "partner id")
    path = record_file(data_dir, "partners", partner_id)
    if not path.is_file():
        raise UsageError(f"no partner file {path} (make one with: docgen new partner {partner_id})")
    agreement_id = parse_id(f"{partner_id}-{_SHORT[kind]}-{dt.date.today().year}" if agreement_id is None
                            else agreement_id, "--id")
    taken = _agreement_ids(data_dir)
    if agreement_id in taken:
        raise UsageError(f"agreement id {agreement_id!r} is used already (partners/{taken[agreement_id]}.yaml): "
                         "choose another with --id")
    yaml = _yaml()
    data = yaml.load(path.read_text(encoding="utf-8"))
    if not isinstance(data, CommentedMap):
        raise UsageError(f"{path}: not a partner file (run docgen check)")
    record = _skeleton(f"agreement-{kind}")
    record["id"] = agreement_id
    seq = data.get("agreements")
    if not isinstance(seq, CommentedSeq) or not seq:
        seq = CommentedSeq()  # block style, also where the file said `agreements: []`
        data["agreements"] = seq
    seq.append(record)
    seq.yaml_set_comment_before_after_key(len(seq) - 1, before=f"made by docgen new agreement: replace every "
                                                               f"{PLACEHOLDER}", indent=2)
    _write(path, _dump(data))
    return path, agreement_id


def current_year(today: dt.date) -> str:
    """The academic year in progress on `today` (it starts on 1 October)."""
    start = today.year if today.month >= 10 else today.year - 1
    return f"{start}/{start + 1}"


def new_mobility(data_dir: Path, agreement_id: str, mobility_type: str, direction: str, year: str | None,
                 wanted_id: str | None) -> tuple[Path, str]:
    agreement_id = parse_id(agreement_id, "--agreement")
    if wanted_id is not None:
        wanted_id = parse_id(wanted_id, "--id")
    year = current_year(dt.date.today()) if year is None else year
    path = year_file(data_dir, year)
    partner = _agreement_ids(data_dir).get(agreement_id)
    if partner is None:
        raise UsageError(f"no agreement {agreement_id!r} in {data_dir / 'partners'}")
    yaml = _yaml()
    data = yaml.load(path.read_text(encoding="utf-8")) if path.is_file() else None
    if data is None:
        data = CommentedMap()
        data.yaml_set_start_comment(f"Mobilities of the academic year {year}.")
    seq = data.get("mobilities")
    if not isinstance(seq, CommentedSeq) or not seq:
        seq = data["mobilities"] = CommentedSeq()
    taken = {m.get("id") for m in seq if isinstance(m, dict)}
    for other in sorted((data_dir / "mobilities").glob("*.yaml")):
        raw = _raw(other)
        if isinstance(raw, dict) and isinstance(raw.get("mobilities"), list):
            taken |= {m.get("id") for m in raw["mobilities"] if isinstance(m, dict)}
    if wanted_id is not None and wanted_id in taken:
        raise UsageError(f"mobility id {wanted_id!r} is used already: choose another with --id")
    new_id = parse_id(wanted_id or mobility_id(year, partner, direction, mobility_type, {t for t in taken if t}),
                      "the mobility id")
    record = _skeleton("mobility-student" if mobility_type.startswith("student-") else "mobility-staff")
    if mobility_type != "staff-teaching" and "teaching_hours" in record:
        del record["teaching_hours"]
    for key, value in (("id", new_id), ("type", mobility_type), ("direction", direction), ("partner", partner),
                       ("agreement", agreement_id), ("academic_year", year)):
        record[key] = value
    seq.append(record)
    seq.yaml_set_comment_before_after_key(len(seq) - 1, before=f"made by docgen new mobility: replace every "
                                                               f"{PLACEHOLDER}", indent=2)
    _write(path, _dump(data))
    return path, new_id


def _blank_money(node: Any, source: str) -> None:
    """Every money figure becomes TODO, with the figure of `source` beside it as a reminder."""
    if isinstance(node, CommentedMap):
        if any(k in _MONEY for k in node):
            node.fa.set_block_style()
        for key in list(node):
            value = node[key]
            if key in _MONEY and not isinstance(value, (dict, list)):
                node[key] = PLACEHOLDER
                node.yaml_add_eol_comment(f"{source}: {value}", key, column=40)
            else:
                _blank_money(value, source)
    elif isinstance(node, CommentedSeq):
        for item in node:
            _blank_money(item, source)


def new_rates(data_dir: Path, source_id: str, call: int) -> tuple[Path, str]:
    source = record_file(data_dir, "rates", parse_id(source_id, "--from"))
    if not source.is_file():
        raise UsageError(f"no rates file {source}")
    year = str(call)
    parts = source_id.split("-")
    new_id = "-".join(year if p.isdigit() and len(p) == 4 else p for p in parts)
    if new_id == source_id:
        new_id = f"{source_id}-{year}"
    path = record_file(data_dir, "rates", parse_id(new_id, "the new rates id"))
    if path.exists():
        raise UsageError(f"{path} exists already: not overwritten")
    data = _yaml().load(source.read_text(encoding="utf-8"))
    data.ca.comment = None
    data.yaml_set_start_comment(
        f"Rates of the {call} call, made from {source_id} by docgen new rates. Every amount is {PLACEHOLDER},\n"
        f"with the {source_id} figure beside it: write the figure of the National Agency's {call} table\n"
        "and name its source in a comment. Check the rest against that table too: country groups,\n"
        "payment split, limits, travel days and the year window are copied as they were.")
    data["id"] = new_id
    data["title"] = PLACEHOLDER
    data.yaml_add_eol_comment(f"e.g. Erasmus+ ... {call} call (...)", "title", column=40)
    data["call_year"] = call
    _blank_money(data, source_id)
    _write(path, _dump(data))
    return path, new_id
