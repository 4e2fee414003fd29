"""The schema of ``catalogue.yaml`` (optional): which leaflets ``build --all`` makes."""

from __future__ import annotations

from pydantic import Field

from leaflet_gen.content.schema.common import Audience, Schema, Slug


class CatalogueItem(Schema):
    practice: Slug
    """The practice id (a folder under practices/)."""
    audiences: list[Audience] | None = None
    """The audiences to build (default: those the practice hands out)."""
    topics: list[Slug] | None = None
    """The topics to build (default: every topic)."""
    variants: list[Slug] | None = None
    """The variants to build (default: every variant)."""


class Catalogue(Schema):
    """The set of leaflets a catalogue build makes: ``catalogue.yaml``."""

    leaflets: list[CatalogueItem] = Field(min_length=1)
    """The leaflets to build: one item per practice."""
