"""Translation files: ``content/<topic>/translations/<language>.xlf`` (XLIFF 1.2; docs/translations.md).

Dutch is the source. Every text field a leaflet prints is one *unit* with a stable id
(``<topic>/<section>/blocks[2].items[1]``, ``<topic>/topic/title``), its Dutch source, a hash of the
source the target was made from (``extradata``), a target and a state. The states are XLIFF 1.2's own
``state`` values of ``<target>``:

- ``new``: no translation yet;
- ``needs-review-translation``: translated, but the Dutch source changed since;
- ``translated``: translated, not approved;
- ``signed-off``: approved by a reviewer; the trans-unit has ``approved="yes"`` and a ``phase-name``
  that names a ``<phase>`` of the header with who (``contact-name``) and when (``date``).

This module reads and writes those files (reading is defused: bounded size, no DTD, no entities) and
checks a translated unit against its source: its numbers, web addresses, markup and placeholders must
be the same.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from leaflet_gen.errors import LeafletError

if TYPE_CHECKING:
    from leaflet_gen.content.loaded import LoadedTopic

XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
SOURCE_LANGUAGE = "nl"
FOLDER = "translations"
MAX_BYTES = 16 * 1024 * 1024
NEW, REVIEW, TRANSLATED, SIGNED_OFF = "new", "needs-review-translation", "translated", "signed-off"
STATES = (NEW, REVIEW, TRANSLATED, SIGNED_OFF)
LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*\Z")

_Q = "{" + XLIFF_NS + "}"
_DIGITS = re.compile(r"\d+")
_URL = re.compile(r"(?:https?://|mailto:|tel:|www\.)[^\s<>()\[\]\"']+", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"\{\{[^{}]*\}\}|\{[^{}]*\}|%\([A-Za-z_]\w*\)[sd]|%[sd]")
_LINK = re.compile(r"\[[^\]]*\]\(([^)]*)\)")


@dataclass(frozen=True)
class Unit:
    """One text field: its id, Dutch source, the hash of the source its target translates, the
    target and the state; ``phase``: the approval (a phase of the file's header) of a signed-off unit."""

    id: str
    source: str
    hash: str
    target: str = ""
    state: str = NEW
    phase: str = ""


@dataclass(frozen=True)
class Phase:
    """An approval: who and when (``<phase>`` in the header)."""

    name: str
    by: str
    date: str  # ISO 8601, UTC


@dataclass
class TranslationFile:
    """One ``<file>`` of an XLIFF document: a topic in one language."""

    topic: str
    language: str
    units: list[Unit]
    phases: dict[str, Phase]


def source_hash(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def stored_path(topic: LoadedTopic, language: str) -> Path:
    return topic.folder / FOLDER / f"{language}.xlf"


def check_language(language: str) -> str:
    if not LANGUAGE.match(language or ""):
        raise LeafletError(f'"{language}" is not a language code: give one like en, tr, ar, pl or pt-BR')
    if language.split("-")[0] == SOURCE_LANGUAGE:
        raise LeafletError(f'"{language}" is the source language: Dutch is not translated')
    return language


# --- the units of a topic ------------------------------------------------------------------------


def source_units(topic: LoadedTopic) -> list[tuple[str, str]]:
    """(id, Dutch text) of every text field the topic's leaflets print, in a stable order: the
    topic's title and subtitles, then each section (by id) field by field."""
    data = topic.data
    found = [(f"{topic.id}/topic/title", data.title)]
    found += [(f"{topic.id}/topic/audiences.{aud}.subtitle", entry.subtitle) for aud, entry in data.audiences.items()]
    for sid in sorted(topic.sections):
        section = topic.sections[sid]
        base = f"{topic.id}/{sid}/"
        if section.title:
            found.append((base + "title", section.title))
        for b, block in enumerate(section.blocks):
            where = f"{base}blocks[{b}]"
            if getattr(block, "title", None):
                found.append((f"{where}.title", block.title))
            if getattr(block, "text", None):
                found.append((f"{where}.text", block.text))
            for i, item in enumerate(getattr(block, "items", None) or []):
                if isinstance(item, str):
                    found.append((f"{where}.items[{i}]", item))
                else:
                    found.append((f"{where}.items[{i}].label", item.label))
    return found


def current_units(topic: LoadedTopic, stored: list[Unit]) -> list[Unit]:
    """The topic's units now, with what ``stored`` (the translation file) knows of them: a target
    whose source is unchanged keeps its state; one whose source changed needs review; a text moved
    to another id (a block inserted above it) or said twice takes the translation of that text along
    (translated, to approve in its place); a unit no longer in the source is dropped."""
    by_id = {u.id: u for u in stored}
    by_hash = {u.hash: u for u in stored if u.target and u.state != NEW}
    units = []
    for uid, text in source_units(topic):
        digest = source_hash(text)
        old = by_id.get(uid)
        if old is not None and old.target and old.hash == digest:
            units.append(replace(old, source=text))
        elif digest in by_hash:  # the same text elsewhere (moved, or said twice): its translation, to approve here
            units.append(replace(by_hash[digest], id=uid, source=text, state=TRANSLATED, phase=""))
        elif old is not None and old.target:
            units.append(replace(old, source=text, state=REVIEW, phase=""))
        else:
            units.append(Unit(uid, text, digest))
    return units


# --- checking a target against its source --------------------------------------------------------


def _numbers(text: str) -> list[str]:
    return sorted("".join(str(unicodedata.digit(c)) for c in m) for m in _DIGITS.findall(text))


def _urls(text: str) -> list[str]:
    return sorted(u.rstrip(".,;:!?") for u in _URL.findall(text))


def _markup(text: str) -> list[str]:
    bold = text.count("**")
    italic = text.replace("**", "").count("*")
    links = len(_LINK.findall(text))
    return [f"{bold} x **", f"{italic} x *", f"{links} link(s) [..](..)"]


def _placeholders(text: str) -> list[str]:
    return sorted(_PLACEHOLDER.findall(text))


_KEPT = (("numbers differ", _numbers), ("web addresses differ", _urls), ("markup differs", _markup),
         ("placeholders differ", _placeholders))


def differences(source: str, target: str) -> list[str]:
    """What a translation changed that it must keep: numbers (a dose), web addresses, markup and
    placeholders; [] when it kept them all."""
    found = []
    for what, take in _KEPT:
        want, got = take(source), take(target)
        if Counter(want) != Counter(got):
            found.append(f"the {what}: the Dutch source has {_show(want)}, the translation {_show(got)}")
    return found


def _show(values: list[str]) -> str:
    return ", ".join(values) if values else "none"


# --- XLIFF 1.2: writing --------------------------------------------------------------------------


def write_xliff(files: list[TranslationFile]) -> bytes:
    """An XLIFF 1.2 document with one ``<file>`` per topic."""
    import xml.etree.ElementTree as ET

    root = ET.Element(_Q + "xliff", {"version": "1.2"})
    for tf in files:
        file_el = ET.SubElement(root, _Q + "file", {
            "original": f"content/{tf.topic}", "source-language": SOURCE_LANGUAGE, "target-language": tf.language,
            "datatype": "plaintext", "tool-id": "leaflet-gen"})
        header = ET.SubElement(file_el, _Q + "header")  # XLIFF 1.2's order: phase-group before tool
        used = sorted({u.phase for u in tf.units if u.phase and u.phase in tf.phases})
        if used:
            group = ET.SubElement(header, _Q + "phase-group")
            for name in used:
                phase = tf.phases[name]
                ET.SubElement(group, _Q + "phase", {"phase-name": name, "process-name": "approval",
                                                     "contact-name": phase.by, "date": phase.date})
        ET.SubElement(header, _Q + "tool", {"tool-id": "leaflet-gen", "tool-name": "leaflet-gen"})
        body = ET.SubElement(file_el, _Q + "body")
        for unit in tf.units:
            attrs = {"id": unit.id, "resname": unit.id, "extradata": unit.hash}
            if unit.state == SIGNED_OFF and unit.phase in tf.phases:
                attrs |= {"approved": "yes", "phase-name": unit.phase}
            unit_el = ET.SubElement(body, _Q + "trans-unit", attrs)
            unit_el.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            ET.SubElement(unit_el, _Q + "source").text = unit.source
            ET.SubElement(unit_el, _Q + "target", {"state": unit.state}).text = unit.target
    ET.register_namespace("", XLIFF_NS)
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


# --- XLIFF 1.2: reading --------------------------------------------------------------------------


class BadXliff(LeafletError):
    """A translation file that is not XLIFF 1.2 as leaflet-gen writes it."""


def read_xliff(data: bytes, shown: str) -> list[TranslationFile]:
    """The files of an XLIFF 1.2 document: no DTD, no entities, at most :data:`MAX_BYTES`."""
    import defusedxml
    import defusedxml.ElementTree as DET

    if len(data) > MAX_BYTES:
        raise BadXliff(f"{shown}: is larger than {MAX_BYTES // (1024 * 1024)} MB; a translation file of a topic is far "
                       "smaller: is it the right file?")
    try:
        root = DET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DefusedXmlException as exc:
        raise BadXliff(f"{shown}: refused: the file has a DTD or entities ({type(exc).__name__}); XLIFF needs "
                       "neither: export it again from the translation tool") from None
    except DET.ParseError as exc:
        raise BadXliff(f"{shown}: is not well-formed XML ({exc})") from None
    if root.tag != _Q + "xliff" or root.get("version") != "1.2":
        raise BadXliff(f"{shown}: is not an XLIFF 1.2 document (expected <xliff version=\"1.2\" xmlns=\"{XLIFF_NS}\">)")
    files = []
    for file_el in root.findall(_Q + "file"):
        files.append(_read_file(file_el, shown))
    if not files:
        raise BadXliff(f"{shown}: has no <file> element")
    return files


def _read_file(file_el, shown: str) -> TranslationFile:
    original = file_el.get("original", "")
    topic = original.removeprefix("content/")
    if not original.startswith("content/") or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", topic):
        raise BadXliff(f'{shown}: <file original="{original}">: expected content/<topic>, as leaflet-gen exports it')
    if file_el.get("source-language") != SOURCE_LANGUAGE:
        raise BadXliff(f'{shown}: <file original="{original}">: the source language is '
                       f'"{file_el.get("source-language")}", expected "{SOURCE_LANGUAGE}" (Dutch)')
    language = file_el.get("target-language", "")
    if not LANGUAGE.match(language) or language.split("-")[0] == SOURCE_LANGUAGE:
        raise BadXliff(f'{shown}: <file original="{original}">: target-language "{language}" is not a language code '
                       "other than Dutch")
    phases = {}
    for phase in file_el.iterfind(f"{_Q}header/{_Q}phase-group/{_Q}phase"):
        name = phase.get("phase-name", "")
        phases[name] = Phase(name, phase.get("contact-name", ""), phase.get("date", ""))
    units, seen = [], set()
    for unit_el in file_el.iterfind(f"{_Q}body//{_Q}trans-unit"):
        uid = unit_el.get("id", "")
        if not uid.startswith(f"{topic}/") or uid in seen:
            raise BadXliff(f'{shown}: trans-unit "{uid}": ' + ("appears twice" if uid in seen
                                                               else f'is not a unit of topic "{topic}"'))
        seen.add(uid)
        source_el, target_el = unit_el.find(_Q + "source"), unit_el.find(_Q + "target")
        if source_el is None:
            raise BadXliff(f'{shown}: trans-unit "{uid}": has no <source>')
        source = _plain(source_el, shown, uid)
        target = _plain(target_el, shown, uid) if target_el is not None else ""
        state = target_el.get("state", NEW) if target_el is not None else NEW
        if state not in STATES:
            state = TRANSLATED if target.strip() else NEW  # another tool's state (final, needs-adaptation, ...)
        if not target.strip():
            state, target = NEW, ""
        phase = unit_el.get("phase-name", "") if state == SIGNED_OFF else ""
        units.append(Unit(uid, source, unit_el.get("extradata") or source_hash(source), target, state, phase))
    return TranslationFile(topic, language, units, phases)


def _plain(element, shown: str, uid: str) -> str:
    if len(element):
        raise BadXliff(f'{shown}: trans-unit "{uid}": <{element.tag.removeprefix(_Q)}> has inline elements '
                       f"(<{element[0].tag.removeprefix(_Q)}>); leaflet-gen's units are plain text with the markup "
                       "(**, *, [..](..)) written as characters: keep it as text")
    return element.text or ""


def read_stored(topic: LoadedTopic, language: str, root: Path) -> TranslationFile:
    """The stored translation file of ``topic`` in ``language`` (empty when there is none)."""
    path = stored_path(topic, language)
    if not path.is_file():
        return TranslationFile(topic.id, language, [], {})
    shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    files = read_xliff(path.read_bytes(), shown)
    mine = [f for f in files if f.topic == topic.id and f.language == language]
    if len(files) != 1 or not mine:
        raise BadXliff(f"{shown}: expected one <file> for content/{topic.id} in {language}; it is written by "
                       "`leaflet-gen translate export`: restore it from version control")
    return mine[0]


def stored_languages(topic: LoadedTopic) -> list[str]:
    folder = topic.folder / FOLDER
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("*.xlf") if LANGUAGE.match(p.stem))
