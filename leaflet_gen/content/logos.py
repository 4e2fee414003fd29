"""Logo checks by content, not by file name: real type, safe SVG, enough resolution.

An SVG logo is refused when it could pull in anything from outside (DOCTYPE/entities, external
hrefs, scripts) or would cost too much to draw (path data, copies made by <use>, nesting); a
raster logo must decode, and gets a warning when its effective resolution at the size it is
printed falls under 300 ppi. Every bound is checked before the costly step it guards, so a check
takes bounded time and memory whatever the file holds.
"""

from __future__ import annotations

import math
import os
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from leaflet_gen.content.yamlio import read_project_file
from leaflet_gen.errors import ValidationFailed
from leaflet_gen.i18n import joined, msg
from leaflet_gen.units import MM_PER_INCH

MIN_PPI = 300
# Bounds, checked before decoding: a logo is at most 74 mm wide, so 300 ppi needs ~900 pixels.
MAX_LOGO_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 25_000_000  # 5000 x 5000: far more than print needs, far less than a decompression bomb
MAX_SVG_ELEMENTS = 10_000  # a drawn logo has hundreds; 100,000 took minutes to render
# What a logo costs to draw grows with its path data and with the copies <use> and markers make of
# it, not with its size on disk: one path of 3 MB took 17 s and ~200 MB per preview, and 60
# elements that <use> each other ten times over, five levels deep (a 2 kB file), 19 s. WeasyPrint
# draws ~500,000 characters of path data in about a second: a drawn logo has a few thousand.
MAX_SVG_PATH_DATA = 500_000  # characters of path data (d, points) drawn, copies counted
MAX_SVG_VALUE = MAX_SVG_PATH_DATA  # any single attribute or text (embedded images are checked as images)
MAX_SVG_DEPTH = 100  # groups inside groups, <use> of <use>: a drawing program nests a few levels
# The largest size a logo is printed at (cover: 74 x 28 mm box), see styles/trifold.css.
LOGO_BOX_MM = (74.0, 28.0)


def min_logo_pixels() -> int:
    """The width in pixels that gives a raster logo MIN_PPI at the widest it is printed (the advice
    the editor gives is this number: a logo at least this wide never gets the ppi warning)."""
    return math.ceil(MIN_PPI * LOGO_BOX_MM[0] / MM_PER_INCH)


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


@dataclass(frozen=True)
class LogoFile:
    path: Path  # where it really is
    data: bytes | None  # None: it could not be read (report.error says why)
    report: LogoReport


def read_logo(folder: Path, name: str, shown_folder: str) -> LogoFile:
    """The logo ``name`` of the practice in ``folder`` (resolved), read as every input is read
    (inside the practice folder, a regular file, at most MAX_LOGO_BYTES: see read_project_file)
    and checked by its content (:func:`inspect_logo`): the build's and the studio's one way in."""
    try:
        path = (folder / name).resolve()
    except (OSError, RuntimeError, ValueError) as exc:  # a loop of links, a NUL in the name
        return LogoFile(folder / name, None, LogoReport(None, msg('"%(name)s" cannot be read (%(error)s)', name=name,
                                                                      error=str(exc))))
    if not path.is_relative_to(folder):
        return LogoFile(path, None, LogoReport(None, msg("the logo must be a file inside the practice folder")))
    if not os.path.lexists(path):
        return LogoFile(path, None, LogoReport(None, msg('file "%(name)s" not found in %(folder)s/', name=name,
                                                                 folder=shown_folder)))
    try:
        data = read_project_file(path, name, folder, MAX_LOGO_BYTES, msg("a PNG, JPEG or SVG image"), msg("logos"))
    except ValidationFailed as exc:
        problems = joined([msg('"%(name)s" %(problem)s', name=name, problem=p.message) for p in exc.problems])
        return LogoFile(path, None, LogoReport(None, problems))
    return LogoFile(path, data, inspect_logo(data, name))


def inspect_logo(data: bytes, name: str) -> LogoReport:
    kind = sniff(data[:4096])
    if kind is None:
        return LogoReport(None, msg('"%(name)s" is not a PNG, JPEG or SVG image (checked by its content)', name=name))
    if kind == "svg":
        return LogoReport(kind, _svg_problem(data, name))
    return _raster(data, name, kind)


def _svg_problem(data: bytes, name: str) -> str | None:
    if re.search(rb"<!(DOCTYPE|ENTITY)", data, re.I):
        return msg('"%(name)s" contains a DOCTYPE or ENTITY declaration; save the SVG without it', name=name)
    declared = re.match(rb"\s*<\?xml[^>]*encoding\s*=\s*[\"']([\w.-]+)", data.lstrip(b"\xef\xbb\xbf"))
    if declared and declared.group(1).decode("ascii").lower().replace("_", "-") not in ("utf-8", "utf8", "us-ascii"):
        return msg('"%(name)s" is saved in the %(encoding)s encoding; save the SVG as UTF-8 (most drawing programs '
                   "offer it when exporting)", name=name, encoding=declared.group(1).decode("ascii"))
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return msg('"%(name)s" is not UTF-8 text (byte %(byte)s); save the SVG as UTF-8', name=name, byte=exc.start)
    if data.count(b"<") > MAX_SVG_ELEMENTS * 2:  # cheap bound before parsing
        return msg('"%(name)s" has far more than %(max)s elements; simplify the drawing or export a PNG', name=name,
                   max=MAX_SVG_ELEMENTS)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        return msg('"%(name)s" is not a valid SVG file (%(error)s)', name=name, error=str(exc))
    elements = sum(1 for _ in root.iter())
    if elements > MAX_SVG_ELEMENTS:
        return msg('"%(name)s" has %(n)s elements (at most %(max)s); simplify the drawing or export a PNG',
                   name=name, n=elements, max=MAX_SVG_ELEMENTS)
    problem = _drawing_problem(root, name)
    if problem:
        return problem
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag in ("script", "foreignObject"):
            return msg('"%(name)s" contains <%(tag)s>; a logo must be plain vector graphics', name=name, tag=tag)
        for attr, value in element.attrib.items():
            if attr.rsplit("}", 1)[-1] == "href" and not value.startswith(("#", "data:")):
                return msg('"%(name)s" refers to another file or web address (%(value)s); embed everything in the '
                           "SVG", name=name, value=value)
            if attr.rsplit("}", 1)[-1] == "href" and value.startswith("data:"):
                problem = _embedded_image(value, name)
                if problem:
                    return problem
        style = (element.text or "") if tag == "style" else element.attrib.get("style", "")
        if re.search(r"url\(\s*['\"]?(?!#)", style) or "@import" in style:
            return msg('"%(name)s" loads a file or web address from its styles; embed everything in the SVG',
                       name=name)
    return None


SIMPLIFY = msg("simplify the logo in a drawing program (fewer points: Inkscape's Path > Simplify, Illustrator's "
               "Object > Path > Simplify) or export it as a PNG of about 2000 pixels wide")
_REFERENCE = re.compile(r"url\(\s*['\"]?#([^'\")\s]+)")
_STYLE_REFERENCE = re.compile(r"([\w-]+)\s*:\s*url\(\s*['\"]?#([^'\")\s]+)")
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_ON_EVERY_POINT = ("marker", "marker-mid")


class _TooCostly(Exception):
    pass


def _drawing_problem(root: ET.Element, name: str) -> str | None:
    """What the logo costs to draw, bounded like its bytes and pixels are: no attribute or text
    longer than MAX_SVG_VALUE, at most MAX_SVG_PATH_DATA characters of path data and
    MAX_SVG_ELEMENTS elements drawn - counting every copy that <use>, a url(#...) reference or a
    marker on each point of a path makes - and nesting at most MAX_SVG_DEPTH deep. Linear in the
    file: each element is weighed once."""
    for element in root.iter():
        for attr, value in element.attrib.items():
            local = attr.rsplit("}", 1)[-1]
            if len(value) > MAX_SVG_VALUE and not (local == "href" and value.startswith("data:")):
                if local in ("d", "points"):
                    return msg('"%(name)s" has a path with %(n)s characters (at most %(max)s); %(advice)s', name=name,
                               n=f"{len(value):,}", max=f"{MAX_SVG_VALUE:,}", advice=SIMPLIFY)
                return msg('"%(name)s" has an attribute %(attribute)s="..." of %(n)s characters (at most %(max)s); '
                           "%(advice)s", name=name, attribute=local, n=f"{len(value):,}", max=f"{MAX_SVG_VALUE:,}",
                           advice=SIMPLIFY)
        if len(element.text or "") > MAX_SVG_VALUE:
            return msg('"%(name)s" has a <%(tag)s> of %(n)s characters (at most %(max)s); %(advice)s', name=name,
                       tag=element.tag.rsplit("}", 1)[-1], n=f"{len(element.text):,}", max=f"{MAX_SVG_VALUE:,}",
                       advice=SIMPLIFY)
    by_id = {element.get("id"): element for element in root.iter() if element.get("id")}
    weighed: dict[int, tuple[int, int]] = {}
    open_: set[int] = set()

    def weigh(element: ET.Element, depth: int) -> tuple[int, int]:
        """(elements, characters of path data) that drawing ``element`` draws."""
        key = id(element)
        if key in weighed:
            return weighed[key]
        if key in open_:
            raise _TooCostly(msg('"%(name)s" refers to itself (a <use> or url(#...) inside what it draws); remove '
                                 "the loop", name=name))
        if depth > MAX_SVG_DEPTH:
            raise _TooCostly(msg('"%(name)s" nests more than %(max)s levels deep (groups in groups, or <use> of '
                                 "<use>); %(advice)s", name=name, max=MAX_SVG_DEPTH, advice=SIMPLIFY))
        open_.add(key)
        data = "".join(v for a, v in element.attrib.items() if a.rsplit("}", 1)[-1] in ("d", "points"))
        count, path = 1, len(data)
        references = []
        for attr, value in element.attrib.items():
            local = attr.rsplit("}", 1)[-1]
            if local == "href" and value.startswith("#"):
                references.append((value[1:], local))
            elif local == "style":
                references += [(target, prop) for prop, target in _STYLE_REFERENCE.findall(value)]
            else:
                references += [(target, local) for target in _REFERENCE.findall(value)]
        for target, prop in references:
            times = len(_NUMBER.findall(data)) // 2 + 1 if prop in _ON_EVERY_POINT else 1
            if target in by_id:
                more, more_path = weigh(by_id[target], depth + 1)
                count, path = count + times * more, path + times * more_path
        for child in element:
            more, more_path = weigh(child, depth + 1)
            count, path = count + more, path + more_path
        open_.discard(key)
        weighed[key] = (count, path)
        return count, path

    try:
        count, path = weigh(root, 0)
    except _TooCostly as exc:
        return exc.args[0]
    if path > MAX_SVG_PATH_DATA:
        return msg('"%(name)s" draws %(n)s characters of path data (at most %(max)s, copies made by <use> counted); '
                   "%(advice)s", name=name, n=f"{path:,}", max=f"{MAX_SVG_PATH_DATA:,}", advice=SIMPLIFY)
    if count > MAX_SVG_ELEMENTS:
        return msg('"%(name)s" draws %(n)s elements (at most %(max)s, copies made by <use> and markers counted); '
                   "%(advice)s", name=name, n=f"{count:,}", max=f"{MAX_SVG_ELEMENTS:,}", advice=SIMPLIFY)
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
        return msg('"%(name)s" embeds an image that cannot be decoded; export the logo again', name=name)
    kind = sniff(raw[:4096])
    if kind in ("png", "jpeg"):
        report = _raster(raw, msg("the image inside %(name)s", name=name), kind)
        return report.error
    if kind is None:
        return msg('"%(name)s" embeds data that is not a PNG, JPEG or SVG image; export the logo again', name=name)
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
                return LogoReport(None, msg('"%(name)s" is %(width)s x %(height)s pixels (%(mp)s megapixels, at most '
                                            "%(max)s); scale it down to about 2000 pixels wide, which is plenty for "
                                            "print", name=name, width=width, height=height,
                                            mp=f"{width * height / 1e6:.0f}", max=MAX_PIXELS // 1_000_000))
            image.load()  # decodes everything: a truncated or corrupt file fails here
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        return LogoReport(None, msg('"%(name)s" cannot be read as a %(kind)s image (%(error)s)', name=name,
                                    kind=kind.upper(), error=str(exc)))
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = lenient
    box_w, box_h = LOGO_BOX_MM
    placed_w = min(box_w, box_h * width / height)
    ppi = width / (placed_w / MM_PER_INCH)
    warning = None
    if ppi < MIN_PPI:
        needed = math.ceil(MIN_PPI * placed_w / MM_PER_INCH)  # at least this: never just under
        warning = msg('"%(name)s" is %(width)s x %(height)s pixels: about %(ppi)s ppi at %(mm)s mm wide on the cover, '
                      "under %(min)s ppi for print; use an SVG or a PNG at least %(needed)s pixels wide", name=name,
                      width=width, height=height, ppi=f"{ppi:.0f}", mm=f"{placed_w:.0f}", min=MIN_PPI, needed=needed)
    return LogoReport(kind, None, warning, ppi)
