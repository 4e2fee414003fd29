"""One render parses the document's stylesheets once for all its layouts (the engine lays a
leaflet out again for each section it moves), and writes the very same PDF as when every layout
parses them again."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
from conftest import ROOT
from helpers import same_pdf
from pypdf import PdfReader

from leaflet_gen.content.project import Project
from leaflet_gen.layout import engine
from leaflet_gen.layout.engine import PanelPlan, RenderRequest, render


def _shipped(variant: str) -> RenderRequest:
    from leaflet_gen.layout.templates import render_request
    from leaflet_gen.pipeline.build import Job, compose_job

    project = Project.open(ROOT)
    job = Job.of(ROOT / "practices" / "fysio-delinde", "lage-rugpijn", "fysiotherapie", variant)
    return render_request(project, compose_job(project, job))


def _counting(monkeypatch) -> dict[str, int]:
    """Count the layouts and the stylesheets WeasyPrint parses (``CSS`` objects made)."""
    import weasyprint
    import weasyprint.css

    counts = {"layouts": 0, "parsed": 0}
    layout, parse = weasyprint.HTML.render, weasyprint.css.CSS.__init__

    def counted_layout(self, *args, **kwargs):
        counts["layouts"] += 1
        return layout(self, *args, **kwargs)

    def counted_parse(self, *args, **kwargs):
        counts["parsed"] += 1
        return parse(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "render", counted_layout)
    monkeypatch.setattr(weasyprint.css.CSS, "__init__", counted_parse)
    return counts


def _without_memo(monkeypatch) -> None:
    monkeypatch.setattr(engine, "_stylesheets_parsed_once", lambda on=True: contextlib.nullcontext())


@pytest.mark.parametrize("variant", ["trifold", "office"])
def test_a_render_that_moves_sections_parses_once_and_writes_the_same_pdf(monkeypatch, variant):
    request = _shipped(variant)
    counts = _counting(monkeypatch)
    once = render(request)
    layouts, parsed = counts["layouts"], counts["parsed"]
    assert engine._parsing.memo is None  # nothing kept for the next request

    _without_memo(monkeypatch)
    counts.update(layouts=0, parsed=0)
    again = render(request)
    assert counts["layouts"] == layouts
    if variant == "trifold":
        # The shipped tri-fold moves three sections: four layouts. Each layout after the first
        # parses only its user stylesheet of page breaks now, not the document's own again.
        assert layouts == 4
        own = (counts["parsed"] - (layouts - 1)) // layouts
        assert own >= 1 and parsed == own + (layouts - 1)
    assert same_pdf(once.pdf) == same_pdf(again.pdf) and same_pdf(once.pdf) != once.pdf
    assert (once.page_panels, once.served, once.fill, once.advice, once.fonts) == \
           (again.page_panels, again.served, again.fill, again.advice, again.fonts)


PLAN = PanelPlan("test", (("cover", "cover", "voorkant"), ("f1", "flow", "een"), ("f2", "flow", "twee"),
                          ("back", "back", "achterkant")), ("a", "b"), ("a", "b"))
# Section b starts at the foot of the first flow panel with its heading and one paragraph: it
# moves on whole (a second layout). Its list uses the document's own counter style.
HTML = """<html><head><style>
@page { size: 100mm 80mm; margin: 5mm; }
@counter-style pijl { system: cyclic; symbols: "\\BB"; suffix: " "; }
ul { list-style-type: pijl; }
body { font-family: Lato; font-size: 10pt; line-height: 1.3; margin: 0; }
h2 { font-size: 12pt; margin: 2mm 0 1mm; break-after: avoid; }
p { margin: 0 0 1.5mm; break-inside: avoid; }
#panel-flow, #panel-back { break-before: page; }
</style></head><body>
<section id="panel-cover"><h1>Voorkant</h1></section>
<main id="panel-flow"><section class="section" id="section-a"><h2>Eerste</h2><p>Het eerste deel.</p>
<div style="height: 40mm"></div></section>
<section class="section" id="section-b"><h2>Tweede</h2><p>Een korte alinea van het tweede deel.</p>
<p>Nog een alinea van het tweede deel.</p><p>En een derde alinea.</p><ul><li>Een punt.</li></ul></section></main>
<section id="panel-back"><p>Achterkant</p></section></body></html>"""


def test_what_the_documents_stylesheets_define_holds_in_every_layout(monkeypatch):
    # Each layout starts from the user agent's counter styles; the document's own @counter-style,
    # parsed in the first layout only, must still be there in the last (not "1.", the fallback).
    counts = _counting(monkeypatch)
    rendered = render(RenderRequest(HTML, "file:///", (Path("/nonexistent"),), {}, PLAN))
    assert counts["layouts"] == 2
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(rendered.pdf)).pages]
    assert "Tweede" in pages[2] and "\u00bb" in pages[2] and "1." not in pages[2]
    _without_memo(monkeypatch)
    again = render(RenderRequest(HTML, "file:///", (Path("/nonexistent"),), {}, PLAN))
    assert same_pdf(again.pdf) == same_pdf(rendered.pdf)
