"""Saving the practice editor's form as practice.yaml (and its logo).

Writes are atomic. An existing file is edited as a round trip (ruamel.yaml): only the values that
changed are replaced, so the manager's comments, key order, quoting and the ``colors``/``colours``
spelling stay as they were. A save is refused when the file changed on disk since the form was
opened (someone edited it by hand meanwhile): the form would otherwise silently undo that edit.
"""

from __future__ import annotations

import errno
import io
import os
import shutil
import tempfile
from pathlib import Path

from leaflet_gen.errors import LeafletError
from leaflet_gen.i18n import msg
from leaflet_gen.studio import core_practice
from leaflet_gen.studio.drafts import Drafts
from leaflet_gen.studio.editor import Draft, check, digest
from leaflet_gen.studio.refusals import Refused, unreadable, writing


class SaveRefused(Refused):
    """The save cannot go ahead; the message says why and what to do (``fields``: per field)."""

    def __init__(self, message: str, fields: dict | None = None) -> None:
        super().__init__(message, 409, fields)


def save(project, drafts: Drafts, draft: Draft, version: str) -> tuple[Path, str]:
    """Write practice.yaml (and the uploaded logo) after checking the draft once more; returns
    where, and the version written (see :class:`Opened`).

    Raises :class:`SaveRefused` (problems, the file changed on disk, the practice appeared
    meanwhile), or :class:`Refused` when the project cannot be written (see ``refusals.writing``).
    """
    data = draft.data()
    result = check(project, draft)
    if not result["ok"]:
        raise SaveRefused(msg("Not saved: first fix the errors in the form (marked in red)."), result["problems"])
    with drafts.save_lock:
        if draft.opened is not None:
            return _save_existing(project, draft, data, version)
        return _save_new(project, draft, data)


def _save_existing(project, draft: Draft, data: dict, version: str) -> tuple[Path, str]:
    opened = draft.opened
    target = opened.folder / "practice.yaml"
    try:
        now = core_practice.read_practice_text(project, opened.folder)  # as open_practice read it
    except LeafletError as exc:
        if not os.path.lexists(target):
            raise SaveRefused(msg("Not saved: practice.yaml no longer exists. Reload the page.")) from None
        raise unreadable(exc) from None
    if digest(now.encode("utf-8")) != version:
        raise SaveRefused(msg("Not saved: practice.yaml was changed outside the studio since you opened this form. "
                              "Saving would overwrite that change. Reload the page to see the new version (what you "
                              "typed here is then lost; write it down first if need be)."))
    text = update_text(now, data)
    logo_name = data["logo"]
    logo = draft.upload.path.read_bytes() if draft.upload else opened.logo_data  # checked (see check)
    if logo is None:
        raise SaveRefused(msg("Choose a logo file (SVG, PNG or JPEG)."))
    # Check the file as a build would load it, in a private copy of the folder (practice.yaml and
    # its logo), before anything in the practice folder changes. The copy is inside the project:
    # a build reads nothing from outside it. Its name does not hold the id: an id as long as a
    # folder name may be is a valid one.
    with writing(f"practices/{opened.id}/"):
        with tempfile.TemporaryDirectory(prefix=".save-", dir=project.root / "practices",
                                         ignore_cleanup_errors=True) as tmp:
            staged = Path(tmp) / opened.id
            staged.mkdir()
            (staged / "practice.yaml").write_text(text, encoding="utf-8")
            (staged / logo_name).write_bytes(logo)
            _loads(project, staged)
        if draft.upload is not None:
            core_practice.write_atomic(opened.folder / logo_name, logo)
        core_practice.write_atomic(target, text.encode("utf-8"))  # last: it is what names the logo
    return target, digest(text.encode("utf-8"))


def _loads(project, staged: Path) -> None:
    """The staged practice folder loads as a build would load it (else nothing is written)."""
    try:
        core_practice.load_practice_fresh(project, staged)
    except Exception as exc:  # noqa: BLE001 - would be a bug in the editor: say so, write nothing
        raise SaveRefused(msg("Not saved: the written file does not load (a mistake in the studio, please report "
                              "it): %(error)s", error=exc)) from None


def _save_new(project, draft: Draft, data: dict) -> tuple[Path, str]:
    if draft.upload is None:
        raise SaveRefused(msg("Choose a logo file (SVG, PNG or JPEG)."))
    practice_id = data["id"]
    practices = project.root / "practices"
    target = practices / practice_id
    if os.path.lexists(target):
        raise SaveRefused(msg("Not saved: a practice “%(id)s” already exists. Choose another short name.", id=practice_id))
    text = core_practice.new_practice_text(project, data)
    # Staged beside its final place and moved in one rename: practices/<id>/ appears complete
    # (the studio's watcher never sees a practice.yaml without its logo). The staging folder's
    # name does not hold the id (see _save_existing).
    with writing("practices/"):
        staging = Path(tempfile.mkdtemp(prefix=".new-", dir=practices))
        try:
            staged = staging / practice_id
            staged.mkdir()
            (staged / "practice.yaml").write_text(text, encoding="utf-8")
            shutil.copyfile(draft.upload.path, staged / data["logo"])  # the private copy of the upload
            _loads(project, staged)
            try:
                os.rename(staged, target)  # fails if the folder appeared meanwhile: never merged into it
            except OSError as exc:
                if exc.errno in (errno.EEXIST, errno.ENOTEMPTY, errno.EISDIR, errno.ENOTDIR):
                    raise SaveRefused(msg("Not saved: a practice “%(id)s” already exists. Choose another short name.", id=practice_id)) from None
                raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return target / "practice.yaml", digest(text.encode("utf-8"))


# --- the round trip ------------------------------------------------------------------------------

UNQUOTED = {"id", "logo", "icc_profile"}  # written plain, like the shipped files (and the wizard's)


def round_trip_yaml():
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long value onto a second line
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def update_text(text: str, data: dict) -> str:
    """``text`` (a practice.yaml) with the values of ``data`` (validated draft data): changed
    values replaced in place, new keys added in the schema's order, emptied optional keys
    removed; comments, order, quoting and untouched values stay as the file had them."""
    yaml = round_trip_yaml()
    document = yaml.load(text)
    _merge(document, data, [f.key for f in core_practice.practice_fields()], "")
    out = io.StringIO()
    yaml.dump(document, out)
    return out.getvalue()


def _merge(node, data: dict, keys: list[str], prefix: str) -> None:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    names = list(dict.fromkeys(k[len(prefix):].split(".")[0] for k in keys if k.startswith(prefix)))
    for name in names:
        key = name
        if name == "colours" and "colours" not in node and "colors" in node:
            key = "colors"  # the file's own spelling stays
        new = data.get(name)
        nested = any(k.startswith(prefix + name + ".") for k in keys)
        if new is None and nested and isinstance(node.get(key), CommentedMap):
            _merge(node[key], {}, keys, prefix + name + ".")  # the form's keys go; others it has stay
            if not node[key]:
                del node[key]
            continue
        if new is None:
            if key in node:
                del node[key]
            continue
        if nested:
            if not isinstance(node.get(key), CommentedMap):
                _insert(node, key, CommentedMap(), names)
            _merge(node[key], new, keys, prefix + name + ".")
            continue
        old = node.get(key)
        if isinstance(new, list):
            items = [_scalar(v, name, None) for v in new]
            if isinstance(old, CommentedSeq):
                if list(old) != list(new):
                    del old[:]
                    old.extend(items)  # the same list object: its flow style and comment stay
                continue
            seq = CommentedSeq(items)
            seq.fa.set_flow_style()
            _insert(node, key, seq, names)
            continue
        if key in node and _same(old, new):
            continue
        _insert(node, key, _scalar(new, name, old), names)


def _same(old, new) -> bool:
    if isinstance(new, bool) or isinstance(old, bool):
        return old is new
    return str(old) == str(new)


def _scalar(value, name: str, old):
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, PlainScalarString, SingleQuotedScalarString

    if not isinstance(value, str):
        return value
    if isinstance(old, (DoubleQuotedScalarString, SingleQuotedScalarString, PlainScalarString)):
        return type(old)(value)  # the quoting the file used for this key
    if old is not None or name in UNQUOTED:
        return value  # was plain: ruamel quotes it only if YAML would misread it
    return DoubleQuotedScalarString(value)


def _insert(node, key: str, value, order: list[str]) -> None:
    """Set ``key``; a new key goes after the keys that come before it in the schema's order."""
    if key in node:
        node[key] = value
        return
    canonical = "colours" if key == "colors" else key
    before = order[:order.index(canonical)] if canonical in order else order
    position = 0
    for index, existing in enumerate(node):
        if ("colours" if existing == "colors" else existing) in before:
            position = index + 1
    node.insert(position, key, value)
