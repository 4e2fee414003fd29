"""The warm process: one that outlives a single build, so the next build finds everything loaded.

Why: a single `leaflet-gen build` of one leaflet spends ~0.6 s importing WeasyPrint (Pango through
cffi, its stylesheets, fontTools), ~0.35 s importing the schemas, Jinja and markdown, and ~0.2 s
more on its first layout (fontconfig, the font map), next to ~0.6 s laying out the leaflet
itself. A clinician or practice manager builds, looks, edits and builds again: the next build
can skip all of that. The idea of Gradle's daemon, mypy's dmypy or eslint_d, kept small:

- **Started by a build**, not by hand: the first single build starts it (a fresh interpreter,
  detached, in a session of its own) and uses it only to lay out its pages, while it reads and
  composes the content itself, exactly as with a throw-away render process: that build is no
  slower. Later builds send it the whole build (an :class:`Order`): it reads, checks, composes,
  lays out and finishes the leaflets as :func:`leaflet_gen.api.single_here` does, in the
  build's folder and environment, and sends back the warnings, results and the files to write;
  the build writes them (so Ctrl-C in the build leaves nothing half-done behind).
- **Small catalogue builds too** (a :class:`CatalogueOrder`, at most :data:`leaflet_gen.pipeline.catalogue.WARM_MAX`
  leaflets by the output folder's record: a practice's leaflets, not a chain's catalogue): a
  catalogue build that does not use it builds with render processes of its own, and when it
  is done starts one for the next build (:func:`prepare`), which then loads while the user
  looks at the leaflets. One that uses it sends the whole catalogue build: the warm process
  reads, composes and finishes as :func:`leaflet_gen.api.catalogue_here` does, with render
  processes forked from a fork server that imported WeasyPrint and never rendered (started
  once it is idle, see :func:`_preload`), and sends back the progress lines and the report.
  Here the warm process writes the files itself, each PDF with its job sheet as one unit
  (:func:`leaflet_gen.files.write_together`): dozens of PDFs need not travel through
  the socket. Before each leaflet is composed and before its files are written it checks that
  the build is still there: after Ctrl-C nothing more is written (a leaflet being written at
  that moment is completed: nothing half-written), and no report or cache record for the
  unfinished run. That saves ~0.5 s of the ~0.7 s every catalogue build spends starting (the
  schemas in the build's process, WeasyPrint in its render processes): the shipped project's
  8 leaflets (`build --all`) in 3.1 s instead of 3.6 s. Larger catalogues build as before (see
  :data:`leaflet_gen.pipeline.catalogue.WARM_MAX`). The studio keeps its own render processes.
- **Never stale**: it serves one *key*, a hash of the Python, leaflet-gen's code, the installed
  packages, the font folders and fontconfig's caches, and the environment variables that steer
  fonts and libraries. A build with another key starts another process, and the older one stops
  at its next check (the newest key is in ``current``). The content, practice, templates and
  styles are read afresh for every build; what a process keeps (font coverage, colour
  transforms) is kept by the files' state. Leaflets set in the project's own fonts get a fresh
  font configuration per leaflet anyway (:func:`leaflet_gen.layout.engine.render`). The files
  are the same bytes either way (tested).
- **Gone when idle**: it exits after :data:`IDLE_S` without a build, after
  :data:`MAX_REQUESTS` builds, and when superseded.
- **Private**: its socket lives in a folder only this user can enter (``$XDG_RUNTIME_DIR`` or
  ``/tmp/leaflet-gen-<uid>``, mode 0700, checked), and it answers only the same user (the peer's
  credentials are checked on both sides), because what goes over it is pickled.
- **Never in the way**: one build at a time uses it (a lock); a build that finds it busy, or
  cannot reach or start it, builds as before. If it dies before it began a build, the build is
  done here; while rendering, what is left is rendered here (a catalogue: run it again).
- **Never a hang**: every wait for it is bounded (:func:`_patience`). It takes a connection at
  once (:data:`CONNECT_S`), answers an order at once (:data:`HELLO_S`) and is never silent for
  longer than one leaflet takes during a build; one that does not answer in time (stopped with
  ``kill -STOP``, hung, or not a warm process at all) is given up (:func:`_give_up`): its socket
  goes, so the next build starts a new one, and a warm process of ours is killed, so it writes
  nothing more. The build is then done here, skipping what the warm process had already shown
  and written (:meth:`Session.rest`, :meth:`Session.unshown`): the same files, output and exit
  code, with a line saying so under ``--verbose``.
  Off on CI (``CI`` set: one build per fresh machine gains nothing), with ``--debug`` and
  ``--html``, and with ``LEAFLET_GEN_RENDER_SERVER=0``.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import socket
import struct
import sys
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from leaflet_gen.errors import RenderError
from leaflet_gen.pipeline import pool

log = logging.getLogger(__name__)

IDLE_S = 15 * 60  # a practice manager edits, looks, builds again: minutes, not hours
CHECK_S = 2.0  # how often an idle process checks whether it was superseded
MAX_REQUESTS = 500  # a fresh process now and then: whatever a long life accumulates goes with it
# What steers fonts, text shaping and which libraries load: a change means another process.
ENV_KEYS = ("HOME", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "FONTCONFIG_FILE", "FONTCONFIG_PATH",
            "FONTCONFIG_SYSROOT", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_DATA_DIRS",
            "LD_LIBRARY_PATH", "LD_PRELOAD", "LIBRARY_PATH", "PATH", "PYTHONPATH", "PANGO_LANGUAGE",
            "LEAFLET_GEN_NO_LIBRARY_CACHE")
SWITCH = "LEAFLET_GEN_RENDER_SERVER"
# How long a build waits for the warm process (see "Never a hang" above). A Unix socket connects
# at once unless the process stopped taking connections; a warm process says it began an order
# at once, unless it just started and still imports WeasyPrint (~1 s); during a build it speaks
# at least once a leaflet (~1 s, the largest few seconds): the bound on its silence is wide.
CONNECT_S, HELLO_S, SILENCE_S = 5.0, 20.0, 60.0
PATIENCE = "LEAFLET_GEN_WARM_TIMEOUT"  # seconds instead of SILENCE_S (and at most that for the others)
# A wait that ran out: the kernel's EAGAIN on a socket with SO_RCVTIMEO/SO_SNDTIMEO (see _wait_at_most).
SILENT = (BlockingIOError, TimeoutError)


def enabled() -> bool:
    """On unless switched off, on CI, off Linux, or in a process that has rendered already."""
    if os.environ.get(SWITCH, "").strip().lower() in ("0", "off", "no", "false"):
        return False
    if os.environ.get("CI", "").strip().lower() not in ("", "0", "false"):
        return False
    return sys.platform.startswith("linux") and hasattr(socket, "AF_UNIX") and "weasyprint" not in sys.modules


def _log_level() -> int:
    return logging.getLogger("leaflet_gen").getEffectiveLevel()


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@dataclass(frozen=True)
class _Where:
    """How the build that sends an order runs: carried out in its folder, with its environment,
    logging what it would log itself (the progress lines; with --verbose the debug lines)."""

    cwd: str = field(default_factory=os.getcwd, kw_only=True)
    env: dict = field(default_factory=lambda: dict(os.environ), kw_only=True)
    log_level: int = field(default_factory=_log_level, kw_only=True)
    umask: int = field(default_factory=_umask, kw_only=True)  # the folders it makes, as the build would


@dataclass(frozen=True)
class Order(_Where):
    """One single build (``leaflet-gen build --practice ...``) for the warm process to carry out.

    It is carried out as this process would (same folder, same environment); only writing the
    files stays here, so an interrupted build leaves nothing behind that it did not finish.
    """

    root: str
    practice: str | None
    audience: str | None
    topic: str | None
    variant: str | None
    out_dir: str
    overrides: dict


@dataclass(frozen=True)
class CatalogueOrder(_Where):
    """A catalogue build (``leaflet-gen build [--all]``), carried out as
    :func:`leaflet_gen.api.catalogue_here` (see the module's docstring for who writes the files)."""

    root: str
    request: object  # leaflet_gen.pipeline.catalogue.Request
    out_dir: str
    overrides: dict
    force: bool
    processes: int  # the build's own (its CPU affinity, --jobs), not the warm process's
    stamp: str | None


def session(start: bool = True, building: bool = True):
    """A connection to this user's warm process for this key, started now if there is none and
    ``start`` (``warm`` False: it is still importing WeasyPrint, good for rendering only); None
    when it cannot be used, and the caller renders the way it always did. ``building`` False:
    only to start one (:func:`prepare`), so the debug lines about building with it stay out."""
    say = log.debug if building else (lambda *args: None)
    if not enabled():
        return None
    try:
        folder = _folder()
        if folder is None:
            return None
        key = server_key()
        claim = _claim(folder / f"{key}.lock")
        if claim is None:
            say("the warm process is busy with another build: rendering in a process of our own")
            return None
        try:
            path = folder / f"{key}.sock"
            try:
                conn = _connect(path)
            except SILENT:  # it stopped taking connections
                _give_up(path, min(CONNECT_S, _patience()))
                claim.close()
                return None
            warm = conn is not None
            if conn is None and not start:
                claim.close()
                return None
            if conn is None:
                conn = _start(folder, key, path)
                log.debug("a warm process starts for the next builds (%s)", path)
            else:
                say("building in the warm process (%s)", path)
        except BaseException:
            claim.close()
            raise
    except OSError as exc:  # a full /tmp, a socket path too long, ...: no warm process, no harm
        say("no warm process (%s): rendering in a process of our own", exc)
        return None
    return Session(conn, claim, warm, path)


def prepare() -> None:
    """Start this user's warm process for the next builds unless one is running or busy (a
    catalogue build that did not use one, when it is done); never waits for it to load."""
    if not enabled():
        return
    started = session(building=False)
    if started is not None:
        started.close()  # it loads, then preloads what the next build needs (see _serve)


class Session:
    """This build's turn with the warm process: a whole :class:`Order`, or render requests."""

    def __init__(self, conn, claim, warm: bool, path: Path) -> None:
        self._conn, self._claim, self.warm, self._path = conn, claim, warm, path
        # What it gave this build before it stopped answering (see rest() and unshown()).
        self._warnings, self._results, self._written, self._shown = 0, 0, set(), set()

    def run(self, order: Order | CatalogueOrder, on_result=None, on_warning=None):
        """Have the warm process carry out ``order``; the files it sends are written here, the
        lines it logs are logged here.

        Returns the :class:`leaflet_gen.api.Built` (a catalogue: the
        :class:`~leaflet_gen.pipeline.catalogue.CatalogueReport`); None when the process stopped
        before it began or stopped answering (the caller builds itself, through :meth:`rest` or
        :meth:`unshown`). A :class:`LeafletError` it found is raised here.
        """
        from leaflet_gen.pipeline.build import write_files

        try:
            for event in self._events(order):
                kind = event[0]
                if kind == "write":
                    write_files(*event[1:])
                    self._written.add(event[2])
                elif kind == "log":
                    _relog(*event[1:])
                    if event[6] is not None:
                        self._shown.add(event[6])
                elif kind == "warning":
                    on_warning(event[1])
                    self._warnings += 1
                elif kind == "result":
                    self._results += 1
                    if on_result:
                        on_result(event[1])
                elif kind == "done":
                    return event[1]
                elif kind == "error":
                    raise event[1]  # as the build would have raised it itself (an OSError too)
                else:
                    raise RuntimeError(f"in the warm process: {event[1]}")
        finally:
            self.close()
        return None

    def _events(self, order):
        """Send ``order`` and yield what comes back; end without any when the process stopped
        before it began, and early when it stops answering (given up). Only the connection's own
        errors are read as the process's end, not what the events raise."""
        began, waited = False, min(HELLO_S, _patience())
        try:
            _wait_at_most(self._conn, waited)
            self._conn.send(order)
            if self._conn.recv() != ("began",):
                raise OSError("not a warm process")
            waited = _patience()
            _wait_at_most(self._conn, waited)
            while True:
                event = self._conn.recv()
                began = True
                yield event
        except SILENT:
            self._hang_up(waited)
        except (EOFError, OSError):
            if not began:
                log.debug("the warm process stopped before it began: building here")
                return
            raise RenderError("the warm process stopped during the build; run the build again (set "
                              f"{SWITCH}=0 to build without it, and report it if it keeps happening)") from None

    def rest(self, on_result, on_warning):
        """``on_result``, ``on_warning`` and a ``store`` for the build done here after :meth:`run`
        returned None: what the warm process had shown or written already is not again."""
        from leaflet_gen.pipeline.build import write_files

        def result(built) -> None:
            if self._results:
                self._results -= 1
            elif on_result:
                on_result(built)

        def warning(text: str) -> None:
            if self._warnings:
                self._warnings -= 1
            else:
                on_warning(text)

        def store(files: dict, target: Path) -> None:
            if target not in self._written:  # the same bytes, written already
                write_files(files, target)

        return result, warning, store

    @contextlib.contextmanager
    def unshown(self):
        """While the catalogue is built here after :meth:`run` returned None: its progress lines
        for the leaflets the warm process showed are left out, and the others count on from
        there (it rebuilds those leaflets: the same bytes again)."""
        if not self._shown:
            yield
            return
        logger = logging.getLogger("leaflet_gen.pipeline.catalogue")
        shown, count = self._shown, len(self._shown)

        def progress(record: logging.LogRecord) -> bool:
            nonlocal count
            if getattr(record, "leaflet", None) is None:
                return True
            if record.leaflet in shown:
                return False
            count += 1
            record.done, record.args = count, (count, *record.args[1:])  # "[%d/%d] ..."
            return True

        logger.addFilter(progress)
        try:
            yield
        finally:
            logger.removeFilter(progress)

    def renderer(self) -> WarmRenderer:
        """Render requests for this build (the rest happens here); the renderer closes the session."""
        conn, self._conn = self._conn, None
        return WarmRenderer(conn, self._claim, self._path)

    def _hang_up(self, waited: float) -> None:
        """It did not answer within ``waited`` seconds: no build uses it again."""
        self.close()
        _give_up(self._path, waited)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
            self._claim.close()  # releases the lock


def _relog(name: str, level: int, message: str, done: int | None, total: int | None,
           leaflet: str | None) -> None:
    """Log here a line the warm process logged for this build (progress keeps its count)."""
    record = logging.makeLogRecord({"name": name, "levelno": level, "levelname": logging.getLevelName(level),
                                    "msg": message, "done": done, "total": total, "leaflet": leaflet})
    logging.getLogger(name).handle(record)


class _Forward(logging.Handler):
    """In the warm process: what a build's order logs goes to the build (see :func:`_relog`)."""

    def __init__(self, send, level: int) -> None:
        super().__init__(level)
        self._send = send

    def emit(self, record: logging.LogRecord) -> None:
        # Not caught (logging's handleError would print and go on): a build that cannot be
        # told its progress has gone, and _Gone stops the order.
        self._send("log", record.name, record.levelno, record.getMessage(), getattr(record, "done", None),
                   getattr(record, "total", None), getattr(record, "leaflet", None))


class WarmRenderer(pool.Renderer):
    """Sends render requests to the warm process and takes its answers, in order. If it dies or
    stops answering, what it had not answered is rendered by a process of this build's own."""

    def __init__(self, conn, claim, path: Path) -> None:
        self._conn, self._claim, self._path = conn, claim, path
        self._pending: deque = deque()  # (tag, request) sent and not answered yet
        self._fallback = None

    def submit(self, request, tag: object = None) -> None:
        self._pending.append((tag, request))
        if self._fallback is None:
            try:
                self._conn.send(request)
                return
            except SILENT:
                self._switch(silent=True)
                return
            except OSError:
                self._switch()
                return
        self._fallback.submit(request, tag)

    def next_result(self) -> pool.Outcome:
        if self._fallback is None:
            tag, _ = self._pending[0]
            try:
                reply = self._conn.recv()
            except SILENT:
                self._switch(silent=True)  # stopped, or hung: render what is left ourselves
            except (EOFError, OSError):
                self._switch()  # it died (killed, out of memory): render what is left ourselves
            else:
                self._pending.popleft()
                return pool.outcome(tag, reply)
        self._pending.popleft()
        return self._fallback.next_result()

    def _switch(self, silent: bool = False) -> None:
        if silent:  # said under --verbose: the files and the output are the same
            self._conn.close()
            self._conn = None
            self._claim.close()
            _give_up(self._path, _patience())
        else:
            log.warning("the warm process stopped; rendering in a process of this build's own")
            self._hang_up()
        self._fallback = pool.renderer(background=True)
        for tag, request in self._pending:
            self._fallback.submit(request, tag)

    def _hang_up(self) -> None:
        if self._conn is not None:
            try:
                self._conn.send(None)  # this build is done; the process waits for the next
            except OSError:
                pass
            self._conn.close()
            self._conn = None
            self._claim.close()  # releases the lock

    def close(self) -> None:
        self._hang_up()
        if self._fallback is not None:
            self._fallback.close()


def retire() -> None:
    """Ask every warm process of this user to stop (each does at its next check, when idle)."""
    folder = _folder()
    if folder is not None:
        _write_current(folder, "retired")


def server_key() -> str:
    """What the warm process's state depends on, hashed: the same key, the same PDF."""
    digest = hashlib.sha256()
    digest.update(f"{sys.executable}\0{sys.version}\0{os.getuid()}\0".encode())
    # The groups decide which folders it may write; the CPU affinity how many render processes
    # help (a build under `taskset` gets a process with its own).
    digest.update(f"{sorted(os.getgroups())}\0{sorted(pool.usable_cores_set())}\0".encode())
    for name in ENV_KEYS:
        digest.update(f"{name}={os.environ.get(name, '')}\0".encode())
    for path in _watched_paths():
        try:
            st = os.stat(path)
            digest.update(f"{path}:{st.st_mtime_ns}:{st.st_size}\0".encode())
        except OSError:
            digest.update(f"{path}:-\0".encode())
    return digest.hexdigest()[:20]


def _watched_paths() -> list[str]:
    """leaflet-gen's code, the installed packages (pip changes the folder), fonts and fontconfig."""
    import importlib.util

    here = Path(__file__).resolve().parents[1]  # the leaflet_gen package
    paths = sorted(str(p) for p in here.rglob("*.py"))
    spec = importlib.util.find_spec("weasyprint")
    if spec is not None and spec.origin:
        site = Path(spec.origin).parents[1]
        paths += [str(site), *sorted(str(p) for p in site.glob("*.dist-info"))]
    home = Path.home()
    data = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    cache = Path(os.environ.get("XDG_CACHE_HOME") or home / ".cache")
    roots = [Path("/etc/fonts"), Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), data / "fonts",
             home / ".fonts", Path("/var/cache/fontconfig"), cache / "fontconfig"]
    for root in roots:
        paths.append(str(root))
        # Font packages install a folder per family two levels down (truetype/lato/): a font
        # added there changes no folder above it until fc-cache runs.
        for sub in sorted(root.glob("*/")) + sorted(root.glob("*/*/")):
            paths.append(str(sub))
    return paths


def _folder() -> Path | None:
    """The private folder for sockets and locks, or None when none can be trusted."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    folder = Path(runtime) / "leaflet-gen" if runtime and Path(runtime).is_dir() else \
        Path("/tmp") / f"leaflet-gen-{os.getuid()}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        st = os.lstat(folder)
    except OSError:
        return None
    import stat

    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & 0o077:
        log.debug("not using %s for the warm render process: not a private folder of this user", folder)
        return None
    return folder


def _write_current(folder: Path, key: str) -> None:
    from leaflet_gen.files import write_atomic

    write_atomic(folder / "current", key.encode("ascii"), mode=0o600, sync=False)


def _claim(path: Path):
    """The lock that makes this build the warm process's only client, or None when it is taken."""
    import fcntl

    handle = open(os.open(path, os.O_RDWR | os.O_CREAT, 0o600), "rb", buffering=0)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    return handle


def _same_user(sock: socket.socket) -> bool:
    creds = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    _pid, uid, _gid = struct.unpack("3i", creds)
    return uid == os.getuid()


def _connect(path: Path):
    """A connection to the process at ``path``, None when none listens there; BlockingIOError
    when it does not take the connection within CONNECT_S. Every later wait on the connection is
    bounded too (:func:`_wait_at_most`), by :func:`_patience` until a caller says otherwise."""
    from multiprocessing.connection import Connection

    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    # A blocking socket with the kernel's own timeouts rather than Python's (which makes the
    # socket non-blocking): see _wait_at_most.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, _timeval(min(CONNECT_S, _patience())))
    try:
        sock.connect(str(path))
    except (FileNotFoundError, ConnectionRefusedError):
        sock.close()
        return None
    except BlockingIOError:  # its queue of connections is full and nobody takes them
        sock.close()
        raise
    if not _same_user(sock):
        sock.close()
        raise OSError(f"{path} belongs to another user")
    conn = Connection(sock.detach())
    _wait_at_most(conn, _patience())
    return conn


def _patience() -> float:
    """The longest a build waits for the warm process to say anything during a build:
    SILENCE_S, or the seconds in $LEAFLET_GEN_WARM_TIMEOUT."""
    text = os.environ.get(PATIENCE, "").strip()
    if re.fullmatch(r"[0-9]{1,5}(\.[0-9]{1,3})?", text) and float(text) > 0:
        return float(text)
    if text:
        log.debug('%s="%s" is not a number of seconds (like 60): waiting up to %g s', PATIENCE, text[:40],
                  SILENCE_S)
    return SILENCE_S


def _timeval(seconds: float) -> bytes:
    return struct.pack("ll", int(seconds), int(seconds % 1 * 1_000_000))


def _wait_at_most(conn, seconds: float) -> None:
    """Every read and write on ``conn`` waits at most ``seconds``, then fails with EAGAIN
    (BlockingIOError): multiprocessing's Connection reads and writes the descriptor itself."""
    sock = socket.socket(fileno=conn.fileno())
    try:
        for option in (socket.SO_RCVTIMEO, socket.SO_SNDTIMEO):
            sock.setsockopt(socket.SOL_SOCKET, option, _timeval(seconds))
    finally:
        sock.detach()


def _give_up(path: Path, waited: float) -> None:
    """The process at ``path`` did not answer within ``waited`` seconds (stopped, hung, or not a
    warm process): its socket goes, so the next build starts a new one, and if it is a warm
    process of ours (the one started for this socket: its pid file, command line and owner) it
    is killed, so it writes nothing more when it is continued."""
    import signal

    killed = False
    pid_file = path.with_suffix(".pid")
    try:
        pid = int(pid_file.read_text(encoding="ascii")[:12])
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        if os.stat(f"/proc/{pid}").st_uid == os.getuid() and argv[-4:-1] == [
                __name__.encode(), str(path.parent).encode(), path.stem.encode()]:
            os.kill(pid, signal.SIGKILL)  # a stopped process too
            killed = True
    except (OSError, ValueError):  # gone already, or never one of ours
        pass
    for name in (pid_file, path):  # this build holds the lock: no other build replaced them
        name.unlink(missing_ok=True)
    log.debug("the warm process did not answer within %g s; building without it%s", waited,
              " (stopped it)" if killed else "")


def _start(folder: Path, key: str, path: Path):
    """Bind the socket, start the warm process (a fresh interpreter, detached) to serve it, and
    connect to it.

    The socket is bound here, so this build can connect at once: the connection waits in the
    backlog while the new process imports WeasyPrint. A fresh interpreter rather than a fork:
    it inherits nothing of this build (open files, locks, threads' state) but the socket.
    """
    path.unlink(missing_ok=True)  # a socket left by a process that is gone (we hold the lock)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        listener.bind(str(path))
        listener.listen(4)
        _write_current(folder, key)  # older processes see they are superseded
        devnull = os.open(os.devnull, os.O_RDWR)
        try:
            # Only the socket (as fd 3) and /dev/null for stdin/stdout/stderr: a caller reading
            # the build's output waits for every process that holds it open.
            actions = [(os.POSIX_SPAWN_DUP2, listener.fileno(), 3)] + [
                (os.POSIX_SPAWN_DUP2, devnull, fd) for fd in (0, 1, 2)]
            # -P: not the build's folder first on sys.path, where a folder named leaflet_gen
            # (a copy of this repository, say) would be imported instead of the installed code.
            pid = os.posix_spawn(sys.executable, [sys.executable, "-P", "-m", __name__, str(folder), key],
                                 os.environ, file_actions=actions, setsid=True)  # its own session: Ctrl-C leaves it alone
        finally:
            os.close(devnull)
        (folder / f"{key}.pid").write_text(str(pid), encoding="ascii")  # for _give_up
    finally:
        listener.close()
    conn = _connect(path)
    if conn is None:
        raise OSError("the warm render process did not start")
    return conn


def _serve(listener: socket.socket, folder: Path, key: str) -> None:
    """The warm process: import WeasyPrint, then answer one build at a time until idle."""
    import signal
    import time
    from multiprocessing.connection import Connection

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    os.chdir("/")
    path = Path(listener.getsockname())
    own = os.stat(path).st_ino
    failed = pool.warm_up()
    listener.settimeout(CHECK_S)
    idle_since, served, preloaded = time.monotonic(), 0, False
    while served < MAX_REQUESTS:
        try:
            sock, _ = listener.accept()
        except TimeoutError:
            if not preloaded:  # nobody is waiting (started for the next build)
                _preload()
                preloaded = True
            if time.monotonic() - idle_since > IDLE_S or _superseded(folder, key, path, own):
                break
            continue
        sock.settimeout(None)
        if _same_user(sock):
            conn = Connection(sock.detach())
            _answer(conn, failed)
            conn.close()
            pool.tidy()  # the build has its answer: free what it left (see pool._settle_heap)
        else:
            sock.close()
        served += 1
        if not preloaded:
            _preload()  # after the first build, which was waiting for its pages meanwhile
            preloaded = True
        idle_since = time.monotonic()
    try:
        if os.stat(path).st_ino == own:
            path.unlink()  # the next build starts a new one instead of finding a dead socket
    except OSError:
        pass


def _answer(conn, failed) -> None:
    """One build's connection: a whole :class:`Order`, or render requests until it closes."""
    try:
        first = conn.recv()
    except Exception:  # noqa: BLE001 - gone, or not something we sent: nothing to answer
        return
    if isinstance(first, (Order, CatalogueOrder)):
        _carry_out(conn, first, failed)
    else:
        pool.serve(conn, failed, first)


class _Gone(BaseException):
    """The build that sent the order has gone (Ctrl-C): stop carrying it out. Not an Exception,
    so that no ``except Exception`` (a catalogue fails one leaflet and goes on) takes it."""


def _carry_out(conn, order: Order | CatalogueOrder, failed) -> None:
    """Build as :func:`leaflet_gen.api.single_here` or :func:`~leaflet_gen.api.catalogue_here`
    in the build's folder and environment, sending what it logs, warnings, results and (single
    builds) the files to write as they come."""
    from leaflet_gen import api
    from leaflet_gen.errors import LeafletError
    from leaflet_gen.pipeline import inputs

    def send(*event) -> None:
        try:
            conn.send(event)
        except OSError as exc:
            raise _Gone from exc

    def stop() -> None:
        # The build sends nothing after its order: something to read is its end (EOF).
        if conn.poll():
            raise _Gone

    saved = dict(os.environ)
    logger = logging.getLogger("leaflet_gen")
    forward, level = _Forward(send, order.log_level), logger.level
    logger.addHandler(forward)
    logger.setLevel(order.log_level)
    umask = os.umask(order.umask)
    try:
        send("began")  # at once: the build waits for this only HELLO_S
        os.environ.clear()
        os.environ.update(order.env)
        os.chdir(order.cwd)
        inputs.forget_file_hashes()
        if failed and isinstance(order, Order):  # a catalogue fails leaflet by leaflet, as cold
            raise failed
        if isinstance(order, CatalogueOrder):
            built = api.catalogue_here(Path(order.root), order.request, Path(order.out_dir), order.overrides,
                                       order.force, order.processes, False, order.stamp, stop)
        else:
            built = api.single_here(Path(order.root), order.practice, order.audience, order.topic,
                                    order.variant, Path(order.out_dir), order.overrides, pool.InProcessRenderer(),
                                    lambda result: send("result", result), lambda warning: send("warning", warning),
                                    store=lambda files, target: send("write", files, target))
        send("done", built)
    except _Gone:
        pass
    except Exception as exc:  # noqa: BLE001 - reported to the build, which shows it as it would its own
        # A file that cannot be written (a full disk, a folder in the way) is the user's to fix,
        # as in a build without the warm process (the CLI says so, exit 1); anything else is a bug.
        user = isinstance(exc, LeafletError) or (isinstance(exc, OSError) and exc.filename is not None)
        event = ("error", exc) if user else ("bug", f"{type(exc).__name__}: {exc}")
        try:
            conn.send(event)
        except OSError:
            pass
    finally:
        logger.removeHandler(forward)
        logger.setLevel(level)
        os.umask(umask)
        os.environ.clear()
        os.environ.update(saved)
        os.chdir("/")


def _preload() -> None:
    """Import what reading, composing and finishing need, so the next build finds them loaded,
    and start the fork server of a catalogue build's render processes (:func:`pool.fork_server`:
    a fresh interpreter that imports WeasyPrint once, ~60 MB while the warm process lives)."""
    import importlib

    for name in ("leaflet_gen.api", "leaflet_gen.content.project", "leaflet_gen.layout.compose",
                 "leaflet_gen.layout.templates", "leaflet_gen.pipeline.build", "leaflet_gen.pdf.impose",
                 "leaflet_gen.pdf.preflight", "leaflet_gen.pdf.jobsheet", "leaflet_gen.pdf.cmyk",
                 "leaflet_gen.pipeline.catalogue", "leaflet_gen.pipeline.inputs", "leaflet_gen.pipeline.shards",
                 "pypdfium2"):
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - a build that needs it reports the problem itself
            pass
    try:
        pool.fork_server()
    except Exception:  # noqa: BLE001 - started again (and reported) when a catalogue needs it
        log.debug("the fork server did not start", exc_info=True)


def _superseded(folder: Path, key: str, path: Path, own: int) -> bool:
    try:
        return (folder / "current").read_text(encoding="ascii") != key or os.stat(path).st_ino != own
    except OSError:
        return True


if __name__ == "__main__":  # started by _start: python -m leaflet_gen.pipeline.warm FOLDER KEY
    # Through the module's own name, not __main__: what builds send is pickled as its classes.
    from leaflet_gen.pipeline import warm

    warm._serve(socket.socket(fileno=3), Path(sys.argv[1]), sys.argv[2])
