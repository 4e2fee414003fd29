"""The project settings file, ``leaflet-gen.yml``: audiences, default variants, output folder, language.

Optional: without it (or without a key) the defaults of :class:`~leaflet_gen.content.schema.Settings`
apply, which are what the project did before the file existed. Settings decide *which* leaflets
are built and how they are checked, never a PDF's bytes: the project stamp hashes the file, the
leaflets' input keys do not.

:func:`output_folder` reads one key without the schemas, for the catalogue run that answers
from its last record without loading anything (see :mod:`leaflet_gen.pipeline.catalogue`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from leaflet_gen.errors import Problem, ValidationFailed

if TYPE_CHECKING:
    from leaflet_gen.content.schema import Settings

SETTINGS_FILE = "leaflet-gen.yml"  # also in schema.py, which must not import this module's callers


def output_folder(root: Path) -> Path:
    """Where build writes without --output: the settings' ``output``, else out/.

    Cheap on purpose (PyYAML only). A wrong value is reported by :func:`load_settings`, which
    every run that builds something calls; a run answered from its record had the same file then.
    """
    path = root / SETTINGS_FILE
    if path.is_file():
        import yaml

        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError):
            data = None
        if isinstance(data, dict) and isinstance(data.get("output"), str) and data["output"].strip():
            return root / data["output"]
    return root / "out"


def load_settings(root: Path, rel=str) -> Settings:
    """The validated settings of the project in ``root`` (defaults when the file is absent).

    ``rel`` turns a path into how messages show it. Raises ValidationFailed with every problem,
    located by line and key, including default variants that have no file in variants/.
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
    except (yaml.YAMLError, UnicodeDecodeError):
        pass  # load_yaml says where and what
    doc = load_yaml(path, rel(path), root)
    settings = parse(doc, Settings)
    variants = sorted(p.stem for p in (root / "variants").glob("*.yaml"))
    problems: list[Problem] = [
        doc.problem(("default_variants", i), f'unknown variant "{v}": expected one of {", ".join(variants)} '
                                             "(files in variants/)")
        for i, v in enumerate(settings.default_variants) if v not in variants
    ]
    if problems:
        raise ValidationFailed(problems)
    return settings
