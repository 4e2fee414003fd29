"""Bug 1 of issue 15: one declared list of a leaflet's inputs, used by the renderer, the key and the stamp."""

from __future__ import annotations

from pathlib import Path

LATO = Path("/usr/share/fonts/truetype/lato")


def _with_project_font(mini) -> Path:
    """The mini project sets its text in a font from its own fonts/ folder (@font-face)."""
    font = mini.write("fonts/Leaflet.ttf", (LATO / "Lato-Regular.ttf").read_bytes())
    css = mini.override("styles/base.css")
    css.write_text('@font-face { font-family: "Lato Leaflet"; src: url("../fonts/Leaflet.ttf"); }\n'
                   + css.read_text() + '\nhtml, html * { font-family: "Lato Leaflet" !important; }\n')
    mini.write("catalogue.yaml", "leaflets:\n  - practice: test\n    variants: [screen]\n")
    return font


def test_replacing_a_font_in_fonts_rebuilds_the_leaflet(mini, tmp_path):
    font = _with_project_font(mini)
    out = tmp_path / "out"
    build = ("build", "--catalogue", str(mini.root / "catalogue.yaml"), "--output", str(out))
    first = mini.run(*build)
    assert first.exit_code == 0, first.output
    pdf = out / "test" / "demo-fysiotherapie-screen.pdf"
    before = pdf.read_bytes()
    font.write_bytes((LATO / "Lato-Light.ttf").read_bytes())
    second = mini.run(*build)
    assert second.exit_code == 0, second.output
    assert "1 built, 0 unchanged" in second.stderr, second.stderr
    assert pdf.read_bytes() != before


def test_every_file_the_renderer_reads_is_covered_by_the_input_key(mini):
    from leaflet_gen.content.project import Project
    from leaflet_gen.layout.engine import render
    from leaflet_gen.layout.templates import render_request
    from leaflet_gen.pipeline.build import Job, compose_job, resolve
    from leaflet_gen.pipeline.inputs import leaflet_inputs

    _with_project_font(mini)
    project = Project.open(mini.root)
    for variant in ("screen", "trifold"):  # RGB, and CMYK with its ICC profile
        job = Job.of(mini.root / "practices" / "test", "demo", "fysiotherapie", variant)
        rendered = render(render_request(project, compose_job(project, job)))
        hashed = {str(p.resolve()) for p in leaflet_inputs(project, resolve(project, job)).files()}
        assert any(p.endswith("fonts/Leaflet.ttf") for p in rendered.served)
        missed = [p for p in rendered.served if p not in hashed]
        assert not missed, f"read by the renderer but not in the input key: {missed}"


def test_the_code_in_the_key_and_the_stamp_follows_the_subpackages():
    from leaflet_gen.fingerprint import PACKAGE, code_files
    from leaflet_gen.pipeline.inputs import shaping_code

    shaping = {str(p.relative_to(PACKAGE)) for p in shaping_code()}
    everything = {str(p.relative_to(PACKAGE)) for p in code_files()}
    assert {"layout/engine.py", "layout/templates.py", "pdf/impose.py", "content/schema/variant.py",
            "pipeline/build.py"} <= shaping
    assert not {"cli/base.py", "cli/building.py", "tools/preview.py", "content/lint.py"} & shaping
    assert everything == {str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts}


def test_every_module_listed_as_not_shaping_pdfs_exists():
    """A renamed or removed module must not linger in the list (and a new one under its old name
    would silently stop rebuilding leaflets)."""
    from leaflet_gen.fingerprint import PACKAGE
    from leaflet_gen.pipeline.inputs import CODE_NOT_SHAPING

    missing = [entry for entry in CODE_NOT_SHAPING
               if not ((PACKAGE / entry).is_dir() if entry.endswith("/") else (PACKAGE / entry).is_file())]
    assert not missing, f"listed in CODE_NOT_SHAPING but not in leaflet_gen/: {missing}"
