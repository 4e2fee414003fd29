"""The Arabic tri-fold of the right-to-left tests, built the way `leaflet-gen build --language ar`
builds it: resolve (the Dutch content with content/lage-rugpijn/translations/ar.xlf in its place),
prepare (compose), produce."""

from __future__ import annotations

from pathlib import Path

from leaflet_gen.content.project import Project
from leaflet_gen.layout.compose import Leaflet
from leaflet_gen.pipeline.build import Job, prepare, produce, resolve

ROOT = Path(__file__).resolve().parents[2]
PRACTICES = {"fysiotherapie": "fysio-delinde", "orthopedie": "ortho-stanna"}


def arabic_trifold(audience: str, variant: str = "trifold", language: str = "ar") -> tuple[Leaflet, bytes]:
    """The tri-fold of ``audience``'s shipped practice in ``language`` (Arabic unless said): the
    composed leaflet and its PDF."""
    project = Project.open(ROOT)
    resolved = resolve(project, Job.of(ROOT / "practices" / PRACTICES[audience], "lage-rugpijn", audience, variant,
                                       language))
    prepared = prepare(project, resolved)
    return prepared.leaflet, produce(prepared).pdf
