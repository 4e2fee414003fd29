"""The studio's door into the rest of leaflet-gen (the practice editor's is :mod:`.core_practice`).

Every call the studio makes into the build code goes through these modules (:mod:`.core_content`
is the content desk's), so that re-pointing the studio after a change below is a change to them only. Everything here returns plain studio-side data
(:class:`Built`, :class:`Located`, ...), never the build code's own objects, except the opaque
``project``, ``renderer`` and prepared-leaflet handles the studio passes back in.

It builds through :mod:`leaflet_gen.api` as the CLI does (the same resolve, compose, finish,
preflight and write), never into the pipeline itself. Nothing here imports WeasyPrint: rendering
happens in render processes started before the web server (``api.render_processes``), which keep
WeasyPrint loaded while the studio runs.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from leaflet_gen.content.loaded import LeafletId

if TYPE_CHECKING:
    from leaflet_gen.api import Prepared  # the build's own: a leaflet composed and ready to render

# Folders of a project whose files are inputs of leaflets (watched for changes).
INPUT_FOLDERS = ("content", "practices", "templates", "styles", "variants", "profiles", "fonts")


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
    flesch_douma: float | None  # Dutch only


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
    finished: tuple = ()  # the build's own (prepared, produced): what :func:`save` writes
    translation: str | None = None  # a translation that is not approved: why it prints CONCEPT


@dataclass
class Facts:
    """The leaflet's content metadata and language check (no rendering needed)."""

    title: str
    status: str  # "approved" | "concept" | "changed" (after its approval)
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
    from leaflet_gen.api import leaflet_ids

    found: list[LeafletId] = []
    failed: list[tuple[str, str, Failure]] = []
    for folder in project.practice_dirs():
        for variant in project.variant_ids():
            try:
                found += leaflet_ids(project, folder, variant)
            except Exception as exc:  # noqa: BLE001 - reported on the page, never a traceback
                failed.append((folder.name, variant, failure(exc)))
    return sorted(set(found)), failed


def geometry(project, variant_id: str) -> Geometry:
    variant = project.load_variant(variant_id)
    return variant_geometry(variant)


def variant_geometry(variant) -> Geometry:
    return Geometry(
        variant.id, variant.page_width, variant.page_height, tuple(s.id for s in variant.sheets),
        tuple(Panel(p.id, p.label, p.sheet, p.x, p.width, p.role) for p in variant.panels),
        bool(variant.job_sheet))


# --- building ----------------------------------------------------------------------------------


def renderer(processes: int):
    """Warm render processes (forked now, importing WeasyPrint while the studio starts)."""
    from leaflet_gen import api

    return api.render_processes(processes)


def renderer_shape(renderer) -> tuple[bool, int]:
    """(renders at submit, in this process?; how many leaflets it renders at once)."""
    from leaflet_gen import api

    return api.renderer_shape(renderer)


def in_process_renderer():
    from leaflet_gen import api

    return api.in_process_renderer()


def prepare(project, lid: LeafletId) -> Prepared:
    """Read, validate and compose as a build does (the build's ``Prepared``, opaque here: its
    ``.request`` is what the render processes get); raises on a problem in the input."""
    from leaflet_gen import api

    return api.prepare_leaflet(project, lid)


def finish(project, prepared: Prepared, outcome) -> Built:
    """Impose and make the job sheet of a rendered leaflet (raises on a problem); see :func:`preflight`."""
    from leaflet_gen import api

    rendered = outcome.unwrap()
    leaflet = prepared.leaflet
    produced = api.finish_leaflet(prepared, rendered)
    sheet_text, sheet_json = produced.sheet or (None, None)
    # The engine measures each page while the boxes exist (a PDF keeps no margins): mm used of
    # the content area, and its height.
    space = {}
    for panel_id, (used, available) in zip(rendered.page_panels, rendered.fill):
        if panel_id:
            space[panel_id] = round(available - used, 1)
    warnings = [located(w) for w in leaflet.practice.warnings]
    return Built(produced.pdf, produced.pages, variant_geometry(leaflet.variant), space, (), sheet_text, sheet_json,
                 tuple(warnings), (prepared, produced),
                 leaflet.concept_reason if leaflet.translation is not None else None)


def has_preflight(prepared: Prepared) -> bool:
    """Whether the leaflet is a print variant that :func:`preflight` checks."""
    return bool(prepared.leaflet.variant.preflight)


def preflight(prepared: Prepared, pdf: bytes) -> tuple[Check, ...]:
    """The print shop's checks of a finished PDF (print variants; () for the others)."""
    from leaflet_gen import api

    report = api.preflight_leaflet(prepared, pdf)
    return () if report is None else tuple(Check(c.name, c.status, c.detail) for c in report.checks)


def save(project, lid: LeafletId, built: Built) -> Path:
    """Write the PDF (and job sheet) as `leaflet-gen build` would, to <output>/<practice>/ (out/):
    preflight again, then the job sheet and the PDF. Raises OSError when it cannot be written."""
    from leaflet_gen import api

    prepared, produced = built.finished
    return api.save_leaflet(project, prepared, produced)


def facts(project, lid: LeafletId, wordlist: set[str] | None = None, today: dt.date | None = None) -> Facts:
    """Review state and language check of a leaflet's sections (raises on unreadable content)."""
    from leaflet_gen.content import check as checks

    topic = project.load_topic(lid.topic)
    data = topic.data
    today = today or dt.date.today()
    governance = tuple(located(p) for p in checks.governance(project, topic, today))
    if wordlist is None:
        wordlist = load_wordlist(project)
    report = _language_check(project, topic, lid, wordlist)
    entry = data.audiences.get(lid.audience)
    mine = set(entry.section_ids) if entry else set()
    dutch = report.language == "nl"  # Flesch-Douma measures Dutch only
    rows = tuple(LintLine(r.section, r.file, r.sentences, round(r.average, 1), r.longest,
                          round(r.flesch_douma, 1) if dutch else None)
                 for r in report.stats.get(lid.audience, []))
    findings = tuple(Located(f.message, f.file, f.line, f.key) for f in report.findings
                     if f.audience in (None, lid.audience) and (f.section is None or f.section in mine))
    files = {sid: project.rel(path) for sid, path in topic.section_files.items()}
    status = _status(topic, lid.audience) if entry else data.status
    claims, claim_findings = _claims(project, topic, entry.section_ids if entry else [], set(files.values()))
    return Facts(data.title, status, data.next_review, data.next_review < today, governance, rows, findings, files,
                 claims, claim_findings)


def _language_check(project, topic, lid: LeafletId, wordlist: set[str]):
    """The language check of what the leaflet prints: the Dutch sections, or for a translation its
    translated units in their own language (as `leaflet-gen check` reports them)."""
    from leaflet_gen.content import lint
    from leaflet_gen.content import translations as tr
    from leaflet_gen.content.loaded import SOURCE_LANGUAGE
    from leaflet_gen.content.translated import translated_texts

    if lid.language != SOURCE_LANGUAGE:
        found = translated_texts(topic, lid.language, project.root)
        if found is not None:
            shown = project.rel(tr.stored_path(topic, lid.language))
            return lint.lint_topic(found[0], wordlist, language=lid.language, translation=shown)
    return lint.lint_topic(topic, wordlist)


def _status(topic, audience: str) -> str:
    """approved, changed (after its approval: "gewijzigd na goedkeuring") or concept: as it prints."""
    from leaflet_gen.content.review import approval_state, concept_reason

    if approval_state(topic, audience)[0] == "changed":
        return "changed"
    return "concept" if concept_reason(topic, audience) is not None else "approved"


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
    return tuple(lines), tuple(located(p) for p in report.warnings if str(p.file) in mine)


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
    from leaflet_gen.errors import LayoutError, LeafletError, ValidationFailed

    if not isinstance(exc, LeafletError):
        from leaflet_gen.i18n import msg

        return Failure(msg("internal error (a bug in leaflet-gen): %(error)s", error=f"{type(exc).__name__}: {exc}"),
                       bug=True)
    problems = tuple(located(p) for p in exc.problems)
    overflow = None
    if isinstance(exc, LayoutError):
        overflow = _overflow(exc.message, project, variant_id, section_files or {})
    summary = exc.message
    if isinstance(exc, ValidationFailed):  # its English summary, as a message that translates
        from leaflet_gen.i18n import msg, nmsg

        files = len({str(p.file) for p in exc.problems})
        summary = msg("Found %(problems)s in %(files)s; nothing was built.",
                      problems=nmsg("%(n)s problem", "%(n)s problems", len(exc.problems)),
                      files=nmsg("%(n)s file", "%(n)s files", files))
    return Failure(summary, problems, overflow)


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


def located(problem) -> Located:
    return Located(problem.message, str(problem.file), problem.line, problem.key)


# --- previews ----------------------------------------------------------------------------------


def previews(project, variant_id: str, pdf_path: Path, out_dir: Path, dpi: int) -> list[Path]:
    """The preview tool's PNGs of a finished PDF (sheets, panels, folded mock-ups)."""
    from leaflet_gen.tools.preview import make_previews

    return make_previews(pdf_path, project.load_variant(variant_id), out_dir, dpi)
