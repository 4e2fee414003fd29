"""A topic's sections from its page in the studio: a new section, a section renamed, a section moved.

Each change writes the section file(s) and topic.yaml (a ruamel round trip: comments, order and
quoting kept; every write atomic) and is refused, with nothing written, when it would break the
topic: an id taken or not valid, a section that a translation file refers to. What it does to the
fit is measured on the leaflet the studio builds anyway (the tri-fold of the first practice that
hands the audience out): the mm left or over per panel before and after, as the leaflet page's
"Past de tekst?" shows them.
"""

from __future__ import annotations

import io
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from leaflet_gen.content.loaded import SOURCE_LANGUAGE
from leaflet_gen.content.schema import ID_MAX, SLUG_RE
from leaflet_gen.i18n import msg, translate
from leaflet_gen.studio import core_content
from leaflet_gen.studio.labels import panel_name
from leaflet_gen.studio.refusals import Refused, writing

PARTS = ("cover", "flow", "back")
SKELETON = ('# yaml-language-server: $schema=../../schemas/section.schema.json\n'
            'title: "{title}"\n'
            'blocks:\n'
            '  - type: paragraph\n'
            '    text: "{text}"\n')
WAIT_S = 90.0  # the longest a change waits for the leaflet's new build (it takes ~1-3 s)


def _yaml():
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _topic_file(project, topic_id: str) -> Path:
    folder = core_content.topic_folder(project, topic_id)
    if folder is None:
        raise Refused(msg("There is no topic \"%(topic)s\".", topic=topic_id), 404)
    return folder / "topic.yaml"


def _load(path: Path):
    yaml = _yaml()
    try:
        text = path.read_text(encoding="utf-8")
        return yaml, yaml.load(text), text
    except Exception as exc:  # noqa: BLE001 - a topic.yaml that does not parse: said, nothing written
        raise Refused(msg("topic.yaml cannot be read (%(error)s); fix it in a text editor first.",
                          error=str(exc).splitlines()[0] if str(exc) else type(exc).__name__), 422) from None


def _dump(yaml, document) -> str:
    out = io.StringIO()
    yaml.dump(document, out)
    return out.getvalue()


def _audience(document, audience: str):
    entry = (document.get("audiences") or {}).get(audience)
    if entry is None:
        raise Refused(msg("The topic has no audience \"%(audience)s\".", audience=audience), 404)
    return entry


def valid_new_id(project, topic_id: str, section_id: str) -> str:
    section_id = section_id.strip()
    if not SLUG_RE.fullmatch(section_id) or len(section_id) > ID_MAX or section_id in ("topic", "claims"):
        raise Refused(msg("\"%(id)s\" cannot be a section id: use lower-case letters, digits and single "
                               "hyphens, at most %(max)s characters, e.g. fysio-klachten.", id=section_id,
                               max=ID_MAX), 400)
    folder = core_content.topic_folder(project, topic_id)
    if os.path.lexists(folder / f"{section_id}.yaml"):
        raise Refused(msg("The section id \"%(id)s\" is already taken in this topic (content/%(topic)s/"
                               "%(id)s.yaml); choose another.", id=section_id, topic=topic_id), 409)
    return section_id


Changes = dict[Path, tuple[str, str]]  # file -> (text before, text after; "" : none), as the history keeps it


def new_section(project, topic_id: str, audience: str, part: str, section_id: str, title: str) -> Changes:
    """A section file with a valid skeleton (its title and one paragraph to replace), added at the
    end of ``part`` of the audience's leaflet; returns the files written."""
    path = _topic_file(project, topic_id)
    if part not in PARTS:
        raise Refused(msg("Choose where the section goes: cover, flow or back."), 400)
    section_id = valid_new_id(project, topic_id, section_id)
    title = " ".join(title.split())
    if not title:
        raise Refused(msg("Give the section a title."), 400)
    yaml, document, before = _load(path)
    entry = _audience(document, audience)
    if part not in entry:
        from ruamel.yaml.comments import CommentedSeq

        entry[part] = CommentedSeq()
    entry[part].append(section_id)
    # The placeholder is content: in the language the content is written in, whatever the studio speaks.
    text = SKELETON.format(title=_quoted(title), text=_quoted(translate(msg("Write the text of this section here."),
                                                                        SOURCE_LANGUAGE)))
    section_file = path.parent / f"{section_id}.yaml"
    after = _dump(yaml, document)
    with writing(f"content/{topic_id}/"):
        core_content.write_atomic(section_file, text.encode("utf-8"))
        core_content.write_atomic(path, after.encode("utf-8"))  # last: it is what prints the section
    return {section_file: ("", text), path: (before, after)}


def _quoted(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def rename_section(project, topic_id: str, old_id: str, new_id: str) -> Changes:
    """The section file renamed and every reference to it in topic.yaml with it; returns the files."""
    path = _topic_file(project, topic_id)
    old = core_content.section_path(project, topic_id, old_id)
    if old is None:
        raise Refused(msg("There is no section \"%(id)s\" in this topic.", id=old_id), 404)
    new_id = valid_new_id(project, topic_id, new_id)
    for xliff in sorted((path.parent / "translations").glob("*.xlf")) if (path.parent / "translations").is_dir() else []:
        if old_id in xliff.read_text(encoding="utf-8", errors="replace"):
            raise Refused(msg("Not renamed: the translation %(file)s refers to \"%(id)s\". Rename it where the "
                                   "translations are made, or export them again after renaming in a text editor.",
                                   file=f"content/{topic_id}/translations/{xliff.name}", id=old_id), 409)
    yaml, document, before = _load(path)
    for entry in (document.get("audiences") or {}).values():
        for part in PARTS:
            items = entry.get(part) if entry else None
            if items is not None:
                for i, sid in enumerate(items):
                    if sid == old_id:
                        items[i] = type(sid)(new_id) if isinstance(sid, str) else new_id
    new = path.parent / f"{new_id}.yaml"
    after, section_text = _dump(yaml, document), old.read_text(encoding="utf-8")
    with writing(f"content/{topic_id}/"):
        core_content.write_atomic(new, section_text.encode("utf-8"))  # first: topic.yaml never names a missing file
        core_content.write_atomic(path, after.encode("utf-8"))
        os.unlink(old)
    return {old: (section_text, ""), new: ("", section_text), path: (before, after)}


def move_section(project, topic_id: str, audience: str, section_id: str, direction: str) -> Changes:
    """The section one place up or down in its part (cover, flow or back) of the audience's leaflet."""
    path = _topic_file(project, topic_id)
    yaml, document, before = _load(path)
    entry = _audience(document, audience)
    for part in PARTS:
        items = entry.get(part)
        if items is not None and section_id in items:
            break
    else:
        raise Refused(msg("The section \"%(id)s\" is not in this audience's leaflet.", id=section_id), 404)
    at = list(items).index(section_id)
    to = at - 1 if direction == "up" else at + 1 if direction == "down" else None
    if to is None:
        raise Refused(msg("Move up or down."), 400)
    if not 0 <= to < len(items):
        raise Refused(msg("\"%(id)s\" is already the first of its part.", id=section_id) if to < 0 else
                           msg("\"%(id)s\" is already the last of its part.", id=section_id), 409)
    items[at], items[to] = items[to], items[at]
    after = _dump(yaml, document)
    with writing(f"content/{topic_id}/"):
        core_content.write_atomic(path, after.encode("utf-8"))
    return {path: (before, after)}


def say_new(section_id: str, audience: str) -> str:
    return msg("New section \"%(id)s\" added to the leaflet for %(audience)s; write its text.",
                    id=section_id, audience=audience)


def say_renamed(old_id: str, new_id: str) -> str:
    return msg("Section \"%(old)s\" renamed to \"%(new)s\" (its file and topic.yaml).", old=old_id, new=new_id)


def say_moved(section_id: str, direction: str) -> str:
    if direction == "up":
        return msg("Section \"%(id)s\" moved up.", id=section_id)
    return msg("Section \"%(id)s\" moved down.", id=section_id)


# --- what a change does to the fit -----------------------------------------------------------------


@dataclass
class FitChange:
    """The fit of one leaflet before and after a change: per panel (label, mm before, mm after);
    mm below zero is over. ``after`` empty: the new build did not finish in time."""

    leaflet: str  # its key
    name: str  # how the page names it
    rows: list[tuple[str, float | None, float | None]] = field(default_factory=list)
    done: bool = False


def measured_leaflet(studio, topic_id: str, audience: str):
    """The catalogue's tri-fold of the first practice that hands the audience out (else any variant)."""
    found = None
    for entry in studio.ordered():
        lid = entry.lid
        if lid.topic == topic_id and lid.audience == audience and not entry.gone:
            if found is None or found.lid.variant != "trifold" and lid.variant == "trifold":
                found = entry
    return found


def fit_of(entry) -> dict[str, tuple[str, float | None]]:
    """Panel id -> (its name, mm left; below zero: over), from the last build (as pages.fit_rows)."""
    good = entry.good
    geometry = good.built.geometry if good else None
    if geometry is None:
        return {}
    over = entry.failure.overflow if entry.failure else None
    out = {}
    for panel in geometry.panels:
        if over is not None and over.panel == panel.id:
            out[panel.id] = (panel_name(panel.id, panel.label), -float(over.mm))
        else:
            out[panel.id] = (panel_name(panel.id, panel.label), good.built.space_left.get(panel.id))
    return out


def wait_built(studio, key: str, after: int, timeout: float = WAIT_S) -> bool:
    """Until the leaflet ``key`` finished a build asked for after build ``after``; False on timeout."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        entry = studio.get(key)
        if entry is None:
            return False
        if entry.done > after and not entry.pending and not entry.building:
            return True
        time.sleep(0.05)
    return False


def change_fit(studio, entry, before: dict, paths) -> FitChange | None:
    """Tell the studio the files changed, wait for the leaflet's next build, and compare."""
    key, done = entry.lid.key, entry.done
    studio.changed(set(paths))
    finished = wait_built(studio, key, done)
    now = studio.get(key)
    after = fit_of(now) if finished and now is not None else {}
    panels = {pid: label for pid, (label, _) in {**after, **before}.items()}  # before: nothing built yet
    rows = [(label, (before.get(pid) or (None, None))[1], (after.get(pid) or (None, None))[1])
            for pid, label in panels.items()]
    return FitChange(key, now.title if now else key, rows, finished)
