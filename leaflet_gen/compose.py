"""Compose one leaflet: topic x audience x practice x variant -> a view model for the template.

Composition decides *what* goes where (which sections, in which panel role, with which
colours and metadata); the template and stylesheet decide *how* it looks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import segno

from leaflet_gen.colours import Palette
from leaflet_gen.errors import LeafletError
from leaflet_gen.models import AudienceContent, Section, Variant
from leaflet_gen.project import LOGO_KINDS, LoadedPractice, LoadedTopic

MONTHS_NL = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
             "september", "oktober", "november", "december")


def date_nl(day: dt.date) -> str:
    return f"{day.day} {MONTHS_NL[day.month - 1]} {day.year}"


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
    qr_svg_uri: str | None

    @property
    def slug(self) -> str:
        return f"{self.topic.id}-{self.audience}-{self.variant.id}"

    @property
    def title(self) -> str:
        return self.topic.data.title

    @property
    def logo_url(self) -> str:
        return self.practice.logo_path.as_uri()

    @property
    def logo_mime(self) -> str:
        return LOGO_KINDS[self.practice.logo_kind]

    @property
    def created(self) -> dt.date:
        """The document date: the content's last review, never the wall clock (reproducible)."""
        return self.topic.data.last_review

    @property
    def sections(self) -> tuple[PlacedSection, ...]:
        return self.cover + self.flow + self.back

    @property
    def section_files(self) -> list[str]:
        return [str(self.topic.section_files[s.id]) for s in self.sections]


def compose(topic: LoadedTopic, audience: str, practice: LoadedPractice, variant: Variant) -> Leaflet:
    content = topic.data.audiences.get(audience)  # type: ignore[call-overload]
    if content is None:
        have = ", ".join(topic.data.audiences)
        raise LeafletError(f'topic "{topic.id}" has no content for audience "{audience}" (it has: {have})')

    def place(ids: list[str]) -> tuple[PlacedSection, ...]:
        return tuple(PlacedSection(sid, topic.sections[sid]) for sid in ids)

    brand = practice.data.colors
    qr = None
    if practice.data.qr_url:
        # Error level M survives small print defects; vector SVG stays sharp at any size.
        qr = segno.make(practice.data.qr_url, error="m", micro=False).svg_data_uri(border=0, scale=4)
    return Leaflet(
        topic=topic,
        audience=audience,
        content=content,
        practice=practice,
        variant=variant,
        cover=place(content.cover),
        flow=place(content.flow),
        back=place(content.back),
        palette=Palette.from_brand(brand.primary, brand.accent, variant.min_contrast),
        qr_svg_uri=qr,
    )
