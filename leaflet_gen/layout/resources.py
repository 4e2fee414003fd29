"""What the renderer may read for a leaflet: declared once, for the URL fetcher and the input key.

The layout engine serves only these files to WeasyPrint (:func:`leaflet_gen.layout.templates.render_request`),
and a leaflet's input key hashes exactly them (:mod:`leaflet_gen.pipeline.inputs`): the renderer
reads nothing the key misses.
"""

from __future__ import annotations

from pathlib import Path

from leaflet_gen import theme

# Folders whose every file the renderer may read (the practice's folder is added per leaflet).
# The theme's files are the ones the project uses, each its own or the built-in one (see
# leaflet_gen.theme): every template; from styles/ only the leaflet's own stylesheet chain and
# the files that are not stylesheets (images a stylesheet may use): a change to another
# variant's stylesheet rebuilds only that one.
RESOURCE_FOLDERS = ("fonts",)


def resource_roots(root: Path, stylesheets: list[Path], practice_folder: Path,
                   icc_profile: Path | None) -> tuple[Path, ...]:
    """The templates the project uses (an override in its templates/, else the built-in file), its
    resource folders, its stylesheet chain and the other files of styles/ (likewise), the
    practice's folder and the ICC profile (the one file, wherever it was configured)."""
    templates = theme.view(root, "templates").values()
    assets = [path for name, path in theme.view(root, "styles").items() if not name.endswith(".css")]
    return (*templates, *(root / folder for folder in RESOURCE_FOLDERS), *stylesheets, *assets, practice_folder,
            *([icc_profile] if icc_profile is not None else []))
