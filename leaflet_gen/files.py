"""Writing output files: the one way leaflet-gen puts a file on disk.

Every file the tool writes outside a private temporary folder of its own goes through
:func:`write_together` (one file: :func:`write_atomic`): PDFs and job sheets, build-report.json and
the output folder's record, ``--html``, ``report merge -o``, preview PNGs, ``schema --write``,
new-topic and new-practice, the studio's saves and the caches.

**Only regular files are replaced** (issue 28). Each file is written to a temporary file beside its
target (and to disk, fsync), then renamed over it: a reader sees the old file or the new one, never
half of one. A rename replaces whatever has the target's name, so before anything is written, and
again just before the renames, every target is looked at (``lstat``, nothing is opened) and refused
with :class:`NotAFile` (a :class:`~leaflet_gen.errors.LeafletError`: one message, exit 1) unless it
is missing or a regular file:

- a device (``-o /dev/null`` as root would replace the machine's /dev/null with a file), a named pipe
  or a socket: writing into them instead would break the promise that the files of one leaflet are
  written all or none, a pipe without a reader would block the build, and nothing could be checked
  afterwards; since nothing is opened, no pipe can make a command hang;
- a folder;
- a symbolic link, even one to a regular file: the rename would replace the link itself, and writing
  through it could put a file outside the project (the studio writes where a URL asks). Give the
  path of the file itself.

**Temporary files** are named ``.<name>.lg<machine>-<pid>-<start>.<random>.tmp``: the process that
writes it, by its id and start time (pid reuse), on this machine and in this pid namespace. One that
a killed writer left behind is removed by the next write of that target, but only when its writer is
gone: concurrent builds into one folder never delete each other's files. A temporary file whose
writer cannot be checked from here (another machine on a shared folder, another container, an
older leaflet-gen) is removed when it is older than :data:`STALE_SECONDS`.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
import stat
import time
from collections.abc import Iterator
from pathlib import Path

from leaflet_gen.errors import LeafletError

NAME_MAX = 255  # bytes of a file or folder name (Linux, macOS, Windows)
STALE_SECONDS = 3600  # no write takes this long: an unknown writer's temporary file is then left over
_NAME_BYTES = 150  # of the target's name in a temporary file's name (names are at most 255 bytes)
_TEMP = re.compile(r"\.lg(?P<machine>[0-9a-f]{8})-(?P<pid>\d{1,10})-(?P<start>\d{1,20})\.[A-Za-z0-9_]+\.tmp\Z")
_ELSEWHERE = "give the path of a file to write instead (to throw the output away: a temporary file)"
_KINDS = ((stat.S_ISDIR, "a folder", "give the path of a file instead, not of a folder"),
          (stat.S_ISLNK, "a symbolic link", "leaflet-gen does not write through links: give the path of the file "
                                            "itself, or remove the link"),
          (stat.S_ISCHR, "a character device", _ELSEWHERE), (stat.S_ISBLK, "a block device", _ELSEWHERE),
          (stat.S_ISFIFO, "a named pipe (FIFO)", _ELSEWHERE), (stat.S_ISSOCK, "a socket", _ELSEWHERE))


class NotAFile(LeafletError):
    """An output path holds something other than a regular file; it was left as it is."""


def refuse_non_file(path: Path) -> None:
    """Raise :class:`NotAFile` unless ``path`` is missing or a regular file (not followed if a link)."""
    try:
        st = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return  # nothing there (a file where its folder should be: making the folder says so)
    if stat.S_ISREG(st.st_mode):
        return
    kind, advice = next(((k, a) for test, k, a in _KINDS if test(st.st_mode)), ("not a regular file", _ELSEWHERE))
    raise NotAFile(f"{path} is {kind}, not a regular file; leaflet-gen replaces only regular files, so it left it "
                   f"as it is: {advice}")


def write_atomic(path: Path, data: bytes, *, mode: int = 0o644, sync: bool = True) -> None:
    """Write one file: see :func:`write_together`."""
    write_together({path: data}, mode=mode, sync=sync)


def write_together(files: dict[Path, bytes], *, mode: int = 0o644, sync: bool = True) -> None:
    """Write several files as one unit: all of them, or none changed.

    Every file goes to a temporary file beside its target first (to disk too, unless ``sync`` is
    False: caches); only when all are written are they renamed into place, in the order given, the
    last given last (renames need no space, so a full disk stops before anything is replaced).
    Targets that are not regular files are refused (:class:`NotAFile`, see the module's policy);
    temporary files of these targets that a writer which is gone left behind are removed. ``mode``:
    the files' permissions. Other problems (a full disk, no permission) raise OSError.
    """
    import tempfile  # here: a check answered from its cache writes nothing (~1 ms of its start)

    for path in files:
        refuse_non_file(path)
    temps: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            remove_abandoned(path)
            fd, tmp = tempfile.mkstemp(prefix=_prefix(path.name), suffix=".tmp", dir=path.parent)
            temps.append((tmp, path))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                if sync:
                    fh.flush()
                    os.fsync(fh.fileno())
            os.chmod(tmp, mode)
        for path in files:
            refuse_non_file(path)  # again: something may have been put there while we wrote
        for tmp, path in temps:
            os.replace(tmp, path)
    except BaseException:
        for tmp, _ in temps:
            Path(tmp).unlink(missing_ok=True)
        raise


def remove_abandoned(path: Path) -> None:
    """Remove the temporary files of ``path`` that a writer which is gone left behind."""
    import glob

    short = _short(path.name)
    for tmp in path.parent.glob(glob.escape(f".{short}.") + "*.tmp"):
        if _abandoned(tmp, tmp.name[len(short) + 2:]):
            tmp.unlink(missing_ok=True)


def _abandoned(tmp: Path, tail: str) -> bool:
    found = _TEMP.fullmatch("." + tail)
    if found and found["machine"] == _machine():
        pid, start = int(found["pid"]), found["start"]
        if pid > 0:
            return not _running(pid, start)
    elif not found and not re.fullmatch(r"[A-Za-z0-9_]+\.tmp", tail):
        return False  # not a temporary file of this target (another target's, a file of the user's)
    try:  # a writer that cannot be checked from here, or an older leaflet-gen's file (no writer in its name)
        return time.time() - tmp.lstat().st_mtime > STALE_SECONDS
    except OSError:
        return False


def _running(pid: int, start: str) -> bool:
    """Whether process ``pid`` is the one that started at ``start`` (clock ticks after boot)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # another user's process: it exists
    except (OSError, OverflowError):
        return True
    now = _start_time(pid)
    return start == "0" or now == "0" or now == start  # "0": not known (no /proc)


def _prefix(name: str) -> str:
    pid = os.getpid()
    return f".{_short(name)}.lg{_machine()}-{pid}-{_own_start(pid)}."


def _short(name: str) -> str:
    """``name``, cut to fit a temporary file's name within the 255 bytes a name may have."""
    while len(os.fsencode(name)) > _NAME_BYTES:
        name = name[:-1]
    return name


@functools.cache
def _machine() -> str:
    """This machine (its boot) and pid namespace: where a writer's pid means the same process."""
    parts = [os.uname().nodename]
    with contextlib.suppress(OSError):
        parts.append(Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip())
    with contextlib.suppress(OSError):
        parts.append(str(os.stat("/proc/self/ns/pid").st_ino))
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:8]


@functools.cache
def _own_start(pid: int) -> str:
    return _start_time(pid)  # by pid: a forked render process has its own


def _start_time(pid: int) -> str:
    """When process ``pid`` started, in clock ticks after boot ("0" when it cannot be read)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            fields = fh.read().rsplit(b")", 1)[1].split()
        return str(int(fields[19]))
    except (OSError, IndexError, ValueError):
        return "0"


@contextlib.contextmanager
def folder_lock(folder: Path, wait: float = 10.0) -> Iterator[bool]:
    """An exclusive lock on ``folder`` itself (flock: no lock file), for a read, change and write of
    a file in it that concurrent processes make (the output folder's record). Yields whether it was
    taken: after ``wait`` seconds (a holder that was stopped), or where the file system has no such
    locks, the block runs without it (the worst then: a record that misses leaflets, which are
    rebuilt, never a damaged file: each is replaced whole)."""
    import fcntl

    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        yield False
        return
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                taken = True
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    taken = False
                    break
                time.sleep(0.01)
            except OSError:
                taken = False
                break
        yield taken
    finally:
        os.close(fd)  # releases the lock
