"""Turn pydantic's validation errors into located, plain-language problems.

Each problem reads ``file:line:column key.path: what was expected, what was found`` and, for
unknown keys, suggests the closest allowed key, so a typo never passes silently.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from leaflet_gen.content.yamlio import KeyPath, YamlDoc, dotted
from leaflet_gen.errors import Problem, ValidationFailed
from leaflet_gen.i18n import msg, nmsg

M = TypeVar("M", bound=BaseModel)

_MAPPING = msg("expected a mapping (indented key: value lines)")
_DATE = msg("expected a date like 2026-11-01")
_EXPECTED = {
    "string_type": msg("expected text"),
    "int_type": msg("expected a whole number"),
    "int_parsing": msg("expected a whole number"),
    "float_type": msg("expected a number"),
    "float_parsing": msg("expected a number"),
    "bool_type": msg("expected true or false"),
    "bool_parsing": msg("expected true or false"),
    "list_type": msg("expected a list (lines starting with \"- \")"),
    "dict_type": _MAPPING,
    "model_type": _MAPPING,
    "model_attributes_type": _MAPPING,
    "date_type": _DATE,
    "date_parsing": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": msg("expected a date like 2026-11-01 (no time)"),
}
# A number out of range, by pydantic's error type.
_LIMITS = {
    "greater_than": msg("expected a number greater than %(limit)s, got %(got)s"),
    "greater_than_equal": msg("expected a number greater than or equal to %(limit)s, got %(got)s"),
    "less_than": msg("expected a number less than %(limit)s, got %(got)s"),
    "less_than_equal": msg("expected a number less than or equal to %(limit)s, got %(got)s"),
}


def _shown(value: Any) -> str:
    if isinstance(value, str):
        text = value if len(value) <= 60 else value[:57] + "..."
        return f'"{text}"'
    if value is None:
        return msg("nothing")
    if isinstance(value, dict):
        return msg("a mapping")
    if isinstance(value, list):
        return msg("a list")
    return repr(value)


def _unwrap(annotation: Any) -> list[Any]:
    """The concrete types an annotation may hold (Optional, Annotated and unions flattened)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        out: list[Any] = []
        for arg in typing.get_args(annotation):
            out.extend(_unwrap(arg))
        return out
    return [annotation]


def field_for(model: type[BaseModel], key: object) -> str | None:
    """The field a YAML key sets: its name, or one of its accepted spellings (validation aliases)."""
    if key in model.model_fields:
        return str(key)
    for name, info in model.model_fields.items():
        alias = info.validation_alias
        if key in (getattr(alias, "choices", None) or [alias]):
            return name
    return None


def _walk(model: type[BaseModel], loc: tuple) -> tuple[KeyPath, type[BaseModel] | None, Any]:
    """Follow a pydantic error location through the schema.

    Returns the YAML key path (union tags removed), the model class that owns the last key, and
    the annotation found there. Needed because discriminated unions add their tag to ``loc``.
    """
    path: list[str | int] = []
    candidates: list[Any] = [model]
    owner: type[BaseModel] | None = model
    for part in loc:
        if part == "[key]":  # the mapping key itself failed (an unknown audience): its path is enough
            candidates = []
            continue
        nxt: list[Any] = []
        consumed = False
        for cand in candidates:
            origin = typing.get_origin(cand)
            if isinstance(cand, type) and issubclass(cand, BaseModel):
                name = field_for(cand, part) if isinstance(part, str) else None
                if name is not None:
                    owner = cand
                    nxt.extend(_unwrap(cand.model_fields[name].annotation))
                    consumed = True
            elif origin in (list, tuple) and isinstance(part, int):
                nxt.extend(_unwrap(typing.get_args(cand)[0]))
                consumed = True
            elif origin is dict and isinstance(part, str):
                nxt.extend(_unwrap(typing.get_args(cand)[1]))
                consumed = True
        if consumed:
            path.append(part)
            candidates = nxt
            continue
        # A discriminated-union tag: narrow to the member whose `type` literal matches.
        tagged = [
            c for c in candidates
            if isinstance(c, type) and issubclass(c, BaseModel) and "type" in c.model_fields
            and part in typing.get_args(c.model_fields["type"].annotation)
        ]
        if tagged:
            candidates = tagged
            owner = tagged[0]
            continue
        path.append(part)
        # An unknown key: its owner is the model it was found in.
        owner = next((c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)), owner)
        candidates = []
    models = [c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)]
    return tuple(path), owner, (models[0] if models else None)


def describe(err: dict, expected: dict[str, str] = _EXPECTED) -> str:
    """What one pydantic error expected and what it found, in plain words (``expected``: the
    words for a wrong type, by pydantic's error type)."""
    kind, value = err["type"], err.get("input")
    if kind == "literal_error":
        return msg("expected one of %(expected)s, got %(got)s", expected=err.get("ctx", {}).get("expected", ""),
                   got=_shown(value))
    if kind == "value_error":
        error = err.get("ctx", {}).get("error")
        if isinstance(error, Exception) and len(error.args) == 1 and isinstance(error.args[0], str):
            return error.args[0]  # the validator's message (a catalogue message: it translates)
        return str(error if error is not None else err["msg"])
    if kind == "too_short":
        least = err["ctx"].get("min_length", 1)
        return nmsg("expected at least %(n)s item(s), got %(got)s", "expected at least %(n)s item(s), got %(got)s",
                    least, got=len(value or []))
    if kind == "string_too_long":
        return msg("text is too long: at most %(max)s characters", max=err["ctx"]["max_length"])
    if kind in _LIMITS:  # "Input should be greater than 0": the limit as pydantic writes it
        return msg(_LIMITS[kind].msgid, limit=err["msg"].rsplit(" ", 1)[-1], got=_shown(value))
    if kind in expected:
        return msg("%(expected)s, got %(got)s", expected=expected[kind], got=_shown(value))
    return msg("%(expected)s, got %(got)s", expected=err["msg"], got=_shown(value))


def problems_from(doc: YamlDoc, model: type[BaseModel], exc: ValidationError) -> list[Problem]:
    problems: list[Problem] = []
    for err in exc.errors(include_url=False):
        keypath, owner, target = _walk(model, tuple(err["loc"]))
        kind = err["type"]
        value = err.get("input")
        if kind == "missing":
            pos_path = keypath[:-1]
            line, col = doc.locate(pos_path)
            problems.append(Problem(doc.display, msg("required key is missing; add it"), line, col, dotted(keypath)))
            continue
        if kind == "extra_forbidden":
            key = keypath[-1]
            allowed = sorted(owner.model_fields) if owner else []
            close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
            message = msg('unknown key; did you mean "%(close)s"?', close=close[0]) if close else \
                msg("unknown key; allowed keys: %(allowed)s", allowed=", ".join(allowed))
            line, col = doc.positions.get(keypath + ("<key>",), doc.locate(keypath))
            problems.append(Problem(doc.display, message, line, col, dotted(keypath)))
            continue
        if kind == "union_tag_invalid":
            tag = err.get("ctx", {}).get("tag", value)
            expected = err.get("ctx", {}).get("expected_tags", "")
            tags = [t.strip().strip("'") for t in str(expected).split(",")]
            close = difflib.get_close_matches(str(tag), tags, n=1, cutoff=0.5)
            if close:
                message = msg('unknown block type "%(tag)s"; expected one of: %(tags)s; did you mean "%(close)s"?',
                              tag=tag, tags=", ".join(tags), close=close[0])
            else:
                message = msg('unknown block type "%(tag)s"; expected one of: %(tags)s', tag=tag, tags=", ".join(tags))
            problems.append(doc.problem(keypath + ("type",), message))
            continue
        if kind == "union_tag_not_found":
            problems.append(doc.problem(keypath, msg('required key "type" is missing (e.g. type: paragraph)')))
            continue
        message = describe(err)
        if "[key]" in err["loc"] and keypath + ("<key>",) in doc.positions:  # point at the key, not its value
            line, col = doc.positions[keypath + ("<key>",)]
            problems.append(Problem(doc.display, message, line, col, dotted(keypath)))
            continue
        problems.append(doc.problem(keypath, message))
    return problems


def parse(doc: YamlDoc, model: type[M], context: dict | None = None) -> M:
    """Validate ``doc`` against ``model`` or raise :class:`ValidationFailed` with every problem.

    ``context``: the project's data the schema checks against (its audiences, see Project.context).
    """
    try:
        return model.model_validate(doc.data, context=context)
    except ValidationError as exc:
        problems = problems_from(doc, model, exc)
        problems.sort(key=lambda p: (p.line or 0, p.column or 0))
        raise ValidationFailed(problems) from None


def schema_check(annotation: Any) -> Callable[[str], Any]:
    """Validate with the schema's own annotated type, so the wizard can never accept what
    ``practice.yaml`` would refuse, and shows the schema's own message with its example."""
    adapter = TypeAdapter(annotation)

    def check(value: str) -> Any:
        try:
            return adapter.validate_python(value)
        except ValidationError as exc:
            error = exc.errors(include_url=False)[0]
            if error["type"] == "value_error":
                raise ValueError(str(error["ctx"]["error"])) from None
            if error["type"] == "string_too_long":
                limit = error["ctx"]["max_length"]
                raise ValueError(f"that is {len(value)} characters; at most {limit} fit") from None
            raise ValueError(error["msg"]) from None

    return check
