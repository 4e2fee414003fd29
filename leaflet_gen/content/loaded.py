"""What loading gives: a practice or a topic, validated, with its files and their key positions.

Plain data that :class:`leaflet_gen.content.project.Project` makes and everything after it reads
(the checks, composing, the studio). Its own module so that the checks the loader runs
(claims, language) can name these types without importing the loader.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the schemas (pydantic) are loaded by whoever made these values
    from leaflet_gen.content.schema import Claims, Practice, Section, Topic
    from leaflet_gen.content.yamlio import YamlDoc
    from leaflet_gen.errors import Problem


SOURCE_LANGUAGE = "nl"  # the language the content is written and approved in; others are translations


@dataclass(frozen=True, order=True)
class LeafletId:
    """One leaflet: the ids of its practice, topic, audience and variant. The one identity the
    build, the catalogue, shards, reports and the studio name a leaflet by (each derives its
    names from it)."""

    practice: str
    topic: str
    audience: str
    variant: str
    language: str = "nl"  # the content's source language; a translation is a leaflet of its own

    @property
    def slug(self) -> str:
        """The stem of its file names (``<slug>.pdf``, ``<slug>.job.txt``); a translation's ends in
        its language (``...-trifold-en``)."""
        tail = "" if self.language == SOURCE_LANGUAGE else f"-{self.language}"
        return f"{self.topic}-{self.audience}-{self.variant}{tail}"

    @property
    def name(self) -> str:
        """Its id in a catalogue (shards, reports): where it is written below the output folder."""
        return f"{self.practice}/{self.slug}"

    @property
    def key(self) -> str:
        """Each id apart (the studio's URLs)."""
        tail = "" if self.language == SOURCE_LANGUAGE else f"/{self.language}"
        return f"{self.practice}/{self.topic}/{self.audience}/{self.variant}{tail}"


@dataclass(frozen=True)
class LoadedPractice:
    id: str
    folder: Path
    data: Practice
    logo_path: Path
    logo_kind: str  # "png" | "jpeg" | "svg"
    source_file: Path
    warnings: tuple[Problem, ...] = ()
    doc: YamlDoc | None = None  # the file as parsed, with key positions
    # In a leaflet of another language (:meth:`in_language`): the keys it prints as written, in
    # the source language, because translations.<language> gives no text for them.
    as_written: tuple[str, ...] = ()

    def in_language(self, language: str) -> LoadedPractice:
        """The practice as a leaflet in ``language`` prints it: its own words from
        ``translations.<language>``. Without them the opening hours are printed as written (listed in
        ``as_written``: the build warns) and the logo's description is the template's, in that language."""
        if language == SOURCE_LANGUAGE:
            return self
        import dataclasses

        texts = self.data.texts_in(language)
        hours = self.data.contact.opening_hours
        missing = ("contact.opening_hours",) if hours and not texts.opening_hours else ()
        data = self.data.model_copy(update={
            "logo_alt": texts.logo_alt,
            "contact": self.data.contact.model_copy(update={"opening_hours": texts.opening_hours or hours})})
        return dataclasses.replace(self, data=data, as_written=missing)


@dataclass(frozen=True)
class LoadedTopic:
    id: str
    folder: Path
    data: Topic
    sections: dict[str, Section]
    section_files: dict[str, Path]
    source_file: Path
    docs: dict[Path, YamlDoc] = field(default_factory=dict)  # each file as parsed, with key positions
    voices: dict[str, str] = field(default_factory=dict)  # audience -> "je" | "u", from the settings
    claims: Claims | None = None  # the topic's claims register (claims.yaml), if it has one
    claims_file: Path | None = None
    # approvals.jsonl: who approved which audience's text (content/review.py's Approval; not
    # imported, not even for typing: review names this module, and the layers have no circles)
    approvals: tuple = ()
