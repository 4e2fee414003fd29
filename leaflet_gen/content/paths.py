"""Paths written in YAML files, judged from their text alone: no control characters, and for a
folder of the project, no absolute path or "..". The schemas and the settings reader both use
these (neither imports the other for it)."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from leaflet_gen.i18n import msg


def path_problem(value: str) -> str | None:
    """What makes ``value`` (a path written in a YAML file) no path at all: a control character
    such as NUL. None when there is none."""
    bad = next((c for c in value if ord(c) < 0x20 or ord(c) == 0x7F), None)
    if bad is None:
        return None
    return msg("a path cannot contain the control character U+%(code)s; got %(value)s", code=f"{ord(bad):04X}",
               value=repr(value))


def folder_problem(value: str) -> str | None:
    """What is wrong with ``value`` as the settings' ``output`` (a folder in the project), judged
    from the text alone; None when nothing is (where it leads: :func:`among_sources`)."""
    problem = path_problem(value)
    if problem is not None:
        return problem
    path = PurePosixPath(value.replace("\\", "/"))
    if path.is_absolute() or re.match(r"^[A-Za-z]:", value) or ".." in path.parts or not path.parts \
            or not value.strip():
        return msg('expected a folder inside the project, like "out", got "%(value)s"', value=value)
    return None
