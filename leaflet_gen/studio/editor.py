"""The practice editor: a practice.yaml as a form, checked as it is typed, previewed, saved.

The browser sends the form as it stands (a *draft*) and gets back what ``leaflet-gen check``
would say about it, what becomes of its colours, and pictures of the tri-fold it makes. No
rule lives in the page's script: every check runs here, through :mod:`leaflet_gen.studio.core`,
on the schema and the logo checks the build uses.

Saving writes practice.yaml atomically. An existing file is edited as a round trip
(ruamel.yaml): only the values that changed are replaced, so the manager's comments, key order,
quoting and the ``colors``/``colours`` spelling stay as they were. A save is refused when the
file changed on disk since the form was opened (someone edited it by hand meanwhile): the form
would otherwise silently undo that edit.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import secrets
import shutil
import tempfile
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from leaflet_gen.studio import core, pictures
from leaflet_gen.studio.labels import L

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
KEEP_PREVIEWS = 24  # pictures kept for open pages (oldest dropped first)

# The placeholder logo of a preview before a logo is chosen: a dashed frame, no text (text in
# an SVG would be set in another font than the leaflet's, which the build refuses).
PLACEHOLDER_SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100" viewBox="0 0 300 100">'
                   b'<rect x="3" y="3" width="294" height="94" rx="10" fill="#FFFFFF" stroke="#8A8A8A" '
                   b'stroke-width="4" stroke-dasharray="14 8"/><circle cx="60" cy="50" r="22" fill="#BBBBBB"/>'
                   b'<rect x="100" y="36" width="160" height="10" fill="#BBBBBB"/>'
                   b'<rect x="100" y="56" width="110" height="10" fill="#BBBBBB"/></svg>')


@dataclass(frozen=True)
class Field:
    key: str  # dotted key in practice.yaml
    kind: str  # text | colour | cmyk | choices (audiences, topics) | checkbox | logo | id
    required: bool
    label: str
    help: str


def form_fields() -> list[Field]:
    """The form: one field per key of practice.yaml, in the schema's order (``core.practice_fields``)."""
    kinds = {"id": "id", "logo": "logo", "colours.primary": "colour", "colours.accent": "colour",
             "colours.cmyk.primary": "cmyk", "colours.cmyk.accent": "cmyk", "audiences": "choices",
             "topics": "choices",
             "print_shop.marks": "checkbox"}
    out = []
    for key, required, _description in core.practice_fields():
        label, help_text = L["fields"][key]
        out.append(Field(key, kinds.get(key, "text"), required, label, help_text))
    return out


GROUPS = (("group_practice", ("id", "name", "logo", "logo_alt")),
          ("group_colours", ("colours.primary", "colours.accent", "colours.cmyk.primary", "colours.cmyk.accent")),
          ("group_contact", ("contact.address", "contact.phone", "contact.email", "contact.website",
                             "contact.opening_hours", "qr_url")),
          ("group_leaflets", ("audiences", "topics")),
          ("group_print", ("print_shop.marks", "print_shop.icc_profile")))


# --- drafts: the form's values as the data of a practice.yaml ------------------------------------


def _number(text: str) -> float | str:
    """A percentage as typed (a Dutch decimal comma too); anything else goes to the schema as
    typed, so its message ("expected a number") is the one shown."""
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        return text
    return int(value) if value.is_integer() else value


def draft_data(values: dict) -> dict:
    """The form's values (dotted key -> what the field holds) as the mapping practice.yaml holds.

    Empty optional fields are left out, as a hand-written file leaves them out; empty required
    text fields are sent as "" so the schema's own message for them is shown.
    """
    data: dict = {}
    for key, required, _ in core.practice_fields():
        value = values.get(key)
        if key == "audiences":
            value = [str(v) for v in value] if isinstance(value, list) else []
        elif key == "topics":
            value = [str(v) for v in value] if isinstance(value, list) else []
            if not value:
                continue  # none ticked: every topic of the project (the schema's default)
        elif key == "print_shop.marks":
            value = bool(value) if value is not None else True
            if value:
                continue  # the default: written only when switched off
        elif key.startswith("colours.cmyk."):
            parts = [str(v).strip() for v in value] if isinstance(value, list) else []
            if not any(parts):
                continue
            value = [_number(p) for p in parts if p]
        else:
            value = str(value or "").strip()
            if not value and (not required or key == "logo"):
                continue  # a missing logo is "required key is missing" (see field_problems)
        target = data
        *parents, last = key.split(".")
        for part in parents:
            target = target.setdefault(part, {})
        target[last] = value
    return data


def field_of(key: str, keys: list[str]) -> str:
    """The form field a problem's key belongs to ("colours.cmyk.primary[2]" -> "colours.cmyk.primary")."""
    key = re.sub(r"\[\d+\]", "", key)
    if key in keys:
        return key
    below = [k for k in keys if k.startswith(key + ".")]
    return below[0] if below else ""


def field_problems(problems: list[core.Located], keys: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for problem in problems:
        where = field_of(problem.key, keys)
        message = problem.message
        if where == "logo" and message.startswith("required key is missing"):
            message = L["logo_missing"]  # the only key a form can leave out: it has no text box
        out.setdefault(where, []).append(message)
    return out


# --- uploads and previews, in memory ------------------------------------------------------------


@dataclass
class Upload:
    token: str
    name: str  # as the manager's file was called
    kind: str
    path: Path  # a private copy (the preview renders from it)
    warning: str | None
    ppi: float | None


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

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def accept_logo(drafts: Drafts, data: bytes, name: str) -> Upload:
    """Check an uploaded logo as the build would; raise ValueError with the refusal to show."""
    shown = Path(name.replace("\\", "/")).name[:120] or "logo"
    if len(data) > MAX_LOGO_BYTES:
        raise ValueError(L["logo_too_big"].format(name=shown, mb=len(data) / 1e6, max=MAX_LOGO_BYTES // 2 ** 20))
    if not data:
        raise ValueError(L["logo_empty"].format(name=shown))
    pixels = core.image_pixels(data)
    if pixels is not None and pixels > MAX_LOGO_PIXELS:
        raise ValueError(L["logo_too_many_pixels"].format(name=shown, max=MAX_LOGO_PIXELS // 1_000_000))
    check = core.check_logo(data, shown)
    if check.kind is None:
        raise ValueError(check.error or L["logo_not_image"].format(name=shown))
    if check.ppi is not None and check.ppi < MIN_UPLOAD_PPI:
        raise ValueError(L["logo_blurred"].format(min=MIN_UPLOAD_PPI) + " " + (check.warning or ""))
    token = secrets.token_urlsafe(12)
    path = drafts.folder / f"{token}{Path(core.LOGO_FILE_NAMES[check.kind]).suffix}"
    path.write_bytes(data)
    upload = Upload(token, shown, check.kind, path, check.warning, check.ppi)
    with drafts.lock:
        drafts.uploads[token] = upload
        while len(drafts.uploads) > KEEP_PREVIEWS:
            _, old = drafts.uploads.popitem(last=False)
            old.path.unlink(missing_ok=True)
    return upload


# --- what the form shows as it is typed -----------------------------------------------------------


@dataclass
class Opened:
    """The practice a form edits: None for a new one."""

    id: str
    folder: Path
    text: str  # practice.yaml as it was when the form was opened
    data: dict
    logo_name: str

    @property
    def version(self) -> str:
        return digest(self.text.encode("utf-8"))


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


def open_practice(project, practice_id: str) -> Opened | None:
    """An existing practice, by an id the project lists (never a path from the URL)."""
    import yaml

    folder = next((p for p in project.practice_dirs() if p.name == practice_id), None)
    if folder is None:
        return None
    text = (folder / "practice.yaml").read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except (yaml.YAMLError, ValueError):  # ValueError: an int of > 4,300 digits (the form then shows the problems)
        data = None
    if not isinstance(data, dict):
        data = {}
    if "colors" in data and "colours" not in data:
        data["colours"] = data.pop("colors")
    return Opened(folder.name, folder, text, data, str(data.get("logo") or ""))


def form_values(data: dict, audience_ids: list[str] | None = None) -> dict:
    """The values a form starts with, from a practice.yaml's data (a new practice: every audience
    of the project, ``audience_ids``)."""
    values: dict = {}
    for key, _required, _ in core.practice_fields():
        value: object = data
        for part in key.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if key == "audiences":
            value = list(value) if isinstance(value, list) else list(audience_ids or [])
        elif key == "topics":
            value = list(value) if isinstance(value, list) else []  # none ticked: every topic
        elif key == "print_shop.marks":
            value = value is not False
        elif key.startswith("colours.cmyk."):
            value = [_shown_number(v) for v in value][:4] + [""] * (4 - len(value)) if isinstance(value, list) \
                else ["", "", "", ""]
        else:
            value = "" if value is None else str(value)
        values[key] = value
    return values


def _shown_number(value) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


@dataclass
class Draft:
    """One request from the form: its values, the practice it edits, the logo it uses."""

    values: dict
    opened: Opened | None
    upload: Upload | None
    whole: bool = False  # the preview of every sheet, not only the cover and back panel
    version: str = ""  # of practice.yaml when the form was opened (see save)

    @property
    def practice_id(self) -> str:
        """The folder the practice has (or will get): typed, else made from the name as
        `new-practice` makes it."""
        if self.opened is not None:
            return self.opened.id
        return str(self.values.get("id") or "").strip() or core.slug_for(str(self.values.get("name") or ""))

    def data(self) -> dict:
        values = dict(self.values)
        if self.upload is not None:
            values["logo"] = core.LOGO_FILE_NAMES[self.upload.kind]
        elif self.opened is not None:
            values["logo"] = self.opened.logo_name
        else:
            values["logo"] = ""
        if self.opened is not None:
            values["id"] = self.opened.data.get("id") or ""  # the form does not change an id
        else:
            values["id"] = self.practice_id
        return draft_data(values)


def check(project, draft: Draft) -> dict:
    """Everything the form shows beside its fields: problems per field, colour facts, the id."""
    keys = [f.key for f in form_fields()]
    data = draft.data()
    practice, problems = core.check_practice(project, data, draft.practice_id, draft.opened is not None)
    if draft.upload is None and draft.opened is not None and draft.opened.logo_name:
        logo = draft.opened.folder / draft.opened.logo_name
        if not logo.is_file():
            problems.append(core.Located(f'file "{draft.opened.logo_name}" not found in practices/{draft.opened.id}/',
                                         key="logo"))
            practice = None
    out: dict = {"ok": practice is not None, "problems": field_problems(problems, keys), "colours": {}}
    if draft.opened is None:
        out["id"] = draft.practice_id  # shown in the id field until the manager types one
    profile = None
    try:
        folder = draft.opened.folder if draft.opened else None
        profile = core.icc_profile_for(project, folder, (data.get("print_shop") or {}).get("icc_profile"))
    except Exception as exc:  # noqa: BLE001 - a LeafletError with its message, shown at the field
        if not out["problems"].get("print_shop.icc_profile"):
            out["problems"].setdefault("print_shop.icc_profile", []).append(getattr(exc, "message", str(exc)))
            out["ok"] = False
    colours = data.get("colours") or {}
    exact = colours.get("cmyk") if isinstance(colours.get("cmyk"), dict) else {}
    for role in ("primary", "accent"):
        value = colours.get(role)
        given = exact.get(role)
        default = role == "accent" and value is None
        if default:  # no accent: the leaflet uses the primary colour (and its exact CMYK) for it
            value, given = colours.get("primary"), exact.get("primary")
        if not (isinstance(given, list) and len(given) == 4
                and all(isinstance(v, (int, float)) and 0 <= v <= 100 for v in given)):
            given = None  # not usable: its problem is shown at its field; the facts use the conversion
        if isinstance(value, str) and re.fullmatch(r"#[0-9A-Fa-f]{6}", value):
            facts = core.colour_facts(project, value, tuple(given) if given else None, profile)
            out["colours"][role] = colour_view(facts, role)
            if default:
                out["colours"][role]["default"] = True
                out["colours"][role]["lines"].insert(0, L["colour_accent_default"])
    return out


def colour_view(facts: core.ColourFacts, role: str) -> dict:
    """A colour's consequences in the manager's words (and the figures for the page)."""
    text_name = L["colour_white"] if facts.text_on == "#FFFFFF" else L["colour_dark"]
    lines = []
    warnings = []
    if role == "primary":
        lines.append(L["colour_text_on"].format(text=text_name, ratio=_ratio(facts.text_contrast)))
        if facts.darkened:
            warnings.append(L["colour_too_light"].format(ratio=_ratio(facts.heading_contrast), heading=facts.heading))
        else:
            lines.append(L["colour_heading_same"].format(ratio=_ratio(facts.heading_contrast)))
    cmyk = " ".join(f"{name} {value}%" for name, value in zip("CMYK", facts.cmyk))
    lines.append((L["colour_cmyk_exact"] if facts.exact else L["colour_cmyk"]).format(cmyk=cmyk))
    if facts.out_of_gamut:
        warnings.append(L["colour_gamut"].format(delta=f"{facts.delta_e:.0f}"))
    return {"colour": facts.colour, "text_on": facts.text_on, "contrast": facts.text_contrast,
            "heading": facts.heading, "darkened": facts.darkened, "cmyk": list(facts.cmyk),
            "delta_e": facts.delta_e, "out_of_gamut": facts.out_of_gamut, "lines": lines, "warnings": warnings}


def _ratio(value: float) -> str:
    return f"{value:.1f}".replace(".", ",") + ":1"


# --- the preview ---------------------------------------------------------------------------------


def preview(studio, drafts: Drafts, draft: Draft, whole: bool = False) -> dict:
    """Pictures of the draft's tri-fold (cover and back panel, or every sheet with ``whole``),
    rendered by the studio's warm render processes from the unsaved values."""
    project = studio.project
    data = draft.data()
    practice, problems = core.check_practice(project, {**data, "logo": data.get("logo") or "logo.svg"},
                                             draft.practice_id, draft.opened is not None)
    if practice is None:
        return {"ok": False, "message": L["preview_waits"]}
    if draft.upload is not None:
        logo_path, kind = draft.upload.path, draft.upload.kind
    elif draft.opened is not None and (draft.opened.folder / draft.opened.logo_name).is_file():
        logo_path = draft.opened.folder / draft.opened.logo_name
        kind = core.check_logo(logo_path.read_bytes(), draft.opened.logo_name).kind or "svg"
    else:
        logo_path, kind = drafts.placeholder, "svg"
    leaflets = core.preview_leaflets(project, list(practice.audiences))
    if not leaflets:
        return {"ok": False, "message": L["preview_no_leaflet"]}
    wanted = str(draft.values.get("_leaflet") or "")
    lid = next((x for x in leaflets if f"{x.topic}/{x.audience}" == wanted), leaflets[0])
    folder = draft.opened.folder if draft.opened else drafts.folder / (practice.id or "nieuw")
    clock = [time.perf_counter()]
    try:
        prepared = core.prepare_draft(project, practice, folder, logo_path, kind, lid.topic, lid.audience, whole)
        clock.append(time.perf_counter())
        outcome = studio.render_draft(prepared).result(timeout=120)
        clock.append(time.perf_counter())
        pdf, geometry = core.finish_draft(prepared, outcome)
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


# --- saving --------------------------------------------------------------------------------------


class SaveRefused(Exception):
    """The save cannot go ahead; the message says why and what to do (``problems``: per field)."""

    def __init__(self, message: str, problems: dict | None = None) -> None:
        super().__init__(message)
        self.problems = problems or {}


def save(project, drafts: Drafts, draft: Draft, version: str) -> Path:
    """Write practice.yaml (and the uploaded logo) after checking the draft once more.

    Raises :class:`SaveRefused` (problems, the file changed on disk, the practice appeared meanwhile).
    """
    data = draft.data()
    result = check(project, draft)
    if not result["ok"]:
        raise SaveRefused(L["save_has_problems"], result["problems"])
    with drafts.save_lock:
        if draft.opened is not None:
            return _save_existing(project, draft, data, version)
        return _save_new(project, draft, data)


def _save_existing(project, draft: Draft, data: dict, version: str) -> Path:
    opened = draft.opened
    target = opened.folder / "practice.yaml"
    try:
        now = target.read_bytes()
    except FileNotFoundError:
        raise SaveRefused(L["save_gone"]) from None
    if digest(now) != version:
        raise SaveRefused(L["save_conflict"])
    text = update_text(now.decode("utf-8"), data)
    # Check the file as a build would load it, in a private copy of the folder (practice.yaml and
    # its logo), before anything in the practice folder changes. The copy is inside the project:
    # a build reads nothing from outside it.
    with tempfile.TemporaryDirectory(prefix=f".save-{opened.id}.", dir=project.root / "practices") as tmp:
        staged = Path(tmp) / opened.id
        staged.mkdir()
        (staged / "practice.yaml").write_text(text, encoding="utf-8")
        logo_name = data["logo"]
        source = draft.upload.path if draft.upload else opened.folder / logo_name
        shutil.copyfile(source, staged / logo_name)
        try:
            core.load_practice_fresh(project, staged)
        except Exception as exc:  # noqa: BLE001 - would be a bug in the editor: say so, write nothing
            raise SaveRefused(L["save_invalid"].format(error=exc)) from None
    if draft.upload is not None:
        core.write_atomic(opened.folder / logo_name, draft.upload.path.read_bytes())
    core.write_atomic(target, text.encode("utf-8"))  # last: it is what names the logo
    return target


def _save_new(project, draft: Draft, data: dict) -> Path:
    if draft.upload is None:
        raise SaveRefused(L["logo_missing"])
    practice_id = data["id"]
    practices = project.root / "practices"
    target = practices / practice_id
    if target.exists():
        raise SaveRefused(L["save_exists"].format(id=practice_id))
    contact = data.get("contact", {})
    colours = data.get("colours", {})
    values = {"id": practice_id, "name": data["name"], "logo": data["logo"], "primary": colours.get("primary"),
              "accent": colours.get("accent"), "address": contact.get("address"), "phone": contact.get("phone"),
              "email": contact.get("email"), "website": contact.get("website"), "qr_url": data.get("qr_url"),
              "audiences": data.get("audiences") or []}
    # Without a description the wizard's own "Logo van <name>" line stays (the same as the default).
    text = update_text(core.new_practice_text(values), data, keep=("logo_alt",))
    # Staged beside its final place and moved in one rename: practices/<id>/ appears complete
    # (the studio's watcher never sees a practice.yaml without its logo).
    staging = Path(tempfile.mkdtemp(prefix=f".new-{practice_id}.", dir=practices))
    try:
        staged = staging / practice_id
        staged.mkdir()
        (staged / "practice.yaml").write_text(text, encoding="utf-8")
        shutil.copyfile(draft.upload.path, staged / data["logo"])
        try:
            core.load_practice_fresh(project, staged)
        except Exception as exc:  # noqa: BLE001 - would be a bug in the editor: say so, write nothing
            raise SaveRefused(L["save_invalid"].format(error=exc)) from None
        try:
            os.rename(staged, target)  # fails if the folder appeared meanwhile: never merged into it
        except OSError:
            raise SaveRefused(L["save_exists"].format(id=practice_id)) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target / "practice.yaml"


# --- the round trip ------------------------------------------------------------------------------

UNQUOTED = {"id", "logo", "icc_profile"}  # written plain, like the shipped files (and the wizard's)


def _yaml():
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long value onto a second line
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def update_text(text: str, data: dict, keep: tuple[str, ...] = ()) -> str:
    """``text`` (a practice.yaml) with the values of ``data`` (validated draft data): changed
    values replaced in place, new keys added in the schema's order, emptied optional keys
    removed; comments, order, quoting and untouched values stay as the file had them."""
    yaml = _yaml()
    document = yaml.load(text)
    _merge(document, data, [k for k, _, _ in core.practice_fields()], "", keep)
    out = io.StringIO()
    yaml.dump(document, out)
    return out.getvalue()


def _merge(node, data: dict, keys: list[str], prefix: str, keep: tuple[str, ...] = ()) -> None:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    names = list(dict.fromkeys(k[len(prefix):].split(".")[0] for k in keys if k.startswith(prefix)))
    for name in names:
        key = name
        if name == "colours" and "colours" not in node and "colors" in node:
            key = "colors"  # the file's own spelling stays
        new = data.get(name)
        nested = any(k.startswith(prefix + name + ".") for k in keys)
        if new is None:
            if key in node and prefix + name not in keep:
                del node[key]
            continue
        if nested:
            if not isinstance(node.get(key), CommentedMap):
                _insert(node, key, CommentedMap(), names)
            _merge(node[key], new, keys, prefix + name + ".", keep)
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
