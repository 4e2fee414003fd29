"""What shapes a leaflet: the one declared list of its inputs, and the hashes made from it.

Three things must agree on what a leaflet is made from, and all three read it from here:

- the renderer's resource access: the URL fetcher serves files only under
  :attr:`LeafletInputs.resource_roots` (see :func:`leaflet_gen.layout.templates.render_request`);
- the leaflet's input key (:func:`input_key`): a catalogue run skips a leaflet whose key is
  unchanged, so every file the renderer may read is hashed, whole folders included;
- the project stamp (:func:`project_stamp`): the folders of :data:`PROJECT_FOLDERS` and all of
  leaflet-gen's code.

Before this list existed it was written three times, and ``fonts/`` was missing from the key:
replacing a font in the project's fonts/ left the old PDF in place (issue 15).

Code: every module of the package shapes PDFs unless it is listed in :data:`CODE_NOT_SHAPING`,
so a new module (in any subpackage) is covered without editing a list.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from leaflet_gen import __version__, theme
from leaflet_gen.content.settings import SETTINGS_FILE, SOURCE_FOLDERS
from leaflet_gen.errors import LeafletError

if TYPE_CHECKING:
    from leaflet_gen.content.project import Project
    from leaflet_gen.pipeline.build import Job

PACKAGE = Path(__file__).resolve().parent.parent
# Project folders a leaflet's files come from; the stamp hashes every file under each.
PROJECT_FOLDERS = SOURCE_FOLDERS
# Folders whose every file the renderer may read (the practice's folder is added per leaflet).
# The theme's files are the ones the project uses, each its own or the built-in one (see
# leaflet_gen.theme): every template; from styles/ only the leaflet's own stylesheet chain and
# the files that are not stylesheets (images a stylesheet may use): a change to another
# variant's stylesheet rebuilds only that one.
RESOURCE_FOLDERS = ("fonts",)
# Modules that cannot change a PDF's bytes: editing them does not rebuild every leaflet.
CODE_NOT_SHAPING = ("__main__.py", "cli.py", "api.py", "logs.py", "files.py", "tools/", "content/check.py", "content/lint.py",
                    "content/settings.py", "content/jsonschemas.py", "content/checkcache.py", "content/glyphs.py",
                    "layout/libcache.py", "pipeline/catalogue.py", "pipeline/pool.py", "pipeline/report.py",
                    "pipeline/shards.py", "studio/")
# Libraries whose version can change a PDF's bytes.
LIBRARIES = ("weasyprint", "pydyf", "pypdf", "jinja2", "markdown-it-py", "segno", "pillow", "pyphen")


def code_files(shaping_only: bool = True) -> list[Path]:
    """leaflet-gen's modules (those that shape PDFs, or all), in every subpackage."""
    files = sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)
    if not shaping_only:
        return files
    return [p for p in files if not str(p.relative_to(PACKAGE)).startswith(CODE_NOT_SHAPING)]


@dataclass(frozen=True)
class LeafletInputs:
    """Everything that can change one leaflet's bytes."""

    content: tuple[Path, ...]  # topic.yaml and the section files of the audience
    variant_file: Path
    resource_roots: tuple[Path, ...]  # folders (every file) and files the renderer may read
    font_files: tuple[Path, ...]  # installed files of the variant's font family
    settings: str  # the job's own options

    def files(self) -> list[Path]:
        """Every file the key hashes."""
        return [path for _, paths in self.groups() for path in paths()]

    def groups(self) -> list[tuple[tuple | None, Callable[[], list[Path]]]]:
        """The files the key hashes, in groups: this leaflet's own files (None), then what many
        leaflets share (named, so one run can hash each once): every folder the renderer may
        read, and leaflet-gen's code."""
        own = [*self.content, self.variant_file, *self.font_files]
        shared: list[tuple[tuple | None, Callable[[], list[Path]]]] = []
        for root in self.resource_roots:
            if root.is_dir():
                shared.append((("folder", root), lambda root=root: tree(root)))
            elif root.exists():  # a missing folder (no fonts/) holds nothing the renderer could read
                own.append(root)
        return [(None, lambda: own), *shared, (("code",), code_files)]

    def covers(self, path: Path) -> bool:
        """Whether ``path`` is one of the files the key hashes (for the renderer's reads)."""
        path = path.resolve()
        return any(path == r.resolve() or path.is_relative_to(r.resolve()) for r in self.resource_roots)


def resource_roots(root: Path, stylesheets: list[Path], practice_folder: Path,
                   icc_profile: Path | None) -> tuple[Path, ...]:
    """What the renderer may read for a leaflet: the templates the project uses (an override
    in its templates/, else the built-in file), its resource folders, its stylesheet chain and
    the other files of styles/ (likewise), the practice's folder and the ICC profile (the one
    file, wherever it was configured)."""
    templates = theme.view(root, "templates").values()
    assets = [path for name, path in theme.view(root, "styles").items() if not name.endswith(".css")]
    return (*templates, *(root / folder for folder in RESOURCE_FOLDERS), *stylesheets, *assets, practice_folder,
            *([icc_profile] if icc_profile is not None else []))


def leaflet_inputs(project: Project, job: Job) -> LeafletInputs:
    """The declared inputs of ``job`` (loads the topic, practice and variant; renders nothing)."""
    from leaflet_gen.pipeline.build import load_job

    files = load_job(project, job)
    topic, practice, variant, icc = files.topic, files.practice, files.variant, files.icc_profile
    content = topic.data.audiences.get(job.audience)  # type: ignore[call-overload]
    sections = [topic.section_files[s] for s in content.section_ids] if content else []
    return LeafletInputs(
        content=(topic.source_file, *sections),
        variant_file=project.theme_file("variants", f"{job.variant}.yaml"),
        resource_roots=resource_roots(project.root, project.stylesheet_chain(variant.stylesheet), practice.folder, icc),
        font_files=tuple(map(Path, _font_files(variant.font_family))),
        settings=f"{job.audience}|{job.marks}|{job.icc_profile}",
    )


def input_key(project: Project, job: Job, shared: dict | None = None) -> str:
    """Hash of every input that can change this leaflet's bytes (no rendering, no WeasyPrint).

    ``shared``: one dict for a whole run (a catalogue), in which the hashes of what leaflets
    share (fonts/, a practice's folder, the code) are kept: walking and hashing
    them for every leaflet cost ~10 ms a leaflet, in the process that also composes and
    finishes them. A file changed during the run is then hashed as it was when first seen:
    the key is older than the PDF at worst, and the next run builds that leaflet again.
    """
    shared = {} if shared is None else shared
    inputs = leaflet_inputs(project, job)
    digests = []
    for name, paths in inputs.groups():
        if name is None:
            digests.append(hash_files(paths()))
        else:
            if name not in shared:
                shared[name] = hash_files(paths())
            digests.append(shared[name])
    return hashlib.sha256(f"{versions()}\n{inputs.settings}\n{' '.join(digests)}".encode()).hexdigest()


# --- hashing files -------------------------------------------------------------------------------

_file_hashes: dict[tuple[str, int, int], str] = {}


def forget_file_hashes() -> None:
    """Start afresh: a process that builds again later (the warm process) must not trust a size
    and modification time that a quick same-size edit on a coarse-clock file system keeps."""
    _file_hashes.clear()


def file_hash(path: Path) -> str:
    # Keyed on size and mtime so a catalogue hashes each shared file (templates, fonts) once.
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


def hash_files(paths) -> str:
    digest = hashlib.sha256()
    for path in sorted(set(map(Path, paths))):
        digest.update(f"{path}\0{file_hash(path)}\0".encode())
    return digest.hexdigest()


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


def _font_files(family: str) -> tuple[str, ...]:
    from leaflet_gen.content.glyphs import fontconfig_files

    return tuple(str(p) for p in fontconfig_files(family))


@lru_cache(maxsize=1)
def versions() -> str:
    from importlib import metadata

    parts = [f"leaflet-gen {__version__}"]
    for dist in LIBRARIES:
        try:
            parts.append(f"{dist} {metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{dist} -")
    return "; ".join(parts)


# --- the project stamp ---------------------------------------------------------------------------

def project_stamp(root: Path, request) -> str | None:
    """A hash of everything a catalogue run reads: every file in :data:`PROJECT_FOLDERS`, the
    request's own files, the installed fonts, all of leaflet-gen's code and built-in theme and the
    library versions.

    Taken before the run reads anything, so an edit made while it builds is seen next time.
    None when a file cannot be read: the run then reads everything and reports it properly.
    """
    own = [p for p in (request.catalogue, request.icc_profile, getattr(request, "shard_times", None))
           if p and Path(p).exists()]
    if not all(Path(p).is_file() for p in own):
        return None  # a folder, a pipe (reading it would wait) or a device: the run says what is wrong
    files = [p for folder in PROJECT_FOLDERS if (root / folder).is_dir() for p in tree(root / folder, root)]
    files += own + code_files(shaping_only=False) + theme.files()
    # The settings choose the leaflets (audiences, default variants, topics): not their bytes.
    files += [p for p in (root / SETTINGS_FILE,) if p.is_file()]
    digest = hashlib.sha256(json.dumps([asdict(request), _installed_packages(), _installed_fonts()]).encode())
    try:
        for path in files:
            digest.update(f"{path}\0{file_hash(Path(path))}\0".encode())
    except LeafletError:
        return None
    return digest.hexdigest()


def _installed_packages() -> list[str]:
    """Name and version of every installed Python distribution, from the folder names alone
    (importlib.metadata, used for the per-leaflet keys, costs more to import than a no-op run)."""
    found = set()
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        found.update(n for n in names if n.endswith((".dist-info", ".egg-info")))
    return sorted(found)


def _installed_fonts() -> list[tuple[str, int, int]]:
    """Every font file fontconfig knows, with size and modification time (a font install,
    update or removal changes the stamp; the per-leaflet keys hash the font files themselves)."""
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
