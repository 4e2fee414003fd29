"""The keys of practice.yaml as the schema defines them (``schema.Practice`` and the models it
nests), in its order, each with its group: what the studio's practice form and the file
`leaflet-gen new-practice` writes are made from. A key added to the schema shows up in both
without a list of keys to keep elsewhere.

A key's group is the key of the nested model it sits in (``contact.phone``: contact); a
top-level key's group is its ``schema.Group`` mark, else "practice". Groups come in the order of
their first key.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass

from pydantic import BaseModel

from leaflet_gen.content import schema

OWN_GROUP = "practice"  # a top-level key without a Group mark


@dataclass(frozen=True)
class Key:
    """One leaf key of practice.yaml."""

    key: str  # dotted, e.g. "contact.phone"
    required: bool  # the key and every mapping above it are required
    description: str  # the schema's docstring of the field
    group: str
    example: object | None  # the schema's first example (None: it gives none)


def practice_keys() -> list[Key]:
    """Every leaf key of practice.yaml, in the schema's order."""
    schema.documented()
    return list(_walk(schema.Practice, "", True, None))


def translation_keys(languages) -> list[Key]:
    """The keys of ``translations`` (schema.PracticeTexts) for each of ``languages``, in the group
    "translations": ``translations.en.opening_hours``, ... (the studio's form shows those of the
    languages the project has translations in; ``practice_keys`` has none: one key per language)."""
    schema.documented()
    return [Key(f"translations.{language}.{name}", False, " ".join((info.description or "").split()), "translations",
                info.examples[0] if info.examples else None)
            for language in languages for name, info in schema.PracticeTexts.model_fields.items()]


def mapping_description(key: str) -> str:
    """The schema's docstring of a nested mapping ("colours", "colours.cmyk")."""
    schema.documented()
    model: type[BaseModel] = schema.Practice
    *parents, last = key.split(".")
    for part in parents:
        model = _model_of(model.model_fields[part].annotation)
    return model.model_fields[last].description or ""


def groups(keys: list[Key]) -> list[tuple[str, list[Key]]]:
    """The keys by group, the groups in the order of their first key."""
    out: dict[str, list[Key]] = {}
    for key in keys:
        out.setdefault(key.group, []).append(key)
    return list(out.items())


def _walk(model: type[BaseModel], prefix: str, required: bool, group: str | None):
    for name, info in model.model_fields.items():
        key = prefix + name
        here = required and info.is_required()
        if typing.get_origin(_bare(info.annotation)) is dict:
            continue  # per language (translations): not one key of the form, kept as the file has it
        nested = _model_of(info.annotation)
        if nested is not None:
            yield from _walk(nested, key + ".", here, group or name)
            continue
        mark = next((m.name for m in info.metadata if isinstance(m, schema.Group)), OWN_GROUP)
        yield Key(key, here, " ".join((info.description or "").split()), group or mark,
                  info.examples[0] if info.examples else None)


def _bare(annotation):
    """The type an ``Annotated`` annotation holds."""
    return typing.get_args(annotation)[0] if typing.get_origin(annotation) is typing.Annotated else annotation


def _model_of(annotation) -> type[BaseModel] | None:
    """The model an annotation holds (through Optional and Annotated), if any."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _model_of(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return next((m for m in map(_model_of, typing.get_args(annotation)) if m is not None), None)
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None
