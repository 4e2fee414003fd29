"""Fingerprints: hashes of files, folders, leaflet-gen's own code and what is installed.

What the caches are keyed on: a leaflet's input key and the project stamp
(:mod:`leaflet_gen.pipeline.inputs`), a shard plan's project hash
(:mod:`leaflet_gen.pipeline.shards`) and the check cache (:mod:`leaflet_gen.content.checkcache`).
On the ground floor, beside errors and units, so that every layer hashes the same way.
"""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

from leaflet_gen.errors import LeafletError

PACKAGE = Path(__file__).resolve().parent  # leaflet-gen's own code

# path, modification time, size -> SHA-256: a file many leaflets share is read once per process.
_file_hashes: dict[tuple[str, int, int], str] = {}


def file_hash(path: Path) -> str:
    """The SHA-256 of a file, or a :class:`LeafletError` saying it cannot be read."""
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):  # a named pipe would block, a device never end
            raise LeafletError(f"cannot read {path}: it is not a regular file")
        key = (str(path), st.st_mtime_ns, st.st_size)
        if key not in _file_hashes:
            _file_hashes[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        raise LeafletError(f"cannot read {path}: {exc.strerror}; check that the file is readable") from None
    return _file_hashes[key]


def hash_files(paths: Iterable[Path | str]) -> str:
    """One hash of several files: their paths and contents, in path order."""
    digest = hashlib.sha256()
    for path in sorted(set(map(Path, paths))):
        digest.update(f"{path}\0{file_hash(path)}\0".encode())
    return digest.hexdigest()


def file_state(path: Path | str) -> tuple[str, int, int] | None:
    """A file's path, size and modification time, without reading it; None when it is missing."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (str(path), st.st_size, st.st_mtime_ns)


def tree(folder: Path, within: Path | None = None) -> list[Path]:
    """Every file under ``folder``, visiting each real folder once. A linked folder is followed
    only when it really lies inside ``within`` (default: ``folder``): a practice may link to a
    shared one in the project, but a link to /usr must not be hashed on every run."""
    files, seen = [], set()
    bound = os.path.realpath(within or folder)
    for current, dirs, names in os.walk(folder, followlinks=True):
        real = os.path.realpath(current)
        if real in seen or not (real == bound or real.startswith(bound + os.sep)):
            dirs.clear()
            continue
        seen.add(real)
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        files += [Path(current, n) for n in sorted(names) if Path(current, n).is_file()]
    return files


def code_files() -> list[Path]:
    """Every module of leaflet-gen, in every subpackage."""
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def installed_packages() -> list[str]:
    """Name and version of every installed distribution, from the folder names alone (cheaper than
    importlib.metadata). Only from the folders packages are installed into (site-packages,
    dist-packages): the script's folder, the current one or a checkout on sys.path (with the
    leaflet_gen.egg-info an editable install leaves there) say nothing about what is installed, and
    differ between `leaflet-gen`, `python -m leaflet_gen` and a test run."""
    found = set()
    for entry in sys.path:
        if os.path.basename(os.path.normpath(entry or ".")) not in ("site-packages", "dist-packages"):
            continue
        try:
            found.update(n for n in os.listdir(entry) if n.endswith((".dist-info", ".egg-info")))
        except OSError:
            continue
    return sorted(found)


def installed_fonts() -> list[tuple[str, int, int]]:
    """Every font file fontconfig knows, with size and modification time: a font installed,
    updated or removed changes it."""
    try:
        out = subprocess.run(["fc-list", "--format", "%{file}\n"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.TimeoutExpired):
        return []
    fonts = []
    for name in sorted(set(out.splitlines())):
        try:
            st = os.stat(name)
        except OSError:
            continue
        fonts.append((name, st.st_size, st.st_mtime_ns))
    return fonts
