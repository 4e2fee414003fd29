"""Helpers several test modules share (fixtures live in conftest.py)."""

from __future__ import annotations


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
