"""Typed schemas: one class per YAML file kind (practice, topic, section, variant).

Validation happens once, here, at the front of the pipeline; everything downstream works on
these frozen objects, never on raw dicts. Formats that users get wrong by hand (colours, URLs,
e-mail, phone numbers, paths) are checked with messages that show a correct example.
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from pathlib import PurePosixPath
from typing import Annotated, Literal, Union

from pydantic import AfterValidator, AliasChoices, BaseModel, ConfigDict, Field, model_validator

from leaflet_gen import AUDIENCES

Audience = Literal[AUDIENCES]
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _hex_colour(value: str) -> str:
    if not re.fullmatch(r"#[0-9A-Fa-f]{6}", value):
        raise ValueError(f'expected a hex colour like "#1B6E8C", got "{value}"')
    return value.upper()


def _url(value: str) -> str:
    if not re.fullmatch(r"https?://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?::\d+)?(?:/[^\s<>\"']*)?", value):
        raise ValueError(f'expected a web address like "https://www.example.nl/pagina", got "{value}"')
    return value


def _email(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}", value):
        raise ValueError(f'expected an e-mail address like "info@praktijk.nl", got "{value}"')
    return value


def _phone(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    if not re.fullmatch(r"\+?[0-9 ()-]+", value) or not 10 <= len(digits) <= 13:
        raise ValueError(f'expected a phone number like "030 123 45 67" or "+31 30 123 45 67", got "{value}"')
    return value


def _relative_path(value: str) -> str:
    path = PurePosixPath(value.replace("\\", "/"))
    if path.is_absolute() or re.match(r"^[A-Za-z]:", value) or "://" in value:
        raise ValueError(f'expected a file name inside the practice folder, like "logo.svg", got "{value}"')
    if ".." in path.parts:
        raise ValueError(f'the file must be inside the practice folder ("../" is not allowed), got "{value}"')
    return value


def _slug(value: str) -> str:
    if not SLUG_RE.fullmatch(value):
        raise ValueError(f'expected lower-case letters, digits and hyphens like "fysio-delinde", got "{value}"')
    return value


def _text(value: str) -> str:
    if not value.strip():
        raise ValueError("expected text, got an empty value")
    return value.strip()


HexColour = Annotated[str, AfterValidator(_hex_colour)]
Url = Annotated[str, AfterValidator(_url)]
Email = Annotated[str, AfterValidator(_email)]
Phone = Annotated[str, AfterValidator(_phone)]
RelativePath = Annotated[str, AfterValidator(_relative_path)]
Slug = Annotated[str, AfterValidator(_slug)]
Text = Annotated[str, Field(max_length=2000), AfterValidator(_text)]
ShortText = Annotated[str, Field(max_length=160), AfterValidator(_text)]


class Schema(BaseModel):
    """Base for every schema: unknown keys are errors, objects are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


# --- practice.yaml ---------------------------------------------------------------------------


def _cmyk(value: list[float]) -> tuple[float, float, float, float]:
    if len(value) != 4 or any(not 0 <= v <= 100 for v in value):
        raise ValueError(f"expected four percentages C, M, Y, K from 0 to 100 like [85, 35, 20, 15], got {value}")
    return tuple(float(v) for v in value)  # type: ignore[return-value]


Cmyk = Annotated[list[float], AfterValidator(_cmyk)]


class CmykColours(Schema):
    """Exact print colours from a brand manual, in percent; otherwise converted from hex."""

    primary: Cmyk
    accent: Cmyk | None = None


class Colours(Schema):
    primary: HexColour
    accent: HexColour | None = None
    cmyk: CmykColours | None = None


class PrintShop(Schema):
    """Settings for the print-shop PDF."""

    marks: bool = True
    icc_profile: RelativePath | None = None


class Contact(Schema):
    address: ShortText
    phone: Phone
    email: Email | None = None
    website: Url | None = None
    opening_hours: ShortText | None = None


class Practice(Schema):
    """A practice's branding: ``practices/<id>/practice.yaml``."""

    id: Slug | None = None
    name: ShortText
    logo: RelativePath
    logo_alt: ShortText | None = None
    # One spelling, British as everywhere in leaflet-gen; "colors" (the spelling before) still reads.
    colours: Colours = Field(validation_alias=AliasChoices("colours", "colors"))
    contact: Contact
    qr_url: Url | None = None
    print_shop: PrintShop = Field(default_factory=PrintShop)
    audiences: list[Audience] = Field(default_factory=lambda: list(AUDIENCES), min_length=1)


# --- content: section files ------------------------------------------------------------------


class Paragraph(Schema):
    type: Literal["paragraph"]
    text: Text


# Pictograms in templates/icons/<name>.svg, drawn in black and recoloured per practice.
Icon = Literal["bureau", "tillen", "draaien", "schoenen", "nacht", "zitten"]
ICONS: tuple[str, ...] = typing.get_args(Icon)


class BulletList(Schema):
    type: Literal["list"]
    title: ShortText | None = None
    icon: Icon | None = Field(None, description="a pictogram left of the title (templates/icons/<icon>.svg)")
    items: list[Text] = Field(min_length=1)

    @model_validator(mode="after")
    def _icon_needs_title(self) -> "BulletList":
        if self.icon and not self.title:
            raise ValueError(f'the icon "{self.icon}" is shown next to the list\'s title: add a title')
        return self


class Summary(Schema):
    type: Literal["summary"]
    title: ShortText = "In het kort"
    items: list[Text] = Field(min_length=1)


class InfoBox(Schema):
    type: Literal["infobox"]
    title: ShortText | None = None
    text: Text | None = None
    items: list[Text] = Field(default_factory=list)

    @model_validator(mode="after")
    def _has_body(self) -> "InfoBox":
        if not self.text and not self.items:
            raise ValueError("an infobox needs text or items (or both)")
        return self


class Tip(Schema):
    type: Literal["tip"]
    title: ShortText | None = None
    text: Text


class Link(Schema):
    label: ShortText
    url: Url


class Links(Schema):
    type: Literal["links"]
    title: ShortText | None = None
    items: list[Link] = Field(min_length=1)


class Notes(Schema):
    """Ruled lines for the therapist or patient to write on (exercises, appointments)."""

    type: Literal["notes"]
    title: ShortText | None = None
    text: Text | None = None
    lines: int = Field(default=8, ge=1, le=30)


Block = Annotated[Union[Paragraph, BulletList, Summary, InfoBox, Tip, Links, Notes], Field(discriminator="type")]


class Section(Schema):
    """One leaflet section: ``content/<topic>/<section-id>.yaml``."""

    title: ShortText | None = None
    blocks: list[Block] = Field(min_length=1)


# --- content: topic.yaml ---------------------------------------------------------------------


class AudienceContent(Schema):
    subtitle: ShortText
    cover: list[Slug] = Field(default_factory=list)
    flow: list[Slug] = Field(min_length=1)
    back: list[Slug] = Field(default_factory=list)
    sources: list[ShortText] = Field(min_length=1)

    @property
    def section_ids(self) -> list[str]:
        return [*self.cover, *self.flow, *self.back]


class Topic(Schema):
    """Topic metadata and the order of sections per audience: ``content/<topic>/topic.yaml``."""

    id: Slug
    title: ShortText
    version: ShortText
    status: Literal["concept", "approved"] = "concept"
    approved_by: ShortText | None = None
    approved_on: dt.date | None = None
    last_review: dt.date
    next_review: dt.date
    audiences: dict[Audience, AudienceContent] = Field(min_length=1)

    @model_validator(mode="after")
    def _dates(self) -> "Topic":
        if self.next_review <= self.last_review:
            raise ValueError(
                f"next_review ({self.next_review}) must come after last_review ({self.last_review})"
            )
        return self


# --- variants/<id>.yaml ----------------------------------------------------------------------


class Panel(Schema):
    id: Slug
    label: ShortText
    role: Literal["cover", "flow", "back"]
    sheet: Literal["outside", "inside"]
    x: float = Field(ge=0, description="left edge on the sheet, mm from the left trim")
    width: float = Field(gt=0)


class Sheet(Schema):
    id: Literal["outside", "inside"]
    folds: list[float] = Field(default_factory=list)


class Variant(Schema):
    """An output variant: page geometry, template, stylesheet and PDF flavour."""

    id: Slug
    description: ShortText
    template: RelativePath
    stylesheet: RelativePath
    font_family: ShortText
    page_width: float = Field(gt=0, description="trim width of one sheet/page in mm")
    page_height: float = Field(gt=0)
    bleed: float = Field(ge=0, default=0)
    safe_margin: float = Field(ge=0, default=5)
    sheets: list[Sheet] = Field(default_factory=list)
    panels: list[Panel] = Field(default_factory=list)
    print_hint: ShortText | None = None
    colour: Literal["cmyk", "srgb"] = Field("srgb", description="cmyk: print colours and a CMYK output intent")
    pdf_variant: Literal["pdf/x-4", "pdf/ua-1"] | None = None
    marks: bool = Field(False, description="crop and fold marks in the slug (print shops may switch them off)")
    min_body_pt: float = Field(10, gt=0)
    job_sheet: bool = Field(False, description="write a job sheet (text and JSON) next to the PDF")
    preflight: bool = Field(False, description="preflight the finished PDF; a failed check means no PDF")
    min_contrast: float = Field(4.5, ge=4.5, le=21, description="text contrast target (WCAG AA 4.5, AAA 7)")

    def sheet_panels(self, sheet_id: str) -> list[Panel]:
        """The panels of one sheet, left to right (as printed on it)."""
        return sorted((p for p in self.panels if p.sheet == sheet_id), key=lambda p: p.x)

    @model_validator(mode="after")
    def _panels_tile_sheets(self) -> "Variant":
        for sheet in self.sheets:
            panels = self.sheet_panels(sheet.id)
            edge = 0.0
            for p in panels:
                if abs(p.x - edge) > 0.01:
                    raise ValueError(f"panel {p.id} starts at {p.x} mm but the previous one ends at {edge} mm")
                edge = p.x + p.width
            if panels and abs(edge - self.page_width) > 0.01:
                raise ValueError(f"the panels of sheet {sheet.id} end at {edge} mm, not at the page width")
        roles = [p.role for p in self.panels]
        if self.panels and (roles.count("cover") != 1 or roles.count("back") != 1 or "flow" not in roles):
            raise ValueError("a panel layout needs exactly one cover panel, one back panel and flow panels")
        return self


# --- catalogue.yaml (optional: which leaflets `build --all` makes) -----------------------------


class CatalogueItem(Schema):
    practice: Slug
    audiences: list[Audience] | None = None
    topics: list[Slug] | None = None
    variants: list[Slug] | None = None


class Catalogue(Schema):
    """The set of leaflets a catalogue build makes: ``catalogue.yaml``."""

    leaflets: list[CatalogueItem] = Field(min_length=1)
