"""`leaflet-gen translate`: translation files exported for an agency, read back, counted and approved.

The files are ``content/<topic>/translations/<language>.xlf`` (XLIFF 1.2, read and written by
:mod:`leaflet_gen.content.translations`; docs/translations.md). Every command works on the units as
they are now: the stored file merged with the Dutch source (a changed source needs review).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from leaflet_gen.content import glyphs
from leaflet_gen.content import translations as tr
from leaflet_gen.errors import LeafletError, Problem, UsageProblem
from leaflet_gen.i18n import font_families

if TYPE_CHECKING:
    from leaflet_gen.content.loaded import LoadedTopic
    from leaflet_gen.content.project import Project


@dataclass(frozen=True)
class Count:
    """Where one topic stands in one language: units per state."""

    language: str
    topic: str
    new: int
    review: int
    translated: int
    approved: int

    @property
    def total(self) -> int:
        return self.new + self.review + self.translated + self.approved


def _count(language: str, topic: str, units: list[tr.Unit]) -> Count:
    states = Counter(u.state for u in units)
    return Count(language, topic, states[tr.NEW], states[tr.REVIEW], states[tr.TRANSLATED], states[tr.SIGNED_OFF])


def _topics(project: Project, topic: str | None) -> list[str]:
    known = project.topic_ids()
    if topic is None:
        return known
    if topic not in known:
        raise UsageProblem(f'unknown topic "{topic}"; topics: {", ".join(known) or "none"}')
    return [topic]


def _current(project: Project, topic_id: str, language: str) -> tuple[tr.TranslationFile, LoadedTopic]:
    topic = project.load_topic(topic_id)
    stored = tr.read_stored(topic, language, project.root)
    return tr.TranslationFile(topic_id, language, tr.current_units(topic, stored.units), stored.phases), topic


def export(project: Project, language: str, topic: str | None = None,
           output: Path | None = None) -> tuple[list[Path], list[Count]]:
    """Write the units of ``topic`` (default: every topic) in ``language``: into ``output`` (one
    XLIFF file, a ``<file>`` per topic), else each topic's stored file. Returns the files and counts."""
    from leaflet_gen.files import write_atomic, write_together

    tr.check_language(language)
    files, paths = [], {}
    for topic_id in _topics(project, topic):
        tf, loaded = _current(project, topic_id, language)
        files.append(tf)
        paths[tr.stored_path(loaded, language)] = tr.write_xliff([tf])
    if output is not None:
        write_atomic(output, tr.write_xliff(files))
        written = [output]
    else:
        write_together(paths)
        written = list(paths)
    return written, [_count(language, f.topic, f.units) for f in files]


@dataclass(frozen=True)
class Imported:
    language: str
    topic: str
    translated: int  # targets taken in (state translated)
    review: int  # taken in, but translated from a Dutch source that has changed since: need review
    unchanged: int  # the same target as stored
    empty: int  # no target (left as they were)


def import_file(project: Project, path: Path) -> list[Imported]:
    """Merge the targets of a translator's XLIFF file into the stored files. Refused as a whole (nothing
    written) when a unit's numbers, web addresses, markup or placeholders differ from its Dutch source,
    or when a unit is not one of the topic's: one problem per unit."""
    from leaflet_gen.files import write_together

    shown = str(path)
    with open(path, "rb") as fh:
        data = fh.read(tr.MAX_BYTES + 1)
    problems: list[Problem] = []
    writes: dict[Path, bytes] = {}
    done: list[Imported] = []
    known = project.topic_ids()
    for given in tr.read_xliff(data, shown):
        if given.topic not in known:
            raise LeafletError(f'{shown}: <file original="content/{given.topic}">: no such topic; topics: '
                               f'{", ".join(known) or "none"}')
        current, loaded = _current(project, given.topic, given.language)
        now = {u.id: u for u in current.units}
        counts = Counter()
        for unit in given.units:
            mine = now.get(unit.id)
            if mine is None:
                problems.append(Problem(shown, f'unit "{unit.id}": is not a text of the topic now (a section or block '
                                               "was removed or moved): export the file again and translate that one"))
                continue
            if not unit.target.strip():
                counts["empty"] += 1
                continue
            differ = tr.differences(mine.source, unit.target)
            # Printable in the language's fonts: Arabic against the Arabic face (i18n.font_families).
            unprintable = [glyphs.script_problem(unit.target, font_families(family, given.language),
                                                 project.root / "fonts") for family in project.font_families()]
            differ += [problem for problem in unprintable if problem][:1]
            if differ:
                problems.append(Problem(shown, f'unit "{unit.id}": ' + "; ".join(differ)))
                continue
            if unit.target == mine.target and mine.state in (tr.TRANSLATED, tr.SIGNED_OFF):
                counts["unchanged"] += 1
                continue
            stale = unit.source != mine.source  # translated from an older Dutch text
            now[unit.id] = replace(mine, target=unit.target, hash=tr.source_hash(unit.source if stale else mine.source),
                                   state=tr.REVIEW if stale else tr.TRANSLATED, phase="")
            counts["review" if stale else "translated"] += 1
        merged = tr.TranslationFile(given.topic, given.language, [now[u.id] for u in current.units], current.phases)
        writes[tr.stored_path(loaded, given.language)] = tr.write_xliff([merged])
        done.append(Imported(given.language, given.topic, counts["translated"], counts["review"], counts["unchanged"],
                             counts["empty"]))
    if problems:
        raise LeafletError(f"{shown}: nothing was imported: {len(problems)} unit(s) refused. A translation keeps the "
                           "numbers (a dose), web addresses, markup (**, *, [..](..)) and placeholders of its Dutch "
                           "source: correct the units above and import the file again", problems=problems)
    write_together(writes)
    return done


def status(project: Project, language: str | None = None) -> list[Count]:
    """Per language and topic: how many units are new, need review, translated and approved. Without
    ``language``: every language that has a stored file."""
    topics = [project.load_topic(t) for t in project.topic_ids()]
    if language is not None:
        languages = [tr.check_language(language)]
    else:
        languages = sorted({lang for t in topics for lang in tr.stored_languages(t)})
    counts = []
    for lang in languages:
        for topic in topics:
            stored = tr.read_stored(topic, lang, project.root)
            counts.append(_count(lang, topic.id, tr.current_units(topic, stored.units)))
    return counts


def approve(project: Project, language: str, topic: str, by: str, now: dt.datetime) -> tuple[tr.Phase, int, Count]:
    """Mark the translated units of ``topic`` in ``language`` signed off by ``by`` at ``now``."""
    from leaflet_gen.content.review import check_name
    from leaflet_gen.files import write_atomic

    tr.check_language(language)
    by = check_name(by, "--by")
    (topic_id,) = _topics(project, topic)
    current, loaded = _current(project, topic_id, language)
    before = _count(language, topic_id, current.units)
    if not before.translated:
        raise LeafletError(f"nothing to approve in {language} / {topic_id}: no unit is translated and waiting for "
                           f"approval ({before.new} new, {before.review} need review, {before.approved} approved "
                           "already); import a translation first (`leaflet-gen translate import FILE`)")
    taken = [int(m.group(1)) for name in current.phases if (m := re.fullmatch(r"approval-(\d+)", name))]
    phase = tr.Phase(f"approval-{max(taken, default=0) + 1}", by,
                     now.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    units = [replace(u, state=tr.SIGNED_OFF, phase=phase.name) if u.state == tr.TRANSLATED else u
             for u in current.units]
    done = tr.TranslationFile(topic_id, language, units, {**current.phases, phase.name: phase})
    write_atomic(tr.stored_path(loaded, language), tr.write_xliff([done]))
    return phase, before.translated, _count(language, topic_id, units)
