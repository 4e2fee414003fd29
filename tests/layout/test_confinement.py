"""Rendering reads only the project's and the practice's own files, and colours stay readable."""

from __future__ import annotations

import pytest
from conftest import PRACTICE_YAML

from leaflet_gen.layout.palette import INK, WHITE, Palette, contrast


@pytest.mark.parametrize("url,reason", [
    ("http://127.0.0.1:9/x.png", "http://127.0.0.1:9/x.png (only files inside the project and practice folders are used)"),
    ("file:///etc/hostname", "/etc/hostname (outside the project's templates/styles/fonts and the practice folder)"),
])
def test_stylesheet_cannot_reach_outside(mini, tmp_path, url, reason):
    css = mini.override("styles/trifold.css")
    css.write_text(css.read_text() + f"\nbody {{ background-image: url('{url}'); }}\n")
    result = mini.run("build", "--practice", "test", "--output", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: refused to load a resource: {reason}"
    assert not list(tmp_path.rglob("*.pdf"))


def test_template_cannot_use_an_undefined_value(mini, tmp_path):
    template = mini.override("templates/colophon.html")
    template.write_text(template.read_text() + "{{ topic.no_such_field }}")
    result = mini.run("build", "--practice", "test", "--output", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: template error: ")
    assert "no_such_field" in result.stderr


@pytest.mark.parametrize("primary", ["#FFFF00", "#1B6E8C", "#777777", "#FF6600", "#000000", "#FFFFFF"])
def test_any_brand_colour_gives_readable_text(primary):
    palette = Palette.from_brand(primary, None)
    assert contrast(palette.on_primary, palette.primary) >= 4.5
    assert contrast(palette.heading, WHITE) >= 4.5
    assert contrast(INK, palette.tint) >= 4.5


def test_light_brand_colour_builds_with_dark_text_on_it(mini, tmp_path):
    mini.write("practices/test/practice.yaml", PRACTICE_YAML.replace('"#1B6E8C"', '"#FFD400"'))
    result = mini.run("build", "--practice", "test", "--output", str(tmp_path))
    assert result.exit_code == 0, result.output
    palette = Palette.from_brand("#FFD400", None)
    assert palette.on_primary == INK
    assert palette.heading != "#FFD400" and contrast(palette.heading, WHITE) >= 4.5


def test_a_refused_resource_is_said_in_the_studios_language_with_the_address_as_it_is():
    """The studio shows the render's refusal in Dutch (the catalogue); the address stays as written."""
    from pathlib import Path

    from leaflet_gen.errors import RenderError
    from leaflet_gen.i18n import translate
    from leaflet_gen.layout.engine import RenderRequest, render

    request = RenderRequest('<img src="file:///etc/hostname">', "file:///", (Path("/nonexistent"),), {}, None)
    with pytest.raises(RenderError) as caught:
        render(request)
    assert str(caught.value) == ("refused to load a resource: /etc/hostname (outside the project's "
                                 "templates/styles/fonts and the practice folder)")
    assert translate(caught.value.message, "nl") == (
        "weigerde een bestand te laden: /etc/hostname (buiten templates/, styles/ en fonts/ van het project en de map "
        "van de praktijk)")
