"""What the studio knows about every leaflet, and the builder that keeps it current.

Each leaflet has a generation counter: a change to one of its inputs asks for a newer
generation (``wanted``). One builder thread takes the leaflets that want a build - those open
in a browser first - composes them, hands them to the warm render processes (as many at once
as there are), and finishes what comes back. Bursts of saves coalesce: a leaflet is never
built twice at once, and a result that is already older than what was asked for meanwhile is
dropped and built again, so an older render never replaces a newer one. A failed build keeps
the last good PDF and pictures (shown as outdated) next to the located error.

Nothing is written to disk by building: PDFs and pictures are kept in memory.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from leaflet_gen.i18n import msg
from leaflet_gen.studio import core, pictures, words
from leaflet_gen.studio.refusals import Refused, writing


# After a change, leaflets nobody is looking at wait this long for their rebuild (an editor's
# burst of saves settles first). LEAFLET_STUDIO_QUIET_S sets it (the tests: one change at a time).
def _seconds(name: str, default: float) -> float:
    """A number of seconds from the environment; the default for anything that is not one (a
    testing setting: never a traceback for a typo)."""
    try:
        value = float(os.environ.get(name) or default)
    except ValueError:
        return default
    return value if 0 <= value < 3600 else default


QUIET_S = _seconds("LEAFLET_STUDIO_QUIET_S", 1.5)
# Set (to anything) to have every build print when each of its stages ended, as one JSON line on
# stderr (bench/studio.py reads them): where the time between a save and new pictures goes.
STAMPS = bool(os.environ.get("LEAFLET_STUDIO_STAMPS"))


def stamp(stamps: dict[str, float] | None, stage: str) -> None:
    """Note when ``stage`` ended (wall clock: the browser's and the benchmark's clocks are too)."""
    if stamps is not None:
        stamps[stage] = time.time()


def report_stamps(key: str, gen: int, stamps: dict[str, float]) -> None:
    if STAMPS:
        print("studio-stamps " + json.dumps({"key": key, "gen": gen, "stamps": stamps}), file=sys.stderr, flush=True)


@dataclass
class Good:
    """The last build that produced a correct PDF, with its pictures."""

    gen: int
    built: core.Built
    sheets: pictures.Sheets  # PNG, text and pixel digest per sheet or page, and the thumbnail
    seconds: float
    mockups: dict[str, bytes] | None = None  # made on request
    # name -> the build whose picture has these very pixels (its URL, which the page may have already)
    since: dict[str, int] = field(default_factory=dict)
    checked: bool = True  # False while a print PDF's preflight runs (shown already; not saved until it passed)
    stamps: dict[str, float] | None = None  # when each stage of its build ended (STAMPS)

    @property
    def pictures(self) -> dict[str, bytes]:  # name -> PNG
        return self.sheets.pngs

    @property
    def texts(self) -> dict[str, str]:  # name -> the text on that sheet or page, as the PDF has it
        return self.sheets.texts

    @property
    def thumb(self) -> bytes:
        return self.sheets.thumb


@dataclass
class Entry:
    lid: core.LeafletId
    wanted: int = 1  # the generation asked for
    started: int = 0  # the generation being built (0: none yet)
    done: int = 0  # the generation of the last finished build, good or not
    good: Good | None = None
    failure: core.Failure | None = None  # of the last finished build
    facts: core.Facts | None = None
    facts_gen: int = 0  # counts language-check and preflight results (a page must show the newest)
    gone: bool = False  # no longer in the project (kept while a page shows it)
    topic_title: str = ""  # from topic.yaml when the leaflets were listed (facts has the built one's)

    @property
    def title(self) -> str:
        return self.facts.title if self.facts else self.topic_title or self.lid.topic

    @property
    def building(self) -> bool:
        return self.started > self.done

    @property
    def pending(self) -> bool:
        return self.wanted > max(self.started, self.done)

    @property
    def outdated(self) -> bool:
        return self.failure is not None and self.good is not None


class _Rendering(NamedTuple):
    """A build handed to the renderer, until its result is finished."""

    entry: Entry
    gen: int
    prepared: core.Prepared
    started: float  # perf_counter at submit
    project: object  # the project it was composed from (finished and checked against the same)
    stamps: dict[str, float] | None
    early: bool  # its language facts were asked for at submit


@dataclass
class ProjectProblem:
    practice: str
    variant: str
    failure: core.Failure


class Studio:
    """The catalogue in memory, the builder thread, and who to tell when something changed."""

    def __init__(self, root: Path, renderer, read_only: bool = False, language: str | None = None) -> None:
        self.read_only = read_only
        self.renderer = renderer
        self.project = core.open_project(root)
        # The language of every word on its pages (None: the project's, see words.language_of).
        self.language = language or words.language_of(self.project)
        self.root = self.project.root  # resolved: the watcher reports resolved paths
        self.entries: dict[str, Entry] = {}
        self.problems: list[ProjectProblem] = []
        self.viewers: dict[str, int] = {}
        self.listeners: list[Callable[[str], None]] = []
        self.on_stop: list[Callable[[], None]] = []  # what the web side cleans up (the editor's drafts)
        self._cond = threading.Condition()
        self._dirty: set[Path] = set()
        self._rediscover = True
        self._stop = False
        self._last_change = 0.0
        self._last_event = 0.0  # wall clock of the last file event (STAMPS)
        self._thread: threading.Thread | None = None
        self._facts: dict[tuple, core.Facts] = {}
        self._facts_todo: dict[str, tuple[int, object]] = {}
        self._project_gen = 0  # counts fresh reads of the project (keys the language-check cache)
        self._facts_thread: threading.Thread | None = None
        self._mockup_lock = threading.Lock()
        # An in-process renderer renders at submit; render processes answer through _collect().
        self._in_process, self.parallel = core.renderer_shape(renderer)
        self._out: dict[str, _Rendering] = {}  # key -> what is being rendered
        self._results: list = []
        # Previews of the practice editor's unsaved forms: rendered by the same processes, answered
        # straight to the waiting request (tag -> future), never stored as a leaflet.
        self._drafts: dict[str, Future] = {}
        self._streams: dict[str, str] = {}  # an open form's stream -> the tag of its latest draft
        self._draft_count = 0
        self._render_lock = threading.Lock()  # an in-process renderer serves one thread at a time
        self._discover()

    # -- life ---------------------------------------------------------------------------------

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="leaflet-studio builder", daemon=True)
        self._thread.start()
        if not self._in_process:
            threading.Thread(target=self._collect, name="leaflet-studio results", daemon=True).start()

    def stop(self) -> None:
        with self._cond:
            self._stop = True
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.renderer.close()
        for cleanup in self.on_stop:
            cleanup()

    # -- what the web side asks ---------------------------------------------------------------

    def wait_idle(self, timeout: float) -> bool:
        """Wait until nothing is pending or building (tests, the benchmark); False on timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._dirty and not self._rediscover and not self._facts_todo
                                       and self._facts_thread is None and not any(
                e.pending or e.building or e.good is not None and not e.good.checked
                for e in self.entries.values() if not e.gone), timeout)

    def get(self, key: str) -> Entry | None:
        return self.entries.get(key)

    def ordered(self) -> list[Entry]:
        return [self.entries[k] for k in sorted(self.entries, key=lambda k: self.entries[k].lid)
                if not self.entries[k].gone]

    def view(self, key: str, delta: int) -> None:
        """A page showing ``key`` opened (+1) or closed (-1): open leaflets are built first."""
        with self._cond:
            self.viewers[key] = max(0, self.viewers.get(key, 0) + delta)

    def rebuild(self, key: str) -> None:
        with self._cond:
            entry = self.entries.get(key)
            if entry is not None:
                entry.wanted = max(entry.wanted, entry.started, entry.done) + 1
                self._dirty.add(self.root / "content")  # read every file again
                self._cond.notify_all()
        self._tell(key)

    def changed(self, paths: set[Path]) -> None:
        """Files changed on disk (from the watcher): rebuild every leaflet they are an input of."""
        keys = []
        with self._cond:
            self._dirty |= paths
            self._last_change = time.monotonic()
            self._last_event = time.time()
            for path in paths:
                try:
                    rel = path.relative_to(self.root)
                except ValueError:
                    continue
                parts = rel.parts
                if not parts:
                    continue
                if parts == ("leaflet-gen.yml",) or parts[0] in ("content", "practices", "variants") and (
                        len(parts) <= 2 or parts[-1] in ("topic.yaml", "practice.yaml")):
                    self._rediscover = True  # a topic, practice or variant came, went or changed audiences
                for entry in self.entries.values():
                    if _affects(parts, entry.lid):
                        if entry.wanted <= max(entry.started, entry.done):
                            entry.wanted = max(entry.started, entry.done) + 1
                        keys.append(entry.lid.key)
            self._cond.notify_all()
        for key in dict.fromkeys(keys):
            self._tell(key)
        if self._rediscover:
            self._tell("")

    def mockups(self, key: str) -> dict[str, bytes]:
        """The folded mock-ups of the last good build (made once per build, on first request)."""
        entry = self.entries.get(key)
        if entry is None or entry.good is None or not entry.good.built.geometry.panels:
            return {}
        good = entry.good
        with self._mockup_lock:
            if good.mockups is None:
                try:
                    good.mockups = pictures.mockups(self.project, entry.lid.variant, good.built.pdf)
                except Exception:  # noqa: BLE001 - no mock-up is better than a broken page
                    good.mockups = {}
        return good.mockups

    def render_draft(self, prepared: core.Prepared, stream: str = "") -> Future:
        """Render a composed draft (the practice editor's preview) in a warm render process; the
        future gets the renderer's outcome. It goes ahead of leaflets not yet started: someone
        is waiting for it beside the form. A draft of a ``stream`` (one open form) gives up the
        stream's draft still under way: its text is already out of date (its outcome is
        ``Superseded``), and the cores go to the newer one at once."""
        future: Future = Future()
        stale = None
        with self._cond:
            self._draft_count += 1
            tag = f"draft:{self._draft_count}"
            self._drafts[tag] = future
            if stream:
                stale = self._streams.get(stream)
                self._streams[stream] = tag
                while len(self._streams) > 64:  # streams of closed pages
                    self._streams.pop(next(iter(self._streams)))
        if stale is not None and stale in self._drafts:
            self.renderer.cancel(stale)
        if self._in_process:
            with self._render_lock:
                self.renderer.submit(prepared.request, tag)
                outcome = self.renderer.next_result()
            with self._cond:
                self._drafts.pop(tag, None)
            future.set_result(outcome)
        else:
            self.renderer.submit(prepared.request, tag)
        return future

    def save(self, key: str) -> Path:
        """Write the leaflet's last good PDF where `build` would; raises Refused (a Dutch message)
        when it may not, has nothing to save yet, or the output folder cannot be written."""
        entry = self.entries[key]
        with self._cond:  # a print PDF is saved once it passed preflight (a failed one is never current)
            self._cond.wait_for(lambda: entry.good is None or entry.good.checked, 60)
            good = entry.good
        if self.read_only:
            raise Refused(msg("The studio runs in read-only mode (--read-only): nothing is saved."), 403)
        if good is None or not good.checked:
            raise Refused(msg("Not saved: there is no approved version of this leaflet yet. Wait until it is built "
                              "and try again."), 409)
        with writing(f"out/{entry.lid.practice}/"), pictures.PDFIUM:  # preflight before writing, as a build
            return core.save(self.project, entry.lid, good.built)

    # -- inside -------------------------------------------------------------------------------

    def _tell(self, key: str) -> None:
        for listener in list(self.listeners):
            listener(key)

    def _discover(self) -> None:
        """(Re)read which leaflets exist; keep those of a practice or variant that cannot be read now."""
        ids, failed = core.discover(self.project)
        titles = core.topic_titles(self.project)
        broken = {(p, v) for p, v, _ in failed}
        with self._cond:
            self.problems = [ProjectProblem(p, v, f) for p, v, f in failed]
            present = {lid.key for lid in ids}
            for lid in ids:
                if lid.key not in self.entries:
                    self.entries[lid.key] = Entry(lid)
                self.entries[lid.key].gone = False
                self.entries[lid.key].topic_title = titles.get(lid.topic, "")
            for key, entry in self.entries.items():
                if key not in present and (entry.lid.practice, entry.lid.variant) not in broken:
                    entry.gone = True
            self._rediscover = False

    def _next_batch(self) -> list[Entry]:
        """What to start now. Leaflets open in a page first, on any free render process; the
        others one at a time (a render process stays free for the next save of an open one),
        only once the files have been quiet for a moment, and not while an open one is being
        built (they would share its cores: on two, a background render beside it made the
        open leaflet's render and pictures up to twice as slow)."""
        free = self.parallel - len(self._out) - len(self._drafts)
        if free <= 0:
            return []
        wanting = [e for e in self.entries.values() if e.pending and not e.building and not e.gone]
        viewed = sorted((e for e in wanting if self._viewed(e)), key=lambda e: e.lid)
        if viewed:
            return viewed[:free]
        background = sum(1 for r in self._out.values() if not self._viewed(r.entry))
        if time.monotonic() - self._last_change < QUIET_S or background >= max(1, self.parallel - 1) \
                or self._viewed_building():
            return []
        return sorted(wanting, key=lambda e: e.lid)[:1]

    def _viewed(self, entry: Entry) -> bool:
        return bool(self.viewers.get(entry.lid.key, 0))

    def _viewed_building(self) -> bool:
        return any(self._viewed(r.entry) for r in self._out.values())

    def _ready(self) -> list:
        """The renders to finish now: those of open leaflets, and the others only while no open
        one is being built (imposing and drawing them would hold this process, and a core, while
        the page waits)."""
        if self._viewed_building():
            return [o for o in self._results if self._viewed(self._out[o.tag].entry)]
        return list(self._results)

    def _quiet_in(self) -> float | None:
        """Seconds until background builds may start (None: nothing waits for that)."""
        left = QUIET_S - (time.monotonic() - self._last_change)
        if left <= 0 or not any(e.pending and not e.gone for e in self.entries.values()):
            return None
        return left

    def _collect(self) -> None:
        """Hand each finished render to the builder thread (render processes: they answer in
        the order they finish, so the builder never waits on one while another is done)."""
        while True:
            try:
                outcome = self.renderer.next_result()
            except Exception:  # noqa: BLE001 - the renderer was closed
                return
            with self._cond:
                draft = self._drafts.pop(outcome.tag, None) if isinstance(outcome.tag, str) else None
                if draft is None:
                    out = self._out.get(outcome.tag)
                    if out is not None:
                        stamp(out.stamps, "rendered")
                    self._results.append(outcome)
                self._cond.notify_all()  # a draft done frees a render process for the builder
            if draft is not None:
                draft.set_result(outcome)

    def _run(self) -> None:
        while True:
            with self._cond:
                while not (self._stop or self._dirty or self._rediscover or self._ready() or self._next_batch()):
                    self._cond.wait(self._quiet_in())
                if self._stop:
                    return
                dirty, self._dirty = self._dirty, set()
                rediscover = self._rediscover
                ready = self._ready()
                # Open leaflets' first; the others one per round, so a save coming in meanwhile
                # waits for one of them at most.
                results = [o for o in ready if self._viewed(self._out[o.tag].entry)] or ready[:1]
                self._results = [o for o in self._results if not any(o is r for r in results)]
            if dirty:
                self.project = core.fresh_project(self.project, dirty)
                self._project_gen += 1
            if rediscover:
                self._discover()
                self._tell("")
            for outcome in results:
                self._finish(outcome)
            with self._cond:
                if self._dirty or self._rediscover:
                    # Files changed while the results above were finished (a fast editor saves
                    # again during the pictures): read them first. Built now, the new generation
                    # would compose from the project read before that save, whose topic is
                    # already loaded with the old text, and count as done.
                    continue
                batch = self._next_batch()
                for entry in batch:
                    entry.started = entry.wanted
                self._cond.notify_all()  # wait_idle(): the changes are read, maybe nothing to build
            for entry in batch:
                self._tell(entry.lid.key)
                self._submit(entry)

    def _submit(self, entry: Entry) -> None:
        project = self.project
        gen, started = entry.started, time.perf_counter()
        stamps = None
        if STAMPS:  # with how many other renders were under way (they share the cores)
            stamps = {"event": self._last_event, "start": time.time(), "others": len(self._out) + len(self._drafts)}
        try:
            prepared = core.prepare(project, entry.lid)
            stamp(stamps, "composed")
            with self._cond:
                # The language facts now if no other render shares the cores (see _facts_later).
                early = not self._in_process and not self._out and not self._drafts
                self._out[entry.lid.key] = _Rendering(entry, gen, prepared, started, project, stamps, early)
            if self._in_process:
                with self._render_lock:  # rendered at submit
                    self.renderer.submit(prepared.request, entry.lid.key)
                    outcome = self.renderer.next_result()
            else:
                self.renderer.submit(prepared.request, entry.lid.key)
                if early:
                    self._facts_later(entry, project)
        except Exception as exc:  # noqa: BLE001 - shown on the page
            with self._cond:
                self._out.pop(entry.lid.key, None)
            self._settle(entry, gen, None, core.failure(exc, project, entry.lid.variant, self._files(entry)))
            return
        if self._in_process:
            self._finish(outcome)

    def _finish(self, outcome) -> None:
        with self._cond:
            entry, gen, prepared, started, project, stamps, early = self._out.pop(outcome.tag)
        if stamps is not None:  # render processes: _collect() noted when the answer came
            stamps.setdefault("rendered", time.time())
            stamps["render_s"] = outcome.seconds
        facts = not early  # else asked for at submit
        if entry.wanted > gen:
            self._settle(entry, gen, None, None, dropped=True)  # newer input already: build again
            return
        try:
            built = core.finish(project, prepared, outcome)
            stamp(stamps, "finished")
            previous = entry.good
            before = previous.sheets if previous else None
            drawn = pictures.draw(built.pdf, built.geometry, before)
            stamp(stamps, "pictures")
        except Exception as exc:  # noqa: BLE001 - shown on the page
            self._settle(entry, gen, None, core.failure(exc, project, entry.lid.variant, self._files(entry)),
                         facts=facts)
            return
        since = {name: previous.since.get(name, previous.gen) if drawn.same(name, before) else gen
                 for name in drawn.pngs}
        good = Good(gen, built, drawn, time.perf_counter() - started, stamps=stamps, since=since,
                    checked=not core.has_preflight(prepared))
        self._settle(entry, gen, good, None, facts=facts)
        if not good.checked:
            self._preflight(entry, good, previous, prepared)

    def _preflight(self, entry: Entry, good: Good, previous: Good | None, prepared: core.Prepared) -> None:
        """The print shop's checks, after the pictures are shown (~0.1 s; PDFium, one thread at a
        time, so not beside the pictures). A PDF that fails them is a failed build: the last good
        pictures come back, marked outdated, with the located problems; it is never saved (see
        :meth:`save`). Until then the page shows no preflight result."""
        try:
            with pictures.PDFIUM:
                checks = core.preflight(prepared, good.built.pdf)
            failure = None
            failed = [c for c in checks if c.status == "fail"]
            if failed:
                failure = core.Failure(msg("the print PDF failed preflight: a print shop would reject it"),
                                       tuple(core.Located(msg("preflight %(check)s: %(detail)s", check=c.name,
                                                              detail=c.detail)) for c in failed))
        except Exception as exc:  # noqa: BLE001 - shown on the page
            checks, failure = (), core.failure(exc)
        stamp(good.stamps, "preflight")
        with self._cond:
            good.built.preflight = checks
            if failure is not None and entry.good is good:
                entry.good, entry.failure = previous, failure
            good.checked = True
            entry.facts_gen += 1  # the page is sent the result (see app.events)
            self._cond.notify_all()
        self._tell(entry.lid.key)

    def _files(self, entry: Entry) -> dict[str, str]:
        return core.section_files(self.project, entry.lid.topic)

    def _facts_later(self, entry: Entry, project) -> None:
        """Language and review facts, on a thread of their own: the spelling check (Hunspell)
        takes 0.3-0.8 s and would otherwise delay every picture. When a render process lays out
        the pages and no other render is under way, they are asked for as the render starts: on
        the free core, done by the time the render is (after the pictures they held the GIL while
        the page fetched them). Otherwise after the pictures: beside another render they would
        take a core from this one, and in-process they would slow the render itself. One thread;
        a burst asks once."""
        with self._cond:
            self._facts_todo[entry.lid.key] = (self._project_gen, project)
            if self._facts_thread is None or not self._facts_thread.is_alive():
                self._facts_thread = threading.Thread(target=self._run_facts, name="leaflet-studio facts",
                                                      daemon=True)
                self._facts_thread.start()

    def _run_facts(self) -> None:
        while True:
            with self._cond:
                if not self._facts_todo or self._stop:
                    self._facts_thread = None
                    self._cond.notify_all()
                    return
                key = next(iter(self._facts_todo))
                project_gen, project = self._facts_todo.pop(key)
                entry = self.entries[key]
            # Keyed on the read of the project, not id(project): ids are reused once freed.
            cache_key = (project_gen, entry.lid.topic, entry.lid.audience)
            try:
                if cache_key not in self._facts:
                    self._facts = {k: v for k, v in self._facts.items() if k[0] == project_gen}
                    self._facts[cache_key] = core.facts(project, entry.lid)
                if entry.facts is not self._facts[cache_key]:
                    entry.facts = self._facts[cache_key]
                    entry.facts_gen += 1
            except Exception:  # noqa: BLE001 - the build reports the same problem, located
                pass
            self._tell(key)

    def _settle(self, entry: Entry, gen: int, good: Good | None, failure: core.Failure | None,
                dropped: bool = False, facts: bool = True) -> None:
        with self._cond:
            if dropped:
                entry.started = entry.done  # not built: it is pending again
            else:
                entry.done = gen
                if good is not None:
                    entry.good = good
                entry.failure = failure
            self._cond.notify_all()
        self._tell(entry.lid.key)
        if facts and not dropped:
            self._facts_later(entry, self.project)


def _affects(parts: tuple[str, ...], lid: core.LeafletId) -> bool:
    """Whether a changed file (path parts relative to the project) is an input of ``lid``."""
    folder = parts[0]
    if folder == "content":
        return len(parts) < 3 or parts[1] == lid.topic  # content/wordlist.txt: every leaflet's language
    if folder == "practices":
        return len(parts) < 2 or parts[1] == lid.practice
    if folder == "variants":
        return len(parts) < 2 or Path(parts[1]).stem == lid.variant
    return folder in core.INPUT_FOLDERS  # templates, styles, profiles, fonts: every leaflet
