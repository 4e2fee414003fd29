"""The schema of ``content/<topic>/claims.yaml``: the claims register of a topic."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, model_validator

from leaflet_gen.content.schema.common import Audience, Schema, ShortText, Slug, Text
from leaflet_gen.i18n import msg

CLAIMS_FILE = "claims.yaml"
ClaimKind = Literal["fact", "advice", "possibility", "instruction"]


class Claim(Schema):
    """One medical statement a leaflet may make, once, with how strongly it may make it."""

    id: Slug
    """The claim's id, named by the blocks that carry it (`claims: [...]`), like paracetamol-dosis."""
    statement: Text
    """The statement in the project's own words, as strong as its source: the reviewer's reference, and
    how `check` finds the sentence of a block that carries it."""
    audiences: list[Audience] = Field(min_length=1)
    """The audiences whose leaflets must carry it (ids from leaflet-gen.yml)."""
    kind: ClaimKind
    """fact (how things are), advice (what the reader should do), possibility (what the reader can or may
    do: never written as an order) or instruction (a rule to follow, like a dose)."""
    strength: list[ShortText] = Field(default_factory=list)
    """The strength words the carrying sentence must keep, like [soms] or [kan, eventueel]: words from the
    language's table of strength words (docs/claims-format.md); a form counts too ("kan" also accepts
    "kunt", "kun" and "kunnen")."""
    numbers: list[ShortText] = Field(default_factory=list)
    """The exact numbers as the leaflet prints them: doses, ages, weeks, fractions, like ["500 mg", "60 jaar",
    "1 op de 100"]. The carrying block must print each one; any other number in it is an error."""
    source: ShortText
    """Where the statement comes from: the guideline or source leaflet and its section."""


class Claims(Schema):
    """The claims register of a topic: ``content/<topic>/claims.yaml``. Every medical statement of
    the topic's leaflets once, with its strength, kind, numbers and source."""

    status: Literal["concept", "approved"] = "concept"
    """"concept" (leaflets carry a CONCEPT mark) or "approved" by a reviewer."""
    approved_by: ShortText | None = None
    """Who approved the register (required when approved)."""
    approved_on: dt.date | None = None
    """When the register was approved (required when approved)."""
    claims: list[Claim] = Field(min_length=1)
    """The claims, in any order."""

    @model_validator(mode="after")
    def _unique_ids(self) -> "Claims":
        ids = [c.id for c in self.claims]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(msg("claim ids must differ; given more than once: %(ids)s", ids=", ".join(twice)))
        return self

    @model_validator(mode="after")
    def _approval(self) -> "Claims":
        if self.status == "approved" and not (self.approved_by and self.approved_on):
            raise ValueError(msg("an approved register needs approved_by and approved_on"))
        return self

    def get(self, claim_id: str) -> Claim | None:
        return next((c for c in self.claims if c.id == claim_id), None)
