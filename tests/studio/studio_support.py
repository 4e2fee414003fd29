"""Helpers for the studio tests: a small copy of the project to edit, and a studio over it."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TRIFOLD = "fysio-delinde/lage-rugpijn/fysiotherapie/trifold"
SCREEN = "fysio-delinde/lage-rugpijn/fysiotherapie/screen"
SECTION = "content/lage-rugpijn/fysio-doel.yaml"  # a short section in the inside-middle panel
SENTENCE = "Heb je je doelen bereikt? Dan stop je met de behandeling."


def project_copy(dest: Path, practices=("fysio-delinde",), variants=("trifold", "screen")) -> Path:
    """The shipped project with some practices and variants: two leaflets build in ~2 s."""
    for folder in ("content", "templates", "styles", "profiles"):
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, dest / folder)
    for practice in practices:
        shutil.copytree(ROOT / "practices" / practice, dest / "practices" / practice)
    (dest / "variants").mkdir()
    for variant in variants:
        shutil.copy(ROOT / "variants" / f"{variant}.yaml", dest / "variants")
    return dest


def broken_yaml(text: str) -> str:
    """The section with a YAML syntax error on line 2 (an unclosed list under its title)."""
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("title:"))
    return "\n".join(lines[:at + 1] + ["  oops: ["] + lines[at + 1:])


def overflowing(text: str) -> str:
    """The section with so much more text that the inside panels overflow."""
    extra = "".join(f'  - type: paragraph\n    text: "Extra zin nummer {i} om de ruimte op te vullen met tekst."\n'
                    for i in range(40))
    return text.rstrip("\n") + "\n" + extra
