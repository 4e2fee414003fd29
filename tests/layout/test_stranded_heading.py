"""A section that would start at the foot of a panel with only its heading and one paragraph
there moves on whole (issue 27, reading rules). Rendered by the real engine on small panels."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader

from leaflet_gen.layout import engine
from leaflet_gen.layout.engine import PanelPlan, RenderRequest, render

PLAN = PanelPlan("test", (("cover", "cover", "voorkant"), ("f1", "flow", "een"), ("f2", "flow", "twee"),
                          ("back", "back", "achterkant")), ("a", "b"), ("a", "b"))


def _html(filled_mm: int) -> str:
    """The first section fills ``filled_mm`` of the first flow panel (of 70); the second follows."""
    first = f'<p>Het eerste deel.</p><div style="height: {filled_mm}mm"></div>'
    return f"""<html><head><style>
@page {{ size: 100mm 80mm; margin: 5mm; }}
body {{ font-family: Lato; font-size: 10pt; line-height: 1.3; margin: 0; }}
h2 {{ font-size: 12pt; margin: 2mm 0 1mm; break-after: avoid; }}
p {{ margin: 0 0 1.5mm; break-inside: avoid; }}
#panel-flow, #panel-back {{ break-before: page; }}
</style></head><body>
<section id="panel-cover"><h1>Voorkant</h1></section>
<main id="panel-flow"><section class="section" id="section-a"><h2>Eerste</h2>{first}</section>
<section class="section" id="section-b"><h2>Tweede</h2><p>Een korte alinea van het tweede deel.</p>
<p>Nog een alinea van het tweede deel.</p><p>En een derde alinea.</p></section></main>
<section id="panel-back"><p>Achterkant</p></section></body></html>"""


def _pages(filled_mm: int) -> list[str]:
    rendered = render(RenderRequest(_html(filled_mm), "file:///", (Path("/nonexistent"),), {}, PLAN))
    return [page.extract_text() for page in PdfReader(io.BytesIO(rendered.pdf)).pages]


def test_a_heading_with_one_paragraph_at_a_panels_foot_moves_on_with_its_section(monkeypatch):
    pages = _pages(40)
    assert "Tweede" not in pages[1] and "Tweede" in pages[2] and pages[2].count("alinea") == 3
    # Without the rule the heading and one paragraph are left at the foot of the first panel.
    monkeypatch.setattr(engine, "_stranded_heads", lambda plan, document: [])
    pages = _pages(40)
    assert "Tweede" in pages[1] and pages[1].count("alinea") == 1


def test_a_section_with_two_paragraphs_at_the_foot_stays_where_it_starts():
    pages = _pages(34)
    assert "Tweede" in pages[1] and pages[1].count("alinea") == 2
