"""Leaflets a patient can read: no split words, a fold-aware flow, accessible screen variants.

Read back from the finished PDFs with PDFium, as a reader (or a screen reader) gets them.
"""

from __future__ import annotations

import re

import pytest
import yaml
from conftest import ROOT, SHIPPED
from helpers import variant_ids
from pypdf import PdfReader
from test_trifold import PANELS, SLUG

from leaflet_gen.pdf.reader import chars, text_in

CONTENT = ROOT / "content" / "lage-rugpijn"
FLOW_ORDER = ("inside-left", "flap", "inside-middle", "tuck-in")  # reading order (variants/trifold.yaml)
# A word cut at the end of a line: a letter, then a hyphen (WeasyPrint writes U+2010), at the line end.
SPLIT_WORD = re.compile(r"[^\W\d_][-\u2010\u00ad]$")


def _pdf(shipped, variant_pdfs, audience: str, variant: str):
    return shipped[audience] if variant == "trifold" else variant_pdfs[audience, variant]


def _page_lines(pdf) -> list[str]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        return [line.rstrip() for page in doc for line in page.get_textpage().get_text_range().splitlines()]
    finally:
        doc.close()


def _panel_lines(pdf, variant: str, panel: str) -> list[str]:
    """A panel's lines of text, list bullets dropped (PDFium gives them lines of their own)."""
    page, left, right = PANELS[panel]
    offset = SLUG if variant == "trifold" else 0.0  # the print sheet sits in a slug for the marks
    text = text_in(pdf, page, offset + left, offset + right)
    lines = (line.strip().lstrip("•").strip() for line in text.splitlines())
    return [line for line in lines if line]


def _section_titles(audience: str) -> set[str]:
    topic = yaml.safe_load((CONTENT / "topic.yaml").read_text(encoding="utf-8"))
    entry = topic["audiences"][audience]
    titles = set()
    for sid in entry["cover"] + entry["flow"] + entry["back"]:
        title = yaml.safe_load((CONTENT / f"{sid}.yaml").read_text(encoding="utf-8")).get("title")
        if title:
            titles.add(title)
    return titles


@pytest.mark.parametrize("audience", sorted(SHIPPED))
@pytest.mark.parametrize("variant", variant_ids(ROOT))
def test_no_line_ends_in_a_split_word(shipped, variant_pdfs, audience, variant):
    # Screen readers and search read a line-end hyphen as part of the word ("benzodiaze- pines");
    # in print, the dictionary split Dutch compounds badly ("diclofen-acgel"). No variant hyphenates.
    lines = _page_lines(_pdf(shipped, variant_pdfs, audience, variant))
    assert len(lines) > 50
    assert [line for line in lines if SPLIT_WORD.search(line)] == []


@pytest.mark.parametrize("audience", sorted(SHIPPED))
@pytest.mark.parametrize("variant", ["trifold", "office"])
def test_inside_middle_panel_starts_with_a_section_title(shipped, variant_pdfs, audience, variant):
    # Unfolding the flap takes it out of sight: what the inside middle panel says must not depend on it.
    first = _panel_lines(_pdf(shipped, variant_pdfs, audience, variant), variant, "inside-middle")[0]
    assert first in _section_titles(audience)


@pytest.mark.parametrize("audience", sorted(SHIPPED))
@pytest.mark.parametrize("variant", ["trifold", "office"])
def test_no_sentence_is_split_across_panels(shipped, variant_pdfs, audience, variant):
    pdf = _pdf(shipped, variant_pdfs, audience, variant)
    titles = _section_titles(audience)
    for before, after in zip(FLOW_ORDER, FLOW_ORDER[1:]):
        last, first = _panel_lines(pdf, variant, before)[-1], _panel_lines(pdf, variant, after)[0]
        assert re.search(r"[.!?]$", last), (before, last)
        assert first in titles or first[:1].isupper(), (after, first)


@pytest.mark.parametrize("audience", sorted(SHIPPED))
def test_flow_panels_are_balanced(shipped, audience):
    # No flow panel is more than a quarter empty, except the last one: measured as where the
    # lowest character of each panel sits between the top and bottom of its text area.
    flow_chars = {panel: [] for panel in FLOW_ORDER}
    for c in chars(shipped[audience]):
        for panel in FLOW_ORDER:
            page, left, right = PANELS[panel]
            if c.page == page and SLUG + left <= c.x0 < SLUG + right:
                flow_chars[panel].append(c)
    top, bottom = SLUG + 210 - 9, SLUG + 9  # trifold.css: 9 mm page margins at top and bottom
    used = {p: (top - min(c.y0 for c in cs)) / (top - bottom) for p, cs in flow_chars.items() if cs}
    *fuller, last = [p for p in FLOW_ORDER if p in used]
    # "About a quarter": the lowest glyph sits ~2 mm above the bottom of what its box uses (the
    # rest of the line, an info box's padding), so 72 % of glyphs is ~75 % of the layout.
    assert all(used[p] >= 0.72 for p in fuller), used


def _links(pdf) -> dict[str, list]:
    found: dict[str, list] = {}
    for page in PdfReader(pdf).pages:
        for annot in page.get("/Annots", []):
            annot = annot.get_object()
            uri = annot.get("/A", {}).get("/URI")
            if uri:
                found.setdefault(str(uri), []).append([float(v) for v in annot["/Rect"]])
    return found


@pytest.mark.parametrize("audience", sorted(SHIPPED))
def test_screen_qr_address_is_one_live_link(variant_pdfs, audience):
    practice = yaml.safe_load((ROOT / "practices" / SHIPPED[audience][0] / "practice.yaml").read_text(encoding="utf-8"))
    url = practice["qr_url"]
    pdf = variant_pdfs[audience, "screen"]
    rects = _links(pdf)[url]
    # One link, the written address: the code beside it is a picture (a second annotation for the
    # same address would be announced twice by a screen reader).
    assert len(rects) == 1 and abs(rects[0][2] - rects[0][0]) > 2 * abs(rects[0][3] - rects[0][1])
    assert url.split("://", 1)[1] in " ".join(_page_lines(pdf))


@pytest.mark.parametrize("audience", sorted(SHIPPED))
@pytest.mark.parametrize("variant", ["screen", "large-print"])
def test_info_marker_is_drawn_not_read_aloud(variant_pdfs, audience, variant):
    # The "i" of an info box is decoration: as a letter it was tagged text a screen reader read out.
    lines = _page_lines(variant_pdfs[audience, variant])
    assert "i" not in lines and not [line for line in lines if line.startswith("i ")]


@pytest.mark.parametrize("audience", sorted(SHIPPED))
@pytest.mark.parametrize("variant", ["screen", "large-print"])
def test_headings_are_never_smaller_than_body_text(variant_pdfs, audience, variant):
    from collections import Counter

    pdf_chars = chars(variant_pdfs[audience, variant])
    body = Counter(round(c.size, 1) for c in pdf_chars).most_common(1)[0][0]
    text = "".join(c.text for c in pdf_chars)
    headings = [t for t in _section_titles(audience) | {"Het eerste bezoek", "Tillen", "Zitten"}
                if t.replace(" ", "") in text]
    assert headings
    for heading in headings:
        start = text.index(heading.replace(" ", ""))
        sizes = {round(c.size, 1) for c in pdf_chars[start:start + len(heading.replace(" ", ""))]}
        assert min(sizes) >= body, (heading, sizes, body)


def test_lines_to_write_on_are_left_out_of_the_screen_variant(shipped, variant_pdfs):
    title = "Mijn oefeningen en afspraken"
    assert title not in " ".join(_page_lines(variant_pdfs["fysiotherapie", "screen"]))
    assert title not in [item.title for item in PdfReader(variant_pdfs["fysiotherapie", "screen"]).outline]
    for pdf in (shipped["fysiotherapie"], variant_pdfs["fysiotherapie", "large-print"]):
        assert title in " ".join(_page_lines(pdf))
