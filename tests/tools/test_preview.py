"""Preview PNGs: the right files, the right pixel sizes, real content, faithful mock-ups.

The tests drive the real command through click's CliRunner.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, MiniProject
from PIL import Image, ImageStat

from leaflet_gen.cli import cli
from leaflet_gen.content.project import Project
from leaflet_gen.errors import LeafletError
from leaflet_gen.tools.preview import MOCKUP_MARGIN_MM, make_previews

BRAND = (0x1B, 0x6E, 0x8C)  # colours.primary of the MiniProject practice


cli_with_preview = cli  # the real command group



# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[MiniProject, dict[str, Path]]:
    """The MiniProject's leaflet as tri-fold and as screen PDF, built once for this module."""
    mini = MiniProject(tmp_path_factory.mktemp("preview") / "project")
    out = mini.root.parent / "out"
    pdfs = {}
    for variant in ("trifold", "screen"):
        result = mini.run("build", "--practice", "test", "--variant", variant, "--output", str(out))
        assert result.exit_code == 0, result.output
        pdfs[variant] = Path(result.stdout.strip())
    return mini, pdfs


def _variant(mini: MiniProject, variant_id: str):
    return Project.open(mini.root).load_variant(variant_id)


def _mm_to_px(mm: float, dpi: int) -> float:
    return mm / 25.4 * dpi


def _near(pixel, colour, tolerance=30) -> bool:
    return sum((a - b) ** 2 for a, b in zip(pixel, colour)) <= tolerance ** 2


def _share(image: Image.Image, colour) -> float:
    counts = image.convert("RGB").getcolors(image.width * image.height)
    return sum(n for n, pixel in counts if _near(pixel, colour)) / (image.width * image.height)


# --- tri-fold -----------------------------------------------------------------------------------


def test_trifold_files_in_order(built, tmp_path):
    mini, pdfs = built
    paths = make_previews(pdfs["trifold"], _variant(mini, "trifold"), tmp_path)
    stem = "demo-fysiotherapie-trifold"
    assert [p.name for p in paths] == [
        f"{stem}-sheet-outside.png", f"{stem}-sheet-inside.png",
        f"{stem}-panel-cover.png", f"{stem}-panel-inside-left.png", f"{stem}-panel-flap.png",
        f"{stem}-panel-inside-middle.png", f"{stem}-panel-tuck-in.png", f"{stem}-panel-back.png",
        f"{stem}-mockup-closed.png", f"{stem}-mockup-half-open.png", f"{stem}-mockup-open.png",
    ]
    assert all(p.parent == tmp_path and p.read_bytes().startswith(b"\x89PNG") for p in paths)


@pytest.mark.parametrize("dpi", [100, 50])
def test_pixel_sizes_follow_the_trim_and_the_dpi(built, tmp_path, dpi):
    mini, pdfs = built
    variant = _variant(mini, "trifold")
    images = {p.name.rsplit("-trifold-", 1)[1]: Image.open(p) for p in make_previews(pdfs["trifold"], variant, tmp_path, dpi)}
    height = _mm_to_px(210, dpi)
    for sheet in ("sheet-outside.png", "sheet-inside.png"):
        width, h = images[sheet].size
        # The trim (297 x 210 mm), not the media box with slug and bleed (321 x 234 mm).
        assert abs(width - _mm_to_px(297, dpi)) <= 1 and abs(h - height) <= 1
    for panel in variant.panels:
        width, h = images[f"panel-{panel.id}.png"].size
        assert abs(width - _mm_to_px(panel.width, dpi)) <= 1, panel.id  # 100 mm at 100 dpi: 394 px
        assert abs(h - height) <= 1
    if dpi == 100:
        assert images["panel-cover.png"].width == 394
    closed = images["mockup-closed.png"]
    assert closed.width > images["panel-cover.png"].width and closed.height > height
    assert images["mockup-open.png"].width > images["sheet-inside.png"].width


def test_images_are_not_blank_and_carry_the_brand(built, tmp_path):
    mini, pdfs = built
    images = {p.name.rsplit("-trifold-", 1)[1]: Image.open(p).convert("RGB")
              for p in make_previews(pdfs["trifold"], _variant(mini, "trifold"), tmp_path)}
    # (The mini leaflet's text ends on the inside-left panel, the first flow panel.)
    for name in ("sheet-outside.png", "panel-cover.png", "panel-back.png",
                 "panel-inside-left.png",
                 "mockup-closed.png", "mockup-half-open.png", "mockup-open.png"):
        image = images[name]
        colours = image.getcolors(image.width * image.height)
        assert len(colours) > 50, name  # text, anti-aliasing, logo: never one flat colour
        assert max(ImageStat.Stat(image).stddev) > 10, name
    # The cover is set on the brand colour (PDFium's CMYK conversion is close, not exact).
    assert _share(images["panel-cover.png"], BRAND) > 0.5
    assert _share(images["mockup-closed.png"], BRAND) > 0.3
    # Backgrounds run to the trim: the outside sheet's right-hand column is cover, not slug or marks.
    outside = images["sheet-outside.png"]
    edge = [outside.getpixel((outside.width - 1, y)) for y in range(0, outside.height, 10)]
    assert all(_near(pixel, BRAND) for pixel in edge)


def test_mockups_show_the_pdf_faithfully(shipped, tmp_path):
    dpi = 100
    variant = Project.open(ROOT).load_variant("trifold")
    images = {p.name.rsplit("-trifold-", 1)[1]: Image.open(p).convert("RGB")
              for p in make_previews(shipped["fysiotherapie"], variant, tmp_path, dpi)}
    margin = round(_mm_to_px(MOCKUP_MARGIN_MM, dpi))
    hinge = round(_mm_to_px(3, dpi))  # only the fold edge is shaded
    cover = images["panel-cover.png"]
    closed = images["mockup-closed.png"]
    # The cover appears pixel for pixel on the closed mock-up, apart from the shaded hinge.
    assert closed.crop((margin + hinge, margin, margin + cover.width, margin + cover.height)).tobytes() \
        == cover.crop((hinge, 0, cover.width, cover.height)).tobytes()
    # The open mock-up is the inside sheet, untouched away from the folds.
    inside = images["sheet-inside.png"]
    opened = images["mockup-open.png"]
    for left_mm, right_mm in ((0, 85), (113, 185), (213, 297)):
        box = (round(_mm_to_px(left_mm, dpi)), 0, round(_mm_to_px(right_mm, dpi)), inside.height)
        shifted = (box[0] + margin, margin, box[2] + margin, margin + inside.height)
        assert opened.crop(shifted).tobytes() == inside.crop(box).tobytes(), (left_mm, right_mm)
    # The folds are shaded: darker than the same spot of the sheet.
    for fold_mm in (100, 200):
        x = round(_mm_to_px(fold_mm, dpi)) - 2
        y = inside.height - 20  # the bottom margin: blank paper
        assert sum(opened.getpixel((x + margin, y + margin))) < sum(inside.getpixel((x, y))) - 30
    # Half open: inside-left and flap, with their brand-coloured headings, at about their own size
    # (the opened cover is drawn narrower by its tilt and taller by its perspective).
    flat = sum(_share(images[f"panel-{p}.png"], BRAND) * images[f"panel-{p}.png"].width
               for p in ("flap", "inside-left"))
    half = images["mockup-half-open.png"]
    drawn = _share(half, BRAND) * half.width * half.height / cover.height
    assert flat > 0 and 0.6 < drawn / flat < 1.2


def test_output_is_deterministic(built, tmp_path):
    mini, pdfs = built
    variant = _variant(mini, "trifold")
    first = make_previews(pdfs["trifold"], variant, tmp_path / "a")
    second = make_previews(pdfs["trifold"], variant, tmp_path / "b")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


# --- flowing variants and wrong input -----------------------------------------------------------


def test_pages_without_panels_and_no_mockups(built, tmp_path):
    mini, pdfs = built
    paths = make_previews(pdfs["screen"], _variant(mini, "screen"), tmp_path, dpi=60)
    assert paths and [p.name for p in paths] == [f"demo-fysiotherapie-screen-page-{i}.png"
                                                 for i in range(1, len(paths) + 1)]
    for path in paths:
        width, height = Image.open(path).size
        assert abs(width - _mm_to_px(210, 60)) <= 1 and abs(height - _mm_to_px(297, 60)) <= 1


def test_a_pdf_of_another_variant_is_refused(built, tmp_path):
    mini, pdfs = built
    with pytest.raises(LeafletError, match="variant screen is 210 x 297 mm; pass the variant"):
        make_previews(pdfs["trifold"], _variant(mini, "screen"), tmp_path)
    with pytest.raises(LeafletError, match="has 4 pages|has \\d+ pages, but variant trifold has 2 sheets"):
        make_previews(pdfs["screen"], _variant(mini, "trifold"), tmp_path)
    assert not list(tmp_path.iterdir())


# --- the command --------------------------------------------------------------------------------


def test_preview_command_builds_and_prints_every_path(built, tmp_path):
    mini, _ = built
    out = tmp_path / "previews"
    result = CliRunner().invoke(cli_with_preview, ["--project", str(mini.root), "preview", "--practice", "test",
                                           "--audience", "fysiotherapie", "--variant", "trifold",
                                           "--output", str(out), "--dpi", "40"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    printed = result.stdout.split()
    assert len(printed) == 11 and sorted(printed) == sorted(str(p) for p in out.iterdir())
    assert Image.open(out / "demo-fysiotherapie-trifold-panel-cover.png").width == math.ceil(_mm_to_px(100, 40))


def test_preview_command_with_a_pdf_and_the_default_folder(built, tmp_path, monkeypatch):
    mini, pdfs = built
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli_with_preview, ["--project", str(mini.root), "preview", "--practice", "test",
                                           "--pdf", str(pdfs["screen"]), "--variant", "screen"])
    assert result.exit_code == 0, result.output
    folder = mini.root / "out" / "preview" / "test"  # out/ of the project, wherever the command runs
    assert result.stdout.split() == [str(folder / f"demo-fysiotherapie-screen-page-{i}.png")
                                     for i in range(1, len(result.stdout.split()) + 1)]
    wrong = CliRunner().invoke(cli_with_preview, ["--project", str(mini.root), "preview", "--pdf", str(pdfs["screen"])])
    assert wrong.exit_code == 1
    assert "pass the variant the PDF was built for" in wrong.stderr
