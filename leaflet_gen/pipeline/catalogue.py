"""Catalogue builds for CI: many leaflets in one run, in parallel, incremental, with a report.

Each leaflet has an input key: a hash of everything that can change its bytes, as declared in
:mod:`leaflet_gen.pipeline.inputs`. A leaflet whose key matches the one
recorded at its last successful build, and whose files are still there, is skipped.

Before any of that, a run compares a project stamp (a hash of every file of the project, the
fonts, the code, the versions and the request) with the one recorded after the last run in
which nothing failed: if it matches and the PDFs are still there, the run is answered from that
record without reading a single YAML file (and without importing the schemas or the renderer).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from leaflet_gen import __version__
from leaflet_gen.content.loaded import SOURCE_LANGUAGE, LeafletId
from leaflet_gen.errors import LeafletError
from leaflet_gen.fingerprint import file_hash
from leaflet_gen.pipeline.inputs import input_key

if TYPE_CHECKING:  # loaded only when something has to be built: a no-op run needs neither
    from leaflet_gen.content.project import Project
    from leaflet_gen.pipeline.build import Job

log = logging.getLogger(__name__)

CACHE_FILE = ".leaflet-gen-cache.json"
REPORT_FILE = "build-report.json"


@dataclass(frozen=True)
class Request:
    """What a catalogue run was asked for (the part of the command line that selects leaflets)."""

    kind: str  # "all" | "catalogue" | "default"
    variant: str | None  # for "default": the variant of the default set (None: the settings' default_variants)
    catalogue: str | None = None
    icc_profile: str | None = None
    marks: bool | None = None
    shard: str | None = None  # "K/N": build only this part of the leaflets (pipeline/shards.py)
    shard_times: str | None = None  # a previous report whose build times balance the shards
    shard_from: str = "--shard"  # the option or variable the shard came from, for its messages
    language: str | None = None  # only this language (default: each practice's languages)


def request_jobs(project: Project, request: Request) -> list[Job]:
    from leaflet_gen.pipeline.build import default_jobs

    if request.kind == "catalogue":
        return catalogue_jobs(project, Path(request.catalogue))
    if request.kind == "all":
        return all_jobs(project, language=request.language)
    return default_jobs(project, [request.variant] if request.variant else None, request.language)


@dataclass
class Entry:
    lid: LeafletId
    status: str  # "built" | "skipped" | "failed"
    output: str
    input_key: str
    seconds: float = 0.0
    peak_rss_mb: int = 0  # of the render process, after this leaflet
    # CPU time of rendering (render process) and finishing (this thread): unlike wall seconds it
    # does not count waiting for a core, so summed over leaflets it measures real work.
    cpu_seconds: float = 0.0
    # CPU time of composing its HTML in this process (reading what no earlier leaflet read,
    # Jinja, markdown, colours): the rest of this leaflet's work.
    compose_cpu_seconds: float = 0.0
    # This leaflet's last real build (this run's, or the recorded one when skipped): what
    # balancing shards by time needs, which a skipped leaflet's 0 s would not tell.
    build_seconds: float = 0.0
    error: str | None = None
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        """As a report and the record write it: the leaflet's ids first, as fields of their own
        (pipeline/report.py's ``LeafletEntry``)."""
        fields = asdict(self)
        del fields["lid"]
        lid = self.lid
        ids = {"practice": lid.practice, "topic": lid.topic, "audience": lid.audience, "variant": lid.variant,
               "language": lid.language}
        return {**ids, **fields}

    @classmethod
    def from_dict(cls, data: dict) -> Entry:
        data = dict(data)
        lid = LeafletId(*(data.pop(key) for key in ("practice", "topic", "audience", "variant")),
                        data.pop("language", SOURCE_LANGUAGE))
        return cls(lid, **data)


@dataclass
class CatalogueReport:
    entries: list[Entry] = field(default_factory=list)
    seconds: float = 0.0
    shard: dict | None = None  # a sharded run: which part of which catalogue (pipeline/shards.py)

    def count(self, status: str) -> int:
        return sum(e.status == status for e in self.entries)

    @property
    def failed(self) -> bool:
        return self.count("failed") > 0

    def summary(self) -> str:
        return (f"{len(self.entries)} leaflets: {self.count('built')} built, {self.count('skipped')} unchanged, "
                f"{self.count('failed')} failed in {self.seconds:.1f} s")

    def as_dict(self) -> dict:
        return {"tool": f"leaflet-gen {__version__}", "seconds": round(self.seconds, 3),
                "counts": {s: self.count(s) for s in ("built", "skipped", "failed")},
                **({"shard": self.shard} if self.shard else {}),
                "leaflets": [e.as_dict() for e in self.entries]}


# --- running ------------------------------------------------------------------------------------

def build_catalogue(project: Project, jobs: list[Job], output_dir: Path, *, force: bool = False,
                    workers: int | None = None, stamp: str | None = None,
                    renderer=None, raise_bugs: bool = False, shard: dict | None = None) -> CatalogueReport:
    """Build ``jobs`` into ``output_dir``; skip unchanged ones; never stop at the first failure.

    This process composes each leaflet and finishes its PDF; render processes lay out the pages
    in between: ``renderer``, one the caller started early (and closes), else a pool of
    ``workers`` processes (default: one per usable core). ``stamp`` (see
    :func:`leaflet_gen.pipeline.inputs.project_stamp`,
    taken before anything was read) is recorded when no leaflet failed, so the next run with the
    same stamp can be answered from the record. ``raise_bugs`` (``--debug``): an internal error
    stops the catalogue with its traceback instead of failing only its leaflet. ``shard``: the
    record of a sharded run (:func:`leaflet_gen.pipeline.shards.shard_record`), kept in the report.
    """
    from leaflet_gen.pipeline import build as core
    from leaflet_gen.pipeline import pool

    started = time.perf_counter()
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
        if not os.access(output_dir, os.W_OK):
            raise PermissionError(13, "Permission denied")
    except OSError as exc:
        raise LeafletError(f"cannot write to the output folder {output_dir}: {exc.strerror}; "
                           "choose another folder with --output") from None
    from leaflet_gen.files import refuse_non_file

    for name in (REPORT_FILE, CACHE_FILE):  # written at the end: refused before anything is built
        refuse_non_file(output_dir / name)
    # A report is this run's or none: a run that stops on an internal error leaves no older
    # report behind to be taken for its own.
    (output_dir / REPORT_FILE).unlink(missing_ok=True)
    cache = _read_cache(output_dir)
    built: dict = cache["leaflets"]
    report = CatalogueReport(shard=shard)
    todo: list[tuple[Entry, Job]] = []
    for job in jobs:
        entry = Entry(job.lid, "", "", "")
        report.entries.append(entry)
        try:
            practice = project.load_practice(job.folder)
            entry.warnings = [str(w) for w in practice.warnings]
        except LeafletError as exc:
            entry.status, entry.error = "failed", str(exc)
            continue
        entry.output = str(core.output_path(output_dir, job.lid))
        todo.append((entry, job))

    # Longest first (by the last recorded build time; never-built ones before all): on two
    # cores a slow leaflet started last leaves the other core idle at the end.
    todo.sort(key=lambda item: -built.get(_rel(item[0].output, output_dir), {}).get("seconds", float("inf")))
    if todo:
        own = renderer is None
        if own:
            renderer = pool.renderer(background=True, processes=workers or pool.usable_cores(), free_first=True)
        try:
            _run(project, todo, output_dir, renderer, built, raise_bugs, force)
        finally:
            if own:
                renderer.close()
    report.seconds = time.perf_counter() - started
    stamped = ({"key": stamp, "entries": [e.as_dict() for e in report.entries], "shard": shard}
               if stamp and not report.failed else None)
    _save_record(output_dir, {_rel(e.output, output_dir): built[_rel(e.output, output_dir)]
                              for e in report.entries if e.status == "built"}, stamped)
    _write_json(output_dir / REPORT_FILE, report.as_dict())
    return report


def _save_record(output_dir: Path, fresh: dict, stamped: dict | None) -> None:
    """Add this run's leaflets to the output folder's record, and its stamp. Other builds into
    the same folder may be running: the record is read again and changed under a lock, so none
    loses what another recorded (leaflets it did not build keep the newest record)."""
    from leaflet_gen.files import folder_lock

    with folder_lock(output_dir):
        leaflets = _read_cache(output_dir)["leaflets"]
        leaflets.update(fresh)
        _write_json(output_dir / CACHE_FILE, {"leaflets": dict(sorted(leaflets.items())), "stamp": stamped})


def _run(project: Project, todo: list, output_dir: Path, renderer, built: dict, raise_bugs: bool,
         force: bool) -> None:
    """Skip the unchanged leaflets of ``todo``; compose, render and finish the others. At most
    two leaflets per render process are out being rendered: enough to keep each busy, without
    holding every PDF in memory.

    Each leaflet's input key is taken just before it would be composed, not all of them first:
    the first leaflet goes to the render processes as soon as they have imported WeasyPrint,
    instead of after the whole catalogue was hashed (the cores idled meanwhile).
    """
    renderer.start(len(todo))  # first: the render processes fork while this one imports
    from leaflet_gen.pipeline import build as core

    ahead = 2 * renderer.processes
    out: dict[int, tuple] = {}  # tag -> (entry, prepared)
    done, head_start = 0, False
    shared_keys: dict = {}  # what the leaflets' input keys share, hashed once (see input_key)

    def settle(entry: Entry, error: str | None, warnings: list[str]) -> None:
        nonlocal done
        _record(entry, error, warnings, built, output_dir)
        done += 1
        where = entry.output or entry.lid.name
        log.info("[%d/%d] %s %s (%.1f s)", done, len(todo), entry.status, where, entry.seconds,
                 extra={"done": done, "total": len(todo)})  # the CLI's progress bar (logs.py)

    def failure(exc: Exception) -> str:
        if isinstance(exc, LeafletError):
            return str(exc)
        if raise_bugs:
            raise exc
        return f"internal error (a bug): {type(exc).__name__}: {exc}"  # one broken leaflet must not stop the rest

    def collect() -> None:
        outcome = renderer.next_result()
        entry, prepared = out.pop(outcome.tag)
        finishing, finishing_cpu = time.perf_counter(), time.thread_time()
        error, warnings = None, []
        try:
            result = core.write(project, prepared, core.finish(prepared.leaflet, outcome.unwrap()), output_dir)
            warnings = [str(w) for w in result.warnings]
        except Exception as exc:  # see failure()
            error = failure(exc)
        entry.seconds = round(outcome.seconds + time.perf_counter() - finishing, 3)
        entry.cpu_seconds = round(outcome.cpu_seconds + time.thread_time() - finishing_cpu, 3)
        entry.peak_rss_mb = outcome.peak_rss_mb
        settle(entry, error, warnings)

    for tag, (entry, job) in enumerate(todo):
        try:
            resolved = core.resolve(project, job)  # read once: the key and composing take it as given
            entry.input_key = input_key(project, resolved, shared_keys)
        except LeafletError as exc:
            settle(entry, str(exc), [])
            continue
        record = built.get(_rel(entry.output, output_dir), {})
        if not force and record.get("key") == entry.input_key and record.get("pdf") == _file_state(Path(entry.output)):
            entry.status = "skipped"
            entry.build_seconds = record.get("seconds", 0.0)
            entry.warnings += [w for w in record.get("warnings", []) if w not in entry.warnings]
            done += 1  # counted, not announced: progress is about what is built
            continue
        try:
            composing = time.thread_time()
            prepared = core.prepare(project, resolved)
            entry.compose_cpu_seconds = round(time.thread_time() - composing, 3)
            while len(out) >= ahead:
                collect()
            out[tag] = (entry, prepared)
            renderer.submit(prepared.request, tag)  # in-process: renders now, and raises a renderer bug here
        except Exception as exc:  # see failure()
            out.pop(tag, None)
            settle(entry, failure(exc), [])
            continue
        if not head_start:
            # The render processes are probably still importing WeasyPrint: a good moment to
            # import what finishing every variant needs, instead of when both cores are busy
            # rendering. Only a head start: finishing imports the same again and reports a
            # broken install per leaflet.
            head_start = True
            with contextlib.suppress(Exception):
                core.load_finishing(*(project.load_variant(name) for name in {job.lid.variant for _, job in todo}))
    while out:
        collect()


def _record(entry: Entry, error: str | None, warnings: list[str], built: dict, output_dir: Path) -> None:
    entry.warnings += warnings
    if error is None:
        entry.status = "built"
        entry.build_seconds = entry.seconds
        built[_rel(entry.output, output_dir)] = {"key": entry.input_key, "warnings": warnings,
                                                 "seconds": entry.seconds, "pdf": _file_state(Path(entry.output))}
    else:
        entry.status, entry.error = "failed", error


def _file_state(path: Path) -> str | None:
    """The SHA-256 of a PDF as written: a PDF replaced since (say by a single build with other
    options into the same folder) is not taken for the catalogue's own. The content, not the
    modification time, because CI restores the output folder from a cache."""
    try:
        return file_hash(path)
    except LeafletError:  # missing or unreadable: not the PDF the record describes
        return None


def _rel(path: str | Path, output_dir: Path) -> str:
    return str(Path(path).relative_to(output_dir))


def _read_cache(output_dir: Path) -> dict:
    path = output_dir / CACHE_FILE
    try:
        # Only a regular file: a named pipe put in its place would block the build.
        cache = json.loads(path.read_text(encoding="utf-8")) if path.is_file() and not path.is_symlink() else {}
    except (OSError, ValueError):
        cache = {}
    if not isinstance(cache, dict) or not isinstance(cache.get("leaflets"), dict):
        cache = {"leaflets": {}, "stamp": None}  # missing, damaged or older: rebuild everything once
    return cache


def recorded_leaflets(output_dir: Path) -> int:
    """How many leaflets earlier runs built into ``output_dir`` (0 when none is recorded)."""
    return len(_read_cache(output_dir)["leaflets"])


def replay_unchanged(output_dir: Path, stamp: str | None) -> CatalogueReport | None:
    """The report of a run in which nothing changed, from the last record; None if anything did."""
    cache = _read_cache(output_dir)
    record = cache.get("stamp") or {}
    if stamp is None or record.get("key") != stamp:
        return None
    started = time.perf_counter()
    entries = [Entry.from_dict({**e, "status": "skipped", "seconds": 0.0, "cpu_seconds": 0.0, "compose_cpu_seconds": 0.0,
                        "peak_rss_mb": 0})
               for e in record["entries"]]
    for e in entries:
        if not Path(e.output).is_relative_to(output_dir):
            return None  # the output folder was moved or copied: recorded paths point elsewhere
        if cache["leaflets"].get(_rel(e.output, output_dir), {}).get("pdf") != _file_state(Path(e.output)):
            return None  # a PDF was removed or replaced since
    report = CatalogueReport(entries, shard=record.get("shard"))
    report.seconds = time.perf_counter() - started
    _write_json(output_dir / REPORT_FILE, report.as_dict())
    return report


def _write_json(path: Path, data: dict) -> None:
    from leaflet_gen.files import write_atomic

    write_atomic(path, (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))


def all_jobs(project: Project, variants: list[str] | None = None, language: str | None = None) -> list[Job]:
    """Every practice x its audiences (that the topic has) x every topic x every variant x its
    languages (or ``language``)."""
    from leaflet_gen.pipeline.build import practice_jobs

    jobs = []
    for folder in project.practice_dirs():
        for variant in variants or project.variant_ids():
            jobs.extend(practice_jobs(project, folder, variant=variant, language=language))
    return jobs


def catalogue_jobs(project: Project, path: Path) -> list[Job]:
    """The leaflets a catalogue file lists (practice ids, optional audiences/topics/variants)."""
    from leaflet_gen.content.schema import Catalogue
    from leaflet_gen.content.validate import parse
    from leaflet_gen.content.yamlio import load_yaml
    from leaflet_gen.pipeline.build import practice_jobs

    catalogue = parse(load_yaml(path, project.rel(path)), Catalogue, project.context())  # may live anywhere: named on the command line
    jobs = []
    for item in catalogue.leaflets:
        folder = project.practice_dir(item.practice)
        for variant in item.variants or project.variant_ids():
            for topic in item.topics or [None]:  # None: the topics the practice hands out
                for audience in item.audiences or [None]:
                    jobs.extend(practice_jobs(project, folder, audience, topic, variant))
    return jobs
