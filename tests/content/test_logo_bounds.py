"""Logos that are cheap to store but costly to draw, and inputs that are not plain files (issue 28,
items 3 and 8): `check` and `build` refuse them with exit 1 and a message that names the limit,
in bounded time; the studio gives the same message (tests/studio/test_studio_inputs.py)."""

from __future__ import annotations

import os
import time

import pytest

from leaflet_gen.content import logos

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100" viewBox="0 0 300 100">{}</svg>'


def path_data(characters: int) -> str:
    steps = " l1 1 l-1 -1" * (characters // 12 + 1)
    return ("M10 10" + steps)[:characters]


def use_bomb(levels: int) -> str:
    """Each level draws the one below ten times: 10 ** levels copies from ~11 elements a level."""
    parts = ['<defs><path id="g0" d="M1 1 l2 2 l3 -1 z"/>']
    for i in range(1, levels + 1):
        parts.append(f'<g id="g{i}">' + "".join(f'<use href="#g{i - 1}" x="{j}"/>' for j in range(10)) + "</g>")
    return SVG.format("".join(parts) + f'</defs><use href="#g{levels}"/>')


COSTLY = {
    "one-3-mb-path": (SVG.format(f'<path d="{path_data(3_000_000)}"/>'),
                      '"logo.svg" has a path with 3,000,000 characters (at most 500,000); simplify the logo in a '
                      "drawing program (fewer points: Inkscape's Path > Simplify, Illustrator's Object > Path > "
                      "Simplify) or export it as a PNG of about 2000 pixels wide"),
    "many-paths": (SVG.format(f'<path d="{path_data(100_000)}"/>' * 8),
                   '"logo.svg" draws 800,000 characters of path data (at most 500,000, copies made by <use> counted)'),
    "polygon-points": (SVG.format(f'<polygon points="{"1,2 " * 200_000}"/>'),
                       '"logo.svg" has a path with 800,000 characters (at most 500,000)'),
    "huge-style": (SVG.format(f'<rect width="9" height="9" style="{"fill:red;" * 60_000}"/>'),
                   '"logo.svg" has an attribute style="..." of 540,000 characters (at most 500,000)'),
    "use-bomb": (use_bomb(5), '"logo.svg" draws 3,'),
    "use-bomb-of-elements": (use_bomb(4), '"logo.svg" draws 46,'),
    "marker-on-every-point": (SVG.format('<defs><marker id="m">' + '<circle r="1"/>' * 40 + "</marker></defs>"
                                         f'<polyline points="{"1,2 3,4 " * 2000}" style="marker-mid: url(#m)"/>'),
                              '"logo.svg" draws 164,'),
    "loop": (SVG.format('<g id="a"><rect width="1" height="1"/><use href="#a"/></g>'),
             '"logo.svg" refers to itself (a <use> or url(#...) inside what it draws); remove the loop'),
    "deep": (SVG.format("<g>" * 150 + '<rect width="1" height="1"/>' + "</g>" * 150),
             '"logo.svg" nests more than 100 levels deep'),
}


@pytest.mark.parametrize("svg, message", COSTLY.values(), ids=COSTLY.keys())
def test_check_refuses_a_logo_too_costly_to_draw(mini, svg, message):
    mini.write("practices/test/logo.svg", svg)
    started = time.perf_counter()
    result = mini.run("check")
    assert time.perf_counter() - started < 10  # a preview of the 3 MB path took 17 s, of the <use> bomb 19 s
    assert result.exit_code == 1, result.output
    line = result.stderr.splitlines()[0]
    assert line.startswith("practices/test/practice.yaml:2:7 logo: " + message), line


def test_build_refuses_it_the_same_way(mini, tmp_path):
    svg, message = COSTLY["one-3-mb-path"]
    mini.write("practices/test/logo.svg", svg)
    result = mini.run("build", "--practice", "test", "--audience", "fysiotherapie", "--variant", "trifold",
                      "--output", str(tmp_path / "out"))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"logo: {message}" in result.stderr
    assert not (tmp_path / "out" / "test").exists()


def test_a_detailed_logo_within_the_bounds_is_accepted():
    svg = SVG.format(f'<path d="{path_data(60_000)}"/>' * 8 + '<defs><g id="s"><circle r="3"/></g></defs>'
                     + '<use href="#s"/>' * 500)
    assert logos.inspect_logo(svg.encode(), "logo.svg").error is None


def test_the_shipped_logos_are_far_within_the_bounds():
    from conftest import ROOT

    for path in (ROOT / "practices").glob("*/logo.svg"):
        assert logos.inspect_logo(path.read_bytes(), path.name).error is None, path


# --- inputs that are not plain files ----------------------------------------------------------------


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_bytes("lumbago\ncafé\n".encode("latin-1")),
     "content/wordlist.txt the file is not UTF-8 text (byte 11); save it as UTF-8"),
    (os.mkfifo, "content/wordlist.txt is not a regular file (a pipe, device or socket); expected a text file"),
    (lambda p: p.mkdir(), "content/wordlist.txt is a folder; expected a text file"),
], ids=["latin-1", "fifo", "folder"])
def test_a_word_list_that_cannot_be_read_is_a_located_problem(mini, make, message):
    (mini.root / "content" / "wordlist.txt").unlink()
    make(mini.root / "content" / "wordlist.txt")
    result = mini.run("check")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert message in result.stderr.splitlines()


def test_a_colour_profile_that_is_a_pipe_is_refused_not_read(mini, tmp_path):
    os.mkfifo(mini.root / "practices/test/drukker.icc")
    practice = (mini.root / "practices/test/practice.yaml").read_text()
    mini.write("practices/test/practice.yaml", practice + "print_shop:\n  icc_profile: drukker.icc\n")
    result = mini.run("build", "--practice", "test", "--audience", "fysiotherapie", "--variant", "trifold",
                      "--output", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert ("practices/test/drukker.icc is not a regular file (a pipe, device or socket); expected an ICC colour "
            "profile") in result.stderr
