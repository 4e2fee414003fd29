"""Logo checks by content, not by file name: real type, safe SVG, enough resolution.

An SVG logo is refused when it could pull in anything from outside (DOCTYPE/entities, external
hrefs, scripts); a raster logo must decode, and gets a warning when its effective resolution
at the size it is printed falls under 300 ppi.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from leaflet_gen.units import MM_PER_INCH

MIN_PPI = 300
# Bounds, checked before decoding: a logo is at most 74 mm wide, so 300 ppi needs ~900 pixels.
MAX_LOGO_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 25_000_000  # 5000 x 5000: far more than print needs, far less than a decompression bomb
MAX_SVG_ELEMENTS = 10_000  # a drawn logo has hundreds; 100,000 took minutes to render
# The largest size a logo is printed at (cover: 74 x 28 mm box), see styles/trifold.css.
LOGO_BOX_MM = (74.0, 28.0)


@dataclass(frozen=True)
class LogoReport:
    kind: str | None  # "png" | "jpeg" | "svg" | None (not an image we accept)
    error: str | None = None
    warning: str | None = None
    ppi: float | None = None  # raster logos: effective resolution at the size printed on the cover


def sniff(head: bytes) -> str | None:
    """The real type of an image from its first bytes: "png", "jpeg", "svg" or None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if re.match(rb"^(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*(<!DOCTYPE\s+svg[^\[>]*(\[.*?\])?\s*>\s*)?<svg[\s>]", text, re.S):
        return "svg"
    return None


def inspect_logo(data: bytes, name: str) -> LogoReport:
    kind = sniff(data[:4096])
    if kind is None:
        return LogoReport(None, f'"{name}" is not a PNG, JPEG or SVG image (checked by its content)')
    if kind == "svg":
        return LogoReport(kind, _svg_problem(data, name))
    return _raster(data, name, kind)


def _svg_problem(data: bytes, name: str) -> str | None:
    if re.search(rb"<!(DOCTYPE|ENTITY)", data, re.I):
        return f'"{name}" contains a DOCTYPE or ENTITY declaration; save the SVG without it'
    declared = re.match(rb"\s*<\?xml[^>]*encoding\s*=\s*[\"']([\w.-]+)", data.lstrip(b"\xef\xbb\xbf"))
    if declared and declared.group(1).decode("ascii").lower().replace("_", "-") not in ("utf-8", "utf8", "us-ascii"):
        return (f'"{name}" is saved in the {declared.group(1).decode("ascii")} encoding; save the SVG as UTF-8 '
                "(most drawing programs offer it when exporting)")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f'"{name}" is not UTF-8 text (byte {exc.start}); save the SVG as UTF-8'
    if data.count(b"<") > MAX_SVG_ELEMENTS * 2:  # cheap bound before parsing
        return f'"{name}" has far more than {MAX_SVG_ELEMENTS} elements; simplify the drawing or export a PNG'
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        return f'"{name}" is not a valid SVG file ({exc})'
    elements = sum(1 for _ in root.iter())
    if elements > MAX_SVG_ELEMENTS:
        return (f'"{name}" has {elements} elements (at most {MAX_SVG_ELEMENTS}); simplify the drawing '
                "or export a PNG")
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag in ("script", "foreignObject"):
            return f'"{name}" contains <{tag}>; a logo must be plain vector graphics'
        for attr, value in element.attrib.items():
            if attr.rsplit("}", 1)[-1] == "href" and not value.startswith(("#", "data:")):
                return f'"{name}" refers to another file or web address ({value}); embed everything in the SVG'
            if attr.rsplit("}", 1)[-1] == "href" and value.startswith("data:"):
                problem = _embedded_image(value, name)
                if problem:
                    return problem
        style = (element.text or "") if tag == "style" else element.attrib.get("style", "")
        if re.search(r"url\(\s*['\"]?(?!#)", style) or "@import" in style:
            return f'"{name}" loads a file or web address from its styles; embed everything in the SVG'
    return None


def _embedded_image(uri: str, name: str) -> str | None:
    """An image inside the SVG (a data: URI) is checked like a raster logo: it must decode,
    within the same pixel bound (a decompression bomb hides as well there)."""
    import base64
    import binascii

    header, _, payload = uri.partition(",")
    if not header.endswith(";base64"):
        return None  # inline SVG or text data: nothing to decode
    try:
        raw = base64.b64decode(payload, validate=False)
    except (binascii.Error, ValueError):
        return f'"{name}" embeds an image that cannot be decoded; export the logo again'
    kind = sniff(raw[:4096])
    if kind in ("png", "jpeg"):
        report = _raster(raw, f"the image inside {name}", kind)
        return report.error
    if kind is None:
        return f'"{name}" embeds data that is not a PNG, JPEG or SVG image; export the logo again'
    return None


def _raster(data: bytes, name: str, kind: str) -> LogoReport:
    import io

    from PIL import Image, ImageFile, UnidentifiedImageError

    # WeasyPrint sets LOAD_TRUNCATED_IMAGES globally; a logo check must still see truncation.
    lenient, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size  # from the header: nothing decoded yet
            if width * height > MAX_PIXELS:
                return LogoReport(None, f'"{name}" is {width} x {height} pixels ({width * height / 1e6:.0f} '
                                        f"megapixels, at most {MAX_PIXELS // 1_000_000}); scale it down to about "
                                        "2000 pixels wide, which is plenty for print")
            image.load()  # decodes everything: a truncated or corrupt file fails here
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        return LogoReport(None, f'"{name}" cannot be read as a {kind.upper()} image ({exc})')
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = lenient
    box_w, box_h = LOGO_BOX_MM
    placed_w = min(box_w, box_h * width / height)
    ppi = width / (placed_w / MM_PER_INCH)
    warning = None
    if ppi < MIN_PPI:
        needed = round(MIN_PPI * placed_w / MM_PER_INCH)
        warning = (f'"{name}" is {width} x {height} pixels: about {ppi:.0f} ppi at {placed_w:.0f} mm wide on the '
                   f"cover, under {MIN_PPI} ppi for print; use an SVG or a PNG at least {needed} pixels wide")
    return LogoReport(kind, None, warning, ppi)
