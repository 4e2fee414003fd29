"""The JSON Schemas in schemas/: up to date, on every shipped file's first line, and agreeing with check.

An editor's yaml-language-server reads YAML 1.2, where an unquoted date is a string: the files are
loaded the same way here, then validated with the `jsonschema` library as the editor would.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import jsonschema
import pytest
import yaml

from leaflet_gen import theme
from leaflet_gen.content import jsonschemas
from leaflet_gen.content.project import Project
from leaflet_gen.content.validate import parse
from leaflet_gen.content.yamlio import dotted, load_yaml
from leaflet_gen.errors import ValidationFailed

ROOT = Path(__file__).resolve().parents[2]


class EditorLoader(yaml.SafeLoader):
    """YAML as yaml-language-server reads it: dates stay text."""


EditorLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def shipped_files() -> list[Path]:
    found = [*ROOT.glob("content/*/*.yaml"), *ROOT.glob("practices/*/practice.yaml"), *ROOT.glob("variants/*.yaml"),
             *ROOT.glob("leaflet-gen.yml"), *ROOT.glob("catalogue*.yaml")]
    return sorted(found)


def builtin_variants() -> list[Path]:
    return sorted((theme.BUILTIN / "variants").glob("*.yaml"))


def validator(kind: str) -> jsonschema.Draft202012Validator:
    schema = jsonschemas.json_schema(kind)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def schema_keys(kind: str, data) -> list[str]:
    """Where the schema rejects ``data``, as check's dotted key (an unexpected key: the key itself)."""
    keys = []
    errors = list(validator(kind).iter_errors(data))
    while errors:  # a block is one of several types (oneOf): the member's own errors are in .context
        error = errors.pop(0)
        errors += error.context or []
        path = tuple(error.absolute_path)
        if error.validator == "additionalProperties":
            path += tuple(re.findall(r"'([^']+)' was unexpected", error.message))
        elif error.validator == "required":
            path += tuple(re.findall(r"^'([^']+)' is a required property", error.message))
        elif error.validator == "dependentRequired":
            path += tuple(re.findall(r"^'([^']+)' is a dependency", error.message))
        keys.append(dotted(path))
    return keys


def test_schemas_folder_is_up_to_date():
    assert jsonschemas.stale(ROOT) == [], "schemas/ is out of date: run `leaflet-gen schema --write`"


def test_every_field_is_described():
    def walk(node, where):
        if isinstance(node, dict):
            for name, prop in node.get("properties", {}).items():
                assert prop.get("description"), f"{where}.{name} has no description (a docstring in schema.py)"
            for key, value in node.items():
                walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for item in node:
                walk(item, where)

    for kind in jsonschemas.KINDS:
        walk(jsonschemas.json_schema(kind), kind)


@pytest.mark.parametrize("path", shipped_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_shipped_file_names_its_schema_and_validates(path):
    kind = jsonschemas.kind_of(ROOT, path)
    assert kind is not None
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == jsonschemas.modeline(ROOT, path, kind)
    schema_file = (path.parent / first.split("$schema=", 1)[1]).resolve()
    assert schema_file == ROOT / jsonschemas.schema_path(kind) and schema_file.is_file()
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=EditorLoader)  # noqa: S506 - a SafeLoader
    assert schema_keys(kind, data) == []


@pytest.mark.parametrize("path", builtin_variants(), ids=lambda p: p.name)
def test_a_builtin_variant_copied_into_a_project_names_its_schema_and_validates(path):
    # Its first line is right where a project keeps its own copy (variants/<id>.yaml, to change it).
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == jsonschemas.modeline(ROOT, ROOT / "variants" / path.name, "variant")
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=EditorLoader)  # noqa: S506 - a SafeLoader
    assert schema_keys("variant", data) == []


def test_the_cli_prints_and_writes_the_schemas(mini):
    printed = mini.run("schema", "topic")
    assert printed.exit_code == 0 and printed.stdout == jsonschemas.render("topic")
    written = mini.run("schema", "--write")
    assert written.stdout.split() == [str(jsonschemas.schema_path(k)) for k in jsonschemas.KINDS]
    assert mini.run("schema", "--write").stderr.strip() == "schemas/ is up to date."
    bad = mini.run("schema", "poster")
    assert bad.exit_code == 2 and 'unknown kind "poster"; expected one of: settings, practice, topic' in bad.stderr


# (kind, file in the mini project, valid text -> broken text): each is rejected by the schema and by
# check, at the same key.
BROKEN = [
    ("practice", "practices/test/practice.yaml", ('primary: "#1B6E8C"', 'primary: "blauw"'), "colours.primary"),
    ("practice", "practices/test/practice.yaml", ("name:", "nmae:"), "nmae"),
    ("practice", "practices/test/practice.yaml", ("audiences: [fysiotherapie]", "audiences: []"), "audiences"),
    ("topic", "content/demo/topic.yaml", ('version: "1.0"\n', ""), "version"),
    ("topic", "content/demo/topic.yaml", ("status: approved", "status: klaar"), "status"),
    ("topic", "content/demo/topic.yaml", ("flow: [uitleg]", "flow: [Uitleg]"), "audiences.fysiotherapie.flow[0]"),
    ("section", "content/demo/uitleg.yaml", ("- type: list", "- type: list\n    icon: tillen"), "blocks[1]"),
    ("section", "content/demo/huisarts.yaml", ("blocks:", "bloks:"), "bloks"),
    ("variant", "variants/office.yaml", ("bleed: 0", "bleed: -3"), "bleed"),
    ("settings", "leaflet-gen.yml", ("voice: je", "voice: jij"), "audiences[0].voice"),
]


@pytest.mark.parametrize("kind, rel, change, key", BROKEN, ids=[f"{b[0]}-{b[3]}" for b in BROKEN])
def test_a_broken_file_is_rejected_for_the_same_reason_as_check(mini, kind, rel, change, key):
    mini.write("leaflet-gen.yml", textwrap.dedent("""\
        audiences:
          - {id: fysiotherapie, name: Fysiotherapie, voice: je}
        """))
    path = mini.root / rel if (mini.root / rel).exists() else mini.override(rel)  # a theme file: the project's copy
    text = path.read_text(encoding="utf-8")
    assert change[0] in text, change
    path.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")

    data = yaml.load(path.read_text(encoding="utf-8"), Loader=EditorLoader)  # noqa: S506 - a SafeLoader
    assert key in schema_keys(kind, data)

    model = jsonschemas.KINDS[kind][0]
    context = None if kind == "settings" else Project.open(mini.root).context()
    with pytest.raises(ValidationFailed) as caught:
        parse(load_yaml(path, rel), model, context)
    assert key in [p.key for p in caught.value.problems]
    if kind != "variant":  # check reports the same problem to the user, with file and line
        assert re.search(rf"^{re.escape(rel)}:\d+(:\d+)? {re.escape(key)}: ", mini.run("check").stderr, re.M)


def test_the_wizard_writes_the_schema_line_and_a_valid_file(mini):
    from leaflet_gen import api

    answers = {"name": "Fysio Oost", "address": "Oostweg 1, 1234 AB Utrecht", "phone": "030 123 45 67",
               "primary": "#1B6E8C", "logo": str(mini.root / "practices/test/logo.svg"), "audiences": "all"}
    result = api.new_practice(mini.root, answers)
    text = result.practice_file.read_text(encoding="utf-8")
    assert text.splitlines()[0] == jsonschemas.modeline(mini.root, result.practice_file, "practice")
    assert schema_keys("practice", yaml.load(text, Loader=EditorLoader)) == []  # noqa: S506 - a SafeLoader
