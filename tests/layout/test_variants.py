"""office, screen and large-print, read back from the PDF: pages, tagging, bookmarks, links, sizes."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from click.testing import CliRunner
from conftest import ROOT, SHIPPED
from helpers import extra_variants, structure_nodes
from pypdf import PdfReader
from test_trifold import FACTS, flat

from leaflet_gen.cli import cli
from leaflet_gen.pdf.reader import chars, text_in

VARIANTS = extra_variants(ROOT)  # every variant beyond the tri-fold (test_trifold.py)
MM = 72 / 25.4


@pytest.fixture(scope="module")
def built(variant_pdfs):
    return variant_pdfs


def all_text(pdf) -> str:
    reader = PdfReader(pdf)
    parts = []
    for i, page in enumerate(reader.pages):
        parts.append(text_in(pdf, i, 0, float(page.mediabox.width) / MM))
    return flat(" ".join(parts))


@pytest.mark.parametrize("audience", sorted(SHIPPED))
@pytest.mark.parametrize("variant", VARIANTS)
def test_every_variant_carries_every_fact(built, audience, variant):
    text = all_text(built[audience, variant]).lower()
    assert not [fact for fact in FACTS[audience] if fact.lower() not in text]


@pytest.mark.parametrize("audience", sorted(SHIPPED))
def test_office_is_two_sheets_without_bleed_and_text_clear_of_the_edge(built, audience):
    pdf = built[audience, "office"]
    reader = PdfReader(pdf)
    assert len(reader.pages) == 2
    for page in reader.pages:
        assert [round(float(v) / MM, 1) for v in page.mediabox] == [0, 0, 297, 210]
        assert [round(float(v) / MM, 1) for v in page.trimbox] == [0, 0, 297, 210]
    assert "/OutputIntents" not in reader.trailer["/Root"]
    for c in chars(pdf):
        assert 5 <= c.x0 and c.x1 <= 292 and 5 <= c.y0 and c.y1 <= 205, c


def test_office_build_says_how_to_print(tmp_path):
    result = CliRunner().invoke(cli, ["--project", str(ROOT), "build", "--practice", "fysio-delinde",
                                      "--variant", "office", "--output", str(tmp_path)])
    assert result.exit_code == 0
    assert "two-sided, flip on the short edge" in result.stderr


@pytest.mark.parametrize("audience", sorted(SHIPPED))
@pytest.mark.parametrize("variant", ["screen", "large-print"])
def test_portrait_pages_tagged_dutch_with_title(built, audience, variant):
    reader = PdfReader(built[audience, variant])
    root = reader.trailer["/Root"]
    assert len(reader.pages) >= 2
    for page in reader.pages:
        assert [round(float(v) / MM) for v in page.mediabox] == [0, 0, 210, 297]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert str(root["/Lang"]).startswith("nl")
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title.startswith("Lage rugpijn – ")
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert "pdfuaid:part" in xmp and re.search(r"pdfuaid:part[^0-9]*1", xmp)


def _structure_alts(root) -> list[str]:
    return [str(node["/Alt"]) for node in structure_nodes(root, "/Figure") if "/Alt" in node]


@pytest.mark.parametrize("audience", sorted(SHIPPED))
def test_screen_has_a_bookmark_per_section_live_links_and_logo_alt(built, audience):
    import yaml

    reader = PdfReader(built[audience, "screen"])
    titles = [item.title for item in reader.outline]
    topic = yaml.safe_load((ROOT / "content/lage-rugpijn/topic.yaml").read_text(encoding="utf-8"))
    entry = topic["audiences"][audience]
    expected = []
    for sid in entry["cover"] + entry["flow"] + entry["back"]:
        section = yaml.safe_load((ROOT / f"content/lage-rugpijn/{sid}.yaml").read_text(encoding="utf-8"))
        summary = [b for b in section["blocks"] if b["type"] == "summary"]
        if all(b["type"] == "notes" for b in section["blocks"]):
            continue  # lines to write on are not part of the screen variant (variants/screen.yaml)
        if section.get("title"):
            expected.append(section["title"])
        elif summary:
            expected.append(summary[0].get("title", "In het kort"))
        elif section["blocks"][0].get("title"):  # a block title heads a section without one
            expected.append(section["blocks"][0]["title"])
    assert titles == expected + ["Contact"]
    uris = {a.get_object()["/A"]["/URI"] for p in reader.pages for a in p.get("/Annots", [])
            if "/URI" in a.get_object().get("/A", {})}
    practice = SHIPPED[audience][0]
    practice_yaml = yaml.safe_load((ROOT / f"practices/{practice}/practice.yaml").read_text(encoding="utf-8"))
    contact = practice_yaml["contact"]
    assert contact["website"] in uris
    assert f"mailto:{contact['email']}" in uris
    assert "tel:" + contact["phone"].replace(" ", "") in uris
    assert "https://www.thuisarts.nl" in uris
    assert practice_yaml["logo_alt"] in _structure_alts(reader.trailer["/Root"])


@pytest.mark.parametrize("audience", sorted(SHIPPED))
def test_large_print_body_text_is_16pt_and_nothing_under_14(built, audience):
    sizes = Counter(round(c.size) for c in chars(built[audience, "large-print"]))
    assert min(sizes) >= 14
    assert sizes.most_common(1)[0][0] == 16


@pytest.mark.parametrize("audience", sorted(SHIPPED))
def test_screen_body_text_size(built, audience):
    sizes = Counter(round(c.size, 1) for c in chars(built[audience, "screen"]))
    assert sizes.most_common(1)[0][0] == 11.0
    assert min(sizes) >= 9
