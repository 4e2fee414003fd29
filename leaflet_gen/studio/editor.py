"""The practice editor's form: a practice.yaml as fields, and what the form shows as it is typed.

The browser sends the form as it stands (a *draft*) and gets back what ``leaflet-gen check``
would say about it and what becomes of its colours. No rule lives in the page's script: every
check runs here, through :mod:`leaflet_gen.studio.core`, on the schema the build uses. The
pictures of a draft are :mod:`.drafts`' part, saving it :mod:`.practice_file`'s.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from leaflet_gen.errors import LeafletError
from leaflet_gen.i18n import msg
from leaflet_gen.studio import core, core_practice
from leaflet_gen.studio.labels import FIELDS, GROUPS
from leaflet_gen.studio.refusals import unreadable


@dataclass(frozen=True)
class Field:
    key: str  # dotted key in practice.yaml
    kind: str  # text | colour | cmyk | choices (audiences, topics) | checkbox | logo | id
    required: bool
    label: str
    help: str
    group: str  # the schema's group of the key (content/fields.py)


# The keys that are not a text box; every other key of the schema is one.
KINDS = {"id": "id", "logo": "logo", "colours.primary": "colour", "colours.accent": "colour",
         "colours.cmyk.primary": "cmyk", "colours.cmyk.accent": "cmyk", "audiences": "choices", "topics": "choices",
         "languages": "choices",
         "print_shop.marks": "checkbox"}


def form_fields() -> list[Field]:
    """The form: one field per key of practice.yaml, in the schema's order (``core_practice.practice_fields``).

    Its label and help come from labels.py (catalogue messages); a key without them (one just added to the
    schema) shows its key and the schema's description until it has them."""
    fields = [Field(f.key, KINDS.get(f.key, "text"), f.required, *FIELDS.get(f.key, (f.key, f.description)),
                    f.group) for f in core_practice.practice_fields()]
    return [Field(f.key, f.kind, f.required, f.label, logo_help(), f.group) if f.help is None else f for f in fields]


def logo_help() -> str:
    """The logo's advice, with the one number the build's logo check uses (content/logos.py)."""
    from leaflet_gen.content import logos

    return msg("An SVG, PNG or JPEG file of at most %(mb)s MB. SVG stays sharpest; a PNG or JPEG must be "
               "at least %(px)s pixels wide (%(ppi)s ppi across the cover's %(mm)s mm).",
               mb=logos.MAX_LOGO_BYTES // 2**20, px=logos.min_logo_pixels(), ppi=logos.MIN_PPI,
               mm=f"{logos.LOGO_BOX_MM[0]:g}")


def url_keys() -> set[str]:
    """The keys that hold a web address (the schema's example for them is one)."""
    return {f.key for f in core_practice.practice_fields() if isinstance(f.example, str)
            and f.example.startswith("https://")}


_BARE_ADDRESS = re.compile(r"(?:www\.)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?::\d+)?(?:/\S*)?")


def completed_url(value: str) -> str:
    """A web address typed without its scheme, completed: "www.x.nl" -> "https://www.x.nl"
    (anything else as typed, for the schema to judge)."""
    value = value.strip()
    if "://" not in value and _BARE_ADDRESS.fullmatch(value):
        return "https://" + value
    return value



def groups() -> list[tuple[str, list[Field]]]:
    """The form's fieldsets: (Dutch name, fields), as the schema groups its keys, in its order."""
    out: dict[str, list[Field]] = {}
    for field in form_fields():
        out.setdefault(field.group, []).append(field)
    return [(GROUPS.get(group, group), fields) for group, fields in out.items()]


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
    addresses = url_keys()
    for field in core_practice.practice_fields():
        key, required = field.key, field.required
        value = values.get(key)
        if key in addresses and isinstance(value, str):
            value = completed_url(value)
        if key == "audiences":
            value = [str(v) for v in value] if isinstance(value, list) else []
        elif key == "topics":
            value = [str(v) for v in value] if isinstance(value, list) else []
            if not value:
                continue  # none ticked: every topic of the project (the schema's default)
        elif key == "languages":
            value = [str(v) for v in value] if isinstance(value, list) else []
            if value in ([], ["nl"]):
                continue  # only Dutch: the schema's default, not written
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
            message = msg("Choose a logo file (SVG, PNG or JPEG).")  # the only key a form can leave out: it has no text box
        out.setdefault(where, []).append(message)
    return out


# --- what the form shows as it is typed -----------------------------------------------------------


@dataclass
class Opened:
    """The practice a form edits: None for a new one."""

    id: str
    folder: Path
    text: str  # practice.yaml as it was when the form was opened
    data: dict
    logo_name: str
    logo_data: bytes | None = None  # the logo it names, read and checked as the build does (None: unusable)
    logo_check: core_practice.LogoCheck | None = None

    @property
    def version(self) -> str:
        return digest(self.text.encode("utf-8"))


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


def open_practice(project, practice_id: str) -> Opened | None:
    """An existing practice, by an id the project lists (never a path from the URL).

    practice.yaml and its logo are read as `leaflet-gen check` reads them (a link out of the
    project, a folder, a pipe, a huge or a non-UTF-8 file is refused, never opened): a file the
    form cannot show is :class:`Refused` (422) with the located problem.
    """
    folder = next((p for p in project.practice_dirs() if p.name == practice_id), None)
    if folder is None:
        return None
    try:
        text, data = core_practice.read_practice_yaml(project, folder)
    except LeafletError as exc:
        raise unreadable(exc) from None
    if "colors" in data and "colours" not in data:
        data["colours"] = data.pop("colors")
    logo_name = str(data.get("logo") or "")
    logo_data, logo_check = core_practice.practice_logo(project, folder, logo_name) if logo_name else (None, None)
    return Opened(folder.name, folder, text, data, logo_name, logo_data, logo_check)


def form_values(data: dict, audience_ids: list[str] | None = None) -> dict:
    """The values a form starts with, from a practice.yaml's data (a new practice: every audience
    of the project, ``audience_ids``)."""
    values: dict = {}
    for key in (f.key for f in core_practice.practice_fields()):
        value: object = data
        for part in key.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if key == "audiences":
            value = list(value) if isinstance(value, list) else list(audience_ids or [])
        elif key == "topics":
            value = list(value) if isinstance(value, list) else []  # none ticked: every topic
        elif key == "languages":
            value = list(value) if isinstance(value, list) else ["nl"]
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
class Upload:
    token: str
    name: str  # as the manager's file was called
    kind: str
    path: Path  # a private copy (the preview renders from it)
    warning: str | None
    ppi: float | None


@dataclass
class Draft:
    """One request from the form: its values, the practice it edits, the logo it uses."""

    values: dict
    opened: Opened | None
    upload: Upload | None
    whole: bool = False  # the preview of every sheet, not only the cover and back panel
    version: str = ""  # of practice.yaml when the form was opened (see save)
    stream: str = ""  # the open form it comes from: its newer preview gives up this one's (render_draft)

    @property
    def practice_id(self) -> str:
        """The folder the practice has (or will get): typed, else made from the name as
        `new-practice` makes it."""
        if self.opened is not None:
            return self.opened.id
        return str(self.values.get("id") or "").strip() or core_practice.slug_for(str(self.values.get("name") or ""))

    def data(self) -> dict:
        values = dict(self.values)
        if self.upload is not None:
            values["logo"] = core_practice.LOGO_FILE_NAMES[self.upload.kind]
        elif self.opened is not None:
            values["logo"] = self.opened.logo_name
        else:
            values["logo"] = ""
        if self.opened is not None:
            values["id"] = self.opened.data.get("id") or ""  # the form does not change an id
        else:
            values["id"] = self.practice_id
        return draft_data(values)


def check_practice(project, data: dict, draft: Draft):
    """The schema's check of a draft (core_practice.check_practice), and a new practice's id short enough
    for a folder name (else saving would fail on the file system) and not taken: said while the rest
    of the form is still empty, so that it shows as the id is typed."""
    practice, problems = core_practice.check_practice(project, data, draft.practice_id, True)
    longest = core_practice.practice_id_max()
    if draft.opened is None and len(draft.practice_id) > longest:
        problems.append(core.Located(msg("Too long: %(n)s characters. The short name becomes the name of a folder "
                                         "and may have at most %(max)s characters.", n=len(draft.practice_id), max=longest), key="id"))
        practice = None
    elif draft.opened is None and id_taken(project, draft.practice_id):
        problems.append(core.Located(taken_message(draft.practice_id), key="id"))
        practice = None
    return practice, problems


def id_taken(project, practice_id: str) -> bool:
    """Whether practices/<id> exists (a practice, or any folder or file of that name)."""
    import os

    return bool(practice_id) and os.path.lexists(project.root / "practices" / practice_id)


def taken_message(practice_id: str) -> str:
    return msg("The folder name \"%(id)s\" is already taken by another practice (practices/%(id)s/); "
                         "choose another.", id=practice_id)


def check(project, draft: Draft) -> dict:
    """Everything the form shows beside its fields: problems per field, colour facts, the id."""
    keys = [f.key for f in form_fields()]
    data = draft.data()
    practice, problems = check_practice(project, data, draft)
    opened = draft.opened
    if draft.upload is None and opened is not None and opened.logo_check is not None and opened.logo_data is None:
        problems.append(core.Located(opened.logo_check.error or msg("Choose a logo file (SVG, PNG or JPEG)."), key="logo"))
        practice = None
    out: dict = {"ok": practice is not None, "problems": field_problems(problems, keys), "colours": {},
                 "completed": completions(draft.values)}
    if draft.opened is None:
        out["id"] = draft.practice_id  # shown in the id field until the manager types one
    profile = None
    try:
        folder = draft.opened.folder if draft.opened else None
        profile = core_practice.icc_profile_for(project, folder, (data.get("print_shop") or {}).get("icc_profile"))
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
            facts = core_practice.colour_facts(project, value, tuple(given) if given else None, profile)
            out["colours"][role] = colour_view(facts, role)
            if default:
                out["colours"][role]["default"] = True
                out["colours"][role]["lines"].insert(0, msg("No accent colour given: the leaflet uses the main colour."))
    return out


def completions(values: dict) -> dict[str, str]:
    """The web addresses of the form that are saved completed (field -> the address saved)."""
    out = {}
    for key in url_keys():
        typed = values.get(key)
        if isinstance(typed, str) and typed.strip() and completed_url(typed) != typed.strip():
            out[key] = completed_url(typed)
    return out


def colour_view(facts: core_practice.ColourFacts, role: str) -> dict:
    """A colour's consequences in the manager's words (and the figures for the page)."""
    text_name = msg("white") if facts.text_on == "#FFFFFF" else msg("black")
    lines = []
    warnings = []
    if role == "primary":
        lines.append(msg("Text on this colour becomes %(text)s (contrast %(ratio)s).", text=text_name, ratio=_ratio(facts.text_contrast)))
        if facts.darkened:
            warnings.append(msg("Too light for text on white paper (contrast %(ratio)s, at least 4.5:1 needed): "
                                "headings get the darker shade %(heading)s.", ratio=_ratio(facts.heading_contrast), heading=facts.heading))
        else:
            lines.append(msg("Headings on white paper get this colour (contrast %(ratio)s).", ratio=_ratio(facts.heading_contrast)))
    cmyk = " ".join(f"{name} {value}%" for name, value in zip("CMYK", facts.cmyk))
    lines.append(msg("Print colour (your own CMYK values): %(cmyk)s.", cmyk=cmyk) if facts.exact
                 else msg("Print colour (converted with the colour profile): %(cmyk)s.", cmyk=cmyk))
    if facts.out_of_gamut:
        warnings.append(msg("This colour cannot be printed well in CMYK: on paper it looks clearly different "
                            "(usually duller; colour difference ΔE %(delta)s). Ask your designer for CMYK values.", delta=f"{facts.delta_e:.0f}"))
    return {"colour": facts.colour, "text_on": facts.text_on, "contrast": facts.text_contrast,
            "heading": facts.heading, "darkened": facts.darkened, "cmyk": list(facts.cmyk),
            "delta_e": facts.delta_e, "out_of_gamut": facts.out_of_gamut, "lines": lines, "warnings": warnings}


def _ratio(value: float) -> str:
    return f"{value:.1f}".replace(".", ",") + ":1"
