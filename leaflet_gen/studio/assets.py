"""The studio's stylesheet and scripts (``studio/static/``), served under names that hold a hash
of their content (``/static/studio.3f2a9c1b04de.js``).

A browser may then keep each file for a year without asking again: a changed file has another
name, which the pages link to. The files are read once per process, like the studio's Python
code: restart ``leaflet-gen serve`` after editing them. A URL is looked up in this table, never
joined into a file path.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

FOLDER = Path(__file__).with_name("static")
MEDIA_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}
CACHE_CONTROL = "private, max-age=31536000, immutable"  # the name changes with the content


@dataclass(frozen=True)
class Asset:
    name: str  # in static/, e.g. "studio.js"
    url: str  # what pages link to, e.g. "/static/studio.3f2a9c1b04de.js"
    data: bytes
    media_type: str
    etag: str  # the content's hash, quoted as HTTP wants it


def read(folder: Path = FOLDER) -> dict[str, Asset]:
    """Every stylesheet and script of ``folder``, by its name in the folder."""
    out = {}
    for path in sorted(folder.iterdir()):
        if path.suffix not in MEDIA_TYPES or not path.is_file():
            continue
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()[:12]
        out[path.name] = Asset(path.name, f"/static/{path.stem}.{digest}{path.suffix}", data,
                               MEDIA_TYPES[path.suffix], f'"{digest}"')
    return out


@functools.cache
def assets() -> dict[str, Asset]:
    return read()


@functools.cache
def by_url() -> dict[str, Asset]:
    """The assets by the last part of their URL ("studio.3f2a9c1b04de.js")."""
    return {asset.url.rsplit("/", 1)[1]: asset for asset in assets().values()}


def url(name: str) -> str:
    """The URL of ``static/<name>`` for a page to link to (a KeyError names a file that is not there)."""
    return assets()[name].url
