"""What the renderer may read for a leaflet: declared once, for the URL fetcher and the input key.

The layout engine serves only these files to WeasyPrint (:func:`leaflet_gen.layout.templates.render_request`),
and a leaflet's input key hashes exactly them (:mod:`leaflet_gen.pipeline.inputs`): the renderer
reads nothing the key misses.
"""

from __future__ import annotations

from pathlib import Path

from leaflet_gen.fingerprint import tree

# Folders whose every file the renderer may read (the practice's folder is added per leaflet).
# From styles/ only the leaflet's own stylesheet chain and the files that are not stylesheets
# (images a stylesheet may use): a change to another variant's stylesheet rebuilds only that one.
RESOURCE_FOLDERS = ("templates", "fonts")


def resource_roots(root: Path, stylesheets: list[Path], practice_folder: Path,
                   icc_profile: Path | None) -> tuple[Path, ...]:
    """The project's resource folders, the leaflet's stylesheet chain and the other files in
    styles/, the practice's folder and the ICC profile (the one file, wherever it was configured)."""
    styles = root / "styles"
    assets = [p for p in tree(styles) if p.suffix != ".css"] if styles.is_dir() else []
    return (*(root / folder for folder in RESOURCE_FOLDERS), *stylesheets, *assets, practice_folder,
            *([icc_profile] if icc_profile is not None else []))
