"""The built-in theme, and where a project's own theme files take its place.

leaflet-gen ships its theme as package data, in the folders beside this module:

- ``templates/``: the Jinja2 templates (``blocks/``: one partial per block type; ``icons/``: pictograms);
- ``styles/``: the stylesheets (``base.css`` and one per variant);
- ``variants/``: one YAML file per output variant;
- ``profiles/``: the CMYK print profile (``FOGRA39L-coated.icc``, see LICENSES/FOGRA39L.txt).

A project keeps only what it changes. **A file in the project's folder of the same kind and
name wins over the built-in one** (``styles/trifold.css`` in the project replaces the built-in
``styles/trifold.css``, ``templates/blocks/tip.html`` the built-in partial), and a project file
with a new name adds to the theme (``variants/poster.yaml`` adds a variant). Names are paths
relative to the kind's folder. The rule holds for every reader: the templates' Jinja loader, the
stylesheets a variant loads and what they ``@import`` or ``url()`` (the renderer resolves every
address in the project's folder through :func:`find`), the variants, the icons and the profile.
docs/themes.md says it for users.

This module only finds files (ground floor: it imports nothing of leaflet-gen but errors); what
a leaflet is made of, and its hash, is :mod:`leaflet_gen.pipeline.inputs`'.
"""

from __future__ import annotations

import os
from pathlib import Path

BUILTIN = Path(__file__).resolve().parent
KINDS = ("templates", "styles", "variants", "profiles")
DEFAULT_PROFILE = "FOGRA39L-coated.icc"  # in profiles/


def builtin(kind: str) -> Path:
    """The built-in folder of ``kind``."""
    return BUILTIN / kind


def folders(root: Path, kind: str) -> tuple[Path, Path]:
    """Where files of ``kind`` are looked for, first match wins: the project's folder, then the
    built-in one. The project's may not exist."""
    return root / kind, BUILTIN / kind


def find(root: Path, kind: str, name: str | Path) -> Path | None:
    """The file ``name`` of ``kind`` that a project in ``root`` uses: its own, else the built-in
    one; None when neither exists. A project entry that exists but is no regular file (a folder,
    a broken link) still wins, so that reading it says what is wrong instead of silently using
    the built-in file. A name that leads out of the kind's folder (absolute, or with "..") is
    found nowhere."""
    parts = Path(name).parts
    if not parts or Path(name).is_absolute() or ".." in parts:
        return None
    own = root / kind / name
    if os.path.lexists(own):
        return own
    shipped = BUILTIN / kind / name
    return shipped if shipped.is_file() else None


def is_builtin(path: Path) -> bool:
    """Whether ``path`` is a file of the built-in theme."""
    return Path(os.path.abspath(path)).is_relative_to(BUILTIN)


def names(root: Path, kind: str, suffix: str = "") -> list[str]:
    """Every name of ``kind`` a project sees (its own and the built-in ones, each once), sorted;
    only names ending in ``suffix`` when given. Names are relative paths with "/"."""
    found: set[str] = set()
    for folder in folders(root, kind):
        found.update(_names(folder, suffix))
    return sorted(found)


def ids(root: Path, kind: str, suffix: str) -> list[str]:
    """The names of top-level files of ``kind`` ending in ``suffix``, without it (variant ids)."""
    return sorted({n[: -len(suffix)] for n in names(root, kind, suffix) if "/" not in n})


def view(root: Path, kind: str) -> dict[str, Path]:
    """Every file of ``kind`` a project sees, by name: the file :func:`find` gives for it."""
    return {name: path for name in names(root, kind) if (path := find(root, kind, name)) is not None}


def _names(folder: Path, suffix: str) -> list[str]:
    if not folder.is_dir():
        return []
    found = []
    bound = os.path.realpath(folder)
    for current, dirs, files in os.walk(folder, followlinks=True):
        real = os.path.realpath(current)
        if not (real == bound or real.startswith(bound + os.sep)):
            dirs.clear()  # a link out of the folder: not part of the theme
            continue
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        rel = os.path.relpath(current, folder)
        for name in files:
            if name.endswith(suffix):
                found.append(name if rel == "." else f"{rel}/{name}".replace(os.sep, "/"))
    return found


def profile(root: Path) -> Path:
    """The default CMYK print profile of a project: its own profiles/FOGRA39L-coated.icc, else the
    built-in one (the practice's print_shop.icc_profile and --icc-profile come before both)."""
    return find(root, "profiles", DEFAULT_PROFILE) or BUILTIN / "profiles" / DEFAULT_PROFILE


def files() -> list[Path]:
    """Every file of the built-in theme (what a theme upgrade changes)."""
    return [BUILTIN / kind / name for kind in KINDS for name in _names(BUILTIN / kind, "")]
