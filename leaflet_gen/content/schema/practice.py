"""The schema of ``practices/<id>/practice.yaml``: a practice's branding and contact details."""

from __future__ import annotations

import typing
from typing import Annotated

from pydantic import AfterValidator, AliasChoices, Field, ValidationInfo, field_validator, model_validator

from leaflet_gen.content.schema.common import (
    Audience,
    Email,
    HexColour,
    Language,
    Phone,
    RelativePath,
    Schema,
    ShortText,
    Slug,
    Url,
)
from leaflet_gen.content.schema.settings import DEFAULT_AUDIENCES
from leaflet_gen.i18n import msg


def _cmyk(value: list[float]) -> tuple[float, float, float, float]:
    if len(value) != 4 or any(not 0 <= v <= 100 for v in value):
        raise ValueError(msg("expected four percentages C, M, Y, K from 0 to 100 like [85, 35, 20, 15], got %(value)s",
                             value=str(value)))
    return tuple(float(v) for v in value)  # type: ignore[return-value]


Cmyk = Annotated[list[float], AfterValidator(_cmyk), Field(json_schema_extra={
    "minItems": 4, "maxItems": 4, "items": {"type": "number", "minimum": 0, "maximum": 100}})]


class CmykColours(Schema):
    """Exact print colours from a brand manual, in percent; otherwise converted from hex."""

    primary: Cmyk
    """The primary colour as C, M, Y, K percentages from the brand manual, like [85, 35, 20, 15]."""
    accent: Cmyk | None = None
    """The accent colour as C, M, Y, K percentages (optional)."""


class Colours(Schema):
    primary: HexColour
    """Main brand colour as hex, like "#1B6E8C": cover background and, darkened when needed to read, headings."""
    accent: HexColour | None = Field(default=None, examples=["#E8A33D"])
    """Second colour for small highlights, as hex (default: the primary colour)."""
    cmyk: CmykColours | None = None
    """Exact print colours for print variants; without them the hex values are converted through the ICC profile."""


class PrintShop(Schema):
    """Settings for the print-shop PDF."""

    marks: bool = True
    """Crop and fold marks on print PDFs (the --marks/--no-marks option overrides it)."""
    icc_profile: RelativePath | None = None
    """The print shop's CMYK output profile, a file in the practice folder (default: the project's FOGRA39)."""


class Contact(Schema):
    address: ShortText
    """Address on one line: street and number, postcode, town."""
    phone: Phone
    """Phone number for patients, like "030 123 45 67" or "+31 30 123 45 67"."""
    email: Email | None = Field(default=None, examples=["info@praktijk.nl"])
    """E-mail address (optional)."""
    website: Url | None = Field(default=None, examples=["https://www.praktijk.nl"])
    """Website, starting with https:// (optional)."""
    opening_hours: ShortText | None = Field(default=None, examples=["ma–vr 8.00–17.00 uur"])
    """Opening hours on one line (optional)."""


class PracticeTexts(Schema):
    """The practice's own words in one more language: what it prints in that language's leaflets."""

    opening_hours: ShortText | None = Field(default=None, examples=["Mon–Fri 8.00–17.00"])
    """Opening hours on one line, in this language (without it the Dutch ones are printed, with a warning)."""
    logo_alt: ShortText | None = Field(default=None, examples=["Logo of Fysiotherapie De Linde"])
    """Alternative text of the logo for screen readers, in this language (default: "Logo of <name>" in it)."""


class Group:
    """The group a top-level key of practice.yaml belongs to, as ``Annotated[type, Group("contact")]``.

    The studio's practice form and the file `new-practice` writes show the keys by group, in the
    schema's order (content/fields.py). The keys of a nested model are the group of its key
    (colours, contact, print_shop); an unmarked top-level key is the practice's own.
    """

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"Group({self.name!r})"


class Practice(Schema):
    """A practice's branding: ``practices/<id>/practice.yaml``."""

    id: Slug | None = None
    """The practice's id; when given it must equal the folder name under practices/."""
    name: ShortText
    """The practice's name, as printed on the leaflet."""
    logo: RelativePath
    """Logo file in the practice folder: SVG, PNG or JPEG (300 ppi as placed for print)."""
    logo_alt: ShortText | None = Field(default=None, examples=["Logo van Fysiotherapie De Linde"])
    """Alternative text of the logo for screen readers (default: "Logo van <name>")."""
    colours: Colours = Field(validation_alias=AliasChoices("colours", "colors"))
    """Brand colours (the key colors, the spelling before, is still read)."""
    contact: Contact
    """How patients reach the practice: printed on the back panel."""
    qr_url: Annotated[Url | None, Group("contact")] = Field(default=None, examples=["https://www.praktijk.nl/afspraak"])
    """Web page the QR code on the back opens, e.g. the booking page (optional; no QR code without it)."""
    audiences: Annotated[list[Audience], Group("leaflets")] = Field(
        default_factory=lambda: [a.id for a in DEFAULT_AUDIENCES], min_length=1)
    """Which audiences the practice hands out leaflets for: ids from leaflet-gen.yml, like [fysiotherapie]
    (default: every audience of the project)."""
    topics: Annotated[list[Slug] | None, Group("leaflets")] = Field(default=None, min_length=1)
    """Which topics the practice hands out: folder names under content/, like [lage-rugpijn] (default: every
    topic)."""
    languages: Annotated[list[Language], Group("leaflets")] = Field(default_factory=lambda: ["nl"], min_length=1)
    """Which languages the practice hands out its leaflets in: the project's language (nl) and languages
    translated under content/<topic>/translations/<language>.xlf, like [nl, en] (default: the project's
    language). A leaflet in a language whose translation is not approved prints CONCEPT."""
    translations: Annotated[dict[Language, PracticeTexts], Group("leaflets")] = Field(
        default_factory=dict, examples=[{"en": {"opening_hours": "Mon–Fri 8.00–17.00"}}])
    """The practice's own words in the other languages it lists in languages, per language code (like en):
    its opening hours and the description of its logo as its leaflets in that language print them (optional)."""
    print_shop: PrintShop = Field(default_factory=PrintShop)
    """Settings for the print-shop PDF: crop and fold marks, the CMYK output profile."""

    @field_validator("translations")
    @classmethod
    def _not_the_source(cls, value: dict[str, PracticeTexts]) -> dict[str, PracticeTexts]:
        if "nl" in value:  # the content's language (content.loaded.SOURCE_LANGUAGE, as settings.language)
            raise ValueError("nl is the language the values above are in: give the texts for nl there, and here "
                             "only those of other languages")
        return value

    def texts_in(self, language: str) -> PracticeTexts:
        """Its own words in ``language`` (empty when it gives none; the source language's are the fields above)."""
        return self.translations.get(language) or PracticeTexts()

    @field_validator("languages")
    @classmethod
    def _languages_once(cls, value: list[str]) -> list[str]:
        twice = sorted({lang for lang in value if value.count(lang) > 1})
        if twice:
            raise ValueError(f"each language once: {', '.join(twice)} is listed more than once")
        return value

    @model_validator(mode="before")
    @classmethod
    def _project_audiences(cls, data: typing.Any, info: ValidationInfo) -> typing.Any:
        # Without the key: every audience of this project (leaflet-gen.yml), not only the built-in two.
        known = (info.context or {}).get("audiences")
        if isinstance(data, dict) and "audiences" not in data and known is not None:
            data = {**data, "audiences": list(known)}
        return data
