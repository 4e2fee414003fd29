"""A section file as the content desk's form, and the form saved back into the file.

The form sends the section as it stands (a *draft*: its title and blocks, each block with the
index it had in the file, or none for a new one). The file is edited as a round trip
(ruamel.yaml), as the practice editor edits practice.yaml: a block keeps its own map, so its
comments, key order and quoting stay; only values that changed are replaced. A save is refused
when the file changed on disk since the form was opened (someone edited it meanwhile), and when
the topic with the draft would not load (what `leaflet-gen check` calls a problem); the write is
atomic.
"""

from __future__ import annotations

import hashlib
import io
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from leaflet_gen.errors import LeafletError
from leaflet_gen.i18n import msg
from leaflet_gen.studio import core_content
from leaflet_gen.studio.practice_file import round_trip_yaml  # the same YAML style
from leaflet_gen.studio.refusals import Refused, unreadable, writing

SAVE_LOCK = threading.Lock()
# What each block type holds, in the order a new block's keys are written (docs/content-format.md).
FIELDS = {
    "paragraph": ("claims", "text"),
    "list": ("title", "icon", "claims", "items"),
    "summary": ("title", "claims", "items"),
    "infobox": ("title", "claims", "text", "items"),
    "tip": ("title", "claims", "text"),
    "links": ("title", "claims", "items"),
    "notes": ("title", "claims", "text", "lines"),
}
KEY_ORDER = ("type", "title", "icon", "claims", "text", "items", "lines")
TOP_ORDER = ("title", "keep_together", "blocks")


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


# --- the file as the form's values ----------------------------------------------------------------


def form_values(data: dict) -> dict:
    """The values the form starts with: title, keep_together, and each block with its index in the
    file (``origin``). A block of a type the form does not know is kept as it is (``keep``)."""
    blocks = []
    for index, block in enumerate(data.get("blocks") or []):
        if not isinstance(block, dict) or block.get("type") not in FIELDS:
            blocks.append({"origin": index, "type": str(block.get("type") if isinstance(block, dict) else "?"),
                           "keep": True})
            continue
        kind = block["type"]
        items = block.get("items") if isinstance(block.get("items"), list) else []
        if kind == "links":
            items = [{"label": _text(i.get("label")), "url": _text(i.get("url"))} if isinstance(i, dict)
                     else {"label": _text(i), "url": ""} for i in items]
        else:
            items = [_text(i) for i in items]
        claims = block.get("claims") if isinstance(block.get("claims"), list) else []
        blocks.append({"origin": index, "type": kind, "title": _text(block.get("title")),
                       "text": _text(block.get("text")), "icon": _text(block.get("icon")),
                       "lines": _text(block.get("lines", 8)), "claims": [str(c) for c in claims], "items": items})
    return {"title": _text(data.get("title")), "keep_together": data.get("keep_together") is True, "blocks": blocks}


def _text(value) -> str:
    return "" if value is None else str(value)


def _clean(value) -> str:
    """A value as typed: one line (a textarea's line breaks are spaces in print anyway), trimmed."""
    return " ".join(str(value or "").replace("\r", "\n").split("\n")).strip()


@dataclass
class Draft:
    """One request from the form: the section's values and the version of the file it was opened at."""

    values: dict
    version: str = ""
    leaflet: str = ""  # which leaflet the preview shows (a catalogue key), "" for the first
    by: str = ""  # the name the browser remembers (a commit's author)
    stream: str = ""  # the open form it comes from: its newer preview gives up this one's (render_draft)

    def blocks(self) -> list[dict]:
        blocks = self.values.get("blocks")
        if not isinstance(blocks, list) or not all(isinstance(b, dict) for b in blocks):
            raise Refused(msg("Invalid request: the studio cannot read it. Reload the page and try again."), 400)
        return blocks


def draft_data(draft: Draft) -> tuple[dict, list[int | None], set[int]]:
    """The draft as the data a section file holds, the file index of each block (None: new) and the
    blocks kept as the file has them. Empty optional fields are left out; an empty required text
    is written as "" so that the schema's own message is shown at its field."""
    values = draft.values
    data: dict = {}
    title = _clean(values.get("title"))
    if title:
        data["title"] = title
    if values.get("keep_together") is True:
        data["keep_together"] = True
    blocks, origins, kept = [], [], set()
    for position, block in enumerate(draft.blocks()):
        origin = block.get("origin")
        origin = origin if isinstance(origin, int) and not isinstance(origin, bool) and origin >= 0 else None
        kind = block.get("type")
        if block.get("keep") and origin is not None:
            kept.add(position)
            blocks.append({})
            origins.append(origin)
            continue
        if kind not in FIELDS:
            raise Refused(msg("Invalid request: the studio cannot read it. Reload the page and try again."), 400)
        out: dict = {"type": kind}
        for name in FIELDS[kind]:
            value = block.get(name)
            if name == "claims":
                claims = [_clean(c) for c in value] if isinstance(value, list) else []
                if any(claims):
                    out["claims"] = [c for c in claims if c]
            elif name == "items":
                items = value if isinstance(value, list) else []
                if kind == "links":
                    links = [{"label": _clean(i.get("label")), "url": _clean(i.get("url"))}
                             for i in items if isinstance(i, dict)]
                    out["items"] = [i for i in links if i["label"] or i["url"]]
                else:
                    listed = [_clean(i) for i in items]
                    listed = [i for i in listed if i]
                    if listed or kind != "infobox":
                        out["items"] = listed
            elif name == "lines":
                text = _clean(value)
                out["lines"] = int(text) if text.isdigit() and len(text) < 4 else text or 8
            else:
                text = _clean(value)
                required = name == "text" and kind in ("paragraph", "tip")
                if text or required:
                    out[name] = text
        blocks.append(out)
        origins.append(origin)
    data["blocks"] = blocks
    return data, origins, kept


# --- the round trip -------------------------------------------------------------------------------


def update_text(text: str, data: dict, origins: list[int | None], kept: set[int]) -> str:
    """``text`` (a section file) holding ``data``: each block edited in its own map (moved with
    its comments when the blocks were reordered), new blocks added, removed ones left out;
    comments, key order and quoting of everything else stay."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    yaml = round_trip_yaml()
    document = yaml.load(text)
    if not isinstance(document, CommentedMap):
        raise Refused(msg("This file is not a section (it holds no list of keys and values)."), 422)
    for key in ("title", "keep_together"):
        if key in data:
            _set(document, key, _scalar(data[key], document.get(key), quoted=key == "title"), TOP_ORDER)
        elif key in document and not (key == "keep_together" and document[key] is False):
            del document[key]
    seq = document.get("blocks")
    if not isinstance(seq, CommentedSeq):
        seq = CommentedSeq()
        _set(document, "blocks", seq, TOP_ORDER)
    old = list(seq)
    comments = dict(seq.ca.items)
    new, moved = [], {}
    for position, (block, origin) in enumerate(zip(data["blocks"], origins)):
        mine = old[origin] if origin is not None and origin < len(old) else None
        if position in kept:
            if mine is not None:
                new.append(mine)
                moved.update({len(new) - 1: comments[origin]} if origin in comments else {})
            continue
        if isinstance(mine, CommentedMap) and mine.get("type") == block["type"]:
            _merge_block(mine, block)
            new.append(mine)
        else:
            new.append(_new_block(block))
            origin = None
        if origin is not None and origin in comments:
            moved[position] = comments[origin]
    del seq[:]
    seq.extend(new)
    seq.ca.items.clear()
    seq.ca.items.update(moved)
    out = io.StringIO()
    yaml.dump(document, out)
    return out.getvalue()


def _merge_block(node, block: dict) -> None:
    for key in [k for k in node if k != "type" and k not in block]:
        del node[key]
    for key, value in block.items():
        if key == "type":
            continue
        old = node.get(key)
        if isinstance(value, list):
            if _plain(old) == value:
                continue
            _set(node, key, _sequence(value, old, key), KEY_ORDER)
        elif key not in node or _plain(old) != value:
            _set(node, key, _scalar(value, old, quoted=key in ("title", "text")), KEY_ORDER)


def _new_block(block: dict):
    from ruamel.yaml.comments import CommentedMap

    node = CommentedMap()
    for key in sorted(block, key=KEY_ORDER.index):
        value = block[key]
        node[key] = _sequence(value, None, key) if isinstance(value, list) else \
            _scalar(value, None, quoted=key in ("title", "text"))
    return node


def _plain(value):
    """A loaded value as plain data (to compare with the draft's)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def _sequence(values: list, old, key: str):
    """A list of the draft: in the old list object when there is one (its flow style and comments
    stay), items quoted as the old ones were."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    style = old[0] if isinstance(old, CommentedSeq) and len(old) and not isinstance(old[0], dict) else None
    items = []
    for index, value in enumerate(values):
        if isinstance(value, dict):  # a link: label and url, in the old map when there was one
            mine = old[index] if isinstance(old, CommentedSeq) and index < len(old) and isinstance(old[index], CommentedMap) \
                else CommentedMap()
            for name in [k for k in mine if k not in value]:
                del mine[name]
            for name, text in value.items():
                if _plain(mine.get(name)) != text:
                    mine[name] = _scalar(text, mine.get(name), quoted=True)
            if not isinstance(old, CommentedSeq) or index >= len(old):
                mine.fa.set_flow_style()
            items.append(mine)
        else:
            items.append(_scalar(value, style, quoted=key != "claims"))
    if isinstance(old, CommentedSeq):
        del old[:]
        old.extend(items)
        return old
    seq = CommentedSeq(items)
    if key == "claims":
        seq.fa.set_flow_style()
    return seq


def _scalar(value, old, quoted: bool):
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, PlainScalarString, SingleQuotedScalarString

    if not isinstance(value, str):
        return value
    if isinstance(old, (DoubleQuotedScalarString, SingleQuotedScalarString, PlainScalarString)):
        return type(old)(value)  # the quoting the file used
    if isinstance(old, str) or not quoted:
        return value  # was plain: ruamel quotes it only if YAML would misread it
    return DoubleQuotedScalarString(value)


def _set(node, key: str, value, order: tuple[str, ...]) -> None:
    """Set ``key``; a new key goes after the keys that come before it in ``order``."""
    if key in node:
        node[key] = value
        return
    before = order[:order.index(key)] if key in order else order
    position = 0
    for index, existing in enumerate(node):
        if existing in before:
            position = index + 1
    node.insert(position, key, value)


# --- saving ---------------------------------------------------------------------------------------


def by_block(findings: list[core_content.Finding], count: int) -> dict[str, list[str]]:
    """Findings by the position of their block on the form ("blocks[2].items[1]" -> "2"; the rest
    -> ""): the file the draft would write has the blocks in the form's order."""
    out: dict[str, list[str]] = {}
    for finding in findings:
        match = re.match(r"blocks\[(\d+)\]", finding.key or "")
        where = match[1] if match and int(match[1]) < count else ""
        out.setdefault(where, []).append(finding.message)
    return out


class SaveRefused(Refused):
    def __init__(self, message: str, fields: dict | None = None) -> None:
        super().__init__(message, 409, fields)


def draft_text(project, section: core_content.SectionFile, draft: Draft) -> tuple[str, str]:
    """The file the draft would write, made from the file as it is now (its comments), and that
    text as it is now."""
    try:
        now = core_content.read_text(project, section.path)
    except LeafletError as exc:
        raise unreadable(exc) from None
    data, origins, kept = draft_data(draft)
    return update_text(now, data, origins, kept), now


def save(project, section: core_content.SectionFile, draft: Draft, wordlist: set[str]) -> tuple[Path, str, str, str]:
    """Write the draft into the section file: refused (:class:`SaveRefused`) when the file changed
    since the form opened it or the topic would not load with it. Returns the path, the new version,
    and the text before and after."""
    with SAVE_LOCK:
        text, now = draft_text(project, section, draft)
        if digest(now) != draft.version:
            raise SaveRefused(msg("Not saved: this file was changed outside this form since you opened it. Saving "
                                  "would overwrite that change. Reload the page to see the new version (what you "
                                  "typed here is then lost; copy it first if need be)."))
        if text == now:
            return section.path, digest(now), now, now
        checked = core_content.check_draft(project, section, text, wordlist)
        if not checked.ok:
            raise SaveRefused(msg("Not saved: first fix the errors (marked in red)."), by_block(checked.problems, len(draft.blocks())))
        with writing(f"content/{section.topic}/"):
            core_content.write_atomic(section.path, text.encode("utf-8"))
        return section.path, digest(text), now, text
