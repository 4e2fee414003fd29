"""Rendering in processes that have WeasyPrint loaded: the render-process pool, or rendering in this process.

Split from :mod:`leaflet_gen.layout.engine` (which lays out one request) so that the layout code
and the process plumbing change independently. Requests and results are the engine's plain data
(:class:`RenderRequest`, :class:`Rendered`); nothing here imports WeasyPrint at import time.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections import deque
from dataclasses import dataclass

from leaflet_gen.errors import LeafletError, RenderError, Superseded
from leaflet_gen.layout.engine import Rendered, RenderRequest, load_weasyprint, render
from leaflet_gen.pipeline import speculate

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class Outcome:
    """One finished render: the pages, or why there are none."""

    tag: object  # what the caller submitted the request with
    rendered: Rendered | None
    error: Exception | None  # a LeafletError (the content's problem) or a RuntimeError (a bug)
    seconds: float  # time spent rendering
    peak_rss_mb: int  # peak memory of the process that rendered it
    cpu_seconds: float = 0.0  # CPU time the render process spent on it (the benchmark's efficiency)

    def unwrap(self) -> Rendered:
        if self.error is not None:
            raise self.error
        return self.rendered


def _timed_render(request: RenderRequest, tag: object = None, free: bool = False) -> Outcome:
    """Render, timed; with ``free``, the time includes freeing the layout's garbage (:func:`tidy`)."""
    import resource
    import time

    started, cpu = time.perf_counter(), time.process_time()
    rendered, error = None, None
    try:
        rendered = render(request)
    except LeafletError as exc:
        error = exc
    if free:
        tidy()
    return Outcome(tag, rendered, error, time.perf_counter() - started,
                   resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, time.process_time() - cpu)


class _GiveUp(BaseException):
    """Raised in a render process told to give up its request (see :func:`serve`)."""


class Renderer:
    """What the build asks of a renderer: submit requests, take outcomes as they are done."""

    processes = 1  # how many requests it works on at once (see :meth:`start`)

    def cancel(self, tag: object) -> None:
        """Give up the request submitted with ``tag`` if it is not done: its outcome comes back
        soon as :class:`Superseded` (or as it was, when it was done already). Renderers that
        render at submit have nothing to give up."""

    def start(self, leaflets: int) -> None:
        """Say how many leaflets are coming, before the first submit (a pool sizes itself)."""

    def result(self) -> Rendered:
        return self.next_result().unwrap()


class InProcessRenderer(Renderer):
    """Renders in this process, at submit (tests, one core, ``--debug``, a process that has WeasyPrint loaded).

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
_CANCEL = object()


class _Part:
    """The tag of one half of a speculative render (see :mod:`leaflet_gen.pipeline.speculate`)."""

    def __init__(self, whole: _Speculation, name: str) -> None:
        self.whole, self.name = whole, name


class _Speculation:
    """A request rendered as a probe and the rest in two processes, until both have answered."""

    def __init__(self, tag: object, request: RenderRequest, split) -> None:
        self.tag, self.request, self.split = tag, request, split
        self.replies: dict[str, tuple | None] = {}
        self.over = False  # answered (or given up): a late half is dropped


class _Again:
    """The tag of a request that goes on from where a guessed path left the search."""

    def __init__(self, tag: object, path, request: RenderRequest) -> None:
        self.tag, self.path, self.request = tag, path, request


class RenderPool(Renderer):
    """Render processes that import WeasyPrint while this process reads, validates and composes.

    Importing WeasyPrint (Pango through cffi, its CSS) and reading the content are
    independent, so the first render process is forked at once and imports it while this
    process works. Once imported, it waits to hear how many processes the work needs (at most
    ``size``: :meth:`start`) and forks the others, which have it loaded without importing again.
    Nothing has been rendered in a process when it forks (renderer state is not meant to cross
    a fork). Requests and results are plain data through one pipe per process; a feeder thread
    hands the next request to whichever process is free, so none waits while this process
    finishes the previous PDF. Results come back in the order they are done.

    With two processes or more it remembers the path of each panelled leaflet's search for
    section moves, and renders the same leaflet again in two processes at once on that guess
    (:mod:`leaflet_gen.pipeline.speculate`): the studio's renders after an edit, in about half
    the wait, with the same pages.
    """

    def __init__(self, size: int = 1, start_method: str = "fork", free_first: bool = False) -> None:
        import multiprocessing

        context = multiprocessing.get_context(start_method)
        pipes = [context.Pipe() for _ in range(max(1, size))]
        self._conns = [ours for ours, _ in pipes]
        theirs = [child for _, child in pipes]
        # A forked child gets copies of our ends, which it must close (see _zygote).
        inherited = self._conns if start_method == "fork" else []
        # Per process: the number of the last request it was told to give up (see cancel()).
        self._given_up = context.RawArray("q", len(theirs))
        self._process = context.Process(target=_zygote, args=(theirs, inherited, free_first, self._given_up),
                                        name="leaflet-gen renderer",
                                        daemon=True)
        self._process.start()
        for child in theirs:
            child.close()
        self._feeder = None
        self._submitted = 0
        # Speculative renders (see _feed) whose guessed path held, and those that went on after it.
        self.guesses = {"confirmed": 0, "missed": 0}

    @property
    def size(self) -> int:
        """How many render processes it has (before :meth:`start`: how many it may fork)."""
        return len(self._conns)

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
        self.start(self.size)
        self._submitted += 1
        self._put((tag, request))

    def cancel(self, tag: object) -> None:
        if self._feeder is not None:
            self._put((_CANCEL, tag))

    def next_result(self) -> Outcome:
        tag, reply = self._done.get()
        if reply is None:
            self._process.join(0.1)  # the first process's exit code, if it is the one that died
            code = self._process.exitcode
            return Outcome(tag, None, RenderError(
                "the render process stopped unexpectedly" + (f" (exit code {code})" if code is not None else "")
                + "; run the build again, and report it if it keeps happening"), 0.0, 0)
        return outcome(tag, reply)

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
        paths: dict[tuple, tuple] = {}  # speculate.key(request) -> the path of its last render
        pids: dict = {}  # conn -> the pid of its process (the first thing each one sends)
        sent = dict.fromkeys(self._conns, 0)  # conn -> how many requests it was sent (serve() numbers them)
        slots = {conn: slot for slot, conn in enumerate(self._conns)}

        def answer(tag, request: RenderRequest, reply: tuple | None) -> None:
            """A reply for ``tag`` (an own request, a half of a speculation, or one gone on after it)."""
            if isinstance(tag, _Part):
                whole = tag.whole
                if whole.over:
                    return
                whole.replies[tag.name] = reply
                if reply is None:  # a process died on it
                    whole.over = True
                    self._done.put((whole.tag, None))
                elif len(whole.replies) == 2:
                    whole.over = True
                    probe = whole.replies["probe"]
                    again = speculate.settle(whole.request, whole.split,
                                             probe[1] if probe[0] == "ok" else None)
                    self.guesses["confirmed" if again is None else "missed"] += 1
                    if again is None:
                        answer(_Again(whole.tag, whole.split.path, whole.split.rest), whole.request,
                               whole.replies["rest"])
                    else:
                        waiting.appendleft((_Again(whole.tag, whole.split.path, again), again))
                return
            if isinstance(tag, _Again):
                if reply is not None and reply[0] == "ok":
                    reply = ("ok", speculate.joined(tag.path, tag.request, reply[1]), *reply[2:])
                tag = tag.tag
            remembered = speculate.key(request)
            if remembered is not None and reply is not None and reply[0] == "ok":
                paths.pop(remembered, None)
                paths[remembered] = reply[1].path
                if len(paths) > 512:  # a studio open for days: the leaflets not rendered for longest go
                    del paths[next(iter(paths))]
            self._done.put((tag, reply))

        def queue(tag, request: RenderRequest) -> None:
            remembered = speculate.key(request) if len(self._conns) > 1 else None
            split = speculate.split(request, paths.get(remembered)) if remembered is not None else None
            if split is None:
                waiting.append((tag, request))
                return
            whole = _Speculation(tag, request, split)
            waiting.append((_Part(whole, "probe"), split.probe))
            waiting.append((_Part(whole, "rest"), split.rest))

        def owner(tag) -> object:
            """The tag the caller submitted (a half's or a going-on's: its whole's)."""
            if isinstance(tag, _Part):
                return tag.whole.tag
            return tag.tag if isinstance(tag, _Again) else tag

        def cancel(tag) -> None:
            """Drop a waiting request of ``tag``; stop its render in a process (see :func:`serve`)."""
            import signal

            for item in [item for item in waiting if owner(item[0]) == tag]:
                waiting.remove(item)
                whole = item[0].whole if isinstance(item[0], _Part) else None
                if whole is None or not whole.over:
                    if whole is not None:
                        whole.over = True
                    self._done.put((tag, ("error", Superseded(), 0.0, 0, 0.0)))
            for conn, (running, _) in busy.items():
                if owner(running) != tag:
                    continue
                if isinstance(running, _Part) and not running.whole.over:  # answered now; its halves dropped
                    running.whole.over = True
                    self._done.put((tag, ("error", Superseded(), 0.0, 0, 0.0)))
                with contextlib.suppress(OSError, EOFError):
                    if conn not in pids and conn.poll(0.5):  # its first message, not read yet
                        pids[conn] = conn.recv()[1]
                    self._given_up[slots[conn]] = sent[conn]
                    if conn in pids:  # (one still importing WeasyPrint will not start it)
                        os.kill(pids[conn], signal.SIGUSR1)

        def original(tag, request: RenderRequest) -> RenderRequest:
            """The request a reply's path is remembered by (a half's or a going-on's: its whole's)."""
            if isinstance(tag, _Part):
                return tag.whole.request
            return request

        while True:
            while waiting and idle:
                tag, request = waiting[0]
                conn = idle.popleft()
                try:
                    conn.send(request)
                except OSError:
                    continue  # that process has gone: try the next one
                except Exception as exc:  # e.g. a request that cannot be pickled: a bug
                    idle.appendleft(conn)
                    waiting.popleft()
                    answer(tag, request, ("bug", f"{type(exc).__name__}: {exc}", 0.0, 0, 0.0))
                    continue
                waiting.popleft()
                sent[conn] += 1
                busy[conn] = (tag, request)
            if waiting and not idle and not busy:  # every render process has gone
                tag, request = waiting.popleft()
                answer(tag, request, None)
                continue
            for ready in wait([self._wake_read, *busy]):
                if isinstance(ready, int):
                    os.read(self._wake_read, 1)
                    item = self._todo.get()
                    if item is _CLOSE:
                        return
                    if item[0] is _CANCEL:
                        cancel(item[1])
                    else:
                        queue(*item)
                    continue
                try:
                    reply = ready.recv()
                    if reply[0] == "pid":
                        pids[ready] = reply[1]
                        continue
                except (EOFError, OSError):
                    tag, request = busy.pop(ready)
                    answer(tag, original(tag, request), None)  # died while rendering it
                    continue
                except Exception as exc:  # a reply that cannot be unpickled: a bug
                    reply = ("bug", f"{type(exc).__name__}: {exc}", 0.0, 0, 0.0)
                tag, request = busy.pop(ready)
                idle.append(ready)
                answer(tag, original(tag, request), reply)


def outcome(tag: object, reply: tuple) -> Outcome:
    """A render process's reply (see :func:`serve`) as an Outcome."""
    status, payload, seconds, rss, cpu = reply
    if status == "bug":
        return Outcome(tag, None, RuntimeError(f"in the render process: {payload}"), seconds, rss, cpu)
    return Outcome(tag, payload if status == "ok" else None, payload if status == "error" else None, seconds, rss, cpu)


def _zygote(ends, inherited, free_first: bool = False, given_up=None) -> None:
    """The first render process: import, fork as many others as asked, then serve like them."""
    import signal

    # Ctrl-C reaches every process of the terminal's group: the parent handles it and stops
    # these (close(), or the closed pipes), so they must not print tracebacks of their own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Fork gave this process copies of the parent's ends; left open, a pipe would never report
    # the parent's death and the render processes would wait forever (holding its stdout/stderr).
    for conn in inherited:
        conn.close()
    failed = warm_up()
    try:
        count = ends[0].recv()  # how many processes the work needs (RenderPool.start)
    except (EOFError, OSError):
        return  # the parent has gone
    if count is None:
        return  # closed before anything was submitted
    for unused in ends[count:]:
        unused.close()
    children, first = [], os.getpid()
    for slot, own in enumerate(ends[1:count], 1):
        pid = os.fork()
        if pid == 0:
            _die_with(first)  # close() stops the first process; a sibling mid-render goes with it
            for other in ends[:count]:
                if other is not own:
                    other.close()
            try:
                serve(own, failed, free_first=free_first, given_up=given_up, slot=slot)
            finally:
                os._exit(0)
        children.append(pid)
        own.close()
    serve(ends[0], failed, free_first=free_first, given_up=given_up, slot=0)
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


def warm_up() -> RenderError | None:
    """Import WeasyPrint (safe to fork). No hyphenation dictionary: the leaflets do not hyphenate
    (styles/base.css), so none is loaded."""
    import gc

    # The import makes many objects and no garbage: collecting during it only delays the first leaflet.
    collecting = gc.isenabled()
    gc.disable()
    try:
        load_weasyprint()
    except RenderError as exc:
        return exc  # reported with the first request, as rendering in-process would
    finally:
        if collecting:
            gc.enable()
    _settle_heap()
    return None


def _settle_heap() -> None:
    """Tune the garbage collector of a process that only renders, for many leaflets.

    What the imports made is frozen (``gc.freeze``): no collection walks it again, and
    processes forked after this keep sharing its memory pages. The youngest generation is
    collected after 20,000 new objects instead of 700: a layout makes hundreds of thousands,
    most of them live until the page is done. Full collections then become rare, so each answered
    request ends with one (:func:`tidy`), or the layout's reference cycles pile up. The pages are
    the same: collection order does not reach the output (figures: bench/README.md).
    """
    import gc

    gc.freeze()
    gc.set_threshold(20_000, 10, 10)


@contextlib.contextmanager
def collecting_less():
    """Collect garbage less often in this process while it builds a catalogue.

    Composing and finishing (pypdf) make many short-lived objects, and at the default threshold
    the collector keeps walking everything the imports made. Restored after, for a caller that
    goes on (the studio, the tests).
    """
    import gc

    old = gc.get_threshold()
    gc.set_threshold(5_000, 10, 10)
    try:
        yield
    finally:
        gc.set_threshold(*old)


def tidy() -> None:
    """Free what a render's layout left (see :func:`_settle_heap`; when: :func:`serve`)."""
    import gc

    gc.collect()


def serve(conn, failed: RenderError | None, free_first: bool = False, given_up=None, slot: int = 0) -> None:
    """Answer requests until told to stop: ("ok", Rendered) or ("error", LeafletError) or ("bug", text).

    Each render's garbage is freed (:func:`tidy`) after its answer went
    out, so a build or page waiting for it does not wait for that too; with ``free_first``
    (a catalogue: many leaflets, nobody waits for one) before, and the CPU time reported for the
    leaflet includes it: it is work its layout caused, and the catalogue's efficiency counts it.

    A request the parent gives up (:meth:`RenderPool.cancel`: it writes the request's number in
    ``given_up[slot]`` and sends SIGUSR1) is not started, or stops mid-layout, and is answered
    as :class:`Superseded`. The number tells which request is meant: a signal that comes after
    its request was answered does not touch the next one.
    """
    import pickle
    import signal

    rendering, number = False, 0  # number: of the request being answered (the first is 1)

    def stale() -> bool:
        return given_up is not None and given_up[slot] >= number

    def give_up(signum, frame) -> None:
        if rendering and stale():  # between two bytecodes of the layout: it stops there
            raise _GiveUp()  # not an Exception: no ``except Exception`` of WeasyPrint's swallows it

    before = signal.signal(signal.SIGUSR1, give_up)
    try:
        conn.send(("pid", os.getpid()))  # whom the parent signals to give up a request (RenderPool.cancel)
        while True:
            data = conn.recv_bytes()
            try:
                request = pickle.loads(data)  # here, not in recv(): a bad request is a bug report
                if request is None:
                    return
                number += 1
                if failed:
                    conn.send(("error", failed, 0.0, 0, 0.0))
                    continue
                try:
                    rendering = True
                    if stale():
                        raise _GiveUp()
                    outcome = _timed_render(request, free=free_first)
                    rendering = False
                except _GiveUp:
                    rendering = False
                    outcome = Outcome(None, None, Superseded(), 0.0, 0)
                reply = ("ok", outcome.rendered) if outcome.error is None else ("error", outcome.error)
                conn.send((*reply, outcome.seconds, outcome.peak_rss_mb, outcome.cpu_seconds))
                del outcome, reply
                if not free_first:
                    tidy()
            except Exception as exc:  # sent to the parent, which reports it as a bug
                conn.send(("bug", f"{type(exc).__name__}: {exc}", 0.0, 0, 0.0))
    except (EOFError, OSError):
        pass  # the parent has gone: nothing left to do
    finally:
        signal.signal(signal.SIGUSR1, before)


def usable_cores() -> int:
    """The cores this process may run on (a CI container can have fewer than the machine)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def renderer(background: bool, processes: int = 1, free_first: bool = False):
    """Render processes when they can help, else rendering in this process.

    ``free_first``: the render processes free each layout's garbage before they answer (see
    :func:`serve`); for catalogues, where throughput counts and not one answer's wait.

    They help only with a second usable core, on a platform where forking is safe (Linux).
    A caller that has WeasyPrint loaded already (the studio, the test suite) gets them from a
    fresh fork server instead of forking itself; a single build there renders in-process.
    """
    if not (background and sys.platform.startswith("linux") and usable_cores() > 1):
        log.debug("rendering in this process (asked for: %s, usable cores: %d)", background, usable_cores())
        return InProcessRenderer()
    if "weasyprint" not in sys.modules:
        log.debug("render processes: up to %d, the first importing WeasyPrint now", processes)
        return RenderPool(processes, free_first=free_first)
    if processes == 1:
        log.debug("rendering in this process (WeasyPrint is loaded already)")
        return InProcessRenderer()
    log.debug("render processes: up to %d, from a fork server (WeasyPrint is loaded in this process)", processes)
    fork_server()
    return RenderPool(processes, "forkserver", free_first)


def fork_server():
    """Start (if not running) the fork server of render processes for a process that has
    rendered: a fresh interpreter that imports WeasyPrint and renders nothing, so the processes
    it forks have it loaded and are pristine (multiprocessing's ``forkserver``). It lives as long
    as this process."""
    import multiprocessing
    from multiprocessing import forkserver

    multiprocessing.get_context("forkserver").set_forkserver_preload(
        ["leaflet_gen.pipeline.pool", "leaflet_gen.layout.engine", "weasyprint"])
    forkserver.ensure_running()
