"""The schema of a section file, ``content/<topic>/<section-id>.yaml``, and of its content blocks."""

from __future__ import annotations

import typing
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, model_validator

from leaflet_gen.content.schema.common import Schema, ShortText, Slug, Text, Url
from leaflet_gen.i18n import msg


class ClaimedBlock(Schema):
    """What every block has: the claims (content/<topic>/claims.yaml) its text carries."""

    claims: list[Slug] = Field(default_factory=list)
    """Ids of the claims this block states, from the topic's claims.yaml; `check` holds the block's numbers
    and strength words to them. Connecting text (a pointer to another section, a heading) needs none."""


class Paragraph(ClaimedBlock):
    type: Literal["paragraph"]
    """Block type: "paragraph"."""
    text: Text
    """The paragraph; inline markup: **bold**, *italic*, [link](https://...)."""


# Pictograms in templates/icons/<name>.svg, drawn in black and recoloured per practice.
Icon = Literal["bureau", "tillen", "draaien", "schoenen", "nacht", "zitten"]
ICONS: tuple[str, ...] = typing.get_args(Icon)


class BulletList(ClaimedBlock):
    # The rule of _icon_needs_title, for editors (JSON Schema): an icon needs a title.
    model_config = ConfigDict(json_schema_extra={"dependentRequired": {"icon": ["title"]}})

    type: Literal["list"]
    """Block type: "list"."""
    title: ShortText | None = None
    """Title above the list (optional; required with an icon)."""
    icon: Icon | None = None
    """A pictogram left of the title (templates/icons/<icon>.svg)."""
    items: list[Text] = Field(min_length=1)
    """The bullet points, one text each."""

    @model_validator(mode="after")
    def _icon_needs_title(self) -> "BulletList":
        if self.icon and not self.title:
            raise ValueError(msg('the icon "%(icon)s" is shown next to the list\'s title: add a title', icon=self.icon))
        return self


class Summary(ClaimedBlock):
    type: Literal["summary"]
    """Block type: "summary"."""
    title: ShortText = "In het kort"
    """Title of the summary box."""
    items: list[Text] = Field(min_length=1)
    """The key points, one text each."""


class InfoBox(ClaimedBlock):
    type: Literal["infobox"]
    """Block type: "infobox"."""
    title: ShortText | None = None
    """Title of the box (optional)."""
    text: Text | None = None
    """Text in the box (text, items or both)."""
    items: list[Text] = Field(default_factory=list)
    """Bullet points in the box."""

    @model_validator(mode="after")
    def _has_body(self) -> "InfoBox":
        if not self.text and not self.items:
            raise ValueError(msg("an infobox needs text or items (or both)"))
        return self


class Tip(ClaimedBlock):
    type: Literal["tip"]
    """Block type: "tip"."""
    title: ShortText | None = None
    """Title of the tip (optional)."""
    text: Text
    """The tip."""


class Link(Schema):
    label: ShortText
    """The words shown for the link."""
    url: Url
    """The web address, starting with https://."""


class Links(ClaimedBlock):
    type: Literal["links"]
    """Block type: "links"."""
    title: ShortText | None = None
    """Title above the links (optional)."""
    items: list[Link] = Field(min_length=1)
    """The links, each with a label and a url."""


class Notes(ClaimedBlock):
    """Ruled lines for the therapist or patient to write on (exercises, appointments)."""

    type: Literal["notes"]
    """Block type: "notes"."""
    title: ShortText | None = None
    """Title above the lines (optional)."""
    text: Text | None = None
    """A line of explanation above the ruled lines (optional)."""
    lines: int = Field(default=8, ge=1, le=30)
    """How many ruled lines, 1 to 30."""


Block = Annotated[Paragraph | BulletList | Summary | InfoBox | Tip | Links | Notes, Field(discriminator="type")]


class Section(Schema):
    """One leaflet section: ``content/<topic>/<section-id>.yaml``."""

    title: ShortText | None = None
    """The section's heading (optional)."""
    keep_together: bool = False
    """Print the whole section on one panel (one page in flowing variants), e.g. a medicine's dose with its
    warnings; a section that then does not fit a panel is an error to fix by shortening it."""
    blocks: list[Block] = Field(min_length=1)
    """The section's content blocks, in order."""
