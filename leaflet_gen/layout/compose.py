"""Compose one leaflet: topic x audience x practice x variant -> a view model for the template.

Composition decides *what* goes where (which sections, in which panel role, with which
colours and metadata); the template and stylesheet decide *how* it looks.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import segno

from leaflet_gen.content.loaded import SOURCE_LANGUAGE, LeafletId, LoadedPractice, LoadedTopic
from leaflet_gen.content.project import QR_QUIET_MODULES
from leaflet_gen.content.schema import AudienceContent, Section, Variant
from leaflet_gen.content.translated import TranslationState
from leaflet_gen.content.yamlio import read_project_file
from leaflet_gen.errors import LeafletError
from leaflet_gen.i18n import direction, font_families, msg
from leaflet_gen.layout import cmyk as printcolour
from leaflet_gen.layout.palette import Palette

MONTHS_NL = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
             "september", "oktober", "november", "december")


def date_nl(day: dt.date) -> str:
    """A date as Dutch readers write it, "1 november 2027", with no-break spaces: a date is read as
    one thing and never breaks across lines."""
    return f"{day.day}\u00a0{MONTHS_NL[day.month - 1]}\u00a0{day.year}"


def leaflet_date(day: dt.date, language: str) -> str:
    """A date as readers of ``language`` write it in full (Babel's long format: "1 november 2027",
    "November 1, 2027"), its spaces no-break spaces like :func:`date_nl`."""
    from babel.dates import format_date

    from babel import Locale

    return format_date(day, "long", locale=Locale.parse(language, sep="-")).replace(" ", "\u00a0")


@dataclass(frozen=True)
class PlacedSection:
    id: str
    section: Section


@dataclass(frozen=True)
class Leaflet:
    """Everything the template needs, already validated and resolved."""

    topic: LoadedTopic
    audience: str
    content: AudienceContent
    practice: LoadedPractice
    variant: Variant
    cover: tuple[PlacedSection, ...]
    flow: tuple[PlacedSection, ...]
    back: tuple[PlacedSection, ...]
    palette: Palette
    colours: dict[str, str]  # CSS colour per role, in the variant's colour space
    logo_url: str
    qr_svg_uri: str | None
    icc_profile: Path | None
    icons: dict[str, str] = field(default_factory=dict)  # data URI per icon its lists use, in the heading colour
    language: str = SOURCE_LANGUAGE  # what it is printed in (BCP 47): the source or a translation
    # A translation's state (content/translated.py): its units missing, changed or not approved
    translation: TranslationState | None = None

    @property
    def direction(self) -> str:
        """"rtl" for a right-to-left language (the tri-fold is then mirrored), else "ltr"."""
        return direction(self.language)

    @property
    def font_families(self) -> tuple[str, ...]:
        """The typefaces it is set in: the variant's, then its language's script's (i18n.SCRIPT_FONTS)."""
        return font_families(self.variant.font_family, self.language)

    @property
    def lid(self) -> LeafletId:
        return LeafletId(self.practice.id, self.topic.id, self.audience, self.variant.id, self.language)

    @property
    def slug(self) -> str:
        return self.lid.slug

    @property
    def title(self) -> str:
        return self.topic.data.title

    @property
    def created(self) -> dt.date:
        """The document date: the content's last review, never the wall clock (reproducible)."""
        return self.topic.data.last_review

    @property
    def sections(self) -> tuple[PlacedSection, ...]:
        return self.cover + self.flow + self.back

    @property
    def concept(self) -> bool:
        """Not approved, so the leaflet says CONCEPT: its text changed after its audience's approval
        (approvals.jsonl), or, without one, the topic is a concept; or the claims register is."""
        return self.concept_reason is not None

    @functools.cached_property
    def concept_reason(self) -> str | None:  # hashes the approved text: once per composed leaflet
        """Why it prints CONCEPT (None: approved). A translation's: its units not approved, or its
        Dutch source (worked out from the Dutch topic when the translation was resolved)."""
        if self.translation is not None:
            return self.translation.reason
        from leaflet_gen.content.review import concept_reason

        return concept_reason(self.topic, self.audience)


def compose(topic: LoadedTopic, audience: str, practice: LoadedPractice, variant: Variant,
            icc_profile: Path | None = None, icons_dir: Path | tuple[Path, ...] | None = None,
            translation: TranslationState | None = None, language: str = SOURCE_LANGUAGE) -> Leaflet:
    """Resolve sections and colours; ``icc_profile`` is required for CMYK (print) variants.

    ``translation``: ``topic`` is a translation (its texts already in that language,
    :func:`leaflet_gen.content.translated.translate_topic`) in the state given; the leaflet is
    then in that language (its ``lang``, ``dir``, the template's words and dates). ``language``
    without a translation: the topic's texts are already in it (tests of a script's layout).
    In a right-to-left language a folded variant is mirrored (:meth:`Variant.mirrored`).

    ``icons_dir`` holds the pictograms (``<name>.svg``, drawn in black) that lists may show (or
    several folders, the first that has an icon wins: the project's, then the built-in ones);
    required when a section of this leaflet uses one.
    """
    content = topic.data.audiences.get(audience)  # type: ignore[call-overload]
    if content is None:
        have = ", ".join(topic.data.audiences)
        raise LeafletError(f'topic "{topic.id}" has no content for audience "{audience}" (it has: {have})')
    if translation is not None:
        language = translation.language
    practice = practice.in_language(language)
    if direction(language) == "rtl" and variant.panels:
        variant = variant.mirrored()

    def place(ids: list[str]) -> tuple[PlacedSection, ...]:
        placed = []
        for sid in ids:
            section = topic.sections[sid]
            if variant.omit_blocks:
                blocks = [b for b in section.blocks if b.type not in variant.omit_blocks]
                if not blocks:
                    continue  # nothing of it belongs in this variant (e.g. only lines to write on)
                section = section.model_copy(update={"blocks": blocks})
            placed.append(PlacedSection(sid, section))
        return tuple(placed)

    brand = practice.data.colours
    palette = Palette.from_brand(brand.primary, brand.accent, variant.min_contrast)
    qr_svg = None
    if practice.data.qr_url:
        qr_svg = _qr_svg(practice.data.qr_url)
    logo_url = practice.logo_path.as_uri()
    colours = {role: getattr(palette, role) for role in ROLES}
    colours["paper"] = "#FFFFFF"
    colours["concept"] = CONCEPT_RED
    cover, flow, back = place(content.cover), place(content.flow), place(content.back)
    icon_svgs = _read_icons(cover + flow + back, icons_dir)
    if variant.colour == "cmyk":
        if icc_profile is None:
            raise LeafletError(f"variant {variant.id} prints in CMYK and needs an ICC output profile")
        colours, logo_url, qr_svg, icons = _to_cmyk(practice, palette, qr_svg, icc_profile, icon_svgs)
    else:
        icons = {name: printcolour.svg_data_uri(svg.replace(ICON_INK, palette.heading.encode()))
                 for name, svg in icon_svgs.items()}
    qr = printcolour.svg_data_uri(qr_svg.encode()) if qr_svg else None
    return Leaflet(topic=topic, audience=audience, content=content, practice=practice, variant=variant,
                   cover=cover, flow=flow, back=back, palette=palette, colours=colours, logo_url=logo_url,
                   qr_svg_uri=qr, icc_profile=icc_profile if variant.colour == "cmyk" else None, icons=icons,
                   language=language, translation=translation)


ROLES = ("primary", "on_primary", "heading", "accent", "tint", "ink")
CONCEPT_RED = "#C8102E"  # the "CONCEPT" mark on leaflets whose content is not approved
ICON_INK = b"#000000"  # icons are drawn in black; the leaflet shows them in its heading colour
MAX_ICON_BYTES = 256 * 1024


def _read_icons(sections: tuple[PlacedSection, ...], icons_dir: Path | tuple[Path, ...] | None) -> dict[str, bytes]:
    """The SVG of every icon the sections' lists use, in order of first use."""
    names = dict.fromkeys(block.icon for s in sections for block in s.section.blocks
                          if getattr(block, "icon", None))
    if names and icons_dir is None:
        raise LeafletError("this leaflet's lists show icons, but no icons folder was given")
    folders = (icons_dir,) if isinstance(icons_dir, Path) else tuple(icons_dir or ())
    icons = {}
    for name in names:
        path = next((f / f"{name}.svg" for f in folders if os.path.lexists(f / f"{name}.svg")),
                    folders[0] / f"{name}.svg")
        if not path.exists():  # not there, or a link to nothing
            raise LeafletError(f'the icon "{name}" is missing: expected the file {path}')
        # Read as every input is: a pipe or a huge file there never hangs or floods the build.
        icons[name] = read_project_file(path, str(path), None, MAX_ICON_BYTES, msg("an SVG file"), msg("icons"))
    return icons


@lru_cache(maxsize=256)
def _qr_svg(url: str) -> str:
    """The QR code of ``url`` as inline SVG. Kept per process: every variant of a practice shows
    the same code, and encoding it (choosing the best mask) is a large part of composing."""
    # Error level M survives small print defects; vector SVG stays sharp at any size. The quiet
    # zone scanners need (4 modules of blank on every side) is part of the image, so no text or
    # rule can come closer than that, whatever the stylesheet does around it.
    return segno.make(url, error="m", micro=False).svg_inline(border=QR_QUIET_MODULES, scale=4)


def _to_cmyk(practice: LoadedPractice, palette: Palette, qr_svg: str | None, profile: Path,
             icon_svgs: dict[str, bytes]) -> tuple[dict[str, str], str, str | None, dict[str, str]]:
    """Every colour, the logo, the QR code and the icons as CMYK for the print PDF."""
    converter = printcolour.CmykConverter(profile)
    brand = practice.data.colours
    exact: dict[str, printcolour.CMYK] = {}
    if brand.cmyk is not None:
        exact[brand.primary] = tuple(v / 100 for v in brand.cmyk.primary)  # type: ignore[assignment]
        if brand.accent and brand.cmyk.accent:
            exact[brand.accent] = tuple(v / 100 for v in brand.cmyk.accent)  # type: ignore[assignment]

    def cmyk(hex_colour: str) -> printcolour.CMYK:
        return exact.get(hex_colour) or converter.convert(hex_colour)

    colours = {role: printcolour.css(cmyk(getattr(palette, role))) for role in ROLES}
    # Print conventions: body text in black ink only; a tint is a screen of the primary ink.
    colours["ink"] = printcolour.css((0, 0, 0, 1))
    colours["tint"] = printcolour.css(tuple(round(v * 0.12, 3) for v in cmyk(palette.primary)))  # type: ignore[arg-type]
    colours["paper"] = printcolour.css((0, 0, 0, 0))
    colours["concept"] = printcolour.css(converter.convert(CONCEPT_RED))
    data = practice.logo_path.read_bytes()
    if practice.logo_kind == "svg":
        logo = printcolour.svg_data_uri(printcolour.svg_to_cmyk(data, practice.data.logo, exact, converter))
    else:
        logo = printcolour.jpeg_data_uri(converter.image_to_cmyk_jpeg(data))
    if qr_svg:
        qr_svg = qr_svg.replace('stroke="#000"', 'fill="none" stroke="device-cmyk(0 0 0 1)"')
    # Icons: their black becomes the heading's CMYK, exactly the ink of the headings.
    icon_ink = {ICON_INK.decode(): cmyk(palette.heading)}
    icons = {name: printcolour.svg_data_uri(printcolour.svg_to_cmyk(svg, f"{name}.svg", icon_ink, converter))
             for name, svg in icon_svgs.items()}
    return colours, logo, qr_svg, icons
