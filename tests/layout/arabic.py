"""An Arabic tri-fold for the right-to-left tests: the shipped content with the stored Arabic
translation (content/lage-rugpijn/translations/ar.xlf) put in its place, composed with
language="ar". A stand-in for `build --language ar` (issue 33's language dimension), built from the
same pieces: resolve, compose, produce."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from leaflet_gen.content.loaded import LoadedTopic
from leaflet_gen.content.project import Project
from leaflet_gen.content.translations import read_stored
from leaflet_gen.layout.compose import Leaflet, compose
from leaflet_gen.pipeline.build import Job, produce, resolve

ROOT = Path(__file__).resolve().parents[2]
PRACTICES = {"fysiotherapie": "fysio-delinde", "orthopedie": "ortho-stanna"}


def translated(topic: LoadedTopic, targets: dict[str, str]) -> LoadedTopic:
    """``topic`` with each text replaced by its target (unit id -> text; see translations.source_units)."""
    def text(uid: str, source: str) -> str:
        return targets[f"{topic.id}/{uid}"] or source

    data = topic.data.model_copy(update={
        "title": text("topic/title", topic.data.title),
        "audiences": {aud: entry.model_copy(update={"subtitle": text(f"topic/audiences.{aud}.subtitle", entry.subtitle)})
                      for aud, entry in topic.data.audiences.items()}})
    sections = {}
    for sid, section in topic.sections.items():
        blocks = []
        for b, block in enumerate(section.blocks):
            where = f"{sid}/blocks[{b}]"
            update = {key: text(f"{where}.{key}", getattr(block, key)) for key in ("title", "text")
                      if getattr(block, key, None)}
            items = getattr(block, "items", None)
            if items:
                update["items"] = [text(f"{where}.items[{i}]", item) if isinstance(item, str)
                                   else item.model_copy(update={"label": text(f"{where}.items[{i}].label", item.label)})
                                   for i, item in enumerate(items)]
            blocks.append(block.model_copy(update=update))
        title = text(f"{sid}/title", section.title) if section.title else section.title
        sections[sid] = section.model_copy(update={"title": title, "blocks": blocks})
    return dataclasses.replace(topic, data=data, sections=sections)


def arabic_trifold(audience: str, variant: str = "trifold") -> tuple[Leaflet, bytes]:
    """The Arabic tri-fold of ``audience``'s shipped practice: the composed leaflet and its PDF."""
    project = Project.open(ROOT)
    resolved = resolve(project, Job(ROOT / "practices" / PRACTICES[audience], "lage-rugpijn", audience, variant))
    targets = {u.id: u.target for u in read_stored(resolved.topic, "ar", ROOT).units}
    leaflet = compose(translated(resolved.topic, targets), audience, resolved.practice, resolved.print_variant(),
                      resolved.icc_profile, icons_dir=project.icon_folders(), language="ar")
    return leaflet, produce(project, leaflet).pdf
