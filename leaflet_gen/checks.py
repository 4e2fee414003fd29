"""``leaflet-gen check``: validate every topic and practice without rendering.

Imports nothing heavy (no WeasyPrint), so it runs in well under a second.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from leaflet_gen.errors import LeafletError, Problem, ValidationFailed
from leaflet_gen.project import Project


@dataclass
class CheckReport:
    lines: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def as_error(self) -> ValidationFailed:
        return ValidationFailed(self.problems)


def check_project(project: Project, practices: list[Path] | None = None) -> CheckReport:
    report = CheckReport()
    for topic_id in project.topic_ids():
        try:
            topic = project.load_topic(topic_id)
            n = len(topic.sections)
            report.lines.append(f"ok  content/{topic_id}: {n} sections, audiences {', '.join(topic.data.audiences)}")
        except ValidationFailed as exc:
            report.problems.extend(exc.problems)
    for variant_id in project.variant_ids():
        try:
            project.load_variant(variant_id)
            report.lines.append(f"ok  variants/{variant_id}.yaml")
        except ValidationFailed as exc:
            report.problems.extend(exc.problems)
        except LeafletError as exc:
            report.problems.append(Problem(f"variants/{variant_id}.yaml", exc.message))
    for folder in practices if practices is not None else project.practice_dirs():
        try:
            loaded = project.load_practice(folder)
            report.lines.append(f"ok  {project.rel(loaded.source_file)}")
            report.warnings.extend(loaded.warnings)
        except ValidationFailed as exc:
            report.problems.extend(exc.problems)
    return report
