"""Print colour: brand colours, logos and QR codes in CMYK for the PDF/X output intent.

WeasyPrint converts nothing: every colour of a print PDF must be written as ``device-cmyk()``.
Hex colours go through the output profile with LittleCMS (Pillow's ImageCms); neutral greys,
black and the body text become black-only (K) so text is never printed in rich black. Composing
needs it (:mod:`leaflet_gen.layout.compose`), so it lives with the layout; the profile itself is
checked as an input (:mod:`leaflet_gen.content.icc`).
"""

from __future__ import annotations

import io
import re
import urllib.parse
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from leaflet_gen.errors import LeafletError
from leaflet_gen.layout.palette import hex_rgb

CMYK = tuple[float, float, float, float]
DEFAULT_CONDITION = "FOGRA39"  # the characterisation behind the built-in profiles/FOGRA39L-coated.icc


def output_condition(profile: Path) -> str:
    """The name a print shop knows for a profile: FOGRA39 for ours, else its own description."""
    if profile.name == "FOGRA39L-coated.icc":
        return DEFAULT_CONDITION
    from PIL import ImageCms

    return ImageCms.getProfileDescription(ImageCms.getOpenProfile(str(profile))).strip() or profile.name


def css(cmyk: CMYK) -> str:
    return "device-cmyk({:.3f} {:.3f} {:.3f} {:.3f})".format(*cmyk)


@dataclass(frozen=True)
class CmykConverter:
    profile: Path

    def convert(self, hex_colour: str) -> CMYK:
        r, g, b = hex_rgb(hex_colour)
        if r == g == b:
            # Greys, black and white: black ink only, never rich black.
            return (0.0, 0.0, 0.0, round(1 - r / 255, 3))
        return _convert(*_identity(self.profile), r, g, b)

    def delta_e(self, hex_colour: str, cmyk: CMYK) -> float:
        """How far printing moves a colour: CIE76 Delta E between the hex colour on screen and
        ``cmyk`` (fractions 0-1) printed under this profile. Under ~2 nobody sees it; over ~6 the
        print is visibly another colour (bright RGB greens, blues and oranges print duller)."""
        from PIL import Image

        screen = _lab_from_rgb().apply(_pixel(*hex_rgb(hex_colour))).getpixel((0, 0))
        ink = Image.new("CMYK", (1, 1), tuple(round(v * 255) for v in cmyk))
        printed = _lab_from_cmyk(*_identity(self.profile)).apply(ink).getpixel((0, 0))
        (l1, a1, b1), (l2, a2, b2) = (_lab(v) for v in (screen, printed))
        return ((l1 - l2) ** 2 + (a1 - a2) ** 2 + (b1 - b2) ** 2) ** 0.5

    def image_to_cmyk_jpeg(self, data: bytes) -> bytes:
        """A raster logo as a CMYK JPEG (transparency flattened on white paper)."""
        from PIL import Image

        with Image.open(io.BytesIO(data)) as image:
            rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        cmyk = _transform(*_identity(self.profile)).apply(flat)
        out = io.BytesIO()
        cmyk.save(out, "JPEG", quality=95, subsampling=0, dpi=(300, 300))
        return out.getvalue()


@lru_cache(maxsize=1024)
def _convert(profile: str, mtime: int, size: int, r: int, g: int, b: int) -> CMYK:
    # Kept per process: a catalogue converts the same brand colours for every leaflet.
    c, m, y, k = _transform(profile, mtime, size).apply(_pixel(r, g, b)).getpixel((0, 0))
    return tuple(round(v / 255, 3) for v in (c, m, y, k))  # type: ignore[return-value]


def _pixel(r: int, g: int, b: int):
    from PIL import Image

    return Image.new("RGB", (1, 1), (r, g, b))


def _identity(profile: Path | str) -> tuple[str, int, int]:
    """The profile's path and file state: the transforms below are kept per process by these,
    so a long-running process (the studio) sees a profile replaced."""
    st = Path(profile).stat()
    return str(profile), st.st_mtime_ns, st.st_size


@lru_cache(maxsize=4)
def _transform(profile: str, _mtime: int, _size: int):
    from PIL import ImageCms

    return ImageCms.buildTransform(
        ImageCms.createProfile("sRGB"), ImageCms.getOpenProfile(profile), "RGB", "CMYK",
        renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
        flags=ImageCms.Flags.BLACKPOINTCOMPENSATION,
    )


def _lab(pixel: tuple[int, int, int]) -> tuple[float, float, float]:
    # Pillow's LAB pixels: L scaled to 0-255, a and b offset by 128.
    return pixel[0] * 100 / 255, pixel[1] - 128, pixel[2] - 128


@lru_cache(maxsize=1)
def _lab_from_rgb():
    from PIL import ImageCms

    return ImageCms.buildTransform(ImageCms.createProfile("sRGB"), ImageCms.createProfile("LAB"), "RGB", "LAB",
                                   renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC)


@lru_cache(maxsize=4)
def _lab_from_cmyk(profile: str, _mtime: int, _size: int):
    from PIL import ImageCms

    return ImageCms.buildTransform(ImageCms.getOpenProfile(profile), ImageCms.createProfile("LAB"), "CMYK", "LAB",
                                   renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
                                   flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)


_NAMED = {"black": "#000000", "white": "#FFFFFF"}
_COLOUR_RE = re.compile(r"#[0-9A-Fa-f]{6}\b|#[0-9A-Fa-f]{3}\b|\b(?:black|white)\b")


def svg_to_cmyk(svg: bytes, name: str, exact: dict[str, CMYK], converter: CmykConverter) -> bytes:
    """Rewrite the flat colours of an SVG logo as device-cmyk(); brand colours use exact values."""
    text = svg.decode("utf-8")
    if re.search(r"<(linear|radial)Gradient", text):
        raise LeafletError(
            f'"{name}" uses a colour gradient, which cannot be printed as CMYK by the renderer; '
            "use flat colours, or a CMYK JPEG logo"
        )

    def colour(match: re.Match) -> str:
        value = _NAMED.get(match.group(0).lower(), match.group(0))
        if len(value) == 4:
            value = "#" + "".join(c * 2 for c in value[1:])
        cmyk = exact.get(value.upper()) or converter.convert(value)
        return css(cmyk)

    def attr(match: re.Match) -> str:
        return match.group(1) + _COLOUR_RE.sub(colour, match.group(2)) + match.group(3)

    text = re.sub(r'((?:fill|stroke|stop-color|color|style)\s*=\s*")([^"]*)(")', attr, text)
    text = re.sub(r"(<style[^>]*>)(.*?)(</style>)", attr, text, flags=re.S)
    return text.encode("utf-8")


def svg_data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;charset=utf-8," + urllib.parse.quote(svg.decode("utf-8"))


def jpeg_data_uri(data: bytes) -> str:
    import base64

    return "data:image/jpeg;base64," + base64.b64encode(data).decode("ascii")
