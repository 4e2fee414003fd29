"""Preview images of a finished leaflet PDF, for the practice manager who has no print proof yet.

The PDF is rasterised with PDFium (pypdfium2), the same independent reader the checks use, so a
preview shows what the file really contains rather than what the templates meant to draw. Each
page is cropped to its TrimBox: the slug with crop and fold marks and the 3 mm bleed are for the
print shop and would only confuse someone checking how the folded leaflet will look.

For a tri-fold variant this writes, next to each other in ``out_dir``:

- ``<stem>-sheet-outside.png``, ``<stem>-sheet-inside.png``: each A4 sheet as trimmed;
- ``<stem>-panel-<panel id>.png``: each panel on its own;
- ``<stem>-mockup-closed.png``: the folded leaflet lying on a table, front cover up;
- ``<stem>-mockup-half-open.png``: the cover swung open: its inner side (the inside-left panel)
  next to the inner flap, the two panels a reader sees first;
- ``<stem>-mockup-open.png``: the inside sheet fully unfolded, with shaded folds.

Flowing variants (screen, large print: plain A4 pages) get ``<stem>-page-<n>.png`` per page and no
mock-ups, because they are not folded.

Colours are PDFium's on-screen approximation; a CMYK print PDF's colours are converted without the
output profile, so they can differ slightly from the brand's hex colours (and from print).

Output is deterministic: the same PDF gives byte-identical PNGs (no timestamps or random noise;
the PNG writer stores only the pixels and the resolution).
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from pathlib import Path

from leaflet_gen.content.schema import Panel, Variant
from leaflet_gen.errors import LeafletError
from leaflet_gen.files import write_together
from leaflet_gen.pdf.raster import rasterise
from leaflet_gen.units import MM_PER_INCH

BACKGROUND = (236, 234, 230)  # a light, warm table top: white paper still stands out against it
MOCKUP_MARGIN_MM = 14  # table visible around a mock-up: room for the shadow


def make_previews(pdf_path: Path, variant: Variant, out_dir: Path, dpi: int = 100) -> list[Path]:
    """Write the preview PNGs of ``pdf_path`` (made for ``variant``) and return their paths."""
    if not 10 <= dpi <= 1200:
        raise LeafletError(f"the preview resolution must be between 10 and 1200 dpi, got {dpi}")
    pdf_path = Path(pdf_path)
    out_dir = Path(out_dir)
    stem = pdf_path.stem
    images: dict[str, object] = {}
    sheets, panels = rasterise(pdf_path, variant, dpi)
    if not variant.panels:
        for index, page in enumerate(sheets, start=1):
            images[f"{stem}-page-{index}.png"] = page
    else:
        by_id = {sheet.id: image for sheet, image in zip(variant.sheets, sheets)}
        for sheet_id, image in by_id.items():
            images[f"{stem}-sheet-{sheet_id}.png"] = image
        for panel in variant.panels:
            images[f"{stem}-panel-{panel.id}.png"] = panels[panel.id]
        fold = _Fold.of(variant)
        if fold is not None:
            mm = _Scale(dpi)
            images[f"{stem}-mockup-closed.png"] = _mockup_closed(panels[fold.cover.id], fold.cover_hinge_left, mm)
            # Drawn for a cover that opens to the left (a letter fold as in variants/trifold.yaml);
            # a mirrored layout would need mirrored drawing, so it gets no half-open picture.
            if fold.cover_hinge_left and fold.flap and fold.cover_inside and fold.flap_inside:
                images[f"{stem}-mockup-half-open.png"] = _mockup_half_open(
                    panels[fold.cover_inside.id], panels[fold.flap.id], by_id["inside"], fold, mm)
            images[f"{stem}-mockup-open.png"] = _mockup_open(by_id["inside"], fold.inside_folds, mm)
    out_dir.mkdir(parents=True, exist_ok=True)
    encoded = {}
    for name, image in images.items():
        buffer = io.BytesIO()
        # optimize=False and no text chunks: Pillow then writes the same bytes for the same pixels.
        image.save(buffer, format="PNG", dpi=(dpi, dpi))
        encoded[out_dir / name] = buffer.getvalue()
    write_together(encoded, sync=False)  # all of a leaflet's pictures or none; not synced: made again at will
    return list(encoded)


# --- rasterising ------------------------------------------------------------------------------


# --- geometry of the fold ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Fold:
    """Which panels a reader sees when folding, worked out from the variant's geometry.

    Turning a sheet over mirrors it: the panel printed behind an outside panel at x..x+w is the
    inside panel at page_width-(x+w)..page_width-x. So the cover's reverse is the panel that
    swings open with it, and the inner flap is the outside panel that is neither cover nor back.
    """

    cover: Panel
    cover_inside: Panel | None  # printed on the back of the cover (inside left for a letter fold)
    flap: Panel | None  # the outside panel a reader sees next to it when the cover is opened
    flap_inside: Panel | None  # the panel the flap lies on (inside middle)
    inside_folds: tuple[float, ...]  # fold positions on the inside sheet, mm from its left trim
    cover_hinge_left: bool  # the cover opens like a book: it is the right-hand outside panel

    @classmethod
    def of(cls, variant: Variant) -> "_Fold | None":
        ids = [s.id for s in variant.sheets]
        if sorted(ids) != ["inside", "outside"]:
            return None  # not a two-sided folded leaflet we know how to picture
        cover = next(p for p in variant.panels if p.role == "cover")
        if cover.sheet != "outside":
            return None
        width = variant.page_width

        def behind(panel: Panel) -> Panel | None:
            mirror = width - (panel.x + panel.width)
            return next((p for p in variant.panels if p.sheet != panel.sheet and abs(p.x - mirror) < 0.5), None)

        flap = next((p for p in variant.panels if p.sheet == "outside" and p.role == "flow"), None)
        tuck = behind(flap) if flap else None
        flap_inside = None
        if tuck is not None:
            # The tuck-in folds onto its neighbour on the inside sheet, towards the cover's side.
            neighbours = [p for p in variant.panels if p.sheet == "inside" and p is not tuck
                          and p is not behind(cover)]
            flap_inside = neighbours[0] if len(neighbours) == 1 else None
        sheet = next(s for s in variant.sheets if s.id == "inside")
        folds = tuple(sheet.folds) or tuple(sorted({p.x for p in variant.panels if p.sheet == "inside" and p.x > 0}))
        return cls(cover, behind(cover), flap, flap_inside, folds, cover.x > 0)


@dataclass(frozen=True)
class _Scale:
    dpi: int

    def __call__(self, mm: float) -> int:
        return max(1, round(mm / MM_PER_INCH * self.dpi))


# --- drawing helpers --------------------------------------------------------------------------


def _canvas(width: int, height: int):
    from PIL import Image

    return Image.new("RGB", (width, height), BACKGROUND)


def _drop_shadow(canvas, polygon: list[tuple[float, float]], offset: tuple[float, float], blur: float,
                 opacity: float) -> None:
    """A soft shadow of ``polygon`` cast onto the table, offset away from a light at the top left."""
    from PIL import Image, ImageDraw, ImageFilter

    mask = Image.new("L", canvas.size, 0)
    shifted = [(x + offset[0], y + offset[1]) for x, y in polygon]
    ImageDraw.Draw(mask).polygon(shifted, fill=round(255 * opacity))
    mask = mask.filter(ImageFilter.GaussianBlur(blur))
    canvas.paste((40, 36, 30), (0, 0), mask)  # a warm dark grey, not black: shadows on paper are not black


def _profile(width: int, height: int, values: list[float]):
    """An 'L' mask whose columns follow ``values`` (0..1, one per column), the same on every row."""
    from PIL import Image

    row = Image.new("L", (width, 1))
    row.putdata([max(0, min(255, round(v * 255))) for v in values])
    return row.resize((width, height), Image.NEAREST)


def _shade(image, values: list[float], colour=(0, 0, 0)):
    """``image`` darkened (or lightened, with a white ``colour``) column by column by ``values``."""
    out = image.copy()
    out.paste(colour, (0, 0), _profile(image.width, image.height, values))
    return out


def _crease(width: int, at: float, before: float, after: float, depth_before: float, depth_after: float) -> list[float]:
    """Shade per column around a fold at column ``at``: strongest at the fold, fading out smoothly.

    Paper bends over a few millimetres, so the shading eases out (a cosine) rather than stopping
    at a hard edge, which would read as a printed line instead of a fold.
    """
    values = []
    for x in range(width):
        centre = x + 0.5
        if centre < at:
            t = (at - centre) / before
            depth = depth_before
        else:
            t = (centre - at) / after
            depth = depth_after
        values.append(depth * (0.5 + 0.5 * math.cos(math.pi * t)) if t < 1 else 0.0)
    return values


def _add(*profiles: list[float]) -> list[float]:
    return [sum(values) for values in zip(*profiles)]


def _perspective_coefficients(target: list[tuple[float, float]], source: list[tuple[float, float]]) -> list[float]:
    """The 8 coefficients for PIL's PERSPECTIVE transform that map ``target`` corners to ``source``.

    PIL asks, for each output pixel, where to sample the input, so the equations go from the
    drawn quadrilateral back to the flat panel. Solved with plain Gaussian elimination (8 x 8).
    """
    rows, rhs = [], []
    for (x, y), (u, v) in zip(target, source):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rhs.append(u)
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs.append(v)
    n = 8
    m = [row + [b] for row, b in zip(rows, rhs)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(n):
            if r != col:
                f = m[r][col] / m[col][col]
                m[r] = [a - f * b for a, b in zip(m[r], m[col])]
    return [m[i][n] / m[i][i] for i in range(n)]


def _warp(image, quad: list[tuple[float, float]]):
    """``image`` drawn onto the quadrilateral ``quad`` (TL, TR, BR, BL): an RGB tile, a soft-edged mask
    and the tile's position. The mask is warped too, so the slanted edges are anti-aliased."""
    from PIL import Image

    xs, ys = [p[0] for p in quad], [p[1] for p in quad]
    left, top = math.floor(min(xs)), math.floor(min(ys))
    size = (math.ceil(max(xs)) - left + 1, math.ceil(max(ys)) - top + 1)
    local = [(x - left, y - top) for x, y in quad]
    # A 2-pixel border copied from the edge, transparent in the mask, gives the resampler something
    # to blend with at the edges instead of black.
    pad = 2
    padded = Image.new("RGB", (image.width + 2 * pad, image.height + 2 * pad))
    padded.paste(image.resize((image.width + 2 * pad, image.height + 2 * pad), Image.NEAREST))
    padded.paste(image, (pad, pad))
    mask = Image.new("L", padded.size, 0)
    mask.paste(255, (pad, pad, pad + image.width, pad + image.height))
    w, h = image.width, image.height
    source = [(pad, pad), (pad + w, pad), (pad + w, pad + h), (pad, pad + h)]
    coeffs = _perspective_coefficients(local, source)
    tile = padded.transform(size, Image.PERSPECTIVE, coeffs, Image.BICUBIC)
    tile_mask = mask.transform(size, Image.PERSPECTIVE, coeffs, Image.BILINEAR)
    return tile, tile_mask, (left, top)


# --- mock-ups ---------------------------------------------------------------------------------


def _mockup_closed(cover, hinge_left: bool, mm: _Scale):
    """The folded leaflet lying on a table, front cover up."""
    from PIL import ImageDraw

    margin = mm(MOCKUP_MARGIN_MM)
    canvas = _canvas(cover.width + 2 * margin, cover.height + 2 * margin)
    x0, y0 = margin, margin
    rect = [(x0, y0), (x0 + cover.width, y0), (x0 + cover.width, y0 + cover.height), (x0, y0 + cover.height)]
    # Two shadows: a wide soft one for the light, a tight one where the paper touches the table.
    _drop_shadow(canvas, rect, (mm(1.5), mm(2.5)), mm(3), 0.30)
    _drop_shadow(canvas, rect, (mm(0.3), mm(0.5)), mm(0.6), 0.30)
    # Three layers of paper: the folded edges at the right and bottom show a hair of the panels below.
    draw = ImageDraw.Draw(canvas)
    for layer, fill in ((2, (214, 211, 205)), (1, (228, 226, 221))):
        d = layer * _paper(mm)
        draw.rectangle((x0 + d, y0 + d, x0 + cover.width - 1 + d, y0 + cover.height - 1 + d), fill=fill)
    # The hinge of the cover is a fold: the rounded paper catches less light there.
    if hinge_left:
        hinge = _crease(cover.width, 0, 1, mm(2.5), 0.0, 0.16)
    else:
        hinge = _crease(cover.width, cover.width, mm(2.5), 1, 0.16, 0.0)
    canvas.paste(_shade(cover, hinge), (x0, y0))
    return canvas


def _paper(mm: _Scale) -> int:
    # The edge of one layer of paper, at least a pixel so it shows at low resolution.
    return max(1, mm(0.2))


def _mockup_half_open(cover_inside, flap, inside_sheet, fold: _Fold, mm: _Scale):
    """The cover swung open to the left: its inner side, tilted towards the viewer, next to the flap.

    The flap (the tuck-in's outside) is narrower than the panel it lies on, so a sliver of the
    inside-middle panel shows at the spine, as on a real letter-folded leaflet.
    """
    from PIL import ImageDraw

    h = flap.height
    stack_w = math.ceil(fold.flap_inside.width / MM_PER_INCH * mm.dpi)
    sliver = max(0, stack_w - flap.width)
    # The opened cover, lifted about 25 degrees off the table: narrower, its free edge nearer and taller.
    tilt = math.radians(25)
    open_w = round(cover_inside.width * math.cos(tilt))
    grow = round(h * 0.05)
    margin = mm(MOCKUP_MARGIN_MM)
    spine_x = margin + open_w
    top = margin + grow
    canvas = _canvas(spine_x + stack_w + margin + mm(2), h + 2 * top)

    stack = [(spine_x, top), (spine_x + stack_w, top), (spine_x + stack_w, top + h), (spine_x, top + h)]
    quad = [(margin, top - grow), (spine_x, top), (spine_x, top + h), (margin, top + h + grow)]
    _drop_shadow(canvas, stack, (mm(1.5), mm(2.5)), mm(3), 0.30)
    _drop_shadow(canvas, stack, (mm(0.3), mm(0.5)), mm(0.6), 0.30)
    # The lifted cover casts a longer, softer shadow than the flat stack; only its spine side
    # touches the table, so the shadow starts a little in from its free edge.
    _drop_shadow(canvas, [(x + mm(3), y + mm(1)) for x, y in quad[:1]] + quad[1:3]
                 + [(quad[3][0] + mm(3), quad[3][1] - mm(1))], (mm(2), mm(4)), mm(5), 0.28)

    draw = ImageDraw.Draw(canvas)
    for layer, fill in ((2, (214, 211, 205)), (1, (228, 226, 221))):  # paper layers under the flap
        d = layer * _paper(mm)
        draw.rectangle((spine_x, top + d, spine_x + stack_w - 1 + d, top + h - 1 + d), fill=fill)

    # The stack: the inside-middle panel's edge at the spine, the flap on top of it.
    if sliver:
        middle_x = round(fold.flap_inside.x / MM_PER_INCH * mm.dpi)
        strip = inside_sheet.crop((middle_x, 0, middle_x + sliver, h))
        strip = _shade(strip, _crease(sliver, 0, 1, mm(4), 0, 0.22))
        canvas.paste(strip, (spine_x, top))
    # The flap's free edge lies on the panel below: a thin contact shadow to its left.
    edge = _profile(mm(1.2), h, [0.25 * (i + 1) / mm(1.2) for i in range(mm(1.2))])
    canvas.paste((40, 36, 30), (spine_x + sliver - mm(1.2), top), edge)
    flap_shaded = _shade(flap, _crease(flap.width, 0, 1, mm(6), 0, 0.12))
    canvas.paste(flap_shaded, (spine_x + sliver, top))

    # The opened cover: darker towards the fold, where it curves down into the spine.
    shaded = _shade(cover_inside, _add(
        _crease(cover_inside.width, cover_inside.width, mm(14), 1, 0.22, 0),
        [0.03] * cover_inside.width))  # a touch darker overall: it faces slightly away from the light
    tile, tile_mask, at = _warp(shaded, quad)
    canvas.paste(tile, at, tile_mask)
    # The crease itself: a thin dark line where the paper bends.
    draw.line([(spine_x, top), (spine_x, top + h - 1)], fill=(120, 116, 110), width=1)
    return canvas


def _mockup_open(inside, folds: tuple[float, ...], mm: _Scale):
    """The inside sheet unfolded on a table. Both letter folds are valleys seen from this side."""
    margin = mm(MOCKUP_MARGIN_MM)
    canvas = _canvas(inside.width + 2 * margin, inside.height + 2 * margin)
    x0, y0 = margin, margin
    w, h = inside.width, inside.height
    # An unfolded sheet rests on its folds and lifts a little at the outer edges, so its shadow is
    # a bit wider there than at the folds.
    fold_px = [x0 + round(f / MM_PER_INCH * mm.dpi) for f in folds]
    lift = mm(1.2)
    top_edge = [(x0, y0)] + [(x, y0 + lift) for x in fold_px] + [(x0 + w, y0)]
    bottom_edge = [(x0 + w, y0 + h + lift)] + [(x, y0 + h) for x in reversed(fold_px)] + [(x0, y0 + h + lift)]
    _drop_shadow(canvas, top_edge + bottom_edge, (mm(1.5), mm(2.5)), mm(3), 0.30)
    _drop_shadow(canvas, [(x0, y0), (x0 + w, y0), (x0 + w, y0 + h), (x0, y0 + h)], (mm(0.3), mm(0.5)),
                 mm(0.6), 0.25)
    # Light from the top left: the panel left of a valley fold slopes away from it and darkens
    # towards the crease; the panel to the right faces the light, with a narrow shadow in the crease.
    darken = [0.0] * w
    lighten = [0.0] * w
    for f in folds:
        at = f / MM_PER_INCH * mm.dpi
        darken = _add(darken, _crease(w, at, mm(9), mm(2.5), 0.18, 0.10))
        # Just past the crease the paper turns towards the light: a faint highlight band.
        lighten = _add(lighten, [0.08 if 0 <= x + 0.5 - at - mm(2.5) < mm(6) else 0.0 for x in range(w)])
    sheet = _shade(inside, darken)
    sheet = _shade(sheet, _smooth(lighten, mm(3)), colour=(255, 255, 255))
    canvas.paste(sheet, (x0, y0))
    return canvas


def _smooth(values: list[float], radius: int) -> list[float]:
    """A box blur of a column profile, so highlights fade in and out."""
    out = []
    n = len(values)
    for i in range(n):
        lo, hi = max(0, i - radius), min(n, i + radius + 1)
        out.append(sum(values[lo:hi]) / (2 * radius + 1))
    return out
