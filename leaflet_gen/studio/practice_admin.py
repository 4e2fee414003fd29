"""Duplicate, rename and delete a practice from the studio (its folder under practices/).

A practice's folder name is its id, and practice.yaml may repeat it (``id:``): both change
together, the file edited as a round trip (comments, order and quoting kept). A new folder
appears complete in one rename; nothing is merged into a folder that exists. Delete keeps a
copy: the folder moves to ``.trash/practices/<id>-<time>/`` in the project, and the message
says where, so a mistake is undone by moving it back.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import time
from pathlib import Path

from leaflet_gen.content.loaded import SOURCE_LANGUAGE
from leaflet_gen.content.schema import ID_MAX, SLUG_RE
from leaflet_gen.i18n import msg, translate
from leaflet_gen.studio.refusals import Refused, writing

TRASH = ".trash"


def folder_of(project, practice_id: str) -> Path | None:
    """An existing practice's folder, by an id the project lists (never a path from the URL)."""
    return next((p for p in project.practice_dirs() if p.name == practice_id), None)


def valid_new_id(project, new_id: str) -> str:
    """``new_id`` if it can name a new practice folder; else Refused with the reason in Dutch."""
    new_id = new_id.strip()
    if not new_id:
        raise Refused(msg("Type a new folder name."), 400)
    if not SLUG_RE.fullmatch(new_id) or len(new_id) > ID_MAX:
        raise Refused(msg("\"%(id)s\" cannot be a folder name: use lower-case letters, digits and single "
                               "hyphens, at most %(max)s characters, e.g. fysio-delinde.", id=new_id, max=ID_MAX), 400)
    if os.path.lexists(project.root / "practices" / new_id):
        raise Refused(msg("The folder name \"%(id)s\" is already taken by another practice "
                               "(practices/%(id)s/); choose another.", id=new_id), 409)
    return new_id


def _with_new_id(text: str, new_id: str, name_suffix: str = "") -> str:
    """practice.yaml's text with ``id:`` (when it has one) set to ``new_id``, comments kept."""
    from leaflet_gen.studio.practice_file import round_trip_yaml

    yaml = round_trip_yaml()
    document = yaml.load(text)
    if "id" in document:
        document["id"] = type(document["id"])(new_id) if isinstance(document["id"], str) else new_id
    if name_suffix and isinstance(document.get("name"), str):
        document["name"] = type(document["name"])(document["name"] + name_suffix)
    out = io.StringIO()
    yaml.dump(document, out)
    return out.getvalue()


def duplicate(project, source_id: str, new_id: str) -> str:
    """A copy of the practice under ``new_id`` (its name marked as a copy); returns the new id."""
    source = folder_of(project, source_id)
    if source is None:
        raise Refused(msg("There is no practice \"%(id)s\".", id=source_id), 404)
    new_id = valid_new_id(project, new_id)
    practices = project.root / "practices"
    with writing("practices/"):
        staging = Path(tempfile.mkdtemp(prefix=".copy-", dir=practices))
        try:
            staged = staging / new_id
            shutil.copytree(source, staged, symlinks=True)
            yaml_file = staged / "practice.yaml"
            yaml_file.write_text(_with_new_id(yaml_file.read_text(encoding="utf-8"), new_id,
                                              translate(msg(" (copy)"), SOURCE_LANGUAGE)), encoding="utf-8")
            _move_in(staged, practices / new_id, new_id)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return new_id


def rename(project, old_id: str, new_id: str) -> str:
    """The practice's folder renamed to ``new_id`` and its ``id:`` with it; returns the new id."""
    source = folder_of(project, old_id)
    if source is None:
        raise Refused(msg("There is no practice \"%(id)s\".", id=old_id), 404)
    new_id = valid_new_id(project, new_id)
    yaml_file = source / "practice.yaml"
    with writing(f"practices/{old_id}/"):
        text = yaml_file.read_text(encoding="utf-8")
        renamed = _with_new_id(text, new_id)
        _move_in(source, source.parent / new_id, new_id)
        if renamed != text:
            from leaflet_gen.studio.core_practice import write_atomic

            write_atomic(source.parent / new_id / "practice.yaml", renamed.encode("utf-8"))
    return new_id


def delete(project, practice_id: str) -> str:
    """Move the practice's folder to the project's .trash/ (a copy kept); returns where, as the
    user finds it ("".trash/practices/fysio-delinde-20261206-101500")."""
    source = folder_of(project, practice_id)
    if source is None:
        raise Refused(msg("There is no practice \"%(id)s\".", id=practice_id), 404)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    trash = project.root / TRASH / "practices"
    with writing(f"{TRASH}/practices/"):
        trash.mkdir(parents=True, exist_ok=True)
        target, n = trash / f"{practice_id}-{stamp}", 1
        while os.path.lexists(target):
            n += 1
            target = trash / f"{practice_id}-{stamp}-{n}"
        os.rename(source, target)
    return target.relative_to(project.root).as_posix()


def _move_in(source: Path, target: Path, new_id: str) -> None:
    """One rename; refused (never merged) when ``target`` appeared meanwhile."""
    import errno

    try:
        os.rename(source, target) if not os.path.lexists(target) else _raise_exists()
    except OSError as exc:
        if exc.errno in (errno.EEXIST, errno.ENOTEMPTY, errno.EISDIR, errno.ENOTDIR):
            raise Refused(msg("The folder name \"%(id)s\" is already taken by another practice "
                                   "(practices/%(id)s/); choose another.", id=new_id), 409) from None
        raise


def _raise_exists():
    import errno

    raise OSError(errno.EEXIST, "exists")
