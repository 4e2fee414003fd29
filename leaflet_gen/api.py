"""The core API: what the CLI, a library user or the web studio calls.

Each function takes plain values (paths, ids, flags), does the work and returns data; it prints
nothing. Problems the user can fix are raised as :class:`~leaflet_gen.errors.LeafletError`
(:class:`~leaflet_gen.errors.UsageProblem` for options that do not go together); progress goes
to the ``leaflet_gen`` loggers (see :mod:`leaflet_gen.logs`).

Import weight: this module imports nothing heavy at import time. What a call needs is imported
inside it, so ``check`` and ``list`` never load WeasyPrint, and a catalogue run in which
nothing changed loads neither the schemas nor the renderer.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from leaflet_gen.errors import UsageProblem

if TYPE_CHECKING:
    import datetime as dt

    from leaflet_gen.content.check import CheckReport
    from leaflet_gen.content.loaded import LeafletId, LoadedPractice, LoadedTopic
    from leaflet_gen.content.project import Project
    from leaflet_gen.content.review import Approval, ReviewState
    from leaflet_gen.content.schema import AudienceSettings, Settings
    from leaflet_gen.pdf.preflight import Report as PreflightReport
    from leaflet_gen.pipeline.build import Prepared, Produced, Result
    from leaflet_gen.pipeline.catalogue import CatalogueReport
    from leaflet_gen.pipeline.shards import Shard


def open_project(root: Path | str) -> Project:
    """The project in ``root`` (a folder with content/ and practices/; the theme is built in)."""
    from leaflet_gen.content.project import Project

    return Project.open(Path(root))


@dataclass
class Built:
    """What :func:`build_leaflets` made: single builds (``results``) or a catalogue ``report``."""

    results: list[Result] = field(default_factory=list)
    report: CatalogueReport | None = None
    warnings: list[str] = field(default_factory=list)  # in the order found, each once
    hints: list[str] = field(default_factory=list)  # how to print them (print variants)
    output_dir: Path | None = None  # where they went (--output, else the settings' output folder)

    @property
    def failed(self) -> bool:
        return self.report is not None and self.report.failed


def build_leaflets(root: Path | str, *, practice: str | None = None, audience: str | None = None,
                   topic: str | None = None, variant: str | None = None, output: Path | str | None = None,
                   icc_profile: Path | str | None = None, marks: bool | None = None, every: bool = False,
                   catalogue: Path | str | None = None, force: bool = False, workers: int | None = None,
                   debug: bool = False, on_result: Callable[[Result], None] | None = None,
                   on_warning: Callable[[str], None] | None = None, shard: str | Shard | None = None,
                   shard_times: Path | str | None = None, html: Path | str | None = None,
                   language: str | None = None) -> Built:
    """Build leaflet PDFs.

    Without ``practice``/``audience``/``topic``: the default set (every practice, its audiences and
    topics, ``variant`` or else the settings' default variants) as an incremental catalogue build; with ``every``: every variant too; with
    ``catalogue``: the leaflets a catalogue file lists. With ``practice``: that practice's
    leaflets, built one by one: ``on_warning`` is called with each warning as it is found and
    ``on_result`` as each leaflet is written (a catalogue build returns them in its report). ``debug`` renders
    in this process, so an internal error keeps its traceback.

    ``shard`` ("K/N" or a :class:`~leaflet_gen.pipeline.shards.Shard`, catalogue builds only): build
    only part K of N of the leaflets (N at most their number), split the same
    way on every machine (see :mod:`leaflet_gen.pipeline.shards`), balanced by the build times in
    the report ``shard_times`` when that file exists, else by count. ``html`` (one leaflet only):
    also write the composed HTML that WeasyPrint lays out to that file. ``language``: the leaflets in
    that language (``nl``, the source, or a translation) instead of each practice's ``languages``.
    """
    catalogue_mode = every or catalogue is not None or (practice is None and audience is None and topic is None)
    if catalogue_mode and (practice or audience or topic):
        raise UsageProblem("--all builds every practice and audience; leave out --practice/--audience/--topic")
    if practice is None and not catalogue_mode:
        raise UsageProblem("--audience and --topic need --practice (or give no options for the default set)")
    if (shard or shard_times) and not catalogue_mode:
        raise UsageProblem("--shard splits a catalogue build (--all or --catalogue); leave out --practice")
    if html and catalogue_mode:
        raise UsageProblem("--html writes the HTML of one leaflet: give --practice, --audience and --topic")
    if shard_times and not shard:
        raise UsageProblem("--shard-times balances shards: give --shard K/N too")
    if language is not None:
        from leaflet_gen.content.schema import LANGUAGE_RE

        if not LANGUAGE_RE.fullmatch(language):
            raise UsageProblem(f'--language "{language}" is not a language code: give one like nl, en, tr, ar or pt-BR')
        if catalogue is not None:
            raise UsageProblem("--language chooses the leaflets of the default set or --all; a catalogue file "
                               "lists its own: leave out --language or --catalogue")
    if shard:
        from leaflet_gen.pipeline.shards import Shard, parse_shard

        shard = shard if isinstance(shard, Shard) else parse_shard(str(shard))
    root = Path(root).resolve()
    from leaflet_gen.content.settings import output_folder

    out_dir = Path(output) if output else output_folder(root)
    _not_among_sources(root, output, "--output")
    _not_among_sources(root, html, "--html")
    overrides = {"icc_profile": Path(icc_profile) if icc_profile else None, "marks": marks}
    if catalogue_mode:
        from leaflet_gen.pipeline.catalogue import Request

        kind = "catalogue" if catalogue is not None else "all" if every else "default"
        request = Request(kind, variant, str(catalogue) if catalogue is not None else None,
                          str(icc_profile) if icc_profile else None, marks, str(shard) if shard else None,
                          str(Path(shard_times).resolve()) if shard and shard_times else None,
                          shard.where if shard else "--shard", language)
        report = _catalogue(root, request, out_dir, overrides, force, workers, debug)
        warnings = dict.fromkeys(w for entry in report.entries for w in entry.warnings)
        return Built(report=report, warnings=list(warnings), output_dir=out_dir)
    built = _single(root, practice, audience, topic, variant, out_dir, overrides, debug, on_result,
                    on_warning or (lambda warning: None), Path(html) if html else None, language)
    built.output_dir = out_dir
    return built


def _single(root: Path, practice, audience, topic, variant, out_dir: Path, overrides: dict, debug: bool,
            on_result, on_warning, html: Path | None = None, language: str | None = None) -> Built:
    """The single builds of one practice: read, compose and finish here, laid out in a render
    process started first (it imports WeasyPrint while the content is read and checked)."""
    from leaflet_gen.pipeline import build as core
    from leaflet_gen.pipeline import pool

    renderer = pool.renderer(background=not debug)
    try:
        project = open_project(root)
        check_audience(project, audience)
        folder = project.practice_dir(practice)
        built = Built(warnings=[str(w) for w in project.load_practice(folder).warnings])
        for warning in built.warnings:
            on_warning(warning)
        jobs = [job for v in ([variant] if variant else project.settings.default_variants)
                for job in core.practice_jobs(project, folder, audience, topic, v, language)]
        if html and len(jobs) != 1:
            raise UsageProblem(f"--html writes the HTML of one leaflet, and this would build {len(jobs)}: "
                               "give --audience and --topic too")
        for job in jobs:
            result = core.build(project, dataclasses.replace(job, **overrides), out_dir, renderer, html=html)
            built.results.append(result)
            for warning in map(str, result.warnings):
                built.warnings.append(warning)
                on_warning(warning)
            if result.print_hint and result.print_hint not in built.hints:
                built.hints.append(result.print_hint)
            if on_result:
                on_result(result)
    finally:
        renderer.close()
    built.hints.sort()
    return built


def package_leaflets(root: Path | str, practice: str, zip_path: Path | str, *, audience: str | None = None,
                     topic: str | None = None, icc_profile: Path | str | None = None, marks: bool | None = None,
                     order: dict[str, str] | None = None, debug: bool = False,
                     on_warning: Callable[[str], None] | None = None) -> tuple[Path, list[str]]:
    """The print shop's package of ``practice`` (see :mod:`leaflet_gen.pdf.package`): its print
    leaflets (the variants with a job sheet) built into a temporary folder, zipped with their job
    sheets and a list into ``zip_path``. Returns the zip's path and the names of the PDFs in it."""
    import tempfile

    from leaflet_gen.files import write_atomic

    root = Path(root).resolve()
    _not_among_sources(root, zip_path, "--zip")
    project = open_project(root)
    check_audience(project, audience)
    folder = project.practice_dir(practice)
    variants = [v for v in project.variant_ids() if project.load_variant(v).job_sheet]
    if not variants:
        raise UsageProblem("--zip packs the print leaflets, and no variant of this project has a job sheet "
                           "(job_sheet: true in variants/)")
    overrides = {"icc_profile": Path(icc_profile) if icc_profile else None, "marks": marks}
    items = []
    with tempfile.TemporaryDirectory(prefix="leaflet-package-") as tmp:
        for variant in variants:
            built = _single(root, practice, audience, topic, variant, Path(tmp), overrides, debug, None,
                            on_warning or (lambda warning: None))
            for result in built.results:
                items.append(package_item(result.job.lid, result.path.read_bytes(),
                                          result.path.with_suffix(".job.json").read_text(encoding="utf-8")))
    if not items:
        raise UsageProblem(f"practice {folder.name} hands out no leaflet for these options: nothing to pack")
    data = print_package(items, project.load_practice(folder).data.name, order)
    target = Path(zip_path)
    write_atomic(target, data)
    return target, sorted(f"{item.stem}.pdf" for item in items)


def _catalogue(root: Path, request, out_dir: Path, overrides: dict, force: bool, workers: int | None,
               debug: bool) -> CatalogueReport:
    from leaflet_gen.pipeline import catalogue as cat
    from leaflet_gen.pipeline.inputs import project_stamp

    def start_renderer():
        from leaflet_gen.pipeline import pool

        return pool.renderer(background=not debug, processes=workers or pool.usable_cores(), free_first=True)

    renderer = None
    if force or not cat.recorded_leaflets(out_dir):
        # Certain to build: the render processes start importing WeasyPrint before the project
        # is hashed for its record, as that import is the start's longer path.
        renderer = start_renderer()
    try:
        # Nothing changed since the last complete run: answer from its record without loading,
        # validating or importing anything heavy (the common case in CI and pre-commit).
        stamp = project_stamp(root, request)
        report = None if force else cat.replay_unchanged(out_dir, stamp)
        if report is not None:
            return report
        from leaflet_gen.pipeline import pool

        renderer = renderer or start_renderer()
        with pool.collecting_less():
            project = open_project(root)
            jobs = [dataclasses.replace(job, **overrides) for job in cat.request_jobs(project, request)]
            record = None
            if request.shard:
                from leaflet_gen.pipeline import shards

                times = None  # without an earlier report (a first run in CI): balanced by count
                if request.shard_times and Path(request.shard_times).exists():
                    from leaflet_gen.pipeline.report import read_times

                    times = read_times(Path(request.shard_times))
                ids = [job.lid.name for job in jobs]
                mine, record = shards.plan(shards.parse_shard(request.shard, request.shard_from), ids,
                                           times, shards.identity(root, request))
                jobs = [job for job, lid in zip(jobs, ids) if lid in mine]
            return cat.build_catalogue(project, jobs, out_dir, force=force, stamp=stamp, renderer=renderer,
                                       raise_bugs=debug, shard=record)
    finally:
        if renderer is not None:
            renderer.close()


def check_project(root: Path | str, practices: list[str] | None = None) -> CheckReport:
    """Validate content, variants and practices without rendering; review dates and language too.

    Unchanged since the last check that found no problem: its report, without loading anything
    (see :mod:`leaflet_gen.content.checkcache`); else only changed topics get a new language check.
    """
    import datetime as dt

    from leaflet_gen.content import check
    from leaflet_gen.content.checkcache import CheckCache, dictionaries_key, enabled

    root = Path(root).resolve()
    cache = CheckCache(root)
    dictionaries = dictionaries_key() if enabled() else ""
    stamp = cache.stamp(root, practices, dt.date.today(), dictionaries)
    record = cache.replay(stamp)
    report = check.CheckReport.from_record(record) if record is not None else None
    if report is not None:
        return report
    project = open_project(root)
    report = check.check_project(project, [project.practice_dir(p) for p in practices or []] or None,
                                 cache=cache, dictionaries=dictionaries)
    cache.record(stamp, None if report.problems else report.as_record())
    cache.save()
    return report


def preflight_pdf(root: Path | str, pdf: Path | str, variant: str = "trifold") -> PreflightReport:
    """Check a finished PDF the way a print shop would, against ``variant``."""
    from leaflet_gen.pdf.preflight import preflight_file

    return preflight_file(Path(pdf), open_project(root).load_variant(variant))


def list_project(root: Path | str) -> dict[str, list[str]]:
    """The practices, topics, audiences (with display name and voice) and variants of a project, by kind."""
    project = open_project(root)
    return {"Practices": [folder.name for folder in project.practice_dirs()], "Topics": project.topic_ids(),
            "Audiences": [f"{a.id}: {a.name} ({a.voice})" for a in project.settings.audiences],
            "Variants": project.variant_ids()}


def project_settings(root: Path | str) -> Settings:
    """The project's settings (leaflet-gen.yml, or the defaults without it)."""
    return open_project(root).settings


def audiences(root: Path | str) -> list[AudienceSettings]:
    """The project's audiences, in the settings' order (what --audience and the wizard offer)."""
    return list(project_settings(root).audiences)


def _not_among_sources(root: Path, path: Path | str | None, option: str) -> None:
    """Refuse ``path``, given as ``option``, when what it names would be written among the sources."""
    from leaflet_gen.content.settings import sources_refusal
    from leaflet_gen.errors import LeafletError

    refusal = sources_refusal(root, Path(path), f"{option} {path}") if path else None
    if refusal:
        raise LeafletError(refusal)


def check_audience(project: Project, audience: str | None) -> None:
    """A usage error unless ``audience`` is None or one of the project's audiences (leaflet-gen.yml)."""
    ids = [a.id for a in project.settings.audiences]
    if audience is None or audience in ids:
        return
    import difflib

    close = difflib.get_close_matches(audience, ids, n=1, cutoff=0.5)
    hint = f'; did you mean "{close[0]}"?' if close else " (add an audience in leaflet-gen.yml)"
    raise UsageProblem(f"Invalid value for '--audience': {audience!r} is not one of {', '.join(map(repr, ids))}{hint}")


def json_schema(kind: str) -> str:
    """The JSON Schema of one YAML file kind (settings, practice, topic, section, variant, catalogue)."""
    from leaflet_gen.content import jsonschemas

    if kind not in jsonschemas.KINDS:
        raise UsageProblem(f'unknown kind "{kind}"; expected one of: {", ".join(jsonschemas.KINDS)}')
    return jsonschemas.render(kind)


def write_schemas(root: Path | str) -> list[Path]:
    """Write every kind's JSON Schema to the project's schemas/; returns the files that changed."""
    from leaflet_gen.content import jsonschemas

    return jsonschemas.write_schemas(open_project(root).root)


def check_new_project_folder(folder: Path | str) -> None:
    """Refuse ``folder`` for a new project unless it is missing or empty (before asking anything)."""
    from leaflet_gen.tools.init import refuse_used

    refuse_used(Path(folder), str(folder))


def init_project(folder: Path | str, *, name: str | None = None, audiences: str | None = None):
    """A new project in ``folder`` (new or empty): settings, an example topic and practice, schemas,
    .gitignore and a CI workflow; no theme file. ``audiences``: ids separated by commas. Returns
    what was written (:class:`leaflet_gen.tools.init.Created`)."""
    from leaflet_gen.tools import init as new

    def checked(option: str, check, value):
        try:
            return check(value)
        except ValueError as exc:
            raise UsageProblem(f"{option}: {exc}") from None

    return new.init_project(Path(folder), name=checked("--name", new.check_name, name or new.DEFAULT_NAME),
                            audiences=checked("--audiences", new.parse_audiences,
                                              audiences or new.DEFAULT_AUDIENCES), shown=str(folder))


def new_topic(root: Path | str, topic_id: str, title: str | None = None) -> list[Path]:
    """Scaffold content/<topic_id>/: a commented topic.yaml and one section per audience (a concept
    that passes ``check``). Returns the files written."""
    from leaflet_gen.tools.new_topic import scaffold

    return scaffold(open_project(root), topic_id, title)


def preview(root: Path | str, *, practice: str | None = None, audience: str | None = None,
            variant: str = "trifold", topic: str | None = None, pdf: Path | str | None = None,
            output: Path | str | None = None, dpi: int = 100) -> tuple[list[Path], list[str]]:
    """PNG previews (each sheet, each panel, the folded leaflet) of ``pdf``, or of the practice's
    leaflets built in a temporary folder. Returns the image paths and the builds' warnings."""
    import tempfile

    from leaflet_gen.pipeline import build as core
    from leaflet_gen.tools.preview import make_previews

    project = open_project(root)
    _not_among_sources(project.root, output, "--output")
    check_audience(project, audience)
    the_variant = project.load_variant(variant)
    if pdf:
        if audience or topic:
            raise UsageProblem("--pdf previews that file; leave out --audience and --topic")
        name = project.practice_dir(practice).name if practice else Path(pdf).stem
        out_dir = Path(output) if output else project.root / "out" / "preview" / name
        return make_previews(Path(pdf), the_variant, out_dir, dpi), []
    if not practice:
        raise UsageProblem("give --practice (or --pdf with a finished leaflet)")
    folder = project.practice_dir(practice)
    out_dir = Path(output) if output else project.root / "out" / "preview" / folder.name
    paths: list[Path] = []
    warnings: list[str] = []
    with tempfile.TemporaryDirectory(prefix="leaflet-preview-") as tmp:
        jobs = [job for v in ([variant] if variant else project.settings.default_variants)
                for job in core.practice_jobs(project, folder, audience, topic, v)]
        for job in jobs:
            result = core.build(project, job, Path(tmp))
            warnings += [str(w) for w in result.warnings]
            paths += make_previews(result.path, the_variant, out_dir, dpi)
    return paths, warnings


def new_practice(root: Path | str, answers: dict[str, str | None], *, ask=None, force: bool = False, say=None):
    """Set up practices/<id>/ with practice.yaml and the logo from ``answers`` (asking the rest with
    ``ask`` when given). Returns the wizard's result (files written, the command to build)."""
    from leaflet_gen.tools.wizard import run_wizard

    return run_wizard(open_project(root), answers, ask=ask, force=force, say=say)


def review_status(root: Path | str, today: dt.date | None = None) -> list[ReviewState]:
    """Every topic x audience: approved, changed after approval or not approved, and its review date."""
    import datetime as dt_

    from leaflet_gen.content.review import state_of

    project = open_project(root)
    today = today or dt_.date.today()
    states = []
    for topic_id in project.topic_ids():
        topic = project.load_topic(topic_id)
        states += [state_of(topic, audience, today) for audience in topic.data.audiences]
    return states


def approve(root: Path | str, topic: str, audience: str, by: str, note: str = "",
            now: dt.datetime | None = None) -> Approval:
    """Approve ``audience``'s leaflet text of ``topic`` as it is now (one record in approvals.jsonl).
    Refused, like a build, while the topic has problems: nobody approves text that cannot be printed."""
    import datetime as dt_

    from leaflet_gen.content.review import approve as record

    project = open_project(root)
    if topic not in project.topic_ids():
        raise UsageProblem(f'unknown topic "{topic}"; topics: {", ".join(project.topic_ids()) or "none"}')
    return record(project.load_topic(topic), audience, by, note, now or dt_.datetime.now(dt_.UTC))


def translate_export(root: Path | str, language: str, *, topic: str | None = None,
                     output: Path | str | None = None):
    """Write the translation units of ``topic`` (default: all) in ``language``: to ``output`` (one XLIFF
    1.2 file), else to each topic's content/<topic>/translations/<language>.xlf. Returns (files, counts)."""
    from leaflet_gen.tools.translate import export

    project = open_project(root)
    _not_among_sources(project.root, output, "--output")
    return export(project, language, topic, Path(output) if output is not None else None)


def translate_import(root: Path | str, path: Path | str):
    """Merge a translator's XLIFF file into the stored translation files (refused as a whole when a
    unit's numbers, web addresses, markup or placeholders differ from its Dutch source)."""
    from leaflet_gen.tools.translate import import_file

    return import_file(open_project(root), Path(path))


def translate_status(root: Path | str, language: str | None = None):
    """Per language and topic: units new, needing review, translated and approved."""
    from leaflet_gen.tools.translate import status

    return status(open_project(root), language)


def translate_approve(root: Path | str, language: str, topic: str, by: str, now: dt.datetime | None = None):
    """Sign off the translated units of ``topic`` in ``language``: who and when are recorded in the file."""
    import datetime as dt_

    from leaflet_gen.tools.translate import approve as sign

    return sign(open_project(root), language, topic, by, now or dt_.datetime.now(dt_.UTC))


def diff(root: Path | str, topic: str, audience: str, since: str, output: Path | str, *,
         practice: str | None = None, variant: str = "trifold", dpi: int = 60):
    """Pictures (before | now, changed areas framed) and text differences of a leaflet since a git
    revision, written to ``output``. Built for ``practice``, or the first that hands the leaflet out."""
    from leaflet_gen.tools.diff import compare

    project = open_project(root)
    _not_among_sources(project.root, output, "--output")
    check_audience(project, audience)
    if topic not in project.topic_ids():
        raise UsageProblem(f'unknown topic "{topic}"; topics: {", ".join(project.topic_ids()) or "none"}')
    if practice:
        folder = project.practice_dir(practice)
    else:
        folder = next((f for f in project.practice_dirs() if audience in project.load_practice(f).data.audiences
                       and topic in (project.load_practice(f).data.topics or [topic])), None)
        if folder is None:
            raise UsageProblem(f"no practice hands out {topic} for {audience}: give --practice")
    project.load_variant(variant)
    return compare(project.root, topic, audience, since, Path(output), folder, variant, dpi)


# --- one leaflet in steps: the studio renders in its own processes, between preparing and finishing ---
# The same steps a build takes (leaflet_gen.pipeline.build): resolve -> compose (prepare) -> render
# -> finish (imposition, job sheet) -> preflight -> write; only the rendering is the caller's.


def render_processes(processes: int):
    """Render processes that stay loaded while their owner runs (forked now, importing WeasyPrint):
    at most one per usable core. Handed back to :func:`renderer_shape`, closed with ``.close()``."""
    from leaflet_gen.pipeline import pool

    return pool.renderer(background=True, processes=max(1, min(processes, pool.usable_cores())))


def in_process_renderer():
    """A renderer that lays out in this process when a request is submitted (tests, ``--debug``)."""
    from leaflet_gen.pipeline import pool

    return pool.InProcessRenderer()


def renderer_shape(renderer) -> tuple[bool, int]:
    """(renders at submit, in this process?; how many leaflets it renders at once). Starts all
    of a pool's processes: their owner keeps them for every rebuild."""
    from leaflet_gen.pipeline import pool

    if isinstance(renderer, pool.InProcessRenderer):
        return True, 1
    renderer.start(renderer.size)
    return False, renderer.processes


def leaflet_ids(project: Project, folder: Path, variant: str) -> list[LeafletId]:
    """The leaflets a practice hands out in ``variant`` (its audiences x its topics that have them x its languages)."""
    from leaflet_gen.pipeline.build import practice_jobs

    return [job.lid for job in practice_jobs(project, folder, variant=variant)]


def prepare_leaflet(project: Project, lid: LeafletId, *, folder: Path | None = None,
                    practice: LoadedPractice | None = None, topic: LoadedTopic | None = None,
                    inside: bool = True) -> Prepared:
    """Resolve and compose ``lid`` as a build does, ready to render (its ``.request``).
    ``folder``: the practice folder (default: the project's of ``lid.practice``); ``practice``,
    ``topic``: a draft's instead of the saved files; without ``inside`` the inside sections are
    left out (a quick preview). Raises LeafletError on a problem in the input."""
    from leaflet_gen.pipeline import build as core

    job = core.Job(lid, folder or project.practice_dir(lid.practice))
    return core.prepare(project, core.resolve(project, job, practice=practice, topic=topic), inside=inside)


def finish_leaflet(prepared: Prepared, rendered, *, sheet: bool = True) -> Produced:
    """A rendered leaflet finished as a build finishes it (imposed, fonts checked, its job sheet
    unless not ``sheet``), in memory."""
    from leaflet_gen.pipeline.build import finish

    return finish(prepared.leaflet, rendered, sheet=sheet)


def preflight_leaflet(prepared: Prepared, pdf: bytes) -> PreflightReport | None:
    """The print shop's checks a build runs before writing (None: not a print variant)."""
    from leaflet_gen.pipeline.build import preflight_report

    return preflight_report(prepared.leaflet, pdf)


def save_leaflet(project: Project, prepared: Prepared, produced: Produced, output: Path | None = None) -> Path:
    """Write a finished leaflet as `leaflet-gen build` writes it: preflight, then the job sheet and
    the PDF to <output>/<practice>/ (default output: the settings' folder, out/). Raises
    LeafletError when it fails preflight, OSError when it cannot be written."""
    from leaflet_gen.content.settings import output_folder
    from leaflet_gen.pipeline.build import write

    return write(project, prepared, produced, output or output_folder(project.root), os_errors=True).path


def print_package(items: list, practice_name: str, order: dict[str, str] | None = None,
                  missing: list[str] | None = None) -> bytes:
    """The print shop's package (a zip) of finished print leaflets: ``items`` of
    :class:`leaflet_gen.pdf.package.Item` (see :func:`package_item`)."""
    from leaflet_gen.pdf import package

    return package.package(items, practice_name, order, missing or ())


def file_stem(lid: LeafletId) -> str:
    """A leaflet's file name outside its practice's folder, without extension (a package, a download)."""
    from leaflet_gen.pdf.package import file_stem as stem

    return stem(lid.practice, lid.slug)


def package_item(lid: LeafletId, pdf: bytes, sheet_json: str):
    """One leaflet of a print package, named as `build --zip` names it."""
    import json

    from leaflet_gen.pdf import package

    return package.Item(file_stem(lid), pdf, json.loads(sheet_json))
