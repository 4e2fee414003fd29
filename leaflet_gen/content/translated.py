"""A topic in another language: the Dutch topic with the targets of its translation file.

A translated leaflet is made of the same schema objects as a Dutch one (a :class:`LoadedTopic`
whose texts are the translation's), so composing and rendering need no special case; what the
translation lacks is told by a :class:`TranslationState`, which makes the leaflet print CONCEPT.

Per unit of the leaflet (its title, its audience's subtitle, the texts of its audience's sections):

- ``signed-off``: the target prints;
- ``translated`` (not approved): the target prints; the leaflet is a CONCEPT;
- ``needs-review-translation`` (the Dutch source changed since it was translated): the **Dutch
  source** prints, not the old target: the old target translates a text that is no longer the
  leaflet's and may carry a fact (a number, a dose) that changed; the leaflet is a CONCEPT;
- ``new`` (missing): the **Dutch source** prints; the leaflet is a CONCEPT.

Why the source text with CONCEPT rather than a refusal: a translation is proofread in its layout
(the studio's preview, a reviewer's PDF) while units are still coming in, and a partly translated
leaflet is what a reviewer needs to see. It is never silent: the CONCEPT mark is on every page,
and the build's warning (:meth:`TranslationState.reason`) names each unit that shows Dutch text.
Only a leaflet with nothing translated at all (no file, or no target among its units) is refused:
that would be the Dutch leaflet under another language's name.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from leaflet_gen.content import translations as tr
from leaflet_gen.errors import LeafletError

if TYPE_CHECKING:
    from leaflet_gen.content.loaded import LoadedTopic

SHOWN_IDS = 5  # unit ids a reason names before "and N more"


@dataclass(frozen=True)
class TranslationState:
    """Where one leaflet's translation stands: the file, its units by state (ids), the approvals."""

    language: str
    file: Path
    shown: str  # the file as the project names it
    topic: str
    total: int
    missing: tuple[str, ...] = ()  # new: the Dutch source prints
    changed: tuple[str, ...] = ()  # the Dutch source changed since translation: the Dutch source prints
    unapproved: tuple[str, ...] = ()  # translated, not signed off: the target prints
    approvals: tuple[tr.Phase, ...] = ()  # who approved units of this leaflet, and when
    source_reason: str | None = None  # why the Dutch text itself is a concept (not approved)

    @property
    def in_dutch(self) -> tuple[str, ...]:
        """The units that print their Dutch source."""
        return self.missing + self.changed

    @property
    def reason(self) -> str | None:
        """Why the leaflet prints CONCEPT, or None when every unit is approved and the Dutch is too."""
        parts = []
        if self.missing:
            parts.append(f"{len(self.missing)} of {self.total} unit(s) not translated, printed in Dutch: "
                         f"{_ids(self.missing)}")
        if self.changed:
            parts.append(f"{len(self.changed)} unit(s) changed in Dutch since they were translated, printed in Dutch "
                         f"until translated again: {_ids(self.changed)}")
        if self.unapproved:
            parts.append(f"{len(self.unapproved)} of {self.total} unit(s) translated but not approved (approve them "
                         f"with `leaflet-gen translate approve --language {self.language} --topic {self.topic} "
                         "--by NAME`)")
        if self.source_reason:
            parts.append(f"the Dutch source: {self.source_reason}")
        if not parts:
            return None
        return f"the {self.language} translation ({self.shown}) is not approved: " + "; ".join(parts)


def _ids(ids: tuple[str, ...]) -> str:
    more = len(ids) - SHOWN_IDS
    return ", ".join(ids[:SHOWN_IDS]) + (f" and {more} more" if more > 0 else "")


def leaflet_unit_ids(topic: LoadedTopic, audience: str) -> set[str]:
    """The ids of the units one audience's leaflet prints: the title, its subtitle, its sections."""
    entry = topic.data.audiences[audience]
    wanted = {f"{topic.id}/topic/title", f"{topic.id}/topic/audiences.{audience}.subtitle"}
    sections = tuple(f"{topic.id}/{sid}/" for sid in entry.section_ids)
    return wanted | {uid for uid, _text in tr.source_units(topic) if uid.startswith(sections)}


def translate_topic(topic: LoadedTopic, audience: str, language: str, root: Path,
                    source_reason: str | None = None) -> tuple[LoadedTopic, TranslationState]:
    """``topic`` with ``audience``'s texts in ``language`` (see the module's rules) and the state of
    that translation. ``source_reason``: why the Dutch leaflet is a concept, if it is."""
    tr.check_language(language)
    path = tr.stored_path(topic, language)
    shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    stored = tr.read_stored(topic, language, root)
    wanted = leaflet_unit_ids(topic, audience)
    units = [u for u in tr.current_units(topic, stored.units) if u.id in wanted]
    printed = {u.id: u.target for u in units if u.state in (tr.TRANSLATED, tr.SIGNED_OFF)}
    if not printed:
        how = (f"translate it: `leaflet-gen translate export --language {language} --topic {topic.id} --output FILE`, "
               f"have FILE translated, then `leaflet-gen translate import FILE`")
        what = "has no translation file" if not path.is_file() else f"has no translated text for {audience} in {shown}"
        raise LeafletError(f'topic "{topic.id}" {what} in "{language}": a leaflet in {language} would be the Dutch one; '
                           + how)
    phases = {u.phase for u in units if u.state == tr.SIGNED_OFF}
    state = TranslationState(
        language, path, shown, topic.id, len(units),
        missing=tuple(u.id for u in units if u.state == tr.NEW),
        changed=tuple(u.id for u in units if u.state == tr.REVIEW),
        unapproved=tuple(u.id for u in units if u.state == tr.TRANSLATED),
        approvals=tuple(stored.phases[p] for p in sorted(phases) if p in stored.phases),
        source_reason=source_reason,
    )
    return apply_texts(topic, printed), state


def apply_texts(topic: LoadedTopic, texts: dict[str, str]) -> LoadedTopic:
    """``topic`` with the texts of the unit ids in ``texts`` replaced (the others as they are): the
    inverse of :func:`leaflet_gen.content.translations.source_units`. No validation runs again: the
    models are copied with the new strings."""
    base = topic.id + "/"
    data = topic.data

    def text(uid: str, old):
        return texts.get(base + uid, old)

    audiences = {aud: entry.model_copy(update={"subtitle": text(f"topic/audiences.{aud}.subtitle", entry.subtitle)})
                 for aud, entry in data.audiences.items()}
    data = data.model_copy(update={"title": text("topic/title", data.title), "audiences": audiences})
    sections = {}
    for sid, section in topic.sections.items():
        blocks = []
        for b, block in enumerate(section.blocks):
            where = f"{sid}/blocks[{b}]"
            update = {}
            for name in ("title", "text"):
                if getattr(block, name, None):
                    update[name] = text(f"{where}.{name}", getattr(block, name))
            items = getattr(block, "items", None)
            if items:
                update["items"] = [text(f"{where}.items[{i}]", item) if isinstance(item, str)
                                   else item.model_copy(update={"label": text(f"{where}.items[{i}].label", item.label)})
                                   for i, item in enumerate(items)]
            blocks.append(block.model_copy(update=update) if update else block)
        title = text(f"{sid}/title", section.title) if section.title else section.title
        sections[sid] = section.model_copy(update={"title": title, "blocks": blocks})
    return dataclasses.replace(topic, data=data, sections=sections)


def translated_texts(topic: LoadedTopic, language: str, root: Path) -> tuple[LoadedTopic, dict[str, str]] | None:
    """``topic`` with every translated unit of ``language`` in place (every audience) and those
    units' texts by id, for the checks (spelling, sentence length, glyphs); None when nothing is
    translated. Units not translated keep their Dutch text: check only reads the translated ones."""
    stored = tr.read_stored(topic, language, root)
    texts = {u.id: u.target for u in tr.current_units(topic, stored.units) if u.state in (tr.TRANSLATED, tr.SIGNED_OFF)}
    if not texts:
        return None
    return apply_texts(topic, texts), texts
