"""Typed schemas: one class per YAML file kind (settings, practice, topic, section, variant, catalogue).

Validation happens once, here, at the front of the pipeline; everything downstream works on
these frozen objects, never on raw dicts. Formats that users get wrong by hand (colours, URLs,
e-mail, phone numbers, paths) are checked with messages that show a correct example.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
import typing
from pathlib import PurePosixPath
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from leaflet_gen.content.paths import folder_problem, path_problem
from leaflet_gen.i18n import msg

SETTINGS_FILE = "leaflet-gen.yml"
ID_MAX = 60  # the longest id new-practice and new-topic make: room for a folder and a file name
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _hex_colour(value: str) -> str:
    if not re.fullmatch(r"#[0-9A-Fa-f]{6}", value):
        raise ValueError(msg('expected a hex colour like "#1B6E8C", got "%(value)s"', value=value))
    return value.upper()


def _url(value: str) -> str:
    if not re.fullmatch(r"https?://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?::\d+)?(?:/[^\s<>\"']*)?", value):
        raise ValueError(msg('expected a web address like "https://www.example.nl/pagina", got "%(value)s"', value=value))
    return value


def _email(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}", value):
        raise ValueError(msg('expected an e-mail address like "info@praktijk.nl", got "%(value)s"', value=value))
    return value


def _phone(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    if not re.fullmatch(r"\+?[0-9 ()-]+", value) or not 10 <= len(digits) <= 13:
        raise ValueError(msg('expected a phone number like "030 123 45 67" or "+31 30 123 45 67", got "%(value)s"',
                             value=value))
    return value


def _relative_path(value: str) -> str:
    problem = path_problem(value)
    if problem:
        raise ValueError(problem)
    path = PurePosixPath(value.replace("\\", "/"))
    if path.is_absolute() or re.match(r"^[A-Za-z]:", value) or "://" in value:
        raise ValueError(msg('expected a file name inside the practice folder, like "logo.svg", got "%(value)s"',
                             value=value))
    if ".." in path.parts:
        raise ValueError(msg('the file must be inside the practice folder ("../" is not allowed), got "%(value)s"',
                             value=value))
    return value


def _slug(value: str) -> str:
    if not SLUG_RE.fullmatch(value):
        raise ValueError(msg('expected lower-case letters, digits and hyphens like "fysio-delinde", got "%(value)s"',
                             value=value))
    return value


def _audience(value: str, info: ValidationInfo) -> str:
    # The audiences are data (leaflet-gen.yml): the project loader passes them as the validation
    # context. Without one (a library user validating a dict), any slug is accepted here.
    known = (info.context or {}).get("audiences")
    if known is not None and value not in known:
        close = difflib.get_close_matches(value, known, n=1, cutoff=0.5)
        if close:
            raise ValueError(msg('unknown audience "%(value)s": the project\'s audiences (%(file)s) are %(known)s; '
                                 'did you mean "%(close)s"?', value=value, file=SETTINGS_FILE, known=", ".join(known),
                                 close=close[0]))
        raise ValueError(msg('unknown audience "%(value)s": the project\'s audiences (%(file)s) are %(known)s; '
                             'add it to %(file)s to use it', value=value, file=SETTINGS_FILE, known=", ".join(known)))
    return value


LANGUAGE_RE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")


def _language(value: str) -> str:
    if not LANGUAGE_RE.fullmatch(value):
        raise ValueError(f'expected a language code like "nl", "en", "tr", "ar" or "pt-BR", got "{value}"')
    return value


def _text(value: str) -> str:
    if not value.strip():
        raise ValueError(msg("expected text, got an empty value"))
    return value.strip()


# The ``pattern``s only go into the JSON Schema (editors flag a wrong value while it is typed);
# validation itself is the function, whose message shows a correct example.
HexColour = Annotated[str, AfterValidator(_hex_colour), Field(json_schema_extra={"pattern": "^#[0-9A-Fa-f]{6}$"})]
Url = Annotated[str, AfterValidator(_url), Field(json_schema_extra={"pattern": "^https?://"})]
Email = Annotated[str, AfterValidator(_email), Field(json_schema_extra={"pattern": "^[^@\\s]+@[^@\\s]+\\.[A-Za-z]{2,}$"})]
Phone = Annotated[str, AfterValidator(_phone)]
RelativePath = Annotated[str, AfterValidator(_relative_path)]
Slug = Annotated[str, AfterValidator(_slug), Field(json_schema_extra={"pattern": SLUG_RE.pattern})]
Audience = Annotated[Slug, AfterValidator(_audience)]
Language = Annotated[str, AfterValidator(_language), Field(json_schema_extra={"pattern": "^" + LANGUAGE_RE.pattern + "$"})]
Text = Annotated[str, Field(max_length=2000), AfterValidator(_text)]
ShortText = Annotated[str, Field(max_length=160), AfterValidator(_text)]


class Schema(BaseModel):
    """Base for every schema: unknown keys are errors, objects are immutable."""

    # Each field's docstring is its description: the one source for docs/ and the JSON Schema,
    # given by documented(), not at import (pydantic's use_attribute_docstrings).
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


# --- practice.yaml ---------------------------------------------------------------------------


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
    print_shop: PrintShop = Field(default_factory=PrintShop)
    """Settings for the print-shop PDF: crop and fold marks, the CMYK output profile."""

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


# --- leaflet-gen.yml: project settings ---------------------------------------------------------


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


# --- content: section files ------------------------------------------------------------------


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


# --- content: topic.yaml ---------------------------------------------------------------------


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


# --- content: claims.yaml --------------------------------------------------------------------

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


# --- variants/<id>.yaml ----------------------------------------------------------------------


class Panel(Schema):
    id: Slug
    """The panel's id (a slug)."""
    label: ShortText
    """The panel's name in messages and job sheets, like "inside left"."""
    role: Literal["cover", "flow", "back"]
    """cover (the first page), flow (the text runs through these, in order) or back (the last page)."""
    sheet: Literal["outside", "inside"]
    """The sheet side the panel is printed on: outside or inside."""
    x: float = Field(ge=0)
    """Left edge on the sheet, mm from the left trim."""
    width: float = Field(gt=0)
    """Panel width in mm."""


class Sheet(Schema):
    id: Literal["outside", "inside"]
    """The sheet side: outside or inside."""
    folds: list[float] = Field(default_factory=list)
    """Fold positions in mm from the left trim (fold marks and previews)."""


class Spread(Schema):
    """What the reader sees at once in one state of the folded leaflet (closed, opened once, ...)."""

    id: Slug
    """Short name, e.g. opened-once."""
    label: ShortText
    """How messages name it, e.g. opened once."""
    panels: list[Slug] = Field(min_length=1)
    """Ids of the panels visible together, left to right."""


class Variant(Schema):
    """An output variant: page geometry, template, stylesheet and PDF flavour."""

    id: Slug
    """The variant's id: must equal the file name in variants/."""
    description: ShortText
    """What the variant is for, one line."""
    template: RelativePath
    """The Jinja2 template in templates/ that writes the leaflet's HTML."""
    stylesheet: RelativePath
    """The stylesheet in styles/ (base.css is always loaded first)."""
    font_family: ShortText
    """The typeface every text must be set in; a build that falls back to another font fails."""
    page_width: float = Field(gt=0)
    """Trim width of one sheet/page in mm."""
    page_height: float = Field(gt=0)
    """Trim height of one sheet/page in mm."""
    bleed: float = Field(ge=0, default=0)
    """Bleed beyond the trim on every side, in mm (print: 3)."""
    safe_margin: float = Field(ge=0, default=5)
    """Distance text keeps from the trim and folds, in mm (checked by preflight)."""
    sheets: list[Sheet] = Field(default_factory=list)
    """The sheet sides of a folded leaflet, with their folds (empty: pages as they come)."""
    panels: list[Panel] = Field(default_factory=list)
    """The panels of a folded leaflet (empty: a flowing variant)."""
    spreads: list[Spread] = Field(default_factory=list)
    """The views a reader has of the folded leaflet (closed, opened once, fully open). Text runs on
    inside a section from one flow panel to the next only where some spread shows both; otherwise
    the next panel starts with a section (empty: no such rule)."""
    print_hint: ShortText | None = None
    """A line said after the build on how to print the PDF (optional)."""
    colour: Literal["cmyk", "srgb"] = "srgb"
    """cmyk: print colours and a CMYK output intent; srgb: screen colours."""
    pdf_variant: Literal["pdf/x-4", "pdf/ua-1"] | None = None
    """PDF flavour: pdf/x-4 (print) or pdf/ua-1 (accessible screen), or none."""
    marks: bool = False
    """Crop and fold marks in the slug (print shops may switch them off)."""
    min_body_pt: float = Field(10, gt=0)
    """Smallest body text size in pt (checked by preflight)."""
    job_sheet: bool = False
    """Write a job sheet (text and JSON) next to the PDF."""
    preflight: bool = False
    """Preflight the finished PDF; a failed check means no PDF."""
    min_contrast: float = Field(4.5, ge=4.5, le=21)
    """Text contrast target (WCAG AA 4.5, AAA 7)."""
    omit_blocks: list[Literal["paragraph", "list", "summary", "infobox", "tip", "links", "notes"]] = Field(
        default_factory=list)
    """Block types this variant leaves out, e.g. notes (lines to write on) on a screen; a section left
    without blocks is left out too."""

    def sheet_panels(self, sheet_id: str) -> list[Panel]:
        """The panels of one sheet, left to right (as printed on it)."""
        return sorted((p for p in self.panels if p.sheet == sheet_id), key=lambda p: p.x)

    def mirrored(self) -> "Variant":
        """The same leaflet for a right-to-left language: every panel and fold mirrored on its
        sheet (the cover on the left of the outside sheet, the inside read from the right), the
        reading order of the panels unchanged; "left" and "right" swap in the panels' labels."""
        swap = {"left": "right", "right": "left"}

        def label(text: str) -> str:
            return " ".join(swap.get(word, word) for word in text.split(" "))

        panels = [p.model_copy(update={"x": round(self.page_width - p.x - p.width, 3), "label": label(p.label)})
                  for p in self.panels]
        sheets = [s.model_copy(update={"folds": sorted(round(self.page_width - f, 3) for f in s.folds)})
                  for s in self.sheets]
        return self.model_copy(update={"panels": panels, "sheets": sheets})

    def section_starts(self) -> tuple[str, ...]:
        """Flow panels a section may not run on into: no spread shows them with the panel before."""
        flow = [p.id for p in self.panels if p.role == "flow"]
        if not self.spreads:
            return ()
        return tuple(b for a, b in zip(flow, flow[1:])
                     if not any(a in s.panels and b in s.panels for s in self.spreads))

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
        known = {p.id for p in self.panels}
        for spread in self.spreads:
            unknown = [pid for pid in spread.panels if pid not in known]
            if unknown:
                raise ValueError(f"spread {spread.id} names panels that do not exist: {', '.join(unknown)} "
                                 f"(panels: {', '.join(sorted(known))})")
        roles = [p.role for p in self.panels]
        if self.panels and (roles.count("cover") != 1 or roles.count("back") != 1 or "flow" not in roles):
            raise ValueError("a panel layout needs exactly one cover panel, one back panel and flow panels")
        return self


# --- catalogue.yaml (optional: which leaflets `build --all` makes) -----------------------------


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


@functools.cache
def documented() -> None:
    """Give each field its docstring as its description, for the JSON Schema, docs/ and the
    studio's help texts. Called by what shows them; validation never needs them.

    Not at import with pydantic's ``use_attribute_docstrings``: that reads this module's source
    as each class is made, ~45 ms of the start of every command (a build, ``check``), on the
    path to the first leaflet. Same rule as pydantic's: the string right after a field's
    annotated line, cleaned like a docstring; a description given with ``Field`` wins.
    """
    import ast
    import inspect
    import sys

    module = sys.modules[__name__]
    docs: dict[str, dict[str, str]] = {}
    for node in ast.parse(inspect.getsource(module)).body:
        if isinstance(node, ast.ClassDef):
            docs[node.name] = {
                stmt.target.id: inspect.cleandoc(after.value.value)
                for stmt, after in zip(node.body, node.body[1:])
                if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)
                and isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)
                and isinstance(after.value.value, str)}
    models = [value for name, value in vars(module).items()
              if isinstance(value, type) and issubclass(value, Schema) and name in docs]
    for model in models:  # in the order they were defined: a nested model before its user
        for name, info in model.model_fields.items():
            if info.description is None:
                info.description = next((docs[base.__name__][name] for base in model.__mro__
                                         if name in docs.get(base.__name__, {})), None)
        model.model_rebuild(force=True)
