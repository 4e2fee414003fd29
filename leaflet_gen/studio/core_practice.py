"""The practice editor's door into the rest of leaflet-gen (:mod:`.core` is the catalogue's).

The editor validates drafts with the schema `leaflet-gen check` uses, checks logos with the
build's checks and renders previews with the build's compose: each through here, never copied.
Like :mod:`.core`, it returns studio-side data (:class:`LogoCheck`, :class:`ColourFacts`, ...).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from leaflet_gen import i18n
from leaflet_gen.studio.core import Geometry, LeafletId, Located, located, variant_geometry

if TYPE_CHECKING:
    from leaflet_gen.api import Prepared


def practice_fields():
    """Every leaf key of practice.yaml in the schema's order, with its group (content/fields.py's
    ``Key``: key, required, description, group, example): the editor's form is made from it. Then
    the practice's own words per language (``translations.<language>.*``) for every language a
    leaflet can be printed in (a ``leaflet`` catalogue); the page shows those the project has."""
    from leaflet_gen.content.fields import practice_keys, translation_keys

    return practice_keys() + translation_keys(FORM_LANGUAGES)


# The languages whose translations.* the form can hold: those with the template's words (leaflet.po).
FORM_LANGUAGES = tuple(code for code in i18n.languages("leaflet") if code != "nl")


def check_practice(project, data: dict, practice_id: str, existing: bool) -> tuple[object | None, list[Located]]:
    """Validate a draft of practice.yaml (a dict as YAML would load it): the schema and its
    messages, exactly as `leaflet-gen check` reports them, plus the checks loading a practice
    adds (the id is the folder's name). Returns the Practice, or None, and the problems."""
    from pydantic import ValidationError

    from leaflet_gen.content.schema import Practice
    from leaflet_gen.content.validate import problems_from
    from leaflet_gen.content.yamlio import YamlDoc

    shown = f"practices/{practice_id or '<id>'}/practice.yaml"
    doc = YamlDoc(Path(shown), data, {}, shown)
    try:
        practice = Practice.model_validate(data)
    except ValidationError as exc:
        return None, [located(p) for p in problems_from(doc, Practice, exc)]
    problems = []
    folder = project.root / "practices" / (practice.id or "")
    if not existing and practice.id and os.path.lexists(folder / "practice.yaml"):
        problems.append(Located(f'a practice "{practice.id}" already exists ({project.rel(folder)}/); choose another id',
                                shown, None, "id"))
    return (None if problems else practice), problems


def slug_for(name: str) -> str:
    """A practice id from its name, as `leaflet-gen new-practice` makes it."""
    from leaflet_gen.tools.wizard import slugify

    return slugify(name)


def practice_id_max() -> int:
    """The longest practice id `leaflet-gen new-practice` makes (a folder name, with room to spare)."""
    from leaflet_gen.content.schema import ID_MAX

    return ID_MAX


def read_practice_yaml(project, folder: Path) -> tuple[str, dict]:
    """A practice.yaml's text and data, read as `leaflet-gen check` reads it (inside the project,
    a regular file, bounded, UTF-8, plain YAML): raises LeafletError with the located problem."""
    from leaflet_gen.content.yamlio import load_yaml
    from leaflet_gen.errors import Problem, ValidationFailed

    path = folder / "practice.yaml"
    try:
        doc = load_yaml(path, project.rel(path), project.root)
    except ValueError as exc:  # a value Python refuses to convert (an integer of 5,000 digits)
        raise ValidationFailed([Problem(project.rel(path), f"a value cannot be read ({exc})")]) from None
    return doc.text, doc.data


def read_practice_text(project, folder: Path) -> str:
    """A practice.yaml's text as it is now, read the same way (not parsed); raises LeafletError."""
    from leaflet_gen.content.yamlio import MAX_FILE_BYTES, read_text_file

    path = folder / "practice.yaml"
    return read_text_file(path, project.rel(path), project.root, MAX_FILE_BYTES)


@dataclass(frozen=True)
class LogoCheck:
    kind: str | None  # "svg" | "png" | "jpeg" when usable
    error: str | None = None
    warning: str | None = None
    ppi: float | None = None


def practice_logo(project, folder: Path, name: str) -> tuple[bytes | None, LogoCheck]:
    """The logo file a practice names, read and checked as the build reads and checks it
    (inside the practice folder, a regular file, bounded): its bytes (None: unusable) and the check."""
    from leaflet_gen.content.logos import read_logo

    folder = folder.resolve()
    logo = read_logo(folder, name, project.rel(folder))
    report = logo.report
    check = LogoCheck(report.kind if not report.error else None, report.error, report.warning, report.ppi)
    return (logo.data if check.kind else None), check


def check_logo(data: bytes, name: str) -> LogoCheck:
    """The build's logo checks (type by content, safe SVG, decodable image, effective ppi)."""
    from leaflet_gen.content.logos import inspect_logo

    report = inspect_logo(data, name)
    return LogoCheck(report.kind if not report.error else None, report.error, report.warning, report.ppi)


def image_pixels(data: bytes) -> int | None:
    """Width x height from a raster image's header, without decoding it (None: not a raster image)."""
    import io

    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
    except Image.DecompressionBombError:
        return 2 ** 62  # over Pillow's own limit: more than anyone may decode
    except (UnidentifiedImageError, OSError, ValueError):
        return None
    return width * height


LOGO_FILE_NAMES = {"svg": "logo.svg", "png": "logo.png", "jpeg": "logo.jpg"}


@dataclass(frozen=True)
class ColourFacts:
    """What becomes of a brand colour: text on it, headings in it, the ink print uses."""

    colour: str
    text_on: str  # the text colour set on it (white, near-black or black)
    text_contrast: float
    heading: str  # the colour headings on white paper use (darkened when needed)
    heading_contrast: float  # of the colour itself on white
    darkened: bool
    cmyk: tuple[float, float, float, float]  # percentages print uses
    exact: bool  # given in practice.yaml rather than converted through the profile
    delta_e: float  # how far print moves it
    out_of_gamut: bool


GAMUT_DELTA_E = 10.0  # CIE76; from about here a reader sees another colour in print than on screen


def colour_facts(project, hex_colour: str, exact_cmyk: tuple | None, icc_profile: Path | None = None,
                 min_contrast: float | None = None) -> ColourFacts:
    from leaflet_gen.layout import palette
    from leaflet_gen.layout.cmyk import CmykConverter

    variant = project.load_variant("trifold") if "trifold" in project.variant_ids() else None
    minimum = min_contrast or (variant.min_contrast if variant else palette.AA_BODY)
    colour = hex_colour.upper()
    on = palette.text_on(colour)
    heading = palette.readable_on_white(colour, minimum)
    converter = CmykConverter(icc_profile or project.default_icc())
    fractions = tuple(v / 100 for v in exact_cmyk) if exact_cmyk else converter.convert(colour)
    delta = converter.delta_e(colour, fractions)
    return ColourFacts(colour, on, round(palette.contrast(on, colour), 1), heading,
                       round(palette.contrast(colour, palette.WHITE), 1), heading != colour,
                       tuple(round(v * 100) for v in fractions), bool(exact_cmyk), round(delta, 1),
                       delta > GAMUT_DELTA_E)


def icc_profile_for(project, folder: Path | None, relative: str | None) -> Path:
    """The profile a draft's print PDF would use (raises LeafletError when it is not usable)."""
    from leaflet_gen.content.project import output_profile

    return output_profile(project, folder, relative)


def preview_leaflets(project, audiences: list[str]) -> list[LeafletId]:
    """The tri-fold leaflets a practice with these audiences gets (what its preview can show)."""
    found = []
    for topic_id in project.topic_ids():
        try:
            available = project.load_topic(topic_id).data.audiences
        except Exception:  # noqa: BLE001 - a topic that does not load has nothing to preview
            continue
        found += [LeafletId("", topic_id, a, "trifold") for a in audiences if a in available]
    return found


def prepare_draft(project, practice, folder: Path, logo_path: Path, logo_kind: str, topic_id: str,
                  audience: str, whole: bool) -> Prepared:
    """Compose a tri-fold of an unsaved practice (nothing read from its practice.yaml), as a build would.

    Without ``whole``, the inside sections are left out: the cover and back panels do not depend
    on them, and the rest renders in about two thirds of the time (measured: bench/editor.py).
    """
    from leaflet_gen import api
    from leaflet_gen.content.loaded import LoadedPractice

    loaded = LoadedPractice(practice.id or folder.name, folder, practice, logo_path, logo_kind,
                            folder / "practice.yaml")
    return api.prepare_leaflet(project, LeafletId(loaded.id, topic_id, audience, "trifold"), folder=folder,
                               practice=loaded, inside=whole)


def finish_draft(prepared: Prepared, outcome) -> tuple[bytes, Geometry]:
    """The draft's finished PDF (imposed like the build's; no job sheet, no preflight)."""
    from leaflet_gen import api

    produced = api.finish_leaflet(prepared, outcome.unwrap(), sheet=False)
    return produced.pdf, variant_geometry(prepared.leaflet.variant)


def new_practice_text(project, data: dict) -> str:
    """A new practice.yaml holding ``data`` as `leaflet-gen new-practice` writes it: commented for
    hand editing, the logo described as the wizard describes it when ``data`` does not."""
    from leaflet_gen.tools.wizard import logo_alt, practice_yaml

    return practice_yaml({"logo_alt": logo_alt(data["name"]), **{k: v for k, v in data.items() if v is not None}},
                         project.settings.audience_ids)


def load_practice_fresh(project, folder: Path):
    """Load a practice folder as a build would (a fresh read: nothing cached)."""
    from leaflet_gen.content.project import Project

    return Project(project.root).load_practice(folder)


def write_atomic(path: Path, data: bytes) -> None:
    from leaflet_gen import files

    files.write_atomic(path, data)
