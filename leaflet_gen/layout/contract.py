"""The template contract: what the layout engine relies on in the HTML that templates/ produce.

Templates are files users edit. The engine finds the panels of a panelled leaflet by the
anchors (``id`` attributes) below, so a template that drops or renames one would otherwise
surface as an internal error deep in the layout. Every element the engine relies on is
declared here, once, with what it is for; :func:`check` runs on the rendered HTML before it
goes to WeasyPrint and turns a broken contract into a user error that names the template, the
element and its purpose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from leaflet_gen.errors import LeafletError


@dataclass(frozen=True)
class Element:
    """One element the engine relies on: its ``id``, the template expected to write it, and why."""

    id: str
    template: str  # "{variant}": the variant's own template (e.g. trifold.html)
    purpose: str


# Panelled variants (variant.panels set). The engine maps pages to panels by where these start.
PANELLED = (
    Element("panel-cover", "{variant}", "starts the front cover panel (the first page)"),
    Element("panel-flow", "{variant}", "starts the inside panels the text flows through"),
    Element("panel-back", "{variant}", "starts the back panel, after the flowing text"),
)
# One per section of the leaflet, in panelled variants: an overflow is reported from the section
# on whose anchor the extra page starts.
SECTION = Element("section-{id}", "section.html", "marks where section \"{id}\" starts, to name it when text overflows")
# By name, for the engine, which finds pages by these and nothing else.
COVER, FLOW, BACK = PANELLED
SECTION_PREFIX = SECTION.id.split("{")[0]


def section_anchor(section_id: str) -> str:
    """The ``id`` that marks where section ``section_id`` starts."""
    return SECTION.id.format(id=section_id)

_IDS = re.compile(r"""\bid\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")


def ids_in(html: str) -> set[str]:
    """Every ``id`` attribute value in ``html`` (the engine's anchors are exactly these)."""
    return {a or b or c for a, b, c in _IDS.findall(html)}


def check(html: str, template: str, section_ids: tuple[str, ...]) -> None:
    """Raise a LeafletError for each element of the contract that the rendered HTML lacks."""
    found = ids_in(html)
    missing = [(e.template.format(variant=template), e.id, e.purpose) for e in PANELLED if e.id not in found]
    missing += [(SECTION.template, SECTION.id.format(id=sid), SECTION.purpose.format(id=sid))
                for sid in section_ids if SECTION.id.format(id=sid) not in found]
    if missing:
        lines = [f"templates/{name}: no element with id=\"{element}\"; it {purpose}" for name, element, purpose in missing]
        raise LeafletError("the templates do not produce what the layout needs:\n  " + "\n  ".join(lines)
                           + "\nRestore these ids in the templates (see docs/templates.md); classes and other "
                             "markup may change freely.")
