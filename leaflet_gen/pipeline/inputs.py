"""What shapes a leaflet: the one declared list of its inputs, and the hashes made from it.

Three things must agree on what a leaflet is made from:

- the renderer's resource access: the URL fetcher serves only the files of
  :func:`leaflet_gen.layout.resources.resource_roots`;
- the leaflet's input key (:func:`input_key`): a catalogue run skips a leaflet whose key is
  unchanged, so every file the renderer may read is hashed, whole folders included;
- the project stamp (:func:`project_stamp`): the folders of :data:`PROJECT_FOLDERS` and all of
  leaflet-gen's code.

Code: every module of the package shapes PDFs unless it is listed in :data:`CODE_NOT_SHAPING`,
so a new module (in any subpackage) is covered without editing a list.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from leaflet_gen import __version__, theme
from leaflet_gen.content.settings import SETTINGS_FILE, SOURCE_FOLDERS
from leaflet_gen.errors import LeafletError
from leaflet_gen.fingerprint import (
    PACKAGE,
    code_files,
    file_hash,
    hash_files,
    installed_fonts,
    installed_packages,
    tree,
)
from leaflet_gen.i18n import font_families
from leaflet_gen.layout.resources import resource_roots

if TYPE_CHECKING:
    from leaflet_gen.content.project import Project
    from leaflet_gen.pipeline.build import ResolvedLeaflet

# Project folders a leaflet's files come from; the stamp hashes every file under each.
PROJECT_FOLDERS = SOURCE_FOLDERS
# Modules that cannot change a PDF's bytes: editing them does not rebuild every leaflet. Each
# entry is a module, or a folder (ending in "/") of the package; tests/pipeline/test_inputs.py
# checks that each one exists.
CODE_NOT_SHAPING = ("__main__.py", "cli/", "api.py", "logs.py", "files.py", "fingerprint.py", "tools/", "studio/",
                    "content/check.py", "content/checkcache.py", "content/glyphs.py", "content/icc.py",
                    "content/jsonschemas.py", "content/lint.py", "content/settings.py", "layout/libcache.py",
                    "pipeline/catalogue.py", "pipeline/pool.py", "pipeline/report.py", "pipeline/shards.py")
# Libraries whose version can change a PDF's bytes.
LIBRARIES = ("weasyprint", "pydyf", "pypdf", "jinja2", "markdown-it-py", "segno", "pillow", "pyphen")


def shaping_code() -> list[Path]:
    """leaflet-gen's modules that can change a PDF's bytes (all but :data:`CODE_NOT_SHAPING`)."""
    def listed(name: str) -> bool:
        return any(name == entry or (entry.endswith("/") and name.startswith(entry)) for entry in CODE_NOT_SHAPING)

    return [p for p in code_files() if not listed(p.relative_to(PACKAGE).as_posix())]


@dataclass(frozen=True)
class LeafletInputs:
    """Everything that can change one leaflet's bytes."""

    content: tuple[Path, ...]  # topic.yaml, the section files of the audience, a translation's file
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
        return [(None, lambda: own), *shared, (("code",), shaping_code)]

    def covers(self, path: Path) -> bool:
        """Whether ``path`` is one of the files the key hashes (for the renderer's reads)."""
        path = path.resolve()
        return any(path == r.resolve() or path.is_relative_to(r.resolve()) for r in self.resource_roots)


def leaflet_inputs(project: Project, resolved: ResolvedLeaflet) -> LeafletInputs:
    """The declared inputs of a resolved job (:func:`leaflet_gen.pipeline.build.resolve`; renders nothing)."""
    job, topic, practice, variant = resolved.job, resolved.topic, resolved.practice, resolved.variant
    icc = resolved.icc_profile
    content = topic.data.audiences.get(job.lid.audience)  # type: ignore[call-overload]
    sections = [topic.section_files[s] for s in content.section_ids] if content else []
    translation = (resolved.translation.file,) if resolved.translation is not None else ()
    # The language is in the settings only for a translation: a Dutch leaflet keeps its key.
    language = f"|{job.lid.language}" if resolved.translation is not None else ""
    return LeafletInputs(
        content=(topic.source_file, *sections, *translation),
        variant_file=project.theme_file("variants", f"{job.lid.variant}.yaml"),
        resource_roots=resource_roots(project.root, resolved.stylesheets, practice.folder, icc),
        font_files=tuple(Path(f) for family in font_families(variant.font_family, job.lid.language)
                         for f in _font_files(family)),
        settings=f"{job.lid.audience}|{job.marks}|{job.icc_profile}{language}",
    )


def input_key(project: Project, resolved: ResolvedLeaflet, shared: dict | None = None) -> str:
    """Hash of every input that can change this leaflet's bytes (no rendering, no WeasyPrint).

    ``shared``: one dict for a whole run (a catalogue), in which the hashes of what leaflets
    share (templates/, fonts/, a practice's folder, the code) are kept, so they are walked and
    hashed once a run, not once a leaflet. A file changed during the run is then hashed as it was
    when first seen: the key is older than the PDF at worst, and the next run builds that
    leaflet again.
    """
    shared = {} if shared is None else shared
    inputs = leaflet_inputs(project, resolved)
    digests = []
    for name, paths in inputs.groups():
        if name is None:
            digests.append(hash_files(paths()))
        else:
            if name not in shared:
                shared[name] = hash_files(paths())
            digests.append(shared[name])
    return hashlib.sha256(f"{versions()}\n{inputs.settings}\n{' '.join(digests)}".encode()).hexdigest()


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
    files += own + code_files() + theme.files()
    # The settings choose the leaflets (audiences, default variants, topics): not their bytes.
    files += [p for p in (root / SETTINGS_FILE,) if p.is_file()]
    digest = hashlib.sha256(json.dumps([asdict(request), installed_packages(), installed_fonts()]).encode())
    try:
        for path in files:
            digest.update(f"{path}\0{file_hash(Path(path))}\0".encode())
    except LeafletError:
        return None
    return digest.hexdigest()
