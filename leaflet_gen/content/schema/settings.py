"""The schema of ``leaflet-gen.yml``: the project's settings and its audiences."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from leaflet_gen.content.paths import folder_problem
from leaflet_gen.content.schema.common import Schema, ShortText, Slug
from leaflet_gen.i18n import msg


class AudienceSettings(Schema):
    """One audience: the readers a version of each leaflet is written for."""

    id: Slug
    """The audience's id, as used in topic.yaml, practice.yaml, file names and --audience, like fysiotherapie."""
    name: ShortText
    """Its display name in lists, the new-practice wizard and the studio, like Fysiotherapie."""
    voice: Literal["je", "u"]
    """How its texts address the reader: je (je/jij/jouw) or u (u/uw); the language check warns about the
    other."""


DEFAULT_AUDIENCES = (
    AudienceSettings(id="fysiotherapie", name="Fysiotherapie", voice="je"),
    AudienceSettings(id="orthopedie", name="Orthopedie", voice="u"),
)


def _project_folder(value: str) -> str:
    problem = folder_problem(value)
    if problem:
        raise ValueError(problem)
    return value


class Settings(Schema):
    """Project settings: ``leaflet-gen.yml`` in the project folder. The file is optional; without it
    (or without a key) the defaults below apply."""

    language: Literal["nl"] = "nl"
    """The language of the leaflets and of the language check (B1, spelling): nl (Dutch) is the only one."""
    audiences: list[AudienceSettings] = Field(default_factory=lambda: list(DEFAULT_AUDIENCES), min_length=1)
    """The audiences, in the order lists show them; adding one here is all it takes to write leaflets for it
    (default: fysiotherapie, je; orthopedie, u)."""
    variants: list[Slug] | None = Field(default=None, min_length=1)
    """The variants this project makes (what --all builds, check checks and the studio shows): ids of
    built-in variants or of files in variants/ (default: all of them)."""
    default_variants: list[Slug] = Field(default_factory=lambda: ["trifold"], min_length=1)
    """The variants `leaflet-gen build` makes without --variant or --all: built-in variants or files in
    variants/."""
    output: Annotated[str, AfterValidator(_project_folder)] = "out"
    """The folder in the project that build writes PDFs to without --output."""

    @model_validator(mode="after")
    def _unique_audiences(self) -> "Settings":
        ids = [a.id for a in self.audiences]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(msg("audience ids must differ; given more than once: %(ids)s", ids=", ".join(twice)))
        return self

    @property
    def audience_ids(self) -> list[str]:
        return [a.id for a in self.audiences]

    def audience(self, audience_id: str) -> AudienceSettings | None:
        return next((a for a in self.audiences if a.id == audience_id), None)

    @property
    def voices(self) -> dict[str, str]:
        return {a.id: a.voice for a in self.audiences}
