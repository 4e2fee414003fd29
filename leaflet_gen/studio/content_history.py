"""The history of a topic's texts: every studio save and approval is a version.

In a git repository each is a commit of exactly the files the studio wrote (``git commit --only
-- <paths>``: nothing else the user has changed or staged is committed), with the name the person
gave as its author ("Folderstudio" without one). Outside git, each is a line of
``content/<topic>/journal.jsonl`` holding the files' text before and after, so that every version
can be shown again. The CLI leaves git alone: only the studio records here.

A version is shown as the text difference per section between it and now (difflib), and for
git versions as ``leaflet-gen diff``'s pictures (old and new side by side, changes framed).
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from leaflet_gen.i18n import msg
from leaflet_gen.studio import core_content
from leaflet_gen.studio.refusals import writing

JOURNAL = "journal.jsonl"
AUTHOR = "Folderstudio"
MAX_VERSIONS = 200
KEEP_VISUALS = 8
_HASH = re.compile(r"[0-9a-f]{40}")


def _git(root: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, timeout=60,
                          env={**os.environ, **(env or {})})


def in_git(root: Path) -> bool:
    try:
        return _git(root, "rev-parse", "--is-inside-work-tree").stdout.strip() == b"true"
    except (OSError, subprocess.TimeoutExpired):
        return False


def record(root: Path, topic: str, changes: dict[Path, tuple[str, str]], message: str, by: str) -> str:
    """Record one version: ``changes`` is path -> (text before, text after). Returns what the page
    says about it (a commit that fails leaves the saved file as it is and says why)."""
    by = " ".join(by.split())[:200] or AUTHOR
    if in_git(root):
        return _commit(root, list(changes), message, by)
    journal = root / "content" / topic / JOURNAL
    line = json.dumps({"at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "by": by, "what": message,
                       "files": {_rel(root, p): {"before": b, "after": a} for p, (b, a) in changes.items()}},
                      ensure_ascii=False, sort_keys=True)
    old = journal.read_bytes() if journal.is_file() else b""
    with writing(f"content/{topic}/"):
        core_content.write_atomic(journal, old + line.encode("utf-8") + b"\n")
    return msg("Recorded in %(journal)s.", journal=f"content/{topic}/{JOURNAL}")


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _commit(root: Path, paths: list[Path], message: str, by: str) -> str:
    names = [str(p) for p in paths]
    env = {}
    if _git(root, "config", "user.email").returncode != 0:  # no identity configured: the studio commits
        env = {"GIT_COMMITTER_NAME": AUTHOR, "GIT_COMMITTER_EMAIL": ""}
    try:
        added = _git(root, "add", "--", *names)
        done = added if added.returncode != 0 else _git(
            root, "commit", "--quiet", "--only", "-m", message, f"--author={by} <>", "--", *names, env=env)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return msg("Saved, but not recorded in git: %(error)s", error=exc)
    if done.returncode != 0:
        error = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
        return msg("Saved, but not recorded in git: %(error)s", error=error[-1] if error else done.returncode)
    commit = _git(root, "rev-parse", "--short", "HEAD").stdout.decode().strip()
    return msg("Recorded in git (%(commit)s).", commit=commit)


# --- reading the history ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Version:
    id: str  # a commit hash, or a journal line number
    at: str  # ISO 8601
    by: str
    what: str


def versions(root: Path, topic: str) -> tuple[bool, list[Version]]:
    """(in git?, the versions of content/<topic>, newest first)."""
    if in_git(root):
        log = _git(root, "log", f"-n{MAX_VERSIONS}", "--format=%H%x1f%aI%x1f%an%x1f%s", "--", f"content/{topic}")
        out = []
        for line in log.stdout.decode("utf-8", "replace").splitlines():
            parts = line.split("\x1f")
            if len(parts) == 4:
                out.append(Version(*parts))
        return True, out
    return False, [Version(str(n), e["at"], e["by"], e["what"]) for n, e in reversed(list(enumerate(_journal(root, topic))))]


def _journal(root: Path, topic: str) -> list[dict]:
    path = root / "content" / topic / JOURNAL
    if not path.is_file():
        return []
    out = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and isinstance(entry.get("files"), dict):
            out.append({"at": str(entry.get("at", "")), "by": str(entry.get("by", "")),
                        "what": str(entry.get("what", "")), "files": entry["files"]})
    return out


def find(root: Path, topic: str, version_id: str) -> tuple[bool, Version | None]:
    """A version by the id in an address: looked up among the topic's versions, never passed on as given."""
    git, found = versions(root, topic)
    if git and not _HASH.fullmatch(version_id):
        return git, None
    return git, next((v for v in found if v.id == version_id), None)


def files_then(root: Path, topic: str, git: bool, version: Version) -> dict[str, str]:
    """The texts of content/<topic>/ (by file name) as they were right after ``version``."""
    if git:
        return {Path(name).name: data.decode("utf-8", "replace")
                for name, data in core_content.files_at(root, version.id, f"content/{topic}").items()}
    entries = _journal(root, topic)
    number = int(version.id)
    now = {p.name: p.read_text(encoding="utf-8", errors="replace")
           for p in (root / "content" / topic).glob("*.yaml")}
    then = dict(now)
    for name in now.keys() | {Path(f).name for e in entries for f in e["files"]}:
        later = [e["files"][f] for e in entries[number + 1:] for f in e["files"] if Path(f).name == name]
        upto = [e["files"][f] for e in entries[:number + 1] for f in e["files"] if Path(f).name == name]
        if upto:
            then[name] = str(upto[-1].get("after", ""))
        elif later:
            then[name] = str(later[0].get("before", ""))
    return then


@dataclass
class SectionDiff:
    id: str
    state: str  # "changed" | "new" | "gone"
    lines: list[tuple[str, str]] = field(default_factory=list)  # (css class, line)


def text_differences(root: Path, topic: str, then: dict[str, str]) -> list[SectionDiff]:
    """Per section file (topic.yaml too), the lines that changed between ``then`` and now."""
    folder = root / "content" / topic
    now = {p.name: p.read_text(encoding="utf-8", errors="replace") for p in folder.glob("*.yaml")}
    out = []
    for name in sorted((now.keys() | then.keys()) - {JOURNAL}):
        if not name.endswith(".yaml"):
            continue
        old, new = then.get(name, ""), now.get(name, "")
        if old == new:
            continue
        state = "new" if name not in then else "gone" if name not in now else "changed"
        lines = []
        for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=1):
            if line.startswith(("---", "+++")):
                continue
            cls = {"+": "add", "-": "del", "@": "hunk"}.get(line[:1], "ctx")
            lines.append((cls, line))
        out.append(SectionDiff(name.removesuffix(".yaml"), state, lines))
    return out


class Visuals:
    """Pictures of visual differences, in memory (a few, newest kept), by a token in their address."""

    def __init__(self) -> None:
        self.kept: OrderedDict[str, dict[str, bytes]] = OrderedDict()
        self.lock = threading.Lock()

    def make(self, root: Path, topic: str, audience: str, version: Version) -> tuple[str, list[str]]:
        """``leaflet-gen diff`` of the leaflet since ``version``: (token, picture names)."""
        token = f"{version.id[:12]}-{audience}"
        with self.lock:
            if token in self.kept:
                return token, list(self.kept[token])
        folder = Path(tempfile.mkdtemp(prefix="leaflet-studio-diff-"))
        try:
            paths = core_content.visual_diff(root, topic, audience, version.id, folder / "out")
            pictures = {p.name: p.read_bytes() for p in paths}
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        with self.lock:
            self.kept[token] = pictures
            while len(self.kept) > KEEP_VISUALS:
                self.kept.popitem(last=False)
        return token, list(pictures)

    def picture(self, token: str, name: str) -> bytes | None:
        with self.lock:
            return self.kept.get(token, {}).get(name)
