"""Lay out rendered HTML with WeasyPrint: panel pages (one PDF page per panel), or flowing pages.

The only module that imports WeasyPrint, so ``check``, ``list`` and ``--help`` stay fast. It
takes plain data (:class:`RenderRequest`), never the schemas, so a render process can start
importing WeasyPrint before the content has even been read (see :class:`RenderPool`).

Rendering is confined: the URL fetcher serves only files under the given roots (the project's
templates/, styles/ and fonts/, the practice's folder, the ICC profile) and inline ``data:``
URIs (the QR code); anything else stops the render with a clear message instead of silently
leaving a hole in the leaflet.
"""

from __future__ import annotations

import logging
import mimetypes
import os
import sys
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from leaflet_gen.errors import LayoutError, LeafletError, RenderError

PX_PER_MM = 96 / 25.4


@dataclass(frozen=True)
class PanelPlan:
    """What the panel check needs to know about a panelled leaflet."""

    slug: str
    panels: tuple[tuple[str, str, str], ...]  # (id, role, label) in reading order
    sections: tuple[str, ...]  # ids of every section, in document order
    flow: tuple[str, ...]  # ids of the sections in the flow panels


@dataclass(frozen=True)
class RenderRequest:
    html: str
    base_url: str
    roots: tuple[Path, ...]  # files the fetcher may serve: under these folders, or these files
    pdf_options: dict
    plan: PanelPlan | None  # None: a flowing variant (pages as they come)
    own_fonts: bool = False  # the stylesheets declare @font-face: not rendered with the shared fonts
    measure: bool = False  # also report the space left on each page (the studio's fit meter)


@dataclass(frozen=True)
class Rendered:
    """Panel pages in reading order, with which panel each page is."""

    pdf: bytes
    page_panels: tuple[str, ...]  # panel id per PDF page; "" for pages of a flowing variant
    space_left_mm: tuple[float, ...] = ()  # per page, below the lowest line (only when measured)


class _ConfinedFetch(Exception):
    pass


def _fetcher(roots: tuple[Path, ...]):
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    roots = tuple(r.resolve() for r in roots)

    class ConfinedFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            scheme = urlsplit(url).scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme != "file":
                raise _ConfinedFetch(f"{url} (only files inside the project and practice folders are used)")
            path = Path(unquote(urlsplit(url).path)).resolve()
            if not any(path == r or path.is_relative_to(r) for r in roots):
                raise _ConfinedFetch(f"{path} (outside the project's templates/styles/fonts and the practice folder)")
            if not path.is_file():
                raise _ConfinedFetch(f"{path} (file not found)")
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": mime})

    return ConfinedFetcher(fail_on_errors=True)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


_font_config = None


def _shared_font_config():
    """One font configuration per process, reused by every leaflet it renders.

    Creating one loads fontconfig's configuration and a new Pango font map: ~50 ms of every
    leaflet in a catalogue worker. Only for leaflets set in installed fonts: fonts declared with
    @font-face would stay in the configuration and could reach another leaflet, so a request
    with ``own_fonts`` gets a fresh one. Catalogue and single builds stay byte-identical
    (tested). Created after any fork.
    """
    global _font_config
    if _font_config is None:
        from weasyprint.text.fonts import FontConfiguration

        _font_config = FontConfiguration()
    return _font_config


def _load_weasyprint():
    """Import WeasyPrint, or say how to install what it needs (it loads Pango & co. at import)."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:
        raise RenderError(f"WeasyPrint cannot be loaded ({type(exc).__name__}: {exc}). Install its system "
                          "libraries (Pango, HarfBuzz, fontconfig) with `make setup`, then build again.") from None
    return weasyprint


def render(request: RenderRequest) -> Rendered:
    """Lay out and write the pages; raise LayoutError when the content does not fit its panels."""
    weasyprint = _load_weasyprint()
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError

    logger = logging.getLogger("weasyprint")
    collect = _Collect()
    logger.addHandler(collect)
    try:
        document = weasyprint.HTML(string=request.html, base_url=request.base_url,
                                   url_fetcher=_fetcher(request.roots)).render(
            font_config=FontConfiguration() if request.own_fonts else _shared_font_config())
        if request.plan is not None:
            page_panels = assign_panels(request.plan, document)
        else:
            page_panels = ("",) * len(document.pages)
        # Measured on the laid-out boxes, before they are written and dropped: a PDF keeps no
        # page margins, so the fit meter could not be worked out from the file afterwards.
        space_left = tuple(_space_left_mm(p) for p in document.pages) if request.measure else ()
        pdf = document.write_pdf(**request.pdf_options)
        # WeasyPrint's own problems (unreadable image, CSS it ignores, an accessibility rule it
        # could not meet while writing) would silently change the leaflet: treat them as build
        # failures, naming what was wrong.
        if collect.messages:
            raise RenderError("the renderer reported a problem: " + "; ".join(dict.fromkeys(collect.messages)))
    except FatalURLFetchingError as exc:
        cause = exc.__cause__
        detail = str(cause) if isinstance(cause, _ConfinedFetch) else str(exc)
        raise RenderError(f"refused to load a resource: {detail}") from None
    finally:
        logger.removeHandler(collect)
    return Rendered(pdf, page_panels, space_left)


def _anchor_pages(document) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for name in page.anchors:
            found.setdefault(name, index)
    return found


def _used_height_mm(page) -> float:
    """How far down the page content goes, from the top of the content area, in mm."""
    box = page._page_box  # WeasyPrint keeps no public API for this; isolated here.
    top = box.content_box_y()
    bottom = top
    for child in box.descendants():
        if getattr(child, "height", None) is None or child is box:
            continue
        if type(child).__name__ in ("LineBox", "InlineReplacedBox", "BlockReplacedBox"):
            bottom = max(bottom, child.position_y + child.margin_height())
    return (bottom - top) / PX_PER_MM


def _space_left_mm(page) -> float:
    """Height of the page's content area below everything drawn on it, in mm (the fit meter).

    Unlike :func:`_used_height_mm` (which finds where text runs on), this counts what a reader
    sees: lines and images, and boxes drawn with a bottom border or a background (write-on
    lines, info boxes), but not the margin boxes (a running footer is not content).
    """
    box = page._page_box
    top = bottom = box.content_box_y()
    for child in box.children:
        if type(child).__name__ == "MarginBox":
            continue
        for d in child.descendants():
            if d is child or getattr(d, "height", None) is None:
                continue
            drawn = type(d).__name__ in ("LineBox", "InlineReplacedBox", "BlockReplacedBox") or (
                getattr(d, "element_tag", "") not in ("html", "body")
                and (d.style["border_bottom_width"] or getattr(d.style["background_color"], "alpha", 0)))
            if drawn:
                bottom = max(bottom, d.position_y + d.margin_height() - (d.margin_bottom or 0))
    return (box.height - (bottom - top)) / PX_PER_MM


def assign_panels(plan: PanelPlan, document) -> tuple[str, ...]:
    """Map each laid-out page to its panel, or explain precisely what does not fit where."""
    cover = next(p for p in plan.panels if p[1] == "cover")
    back = next(p for p in plan.panels if p[1] == "back")
    flow = [p for p in plan.panels if p[1] == "flow"]
    anchors = _anchor_pages(document)
    pages = document.pages
    flow_start, back_start = anchors["panel-flow"], anchors["panel-back"]

    def overflow(label: str, extra_pages: list, first_section: str | None) -> LayoutError:
        mm = sum(_used_height_mm(p) for p in extra_pages)
        where = f", from section \"{first_section}\" on" if first_section else ""
        return LayoutError(
            f"{plan.slug}: the content does not fit the {label} by about {mm:.0f} mm{where}. "
            "Shorten the text (facts must stay), or move a section to another panel in topic.yaml."
        )

    def first_section_on(indexes: range) -> str | None:
        for sid in plan.sections:
            if anchors.get(f"section-{sid}") in indexes:
                return sid
        return None

    if flow_start > 1:
        raise overflow(f"cover panel ({cover[2]})", pages[1:flow_start], None)
    flow_pages = back_start - flow_start
    if flow_pages > len(flow):
        extra = range(flow_start + len(flow), back_start)
        spill = first_section_on(extra) or _section_spanning(plan, anchors, extra.start)
        raise overflow(f"{len(flow)} inside panels ({', '.join(p[2] for p in flow)})",
                       pages[extra.start:extra.stop], spill)
    if len(pages) - back_start > 1:
        raise overflow(f"back panel ({back[2]})", pages[back_start + 1:], None)
    return (cover[0], *(flow[i][0] for i in range(flow_pages)), back[0])


def _section_spanning(plan: PanelPlan, anchors: dict[str, int], page: int) -> str | None:
    """The section that started before ``page`` and runs onto it."""
    last = None
    for sid in plan.flow:
        start = anchors.get(f"section-{sid}")
        if start is not None and start < page:
            last = sid
    return last


# --- rendering in processes that start warm ------------------------------------------------------

# The leaflets' language (templates/base.html). Its hyphenation dictionary takes ~0.1 s to load:
# loaded once before the render processes fork, instead of once in each.
HYPHENATION_LANGUAGES = ("nl",)


@dataclass(frozen=True)
class Outcome:
    """One finished render: the pages, or why there are none."""

    tag: object  # what the caller submitted the request with
    rendered: Rendered | None
    error: Exception | None  # a LeafletError (the content's problem) or a RuntimeError (a bug)
    seconds: float  # time spent rendering
    peak_rss_mb: int  # peak memory of the process that rendered it

    def unwrap(self) -> Rendered:
        if self.error is not None:
            raise self.error
        return self.rendered


def _timed_render(request: RenderRequest, tag: object = None) -> Outcome:
    import resource
    import time

    started = time.perf_counter()
    rendered, error = None, None
    try:
        rendered = render(request)
    except LeafletError as exc:
        error = exc
    return Outcome(tag, rendered, error, time.perf_counter() - started,
                   resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)


class _Renderer:
    """What the build asks of a renderer: submit requests, take outcomes as they are done."""

    processes = 1  # how many requests it works on at once (see :meth:`start`)

    def start(self, leaflets: int) -> None:
        """Say how many leaflets are coming, before the first submit (a pool sizes itself)."""

    def result(self) -> Rendered:
        return self.next_result().unwrap()


class InProcessRenderer(_Renderer):
    """Renders in this process, at submit (tests, one core, ``--debug``, anything already warm).

    A bug in the renderer raises at :meth:`submit`, so ``--debug`` shows its traceback.
    """

    def __init__(self) -> None:
        self._done: deque[Outcome] = deque()

    def submit(self, request: RenderRequest, tag: object = None) -> None:
        self._done.append(_timed_render(request, tag))

    def next_result(self) -> Outcome:
        return self._done.popleft()

    def close(self) -> None:
        self._done.clear()


_CLOSE = object()


class RenderPool(_Renderer):
    """Render processes that start warm while this process reads, validates and composes.

    Importing WeasyPrint (~0.5-1 s: Pango through cffi, its CSS) and reading the content are
    independent, so the first render process is forked at once and imports it while this
    process works. Once imported, it waits to hear how many processes the work needs (at most
    ``size``: :meth:`start`) and forks the others, which start warm without importing again.
    Nothing has been rendered in a process when it forks (renderer state is not meant to cross
    a fork). Requests and results are plain data through one pipe per process; a feeder thread
    hands the next request to whichever process is free, so none waits while this process
    finishes the previous PDF. Results come back in the order they are done.
    """

    def __init__(self, size: int = 1, start_method: str = "fork") -> None:
        import multiprocessing

        context = multiprocessing.get_context(start_method)
        pipes = [context.Pipe() for _ in range(max(1, size))]
        self._conns = [ours for ours, _ in pipes]
        theirs = [child for _, child in pipes]
        # A forked child gets copies of our ends, which it must close (see _zygote).
        inherited = self._conns if start_method == "fork" else []
        self._process = context.Process(target=_zygote, args=(theirs, inherited), name="leaflet-gen renderer",
                                        daemon=True)
        self._process.start()
        for child in theirs:
            child.close()
        self._feeder = None
        self._submitted = 0

    def start(self, leaflets: int) -> None:
        import threading
        from queue import SimpleQueue

        if self._feeder is not None:
            return
        self.processes = max(1, min(leaflets, len(self._conns)))
        for conn in self._conns[self.processes:]:  # not needed: never forked
            conn.close()
        del self._conns[self.processes:]
        try:
            self._conns[0].send(self.processes)
        except OSError:
            pass  # the first process has gone: the feeder finds out and says so per request
        self._todo: SimpleQueue = SimpleQueue()
        self._done: SimpleQueue = SimpleQueue()
        self._wake_read, self._wake_write = os.pipe()  # one byte per queued item: the feeder can wait on it
        self._feeder = threading.Thread(target=self._feed, name="leaflet-gen feeder", daemon=True)
        self._feeder.start()

    def submit(self, request: RenderRequest, tag: object = None) -> None:
        self.start(len(self._conns))
        self._submitted += 1
        self._put((tag, request))

    def next_result(self) -> Outcome:
        tag, reply = self._done.get()
        if reply is None:
            self._process.join(0.1)  # the first process's exit code, if it is the one that died
            code = self._process.exitcode
            return Outcome(tag, None, RenderError(
                "the render process stopped unexpectedly" + (f" (exit code {code})" if code is not None else "")
                + "; run the build again, and report it if it keeps happening"), 0.0, 0)
        status, payload, seconds, rss = reply
        if status == "bug":
            return Outcome(tag, None, RuntimeError(f"in the render process: {payload}"), seconds, rss)
        return Outcome(tag, payload if status == "ok" else None, payload if status == "error" else None, seconds, rss)

    def close(self) -> None:
        """Stop the processes without waiting for renders nobody will collect. One still
        importing (the build stopped at a problem in the content) is stopped at once."""
        if self._feeder is not None:
            self._put(_CLOSE)
            self._feeder.join()
            os.close(self._wake_read)
            os.close(self._wake_write)
        for conn in self._conns:
            try:
                conn.send(None)
            except OSError:
                pass
            conn.close()
        if self._submitted:
            self._process.join(0.1)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()

    def _put(self, item) -> None:
        self._todo.put(item)
        os.write(self._wake_write, b"\0")

    def _feed(self) -> None:
        """Hand each waiting request to a free process; pass on what comes back.

        A process found dead is dropped and its request goes to another; only the request a
        process was working on when it died fails (or every request, once none is left).
        """
        from multiprocessing.connection import wait

        idle, busy, waiting = deque(self._conns), {}, deque()
        while True:
            while waiting and idle:
                tag, request = waiting[0]
                conn = idle.popleft()
                try:
                    conn.send(request)
                except OSError:
                    continue  # that process has gone: try the next one
                except Exception as exc:  # noqa: BLE001 - e.g. a request that cannot be pickled: a bug
                    idle.appendleft(conn)
                    self._done.put((waiting.popleft()[0], ("bug", f"{type(exc).__name__}: {exc}", 0.0, 0)))
                    continue
                waiting.popleft()
                busy[conn] = tag
            if waiting and not idle and not busy:  # every render process has gone
                self._done.put((waiting.popleft()[0], None))
                continue
            for ready in wait([self._wake_read, *busy]):
                if isinstance(ready, int):
                    os.read(self._wake_read, 1)
                    item = self._todo.get()
                    if item is _CLOSE:
                        return
                    waiting.append(item)
                    continue
                tag = busy.pop(ready)
                try:
                    reply = ready.recv()
                except (EOFError, OSError):
                    self._done.put((tag, None))  # died while rendering it
                    continue
                except Exception as exc:  # noqa: BLE001 - a reply that cannot be unpickled: a bug
                    reply = ("bug", f"{type(exc).__name__}: {exc}", 0.0, 0)
                idle.append(ready)
                self._done.put((tag, reply))


def _zygote(ends, inherited) -> None:
    """The first render process: import, fork as many others as asked, then serve like them."""
    import signal

    # Ctrl-C reaches every process of the terminal's group: the parent handles it and stops
    # these (close(), or the closed pipes), so they must not print tracebacks of their own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Fork gave this process copies of the parent's ends; left open, a pipe would never report
    # the parent's death and the render processes would wait forever (holding its stdout/stderr).
    for conn in inherited:
        conn.close()
    failed = _warm_up()
    try:
        count = ends[0].recv()  # how many processes the work needs (RenderPool.start)
    except (EOFError, OSError):
        return  # the parent has gone
    if count is None:
        return  # closed before anything was submitted
    for unused in ends[count:]:
        unused.close()
    children, first = [], os.getpid()
    for own in ends[1:count]:
        pid = os.fork()
        if pid == 0:
            _die_with(first)  # close() stops the first process; a sibling mid-render goes with it
            for other in ends[:count]:
                if other is not own:
                    other.close()
            try:
                _serve(own, failed)
            finally:
                os._exit(0)
        children.append(pid)
        own.close()
    _serve(ends[0], failed)
    for pid in children:
        os.waitpid(pid, 0)


def _die_with(parent: int) -> None:
    """Linux: have the kernel kill this process when ``parent``, which forked it, ends."""
    import ctypes
    import signal

    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # it ended before the call took effect
        os._exit(0)


def _warm_up() -> RenderError | None:
    """Import WeasyPrint and load the hyphenation dictionaries (pure Python, safe to fork)."""
    try:
        _load_weasyprint()
    except RenderError as exc:
        return exc  # reported with the first request, as rendering in-process would
    import pyphen

    for language in HYPHENATION_LANGUAGES:
        pyphen.Pyphen(lang=language)  # kept in pyphen's module-level cache, which WeasyPrint uses
    return None


def _serve(conn, failed: RenderError | None) -> None:
    """Answer requests until told to stop: ("ok", Rendered) or ("error", LeafletError) or ("bug", text)."""
    import pickle

    try:
        while True:
            data = conn.recv_bytes()
            try:
                request = pickle.loads(data)  # here, not in recv(): a bad request is a bug report
                if request is None:
                    return
                if failed:
                    conn.send(("error", failed, 0.0, 0))
                    continue
                outcome = _timed_render(request)
                reply = ("ok", outcome.rendered) if outcome.error is None else ("error", outcome.error)
                conn.send((*reply, outcome.seconds, outcome.peak_rss_mb))
            except Exception as exc:  # noqa: BLE001 - sent to the parent, which reports it as a bug
                conn.send(("bug", f"{type(exc).__name__}: {exc}", 0.0, 0))
    except (EOFError, OSError):
        pass  # the parent has gone: nothing left to do


def usable_cores() -> int:
    """The cores this process may run on (a CI container can have fewer than the machine)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def renderer(background: bool, processes: int = 1):
    """Render processes when they can help, else rendering in this process.

    They help only with a second usable core, on a platform where forking is safe (Linux).
    A caller that has rendered already (a long-running process, the test suite) gets them
    from a fresh fork server instead of forking itself; a single build there renders in-process
    (it is warm already).
    """
    if not (background and sys.platform.startswith("linux") and usable_cores() > 1):
        return InProcessRenderer()
    if "weasyprint" not in sys.modules:
        return RenderPool(processes)
    if processes == 1:
        return InProcessRenderer()
    import multiprocessing

    multiprocessing.get_context("forkserver").set_forkserver_preload(["leaflet_gen.engine", "weasyprint"])
    return RenderPool(processes, "forkserver")
