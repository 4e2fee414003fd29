"""Brand colours made safe to read: WCAG 2.1 contrast and automatic text colours.

Policy (documented in the README): brand colours are used as given for backgrounds; the text
colour on them is chosen automatically (white or near-black, whichever reaches 4.5:1). Where the
primary colour is used for text on white (headings) and is too light, a darker shade of the same
hue is used instead, so any brand colour yields a readable leaflet.
"""

from __future__ import annotations

from dataclasses import dataclass

WHITE = "#FFFFFF"
INK = "#1A1A1A"  # body text: near-black reads softer on screen; print output maps it to K only
AA_BODY = 4.5


def hex_rgb(hex_colour: str) -> tuple[int, int, int]:
    """``#RRGGBB`` (or the ``#RGB`` shorthand SVG logos use) as 0-255 channels: the one hex parser."""
    h = hex_colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def _channels(hex_colour: str) -> tuple[float, float, float]:
    return tuple(c / 255 for c in hex_rgb(hex_colour))  # type: ignore[return-value]


def luminance(hex_colour: str) -> float:
    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(c) for c in _channels(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def mix(a: str, b: str, t: float) -> str:
    """``a`` moved a fraction ``t`` towards ``b``."""
    ca, cb = _channels(a), _channels(b)
    return "#" + "".join(f"{round((x + (y - x) * t) * 255):02X}" for x, y in zip(ca, cb))


def text_on(background: str) -> str:
    """White or ink, whichever contrasts more; pure black for mid-greys where ink falls short.

    White or pure black always reaches 4.5:1 (the worst case, a mid-grey, gives about 4.58:1).
    """
    best = WHITE if contrast(WHITE, background) >= contrast(INK, background) else INK
    if contrast(best, background) >= AA_BODY:
        return best
    return WHITE if contrast(WHITE, background) >= contrast("#000000", background) else "#000000"


def readable_on_white(colour: str, minimum: float = AA_BODY) -> str:
    """``colour`` itself if it reads on white, else the lightest darker shade that does."""
    shade = colour
    step = 0
    while contrast(shade, WHITE) < minimum and step < 20:
        step += 1
        shade = mix(colour, "#000000", step * 0.05)
    return shade


@dataclass(frozen=True)
class Palette:
    primary: str
    on_primary: str
    heading: str
    accent: str
    tint: str
    ink: str = INK

    @classmethod
    def from_brand(cls, primary: str, accent: str | None, min_contrast: float = AA_BODY) -> "Palette":
        return cls(
            primary=primary,
            on_primary=text_on(primary),
            heading=readable_on_white(primary, min_contrast),
            accent=accent or primary,
            tint=mix(primary, WHITE, 0.88),
        )
