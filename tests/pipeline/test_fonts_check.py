"""The build's last check that every text is set in the variant's font (a silent fallback would
print in another typeface): the names come from the renderer, and agree with the PDF's."""

from __future__ import annotations

import dataclasses
import io

import pytest
from conftest import ROOT
from helpers import variant_ids

VARIANTS = variant_ids(ROOT)


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_renderer_names_the_fonts_the_pdf_embeds(mini, variant):
    from pypdf import PdfReader

    from leaflet_gen.content.project import Project
    from leaflet_gen.layout.engine import render
    from leaflet_gen.layout.templates import render_request
    from leaflet_gen.pipeline.build import Job, compose_job, embedded_fonts, finish

    project = Project.open(mini.root)
    leaflet = compose_job(project, Job.of(mini.root / "practices" / "test", "demo", "fysiotherapie", variant))
    rendered = render(render_request(project, leaflet))
    assert rendered.fonts and all(name.startswith("Lato") for name in rendered.fonts)
    assert set(rendered.fonts) == embedded_fonts(PdfReader(io.BytesIO(rendered.pdf)))
    # Without the renderer's names the build reads them from the PDF: the same finished PDF.
    assert finish(leaflet, dataclasses.replace(rendered, fonts=None)) == finish(leaflet, rendered)


@pytest.mark.parametrize("variant", ["screen", "trifold"])
def test_text_in_another_font_fails_the_build(mini, tmp_path, variant):
    css = mini.override("styles/base.css")
    css.write_text(css.read_text(encoding="utf-8") + '\nh2 { font-family: "DejaVu Serif" !important; }\n',
                   encoding="utf-8")
    result = mini.run("build", "--practice", "test", "--variant", variant, "--output", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert result.stderr == ('Error: the leaflet font "Lato" was not used for all text (found: DejaVu-Serif-Bold, '
                             'Lato, Lato-Bold, Lato-Italic). A stylesheet or template sets some text in '
                             "DejaVu-Serif-Bold; remove that font-family (the variant's font_family is Lato), "
                             "then build again.\n")
    assert not list((tmp_path / "out").rglob("*.pdf"))
