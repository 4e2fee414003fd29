"""Review and approval tied to the text: ``content/<topic>/approvals.jsonl``.

A leaflet (topic x audience) is approved as a whole. An approval records who, when, a note and a
hash of exactly what was approved: the audience's sections (their validated content without the
values a key has by default, so a comment, a reordered key or a new optional key of a later version
changes nothing), the topic fields its leaflets print (title, subtitle, version,
sources) and the claims of the register it carries. The file only grows: one JSON object a line,
versioned with the content, so the history of sign-offs is the file's history.

The state of a leaflet:

- ``approved``: the newest approval of its audience has the hash of the text as it is now;
- ``changed``: there is an approval, but the text changed since ("gewijzigd na goedkeuring"): the
  leaflet prints CONCEPT until it is approved again;
- ``none``: no approval of its audience in the file: ``status``/``approved_by`` of topic.yaml
  decide, as before approvals were recorded.

Review dates: ``next_review`` of topic.yaml is ``soon`` from a month ahead and ``overdue`` after.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from leaflet_gen.errors import LeafletError, Problem, ValidationFailed
from leaflet_gen.i18n import msg

if TYPE_CHECKING:
    from leaflet_gen.content.loaded import LoadedTopic

APPROVALS_FILE = "approvals.jsonl"
MAX_APPROVALS_BYTES = 4 * 1024 * 1024
SOON = dt.timedelta(days=31)
_FIELDS = ("audience", "by", "at", "note", "hash")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Approval:
    """One sign-off: who approved which audience's text, when, with a note, and its hash."""

    audience: str
    by: str
    at: str  # ISO 8601, UTC, to the second
    note: str
    hash: str

    def line(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True)
class ReviewState:
    """Where one leaflet stands: its approval state, the newest approval, and its review date."""

    topic: str
    audience: str
    state: str  # "approved" | "changed" | "none"
    last: Approval | None
    next_review: dt.date
    due: str  # "ok" | "soon" | "overdue"
    fallback: str = ""  # without an approval of its own: what topic.yaml says

    @property
    def concept(self) -> bool:
        return self.state == "changed"


def approved_text(topic: LoadedTopic, audience: str) -> str:
    """What an approval of ``audience`` covers, as canonical JSON (the hash is taken of this)."""
    entry = topic.data.audiences[audience]
    claims = []
    if topic.claims is not None:
        claims = [c.model_dump(mode="json", exclude_defaults=True) for c in topic.claims.claims
                  if audience in c.audiences]
    text = {
        "topic": {"title": topic.data.title, "version": topic.data.version, "subtitle": entry.subtitle,
                  "sources": list(entry.sources)},
        "sections": [{"id": sid, "place": part, **topic.sections[sid].model_dump(mode="json", exclude_defaults=True)}
                     for part in ("cover", "flow", "back") for sid in getattr(entry, part)],
        "claims": claims,
    }
    return json.dumps(text, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def text_hash(topic: LoadedTopic, audience: str) -> str:
    return "sha256:" + hashlib.sha256(approved_text(topic, audience).encode("utf-8")).hexdigest()


def read_approvals(path: Path, shown: str, root: Path | None) -> tuple[Approval, ...]:
    """The approvals in ``path`` (none when it does not exist), each line checked."""
    import os

    from leaflet_gen.content.yamlio import read_project_file

    if not os.path.lexists(path):
        return ()
    data = read_project_file(path, shown, root, MAX_APPROVALS_BYTES, msg("a JSON Lines file"), msg("approval records"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationFailed([Problem(shown, msg("is not UTF-8 text (byte %(byte)s); it is written by `leaflet-gen "
                                                   "review approve`: restore it from version control",
                                                   byte=exc.start))]) from None
    found, problems = [], []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            problems.append(Problem(shown, msg("not a JSON object (%(error)s); the file is written by `leaflet-gen "
                                               "review approve`: restore it from version control", error=str(exc)),
                                    number))
            continue
        if not isinstance(record, dict) or sorted(record) != sorted(_FIELDS) or not all(
                isinstance(record[k], str) for k in _FIELDS):
            problems.append(Problem(shown, msg("expected an object with the text fields %(fields)s; the file is "
                                               "written by `leaflet-gen review approve`: restore it from version "
                                               "control", fields=", ".join(_FIELDS)), number))
            continue
        found.append(Approval(**{k: record[k] for k in _FIELDS}))
    if problems:
        raise ValidationFailed(problems)
    return tuple(found)


def approval_state(topic: LoadedTopic, audience: str) -> tuple[str, Approval | None]:
    """("approved" | "changed" | "none", the newest approval of ``audience``)."""
    mine = [a for a in topic.approvals if a.audience == audience]
    if not mine:
        return "none", None
    return ("approved" if mine[-1].hash == text_hash(topic, audience) else "changed"), mine[-1]


def concept_reason(topic: LoadedTopic, audience: str) -> str | None:
    """Why ``audience``'s leaflet prints CONCEPT, or None when it is approved."""
    if topic.claims is not None and topic.claims.status != "approved":
        return msg("the claims register is a concept: a reviewer approves it in claims.yaml (status, approved_by, "
                   "approved_on)")
    state, last = approval_state(topic, audience)
    if state == "changed":
        assert last is not None
        return msg("the text changed after %(by)s approved it on %(date)s (gewijzigd na goedkeuring): have it "
                   "approved again with `leaflet-gen review approve --topic %(topic)s --audience %(audience)s --by "
                   "NAME`", by=last.by, date=last.at[:10], topic=topic.id, audience=audience)
    if state == "none" and topic.data.status != "approved":
        return msg("the content is a concept (status in topic.yaml), or approve it with `leaflet-gen review approve`")
    return None


def state_of(topic: LoadedTopic, audience: str, today: dt.date) -> ReviewState:
    state, last = approval_state(topic, audience)
    review = topic.data.next_review
    due = "overdue" if review < today else "soon" if review - today <= SOON else "ok"
    data = topic.data
    fallback = (msg("no text approval recorded; topic.yaml: approved by %(by)s on %(date)s", by=data.approved_by,
                    date=str(data.approved_on)) if data.status == "approved" else msg("concept, not approved"))
    return ReviewState(topic.id, audience, state, last, review, due, fallback)


def check_name(name: str, what: str) -> str:
    """A reviewer's name or note as given: one line of printable text."""
    value = name.strip()
    if what == "--by" and not value:
        raise LeafletError("--by needs the reviewer's name, like --by \"Dr. A. de Vries\"")
    if _CONTROL.search(value) or len(value) > 200:
        raise LeafletError(f"{what} must be one line of text of at most 200 characters, without control characters")
    return value


def approve(topic: LoadedTopic, audience: str, by: str, note: str, now: dt.datetime) -> Approval:
    """Record an approval of ``audience``'s text as it is now: one line added to approvals.jsonl."""
    from leaflet_gen.files import write_atomic

    if audience not in topic.data.audiences:
        known = ", ".join(topic.data.audiences)
        raise LeafletError(f'topic "{topic.id}" has no leaflet for audience "{audience}" (it has: {known})')
    record = Approval(audience, check_name(by, "--by"), now.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                      check_name(note, "--note"), text_hash(topic, audience))
    path = topic.folder / APPROVALS_FILE
    lines = [a.line() for a in topic.approvals] + [record.line()]
    write_atomic(path, ("\n".join(lines) + "\n").encode("utf-8"))
    return record
