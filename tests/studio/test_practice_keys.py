"""practice.yaml's keys come from the schema alone: the studio's form groups and the file
`new-practice` writes follow schema.Practice, so a key added there reaches both without another edit."""

from __future__ import annotations

import pytest
import yaml
from studio_support import nl, schema_with_more

from leaflet_gen.content import fields, schema
from leaflet_gen.studio import editor
from leaflet_gen.studio.labels import GROUPS
from leaflet_gen.tools.wizard import practice_yaml

DATA = {"id": "fysio-oost", "name": "Fysio Oost", "logo": "logo.svg", "colours": {"primary": "#1B6E8C"},
        "contact": {"address": "Oostweg 1, 1234 AB Utrecht", "phone": "030 123 45 67"},
        "qr_url": "https://www.fysio-oost.nl/afspraak", "audiences": ["fysiotherapie"]}


def keys_by_group() -> list[tuple[str, list[str]]]:
    return [(group, [f.key for f in found]) for group, found in fields.groups(fields.practice_keys())]


def test_groups_are_the_nested_mappings_and_the_marks_in_the_schemas_order():
    assert keys_by_group() == [
        ("practice", ["id", "name", "logo", "logo_alt"]),
        ("colours", ["colours.primary", "colours.accent", "colours.cmyk.primary", "colours.cmyk.accent"]),
        ("contact", ["contact.address", "contact.phone", "contact.email", "contact.website", "contact.opening_hours",
                     "qr_url"]),  # qr_url: Group("contact")
        ("leaflets", ["audiences", "topics", "languages"]),
        ("print_shop", ["print_shop.marks", "print_shop.icc_profile"]),
    ]
    # The form's fieldsets are those groups, with their Dutch names, then the practice's own words
    # per language a leaflet can be printed in (translations: one key per language, not in the file's keys).
    form = [(nl(name), [f.key for f in found]) for name, found in editor.groups()]
    assert form[:-1] == [(nl(GROUPS[group]), keys) for group, keys in keys_by_group()]
    assert form[-1] == (nl(GROUPS["translations"]), [f"translations.{code}.{key}" for code in ("ar", "en", "pl", "tr")
                                                      for key in ("opening_hours", "logo_alt")])


def test_the_wizards_file_lists_the_keys_in_the_schemas_order_with_its_descriptions():
    text = practice_yaml(DATA)
    written = [line.split(":")[0].strip().lstrip("# ") for line in text.splitlines()[4:] if line.strip()]
    order = [f.key.split(".")[-1] for f in fields.practice_keys()]
    leaves = [k for k in written if k not in ("colours", "contact")]
    assert leaves == sorted(leaves, key=order.index)  # the schema's order
    loaded = yaml.safe_load(text)
    assert schema.Practice.model_validate(loaded).contact.phone == "030 123 45 67"
    phone = schema.Contact.model_fields["phone"].description.rstrip(".")
    assert f'  phone: "030 123 45 67"         # {phone}\n' in text
    assert '  # email: "info@praktijk.nl"    # E-mail address (optional); to use it, remove the # in front' in text
    assert "colours:                         # Brand colours" in text and "cmyk" not in text  # no values, no example


@pytest.fixture
def practice_with_more(monkeypatch):
    return schema_with_more(monkeypatch)


def test_a_key_added_to_the_schema_reaches_the_form_and_the_wizards_file(practice_with_more):
    groups = dict(keys_by_group())
    assert groups["contact"] == ["contact.address", "contact.phone", "contact.email", "contact.website",
                                 "contact.opening_hours", "contact.emergency_phone", "qr_url"]
    assert groups["practice"] == ["id", "name", "logo", "logo_alt", "slogan"]

    # The form: a text field in the contact fieldset (labelled with the schema's words until labels.py has Dutch ones).
    form = {nl(name): found for name, found in editor.groups()}
    added = next(f for f in form["Contact (achterkant van de folder)"] if f.key == "contact.emergency_phone")
    assert (added.kind, added.label, added.help) == ("text", "contact.emergency_phone",
                                                    "Phone number for emergencies outside opening hours.")
    assert "slogan" in [f.key for f in form["Praktijk"]]
    values = editor.form_values({**DATA, "contact": {**DATA["contact"], "emergency_phone": "0900 123 45 67"}})
    assert values["contact.emergency_phone"] == "0900 123 45 67"
    assert editor.draft_data(values)["contact"]["emergency_phone"] == "0900 123 45 67"

    # The wizard's file: a commented-out example without a value, the value with the schema's description.
    assert '  # emergency_phone: "0900 123 45 67"   # Phone number for emergencies outside opening hours; to use it' \
        in practice_yaml(DATA)
    data = {**DATA, "contact": {**DATA["contact"], "emergency_phone": "0900 123 45 67"}, "slogan": "Samen in beweging"}
    text = practice_yaml(data)
    lines = text.splitlines()
    at = lines.index('  emergency_phone: "0900 123 45 67"   # Phone number for emergencies outside opening hours')
    assert lines[at - 1].lstrip().startswith("# opening_hours:") and lines[at + 2].startswith("qr_url:")
    assert lines[-1] == 'slogan: "Samen in beweging"      # A line under the practice\'s name'  # last, as in the schema
    assert practice_with_more.model_validate(yaml.safe_load(text)).contact.emergency_phone == "0900 123 45 67"
