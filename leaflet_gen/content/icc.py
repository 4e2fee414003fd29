"""The CMYK output profile as an input: a readable ICC printer profile, or a clear message.

Checked when a print leaflet's profile is chosen (:meth:`leaflet_gen.content.project.Project.icc_profile`)
and when the studio's practice editor is given one; converting colours with it is
:mod:`leaflet_gen.layout.cmyk`'s.
"""

from __future__ import annotations

import os
from pathlib import Path

from leaflet_gen.content.yamlio import read_project_file
from leaflet_gen.errors import LeafletError, ValidationFailed

ICC_HEADER = 128
MAX_PROFILE_BYTES = 32 * 1024 * 1024  # print profiles are a few MB; LittleCMS reads the whole file


def check_profile(path: Path, shown: str, root: Path | None = None) -> None:
    """A readable ICC output profile for CMYK, or a clear error. Read as every input is
    (a regular file, bounded; ``root``: the folder it must lie in)."""
    try:
        head = read_project_file(path, shown, root, MAX_PROFILE_BYTES, "an ICC colour profile",
                                 "colour profiles")[:ICC_HEADER]
    except ValidationFailed as exc:
        if not os.path.lexists(path):
            from leaflet_gen import theme

            fix = ("it comes with leaflet-gen: reinstall leaflet-gen (`leaflet-gen doctor` checks it)"
                   if theme.is_builtin(path) else "put it there")
            raise LeafletError(
                f"the CMYK print profile {shown} is missing: {fix}, or point practice.yaml "
                "print_shop.icc_profile or --icc-profile to your print shop's profile."
            ) from None
        raise LeafletError(str(exc.problems[0])) from None
    if len(head) < ICC_HEADER or head[36:40] != b"acsp":
        raise LeafletError(f"{shown} is not an ICC colour profile")
    if head[16:20] != b"CMYK" or head[12:16] != b"prtr":
        raise LeafletError(f"{shown} is not a CMYK output (printer) profile; ask the print shop for its CMYK profile")
