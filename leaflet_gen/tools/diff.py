"""``leaflet-gen diff``: what changed in a leaflet since a version, as text and as pictures.

For a print shop or a review meeting: the leaflet is built twice, from the topic's files at a git
revision and as they are now (everything else as it is now), and for each sheet (or page) a picture
shows the old and the new side by side with the changed areas framed in red, per panel. A text file
lists, per section of the audience, the lines that changed (a unified diff of the section files).
"""

from __future__ import annotations

import difflib
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from leaflet_gen.errors import LeafletError

_COPIED = ("content", "practices", "templates", "styles", "variants", "fonts", "profiles", "leaflet-gen.yml")
_MARK = (200, 16, 46)  # the CONCEPT red: what changed
_GAP = 24


@dataclass
class Difference:
    """What ``diff`` found and wrote."""

    changed: list[str] = field(default_factory=list)  # panels (or pages) whose pixels differ
    sections: list[str] = field(default_factory=list)  # section ids whose file differs
    files: list[Path] = field(default_factory=list)


def _git(root: Path, *args: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, timeout=60)
    except FileNotFoundError:
        raise LeafletError("git is not installed: --since needs it (apt-get install git)") from None
    except subprocess.TimeoutExpired:
        raise LeafletError("git did not answer within 60 s") from None


def files_at(root: Path, rev: str, folder: str) -> dict[str, bytes]:
    """The files under ``folder`` (relative to the project) at git revision ``rev``."""
    if rev.startswith("-"):
        raise LeafletError(f'"{rev}" is not a revision (a commit, tag or branch like HEAD~1)')
    prefix = _git(root, "rev-parse", "--show-prefix")
    if prefix.returncode != 0:
        raise LeafletError(f"{root} is not in a git repository: --since compares with a git revision; commit "
                           "the project with git first")
    base = prefix.stdout.decode().strip()
    known = _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    if known.returncode != 0:
        raise LeafletError(f'unknown revision "{rev}" in the git repository of {root}: give a commit, tag or '
                           "branch, like HEAD~1 (git log shows them)")
    listed = _git(root, "ls-tree", "-r", "-z", "--name-only", rev, "--", f"{base}{folder}")
    found = {}
    for name in filter(None, listed.stdout.decode("utf-8", "replace").split("\0")):
        shown = _git(root, "show", f"{rev}:{name}")
        if shown.returncode == 0:
            found[name[len(base):]] = shown.stdout
    return found


def _old_project(root: Path, rev: str, topic: str, into: Path) -> Path:
    """A copy of the project with the topic's folder as it was at ``rev``."""
    for name in _COPIED:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, into / name, symlinks=True)
        elif source.is_file():
            shutil.copy2(source, into / name)
    old = files_at(root, rev, f"content/{topic}")
    if not old:
        raise LeafletError(f'content/{topic} did not exist at revision "{rev}": nothing to compare with')
    shutil.rmtree(into / "content" / topic, ignore_errors=True)
    for rel, data in old.items():
        target = into / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return into


def _marked(old, new, title: str):
    """Old and new side by side; each changed area framed in red on both."""
    from PIL import Image, ImageChops, ImageDraw

    canvas = Image.new("RGB", (old.width + new.width + _GAP, max(old.height, new.height) + 28), "white")
    canvas.paste(old, (0, 28))
    canvas.paste(new, (old.width + _GAP, 28))
    draw = ImageDraw.Draw(canvas)
    draw.text((4, 6), f"{title}: before (left), now (right); changed areas in red", fill=(0, 0, 0))
    box = ImageChops.difference(old, new).getbbox() if old.size == new.size else (0, 0, new.width, new.height)
    if box:
        x0, y0, x1, y1 = box
        for dx in (0, old.width + _GAP):
            draw.rectangle((dx + max(x0 - 4, 0), 28 + max(y0 - 4, 0), dx + x1 + 4, 28 + y1 + 4), outline=_MARK, width=3)
    return canvas, box is not None


def compare(root: Path, topic: str, audience: str, rev: str, output: Path, practice: Path,
            variant: str = "trifold", dpi: int = 60) -> Difference:
    """Build the leaflet at ``rev`` and now; write the pictures and the text differences to ``output``."""
    from leaflet_gen.content.project import Project
    from leaflet_gen.files import write_together
    from leaflet_gen.pdf.raster import rasterise
    from leaflet_gen.pipeline.build import Job, build

    now = Project.open(root)
    result = Difference()
    with tempfile.TemporaryDirectory(prefix="leaflet-diff-") as tmp:
        old_root = _old_project(now.root, rev, topic, Path(tmp) / "old")
        before = Project.open(old_root)
        job = Job.of(practice, topic, audience, variant)
        old_job = Job.of(old_root / "practices" / practice.name, topic, audience, variant)
        new_pdf = build(now, job, Path(tmp) / "new-out").path
        old_pdf = build(before, old_job, Path(tmp) / "old-out").path
        the_variant = now.load_variant(variant)
        old_sheets, old_panels = rasterise(old_pdf, before.load_variant(variant), dpi)
        new_sheets, new_panels = rasterise(new_pdf, the_variant, dpi)
        pictures = {}
        slug = f"{topic}-{audience}-{variant}"
        if the_variant.panels:
            for sheet in the_variant.sheets:
                row = []
                for panel in the_variant.sheet_panels(sheet.id):
                    picture, changed = _marked(old_panels[panel.id], new_panels[panel.id], panel.label)
                    row.append(picture)
                    if changed:
                        result.changed.append(panel.id)
                pictures[output / f"{slug}-{sheet.id}.png"] = _row(row)
        else:
            for index in range(max(len(old_sheets), len(new_sheets))):
                blank = new_sheets[0].copy() if new_sheets else old_sheets[0].copy()
                blank.paste("white", (0, 0, blank.width, blank.height))
                old = old_sheets[index] if index < len(old_sheets) else blank
                new = new_sheets[index] if index < len(new_sheets) else blank
                picture, changed = _marked(old, new, f"page {index + 1}")
                if changed:
                    result.changed.append(f"page-{index + 1}")
                pictures[output / f"{slug}-page-{index + 1}.png"] = picture
        text = _text_changes(before, now, topic, audience, result)
        files = {path: _png(picture) for path, picture in pictures.items()}
        files[output / f"{slug}-changes.txt"] = text.encode("utf-8")
        output.mkdir(parents=True, exist_ok=True)
        write_together(files, sync=False)
        result.files = sorted(files)
    return result


def _row(pictures):
    from PIL import Image

    width = sum(p.width for p in pictures) + _GAP * (len(pictures) - 1)
    canvas = Image.new("RGB", (width, max(p.height for p in pictures)), (235, 235, 235))
    x = 0
    for picture in pictures:
        canvas.paste(picture, (x, 0))
        x += picture.width + _GAP
    return canvas


def _png(image) -> bytes:
    import io

    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def _text_changes(before, now, topic: str, audience: str, result: Difference) -> str:
    """Per section of the audience (now and then), the changed lines of its file."""
    def sections(project) -> tuple[list[str], dict[str, Path]]:
        loaded = project.load_topic(topic)
        entry = loaded.data.audiences.get(audience)
        return (entry.section_ids if entry else []), loaded.section_files

    old_ids, old_files = sections(before)
    new_ids, new_files = sections(now)
    out = [f"Changes in content/{topic} for {audience} (sections in leaflet order)", ""]
    for sid in dict.fromkeys(new_ids + old_ids):
        old = old_files[sid].read_text(encoding="utf-8").splitlines() if sid in old_ids else []
        new = new_files[sid].read_text(encoding="utf-8").splitlines() if sid in new_ids else []
        lines = list(difflib.unified_diff(old, new, f"{sid} (before)", f"{sid} (now)", lineterm="", n=1))
        if lines:
            result.sections.append(sid)
            out += [*lines, ""]
    if not result.sections:
        out.append("No section of this leaflet changed.")
    return "\n".join(out) + "\n"
