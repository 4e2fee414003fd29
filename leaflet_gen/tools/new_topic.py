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
from leaflet_gen.content.schema import ID_MAX, SLUG_RE, ShortText
from leaflet_gen.content.validate import schema_check
from leaflet_gen.errors import LeafletError, ValidationFailed
from leaflet_gen.files import NAME_MAX, write_atomic

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


def check_id(project: Project, topic_id: str) -> None:
    """Refuse an id that is no slug, or too long for the file names of the topic's leaflets."""
    if not SLUG_RE.fullmatch(topic_id):
        raise LeafletError(f'topic id "{topic_id}": expected lower-case letters, digits and hyphens, '
                           'like "nekpijn" or "knie-artrose"')
    # The longest file a build writes for it: <topic>-<audience>-<variant>.job.json in the output folder.
    suffix = max(len(f"-{a}-{v}.job.json") for a in project.settings.audience_ids for v in project.variant_ids() or [""])
    limit = min(ID_MAX, NAME_MAX - suffix)
    if len(topic_id) > limit:
        shown = topic_id if len(topic_id) <= 40 else topic_id[:40] + "..."
        raise LeafletError(f'topic id "{shown}" has {len(topic_id)} characters; at most {limit} fit: it names the '
                           "topic's folder and every leaflet's files (a file name has at most 255 bytes); choose a "
                           "shorter id")


def check_title(project: Project, title: str) -> str:
    """The cover title (--title), checked as ``check`` will check it in topic.yaml: length, characters."""
    problem = project.unprintable_text(title)
    if problem is None:
        try:
            return schema_check(ShortText)(title)
        except ValueError as exc:
            problem = str(exc)
    raise LeafletError(f"--title: {problem}")


def scaffold(project: Project, topic_id: str, title: str | None = None, today: dt.date | None = None) -> list[Path]:
    """Write content/<topic_id>/ and return its files; it is loaded back as a build would load it."""
    check_id(project, topic_id)
    folder = project.root / "content" / topic_id
    if folder.exists():
        raise LeafletError(f"{project.rel(folder)}/ already exists: choose another id, or edit that topic")
    today = today or dt.date.today()
    # Made from the id when not given: a slug of at most ID_MAX characters is always a valid title.
    title = topic_id.replace("-", " ").capitalize() if title is None else check_title(project, title)
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
