"""Language as a leaflet dimension (#33): a translation built from the Dutch source and its XLIFF file,
CONCEPT with a reason for what is missing, changed or not approved, the template's words and /Lang per
language, the Dutch leaflets untouched, the language check per language."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
from conftest import PRACTICE_YAML, ROOT
from helpers import ENGLISH_UNITS as ALL
from helpers import structure_nodes
from pypdf import PdfReader

from leaflet_gen import api
from leaflet_gen.pdf.reader import text_in

NS = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
STORED = "content/demo/translations/en.xlf"
SLUG = 12.0  # trim origin on a print sheet (tests/layout/test_trifold.py)
PANELS = {"flap": (0, 0, 97), "back": (0, 97, 197), "cover": (0, 197, 297),
          "inside-left": (1, 0, 100), "inside-middle": (1, 100, 200), "tuck-in": (1, 200, 297)}
# The words the templates print besides the content: never left in Dutch in an English leaflet.
DUTCH_WORDS = ("Versie", "gecontroleerd op", "volgende controle", "Bronnen", "Telefoon", "Scan de code", "Of ga naar",
               "CONCEPT", "Pagina")


def flat(text: str) -> str:
    text = re.sub(r"(\w)[-\u00ad\u2010]\r?\n(\w)", r"\1\2", text)
    return re.sub(r"\s+", " ", text).replace("\u2010", "-")


def panel_text(pdf, panel: str) -> str:
    page, left, right = PANELS[panel]
    return flat(text_in(pdf, page, SLUG + left, SLUG + right))


def _translated(mini, targets: dict[str, str], state: str = "translated"):
    """The stored en.xlf with ``targets`` filled in (as an import leaves them: state translated)."""
    assert mini.run("translate", "export", "--language", "en").exit_code == 0
    path = mini.root / STORED
    tree = ET.parse(path)
    for unit in tree.getroot().iterfind(".//x:trans-unit", NS):
        if unit.get("id") in targets:
            target = unit.find("x:target", NS)
            target.text = targets[unit.get("id")]
            target.set("state", state)
    ET.register_namespace("", NS["x"])
    tree.write(path, encoding="utf-8", xml_declaration=True)
    return path


def _build(mini, tmp_path, *extra):
    out = tmp_path / "out"
    result = mini.run("build", "--practice", "test", "--topic", "demo", "--output", str(out), *extra)
    return result, out / "test"


def test_a_translation_builds_in_its_language_and_prints_a_concept_mark(mini, tmp_path):
    _translated(mini, ALL)
    result, folder = _build(mini, tmp_path, "--language", "en")
    assert result.exit_code == 0, result.output
    pdf = folder / "demo-fysiotherapie-trifold-en.pdf"
    assert result.stdout.splitlines()[0] == str(pdf)
    assert not (folder / "demo-fysiotherapie-trifold.pdf").exists()  # only the language asked for
    cover, back = panel_text(pdf, "cover"), panel_text(pdf, "back")
    assert "Low back pain" in cover and "What you can do yourself" in cover
    assert "Phone: 030 123 45 67" in back and "Scan the code for more information or an appointment." in back
    assert "Version 1.0 · reviewed on November 1, 2026 · next review November 1, 2027" in back  # flat(): nbsp folded
    every = " ".join(panel_text(pdf, p) for p in PANELS)
    assert "DRAFT" in every
    assert not [w for w in DUTCH_WORDS if w in every]
    assert "Bend your knees." in every and "Buig" not in every
    reader = PdfReader(pdf)
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert "version 1.0" in reader.metadata["/Keywords"]
    # Every unit translated, none approved: the warning says so and how to approve.
    assert ('content/demo/translations/en.xlf this leaflet carries a "CONCEPT" mark: the en translation '
            "(content/demo/translations/en.xlf) is not approved: 11 of 11 unit(s) translated but not approved "
            "(approve them with `leaflet-gen translate approve --language en --topic demo --by NAME`)") in result.output


def test_the_screen_variant_is_tagged_in_its_language(mini, tmp_path):
    _translated(mini, ALL)
    result, folder = _build(mini, tmp_path, "--language", "en", "--variant", "screen")
    assert result.exit_code == 0, result.output
    reader = PdfReader(folder / "demo-fysiotherapie-screen-en.pdf")
    assert reader.trailer["/Root"]["/Lang"] == "en"
    text = flat(" ".join(page.extract_text() for page in reader.pages))
    assert "Page 1 of" in text and "Contact" in text and "Pagina" not in text


def test_an_approved_translation_prints_no_concept_mark_and_records_who(mini, tmp_path):
    _translated(mini, ALL)
    assert mini.run("translate", "approve", "--language", "en", "--topic", "demo", "--by", "Dr. A. Smith").exit_code == 0
    result, folder = _build(mini, tmp_path, "--language", "en")
    assert result.exit_code == 0, result.output
    assert "CONCEPT" not in result.output
    every = " ".join(panel_text(folder / "demo-fysiotherapie-trifold-en.pdf", p) for p in PANELS)
    assert "DRAFT" not in every and "Low back pain" in every
    from leaflet_gen.content.translated import translate_topic

    project = api.open_project(mini.root)
    _topic, state = translate_topic(project.load_topic("demo"), "fysiotherapie", "en", project.root)
    assert state.reason is None and [p.by for p in state.approvals] == ["Dr. A. Smith"]


def test_a_missing_unit_prints_its_dutch_source_with_a_concept_mark_naming_it(mini, tmp_path):
    _translated(mini, {k: v for k, v in ALL.items() if k != "demo/uitleg/blocks[1].items[0]"})
    result, folder = _build(mini, tmp_path, "--language", "en")
    assert result.exit_code == 0, result.output
    assert ("the en translation (content/demo/translations/en.xlf) is not approved: 1 of 11 unit(s) not translated, "
            "printed in Dutch: demo/uitleg/blocks[1].items[0]; 10 of 11 unit(s) translated but not approved") in result.output
    every = " ".join(panel_text(folder / "demo-fysiotherapie-trifold-en.pdf", p) for p in PANELS)
    assert "DRAFT" in every and "Buig je knieën." in every and "Keep your back straight." in every


def test_a_changed_dutch_source_prints_the_new_dutch_text_not_the_old_translation(mini, tmp_path):
    _translated(mini, ALL, state="signed-off")
    section = mini.root / "content/demo/huisarts.yaml"
    section.write_text(section.read_text(encoding="utf-8").replace("4 weken", "6 weken"), encoding="utf-8")
    result, folder = _build(mini, tmp_path, "--language", "en")
    assert result.exit_code == 0, result.output
    assert ("1 unit(s) changed in Dutch since they were translated, printed in Dutch until translated again: "
            "demo/huisarts/blocks[0].text") in result.output
    every = " ".join(panel_text(folder / "demo-fysiotherapie-trifold-en.pdf", p) for p in PANELS)
    assert "6 weken" in every and "4 weeks" not in every and "DRAFT" in every


def test_a_language_without_any_translation_is_refused(mini, tmp_path):
    result, _folder = _build(mini, tmp_path, "--language", "tr")
    assert result.exit_code == 1
    assert ('topic "demo" has no translation file in "tr": a leaflet in tr would be the Dutch one; translate it: '
            "`leaflet-gen translate export --language tr --topic demo --output FILE`") in result.output
    result, _folder = _build(mini, tmp_path, "--language", "english")
    assert result.exit_code == 2 and '--language "english" is not a language code' in result.output  # a usage error


def test_practice_languages_choose_what_the_default_build_makes_and_dutch_stays_byte_identical(mini, tmp_path):
    before = tmp_path / "before"
    assert mini.run("build", "--output", str(before)).exit_code == 0
    dutch = before / "test" / "demo-fysiotherapie-trifold.pdf"
    assert sorted(p.name for p in (before / "test").glob("*.pdf")) == [dutch.name]
    # A practice that hands out English too: the default build makes both, the Dutch one unchanged.
    _translated(mini, ALL)
    practice = mini.root / "practices/test/practice.yaml"
    practice.write_text(practice.read_text(encoding="utf-8") + "languages: [nl, en]\n", encoding="utf-8")
    after = tmp_path / "after"
    result = mini.run("build", "--output", str(after))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (after / "test").glob("*.pdf")) == sorted([dutch.name, "demo-fysiotherapie-trifold-en.pdf"])
    assert (after / "test" / dutch.name).read_bytes() == dutch.read_bytes()
    report = json.loads((after / "build-report.json").read_text())
    assert sorted((e["language"], e["status"]) for e in report["leaflets"]) == [("en", "built"), ("nl", "built")]
    # Incremental: an edited translation rebuilds the English leaflet only.
    _translated(mini, {**ALL, "demo/kort/blocks[0].items[0]": "Low back pain is very common."})
    again = json.loads((mini.run("build", "--output", str(after)), after / "build-report.json")[1].read_text())
    assert sorted((e["language"], e["status"]) for e in again["leaflets"]) == [("en", "built"), ("nl", "skipped")]


def test_a_practice_language_must_be_a_language_code(mini):
    practice = mini.root / "practices/test/practice.yaml"
    practice.write_text(practice.read_text(encoding="utf-8") + "languages: [nl, English, nl]\n", encoding="utf-8")
    result = mini.run("check")
    assert result.exit_code == 1
    assert 'expected a language code like "nl", "en", "tr", "ar" or "pt-BR", got "English"' in result.output


def test_check_reports_each_translation_with_its_own_dictionary_and_no_dutch_rules(mini):
    _translated(mini, {**ALL, "demo/uitleg/blocks[1].items[1]": "Keep your bakc straight (really) and/or u know."})
    result = mini.run("check")
    out = result.output
    assert "Language check of content/demo/translations/en.xlf in en" in out
    assert ('content/demo/translations/en.xlf demo/uitleg/blocks[1].items[1]: "bakc" is not in the English '
            "dictionary") in out
    # The Dutch B1 rules (brackets, and/or) and the je/u check are not applied to English.
    en_lines = [line for line in out.splitlines() if "translations/en.xlf" in line and line.startswith("Warning")]
    assert not [line for line in en_lines if "brackets" in line or "in a je-text" in line or "hard to read" in line]


def test_dates_are_written_as_each_language_does_and_never_break():
    import datetime as dt

    from leaflet_gen.layout.compose import date_nl, leaflet_date

    day = dt.date(2027, 11, 1)
    assert leaflet_date(day, "en") == "November\u00a01,\u00a02027"
    assert leaflet_date(day, "nl") == date_nl(day) == "1\u00a0november\u00a02027"
    assert leaflet_date(day, "pl") == "1\u00a0listopada\u00a02027"


@pytest.mark.parametrize("language,words", [
    ("nl", ["Versie 1.1 · gecontroleerd op", "Telefoon: 030 123 45 67", "Scan de code voor meer informatie"]),
    ("en", ["Version 1.1 · reviewed on", "Phone: 030 123 45 67", "Scan the code for more information"]),
])
def test_the_shipped_leaflet_in_each_language(tmp_path, language, words):
    built = api.build_leaflets(ROOT, practice="fysio-delinde", audience="orthopedie", topic="lage-rugpijn",
                               variant="trifold", language=language, output=tmp_path)
    (result,) = built.results
    back = panel_text(result.path, "back") + panel_text(result.path, "flap")
    assert all(w in back for w in words), back
    everything = " ".join(panel_text(result.path, p) for p in PANELS)
    if language == "en":
        # The dose and its strength exactly as the Dutch: at most, 4 times, 2 tablets of 500 mg; "eventueel".
        assert "at most 2 tablets of 500 mg, 4 times a day" in everything
        assert "if you wish, you could also rub gel with diclofenac" in everything
        assert "DRAFT" in everything and not [w for w in DUTCH_WORDS if w in everything]
        assert PdfReader(result.path).trailer["/Root"]["/Lang"] == "en"
    else:
        assert PdfReader(result.path).trailer["/Root"]["/Lang"] == "nl-NL"


def test_a_character_the_font_lacks_in_a_translation_is_named_by_its_unit(mini, tmp_path):
    _translated(mini, {**ALL, "demo/kort/blocks[0].items[0]": "Low back pain is common \u2713"})
    result, _folder = _build(mini, tmp_path, "--language", "en")
    assert result.exit_code == 1
    assert "content/demo/translations/en.xlf demo/kort/blocks[0].items[0]: the character" in result.output
    assert "is not in the font Lato" in result.output
    checked = mini.run("check")
    assert "content/demo/translations/en.xlf demo/kort/blocks[0].items[0]: the character" in checked.output


def _with_hours(mini, extra: str = "") -> None:
    """The mini practice with opening hours (in Dutch), handing out English too, and ``extra``."""
    practice = mini.root / "practices/test/practice.yaml"
    text = practice.read_text(encoding="utf-8").replace(
        '  website: "https://www.testpraktijk.nl"\n',
        '  website: "https://www.testpraktijk.nl"\n  opening_hours: "ma–vr 8.00–17.00 uur"\n')
    practice.write_text(text + "languages: [nl, en]\n" + extra, encoding="utf-8")


def test_the_practices_own_words_are_printed_in_the_leaflets_language(mini, tmp_path):
    _translated(mini, ALL)
    _with_hours(mini, 'translations:\n  en:\n    opening_hours: "Mon–Fri 8.00–17.00"\n'
                      '    logo_alt: "Logo of the Test practice: a tree"\n')
    result, folder = _build(mini, tmp_path)  # the practice's languages: nl and en
    assert result.exit_code == 0, result.output
    assert "Opening hours: Mon–Fri 8.00–17.00" in panel_text(folder / "demo-fysiotherapie-trifold-en.pdf", "back")
    assert "Bereikbaar: ma–vr 8.00–17.00 uur" in panel_text(folder / "demo-fysiotherapie-trifold.pdf", "back")
    assert "printed as written" not in result.output
    result, folder = _build(mini, tmp_path, "--language", "en", "--variant", "screen")
    assert result.exit_code == 0, result.output
    alts = {str(n.get("/Alt")) for n in structure_nodes(PdfReader(folder / "demo-fysiotherapie-screen-en.pdf").trailer["/Root"],
                                                       "/Figure")}
    assert "Logo of the Test practice: a tree" in alts


def test_without_its_words_in_a_language_the_practice_is_printed_as_written_and_the_build_says_so(mini, tmp_path):
    _translated(mini, ALL)
    _with_hours(mini, 'logo_alt: "Logo van de Testpraktijk: een boom"\n')
    result, folder = _build(mini, tmp_path, "--language", "en")
    assert result.exit_code == 0, result.output
    assert "Opening hours: ma–vr 8.00–17.00 uur" in panel_text(folder / "demo-fysiotherapie-trifold-en.pdf", "back")
    assert ("practices/test/practice.yaml contact.opening_hours: printed as written (nl) on this leaflet in en: give "
            "its text as translations.en.opening_hours") in flat(result.output)
    result, folder = _build(mini, tmp_path, "--language", "en", "--variant", "screen")
    assert result.exit_code == 0, result.output
    # The logo's description is the template's in English, not the Dutch one a screen reader would read out.
    alts = {str(n.get("/Alt")) for n in structure_nodes(PdfReader(folder / "demo-fysiotherapie-screen-en.pdf").trailer["/Root"],
                                                       "/Figure")}
    assert "Logo of Fysiotherapie Testpraktijk" in alts and not any("Logo van" in a for a in alts)


def test_the_practices_words_for_a_language_it_does_not_hand_out_are_a_warning_and_dutch_is_no_translation(mini):
    _with_hours(mini, 'translations:\n  fr:\n    opening_hours: "lun–ven 8h–17h"\n')
    result = mini.run("check")
    assert result.exit_code == 0, result.output
    assert ('translations.fr: not used: "fr" is not in languages (nl, en). Add it there to hand out leaflets in it, '
            "or remove these texts.") in flat(result.output)
    mini.write("practices/test/practice.yaml", PRACTICE_YAML)
    _with_hours(mini, 'translations:\n  nl:\n    opening_hours: "ma–vr"\n')
    result = mini.run("check")
    assert result.exit_code == 1
    assert ("nl is the language the values above are in: give the texts for nl there, and here only those of other "
            "languages") in flat(result.output)
