"""Helpers several test modules share (fixtures live in conftest.py)."""

from __future__ import annotations

import re

# The mini project's translation units in English (tests/conftest.py TOPIC_YAML and SECTIONS).
ENGLISH_UNITS = {
    "demo/topic/title": "Low back pain",
    "demo/topic/audiences.fysiotherapie.subtitle": "What you can do yourself",
    "demo/huisarts/title": "When to see your GP?",
    "demo/huisarts/blocks[0].text": "Not better after 4 weeks? Call your GP.",
    "demo/kort/blocks[0].title": "In short",
    "demo/kort/blocks[0].items[0]": "Low back pain is common.",
    "demo/kort/blocks[0].items[1]": "Keep **moving**.",
    "demo/uitleg/title": "What is low back pain?",
    "demo/uitleg/blocks[0].text": "Low back pain is pain low in your back. It is also called *lumbago*.",
    "demo/uitleg/blocks[1].items[0]": "Bend your knees.",
    "demo/uitleg/blocks[1].items[1]": "Keep your back straight.",
}


def check(mini) -> tuple[int, list[str]]:
    """Run ``leaflet-gen check`` on a mini project: the exit code and the lines of stderr."""
    result = mini.run("check")
    return result.exit_code, result.stderr.strip().splitlines()


def structure_nodes(root, kind: str, max_depth: int = 60) -> list:
    """Every node of structure type ``kind`` (e.g. "/Figure") in a tagged PDF's structure tree.

    ``root`` is the document catalogue (``reader.trailer["/Root"]``).
    """
    found = []

    def walk(node, depth: int) -> None:
        node = node.get_object()
        if depth > max_depth or not hasattr(node, "get"):
            return
        if node.get("/S") == kind:
            found.append(node)
        kids = node.get("/K")
        for kid in (kids if isinstance(kids, list) else [kids]) if kids is not None else []:
            walk(kid, depth + 1)

    walk(root["/StructTreeRoot"], 0)
    return found


def variant_ids(root) -> list[str]:
    """The variants of the project in ``root``, as the project lists them (``leaflet-gen list``):
    tests count and name leaflets from the project's data, so a new variant breaks none of them."""
    from leaflet_gen import api

    return api.list_project(root)["Variants"]


def panelled(root, variant: str) -> bool:
    """Whether ``variant`` is laid out in panels (folded or cut sheets), as its variant file says."""
    from leaflet_gen.content.project import Project

    return bool(Project.open(root).load_variant(variant).panels)


def extra_variants(root) -> list[str]:
    """The variants beyond the settings' default ones (what `build --all` adds to the default set)."""
    from leaflet_gen import api

    defaults = api.project_settings(root).default_variants
    return [v for v in variant_ids(root) if v not in defaults]


def same_pdf(pdf: bytes) -> bytes:
    """The PDF less what WeasyPrint makes new for every PDF it writes: the XMP document id (a
    random UUID) and the trailer's /ID drawn from it (the build's finish sets both)."""
    pdf = re.sub(rb"xmp\.(did|iid):[0-9a-f-]{36}", b"xmp.did:", pdf)
    return re.sub(rb"/ID \[\([0-9a-f]{32}\) \([0-9a-f]{32}\)\]", b"/ID []", pdf)
