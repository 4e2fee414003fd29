"""What makes ``leaflet-gen check`` fast: no work for what has not changed since the last check.

Profiled (``python -X importtime``, cProfile; bench/README.md), a check of the shipped project was
~0.8 s, of which: Hunspell starting and loading the Dutch dictionary, once per topic (~25 %);
pyphen parsing the nl_NL hyphenation patterns (~20 %); importing pydantic and building the schema
classes (~35 %); the rest Python's and click's start-up and reading the YAML. None of it depends
on anything but the files, so two caches, each keyed on everything its answer depends on:

- **The language check of a topic** (:func:`lint_topic`), keyed on the topic folder's files, the
  word list, the installed Hunspell program and its dictionaries, pyphen's dictionary and the
  language-check code: an edit to a practice or a variant re-lints no topic, and an edit to one
  topic re-lints only that one.
- **The whole check** (:func:`replay`): when every file of content/, practices/, variants/ and
  fonts/, the settings file, the installed fonts, leaflet-gen's code and built-in theme, the installed packages, the
  two dictionaries, the practices asked for and today's date (review dates pass) are as at the
  last check that found no problem, its report is
  returned without importing the schemas, markdown-it or either dictionary (like a no-op build).

Both live in ``$XDG_CACHE_HOME/leaflet-gen/`` (default ``~/.cache``), one file per project; a
missing, damaged or unwritable cache means the work is simply done. ``LEAFLET_GEN_NO_CHECK_CACHE=1``
switches both off.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from leaflet_gen import __version__
from leaflet_gen.errors import LeafletError, Problem
from leaflet_gen.files import NotAFile, write_atomic

if TYPE_CHECKING:
    from leaflet_gen.content.check import CheckReport
    from leaflet_gen.content.lint import LintReport
    from leaflet_gen.content.project import LoadedTopic

OFF_ENV = "LEAFLET_GEN_NO_CHECK_CACHE"
FORMAT = 3  # 2: a language check keeps its audiences' voices; 3: claims coverage
CHECKED_FOLDERS = ("content", "practices", "variants", "fonts")
# Where Hunspell looks for a dictionary (besides $DICPATH), and the personal word lists it reads.
_DICTIONARY_DIRS = ("/usr/share/hunspell", "/usr/share/myspell", "/usr/share/myspell/dicts", "/usr/local/share/hunspell")


def enabled() -> bool:
    return not os.environ.get(OFF_ENV)


def _cache_path(root: Path) -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "leaflet-gen" / f"check-{hashlib.sha256(str(root).encode()).hexdigest()[:16]}.json"


def _stat(path: str | Path) -> tuple | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (str(path), st.st_size, st.st_mtime_ns)


def dictionaries_key(dictionary: str = "nl_NL", program: str = "hunspell") -> str:
    """What the language check's dictionaries are: the Hunspell program, its dictionary files
    wherever it may find them, the personal word lists, and pyphen's hyphenation patterns."""
    home = Path.home()
    dirs = [*filter(None, os.environ.get("DICPATH", "").split(":")), *_DICTIONARY_DIRS, str(home)]
    files = [f"{d}/{dictionary}{ext}" for d in dirs for ext in (".aff", ".dic")]
    files += [str(home / f".hunspell_{dictionary}"), str(home / ".hunspell_default")]
    parts = [shutil.which(program), _stat(shutil.which(program) or "/nonexistent"), [_stat(f) for f in files],
             os.environ.get("DICTIONARY"), os.environ.get("WORDLIST")]
    try:
        import pyphen  # cheap: lists its dictionaries, loads none

        patterns = pyphen.LANGUAGES.get(dictionary)
        parts += [getattr(pyphen, "__version__", None), _stat(str(patterns)) if patterns else None]
    except ImportError:
        parts.append("no pyphen")
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def _hash_files(paths) -> str:
    from leaflet_gen.pipeline.inputs import file_hash

    digest = hashlib.sha256()
    for path in sorted(map(Path, paths)):
        digest.update(f"{path}\0{file_hash(path)}\0".encode())
    return digest.hexdigest()


def _installed_packages() -> list[str]:
    """Name and version of every installed distribution, from the folder names. Not from
    sys.path[0]: the script's folder or the current one, which differ between `leaflet-gen`
    and `python -m leaflet_gen` without changing what is installed."""
    found = set()
    for entry in sys.path[1:]:
        try:
            found.update(n for n in os.listdir(entry or ".") if n.endswith((".dist-info", ".egg-info")))
        except OSError:
            continue
    return sorted(found)


def _code_key() -> str:
    """leaflet-gen's code and its built-in theme (a variant check reads)."""
    from leaflet_gen import theme

    package = Path(__file__).resolve().parent.parent
    return _hash_files([*(p for p in package.rglob("*.py") if "__pycache__" not in p.parts), *theme.files()])


class CheckCache:
    """The cache file of one project: read once, written once at the end of a check."""

    def __init__(self, root: Path) -> None:
        self.path = _cache_path(root)
        self.data = {"format": FORMAT, "topics": {}, "check": None}
        if not enabled():
            self.path = None
            return
        try:
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
            if loaded.get("format") == FORMAT and isinstance(loaded.get("topics"), dict):
                self.data = loaded
        except (OSError, ValueError, AttributeError):
            pass
        self._used: set[str] = set()

    def save(self) -> None:
        if self.path is None:
            return
        # Only the topics of this check: the file does not grow with every edit ever made.
        self.data["topics"] = {k: v for k, v in self.data["topics"].items() if k in self._used}
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            write_atomic(self.path, json.dumps(self.data, ensure_ascii=False).encode("utf-8"), mode=0o600, sync=False)
        except (OSError, NotAFile):
            pass  # a cache that cannot be written is not used

    # --- the language check of one topic -----------------------------------------------------------

    def lint_topic(self, topic: LoadedTopic, wordlist_file: Path, wordlist: set[str],
                   dictionaries: str) -> LintReport:
        from leaflet_gen.content import lint
        from leaflet_gen.pipeline.inputs import tree

        if self.path is None:
            return lint.lint_topic(topic, wordlist)
        try:
            key = _hash_files([*tree(topic.folder), *([wordlist_file] if wordlist_file.is_file() else []),
                               Path(lint.__file__)])
        except LeafletError:
            return lint.lint_topic(topic, wordlist)
        key = hashlib.sha256(f"{key}\0{dictionaries}\0{__version__}".encode()).hexdigest()
        self._used.add(key)
        cached = self.data["topics"].get(key)
        if cached is not None:
            try:
                return lint_report_from(cached)
            except (TypeError, KeyError, ValueError):
                pass
        report = lint.lint_topic(topic, wordlist)
        if not any(f.rule == "setup" for f in report.findings):  # Hunspell missing: not an answer to keep
            self.data["topics"][key] = lint_record(report)
        return report

    # --- the whole check -------------------------------------------------------------------------

    def stamp(self, root: Path, practices: list[str] | None, today: dt.date, dictionaries: str) -> str | None:
        if self.path is None:
            return None
        from leaflet_gen.content.settings import SETTINGS_FILE
        from leaflet_gen.pipeline.inputs import _installed_fonts, tree

        try:
            files = [p for folder in CHECKED_FOLDERS if (root / folder).is_dir() for p in tree(root / folder, root)]
            files += [p for p in (root / SETTINGS_FILE,) if p.exists()]  # audiences and their voices
            digest = _hash_files(files)
        except LeafletError:
            return None
        # The fonts: check names characters the leaflet font lacks (content/glyphs.py).
        parts = [FORMAT, str(root), digest, _code_key(), _installed_packages(), sorted(practices or []),
                 today.isoformat(), dictionaries, sys.version, _installed_fonts()]
        return hashlib.sha256(json.dumps(parts).encode()).hexdigest()

    def replay(self, stamp: str | None) -> CheckReport | None:
        record = self.data.get("check")
        if stamp is None or not isinstance(record, dict) or record.get("stamp") != stamp:
            return None
        from leaflet_gen.content.check import CheckReport

        try:
            return CheckReport(lines=list(record["lines"]), warnings=[Problem(**w) for w in record["warnings"]],
                               language=[lint_report_from(r) for r in record["language"]],
                               coverage=list(record["coverage"]), claims=dict(record["claims"]))
        except (TypeError, KeyError, ValueError):
            return None

    def record(self, stamp: str | None, report: CheckReport) -> None:
        """Keep a check that found no problem (one with problems is re-done until fixed)."""
        if stamp is None or report.problems:
            self.data["check"] = None
            return
        self.data["check"] = {"stamp": stamp, "lines": report.lines,
                              "warnings": [{**asdict(w), "file": str(w.file)} for w in report.warnings],
                              "language": [lint_record(r) for r in report.language],
                              "coverage": report.coverage, "claims": report.claims}


def lint_record(report: LintReport) -> dict:
    return {"topic": report.topic, "folder": report.folder,
            "stats": {aud: [asdict(r) for r in rows] for aud, rows in report.stats.items()},
            "findings": [asdict(f) for f in report.findings], "voices": dict(report.voices)}


def lint_report_from(data: dict) -> LintReport:
    from leaflet_gen.content.lint import Finding, LintReport, SectionStats

    return LintReport(data["topic"], data["folder"],
                      {aud: [SectionStats(**r) for r in rows] for aud, rows in data["stats"].items()},
                      [Finding(**f) for f in data["findings"]], voices=dict(data.get("voices") or {}))
