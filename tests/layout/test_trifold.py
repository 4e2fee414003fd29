"""The shipped tri-fold leaflets, read back from the PDF: sheets, boxes, fonts, panels, facts."""

from __future__ import annotations

import io
import re

import pytest
from conftest import ROOT
from pypdf import PdfReader

from leaflet_gen.pdf.reader import chars, text_in

BLEED = 3.0
SLUG = 12.0  # trim origin on the sheet: marks sit in the slug around the 3 mm bleed
SHEET_W, SHEET_H = 297.0, 210.0
FOLDS = {0: (97.0, 197.0), 1: (100.0, 200.0)}  # outside sheet, inside sheet
# Panel x-ranges on each sheet (trim coordinates, mm), from design.md.
PANELS = {
    "flap": (0, 0, 97), "back": (0, 97, 197), "cover": (0, 197, 297),
    "inside-left": (1, 0, 100), "inside-middle": (1, 100, 200), "tuck-in": (1, 200, 297),
}
FACTS = {
    "fysiotherapie": ["lumbago", "minder dan 1 op de 100", "3 maanden", "LRS", "hernia", "TENS", "interferentie",
                      "thuisarts.nl", "huisarts", "samen", "massage", "manipulatie", "mobilisatie",
                      "Cesar", "Mensendieck", "roken", "wandelen", "zwemmen", "fietsen",
                      # the brief made precise (2026-12-06): sometimes, as much as possible, can also end
                      "Dan kan het soms terugkomen", "zo veel mogelijk zelf actief",
                      "Je kunt ook stoppen als je klachten niet genoeg minder worden",
                      # the brief's strength: rare is "heel soms", a permission stays "kan"/"lijkt"
                      "Heel soms is er een andere oorzaak", "Heel soms gaat het om LRS",
                      "onderzoekt je hier speciaal op", "lijkt het te maken te hebben",
                      "De therapeut kan je helpen om gedrag aan te leren of af te leren"],
    "orthopedie": ["paracetamol", "500 mg", "4 keer per dag", "ibuprofen", "diclofenac", "60", "NSAID",
                   "temazepam", "oxazepam", "diazepam", "4 weken", "bedrijfsarts", "zorgvoorbeweging.nl",
                   "thuisarts.nl", "NHG-Standaard Aspecifieke lagerugpijn", "ischias",
                   "aspecifieke lage rugpijn", "meer dan de helft", "kwartier", "psycholoog",
                   "platte schoenen", "draaistoel",
                   "Lig dan de eerste dagen een paar uur per dag",
                   "Vermoedelijk begint de pijn", "vermoedelijk werken de spieren",
                   # the brief made precise (2026-12-06): try to stand up, eventueel, can discuss
                   "Probeer dan op te staan met een rechte rug",
                   "u kunt eventueel gel met diclofenac of gel met ibuprofen op uw rug smeren",
                   "Met de bedrijfsarts kunt u oplossingen voor uw werk bespreken",
                   "geen tekenen dat een lichamelijke afwijking of beschadiging de oorzaak is"],
}
# What the leaflets must not say: claims the brief does not carry, or made stronger than it.
NOT_SAID = {
    "fysiotherapie": ["verwijzing", "verzekering", "Je stopt ook als"],
    "orthopedie": ["Nog beter", "Er is bijvoorbeeld geen hernia", "Bespreek oplossingen", "Sta op met een rechte rug",
                   "verwijzing"],
}


def panel_text(pdf, panel: str) -> str:
    page, left, right = PANELS[panel]
    return text_in(pdf, page, SLUG + left, SLUG + right)


def flat(text: str) -> str:
    """Panel text as one line: hyphenation at line ends undone, whitespace folded."""
    text = re.sub(r"(\w)[-\u00ad\u2010]\r?\n(\w)", r"\1\2", text)
    return re.sub(r"\s+", " ", text).replace("\u2010", "-")


@pytest.mark.parametrize("audience", ["fysiotherapie", "orthopedie"])
def test_two_a4_sheets_with_trim_and_bleed_boxes(shipped, audience):
    reader = PdfReader(shipped[audience])
    assert len(reader.pages) == 2
    mm = 72 / 25.4
    for page in reader.pages:
        media = [float(v) / mm for v in page.mediabox]
        trim = [float(v) / mm for v in page.trimbox]
        bleed = [float(v) / mm for v in page.bleedbox]
        assert media == pytest.approx([0, 0, SHEET_W + 2 * SLUG, SHEET_H + 2 * SLUG], abs=0.01)
        assert trim == pytest.approx([SLUG, SLUG, SLUG + SHEET_W, SLUG + SHEET_H], abs=0.01)
        assert bleed == pytest.approx([SLUG - BLEED, SLUG - BLEED, SLUG + SHEET_W + BLEED, SLUG + SHEET_H + BLEED],
                                      abs=0.01)


@pytest.mark.parametrize("audience", ["fysiotherapie", "orthopedie"])
def test_every_font_is_embedded_lato(shipped, audience):
    reader = PdfReader(shipped[audience])
    fonts = {}
    for page in reader.pages:
        for xobj in page["/Resources"]["/XObject"].values():
            for font in xobj.get_object()["/Resources"]["/Font"].values():
                font = font.get_object()
                descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
                descriptor = descendant["/FontDescriptor"].get_object()
                fonts[str(font["/BaseFont"])] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert fonts, "no fonts found"
    assert all(fonts.values()), fonts
    assert all(name.split("+")[-1].startswith("Lato") for name in fonts), fonts


@pytest.mark.parametrize("audience", ["fysiotherapie", "orthopedie"])
def test_title_on_cover_and_contact_block_on_back(shipped, audience):
    pdf = shipped[audience]
    cover = panel_text(pdf, "cover")
    assert "Lage rugpijn" in cover
    back = flat(panel_text(pdf, "back"))
    practice = {"fysiotherapie": "Fysiotherapie De Linde", "orthopedie": "Orthopedie"}[audience]
    assert practice in back
    assert re.search(r"Telefoon: 0\d{2} \d{3} \d{2} \d{2}", back), back
    assert "Versie 1.1" in back and "Bronnen:" in back
    for panel in ("flap", "inside-left", "inside-middle", "tuck-in"):
        assert "Telefoon:" not in panel_text(pdf, panel)


@pytest.mark.parametrize("audience", ["fysiotherapie", "orthopedie"])
def test_every_fact_of_the_brief_is_printed(shipped, audience):
    text = flat(" ".join(panel_text(shipped[audience], p) for p in PANELS))
    missing = [fact for fact in FACTS[audience] if fact.lower() not in text.lower()]
    assert [said for said in NOT_SAID[audience] if said.lower() in text.lower()] == []
    assert not missing


@pytest.mark.parametrize("audience", ["fysiotherapie", "orthopedie"])
def test_text_keeps_5mm_from_trim_and_folds(shipped, audience):
    offenders = []
    for c in chars(shipped[audience]):
        x0, x1, y0, y1 = c.x0 - SLUG, c.x1 - SLUG, c.y0 - SLUG, c.y1 - SLUG
        edges = (0.0, *FOLDS[c.page], SHEET_W)
        near = [e for e in edges if x0 < e + 5 and x1 > e - 5]
        if near or y0 < 5 or y1 > SHEET_H - 5:
            offenders.append((c.page, c.text, round(x0, 1), round(y0, 1)))
    assert not offenders


@pytest.mark.parametrize("audience", ["fysiotherapie", "orthopedie"])
def test_body_text_is_at_least_10pt(shipped, audience):
    all_chars = chars(shipped[audience])
    small = [c for c in all_chars if c.size < 9.95]
    body = [c for c in all_chars if c.size >= 9.95]
    assert len(body) > 3000
    # Only the colophon (version, review dates, sources) is small print, at the foot of the back.
    _, left, right = PANELS["back"]
    assert all(c.page == 0 and left + SLUG <= c.x0 and c.x1 <= right + SLUG for c in small)
    assert "".join(c.text for c in small).startswith("Versie")


@pytest.mark.parametrize("audience", ["fysiotherapie", "orthopedie"])
def test_no_panel_ends_with_a_heading(shipped, audience):
    import yaml

    content = ROOT / "content" / "lage-rugpijn"
    headings = set()
    for path in content.glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if path.name not in ("topic.yaml", "claims.yaml"):
            headings.add(data.get("title"))
            headings.update(b.get("title") for b in data["blocks"])
    headings.discard(None)
    for panel in ("flap", "inside-left", "inside-middle", "tuck-in"):
        lines = [line.strip() for line in panel_text(shipped[audience], panel).splitlines() if line.strip()]
        if lines:
            assert lines[-1] not in headings, (panel, lines[-1])


def test_cover_is_first_in_reading_order_on_the_right_of_the_outside_sheet(shipped):
    # Outside sheet: flap | back | cover; the cover sits on the right (x 197-297 mm).
    reader = PdfReader(shipped["fysiotherapie"])
    assert "/Pcover" in reader.pages[0]["/Resources"]["/XObject"]
    assert "/Ptuckin" in reader.pages[1]["/Resources"]["/XObject"]
    cover = panel_text(shipped["fysiotherapie"], "cover")
    assert "In het kort" in cover


def test_output_is_reproducible(mini, tmp_path):
    a = mini.run("build", "--output", str(tmp_path / "a"))
    b = mini.run("build", "--output", str(tmp_path / "b"))
    assert a.exit_code == 0 and b.exit_code == 0, a.output + b.output
    first = (tmp_path / "a" / "test" / "demo-fysiotherapie-trifold.pdf").read_bytes()
    second = (tmp_path / "b" / "test" / "demo-fysiotherapie-trifold.pdf").read_bytes()
    assert first == second
    info = PdfReader(io.BytesIO(first)).metadata
    assert info["/CreationDate"] == "D:20261101000000Z"
    assert info["/Title"] == "Lage rugpijn – Fysiotherapie Testpraktijk"
