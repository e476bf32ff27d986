"""Validate loaded YAML against a model and turn pydantic's errors into located, plain-worded problems."""
from __future__ import annotations

import datetime as dt
import types
import typing
from decimal import Decimal
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from docgen.errors import Problem
from docgen.model.loader import Loaded, Loc, SourceMap, dotted, in_scope
from docgen.model.suggest import closest

M = TypeVar("M", bound=BaseModel)


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, Decimal)):
        return f"the number {value}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if value is None:
        return "nothing (null)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"the text {value!r}"


def _unwrap(tp: Any) -> list[Any]:
    """The concrete types behind Optional / Annotated / unions."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(tp)[0])
    if origin in (typing.Union, types.UnionType):
        return [t for a in typing.get_args(tp) for t in _unwrap(a)]
    return [tp]


def _model_at(root: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """Which model class stands at `loc` inside `root` (to list its fields)."""
    current: list[Any] = [root]
    for part in loc:
        nxt: list[Any] = []
        for tp in current:
            if isinstance(tp, type) and issubclass(tp, BaseModel):
                if isinstance(part, str) and part in tp.model_fields:
                    nxt.extend(_unwrap(tp.model_fields[part].annotation))
            else:
                origin = typing.get_origin(tp)
                args = typing.get_args(tp)
                if origin is list and isinstance(part, int):
                    nxt.extend(_unwrap(args[0]))
                elif origin is dict and isinstance(part, str):
                    nxt.extend(_unwrap(args[1]))
        current = nxt
    for tp in current:
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            return tp
    return None


def _message(err: dict[str, Any], loc: Loc, source: SourceMap, root: type[BaseModel],
             prefix: Loc = ()) -> tuple[str, bool]:
    """Plain-worded message for one pydantic error; second item: point at the key, not the value."""
    kind = err["type"]
    value = err.get("input")
    raw = source.raw.get(loc)
    if kind == "extra_forbidden":
        parent = _model_at(root, loc[len(prefix):-1])
        name = str(loc[-1])
        hint = ""
        if parent is not None:
            close = closest(name, parent.model_fields)
            if close:
                hint = f": did you mean {close!r}?"
            else:
                hint = f" (known fields: {', '.join(parent.model_fields)})"
        return f"unknown field {name!r}{hint}", True
    if kind == "missing":
        return "this field is required but missing", True
    if kind == "string_type":
        shown = raw if raw is not None else _describe(value)
        if isinstance(value, (bool, int, Decimal, dt.date)):
            return f"expected text, but the unquoted value {shown} is read as {_describe(value)}: " \
                   f"put it in quotes ('{shown}')", False
        return f"expected text, got {_describe(value)}", False
    if kind in ("int_type", "int_parsing"):
        return f"expected a whole number, got {_describe(value)}", False
    if kind in ("decimal_type", "decimal_parsing", "is_instance_of"):
        return f"expected a number, got {_describe(value)}", False
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, got {_describe(value)}", False
    if kind in ("date_type", "date_parsing", "date_from_datetime_parsing"):
        return f"expected a date written YYYY-MM-DD (e.g. 2018-10-01), got {_describe(value)}", False
    if kind == "list_type":
        return f"expected a list (lines starting with '- '), got {_describe(value)}", False
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"expected a mapping of fields (key: value lines), got {_describe(value)}", False
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return f"{_describe(value)} is not allowed here; expected {expected}", False
    if kind == "value_error":
        msg = str(err.get("ctx", {}).get("error", err["msg"]))
        return msg, False
    if kind == "too_short":
        return f"needs at least {err.get('ctx', {}).get('min_length', 1)} item(s)", False
    if kind == "too_long":
        return f"allows at most {err.get('ctx', {}).get('max_length')} item(s)", False
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        return f"{_describe(value)} is out of range: {err['msg'].lower()}", False
    return err["msg"], False


def validate(model: type[M], loaded: Loaded, prefix: Loc = ()) -> tuple[M | None, list[Problem]]:
    """Validate `loaded.data[prefix]` as `model`; every problem comes back located."""
    problems = [p for p in loaded.problems if in_scope(p, prefix)]
    if loaded.data is None:
        return None, problems
    data = loaded.data
    for part in prefix:
        data = data[part]
    try:
        obj = model.model_validate(data)
    except ValidationError as exc:
        seen: set[tuple[Loc, str]] = set()
        # A value the loader already refused (a YAML trap) is not reported a second time.
        trapped = [p.field for p in problems]
        for err in exc.errors(include_url=False):
            loc: Loc = prefix + tuple(p for p in err["loc"] if p != "[key]")
            here = dotted(loc)
            if any(here == f or here.startswith((f + ".", f + "[")) for f in trapped if f):
                continue
            msg, at_key = _message(err, loc, loaded.source, model, prefix)
            if (loc, msg) in seen:
                continue
            seen.add((loc, msg))
            problems.append(loaded.source.problem(loc, msg, key=at_key or "[key]" in err["loc"]))
        return None, sorted(problems)
    if problems:  # YAML traps found while reading: the record must not be used
        return None, problems
    return obj, problems
