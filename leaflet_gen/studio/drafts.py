"""What open practice-editor pages uploaded (logos, checked as the build checks them) and the
pictures of their drafts' tri-folds (rendered by the studio's warm render processes), in memory
and one private folder removed when the studio stops.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from leaflet_gen.errors import Superseded
from leaflet_gen.i18n import msg
from leaflet_gen.studio import core, core_practice, pictures
from leaflet_gen.studio.editor import Draft, Upload, check_practice, digest
from leaflet_gen.studio.refusals import writing

MAX_LOGO_BYTES = 10 * 1024 * 1024  # a logo of 10 MB is already ten times what print needs
# A logo's pixels are decoded into memory (4 bytes each): 40 million is 160 MB and ~46 times the
# pixels of a 300 ppi logo at its printed size; a "decompression bomb" (a tiny file that claims
# 100 000 x 100 000 pixels) is refused from its header, before anything is decoded.
MAX_LOGO_PIXELS = 40_000_000
# The build accepts any logo and warns under 300 ppi; the editor, where a new logo is chosen,
# refuses one that would print visibly blurred (a logo copied from a website is often ~100 ppi).
MIN_UPLOAD_PPI = 150
PREVIEW_PANELS = ("cover", "back")
PREVIEW_DPI = 90  # a 100 mm panel is ~350 px: the size it is shown at beside the form
# The longest a preview is waited for (a whole tri-fold renders in ~1-3 s). The logo's bounds
# (content/logos.py) keep a logo under it; this stops whatever else a drawing could make slow.
PREVIEW_SECONDS = 30
KEEP_PREVIEWS = 24  # pictures kept for open pages (oldest dropped first)

# The placeholder logo of a preview before a logo is chosen: a dashed frame, no text (text in
# an SVG would be set in another font than the leaflet's, which the build refuses).
PLACEHOLDER_SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100" viewBox="0 0 300 100">'
                   b'<rect x="3" y="3" width="294" height="94" rx="10" fill="#FFFFFF" stroke="#8A8A8A" '
                   b'stroke-width="4" stroke-dasharray="14 8"/><circle cx="60" cy="50" r="22" fill="#BBBBBB"/>'
                   b'<rect x="100" y="36" width="160" height="10" fill="#BBBBBB"/>'
                   b'<rect x="100" y="56" width="110" height="10" fill="#BBBBBB"/></svg>')


@dataclass
class Drafts:
    """What open editor pages have uploaded and what their previews showed (memory and one
    private folder, removed when the studio stops)."""

    folder: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="leaflet-studio-drafts-")))
    uploads: OrderedDict = field(default_factory=OrderedDict)
    previews: OrderedDict = field(default_factory=OrderedDict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    save_lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.placeholder = self.folder / "placeholder.svg"
        self.placeholder.write_bytes(PLACEHOLDER_SVG)

    def keep_preview(self, pictures_: dict[str, bytes]) -> str:
        token = secrets.token_urlsafe(12)
        with self.lock:
            self.previews[token] = pictures_
            while len(self.previews) > KEEP_PREVIEWS:
                self.previews.popitem(last=False)
        return token

    def picture(self, token: str, name: str) -> bytes | None:
        with self.lock:
            return self.previews.get(token, {}).get(name)

    def upload(self, token: str) -> Upload | None:
        with self.lock:
            return self.uploads.get(token)

    def copy_of(self, data: bytes, kind: str) -> Path:
        """A private copy of a checked logo (what a preview renders: the bytes that were checked,
        not whatever the practice folder holds by the time the render reads it)."""
        path = self.folder / f"logo-{digest(data)}{Path(core_practice.LOGO_FILE_NAMES[kind]).suffix}"
        if not path.exists():
            with writing(str(self.folder)):
                path.write_bytes(data)
        return path

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def accept_logo(drafts: Drafts, data: bytes, name: str) -> Upload:
    """Check an uploaded logo as the build would; raise ValueError with the refusal to show."""
    shown = Path(name.replace("\\", "/")).name[:120] or "logo"
    if len(data) > MAX_LOGO_BYTES:
        raise ValueError(msg("“%(name)s” is %(mb).1f MB; a logo may be at most %(max)s MB.", name=shown, mb=len(data) / 1e6, max=MAX_LOGO_BYTES // 2 ** 20))
    if not data:
        raise ValueError(msg("“%(name)s” is empty.", name=shown))
    pixels = core_practice.image_pixels(data)
    if pixels is not None and pixels > MAX_LOGO_PIXELS:
        raise ValueError(msg("“%(name)s” has too many pixels (more than %(max)s million) and was not opened. Make "
                             "the logo smaller, or use an SVG.", name=shown, max=MAX_LOGO_PIXELS // 1_000_000))
    check = core_practice.check_logo(data, shown)
    if check.kind is None:
        raise ValueError(check.error or msg("“%(name)s” is not a PNG, JPEG or SVG image.", name=shown))
    if check.ppi is not None and check.ppi < MIN_UPLOAD_PPI:
        raise ValueError(msg("This logo would print blurred (less than %(min)s ppi) and is therefore refused. "
                             "%(advice)s", min=MIN_UPLOAD_PPI, advice=check.warning or ""))
    token = secrets.token_urlsafe(12)
    path = drafts.folder / f"{token}{Path(core_practice.LOGO_FILE_NAMES[check.kind]).suffix}"
    with writing(str(drafts.folder)):
        path.write_bytes(data)
    upload = Upload(token, shown, check.kind, path, check.warning, check.ppi)
    with drafts.lock:
        drafts.uploads[token] = upload
        while len(drafts.uploads) > KEEP_PREVIEWS:
            _, old = drafts.uploads.popitem(last=False)
            old.path.unlink(missing_ok=True)
    return upload


# --- the preview ---------------------------------------------------------------------------------


def preview(studio, drafts: Drafts, draft: Draft, whole: bool = False) -> dict:
    """Pictures of the draft's tri-fold (cover and back panel, or every sheet with ``whole``),
    rendered by the studio's warm render processes from the unsaved values."""
    project = studio.project
    data = draft.data()
    practice, problems = check_practice(project, {**data, "logo": data.get("logo") or "logo.svg"}, draft)
    if practice is None:
        return {"ok": False, "message": msg("The preview waits until the errors in the form are fixed.")}
    opened = draft.opened
    if draft.upload is not None:
        logo_path, kind = draft.upload.path, draft.upload.kind
    elif opened is not None and opened.logo_data is not None:  # read and checked as the build does
        kind = opened.logo_check.kind
        logo_path = drafts.copy_of(opened.logo_data, kind)
    else:  # none yet, or one that cannot be used (the form says why at its field)
        logo_path, kind = drafts.placeholder, "svg"
    leaflets = core_practice.preview_leaflets(project, list(practice.audiences))
    if not leaflets:
        return {"ok": False, "message": msg("There is no leaflet for the chosen audience(s).")}
    wanted = str(draft.values.get("_leaflet") or "")
    lid = next((x for x in leaflets if f"{x.topic}/{x.audience}" == wanted), leaflets[0])
    folder = draft.opened.folder if draft.opened else drafts.folder / (practice.id or "nieuw")
    clock = [time.perf_counter()]
    try:
        prepared = core_practice.prepare_draft(project, practice, folder, logo_path, kind, lid.topic, lid.audience, whole)
        clock.append(time.perf_counter())
        try:
            # The whole leaflet (asked for with a button) is its own stream: typing on does not give it up.
            stream = f"practice:{draft.stream}{':whole' if whole else ''}" if draft.stream else ""
            outcome = studio.render_draft(prepared, stream).result(timeout=PREVIEW_SECONDS)
        except TimeoutError:  # it goes on in its render process; its picture is dropped
            return {"ok": False, "message": msg("The preview took longer than %(seconds)s seconds and was stopped. "
                                                "Usually a too complicated logo is the cause: simplify it in a "
                                                "drawing program or use a PNG.", seconds=PREVIEW_SECONDS)}
        clock.append(time.perf_counter())
        if isinstance(outcome.error, Superseded):  # the form sent newer values: it shows those
            return {"ok": False, "superseded": True}
        pdf, geometry = core_practice.finish_draft(prepared, outcome)
        clock.append(time.perf_counter())
        if whole:
            shown, _texts, _thumb = pictures.sheets(pdf, geometry)
        else:
            shown = pictures.panels(pdf, geometry, PREVIEW_PANELS, PREVIEW_DPI)
        clock.append(time.perf_counter())
    except Exception as exc:  # noqa: BLE001 - the build's message (LeafletError) or a bug, shown in place
        failure = core.failure(exc)
        return {"ok": False, "message": failure.summary, "problems": [p.message for p in failure.problems]}
    token = drafts.keep_preview(shown)
    names = {a.id: a.name for a in project.settings.audiences}  # leaflet-gen.yml (read fine: the draft loaded)
    choices = [{"value": f"{x.topic}/{x.audience}", "label": f"{x.topic} · {names.get(x.audience, x.audience)}"}
               for x in leaflets]
    return {"ok": True, "pictures": {name: f"/practices/previews/{token}/{name}.png" for name in shown},
            "leaflet": f"{lid.topic}/{lid.audience}", "leaflets": choices, "whole": whole,
            "logo_placeholder": logo_path == drafts.placeholder,
            # Where the time went (the benchmark reads it): compose, render (waiting for a render
            # process included), impose, pictures.
            "seconds": dict(zip(("compose", "render", "finish", "pictures"),
                                (round(b - a, 3) for a, b in zip(clock, clock[1:]))))}
