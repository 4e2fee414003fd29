"""The project settings file, ``leaflet-gen.yml``: audiences, default variants, output folder, language.

Optional: without it (or without a key) the defaults of :class:`~leaflet_gen.content.schema.Settings`
apply, which are what the project did before the file existed. Settings decide *which* leaflets
are built and how they are checked, never a PDF's bytes: the project stamp hashes the file, the
leaflets' input keys do not.

:func:`output_folder` reads one key without the schemas, for the catalogue run that answers
from its last record without loading anything (see :mod:`leaflet_gen.pipeline.catalogue`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from leaflet_gen.content.paths import folder_problem
from leaflet_gen.errors import LeafletError, Problem, ValidationFailed
from leaflet_gen.i18n import msg

if TYPE_CHECKING:
    from leaflet_gen.content.schema import Settings

SETTINGS_FILE = "leaflet-gen.yml"  # also in schema/common.py, which must not import this module's callers
# The project's sources (what the project stamp hashes, pipeline/inputs.py): no output goes there.
SOURCE_FOLDERS = ("content", "practices", "templates", "styles", "variants", "profiles", "fonts")


def output_folder(root: Path) -> Path:
    """Where build writes without --output: the settings' ``output``, else out/.

    Cheap on purpose (PyYAML only). A value that is not a usable folder (see :func:`folder_problem`,
    :func:`among_sources`) is reported by :func:`load_settings`, with its line, before anything
    uses it; other wrong values too, by every run that builds something (a run answered from its
    record had the same file then).
    """
    path = root / SETTINGS_FILE
    if path.is_file():
        import yaml

        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError, ValueError):  # ValueError: an int of > 4,300 digits
            data = None
        value = data.get("output") if isinstance(data, dict) else None
        if isinstance(value, str):
            if folder_problem(value) is None and among_sources(root, root / value) is None:
                return root / value
            load_settings(root, lambda p: os.path.relpath(p, root))  # raises: what is wrong, and where
            raise LeafletError(f"{SETTINGS_FILE}: output: cannot be used as the output folder")  # (a safety net)
    return root / "out"


def among_sources(root: Path, folder: Path) -> str | None:
    """Whether writing into ``folder`` would put files among the sources of the project in
    ``root`` (links followed): how to say so ("is inside content/"), or None."""
    real, top = os.path.realpath(folder), os.path.realpath(root)
    if real == top:
        return "is the project folder itself"
    for name in SOURCE_FOLDERS:
        source = os.path.realpath(os.path.join(top, name))
        if real == source or real.startswith(source + os.sep):
            return f"is inside {name}/, among the project's sources"
    return None


def sources_refusal(root: Path, folder: Path, shown: str) -> str | None:
    """The message that refuses ``folder`` (shown as ``shown``) as a place for outputs, or None."""
    where = among_sources(root, folder)
    if where is None:
        return None
    return f'{shown} {where}: what leaflet-gen writes must not land among the files it reads; choose a folder ' \
           'of its own, like "out"'


def load_settings(root: Path, rel=str) -> Settings:
    """The validated settings of the project in ``root`` (defaults when the file is absent).

    ``rel`` turns a path into how messages show it. Raises ValidationFailed with every problem,
    located by line and key, including default variants that are neither built in nor in variants/.
    """
    import os

    from leaflet_gen.content.schema import Settings
    from leaflet_gen.content.validate import parse
    from leaflet_gen.content.yamlio import MAX_FILE_BYTES, load_yaml, read_project_file

    path = root / SETTINGS_FILE
    if not os.path.lexists(path):
        return Settings()
    import yaml

    raw = read_project_file(path, rel(path), root, MAX_FILE_BYTES)  # a plain file in the project, bounded
    try:
        if yaml.safe_load(raw) is None:  # empty, or only comments: every default
            return Settings()
    except (yaml.YAMLError, UnicodeDecodeError, ValueError):  # ValueError: an int of > 4,300 digits
        pass  # load_yaml says where and what
    doc = load_yaml(path, rel(path), root)
    settings = parse(doc, Settings)
    from leaflet_gen import theme

    known = theme.ids(root, "variants", ".yaml")
    problems: list[Problem] = [
        doc.problem(("variants", i), msg('unknown variant "%(variant)s": expected one of %(known)s (built in, or files '
                                         "in variants/)", variant=v, known=", ".join(known)))
        for i, v in enumerate(settings.variants or []) if v not in known
    ]
    used = [v for v in known if v in settings.variants] if settings.variants else known
    problems += [
        doc.problem(("default_variants", i), msg('unknown variant "%(variant)s": expected one of %(known)s (the '
                                                 "variants above)", variant=v, known=", ".join(used))
                    if settings.variants else
                    msg('unknown variant "%(variant)s": expected one of %(known)s (built in, or files in variants/)',
                        variant=v, known=", ".join(used)))
        for i, v in enumerate(settings.default_variants) if v not in used
    ]
    refusal = sources_refusal(root, root / settings.output, f'the output folder "{settings.output}"')
    if refusal:
        problems.append(doc.problem(("output",), refusal))
    if problems:
        raise ValidationFailed(problems)
    return settings
