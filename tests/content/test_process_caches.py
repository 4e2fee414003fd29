"""What a long-running process (the studio) keeps between leaflets is
kept by the files' state: a font or ICC profile replaced under the same name is read again."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from leaflet_gen import theme
from leaflet_gen.content import glyphs
from leaflet_gen.layout import cmyk

ROOT = Path(__file__).resolve().parents[2]


def test_font_coverage_follows_a_font_replaced_in_the_project(tmp_path):
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    lato = glyphs.fontconfig_files("Lato")
    shutil.copy(next(p for p in lato if p.name == "Lato-Regular.ttf"), fonts / "Lato-Regular.ttf")
    before = glyphs.coverage("Lato", fonts)
    assert before is not None and ord("é") in before
    # The same name, another font: the project's face now has fewer characters than the installed ones.
    (fonts / "Lato-Regular.ttf").write_bytes(b"not a font any more")
    os.utime(fonts / "Lato-Regular.ttf", ns=(1, 1))
    misses = glyphs._coverage.cache_info().misses
    after = glyphs.coverage("Lato", fonts)
    assert glyphs._coverage.cache_info().misses == misses + 1  # looked at again, not taken from before
    assert after == glyphs.coverage("Lato", None)  # the unreadable file no longer counts


def test_colour_transforms_follow_a_profile_replaced_in_place(tmp_path):
    profile = tmp_path / "print.icc"
    shutil.copy(theme.BUILTIN / "profiles" / theme.DEFAULT_PROFILE, profile)
    converter = cmyk.CmykConverter(profile)
    first = converter.convert("#1B6E8C")
    misses = cmyk._transform.cache_info().misses
    assert converter.convert("#1B6E8C") == first and cmyk._transform.cache_info().misses == misses  # kept
    os.utime(profile, ns=(2, 2))  # replaced (here: the same bytes, a new modification time)
    assert converter.convert("#1B6E8C") == first
    assert cmyk._transform.cache_info().misses == misses + 1  # built again from the file
