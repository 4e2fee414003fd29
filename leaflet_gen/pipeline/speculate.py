"""Lay out one leaflet in two render processes at once, guessing its search for section moves.

A panelled leaflet is laid out once per move its search makes (``engine._keep_sections_in_view``:
four layouts for the shipped physiotherapy tri-fold), each after the one before. A leaflet
rendered again after an edit nearly always takes the same path. So, given the path of its last
render, one process lays out the path's first steps and says where the search would go from
each (a probe), while the other starts the search at the step after them and finishes the
leaflet. The search depends only on the layouts, and each layout only on the HTML and the moves,
so when the probe's answers are the path, the second process's leaflet is the one the search
from the start makes, byte for byte. When they are not, the search goes on from where the path
left it. Either way the work is the search's own; only the wait is about halved when it holds.
"""

from __future__ import annotations

import dataclasses

from leaflet_gen.layout.engine import Rendered, RenderRequest

Path = tuple[tuple[str, ...], ...]


def key(request: RenderRequest) -> tuple | None:
    """What the path of a render is remembered by: the leaflet and its sections (None: a flowing
    variant, which has no search). A draft with other sections is another key."""
    plan = request.plan
    if plan is None:
        return None
    return request.slug, plan.sections, plan.flow, plan.section_starts


@dataclasses.dataclass(frozen=True)
class Split:
    """A request as two: the probe of the path's first ``at`` steps and the search from step ``at``."""

    path: Path
    at: int
    probe: RenderRequest
    rest: RenderRequest


def split(request: RenderRequest, path: Path | None) -> Split | None:
    """Two requests for two processes, when the remembered ``path`` has moves to guess (else None).

    The probe gets the first steps and the rest the others, so that both take about as long:
    the rest also checks and writes the PDF (about 0.7 of a layout).
    """
    if path is None or len(path) < 2 or path[0] != ():
        return None
    at = (len(path) + 1) // 2  # steps 0..at-1 probed; the rest lays out len(path) - at and writes
    return Split(path, at, dataclasses.replace(request, probe=path[:at]),
                 dataclasses.replace(request, start=path[at], start_step=at))


def settle(request: RenderRequest, split: Split, probed: Rendered | None) -> RenderRequest | None:
    """None when the probe confirms the path up to the rest's start (the rest's leaflet is the
    search's own); else the request that goes on from where the search left the path (the
    whole search again when the probe failed)."""
    if probed is None or len(probed.steps) != split.at:
        return request
    for step, moves in enumerate(probed.steps):
        expected = split.path[step + 1]
        if moves != expected:
            if moves is None:  # the search stops at this step: its layout is the leaflet
                return dataclasses.replace(request, start=split.path[step], start_step=step)
            return dataclasses.replace(request, start=moves, start_step=step + 1)
    return None


def joined(path: Path, request: RenderRequest, rendered: Rendered) -> Rendered:
    """A leaflet rendered from step ``request.start_step`` of the search, with the whole path
    (``path``'s confirmed steps before its own)."""
    return dataclasses.replace(rendered, path=path[:request.start_step] + rendered.path)
