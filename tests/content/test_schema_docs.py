"""Item 7 of issue 15: the schema documents itself; docs/ follows it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from leaflet_gen.content import schema
from leaflet_gen.tools import schema_docs

MODELS = [m for m in vars(schema).values()
          if isinstance(m, type) and issubclass(m, schema.Schema) and m is not schema.Schema]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_schema_field_has_a_description(model):
    schema.documented()
    missing = [name for name, info in model.model_fields.items() if not (info.description or "").strip()]
    assert not missing, f"{model.__name__}: fields without a description: {missing}"


@pytest.mark.parametrize("rel", sorted(schema_docs.DOCS))
def test_format_docs_are_generated_from_the_schema(rel):
    path = schema_docs.ROOT / rel
    text = path.read_text(encoding="utf-8")
    assert text == schema_docs.render(text, schema_docs.DOCS[rel]), (
        f"{rel} is out of date: run `python -m leaflet_gen.tools.schema_docs`")


def test_the_json_schema_carries_the_descriptions():
    schema.documented()
    properties = schema.Practice.model_json_schema()["properties"]
    assert "printed on the leaflet" in properties["name"]["description"]


def test_descriptions_are_read_only_when_asked_for():
    """Reading the source for them cost every command's start ~45 ms: a fresh import has none."""
    code = ("from leaflet_gen.content import schema; d = schema.Practice.model_fields['name'].description; "
            "schema.documented(); print(d, '|', schema.Practice.model_fields['name'].description)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    before, after = out.split(" | ")
    assert before == "None" and "printed on the leaflet" in after
