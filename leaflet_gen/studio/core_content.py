"""The content desk's door into the rest of leaflet-gen (:mod:`.core` is the catalogue's,
:mod:`.core_practice` the practice editor's).

A section edited in the browser is checked and previewed as the file it would write: the draft's
text is loaded with the topic exactly as `leaflet-gen check` loads a topic (schema, claims, the
language check) and composed as a build composes it. Everything returned is studio-side data
(:class:`SectionFile`, :class:`Finding`, ...), except the opaque loaded ``topic`` handle the
studio passes back in.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from leaflet_gen.studio.core import Geometry, LeafletId, LintLine, variant_geometry

if TYPE_CHECKING:
    from leaflet_gen.api import Prepared

PARTS = ("cover", "flow", "back")  # where an audience's sections go, in leaflet order
NOT_SECTIONS = ("topic.yaml", "claims.yaml")


@dataclass(frozen=True)
class SectionFile:
    """A section file as the form opened it."""

    topic: str
    id: str
    path: Path
    rel: str  # relative to the project, as the user knows it
    text: str
    data: dict


@dataclass(frozen=True)
class ClaimInfo:
    """A claim of the register, as the form shows it beside the blocks that carry it."""

    id: str
    kind: str
    strength: tuple[str, ...]
    numbers: tuple[str, ...]
    source: str
    statement: str
    audiences: tuple[str, ...]


@dataclass(frozen=True)
class Finding:
    key: str  # the key in the section file ("blocks[1].text"), "" for the section as a whole
    message: str
    line: int | None = None
    file: str = ""


@dataclass
class DraftCheck:
    """What `leaflet-gen check` would say about a section if it held the draft."""

    ok: bool  # it could be saved and built: no problem (errors) anywhere in the topic
    problems: list[Finding] = field(default_factory=list)  # errors: schema, claims numbers, YAML
    findings: list[Finding] = field(default_factory=list)  # warnings: language, spelling, claims
    stats: LintLine | None = None
    topic: object | None = None  # the loaded draft topic (opaque), when it loads


# --- files -------------------------------------------------------------------------------------


def topic_folder(project, topic_id: str) -> Path | None:
    """The folder of a topic the project lists (looked up, never a path from the URL)."""
    return project.root / "content" / topic_id if topic_id in project.topic_ids() else None


def section_ids(project, topic_id: str) -> list[str]:
    """The section files of a topic (every YAML file but topic.yaml and claims.yaml), by id."""
    folder = topic_folder(project, topic_id)
    if folder is None:
        return []
    return sorted(p.stem for p in folder.glob("*.yaml") if p.name not in NOT_SECTIONS)


def section_path(project, topic_id: str, section_id: str) -> Path | None:
    if section_id not in section_ids(project, topic_id):
        return None
    return project.root / "content" / topic_id / f"{section_id}.yaml"


def read_section(project, topic_id: str, section_id: str) -> SectionFile | None:
    """A section file by ids the project lists, read as `check` reads it (raises LeafletError
    with the located problem when it cannot be read or parsed); None when there is no such section."""
    from leaflet_gen.content.yamlio import load_yaml

    path = section_path(project, topic_id, section_id)
    if path is None:
        return None
    doc = load_yaml(path, project.rel(path), project.root)
    return SectionFile(topic_id, section_id, path, project.rel(path), doc.text, doc.data)


def read_text(project, path: Path) -> str:
    """A section file's text as it is now (not parsed); raises LeafletError."""
    from leaflet_gen.content.yamlio import MAX_FILE_BYTES, read_text_file

    return read_text_file(path, project.rel(path), project.root, MAX_FILE_BYTES)


def write_atomic(path: Path, data: bytes) -> None:
    from leaflet_gen import files

    files.write_atomic(path, data)


def claims_register(project, topic_id: str) -> dict[str, ClaimInfo]:
    """The claims of the topic's register (claims.yaml), by id ({} without one, or while it does not load)."""
    from leaflet_gen.content.schema import CLAIMS_FILE, Claims
    from leaflet_gen.content.validate import parse
    from leaflet_gen.content.yamlio import load_yaml
    from leaflet_gen.errors import LeafletError

    folder = topic_folder(project, topic_id)
    if folder is None or not os.path.lexists(folder / CLAIMS_FILE):
        return {}
    try:
        path = folder / CLAIMS_FILE
        register = parse(load_yaml(path, project.rel(path), project.root), Claims, project.context())
    except LeafletError:
        return {}  # the check of the draft shows the register's problem
    return {c.id: ClaimInfo(c.id, c.kind, tuple(c.strength), tuple(c.numbers), c.source, c.statement,
                            tuple(c.audiences)) for c in register.claims}


def icon_names() -> list[str]:
    """The pictograms a list may show (docs/content-format.md, "List icons")."""
    import typing

    from leaflet_gen.content.schema import Icon

    return list(typing.get_args(Icon))


# --- a draft, checked as `leaflet-gen check` would check the file ---------------------------------


def check_draft(project, section: SectionFile, text: str, wordlist: set[str]) -> DraftCheck:
    """Load the topic with ``text`` as the section's file and check it: the loader's problems
    (YAML, schema, claims numbers: they stop a build), then the language check and the claims
    check's warnings of this section."""
    from leaflet_gen.content import lint
    from leaflet_gen.content.claims import check_topic
    from leaflet_gen.errors import LeafletError
    from leaflet_gen.i18n import msg

    result = DraftCheck(ok=False)
    try:
        topic = project.load_topic_draft(section.topic, section.id, text)
    except LeafletError as exc:
        mine = [p for p in exc.problems if str(p.file) == section.rel]
        result.problems = [Finding(p.key, p.message, p.line) for p in mine]
        result.problems += [Finding("", msg("%(where)s: %(message)s", message=p.message,
                                            where=f"{p.file}{':' + str(p.line) if p.line else ''}"), None,
                                    str(p.file)) for p in exc.problems if p not in mine]
        if not exc.problems:
            result.problems.append(Finding("", exc.message))
        return result
    result.ok, result.topic = True, topic
    report = lint.lint_topic(topic, wordlist)
    seen = set()
    for f in report.findings:
        if f.file == section.rel and (f.key, f.message) not in seen:  # a shared section: once, not per audience
            seen.add((f.key, f.message))
            result.findings.append(Finding(f.key, f.message, f.line))
    for rows in report.stats.values():
        row = next((r for r in rows if r.section == section.id), None)
        if row is not None:
            result.stats = LintLine(row.section, row.file, row.sentences, round(row.average, 1), row.longest,
                                    round(row.flesch_douma, 1))
            break
    if topic.claims is not None:
        claims = check_topic(topic, project.settings.language, project.rel)
        result.findings += [Finding(p.key, p.message, p.line) for p in claims.warnings if str(p.file) == section.rel]
    return result


def load_draft(project, section: SectionFile, text: str):
    """The topic with ``text`` as the section's file, or None when it does not load (what is wrong
    is :func:`check_draft`'s to say). The preview needs no more: the language check's 0.2 s
    would only delay the pictures, and the form asks for it beside them."""
    from leaflet_gen.errors import LeafletError

    try:
        return project.load_topic_draft(section.topic, section.id, text)
    except LeafletError:
        return None


def audiences_using(topic, section_id: str) -> dict[str, str]:
    """The audiences whose leaflets print the section: audience -> where (cover, flow, back)."""
    return {audience: part for audience, entry in topic.data.audiences.items()
            for part in PARTS if section_id in getattr(entry, part)}


def prepare_section_draft(project, topic, lid: LeafletId) -> Prepared:
    """Compose ``lid`` from the draft topic (``check_draft``'s), everything else as a build reads it."""
    from leaflet_gen import api

    return api.prepare_leaflet(project, lid, topic=topic)


def finish_section_draft(prepared: Prepared, outcome) -> tuple[bytes, Geometry, dict[str, float]]:
    """The draft's finished PDF, its geometry and the mm left per panel (as the leaflet page's fit)."""
    from leaflet_gen import api

    rendered = outcome.unwrap()
    produced = api.finish_leaflet(prepared, rendered, sheet=False)
    space = {panel: round(available - used, 1)
             for panel, (used, available) in zip(rendered.page_panels, rendered.fill) if panel}
    return produced.pdf, variant_geometry(prepared.leaflet.variant), space


# --- the topic page: order and review -------------------------------------------------------------


@dataclass(frozen=True)
class Review:
    """One audience's review state (content/review.py's ReviewState, in plain values)."""

    state: str  # "approved" | "changed" | "none"
    by: str
    at: str
    note: str
    next_review: dt.date
    due: str  # "ok" | "soon" | "overdue"
    concept: bool  # the leaflet prints CONCEPT (changed after approval, a concept topic or register)


@dataclass(frozen=True)
class Placed:
    part: str  # cover | flow | back
    id: str
    title: str
    words: str  # the first words of its text, to recognise it


@dataclass(frozen=True)
class AudienceView:
    id: str
    sections: tuple[Placed, ...]
    review: Review


@dataclass
class Overview:
    title: str
    audiences: list[AudienceView]
    problem: str = ""  # the topic does not load: why (its sections can still be edited)


def overview(root: Path, topic_id: str, today: dt.date) -> Overview:
    """The topic as it is on disk now (a fresh read: an approval or save just made shows)."""
    from leaflet_gen.content.markup import plain
    from leaflet_gen.content.project import Project
    from leaflet_gen.content.review import concept_reason, state_of
    from leaflet_gen.errors import LeafletError

    try:
        topic = Project(root).load_topic(topic_id)
    except LeafletError as exc:
        return Overview(topic_id, [], str(exc))
    out = Overview(topic.data.title, [])
    for audience, entry in topic.data.audiences.items():
        placed = []
        for part in PARTS:
            for sid in getattr(entry, part):
                section = topic.sections[sid]
                first = next((getattr(b, "text", None) or (getattr(b, "items", None) or [None])[0]
                              for b in section.blocks), None)
                words = plain(first if isinstance(first, str) else getattr(first, "label", "") or "").split()
                placed.append(Placed(part, sid, section.title or "", " ".join(words[:12]) + (" …" if len(words) > 12 else "")))
        state = state_of(topic, audience, today)
        last = state.last
        review = Review(state.state, last.by if last else "", last.at if last else "", last.note if last else "",
                        state.next_review, state.due, concept_reason(topic, audience) is not None)
        out.audiences.append(AudienceView(audience, tuple(placed), review))
    return out


def approve(root: Path, topic_id: str, audience: str, by: str, note: str):
    """Record an approval as `leaflet-gen review approve` does (raises LeafletError with the reason)."""
    from leaflet_gen import api

    return api.approve(root, topic_id, audience, by, note)


def approvals_path(root: Path, topic_id: str) -> Path:
    from leaflet_gen.content.review import APPROVALS_FILE

    return root / "content" / topic_id / APPROVALS_FILE


# --- history -------------------------------------------------------------------------------------


def files_at(root: Path, rev: str, folder: str) -> dict[str, bytes]:
    """The files under ``folder`` at git revision ``rev`` (``leaflet-gen diff``'s reading)."""
    from leaflet_gen.tools.diff import files_at as read

    return read(root, rev, folder)


def visual_diff(root: Path, topic_id: str, audience: str, rev: str, output: Path) -> list[Path]:
    """``leaflet-gen diff``'s pictures of the leaflet since ``rev`` (old | new, changes framed), in ``output``."""
    from leaflet_gen import api

    return [p for p in api.diff(root, topic_id, audience, rev, output).files if p.suffix == ".png"]
