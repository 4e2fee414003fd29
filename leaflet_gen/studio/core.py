"""The studio's one door into the rest of leaflet-gen.

Every call the studio makes into the build code goes through this module, so that when the
package is reorganised (content/, layout/, pdf/, pipeline/ and a core API) re-pointing the
studio is a change to this file only. Everything here returns plain studio-side data
(:class:`Built`, :class:`Located`, ...), never the build code's own objects, except the opaque
``project`` and ``renderer`` handles the studio passes back in.

Nothing here imports WeasyPrint: rendering happens in the warm render processes of
:mod:`leaflet_gen.engine` (``RenderPool``), started before the web server.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

# Folders of a project whose files are inputs of leaflets (watched for changes).
INPUT_FOLDERS = ("content", "practices", "templates", "styles", "variants", "profiles", "fonts")


@dataclass(frozen=True, order=True)
class LeafletId:
    """One leaflet of the catalogue; every part is an id the project itself knows."""

    practice: str
    topic: str
    audience: str
    variant: str

    @property
    def key(self) -> str:
        return f"{self.practice}/{self.topic}/{self.audience}/{self.variant}"

    @property
    def slug(self) -> str:
        return f"{self.topic}-{self.audience}-{self.variant}"


@dataclass(frozen=True)
class Located:
    """A problem the user can fix: where (file, line) and what to do."""

    message: str
    file: str = ""
    line: int | None = None
    key: str = ""

    @property
    def where(self) -> str:
        if not self.file:
            return ""
        return self.file + (f":{self.line}" if self.line is not None else "")


@dataclass(frozen=True)
class Overflow:
    """Content that does not fit: which panel, by how much, from which section."""

    panel: str  # panel id
    mm: float
    section: str | None
    file: str | None  # the section's file, relative to the project


@dataclass(frozen=True)
class Failure:
    """Why a build produced no (usable) PDF."""

    summary: str
    problems: tuple[Located, ...] = ()
    overflow: Overflow | None = None
    bug: bool = False  # an internal error, not the user's input


@dataclass(frozen=True)
class Panel:
    id: str
    label: str
    sheet: str
    x: float
    width: float
    role: str


@dataclass(frozen=True)
class Geometry:
    """What the pages of a variant look like (for pictures and the fit meter)."""

    variant: str
    page_width: float
    page_height: float
    sheets: tuple[str, ...]  # sheet ids in page order; () for a flowing variant
    panels: tuple[Panel, ...]  # in reading order
    print_pdf: bool  # has a job sheet (print shop variant)


@dataclass(frozen=True)
class Check:
    name: str
    status: str  # "pass" | "warn" | "fail"
    detail: str


@dataclass(frozen=True)
class LintLine:
    section: str
    file: str
    sentences: int
    average: float
    longest: int
    flesch_douma: float


@dataclass(frozen=True)
class ClaimLine:
    """A claim of the register as one section carries it: for the reviewer, beside the text."""

    section: str
    id: str
    kind: str
    strength: str
    source: str
    statement: str


@dataclass
class Built:
    """A finished leaflet, in memory: nothing is written by building."""

    pdf: bytes
    pages: int
    geometry: Geometry
    space_left: dict[str, float]  # panel id -> mm left (panelled variants)
    preflight: tuple[Check, ...]
    job_sheet: str | None
    job_sheet_json: str | None
    warnings: tuple[Located, ...]


@dataclass
class Facts:
    """The leaflet's content metadata and language check (no rendering needed)."""

    title: str
    status: str  # "approved" | "concept"
    next_review: dt.date | None
    overdue: bool
    governance: tuple[Located, ...] = ()
    lint: tuple[LintLine, ...] = ()
    findings: tuple[Located, ...] = ()
    section_files: dict[str, str] = field(default_factory=dict)
    claims: tuple[ClaimLine, ...] = ()  # per section in leaflet order, the claims it carries
    claim_findings: tuple[Located, ...] = ()  # the claims check's warnings for this leaflet


# --- the project -------------------------------------------------------------------------------


def open_project(root: Path):
    from leaflet_gen.api import open_project as open_

    return open_(root)


def fresh_project(old, changed: set[Path]):
    """A project that reads its files again. The compiled templates are kept per folder by the
    layout (Jinja checks each template file for changes).

    When only section files of topics changed (the edit the studio is for), what was loaded of
    the settings, the practices, the variants and the other topics is carried over: none of them
    reads a file in a topic's folder (a practice only checks that topics exist: a topic.yaml
    changing is not carried over). That is ~20 ms of the ~70 ms of reading and composing a
    tri-fold after a save. Anything else changed: everything is read again.
    """
    from leaflet_gen.content.project import Project

    topics = _changed_topics(old.root, changed)
    return Project(old.root) if topics is None else old.reread(topics)


def _changed_topics(root: Path, changed: set[Path]) -> set[str] | None:
    """The topics whose section files are all that changed (None: something else changed too)."""
    topics = set()
    for path in changed:
        try:
            parts = path.relative_to(root).parts
        except ValueError:
            return None
        if len(parts) != 3 or parts[0] != "content" or parts[2] == "topic.yaml":
            return None
        topics.add(parts[1])
    return topics


def topic_titles(project) -> dict[str, str]:
    """The title of every topic that can be read: a card shows it before its leaflet was built
    (else a catalogue of 40 showed the topic's folder name on most cards for its first minute)."""
    from leaflet_gen.errors import LeafletError

    titles = {}
    for topic_id in project.topic_ids():
        try:
            titles[topic_id] = project.load_topic(topic_id).data.title
        except LeafletError:
            pass  # the leaflet's build shows the located problem
    return titles


def discover(project) -> tuple[list[LeafletId], list[tuple[str, str, Failure]]]:
    """Every practice x its audiences x topic x variant, and what could not be read.

    Returns the ids found and, per (practice, variant) that failed to load, its failure: the
    caller keeps the leaflets it knew there, so a half-typed YAML file does not make cards vanish.
    """
    from leaflet_gen.pipeline.build import practice_jobs

    found: list[LeafletId] = []
    failed: list[tuple[str, str, Failure]] = []
    for folder in project.practice_dirs():
        for variant in project.variant_ids():
            try:
                jobs = practice_jobs(project, folder, variant=variant)
            except Exception as exc:  # noqa: BLE001 - reported on the page, never a traceback
                failed.append((folder.name, variant, failure(exc)))
                continue
            found += [LeafletId(folder.name, j.topic, j.audience, j.variant) for j in jobs]
    return sorted(set(found)), failed


def known_parts(project) -> tuple[set[str], set[str], set[str]]:
    """Practice, topic and variant ids present on disk (a change may add or remove one)."""
    return ({p.name for p in project.practice_dirs()}, set(project.topic_ids()), set(project.variant_ids()))


def geometry(project, variant_id: str) -> Geometry:
    variant = project.load_variant(variant_id)
    return _geometry(variant)


def _geometry(variant) -> Geometry:
    return Geometry(
        variant.id, variant.page_width, variant.page_height, tuple(s.id for s in variant.sheets),
        tuple(Panel(p.id, p.label, p.sheet, p.x, p.width, p.role) for p in variant.panels),
        bool(variant.job_sheet))


# --- building ----------------------------------------------------------------------------------


def renderer(processes: int):
    """Warm render processes (forked now, importing WeasyPrint while the studio starts)."""
    from leaflet_gen.pipeline import pool

    return pool.renderer(background=True, processes=max(1, min(processes, pool.usable_cores())))


def renderer_shape(renderer) -> tuple[bool, int]:
    """(renders at submit, in this process?; how many leaflets it renders at once)."""
    from leaflet_gen.pipeline import pool

    if isinstance(renderer, pool.InProcessRenderer):
        return True, 1
    renderer.start(len(renderer._conns))  # all its processes: the studio keeps them for every rebuild
    return False, renderer.processes


def in_process_renderer():
    from leaflet_gen.pipeline import pool

    return pool.InProcessRenderer()


@dataclass
class Prepared:
    """A leaflet composed and ready to render (opaque to the studio)."""

    lid: LeafletId
    job: object
    leaflet: object
    request: object


def prepare(project, lid: LeafletId) -> Prepared:
    """Read, validate and compose; raises on a problem in the input."""
    from leaflet_gen.layout.templates import render_request
    from leaflet_gen.pipeline import build as core

    job = core.Job(project.practice_dir(lid.practice), lid.topic, lid.audience, lid.variant)
    leaflet = core.compose_job(project, job)
    return Prepared(lid, job, leaflet, render_request(project, leaflet))


def finish(project, prepared: Prepared, outcome) -> Built:
    """Impose and make the job sheet of a rendered leaflet (raises on a problem); see :func:`preflight`."""
    from leaflet_gen.pipeline import build as core

    rendered = outcome.unwrap()
    leaflet = prepared.leaflet
    variant = leaflet.variant
    produced = core.finish(leaflet, rendered)
    name = f"{leaflet.slug}.pdf"
    sheet_text = sheet_json = None
    if variant.job_sheet:
        from leaflet_gen.pdf import jobsheet

        sheet = jobsheet.job_sheet(leaflet, produced.pdf, produced.pages, name)
        sheet_text, sheet_json = jobsheet.as_text(sheet), jobsheet.as_json(sheet)
    # The engine measures each page while the boxes exist (a PDF keeps no margins): mm used of
    # the content area, and its height.
    space = {}
    for panel_id, (used, available) in zip(rendered.page_panels, rendered.fill):
        if panel_id:
            space[panel_id] = round(available - used, 1)
    warnings = [_located(w) for w in leaflet.practice.warnings]
    return Built(produced.pdf, produced.pages, _geometry(variant), space, (), sheet_text, sheet_json,
                 tuple(warnings))


def has_preflight(prepared: Prepared) -> bool:
    """Whether the leaflet is a print variant that :func:`preflight` checks."""
    return bool(prepared.leaflet.variant.preflight)


def preflight(prepared: Prepared, pdf: bytes) -> tuple[Check, ...]:
    """The print shop's checks of a finished PDF (print variants; () for the others)."""
    leaflet = prepared.leaflet
    if not leaflet.variant.preflight:
        return ()
    from leaflet_gen.pdf.preflight import preflight as check

    report = check(pdf, f"{leaflet.slug}.pdf", leaflet.variant)
    return tuple(Check(c.name, c.status, c.detail) for c in report.checks)


def save(project, lid: LeafletId, built: Built) -> Path:
    """Write the PDF (and job sheet) where `leaflet-gen build` would: <output>/<practice>/ (out/)."""
    from leaflet_gen.content.settings import output_folder
    from leaflet_gen.files import write_together
    from leaflet_gen.pipeline import build as core

    target = core.output_path(output_folder(project.root), lid.practice, lid.slug)
    files = {target: built.pdf}
    if built.job_sheet is not None:
        files[target.with_suffix(".job.txt")] = built.job_sheet.encode("utf-8")
        files[target.with_suffix(".job.json")] = (built.job_sheet_json or "").encode("utf-8")
    write_together({path: files[path] for path in sorted(files, key=lambda p: p == target)})  # PDF last
    return target


def facts(project, lid: LeafletId, wordlist: set[str] | None = None, today: dt.date | None = None) -> Facts:
    """Review state and language check of a leaflet's sections (raises on unreadable content)."""
    from leaflet_gen.content import check as checks
    from leaflet_gen.content import lint

    topic = project.load_topic(lid.topic)
    data = topic.data
    today = today or dt.date.today()
    governance = tuple(_located(p) for p in checks.governance(project, topic, today))
    if wordlist is None:
        wordlist = load_wordlist(project)
    report = lint.lint_topic(topic, wordlist)
    entry = data.audiences.get(lid.audience)
    mine = set(entry.section_ids) if entry else set()
    rows = tuple(LintLine(r.section, r.file, r.sentences, round(r.average, 1), r.longest, round(r.flesch_douma, 1))
                 for r in report.stats.get(lid.audience, []))
    findings = tuple(Located(f.message, f.file, f.line, f.key) for f in report.findings
                     if f.audience in (None, lid.audience) and (f.section is None or f.section in mine))
    files = {sid: project.rel(path) for sid, path in topic.section_files.items()}
    status = "concept" if topic.claims is not None and topic.claims.status != "approved" else data.status
    claims, claim_findings = _claims(project, topic, entry.section_ids if entry else [], set(files.values()))
    return Facts(data.title, status, data.next_review, data.next_review < today, governance, rows, findings, files,
                 claims, claim_findings)


def _claims(project, topic, section_ids: list[str], files: set[str]) -> tuple[tuple[ClaimLine, ...], tuple]:
    """The claims each of the leaflet's sections carries, and the claims check's warnings about them."""
    from leaflet_gen.content.claims import check_topic, section_claims

    if topic.claims is None:
        return (), ()
    report = check_topic(topic, project.settings.language, project.rel)
    lines = []
    for sid in section_ids:
        for cid in section_claims(topic.sections[sid]):
            claim = report.claims.get(cid)
            if claim is not None:
                lines.append(ClaimLine(sid, cid, claim.kind, ", ".join(claim.strength), claim.source, claim.statement))
    mine = files | {project.rel(topic.claims_file)}
    return tuple(lines), tuple(_located(p) for p in report.warnings if str(p.file) in mine)


def section_files(project, topic_id: str) -> dict[str, str]:
    """Section id -> its file, relative to the project ({} when the topic cannot be read)."""
    try:
        topic = project.load_topic(topic_id)
    except Exception:  # noqa: BLE001 - only used to point at a file
        return {}
    return {sid: project.rel(path) for sid, path in topic.section_files.items()}


def load_wordlist(project) -> set[str]:
    from leaflet_gen.content import lint

    return lint.load_wordlist(project.root / lint.WORDLIST, project.root)


# --- errors ------------------------------------------------------------------------------------

_OVERFLOW = re.compile(r'does not fit the (?P<what>.+?) by about (?P<mm>\d+(?:\.\d+)?) mm'
                       r'(?:, from section "(?P<section>[^"]+)" on)?')


def failure(exc: BaseException, project=None, variant_id: str | None = None,
            section_files: dict[str, str] | None = None) -> Failure:
    """A build's exception as something to show: located problems, the overflowing panel."""
    from leaflet_gen.errors import LayoutError, LeafletError

    if not isinstance(exc, LeafletError):
        return Failure(f"internal error (a bug in leaflet-gen): {type(exc).__name__}: {exc}", bug=True)
    problems = tuple(_located(p) for p in exc.problems)
    overflow = None
    if isinstance(exc, LayoutError):
        overflow = _overflow(exc.message, project, variant_id, section_files or {})
    return Failure(exc.message, problems, overflow)


def _overflow(message: str, project, variant_id: str | None, section_files: dict[str, str]) -> Overflow | None:
    """Which panel a LayoutError names (the engine words it: see engine.assign_panels)."""
    match = _OVERFLOW.search(message)
    if not match or project is None or variant_id is None:
        return None
    try:
        panels = project.load_variant(variant_id).panels
    except Exception:  # noqa: BLE001 - the message is still shown whole
        return None
    what = match["what"]
    # "cover panel (front cover)", "back panel (back panel)" or "4 inside panels (a, b, c, d)":
    # the content runs out of the last panel named.
    labels = [s.strip() for s in what[what.find("(") + 1:what.rfind(")")].split(",")] if "(" in what else []
    panel = next((p for p in panels if labels and p.label == labels[-1]), None)
    if panel is None:
        return None
    section = match["section"]
    return Overflow(panel.id, float(match["mm"]), section, section_files.get(section) if section else None)


def _located(problem) -> Located:
    return Located(problem.message, str(problem.file), problem.line, problem.key)


# --- previews ----------------------------------------------------------------------------------


def previews(project, variant_id: str, pdf_path: Path, out_dir: Path, dpi: int) -> list[Path]:
    """The preview tool's PNGs of a finished PDF (sheets, panels, folded mock-ups)."""
    from leaflet_gen.tools.preview import make_previews

    return make_previews(pdf_path, project.load_variant(variant_id), out_dir, dpi)


# --- the practice editor -----------------------------------------------------------------------
# The editor validates drafts with the schema `leaflet-gen check` uses, checks logos with the
# build's checks and renders previews with the build's compose: each through here, never copied.


def practice_fields() -> list[tuple[str, bool, str]]:
    """Every leaf key of practice.yaml as (dotted key, required, the schema's description), in
    the schema's order: the editor's form is checked against this list, so no key is left out."""
    from pydantic import BaseModel

    from leaflet_gen.content.schema import Practice, documented
    from leaflet_gen.content.validate import _unwrap

    documented()
    out: list[tuple[str, bool, str]] = []

    def walk(model, prefix: str, required: bool) -> None:
        for name, info in model.model_fields.items():
            models = [t for t in _unwrap(info.annotation) if isinstance(t, type) and issubclass(t, BaseModel)]
            key = prefix + name
            if models:
                walk(models[0], key + ".", required and info.is_required())
            else:
                out.append((key, required and info.is_required(), info.description or ""))

    walk(Practice, "", True)
    return out


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
        return None, [_located(p) for p in problems_from(doc, Practice, exc)]
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
    from leaflet_gen.tools.wizard import ID_MAX

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
    from leaflet_gen.pdf.cmyk import CmykConverter

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
    from leaflet_gen.errors import LeafletError
    from leaflet_gen.pdf.cmyk import check_profile

    root = None  # the default profile (the project's, or the built-in one)
    if relative:
        if folder is None:
            raise LeafletError("save the practice first, then put the print shop's profile in its folder")
        try:
            root, path = folder.resolve(), (folder / relative).resolve()
        except (OSError, RuntimeError, ValueError) as exc:  # a loop of links, a NUL in the name
            raise LeafletError(f"print_shop.icc_profile cannot be read ({exc})") from None
        if not path.is_relative_to(root):
            raise LeafletError("print_shop.icc_profile must be inside the practice folder")
    else:
        path = project.default_icc()
    check_profile(path, project.rel(path), root)
    return path


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
    """Compose a tri-fold of an unsaved practice (nothing read from its practice.yaml).

    Without ``whole``, the inside sections are left out: the cover and back panels do not depend
    on them, and the rest renders in about two thirds of the time (measured: bench/editor.py).
    """
    import dataclasses

    from leaflet_gen.content.project import LoadedPractice
    from leaflet_gen.layout.compose import compose
    from leaflet_gen.layout.templates import render_request
    from leaflet_gen.pipeline import build as pipeline

    loaded = LoadedPractice(practice.id or folder.name, folder, practice, logo_path, logo_kind,
                            folder / "practice.yaml")
    variant = project.load_variant("trifold")
    if variant.marks and not practice.print_shop.marks:
        variant = variant.model_copy(update={"marks": False})
    profile = icc_profile_for(project, folder if os.path.lexists(folder / "practice.yaml") else None,
                              practice.print_shop.icc_profile)
    leaflet = compose(project.load_topic(topic_id), audience, loaded, variant, profile,
                      icons_dir=project.icon_folders())
    if not whole:
        leaflet = dataclasses.replace(leaflet, flow=())
    job = pipeline.Job(folder, topic_id, audience, "trifold")
    return Prepared(LeafletId(loaded.id, topic_id, audience, "trifold"), job, leaflet, render_request(project, leaflet))


def finish_draft(prepared: Prepared, outcome) -> tuple[bytes, Geometry]:
    """The draft's finished PDF (imposed like the build's; no job sheet, no preflight)."""
    from leaflet_gen.pipeline import build as pipeline

    produced = pipeline.finish(prepared.leaflet, outcome.unwrap())
    return produced.pdf, _geometry(prepared.leaflet.variant)


def new_practice_text(values: dict) -> str:
    """A new practice.yaml as `leaflet-gen new-practice` writes it: commented for hand editing."""
    from leaflet_gen.tools.wizard import practice_yaml

    return practice_yaml(values, values["logo"])


def load_practice_fresh(project, folder: Path):
    """Load a practice folder as a build would (a fresh read: nothing cached)."""
    from leaflet_gen.content.project import Project

    return Project(project.root).load_practice(folder)


def write_atomic(path: Path, data: bytes) -> None:
    from leaflet_gen import files

    files.write_atomic(path, data)
