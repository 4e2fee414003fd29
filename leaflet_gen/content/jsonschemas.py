"""JSON Schema for every YAML file kind, generated from the pydantic models in schema.py.

Editors that run yaml-language-server (VS Code's YAML extension, Neovim, JetBrains, ...) read the
first line of a file, ``# yaml-language-server: $schema=<path>``, and then check and complete the
file while it is typed: unknown keys, missing required keys, wrong types, enum values, formats.
The schemas are written to ``schemas/`` (committed, so a fresh clone works without running
anything; a test fails when they are out of date) by ``leaflet-gen schema --write``.

They are generic: an audience is any id there (the project's own list lives in leaflet-gen.yml and
``check`` holds a file to it), so adding an audience needs no new schemas. ``check`` stays the
authority; the schema catches the same kinds of mistakes earlier, at the same key.
"""

from __future__ import annotations

import json
import os
from pathlib import Path, PurePosixPath

from leaflet_gen.content import schema
from leaflet_gen.content.settings import SETTINGS_FILE
from leaflet_gen.files import write_atomic

SCHEMA_DIR = "schemas"
DIALECT = "https://json-schema.org/draft/2020-12/schema"
# kind -> (model, where files of the kind live)
KINDS: dict[str, tuple[type[schema.Schema], str]] = {
    "settings": (schema.Settings, SETTINGS_FILE),
    "practice": (schema.Practice, "practices/<id>/practice.yaml"),
    "topic": (schema.Topic, "content/<topic>/topic.yaml"),
    "section": (schema.Section, "content/<topic>/<section>.yaml"),
    "claims": (schema.Claims, "content/<topic>/claims.yaml"),
    "variant": (schema.Variant, "variants/<id>.yaml"),
    "catalogue": (schema.Catalogue, "catalogue.yaml (any name, given to build --catalogue)"),
}


def schema_path(kind: str) -> PurePosixPath:
    """Where the schema of ``kind`` lives, relative to the project."""
    return PurePosixPath(SCHEMA_DIR) / f"{kind}.schema.json"


def json_schema(kind: str) -> dict:
    """The JSON Schema (draft 2020-12) of one file kind."""
    model, where = KINDS[kind]
    schema.documented()
    generated = model.model_json_schema(mode="validation")
    return {"$schema": DIALECT, "title": f"leaflet-gen {kind}: {where}", **{k: v for k, v in generated.items()
                                                                            if k != "title"}}


def render(kind: str) -> str:
    """The schema as written to schemas/: stable key order, one trailing newline."""
    return json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n"


def write_schemas(root: Path) -> list[Path]:
    """Write every kind's schema to ``root/schemas/``; returns the files that changed."""
    changed = []
    for kind in KINDS:
        path = root / schema_path(kind)
        text = render(kind)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            write_atomic(path, text.encode("utf-8"))
            changed.append(path)
    return changed


def stale(root: Path) -> list[str]:
    """The schema files under ``root/schemas/`` that are missing or differ from the models."""
    return [str(schema_path(k)) for k in KINDS
            if not (root / schema_path(k)).is_file()
            or (root / schema_path(k)).read_text(encoding="utf-8") != render(k)]


def modeline(root: Path, file: Path, kind: str) -> str:
    """The first line of a YAML file of ``kind`` at ``file``: where its schema is, relative to the
    file's folder (yaml-language-server resolves it from there, so the project can move)."""
    target = Path(os.path.relpath(root / schema_path(kind), file.parent))
    return f"# yaml-language-server: $schema={target.as_posix()}"


def kind_of(root: Path, file: Path) -> str | None:
    """The kind of a YAML file by where it is in the project (None: not a leaflet-gen file)."""
    try:
        parts = file.resolve().relative_to(root.resolve()).parts
    except ValueError:
        return None
    if parts == (SETTINGS_FILE,):
        return "settings"
    if len(parts) == 3 and parts[0] == "practices" and parts[2] == "practice.yaml":
        return "practice"
    if len(parts) == 3 and parts[0] == "content" and parts[2].endswith(".yaml"):
        return {"topic.yaml": "topic", schema.CLAIMS_FILE: "claims"}.get(parts[2], "section")
    if len(parts) == 2 and parts[0] == "variants" and parts[1].endswith(".yaml"):
        return "variant"
    if len(parts) == 1 and parts[0].startswith("catalogue") and parts[0].endswith((".yaml", ".yml")):
        return "catalogue"
    return None
