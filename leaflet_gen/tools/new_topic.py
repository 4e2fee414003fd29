"""``leaflet-gen new-topic ID``: scaffold a topic folder, so a new leaflet starts from a valid file.

Writes ``content/<id>/topic.yaml`` with a comment on every key and one section per audience of
the project (``<audience>-inleiding.yaml``, a sentence in the audience's voice). The topic is a
concept: it builds, with the CONCEPT mark, and ``check`` passes with warnings, so the editor
replaces the placeholders while watching the result (``leaflet-gen serve``). Every file starts
with its schema line, so an editor with yaml-language-server checks it while it is typed.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import yaml

from leaflet_gen.content.jsonschemas import modeline
from leaflet_gen.content.project import Project
from leaflet_gen.content.schema import SLUG_RE
from leaflet_gen.errors import LeafletError, ValidationFailed
from leaflet_gen.files import write_atomic

# A first sentence in each voice: valid, in B1, and obviously a placeholder.
PLACEHOLDER = {"je": "Hier lees je straks wat je zelf kunt doen. Schrijf korte zinnen.",
               "u": "Hier leest u straks wat u zelf kunt doen. Schrijf korte zinnen."}
SUBTITLE = {"je": "Informatie en tips voor jou", "u": "Informatie en tips voor u"}


def _q(value: str) -> str:
    return yaml.safe_dump(value, allow_unicode=True, default_style='"', width=float("inf")).strip()


def _next_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def topic_yaml(project: Project, path: Path, topic_id: str, title: str, today: dt.date) -> str:
    lines = [
        modeline(project.root, path, "topic"),
        f"# Topic made with `leaflet-gen new-topic {topic_id}`. Replace the placeholders, then run:",
        "#   leaflet-gen check        (the language check and review dates)",
        "#   leaflet-gen serve --open (every leaflet, rebuilt as you save)",
        "# Format: docs/content-format.md and docs/adding-a-topic.md.",
        "",
        f"id: {topic_id}                      # must equal the folder name",
        f"title: {_q(title)}                  # cover title",
        'version: "0.1"                       # content version, printed in the colophon',
        "status: concept                      # concept (a CONCEPT mark on every page) | approved",
        '# approved_by: "Werkgroep patiëntenvoorlichting"   # required when approved',
        f"# approved_on: {today.isoformat()}                  # required when approved",
        f"last_review: {today.isoformat()}                  # also the leaflet's printed date",
        f"next_review: {_next_year(today).isoformat()}                  # check warns after this date",
        "audiences:                           # one entry per audience in leaflet-gen.yml that gets this leaflet",
    ]
    for audience in project.settings.audiences:
        sid = f"{audience.id}-inleiding"
        lines += [
            f"  {audience.id}:                    # {audience.name}, {audience.voice}-voice",
            f"    subtitle: {_q(SUBTITLE[audience.voice])}   # under the title on the cover",
            "    cover: []                        # short sections on the front cover",
            "    flow:                            # sections that run through the inside panels, in order",
            f"      - {sid}",
            "    back: []                         # short sections on the back panel",
            "    sources:                         # the guidelines the text is based on",
            '      - "Vul hier de bron in (richtlijn of standaard)"',
        ]
    return "\n".join(lines) + "\n"


def section_yaml(project: Project, path: Path, voice: str) -> str:
    return "\n".join([
        modeline(project.root, path, "section"),
        "# One section of the leaflet; its file name is its id in topic.yaml. Block types:",
        "# paragraph, list, summary, infobox, tip, links, notes (docs/content-format.md).",
        "title: Inleiding",
        "blocks:",
        "  - type: paragraph",
        f"    text: {_q(PLACEHOLDER[voice])}",
    ]) + "\n"


def scaffold(project: Project, topic_id: str, title: str | None = None, today: dt.date | None = None) -> list[Path]:
    """Write content/<topic_id>/ and return its files; it is loaded back as a build would load it."""
    if not SLUG_RE.fullmatch(topic_id):
        raise LeafletError(f'topic id "{topic_id}": expected lower-case letters, digits and hyphens, '
                           'like "nekpijn" or "knie-artrose"')
    folder = project.root / "content" / topic_id
    if folder.exists():
        raise LeafletError(f"{project.rel(folder)}/ already exists: choose another id, or edit that topic")
    today = today or dt.date.today()
    title = title or topic_id.replace("-", " ").capitalize()
    files = {folder / "topic.yaml": None}
    files.update({folder / f"{a.id}-inleiding.yaml": a.voice for a in project.settings.audiences})
    folder.mkdir(parents=True)
    try:
        for path, voice in files.items():
            text = topic_yaml(project, path, topic_id, title, today) if voice is None else section_yaml(project, path, voice)
            write_atomic(path, text.encode("utf-8"))
        Project(project.root).load_topic(topic_id)  # a fresh project: nothing cached
    except ValidationFailed as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise LeafletError(f"the scaffolded topic does not validate (a bug in new-topic):\n{exc}") from None
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return list(files)
