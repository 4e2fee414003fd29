"""The build pipeline for one leaflet, and the default set.

load -> validate -> compose -> render -> post-process -> check -> atomic write. Nothing is
written at the destination until every step has succeeded; a failed build leaves the previous
good PDF untouched.
"""

from __future__ import annotations

import dataclasses
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from leaflet_gen import __version__
from leaflet_gen.content.loaded import SOURCE_LANGUAGE, LeafletId
from leaflet_gen.errors import LeafletError, Problem, RenderError, ValidationFailed
from leaflet_gen.i18n import font_families, msg

if TYPE_CHECKING:  # the schemas, composing (segno, LittleCMS) and pypdf: not needed for a no-op run
    from pypdf import PdfReader

    from leaflet_gen.content.loaded import LoadedPractice, LoadedTopic
    from leaflet_gen.content.project import Project
    from leaflet_gen.content.schema import Variant
    from leaflet_gen.content.translated import TranslationState
    from leaflet_gen.layout.compose import Leaflet
    from leaflet_gen.layout.templates import RenderRequest
    from leaflet_gen.pdf.preflight import Report


@dataclass(frozen=True)
class Job:
    """A leaflet to build: which one, where its practice is, and the build's options."""

    lid: LeafletId
    folder: Path  # the practice's folder (``lid.practice`` is its name)
    icc_profile: Path | None = None  # overrides the practice's and the project's profile
    marks: bool | None = None  # overrides the practice's print_shop.marks

    @classmethod
    def of(cls, folder: Path, topic: str, audience: str, variant: str, language: str = SOURCE_LANGUAGE) -> Job:
        return cls(LeafletId(folder.name, topic, audience, variant, language), folder)


@dataclass(frozen=True)
class Result:
    job: Job
    path: Path
    pages: int
    print_hint: str | None
    warnings: tuple = ()


def output_path(output_dir: Path, lid: LeafletId) -> Path:
    """Where a leaflet's PDF is written: <output>/<practice>/<slug>.pdf (its job sheet beside it)."""
    return output_dir / f"{lid.name}.pdf"


def default_jobs(project: Project, variants: list[str] | None = None, language: str | None = None) -> list[Job]:
    """Every practice x each audience, topic and language it hands out x ``variants`` (default: the
    settings' default_variants, the tri-fold unless leaflet-gen.yml says otherwise); ``language``:
    only that language, for every practice."""
    return [job for folder in project.practice_dirs() for variant in variants or project.settings.default_variants
            for job in practice_jobs(project, folder, variant=variant, language=language)]


def practice_jobs(project: Project, folder: Path, audience: str | None = None, topic: str | None = None,
                  variant: str = "trifold", language: str | None = None) -> list[Job]:
    """The leaflets of one practice: its audiences (or the one asked for) x its topics (or the one
    asked for; default every topic) that have them x its languages (``languages`` of practice.yaml,
    or the one asked for).

    Without an explicit audience, a topic that has no text for one of the practice's audiences
    is simply not built for it; asking for that audience explicitly is an error later on.
    """
    practice = project.load_practice(folder)
    jobs = []
    for topic_id in [topic] if topic else practice.data.topics or project.topic_ids():
        available = project.load_topic(topic_id).data.audiences
        for aud in [audience] if audience else practice.data.audiences:
            if audience or aud in available:
                jobs += [Job.of(folder, topic_id, aud, variant, lang)
                         for lang in ([language] if language else practice.data.languages)]
    return jobs


@dataclass(frozen=True)
class ResolvedLeaflet:
    """One job's inputs, read and checked once: what its input key (pipeline/inputs.py) and
    composing take as given, without going back to the project for them."""

    job: Job
    practice: LoadedPractice
    topic: LoadedTopic
    variant: Variant  # as the variant file says (see :meth:`print_variant`)
    icc_profile: Path | None  # CMYK variants only
    translation: TranslationState | None = None  # a translation: ``topic`` holds its texts
    stylesheets: tuple[Path, ...] = ()  # base.css, the variant's and what they @import (Project.stylesheet_chain)
    icon_folders: tuple[Path, ...] = ()  # where its pictograms are looked for (Project.icon_folders)

    def print_variant(self) -> Variant:
        """The variant as this leaflet prints: crop marks off when the job or the practice says so."""
        variant, marks = self.variant, self.job.marks
        if variant.marks and (marks is False or (marks is None and not self.practice.data.print_shop.marks)):
            return variant.model_copy(update={"marks": False})
        return variant


FONT_PACKAGES = {"Lato": "fonts-lato", "Noto Naskh Arabic": "fonts-noto-core"}  # the Debian package of each face


def resolve(project: Project, job: Job, *, practice: LoadedPractice | None = None,
            topic: LoadedTopic | None = None) -> ResolvedLeaflet:
    """Read and check ``job``'s practice, topic, variant and profile: the one loader of a leaflet.
    ``practice``, ``topic``: a draft's (the studio's editors), taken instead of the saved files."""
    lid = job.lid
    practice = practice or project.load_practice(job.folder)
    topic = topic or project.load_topic(lid.topic)
    variant = project.load_variant(lid.variant)
    translation = None
    if lid.language != SOURCE_LANGUAGE and lid.audience in topic.data.audiences:  # else: compose says which
        topic, translation = _translated(project, topic, lid)
    # A character the font lacks would only show up as a font fallback after rendering: say
    # which character, where, before anything is rendered.
    if translation is None:
        unprintable = project.unprintable(variant.font_family, practice, topic, lid.audience)
    else:
        from leaflet_gen.content.glyphs import missing_in_units
        from leaflet_gen.content.translated import leaflet_unit_ids
        from leaflet_gen.content.translations import source_units

        wanted = leaflet_unit_ids(topic, lid.audience)
        unprintable = project.unprintable(variant.font_family, practice) + missing_in_units(
            translation.shown, [(uid, text) for uid, text in source_units(topic) if uid in wanted],
            font_families(variant.font_family, lid.language), project.root / "fonts")
    if unprintable:
        raise ValidationFailed(unprintable)
    from leaflet_gen.content.glyphs import installed

    for family in font_families(variant.font_family, job.lid.language):
        if not installed(family, project.root / "fonts"):
            # Without it the renderer falls back to nothing usable and every measure is nonsense.
            known = family if family in FONT_PACKAGES else "Lato"  # another face: say where Lato comes from
            raise LeafletError(f'the leaflet font "{family}" is not installed (fontconfig finds no file of it, and '
                               f"fonts/ has none): install it ({known}: the Debian package {FONT_PACKAGES[known]}; "
                               "`leaflet-gen doctor` checks everything leaflet-gen needs), or put its font files in fonts/")
    profile = project.icc_profile(practice, job.icc_profile) if variant.colour == "cmyk" else None
    return ResolvedLeaflet(job, practice, topic, variant, profile, translation,
                           tuple(project.stylesheet_chain(variant.stylesheet)), project.icon_folders())


def _translated(project: Project, topic: LoadedTopic, lid: LeafletId) -> tuple[LoadedTopic, TranslationState]:
    """``topic`` in ``lid.language`` and the state of its translation (content/translated.py)."""
    from leaflet_gen.content.review import concept_reason
    from leaflet_gen.content.translated import translate_topic

    return translate_topic(topic, lid.audience, lid.language, project.root, concept_reason(topic, lid.audience))


def compose_job(project: Project, job: Job) -> Leaflet:
    return compose_resolved(project, resolve(project, job))


@dataclass(frozen=True)
class Prepared:
    """A leaflet resolved and composed, with the request its render process gets: the first half
    of a build, which a single build renders at once and a catalogue or the studio hands to
    render processes. The second half is :func:`finish` and :func:`write`."""

    resolved: ResolvedLeaflet
    leaflet: Leaflet
    request: RenderRequest

    @property
    def lid(self) -> LeafletId:
        return self.resolved.job.lid


def prepare(project: Project, resolved: ResolvedLeaflet, *, inside: bool = True) -> Prepared:
    """Compose a resolved leaflet and make its render request. Without ``inside`` the inside
    sections are left out (the practice editor's quick preview: the outer panels do not depend on them)."""
    from leaflet_gen.layout.templates import render_request

    leaflet = compose_resolved(project, resolved)
    if not inside:
        leaflet = dataclasses.replace(leaflet, flow=())
    return Prepared(resolved, leaflet, render_request(project, leaflet, resolved.stylesheets))


def compose_resolved(project: Project, resolved: ResolvedLeaflet) -> Leaflet:
    from leaflet_gen.layout.compose import compose

    return compose(resolved.topic, resolved.job.lid.audience, resolved.practice, resolved.print_variant(),
                   resolved.icc_profile, icons_dir=resolved.icon_folders, translation=resolved.translation)


@dataclass(frozen=True)
class Produced:
    """A finished leaflet in memory: nothing written yet (see :func:`write`)."""

    pdf: bytes
    pages: int
    advice: tuple[str, ...] = ()  # the layout's warnings (see engine.Rendered.advice)
    sheet: tuple[str, str] | None = None  # the job sheet as text and JSON (print variants)


def produce(prepared: Prepared, renderer=None, html: Path | None = None) -> Produced:
    """Render and post-process one leaflet to finished PDF bytes (nothing written but ``html``).

    ``renderer`` is an :mod:`leaflet_gen.pipeline.pool` renderer (default: render in this process).
    ``html``: also write the composed HTML there, exactly as WeasyPrint gets it (``--html``).
    """
    from leaflet_gen.pipeline import pool

    renderer = renderer or pool.InProcessRenderer()
    if html is not None:
        from leaflet_gen.files import write_atomic

        try:
            write_atomic(html, prepared.request.html.encode("utf-8"))
        except OSError as exc:
            raise LeafletError(f"cannot write the HTML to {html}: {exc.strerror}") from None
    renderer.submit(prepared.request)
    load_finishing(prepared.leaflet.variant)  # while a render process lays out the pages
    return finish(prepared.leaflet, renderer.result())


def load_finishing(*variants) -> None:
    """Import what finishing PDFs of ``variants`` needs while pages are laid out, not after."""
    import importlib

    names = ["pypdf", "leaflet_gen.content.markup", "leaflet_gen.layout.cmyk", "leaflet_gen.pdf.impose"]
    if any(variant.preflight for variant in variants):
        names += ["pypdfium2", "leaflet_gen.pdf.preflight"]  # preflight and its reader
    if any(variant.job_sheet for variant in variants):
        names.append("leaflet_gen.pdf.jobsheet")
    for name in names:
        importlib.import_module(name)


def finish(leaflet: Leaflet, rendered, *, sheet: bool = True) -> Produced:
    """The rendered pages as the finished PDF: fonts checked, panels imposed, metadata set; with
    its job sheet (print variants; not without ``sheet``: a preview of a draft)."""
    produced = _finish(leaflet, rendered)
    if sheet and leaflet.variant.job_sheet:
        produced = dataclasses.replace(produced, sheet=job_sheet(leaflet, produced.pdf, produced.pages))
    return produced


def _finish(leaflet: Leaflet, rendered) -> Produced:
    from pypdf import PdfReader

    from leaflet_gen.content.markup import plain
    from leaflet_gen.layout.cmyk import output_condition
    from leaflet_gen.pdf import impose

    variant = leaflet.variant
    reader = None if rendered.fonts is not None and not variant.panels else PdfReader(io.BytesIO(rendered.pdf))
    check_fonts(set(rendered.fonts) if rendered.fonts is not None else embedded_fonts(reader),
                *leaflet.font_families)
    if not variant.panels:
        # Flowing variants are finished as WeasyPrint wrote them: rewriting would risk the tag
        # structure of PDF/UA. Metadata comes from the HTML head; the ID from the content hash.
        return Produced(rendered.pdf, len(rendered.page_panels), rendered.advice)
    writer = impose.impose(reader, rendered.page_panels, variant)
    return Produced(impose.finish(
        writer,
        title=f"{leaflet.title} – {leaflet.practice.data.name}",
        author=leaflet.practice.data.name,
        subject=plain(leaflet.content.subtitle),
        keywords=f"{leaflet.title}, {leaflet.audience}, {version_word(leaflet.language, leaflet.topic.data.version)}",
        language=pdf_language(leaflet.language),
        created=leaflet.created,
        tool=f"leaflet-gen {__version__}",
        output_condition=(output_condition(leaflet.icc_profile)
                          if variant.pdf_variant == "pdf/x-4" and leaflet.icc_profile else None),
    ), len(writer.pages), rendered.advice)


def version_word(language: str, version: str) -> str:
    """ "versie 1.2" in the leaflet's language (the ``leaflet`` catalogue), for the PDF's keywords."""
    from leaflet_gen.i18n import catalogue

    _ = catalogue(language, "leaflet").gettext
    return _("version %(version)s") % {"version": version}


def pdf_language(language: str) -> str:
    """The PDF's /Lang: the leaflet's language; Dutch as the Netherlands' (nl-NL, as it always was)."""
    return "nl-NL" if language == "nl" else language


def check_fonts(found: set[str], family: str, *script_families: str) -> None:
    """Fail when any text was set in a font other than the variant's (a silent fallback), or the
    faces of the leaflet language's script (``script_families``: Noto Naskh Arabic for Arabic).
    ``found``: the base names of the fonts the PDF embeds (:class:`Rendered` ``.fonts``)."""
    def bare(name: str) -> str:  # "Noto Naskh Arabic" is embedded as "Noto-Naskh-Arabic-Bold"
        return name.replace(" ", "").replace("-", "")

    allowed = tuple(bare(f) for f in (family, *script_families))
    wrong = sorted(name for name in found if not bare(name).startswith(allowed))
    if wrong or not found:
        if found and len(wrong) < len(found):  # the font is there: something asks for another one
            how = (f"A stylesheet or template sets some text in {', '.join(wrong)}; remove that font-family "
                   f"(the variant's font_family is {family}), then build again.")
        else:
            how = ("Install it (Lato: the Debian package fonts-lato; `leaflet-gen doctor` checks everything "
                   "leaflet-gen needs), then build again.")
        raise RenderError(f'the leaflet font "{family}" was not used for all text '
                          f'(found: {", ".join(sorted(found)) or "none"}). {how}')


def embedded_fonts(reader: PdfReader) -> set[str]:
    """Base names of the fonts in a PDF, subset prefixes (ABCDEF+) removed (read from the PDF
    when the renderer did not say; the tests compare the two)."""
    from leaflet_gen.pdf.reader import walk_resources

    names: set[str] = set()
    for resources, _content, _xobject in walk_resources(reader):
        for font in ((resources.get_object() if resources else {}).get("/Font") or {}).values():
            base = str(font.get_object().get("/BaseFont", ""))
            names.add(base.lstrip("/").split("+", 1)[-1])
    return names


def preflight_report(leaflet: Leaflet, pdf: bytes) -> Report | None:
    """The print shop's checks of a finished PDF (None: the variant is not a print variant)."""
    if not leaflet.variant.preflight:
        return None
    from leaflet_gen.pdf.preflight import preflight

    # Preflight checks a PDF against the variant as written and mirrors it itself when the PDF's
    # /Lang is right to left, as it does for a file a print shop sends (mirroring twice undoes it).
    variant = leaflet.variant
    authored = variant.mirrored() if leaflet.direction == "rtl" and variant.panels else variant
    return preflight(pdf, output_path(Path(), leaflet.lid).name, authored)


def _preflight(project: Project, leaflet: Leaflet, data: bytes, target: Path) -> list[Problem]:
    """The last step before writing: a print PDF that fails preflight is never written."""
    from leaflet_gen.pdf.preflight import FAIL, WARN

    report = preflight_report(leaflet, data)
    failed = [c for c in report.checks if c.status == FAIL]
    if failed:
        details = "\n".join(f"  {c.name}: {c.detail}" for c in failed)
        raise RenderError(f"{leaflet.slug}: the print PDF failed preflight, so it was not written:\n{details}")
    return [Problem(project.rel(target), msg("preflight %(check)s: %(detail)s", check=c.name, detail=c.detail))
            for c in report.checks if c.status == WARN]


def build(project: Project, job: Job, output_dir: Path, renderer=None, html: Path | None = None) -> Result:
    """One leaflet end to end: resolve, compose, render, finish, preflight, write."""
    prepared = prepare(project, resolve(project, job))
    return write(project, prepared, produce(prepared, renderer, html), output_dir)


def as_written_warnings(project: Project, leaflet: Leaflet) -> list[Problem]:
    """A warning per practice text a leaflet in another language prints as written (in Dutch):
    ``translations.<language>`` in practice.yaml gives none (see LoadedPractice.in_language)."""
    practice = leaflet.practice
    return [Problem(project.rel(practice.source_file),
                    msg("printed as written (%(source)s) on this leaflet in %(language)s: give its text as "
                        "translations.%(language)s.%(field)s", source=SOURCE_LANGUAGE, language=leaflet.language,
                        field=key.rsplit(".", 1)[-1]), key=key)
            for key in practice.as_written]


def job_sheet(leaflet: Leaflet, pdf: bytes, pages: int) -> tuple[str, str] | None:
    """The print shop's job sheet of a finished PDF (print variants; None for the others): as text and JSON."""
    if not leaflet.variant.job_sheet:
        return None
    from leaflet_gen.pdf import jobsheet

    sheet = jobsheet.job_sheet(leaflet, pdf, pages, output_path(Path(), leaflet.lid).name)
    return jobsheet.as_text(sheet), jobsheet.as_json(sheet)


def write_leaflet(target: Path, pdf: bytes, sheet: tuple[str, str] | None) -> None:
    """Write a PDF and its job sheet (.job.txt, .job.json beside it) as one unit: a PDF never
    without its current job sheet, a job sheet never describing a PDF that was not written. The
    PDF is renamed into place last. Raises OSError."""
    from leaflet_gen.files import write_together

    files = {target: pdf}
    if sheet is not None:
        files[target.with_suffix(".job.txt")] = sheet[0].encode("utf-8")
        files[target.with_suffix(".job.json")] = sheet[1].encode("utf-8")
    write_together({path: files[path] for path in sorted(files, key=lambda p: p == target)})


def write(project: Project, prepared: Prepared, produced: Produced, output_dir: Path, *,
          os_errors: bool = False) -> Result:
    """Preflight (print variants), then write the PDF and its job sheet (:func:`write_leaflet`)
    to <output_dir>/<practice>/: the one way a finished leaflet is written (the CLI, catalogues,
    the studio). A file that cannot be written is a LeafletError, or with ``os_errors`` the
    OSError itself (the studio says why in its own words)."""
    leaflet, data, pages = prepared.leaflet, produced.pdf, produced.pages
    target = output_path(output_dir, leaflet.lid)
    warnings: list[Problem] = []  # the practice's own warnings are shown when it is loaded
    if leaflet.variant.preflight:
        warnings += _preflight(project, leaflet, data, target)
    try:
        write_leaflet(target, data, produced.sheet if produced.sheet is not None else job_sheet(leaflet, data, pages))
    except OSError as exc:
        if os_errors:
            raise
        raise LeafletError(f"cannot write {target}: {exc.strerror}") from None
    warnings += [Problem(project.rel(leaflet.topic.source_file), advice) for advice in produced.advice]
    warnings += as_written_warnings(project, leaflet)
    if leaflet.concept:
        where = leaflet.translation.shown if leaflet.translation is not None else project.rel(leaflet.topic.source_file)
        warnings.append(Problem(where,
                                msg('this leaflet carries a "CONCEPT" mark: %(reason)s', reason=leaflet.concept_reason),
                                key="" if leaflet.translation is not None else "status"))
    return Result(prepared.resolved.job, target, pages, leaflet.variant.print_hint, tuple(warnings))
