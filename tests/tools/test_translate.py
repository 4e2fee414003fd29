"""`leaflet-gen translate`: XLIFF 1.2 export, import with the dose check, status and approval."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from helpers import ENGLISH_UNITS as ALL

NS = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
Q = "{urn:oasis:names:tc:xliff:document:1.2}"
STORED = "content/demo/translations/en.xlf"


def _units(path):
    root = ET.parse(path).getroot()
    return {u.get("id"): u for u in root.iterfind(".//x:trans-unit", NS)}


def _translate(path, targets: dict[str, str]):
    """What a translator's tool does: fill in targets (and mark them translated)."""
    tree = ET.parse(path)
    for unit in tree.getroot().iterfind(".//x:trans-unit", NS):
        if unit.get("id") in targets:
            target = unit.find("x:target", NS)
            target.text = targets[unit.get("id")]
            target.set("state", "translated")
    ET.register_namespace("", NS["x"])
    tree.write(path, encoding="utf-8", xml_declaration=True)




def test_export_writes_xliff_12_with_a_unit_per_printed_text(mini):
    result = mini.run("translate", "export", "--language", "en")
    assert result.exit_code == 0, result.output
    path = mini.root / STORED
    assert result.stdout.strip() == str(path)
    assert result.stderr.strip() == "en / demo: 11 units: 11 new, 0 need review, 0 translated, 0 approved"
    root = ET.parse(path).getroot()
    assert root.tag == Q + "xliff" and root.get("version") == "1.2"
    (file_el,) = root.findall("x:file", NS)
    assert (file_el.get("original"), file_el.get("source-language"), file_el.get("target-language")) == (
        "content/demo", "nl", "en")
    assert [c.tag for c in file_el] == [Q + "header", Q + "body"]
    units = _units(path)
    assert list(units) == list(ALL)
    unit = units["demo/huisarts/blocks[0].text"]
    assert unit.find("x:source", NS).text == "Gaat het na 4 weken niet beter? Bel dan je huisarts."
    assert unit.get("extradata").startswith("sha256:") and len(unit.get("extradata")) == 71
    assert unit.find("x:target", NS).get("state") == "new"


def test_round_trip_export_translate_import_status_approve(mini, tmp_path):
    agency = tmp_path / "demo-en.xlf"
    assert mini.run("translate", "export", "--language", "en", "--output", str(agency)).exit_code == 0
    assert not (mini.root / STORED).exists()  # --output: the stored file is not written
    _translate(agency, {k: v for k, v in ALL.items() if k != "demo/topic/title"})
    result = mini.run("translate", "import", str(agency))
    assert result.exit_code == 0, result.output
    assert result.stdout == ("en / demo: 10 translated, 0 translated from an older Dutch text (need review), "
                             "0 unchanged, 1 without a translation\n")
    status = mini.run("translate", "status")
    assert status.stdout == "en / demo: 1 new, 0 need review, 10 translated, 0 approved (of 11)\n"
    units = _units(mini.root / STORED)
    assert units["demo/huisarts/blocks[0].text"].find("x:target", NS).text == ALL["demo/huisarts/blocks[0].text"]
    assert units["demo/huisarts/blocks[0].text"].find("x:target", NS).get("state") == "translated"

    approved = mini.run("translate", "approve", "--language", "en", "--topic", "demo", "--by", "Dr. A. Smith")
    assert approved.exit_code == 0, approved.output
    assert approved.stdout.startswith("Approved 10 units of en / demo by Dr. A. Smith at 20")
    root = ET.parse(mini.root / STORED).getroot()
    (phase,) = root.iterfind(".//x:header/x:phase-group/x:phase", NS)
    assert (phase.get("phase-name"), phase.get("contact-name")) == ("approval-1", "Dr. A. Smith")
    unit = _units(mini.root / STORED)["demo/uitleg/title"]
    assert (unit.get("approved"), unit.get("phase-name"), unit.find("x:target", NS).get("state")) == (
        "yes", "approval-1", "signed-off")
    assert mini.run("translate", "status", "--language", "en").stdout == (
        "en / demo: 1 new, 0 need review, 0 translated, 10 approved (of 11)\n")

    # Exporting again keeps every target and state; importing the same file again changes nothing.
    before = (mini.root / STORED).read_bytes()
    assert mini.run("translate", "export", "--language", "en").exit_code == 0
    assert (mini.root / STORED).read_bytes() == before
    again = mini.run("translate", "import", str(agency))
    assert "0 translated" in again.stdout and "10 unchanged" in again.stdout
    assert (mini.root / STORED).read_bytes() == before


def test_a_changed_dose_is_refused_and_nothing_is_imported(mini, tmp_path):
    agency = tmp_path / "demo-en.xlf"
    mini.run("translate", "export", "--language", "en", "--output", str(agency))
    _translate(agency, {**ALL, "demo/huisarts/blocks[0].text": "Not better after 6 weeks? Call your GP.",
                        "demo/kort/blocks[0].items[1]": "Keep moving.",
                        "demo/uitleg/blocks[0].text": "See https://example.org about *lumbago*."})
    result = mini.run("translate", "import", str(agency))
    assert result.exit_code == 1
    assert result.stderr == (
        f'{agency} unit "demo/huisarts/blocks[0].text": the numbers differ: the Dutch source has 4, the translation 6\n'
        f'{agency} unit "demo/kort/blocks[0].items[1]": the markup differs: the Dutch source has 2 x **, 0 x *, '
        "0 link(s) [..](..), the translation 0 x **, 0 x *, 0 link(s) [..](..)\n"
        f'{agency} unit "demo/uitleg/blocks[0].text": the web addresses differ: the Dutch source has none, the '
        "translation https://example.org\n"
        f"{agency}: nothing was imported: 3 unit(s) refused. A translation keeps the numbers (a dose), web addresses, "
        "markup (**, *, [..](..)) and placeholders of its Dutch source: correct the units above and import the file "
        "again\n")
    assert not (mini.root / STORED).exists()


def test_a_changed_dutch_source_marks_the_unit_for_review(mini, tmp_path):
    agency = tmp_path / "demo-en.xlf"
    mini.run("translate", "export", "--language", "en", "--output", str(agency))
    _translate(agency, ALL)
    assert mini.run("translate", "import", str(agency)).exit_code == 0
    section = mini.root / "content/demo/huisarts.yaml"
    section.write_text(section.read_text(encoding="utf-8").replace("4 weken", "6 weken"), encoding="utf-8")
    assert mini.run("translate", "status").stdout == (
        "en / demo: 0 new, 1 need review, 10 translated, 0 approved (of 11)\n")
    assert mini.run("translate", "export", "--language", "en").exit_code == 0
    unit = _units(mini.root / STORED)["demo/huisarts/blocks[0].text"]
    assert unit.find("x:source", NS).text == "Gaat het na 6 weken niet beter? Bel dan je huisarts."
    assert unit.find("x:target", NS).text == ALL["demo/huisarts/blocks[0].text"]  # kept, for the reviewer
    assert unit.find("x:target", NS).get("state") == "needs-review-translation"
    # The old translation cannot be approved; a corrected one is imported and then approved.
    approved = mini.run("translate", "approve", "--language", "en", "--topic", "demo", "--by", "X")
    assert approved.exit_code == 0
    assert approved.stdout.endswith("now 0 new, 1 need review, 0 translated, 10 approved.\n")
    fresh = tmp_path / "fresh.xlf"
    mini.run("translate", "export", "--language", "en", "--output", str(fresh))
    _translate(fresh, {"demo/huisarts/blocks[0].text": "Not better after 6 weeks? Call your GP."})
    assert mini.run("translate", "import", str(fresh)).exit_code == 0
    assert mini.run("translate", "status").stdout == (
        "en / demo: 0 new, 0 need review, 1 translated, 10 approved (of 11)\n")


def test_a_translation_of_an_older_dutch_text_needs_review(mini, tmp_path):
    agency = tmp_path / "demo-en.xlf"
    mini.run("translate", "export", "--language", "en", "--output", str(agency))
    section = mini.root / "content/demo/uitleg.yaml"
    section.write_text(section.read_text(encoding="utf-8").replace("Houd je rug recht.", "Houd je rug heel recht."),
                       encoding="utf-8")
    _translate(agency, ALL)
    result = mini.run("translate", "import", str(agency))
    assert result.stdout.startswith("en / demo: 10 translated, 1 translated from an older Dutch text (need review)")
    assert mini.run("translate", "status").stdout == (
        "en / demo: 0 new, 1 need review, 10 translated, 0 approved (of 11)\n")


def test_approve_with_nothing_translated(mini):
    result = mini.run("translate", "approve", "--language", "tr", "--topic", "demo", "--by", "X")
    assert result.exit_code == 1
    assert result.stderr == ("Error: nothing to approve in tr / demo: no unit is translated and waiting for approval "
                             "(11 new, 0 need review, 0 approved already); import a translation first "
                             "(`leaflet-gen translate import FILE`)\n")


@pytest.mark.parametrize(("text", "message"), [
    (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><xliff version="1.2" '
     b'xmlns="urn:oasis:names:tc:xliff:document:1.2">&a;</xliff>',
     "refused: the file has a DTD or entities (DTDForbidden); XLIFF needs neither: export it again from the "
     "translation tool"),
    (b"<xliff", "is not well-formed XML (unclosed token: line 1, column 0)"),
    (b'<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0"/>',
     'is not an XLIFF 1.2 document (expected <xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">)'),
    (b'<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="content/demo" '
     b'source-language="nl" target-language="en" datatype="plaintext"><body><trans-unit id="demo/uitleg/title">'
     b'<source>Wat is lage rugpijn?</source><target>What is <g id="1">low</g> back pain?</target></trans-unit>'
     b"</body></file></xliff>",
     'trans-unit "demo/uitleg/title": <target> has inline elements (<g>); leaflet-gen\'s units are plain text with '
     "the markup (**, *, [..](..)) written as characters: keep it as text"),
])
def test_unsafe_or_foreign_files_are_refused(mini, tmp_path, text, message):
    path = tmp_path / "in.xlf"
    path.write_bytes(text)
    result = mini.run("translate", "import", str(path))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {path}: {message}\n"


def test_a_unit_not_in_the_topic_is_refused(mini, tmp_path):
    path = tmp_path / "in.xlf"
    path.write_text('<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="content/demo" '
                    'source-language="nl" target-language="en" datatype="plaintext"><body>'
                    '<trans-unit id="demo/weg/title"><source>Weg</source><target>Gone</target></trans-unit>'
                    "</body></file></xliff>", encoding="utf-8")
    result = mini.run("translate", "import", str(path))
    assert result.exit_code == 1
    assert result.stderr.startswith(f'{path} unit "demo/weg/title": is not a text of the topic now')


def test_bad_language(mini):
    result = mini.run("translate", "export", "--language", "English")
    assert result.exit_code == 1
    assert result.stderr == 'Error: "English" is not a language code: give one like en, tr, ar, pl or pt-BR\n'
    result = mini.run("translate", "status", "--language", "nl")
    assert result.stderr == 'Error: "nl" is the source language: Dutch is not translated\n'


def test_differences_keep_numbers_urls_markup_placeholders():
    from leaflet_gen.content.translations import differences

    dose = "Neem **maximaal 4 keer per dag 2 tabletten van 500 mg**. Zie [Thuisarts](https://www.thuisarts.nl)."
    assert differences(dose, "Take **at most 2 tablets of 500 mg 4 times a day**. See "
                             "[Thuisarts](https://www.thuisarts.nl).") == []
    assert differences("2,5 mg", "2.5 mg") == []  # the decimal sign may follow the language
    assert differences("500 mg", "٥٠٠ mg") == []  # Arabic-Indic digits are the same number
    assert differences(dose, dose.replace("500", "1000")) == [
        "the numbers differ: the Dutch source has 2, 4, 500, the translation 1000, 2, 4"]
    assert differences("Hallo {naam}", "Hello {name}") == [
        "the placeholders differ: the Dutch source has {naam}, the translation {name}"]


def test_a_round_trip_through_a_translation_tool_keeps_every_number(mini, tmp_path):
    """The agency's side done by translate-toolkit (the library under Pootle, Weblate and Virtaal):
    it reads our XLIFF, fills in targets and writes the file its own way; the import takes it, and
    every number, unit and address arrives as sent; a number the tool changed is refused."""
    from translate.storage.xliff import xlifffile

    agency = tmp_path / "agency.xlf"
    assert mini.run("translate", "export", "--language", "en", "--output", str(agency)).exit_code == 0
    store = xlifffile.parsefile(str(agency))
    def uid(unit):  # the tool names a unit by its file and id
        return unit.getid().split("\x04")[-1]

    assert [uid(u) for u in store.units] == list(ALL)
    for unit in store.units:
        unit.target = ALL[uid(unit)]
        unit.markfuzzy(False)
    store.savefile(str(agency))
    result = mini.run("translate", "import", str(agency))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("en / demo: 11 translated")
    units = _units(mini.root / STORED)
    assert units["demo/huisarts/blocks[0].text"].find("x:target", NS).text == "Not better after 4 weeks? Call your GP."

    store = xlifffile.parsefile(str(agency))
    changed = next(u for u in store.units if uid(u) == "demo/huisarts/blocks[0].text")
    changed.target = "Not better after 6 weeks? Call your GP."
    store.savefile(str(agency))
    before = (mini.root / STORED).read_bytes()
    refused = mini.run("translate", "import", str(agency))
    assert refused.exit_code == 1, refused.output
    assert f'{agency} unit "demo/huisarts/blocks[0].text": the numbers differ: the Dutch source has 4, the translation 6' in (
        refused.output)
    assert (mini.root / STORED).read_bytes() == before
