"""WeasyPrint's system libraries, resolved once: ``ctypes.util.find_library`` answers kept on disk.

Importing WeasyPrint loads Pango, HarfBuzz, fontconfig & co. through cffi, trying several names
per library (``libgobject-2.0-0``, ``gobject-2.0-0``, ``gobject-2.0``, ...). For each name that is
not a file name cffi calls ``ctypes.util.find_library``, which on Linux runs ``ldconfig -p`` and,
when that finds nothing, ``gcc`` and ``ld``: some 20 subprocesses, ~0.24 s of a ~0.6 s import
(measured with cProfile, see bench/README.md), on every build.

While WeasyPrint is imported, :func:`cached_find_library` answers from a small cache file instead,
and asks the real ``find_library`` (and records its answer) for any name it has not seen. Why
this cannot change a PDF or go stale:

- The cache is keyed on what ``find_library``'s answer depends on: the dynamic linker's cache
  (``/etc/ld.so.cache``, hashed whole; installing or removing a library through the package manager
  rewrites it), the modification times of the standard library folders (a library copied in
  without ``ldconfig``), ``LD_LIBRARY_PATH``, ``LIBRARY_PATH``, ``PATH`` (which ``gcc``/``ld``), the
  machine and the Python version. Any change starts an empty cache.
- The answers are the same strings ``find_library`` returned (sonames such as
  ``libgobject-2.0.so.0``, or none); cffi then loads them exactly as before. An answer holding a
  ``/`` is never used from the cache, so even a tampered file could only pick among libraries the
  dynamic linker would find anyway; the file must also be the user's own and writable only by them.
- Anything unexpected (no ld.so.cache: not glibc Linux; an unreadable or damaged file; a cache
  folder that cannot be written) falls back to the real ``find_library``, silently.
- ``LEAFLET_GEN_NO_LIBRARY_CACHE=1`` switches it off.

The cache lives in ``$XDG_CACHE_HOME/leaflet-gen/`` (default ``~/.cache/leaflet-gen/``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import sys
import sysconfig
from collections.abc import Iterator
from pathlib import Path

OFF_ENV = "LEAFLET_GEN_NO_LIBRARY_CACHE"
FORMAT = 1  # bump when the key or the file's shape changes
LD_SO_CACHE = Path("/etc/ld.so.cache")


def cache_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "leaflet-gen" / "find-library.json"


def system_key() -> str | None:
    """What ``find_library``'s answers depend on, hashed; None where it cannot be told (no cache then)."""
    try:
        linker_cache = hashlib.sha256(LD_SO_CACHE.read_bytes()).hexdigest()
    except OSError:
        return None
    multiarch = sysconfig.get_config_var("MULTIARCH") or ""
    folders = ["/lib", "/usr/lib", "/usr/local/lib", "/lib64", "/usr/lib64",
               *([f"/lib/{multiarch}", f"/usr/lib/{multiarch}"] if multiarch else [])]
    times = []
    for folder in folders:
        try:
            times.append((folder, os.stat(folder).st_mtime_ns))
        except OSError:
            times.append((folder, None))
    parts = [FORMAT, sys.platform, sys.version, os.uname().machine, linker_cache, times,
             *(os.environ.get(name) for name in ("LD_LIBRARY_PATH", "LIBRARY_PATH", "PATH"))]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def _read(path: Path, key: str) -> dict[str, str | None]:
    try:
        with open(path, encoding="utf-8") as fh:
            st = os.fstat(fh.fileno())
            # Another user's file, or one others may write, could point cffi at another library.
            if st.st_uid != os.getuid() or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
                return {}
            data = json.load(fh)
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("key") != key or not isinstance(data.get("answers"), dict):
        return {}
    return {name: found for name, found in data["answers"].items()
            if isinstance(name, str) and (found is None or (isinstance(found, str) and "/" not in found))}


def _write(path: Path, key: str, answers: dict[str, str | None]) -> None:
    from leaflet_gen.files import NotAFile, write_atomic

    with contextlib.suppress(OSError, NotAFile):
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_atomic(path, json.dumps({"key": key, "answers": answers}, indent=1, sort_keys=True).encode("utf-8"),
                     mode=0o600, sync=False)


@contextlib.contextmanager
def cached_find_library() -> Iterator[None]:
    """Within this block, ``ctypes.util.find_library`` answers from the cache where it can."""
    import ctypes.util

    key = None if os.environ.get(OFF_ENV) or not sys.platform.startswith("linux") else system_key()
    if key is None:
        yield
        return
    path = cache_file()
    known = _read(path, key)
    original = ctypes.util.find_library
    learned: dict[str, str | None] = {}

    def find_library(name: str) -> str | None:
        if name in known:
            return known[name]
        found = learned[name] = original(name)
        return found

    ctypes.util.find_library = find_library
    try:
        yield
    finally:
        ctypes.util.find_library = original
        if learned:
            _write(path, key, {**known, **learned})
