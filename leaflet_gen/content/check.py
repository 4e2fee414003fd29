"""``leaflet-gen check``: validate every topic and practice without rendering.

Besides the schema it checks content governance (review dates, approval status) and language
(see lint.py). Imports nothing heavy (no WeasyPrint), so it stays fast.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from leaflet_gen.content import lint
from leaflet_gen.content.claims import check_topic as check_claims
from leaflet_gen.content.settings import SETTINGS_FILE
from leaflet_gen.errors import LeafletError, Problem, ValidationFailed
from leaflet_gen.i18n import font_families, msg

if TYPE_CHECKING:  # a check answered from its record (checkcache.py) imports no schema
    from leaflet_gen.content.checkcache import CheckCache
    from leaflet_gen.content.loaded import LoadedTopic
    from leaflet_gen.content.project import Project


@dataclass
class CheckReport:
    lines: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    language: list[lint.LintReport] = field(default_factory=list)
    coverage: list[str] = field(default_factory=list)  # the claims coverage tables (check --verbose)
    claims: dict[str, dict] = field(default_factory=dict)  # topic -> audience -> claim id -> sections

    def as_error(self) -> ValidationFailed:
        return ValidationFailed(self.problems)

    def as_record(self) -> dict:
        """As JSON data, for the check cache (a check with problems is never kept: they are found again)."""
        return {"lines": self.lines, "warnings": [{**asdict(w), "file": str(w.file)} for w in self.warnings],
                "language": [r.as_record() for r in self.language], "coverage": self.coverage,
                "claims": self.claims}

    @classmethod
    def from_record(cls, record: dict) -> CheckReport | None:
        """The report :meth:`as_record` kept; None when the record is damaged."""
        try:
            return cls(lines=list(record["lines"]), warnings=[Problem(**w) for w in record["warnings"]],
                       language=[lint.LintReport.from_record(r) for r in record["language"]],
                       coverage=list(record["coverage"]), claims=dict(record["claims"]))
        except (TypeError, KeyError, ValueError):
            return None

    def as_dict(self) -> dict:
        return {"ok": not self.problems, "checked": self.lines, "problems": [str(p) for p in self.problems],
                "warnings": [str(w) for w in self.warnings], "language": [r.as_dict() for r in self.language],
                "claims": self.claims}


def governance(project: Project, topic: LoadedTopic, today: dt.date) -> list[Problem]:
    """Review dates that have passed and content that is not approved."""
    data, where = topic.data, project.rel(topic.source_file)
    found = []
    if data.next_review < today:
        found.append(Problem(where, msg("the review date %(date)s has passed; have the content reviewed, then update "
                                        "last_review and next_review", date=str(data.next_review)), key="next_review"))
    from leaflet_gen.content.review import approval_state, concept_reason

    states = {aud: approval_state(topic, aud)[0] for aud in data.audiences}
    if data.status != "approved" and "none" in states.values():
        found.append(Problem(where, msg('the content is a concept: leaflets carry a "CONCEPT" mark until status is '
                                        "approved (with approved_by and approved_on), or until each audience's text "
                                        "is approved with `leaflet-gen review approve`"), key="status"))
    elif data.status == "approved" and not (data.approved_by and data.approved_on):
        found.append(Problem(where, msg("approved content needs approved_by and approved_on"), key="status"))
    for aud, state in states.items():
        if state == "changed":
            found.append(Problem(project.rel(topic.folder / "approvals.jsonl"),
                                 msg("%(audience)s: %(reason)s", audience=aud, reason=concept_reason(topic, aud))))
    if topic.claims is not None and topic.claims.status != "approved":
        found.append(Problem(project.rel(topic.claims_file), msg('the claims register is a concept: leaflets carry a '
                                                                 '"CONCEPT" mark until a reviewer approves it (status, '
                                                                 "approved_by, approved_on)"), key="status"))
    return found


def _check_translations(project: Project, topic: LoadedTopic, wordlist: set[str], report: CheckReport) -> None:
    """The language check (spelling, sentence length) and the glyph check of each translation of
    ``topic`` that has translated units: a language report of its own, findings in its file."""
    from leaflet_gen.content import glyphs
    from leaflet_gen.content import translations as tr
    from leaflet_gen.content.translated import translated_texts

    for language in tr.stored_languages(topic):
        shown = project.rel(tr.stored_path(topic, language))
        try:
            found = translated_texts(topic, language, project.root)
        except LeafletError as exc:
            report.problems.append(Problem(shown, exc.message))
            continue
        if found is None:
            report.lines.append(f"ok  {shown}: nothing translated yet")
            continue
        translated, texts = found
        # Only what is translated: a unit still in Dutch is not checked against another dictionary.
        only = dataclasses.replace(translated, sections={sid: s for sid, s in translated.sections.items()
                                                         if any(u.startswith(f"{topic.id}/{sid}/") for u in texts)})
        checked = lint.lint_topic(only, wordlist, language=language, translation=shown)
        report.language.append(checked)
        report.warnings.extend(f.as_problem() for f in checked.findings)
        for family in project.font_families():
            report.problems.extend(glyphs.missing_in_units(shown, sorted(texts.items()),
                                                           font_families(family, language), project.root / "fonts"))


def check_project(project: Project, practices: list[Path] | None = None,
                  today: dt.date | None = None, cache: CheckCache | None = None, dictionaries: str = "") -> CheckReport:
    """Every topic, variant and practice (or the ``practices`` given). ``cache``: language checks
    of unchanged topics come from it (``dictionaries``: :func:`checkcache.dictionaries_key`)."""
    report = CheckReport()
    try:
        settings = project.settings
    except ValidationFailed as exc:
        # Every other file is checked against the settings (its audiences): nothing to gain from going on.
        report.problems.extend(exc.problems)
        return report
    if (project.root / SETTINGS_FILE).is_file():
        report.lines.append(f"ok  {SETTINGS_FILE}: audiences "
                            + ", ".join(f"{a.id} ({a.voice})" for a in settings.audiences))
    wordlist_file = project.root / lint.WORDLIST
    try:
        wordlist = lint.load_wordlist(wordlist_file, project.root)
    except ValidationFailed as exc:
        report.problems.extend(exc.problems)
        wordlist = set()
    topics = []
    for topic_id in project.topic_ids():
        try:
            topic = project.load_topic(topic_id)
        except ValidationFailed as exc:
            report.problems.extend(exc.problems)
            continue
        topics.append(topic)
        report.lines.append(f"ok  content/{topic_id}: {len(topic.sections)} sections, "
                            f"audiences {', '.join(topic.data.audiences)}, version {topic.data.version} "
                            f"({topic.data.status}), next review {topic.data.next_review}")
        report.warnings.extend(governance(project, topic, today or dt.date.today()))
        claims = check_claims(topic, settings.language, project.rel)
        report.warnings.extend(claims.warnings)
        report.coverage.extend(claims.lines())
        if topic.claims is not None:
            report.claims[topic_id] = claims.as_dict()
        language = (cache.lint_topic(topic, wordlist_file, wordlist, dictionaries) if cache
                    else lint.lint_topic(topic, wordlist))
        report.language.append(language)
        report.warnings.extend(f.as_problem() for f in language.findings)
        _check_translations(project, topic, wordlist, report)
    for variant_id in project.variant_ids():
        shown = project.rel(project.theme_file("variants", f"{variant_id}.yaml"))  # "built-in variants/..."
        try:
            project.load_variant(variant_id)
            report.lines.append(f"ok  {shown}")
        except ValidationFailed as exc:
            report.problems.extend(exc.problems)
        except LeafletError as exc:
            report.problems.append(Problem(shown, exc.message))
    families = project.font_families()
    for folder in practices if practices is not None else project.practice_dirs():
        try:
            loaded = project.load_practice(folder)
            report.lines.append(f"ok  {project.rel(loaded.source_file)}")
            report.warnings.extend(loaded.warnings)
            for family in families:
                report.problems.extend(project.unprintable(family, practice=loaded))
        except ValidationFailed as exc:
            report.problems.extend(exc.problems)
    for topic in topics:
        for family in families:
            report.problems.extend(project.unprintable(family, topic=topic))
    return report
