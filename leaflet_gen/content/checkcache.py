"""What makes ``leaflet-gen check`` fast: no work for what has not changed since the last check.

Two caches, each keyed on everything its answer depends on:

- **The language check of a topic** (:meth:`CheckCache.lint_topic`: Hunspell with the Dutch
  dictionary, pyphen's hyphenation patterns), keyed on the topic folder's files, the word list,
  the installed Hunspell program and its dictionaries, pyphen's dictionary and the language-check
  code: an edit to a practice or a variant re-lints no topic, and an edit to one topic re-lints
  only that one.
- **The whole check** (:meth:`CheckCache.replay`): when every file of content/, practices/,
  variants/ and fonts/, the settings file, the installed fonts, leaflet-gen's code and built-in theme, the installed
  packages, the two dictionaries, the practices asked for and today's date (review dates pass)
  are as at the last check that found no problem, its record is returned, and the check's report
  is read back from it without importing the schemas, markdown-it or either dictionary (like a
  no-op build).

Both live in ``$XDG_CACHE_HOME/leaflet-gen/`` (default ``~/.cache``), one file per project; a
missing, damaged or unwritable cache means the work is simply done. ``LEAFLET_GEN_NO_CHECK_CACHE=1``
switches both off. The cache keeps plain JSON records: what they hold is for
:class:`~leaflet_gen.content.check.CheckReport` and :class:`~leaflet_gen.content.lint.LintReport`
to say (``as_record``, ``from_record``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from leaflet_gen import __version__, theme
from leaflet_gen.errors import LeafletError
from leaflet_gen.files import NotAFile, write_atomic
from leaflet_gen.fingerprint import code_files, file_state, hash_files, installed_fonts, installed_packages, tree

if TYPE_CHECKING:
    from leaflet_gen.content.lint import LintReport
    from leaflet_gen.content.loaded import LoadedTopic

OFF_ENV = "LEAFLET_GEN_NO_CHECK_CACHE"
FORMAT = 4  # 2: a language check keeps its audiences' voices; 3: claims coverage; 4: the check's record apart
CHECKED_FOLDERS = ("content", "practices", "variants", "fonts")
# Where Hunspell looks for a dictionary (besides $DICPATH), and the personal word lists it reads.
_DICTIONARY_DIRS = ("/usr/share/hunspell", "/usr/share/myspell", "/usr/share/myspell/dicts", "/usr/local/share/hunspell")


def enabled() -> bool:
    return not os.environ.get(OFF_ENV)


def _cache_path(root: Path) -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "leaflet-gen" / f"check-{hashlib.sha256(str(root).encode()).hexdigest()[:16]}.json"


def dictionaries_key(dictionary: str = "nl_NL", program: str = "hunspell") -> str:
    """What the language check's dictionaries are: the Hunspell program, its dictionary files
    wherever it may find them, the personal word lists, and pyphen's hyphenation patterns."""
    home = Path.home()
    dirs = [*filter(None, os.environ.get("DICPATH", "").split(":")), *_DICTIONARY_DIRS, str(home)]
    files = [f"{d}/{dictionary}{ext}" for d in dirs for ext in (".aff", ".dic")]
    files += [str(home / f".hunspell_{dictionary}"), str(home / ".hunspell_default")]
    parts = [shutil.which(program), file_state(shutil.which(program) or "/nonexistent"), [file_state(f) for f in files],
             os.environ.get("DICTIONARY"), os.environ.get("WORDLIST")]
    try:
        import pyphen  # cheap: lists its dictionaries, loads none

        patterns = pyphen.LANGUAGES.get(dictionary)
        parts += [getattr(pyphen, "__version__", None), file_state(str(patterns)) if patterns else None]
    except ImportError:
        parts.append("no pyphen")
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


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

        if self.path is None:
            return lint.lint_topic(topic, wordlist)
        try:
            key = hash_files([*tree(topic.folder), *([wordlist_file] if wordlist_file.is_file() else []),
                               Path(lint.__file__)])
        except LeafletError:
            return lint.lint_topic(topic, wordlist)
        key = hashlib.sha256(f"{key}\0{dictionaries}\0{__version__}".encode()).hexdigest()
        self._used.add(key)
        cached = self.data["topics"].get(key)
        if cached is not None:
            try:
                return lint.LintReport.from_record(cached)
            except (TypeError, KeyError, ValueError):
                pass
        report = lint.lint_topic(topic, wordlist)
        if not any(f.rule == "setup" for f in report.findings):  # Hunspell missing: not an answer to keep
            self.data["topics"][key] = report.as_record()
        return report

    # --- the whole check -------------------------------------------------------------------------

    def stamp(self, root: Path, practices: list[str] | None, today: dt.date, dictionaries: str) -> str | None:
        if self.path is None:
            return None
        from leaflet_gen.content.settings import SETTINGS_FILE

        try:
            files = [p for folder in CHECKED_FOLDERS if (root / folder).is_dir() for p in tree(root / folder, root)]
            files += [p for p in (root / SETTINGS_FILE,) if p.exists()]  # audiences and their voices
            digest = hash_files(files)
        except LeafletError:
            return None
        # The fonts: check names characters the leaflet font lacks (content/glyphs.py).
        parts = [FORMAT, str(root), digest, hash_files([*code_files(), *theme.files()]), installed_packages(), sorted(practices or []),
                 today.isoformat(), dictionaries, sys.version, installed_fonts()]
        return hashlib.sha256(json.dumps(parts).encode()).hexdigest()

    def replay(self, stamp: str | None) -> dict | None:
        """The record of the last check, if it was made with this ``stamp`` (see :meth:`record`)."""
        record = self.data.get("check")
        if stamp is None or not isinstance(record, dict) or record.get("stamp") != stamp:
            return None
        return record.get("report") if isinstance(record.get("report"), dict) else None

    def record(self, stamp: str | None, report: dict | None) -> None:
        """Keep the record of a check that found no problem (None: one with problems, which is
        done again until they are fixed)."""
        self.data["check"] = {"stamp": stamp, "report": report} if stamp is not None and report is not None else None
