"""Pictograms next to list titles: schema, recolouring, CMYK in print, artifacts in tagged PDFs."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner
from conftest import ROOT, SHIPPED
from helpers import check, structure_nodes
from pypdf import PdfReader
from pypdf.generic import ContentStream

from leaflet_gen import theme
from leaflet_gen.cli import cli
from leaflet_gen.content.project import Project
from leaflet_gen.content.schema import ICONS
from leaflet_gen.pipeline.build import Job, compose_job

ORTHO_ICONS = ["bureau", "tillen", "draaien", "schoenen", "nacht", "zitten"]


def test_unknown_icon_and_icon_without_title_are_refused(mini):
    mini.write("content/demo/uitleg.yaml",
               "title: T\nblocks:\n  - type: list\n    title: Tillen\n    icon: stoel\n    items: [a]\n"
               "  - type: list\n    icon: tillen\n    items: [b]\n")
    code, lines = check(mini)
    assert code == 1
    assert lines == [
        "content/demo/uitleg.yaml:5:11 blocks[0].icon: expected one of 'bureau', 'tillen', 'draaien', "
        "'schoenen', 'nacht' or 'zitten', got \"stoel\"",
        "content/demo/uitleg.yaml:7:5 blocks[1]: the icon \"tillen\" is shown next to the list's title: add a title",
        "Found 2 problems in 1 file; nothing was built.",
    ]


def test_every_icon_is_a_flat_black_48_px_svg():
    for name in ICONS:
        svg = (theme.BUILTIN / "templates/icons" / f"{name}.svg").read_text(encoding="utf-8")
        assert 'viewBox="0 0 48 48"' in svg, name
        colours = set(re.findall(r'(?:fill|stroke)="([^"]*)"', svg)) - {"none"}
        assert colours == {"#000000"}, name
        assert not re.search(r"<style|<text|Gradient|href|url\(", svg), name


def _leaflet(audience: str, variant: str):
    practice = SHIPPED[audience][0]
    return compose_job(Project.open(ROOT), Job.of(ROOT / "practices" / practice, "lage-rugpijn", audience, variant))


def test_compose_recolours_only_the_icons_in_use():
    office = _leaflet("orthopedie", "office")
    assert list(office.icons) == ORTHO_ICONS
    for uri in office.icons.values():
        assert uri.startswith("data:image/svg+xml")
        assert "%23000000" not in uri and "%23" + office.palette.heading.lstrip("#") in uri
    trifold = _leaflet("orthopedie", "trifold")
    ink = trifold.colours["heading"]  # device-cmyk(...) of the headings
    for uri in trifold.icons.values():
        assert "%23" not in uri  # no hex colour left
        assert "device-cmyk" in uri and ink.replace(" ", "%20").replace("(", "%28").replace(")", "%29") in uri
    assert _leaflet("fysiotherapie", "trifold").icons == {}


def _cmyk(css: str) -> tuple[float, ...]:
    return tuple(float(v) for v in re.findall(r"[\d.]+", css))


def _nested_forms(pdf: Path) -> dict[int, object]:
    """Form XObjects drawn inside the imposed panels (the icons), by object number."""
    found = {}
    for page in PdfReader(pdf).pages:
        for panel in page["/Resources"]["/XObject"].values():
            for ref in (panel.get_object()["/Resources"].get("/XObject") or {}).values():
                found[ref.idnum] = ref.get_object()
    return found


def test_orthopedie_trifold_draws_six_cmyk_icons_in_the_heading_ink(shipped):
    heading = _cmyk(_leaflet("orthopedie", "trifold").colours["heading"])
    forms = _nested_forms(shipped["orthopedie"])
    assert len(forms) == 6
    for form in forms.values():
        assert form["/Subtype"] == "/Form"
        data = form.get_data()
        assert b"DeviceRGB" not in data and not re.search(rb"(^|\s)(rg|RG)(\s|$)", data)
        assert form["/Group"]["/CS"] == "/DeviceCMYK"  # the transparency group blends in CMYK
        spaces = form["/Resources"].get_object().get("/ColorSpace") or {}
        assert all(cs.get_object() != "/DeviceRGB" for cs in spaces.values())
        inks = {tuple(round(float(v), 3) for v in m.groups())
                for m in re.finditer(rb"([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) (?:scn|SCN)", data)}
        assert inks == {heading}
    # Each is drawn once, in the panels.
    draws = 0
    for page in PdfReader(shipped["orthopedie"]).pages:
        for panel in page["/Resources"]["/XObject"].values():
            draws += len(re.findall(rb"/\S+ Do", panel.get_object().get_data()))
    assert draws == 6
    assert _nested_forms(shipped["fysiotherapie"]) == {}  # no icons in its content


def test_screen_icons_are_artifacts_not_figures(tmp_path):
    result = CliRunner().invoke(cli, ["--project", str(ROOT), "build", "--practice", "ortho-stanna",
                                      "--variant", "screen", "--output", str(tmp_path)])
    assert result.exit_code == 0, result.output
    reader = PdfReader(tmp_path / "ortho-stanna/lage-rugpijn-orthopedie-screen.pdf")
    in_artifact = outside = 0
    for page in reader.pages:
        stack: list[str] = []
        for operands, op in ContentStream(page.get_contents(), reader).operations:
            if op in (b"BMC", b"BDC"):
                stack.append(str(operands[0]))
            elif op == b"EMC":
                stack.pop()
            elif op == b"Do":
                if "/Artifact" in stack:
                    in_artifact += 1
                else:
                    outside += 1
    assert (in_artifact, outside) == (6, 0)

    figures = [str(node.get("/Alt", "")) for node in structure_nodes(reader.trailer["/Root"], "/Figure")]
    assert len(figures) == 2 and all(figures)  # logo and QR code only, each with alternative text


def test_missing_icon_file_is_a_clear_error(mini, tmp_path):
    mini.write("content/demo/uitleg.yaml",
               "title: T\nblocks:\n  - type: list\n    title: Tillen\n    icon: tillen\n    items: [\"Buig je knieën.\"]\n")
    # The project's own icon of that name (here a link to nothing) replaces the built-in one.
    (mini.root / "templates/icons").mkdir(parents=True)
    (mini.root / "templates/icons/tillen.svg").symlink_to(mini.root / "no-such.svg")
    result = mini.run("build", "--practice", "test", "--output", str(tmp_path))
    assert result.exit_code == 1
    assert (f'the icon "tillen" is missing: expected the file {mini.root / "templates/icons/tillen.svg"}'
            in result.stderr)


def test_an_icon_that_is_a_pipe_is_refused_not_read(tmp_path):
    """A named pipe where a pictogram should be would hang the build reading it."""
    import os

    import pytest

    from leaflet_gen.content.schema import BulletList, Section
    from leaflet_gen.errors import ValidationFailed
    from leaflet_gen.layout.compose import PlacedSection, _read_icons

    os.mkfifo(tmp_path / "tillen.svg")
    section = Section(blocks=[BulletList(type="list", title="Tillen", icon="tillen", items=["Buig je knieën."])])
    with pytest.raises(ValidationFailed) as caught:
        _read_icons((PlacedSection("s", section),), tmp_path)
    assert str(caught.value.problems[0]) == (f"{tmp_path / 'tillen.svg'} is not a regular file (a pipe, device or "
                                             "socket); expected an SVG file")
