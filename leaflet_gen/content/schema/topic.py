"""The schema of ``content/<topic>/topic.yaml``: the topic's metadata and its sections per audience."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, model_validator

from leaflet_gen.content.schema.common import Audience, Schema, ShortText, Slug
from leaflet_gen.i18n import msg


class AudienceContent(Schema):
    subtitle: ShortText
    """The subtitle on the cover for this audience."""
    cover: list[Slug] = Field(default_factory=list)
    """Section ids placed on the front cover, in order."""
    flow: list[Slug] = Field(min_length=1)
    """Section ids that flow through the inside panels, in reading order."""
    back: list[Slug] = Field(default_factory=list)
    """Section ids placed on the back panel, in order."""
    sources: list[ShortText] = Field(min_length=1)
    """The sources the content is based on (guidelines, literature)."""

    @property
    def section_ids(self) -> list[str]:
        return [*self.cover, *self.flow, *self.back]


class Topic(Schema):
    """Topic metadata and the order of sections per audience: ``content/<topic>/topic.yaml``."""

    id: Slug
    """The topic's id: must equal the folder name under content/."""
    title: ShortText
    """The leaflet's title, on the cover."""
    version: ShortText
    """The content version, printed in the colophon."""
    status: Literal["concept", "approved"] = "concept"
    """"concept" (leaflets carry a CONCEPT mark) or "approved"."""
    approved_by: ShortText | None = None
    """Who approved the content (required when approved)."""
    approved_on: dt.date | None = None
    """When the content was approved (required when approved)."""
    last_review: dt.date
    """Date of the last content review; also the leaflet's date (reproducible builds)."""
    next_review: dt.date
    """Date the content must be reviewed again; check warns after it."""
    audiences: dict[Audience, AudienceContent] = Field(min_length=1)
    """Per audience (an id from leaflet-gen.yml): the subtitle, the sections per panel and the sources."""

    @model_validator(mode="after")
    def _dates(self) -> "Topic":
        if self.next_review <= self.last_review:
            raise ValueError(msg("next_review (%(next)s) must come after last_review (%(last)s)",
                                 next=str(self.next_review), last=str(self.last_review)))
        return self
