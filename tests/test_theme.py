"""The built-in theme and a project's own theme files: a file of the same name wins (docs/themes.md)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import ROOT
from pypdf import PdfReader

from leaflet_gen import theme
from leaflet_gen.content.project import Project

BACKGROUND = "#123456"


def _share_in(pdf: Path, colour: str = BACKGROUND) -> float:
    """How much of the first page shows ``colour`` (0 to 1)."""
    import pypdfium2 as pdfium

    image = pdfium.PdfDocument(str(pdf))[0].render(scale=0.5).to_pil().convert("RGB")
    rgb = tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return sum(count for count, pixel in image.getcolors(1 << 16) if pixel == rgb) / (image.width * image.height)


def _build(mini, out: Path, variant: str = "screen"):
    result = mini.run("build", "--practice", "test", "--variant", variant, "--output", str(out))
    assert result.exit_code == 0, result.output
    return out / "test" / f"demo-fysiotherapie-{variant}.pdf"


def test_the_repository_holds_no_copy_of_the_theme():
    for folder in ("templates", "styles", "variants", "profiles"):
        assert not (ROOT / folder).exists(), f"{folder}/ is part of the built-in theme (leaflet_gen/theme/{folder})"
    assert sorted(p.name for p in (theme.BUILTIN / "variants").glob("*.yaml")) == [
        "large-print.yaml", "office.yaml", "screen.yaml", "trifold.yaml"]
    assert (theme.BUILTIN / "profiles" / theme.DEFAULT_PROFILE).stat().st_size > 100_000


def test_a_project_stylesheet_replaces_the_built_in_one(mini, tmp_path):
    assert _share_in(_build(mini, tmp_path / "plain")) == 0
    css = mini.override("styles/screen.css")
    css.write_text(css.read_text(encoding="utf-8") + f"\n@page {{ background: {BACKGROUND}; }}\n", encoding="utf-8")
    assert _share_in(_build(mini, tmp_path / "own")) > 0.5


def test_a_stylesheet_imported_by_a_built_in_one_is_looked_up_in_the_project_too(mini, tmp_path):
    # The built-in office.css @imports "trifold.css": the project's trifold.css is the one it gets.
    css = mini.override("styles/trifold.css")
    css.write_text(css.read_text(encoding="utf-8") + f"\n@page {{ background: {BACKGROUND}; }}\n", encoding="utf-8")
    project = Project.open(mini.root)
    chain = project.stylesheet_chain(project.load_variant("office").stylesheet)
    assert chain == [theme.BUILTIN / "styles/base.css", theme.BUILTIN / "styles/office.css", css]
    assert _share_in(_build(mini, tmp_path / "office", "office")) > 0.2  # the panels that have no colour of their own


def test_a_project_template_and_icon_replace_the_built_in_ones(mini, tmp_path):
    colophon = mini.override("templates/colophon.html")
    colophon.write_text(colophon.read_text(encoding="utf-8") + "<p>Eigen sjabloon van de praktijk</p>\n",
                        encoding="utf-8")
    pdf = _build(mini, tmp_path / "out")
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Eigen sjabloon van de praktijk" in text


def test_a_project_variant_adds_a_variant_and_one_of_a_built_in_name_replaces_it(mini, tmp_path):
    screen = (theme.BUILTIN / "variants/screen.yaml").read_text(encoding="utf-8")
    mini.write("variants/poster.yaml", screen.replace("id: screen", "id: poster"))
    assert "Variants:\n  large-print\n  office\n  poster\n  screen\n  trifold\n" in mini.run("list").stdout
    assert _build(mini, tmp_path / "out", "poster").is_file()
    check = mini.run("check")
    assert check.exit_code == 0, check.output
    assert "ok  variants/poster.yaml" in check.stdout and "ok  built-in variants/screen.yaml" in check.stdout
    mini.override("variants/screen.yaml")
    assert "ok  variants/screen.yaml" in mini.run("check").stdout


def test_the_settings_can_leave_variants_out(mini, tmp_path):
    mini.write("leaflet-gen.yml", "variants: [trifold, screen]\n")
    assert "Variants:\n  screen\n  trifold\n" in mini.run("list").stdout
    result = mini.run("build", "--practice", "test", "--variant", "office", "--output", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr == ('Error: unknown variant "office"; available: screen, trifold (the variants of '
                             "leaflet-gen.yml)\n")
    mini.write("leaflet-gen.yml", "variants: [trifold, poster]\ndefault_variants: [screen]\n")
    lines = mini.run("check").stderr.splitlines()
    assert lines[:2] == [
        'leaflet-gen.yml:1:21 variants[1]: unknown variant "poster": expected one of large-print, office, screen, '
        "trifold (built in, or files in variants/)",
        'leaflet-gen.yml:2:20 default_variants[0]: unknown variant "screen": expected one of trifold (the variants '
        "above)"]


def test_an_override_or_an_upgrade_of_the_theme_rebuilds_only_what_it_changes(mini, tmp_path, monkeypatch):
    mini.write("catalogue.yaml", "leaflets:\n  - practice: test\n    variants: [screen, trifold]\n")

    def build() -> dict[str, str]:
        result = mini.run("build", "--catalogue", str(mini.root / "catalogue.yaml"), "--output", str(tmp_path / "out"))
        assert result.exit_code == 0, result.output
        report = json.loads((tmp_path / "out" / "build-report.json").read_text(encoding="utf-8"))
        return {e["variant"]: e["status"] for e in report["leaflets"]}

    shipped = tmp_path / "theme"  # an installed leaflet-gen's theme, upgraded below
    shutil.copytree(theme.BUILTIN, shipped, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    monkeypatch.setattr(theme, "BUILTIN", shipped)
    assert build() == {"screen": "built", "trifold": "built"}
    assert build() == {"screen": "skipped", "trifold": "skipped"}
    own = mini.override("styles/screen.css")  # the same bytes, but now the project's file
    assert build() == {"screen": "built", "trifold": "skipped"}
    own.unlink()
    assert build() == {"screen": "built", "trifold": "skipped"}
    (shipped / "styles/trifold.css").write_text((shipped / "styles/trifold.css").read_text() + "\n/* 0.2 */\n")
    assert build() == {"screen": "skipped", "trifold": "built"}
    (shipped / "templates/colophon.html").write_text((shipped / "templates/colophon.html").read_text() + "\n")
    assert build() == {"screen": "built", "trifold": "built"}


def test_the_key_hashes_the_files_the_renderer_reads_override_or_built_in(mini):
    from leaflet_gen.layout.engine import render
    from leaflet_gen.layout.templates import render_request
    from leaflet_gen.pipeline.build import Job, compose_job, resolve
    from leaflet_gen.pipeline.inputs import leaflet_inputs

    own = mini.override("styles/trifold.css")
    project = Project.open(mini.root)
    job = Job.of(mini.root / "practices" / "test", "demo", "fysiotherapie", "office")
    rendered = render(render_request(project, compose_job(project, job)))
    hashed = {str(p.resolve()) for p in leaflet_inputs(project, resolve(project, job)).files()}
    assert str(own) in rendered.served and str(theme.BUILTIN / "styles/office.css") in rendered.served
    assert str(theme.BUILTIN / "styles/trifold.css") not in rendered.served
    assert set(rendered.served) <= hashed
    assert str(theme.BUILTIN / "styles/trifold.css") not in hashed


def test_a_template_override_added_to_a_running_process_is_used(mini):
    # The studio keeps its compiled templates: an override that appears later must still win.
    from leaflet_gen.layout.templates import render_html
    from leaflet_gen.pipeline.build import Job, compose_job

    project = Project.open(mini.root)
    leaflet = compose_job(project, Job.of(mini.root / "practices" / "test", "demo", "fysiotherapie", "trifold"))
    assert "Eigen colofon" not in render_html(project, leaflet)
    mini.write("templates/colophon.html", "<div id=\"colophon\">Eigen colofon</div>\n")
    assert "Eigen colofon" in render_html(project, leaflet)
    (mini.root / "templates/colophon.html").unlink()
    assert "Eigen colofon" not in render_html(project, leaflet)


def test_a_name_that_leads_out_of_the_theme_is_found_nowhere(mini):
    mini.write("styles/base.css", "@import \"../../../../etc/hostname\";\n@import \"/etc/hostname\";\n")
    project = Project.open(mini.root)
    assert project.stylesheet_chain("screen.css") == [mini.root / "styles/base.css", theme.BUILTIN / "styles/screen.css"]
    assert theme.find(mini.root, "styles", "/etc/hostname") is None


@pytest.mark.parametrize("rel", ["templates/base.html", "styles/base.css", "variants/trifold.yaml"])
def test_a_project_theme_file_that_cannot_be_read_is_not_silently_replaced(mini, tmp_path, rel):
    (mini.root / rel).parent.mkdir(parents=True, exist_ok=True)
    (mini.root / rel).mkdir()  # a folder where the file should be
    result = mini.run("build", "--practice", "test", "--output", str(tmp_path))
    assert result.exit_code == 1, result.output
    assert "Internal error" not in result.stderr and "Traceback" not in result.stderr
    assert not list(tmp_path.rglob("*.pdf"))
