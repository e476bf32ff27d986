"""`docgen sign`: append a signature event with the signed terms hash to a partner file, keeping its text."""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import SingleQuotedScalarString

from docgen.files import write_atomic
from docgen.errors import DocgenError, UsageError
from docgen.documents.i18n import Catalogs
from docgen.model.loader import load_yaml
from docgen.model.models import Partner
from docgen.model.project import Project
from docgen.review.terms import find, terms_hash
from docgen.model.validation import validate


class SignError(DocgenError):
    """The partner file cannot be edited safely (layout docgen does not write into)."""


def _event_text(event: CommentedMap, indent: int) -> list[str]:
    """The event as block YAML lines: '- status: signed' at `indent` spaces, the other keys under it."""
    yaml = YAML(typ="rt")
    yaml.width = 4096
    buf = io.StringIO()
    yaml.dump(event, buf)
    lines = buf.getvalue().splitlines()
    pad = " " * indent
    return [pad + "- " + lines[0]] + [pad + "  " + line for line in lines[1:]]


def _content_end(lines: list[str], start: int, stop: int) -> int:
    """Index after the last line in [start, stop) that holds YAML content (not blank, not a comment)."""
    end = start + 1
    for i in range(start, stop):
        stripped = lines[i].strip()
        if stripped and not stripped.startswith("#"):
            end = i + 1
    return end


def append_signature(path: Path, agreement_index: int, event: dict[str, object]) -> str:
    """The text of `path` with `event` appended to agreements[agreement_index].status; the rest unchanged.

    ruamel's round-trip reader gives the line of every key; the new lines are spliced in as text, because
    dumping the whole file again would rewrite some flow collections (`[{code: '061'}]`).
    """
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    data = YAML(typ="rt").load(text)
    agreements = data["agreements"]
    agreement: CommentedMap = agreements[agreement_index]
    stop = agreements.lc.item(agreement_index + 1)[0] if agreement_index + 1 < len(agreements) else len(lines)
    key_col = agreement.lc.col  # column of the agreement's first key
    mapping = CommentedMap(event)
    status = agreement.get("status")
    if "status" not in agreement:
        at = _content_end(lines, agreement.lc.line, stop)
        new = [" " * key_col + "status:"] + _event_text(mapping, key_col + 2)
    elif isinstance(status, CommentedSeq) and status.fa.flow_style():
        if len(status):
            raise SignError(f"{path}: agreements[{agreement_index}].status is written as a flow list [...]: "
                            "write it as a block list (one '- status:' item a line) to use docgen sign")
        line_no = agreement.lc.key("status")[0]
        lines[line_no] = " " * key_col + "status:"
        at = line_no + 1
        new = _event_text(mapping, key_col + 2)
    else:
        if not isinstance(status, CommentedSeq) or not len(status):
            raise SignError(f"{path}: agreements[{agreement_index}].status is not a list of events")
        keys = list(agreement.keys())
        after = keys.index("status") + 1
        status_stop = agreement.lc.key(keys[after])[0] if after < len(keys) else stop
        at = _content_end(lines, agreement.lc.key("status")[0], status_stop)
        new = _event_text(mapping, status.lc.col)
    lines[at:at] = new
    return "\n".join(lines) + "\n"


def sign(project: Project, catalogs: Catalogs, agreement_id: str, by: str, date: dt.date,
         signatory: str | None = None) -> tuple[Path, str]:
    """Record that side `by` signed the agreement's current terms on `date`; returns (file, hash)."""
    partner_id, agreement = find(project, agreement_id)
    record = project.partners[partner_id]
    if any(e.status == "signed" and e.by == by and e.date > date for e in agreement.status):
        raise UsageError(f"agreement {agreement_id!r} already has a later {by} signature")
    full = terms_hash(project, catalogs, agreement_id)
    index = record.agreements[agreement_id][1].loc[1]
    assert isinstance(index, int)
    event: dict[str, object] = {"status": "signed", "date": date, "by": by}
    if signatory:
        event["signatory"] = signatory
    event["terms_hash"] = SingleQuotedScalarString(full)  # quoted: a hex string can read as a number
    text = append_signature(record.path, index, event)
    _verify(record.path, text, index, len(agreement.status), full)
    write_atomic(record.path, text.encode("utf-8"))
    return record.path, full


def _verify(path: Path, text: str, index: int, before: int, full: str) -> None:
    """Refuse to write unless the new text reads as the old data plus exactly the new event."""
    tmp = path.with_name(f".{path.name}.sign-check")
    try:
        tmp.write_text(text, encoding="utf-8")
        new, problems = validate(Partner, load_yaml(tmp, str(path)))
    finally:
        tmp.unlink(missing_ok=True)
    old, _ = validate(Partner, load_yaml(path, str(path)))
    ok = (new is not None and old is not None and not [p for p in problems if p.severity == "error"]
          and len(new.agreements[index].status) == before + 1
          and new.agreements[index].status[-1].terms_hash == full
          and new.model_copy(update={"agreements": [
              a.model_copy(update={"status": a.status[:before]}) if i == index else a
              for i, a in enumerate(new.agreements)]}) == old)
    if not ok:
        raise SignError(f"{path}: could not add the signature without changing other data; add it by hand "
                        f"(status: signed, terms_hash: '{full}')")
