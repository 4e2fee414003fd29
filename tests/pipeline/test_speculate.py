"""A leaflet rendered again is laid out in two processes at once on the guess that its search for
section moves takes the path of its last render; the pages are the search's own whether the
guess holds or not."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from helpers import same_pdf as _same
from test_pool import _fresh

from leaflet_gen.layout.engine import PanelPlan, Rendered, RenderRequest, render
from leaflet_gen.pipeline import speculate

PLAN = PanelPlan("test", (("cover", "cover", "voorkant"), ("f1", "flow", "een"), ("f2", "flow", "twee"),
                          ("back", "back", "achterkant")), ("a", "b", "c"), ("a", "b", "c"))
REQUEST = RenderRequest("<p>x</p>", "file:///", (Path("/nonexistent"),), {}, PLAN)
PATH = ((), ("a",), ("a", "b"), ("a", "b", "c"))


def test_a_path_of_four_layouts_is_probed_two_steps_and_the_rest_searches_from_the_third():
    split = speculate.split(REQUEST, PATH)
    assert split.at == 2
    assert split.probe.probe == ((), ("a",)) and not split.probe.start
    assert (split.rest.start, split.rest.start_step, split.rest.probe) == (("a", "b"), 2, None)
    assert split.rest.html == split.probe.html == REQUEST.html


@pytest.mark.parametrize("path", [None, ((),), (("a",), ("a", "b"))])
def test_nothing_to_guess_is_one_request(path):
    # No path yet; a path of one layout (no move) saves nothing; a path not from the start is no search's.
    assert speculate.split(REQUEST, path) is None


def test_a_flowing_variant_has_no_search_to_remember():
    assert speculate.key(dataclasses.replace(REQUEST, plan=None)) is None
    other = dataclasses.replace(PLAN, sections=("a", "b"), flow=("a", "b"))
    assert speculate.key(REQUEST) != speculate.key(dataclasses.replace(REQUEST, plan=other))


def _probed(*steps) -> Rendered:
    return Rendered(b"", (), steps=steps)


def test_a_probe_that_answers_the_path_confirms_it():
    split = speculate.split(REQUEST, PATH)
    assert speculate.settle(REQUEST, split, _probed(("a",), ("a", "b"))) is None


def test_a_probe_that_goes_elsewhere_goes_on_from_there():
    split = speculate.split(REQUEST, PATH)
    again = speculate.settle(REQUEST, split, _probed(("a",), ("a", "c")))
    assert (again.start, again.start_step, again.probe) == (("a", "c"), 2, None)
    again = speculate.settle(REQUEST, split, _probed(("b",), ("b", "c")))  # the first answer decides
    assert (again.start, again.start_step) == (("b",), 1)


def test_a_search_that_stops_earlier_lays_out_that_step_again():
    split = speculate.split(REQUEST, PATH)
    again = speculate.settle(REQUEST, split, _probed(("a",), None))
    assert (again.start, again.start_step) == (("a",), 1)
    again = speculate.settle(REQUEST, split, _probed(None, None))
    assert (again.start, again.start_step) == ((), 0)


def test_a_failed_probe_is_the_whole_search_again():
    split = speculate.split(REQUEST, PATH)
    assert speculate.settle(REQUEST, split, None) is REQUEST
    assert speculate.settle(REQUEST, split, _probed(("a",))) is REQUEST  # not an answer per step


def test_the_path_of_a_leaflet_rendered_from_a_step_is_the_whole_path():
    rendered = Rendered(b"%PDF", ("f1",), path=(("a", "b"), ("a", "b", "c")))
    rest = dataclasses.replace(REQUEST, start=("a", "b"), start_step=2)
    assert speculate.joined(PATH, rest, rendered).path == PATH
    assert speculate.joined(PATH, REQUEST, Rendered(b"", (), path=((),))).path == ((),)


# --- the engine's side: a search from a step, and a probe ------------------------------------------


def _shipped_trifold() -> RenderRequest:
    from conftest import ROOT

    from leaflet_gen.content.project import Project
    from leaflet_gen.layout.templates import render_request
    from leaflet_gen.pipeline.build import Job, compose_job

    project = Project.open(ROOT)
    job = Job.of(ROOT / "practices" / "fysio-delinde", "lage-rugpijn", "fysiotherapie", "trifold")
    return render_request(project, compose_job(project, job))


@pytest.mark.slow
def test_the_search_from_a_step_of_its_path_ends_where_the_whole_search_ends():
    request = _shipped_trifold()
    whole = render(request)
    assert len(whole.path) == 4 and whole.path[0] == ()  # the shipped tri-fold moves three sections
    probe = render(dataclasses.replace(request, probe=whole.path[:3]))
    assert probe.steps == whole.path[1:] and probe.pdf == b""
    rest = render(dataclasses.replace(request, start=whole.path[2], start_step=2))
    assert rest.path == whole.path[2:]
    assert _same(rest.pdf) == _same(whole.pdf)
    assert (rest.page_panels, rest.fill, rest.advice, rest.fonts) == \
           (whole.page_panels, whole.fill, whole.advice, whole.fonts)


# --- the pool: the same pages as rendering in this process, guess or no guess ----------------------

_POOL = """
    import dataclasses, re, sys
    sys.path.insert(0, "tests"); sys.path.insert(0, "tests/pipeline")
    from test_speculate import _shipped_trifold
    from helpers import same_pdf as _same
    from leaflet_gen.layout.engine import render
    from leaflet_gen.pipeline.pool import RenderPool
    shipped = _shipped_trifold()
    # The same leaflet with a short first section: the search takes another path.
    body = shipped.html.split('<main', 1)
    start = body[1].index('<p')
    end = body[1].index('</section>', start)
    shorter = dataclasses.replace(shipped, html=body[0] + '<main' + body[1][:start] + '<p>Kort.</p>' + body[1][end:])
    pool = RenderPool(2)
    for tag, request in enumerate([shipped, shipped, shorter, shipped]):
        pool.submit(request, tag)
        outcome = pool.next_result()
        alone = render(request)
        print(tag, outcome.tag, len(outcome.rendered.path), outcome.rendered.path == alone.path,
              _same(outcome.rendered.pdf) == _same(alone.pdf), pool.guesses)
    # Given up while both halves are under way: one answer, and the next render is as before.
    pool.submit(shipped, "stale")
    pool.cancel("stale")
    pool.submit(shipped, "fresh")
    for _ in range(2):
        outcome = pool.next_result()
        print(outcome.tag, type(outcome.error).__name__ if outcome.error else
              _same(outcome.rendered.pdf) == _same(render(shipped).pdf))
    pool.close()
"""


@pytest.mark.slow
def test_a_pool_renders_a_leaflet_again_on_its_last_path_with_the_same_pages():
    from conftest import ROOT

    result = _fresh(_POOL, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "0 0 4 True True {'confirmed': 0, 'missed': 0}"  # nothing to guess from yet
    assert lines[1] == "1 1 4 True True {'confirmed': 1, 'missed': 0}"  # the guess held
    # Another path: the guess is checked, the search goes on from where it left the path.
    tag, got, layouts, same_path, same_pages, guesses = lines[2].split(" ", 5)
    assert (tag, got, same_path, same_pages) == ("2", "2", "True", "True") and int(layouts) != 4
    assert guesses == "{'confirmed': 1, 'missed': 1}"
    assert lines[3].startswith("3 3 4 True True ")  # and the path of the last render is guessed next
    assert lines[4:] == ["stale Superseded", "fresh True"]
