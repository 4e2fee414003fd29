"""Reading rules of issue #27, held in every variant of both shipped leaflets.

- no sentence of eight or more words is printed twice in one leaflet;
- a section marked keep_together (the medicines: a dose with its warnings) is on one panel or page;
- the screen PDF's headings never skip a level, and each link is one annotation with an area;
- a date never breaks across lines;
- the QR code keeps a quiet zone of at least 4 modules on every side.

Read back from the finished PDFs (PDFium for text, pypdf for structure), as a reader gets them.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
import yaml
from conftest import ROOT, SHIPPED
from pypdf import PdfReader
from test_reading import _page_lines, _panel_lines, _pdf
from test_trifold import PANELS

from leaflet_gen import theme
from leaflet_gen.content.lint import sentences, words

VARIANTS = sorted(p.stem for p in (theme.BUILTIN / "variants").glob("*.yaml"))
FOLDED = {v for v in VARIANTS if yaml.safe_load((theme.BUILTIN / "variants" / f"{v}.yaml").read_text(encoding="utf-8"))
          .get("panels")}
TAGGED = {v for v in VARIANTS if yaml.safe_load((theme.BUILTIN / "variants" / f"{v}.yaml").read_text(encoding="utf-8"))
          .get("pdf_variant") == "pdf/ua-1"}
CONTENT = ROOT / "content" / "lage-rugpijn"
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")


def _units(pdf, variant: str) -> list[str]:
    """The leaflet's text per panel (folded variants) or per page, as units a sentence cannot cross."""
    if variant in FOLDED:
        return [" ".join(_panel_lines(pdf, variant, panel)) for panel in PANELS]
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        return [" ".join(page.get_textpage().get_text_range().split()) for page in doc]
    finally:
        doc.close()


@pytest.mark.parametrize("audience", sorted(SHIPPED))
@pytest.mark.parametrize("variant", VARIANTS)
def test_no_long_sentence_is_printed_twice(shipped, variant_pdfs, audience, variant):
    units = _units(_pdf(shipped, variant_pdfs, audience, variant), variant)
    said = Counter(" ".join(words(s)).lower() for unit in units for s in sentences(unit.replace("•", " "))
                   if len(words(s)) >= 8)
    assert said and [s for s, n in said.items() if n > 1] == []


def _kept_together(audience: str) -> list[tuple[str, str]]:
    """(first words, last words) of each keep_together section this audience prints."""
    topic = yaml.safe_load((CONTENT / "topic.yaml").read_text(encoding="utf-8"))["audiences"][audience]
    found = []
    for sid in topic["cover"] + topic["flow"] + topic["back"]:
        section = yaml.safe_load((CONTENT / f"{sid}.yaml").read_text(encoding="utf-8"))
        if section.get("keep_together"):
            last = section["blocks"][-1]
            text = last.get("text") or last["items"][-1]
            found.append((section["title"], " ".join(re.sub(r"[*_]", "", text).split()[-4:])))
    return found


@pytest.mark.parametrize("audience", sorted(SHIPPED))
@pytest.mark.parametrize("variant", VARIANTS)
def test_a_dose_and_its_warnings_are_on_one_panel_or_page(shipped, variant_pdfs, audience, variant):
    units = _units(_pdf(shipped, variant_pdfs, audience, variant), variant)
    for title, end in _kept_together(audience):
        starts = [i for i, unit in enumerate(units) if title in unit]
        assert starts and end in units[starts[-1]], (title, end, variant)
    if audience == "orthopedie":
        assert _kept_together(audience), "the medicines section is marked keep_together"
        dose = [i for i, unit in enumerate(units) if "500 mg" in unit]
        warning = [i for i, unit in enumerate(units) if "60 jaar" in unit]
        assert dose and dose == warning


def _headings(pdf) -> list[int]:
    """Heading levels of the tagged PDF's structure tree, in reading order."""
    root = PdfReader(pdf).trailer["/Root"]["/StructTreeRoot"]
    levels: list[int] = []

    def walk(node) -> None:
        node = node.get_object()
        if isinstance(node, list):
            for kid in node:
                walk(kid)
            return
        if not hasattr(node, "get"):
            return
        tag = str(node.get("/S", ""))
        if re.fullmatch(r"/H[1-6]", tag):
            levels.append(int(tag[2]))
        if "/K" in node:
            walk(node["/K"])

    walk(root["/K"])
    return levels


@pytest.mark.parametrize("audience", sorted(SHIPPED))
@pytest.mark.parametrize("variant", sorted(TAGGED))
def test_tagged_headings_never_skip_a_level(variant_pdfs, audience, variant):
    levels = _headings(variant_pdfs[audience, variant])
    assert levels[0] == 1 and len(levels) > 5
    assert [(a, b) for a, b in zip(levels, levels[1:]) if b > a + 1] == []


@pytest.mark.parametrize("audience", sorted(SHIPPED))
@pytest.mark.parametrize("variant", sorted(TAGGED))
def test_each_link_is_one_annotation_with_an_area(variant_pdfs, audience, variant):
    annotations = []
    for number, page in enumerate(PdfReader(variant_pdfs[audience, variant]).pages):
        for annot in page.get("/Annots", []):
            annot = annot.get_object()
            if annot.get("/Subtype") == "/Link":
                x0, y0, x1, y1 = (float(v) for v in annot["/Rect"])
                annotations.append((number, str(annot["/A"]["/URI"]), round(x0, 1), round(y0, 1), x1 - x0, y1 - y0))
    assert annotations
    assert [a for a in annotations if abs(a[4]) < 1 or abs(a[5]) < 1] == []
    assert [a for a, n in Counter(a[:4] for a in annotations).items() if n > 1] == []


@pytest.mark.parametrize("audience", sorted(SHIPPED))
@pytest.mark.parametrize("variant", VARIANTS)
def test_a_date_never_breaks_across_lines(shipped, variant_pdfs, audience, variant):
    lines = _page_lines(_pdf(shipped, variant_pdfs, audience, variant))
    dates = 0
    for line in lines:
        for month in MONTHS:
            for _ in re.finditer(rf"\b{month}\b", line):
                dates += 1
                assert re.search(rf"\b\d{{1,2}}\s{month}\s\d{{4}}\b", line), line
        assert not re.search(r"(controle|op)\s+\d{1,2}$", line), line
    assert dates >= 2  # the review line's two dates


def test_the_qr_code_carries_a_quiet_zone_of_four_modules():
    import segno

    from leaflet_gen.content.project import QR_QUIET_MODULES
    from leaflet_gen.layout.compose import _qr_svg

    url = "https://www.fysiodelinde.nl/afspraak"
    svg = _qr_svg(url)
    size = segno.make(url, error="m", micro=False).symbol_size(border=0)[0]
    scale = float(re.search(r'transform="scale\((\d+(?:\.\d+)?)\)"', svg).group(1))
    # The image is the code plus 4 blank modules on each side; the dark modules are drawn from
    # the quiet zone's inner edge (segno draws rows as lines through the module centres).
    assert int(re.search(r'width="(\d+)"', svg).group(1)) == (size + 2 * QR_QUIET_MODULES) * scale
    x, y = (float(v) for v in re.search(r'd="M(\d+(?:\.\d+)?) (\d+(?:\.\d+)?)', svg).groups())
    assert QR_QUIET_MODULES >= 4 and x >= QR_QUIET_MODULES and y - 0.5 >= QR_QUIET_MODULES
