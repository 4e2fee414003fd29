"""``leaflet-gen new-practice``: set up a practice by answering questions instead of editing YAML.

For the practice manager. Every answer is checked the moment it is given, with the same
validators the schema uses (models.py), the logo with the same checks the build uses
(images.inspect_logo), so a mistake is explained and asked again straight away instead of
surfacing as a build error later. The result is an ordinary ``practices/<id>/practice.yaml``
with plain-language comments, like the shipped examples, so it can be edited by hand later.

The CLI command is a thin wrapper: :func:`run_wizard` takes the answers already known (from
command-line options) and an ``ask`` function for the rest. Without ``ask`` nothing is asked:
every problem is reported at once, which suits scripts and tests.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from leaflet_gen.content.fields import mapping_description, practice_keys
from leaflet_gen.content.jsonschemas import modeline
from leaflet_gen.content.logos import inspect_logo
from leaflet_gen.content.project import Project
from leaflet_gen.content.schema import DEFAULT_AUDIENCES, ID_MAX, Email, HexColour, Phone, ShortText, Slug, Url
from leaflet_gen.content.validate import schema_check
from leaflet_gen.errors import LeafletError, ValidationFailed
from leaflet_gen.files import write_together
from leaflet_gen.layout import palette as colours

Ask = Callable[[str, str | None], str]
"""``ask(question, default)`` returns the raw answer; ``default`` is shown and used on Enter."""
Say = Callable[[str], None]

LOGO_NAMES = {"svg": "logo.svg", "png": "logo.png", "jpeg": "logo.jpg"}


@dataclass(frozen=True)
class Question:
    key: str
    option: str  # the command-line option that gives this answer without asking
    text: str  # the question, short and plain, for someone who has never seen YAML
    required: bool
    default: str | None = None
    field: str = ""  # the key of practice.yaml it answers, when not ``key`` itself

    @property
    def yaml_key(self) -> str:
        return self.field or self.key


def _choices(ids: list[str]) -> tuple[str, str]:
    """How the audience question names the choices, and the word for all of them:
    "fysiotherapie, orthopedie or both", "..., ergotherapie or all"."""
    if len(ids) == 1:
        return ids[0], ids[0]
    every = "both" if len(ids) == 2 else "all"
    return f"{', '.join(ids)} or {every}", every


def _audience_question(ids: list[str]) -> Question:
    text, every = _choices(ids)
    return Question("audiences", "--audiences", f"Which leaflets do you hand out: {text}", True, default=every)


_PRACTICE_QUESTIONS = (
    Question("name", "--name", "Practice name, as printed on the leaflet", True),
    Question("address", "--address", "Address on one line (street and number, postcode, town)", True,
             field="contact.address"),
    Question("phone", "--phone", "Phone number for patients", True, field="contact.phone"),
    Question("email", "--email", "E-mail address (optional, press Enter to skip)", False, field="contact.email"),
    Question("website", "--website", "Website, starting with https:// (optional)", False, field="contact.website"),
    Question("qr_url", "--booking-url", "Web page for the QR code, e.g. your booking page (optional)", False),
    Question("primary", "--colour", "Main brand colour, as a code like #1B6E8C", True, field="colours.primary"),
    Question("accent", "--accent", "Second colour for small highlights, like #E8A33D (optional)", False,
             field="colours.accent"),
    Question("logo", "--logo", "Logo file (SVG, PNG or JPEG); you can drag the file into this window", True),
)


def questions(audience_ids: list[str]) -> tuple[Question, ...]:
    """The questions, the last one naming the project's audiences (leaflet-gen.yml)."""
    return (*_PRACTICE_QUESTIONS, _audience_question(audience_ids))


QUESTIONS = questions([a.id for a in DEFAULT_AUDIENCES])  # as asked in a project without leaflet-gen.yml
ANSWER_KEYS = ("id", *(q.key for q in QUESTIONS))


@dataclass(frozen=True)
class WizardResult:
    practice_id: str
    folder: Path
    practice_file: Path
    logo_file: Path
    build_command: str
    notes: tuple[str, ...] = ()  # what the manager was told along the way (id, text colours)
    warnings: tuple[str, ...] = ()  # accepted, but worth fixing (a low-resolution logo)


def slugify(name: str) -> str:
    """A practice id from its name: "Fysiotherapie De Linde" -> "fysiotherapie-de-linde".

    Accents are dropped (é -> e) so the id is plain ASCII, safe as a folder name everywhere;
    apostrophes vanish inside words ("Anna's" -> "annas") instead of splitting them.
    """
    text = name.lower()
    for special, plain in (("ß", "ss"), ("æ", "ae"), ("ø", "o"), ("œ", "oe"), ("ł", "l"), ("đ", "d"), ("þ", "th")):
        text = text.replace(special, plain)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"['’`]", "", text)
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(slug) > ID_MAX:
        slug = slug[:ID_MAX].rsplit("-", 1)[0] if "-" in slug[:ID_MAX] else slug[:ID_MAX]
    return slug


# --- checks per answer: return the value to store, or raise ValueError with the message ------


_CHECKS: dict[str, Callable[[str], Any]] = {
    "name": schema_check(ShortText),
    "address": schema_check(ShortText),
    "phone": schema_check(Phone),
    "email": schema_check(Email),
    "website": schema_check(Url),
    "qr_url": schema_check(Url),
    "primary": schema_check(HexColour),
    "accent": schema_check(HexColour),
    "id": schema_check(Slug),
}


def parse_audiences(value: str, audience_ids: list[str] | None = None) -> list[str]:
    """The audiences named in an answer, in the settings' order; "both"/"all" means every one."""
    ids = list(audience_ids or [a.id for a in DEFAULT_AUDIENCES])
    expected = _choices(ids)[0]
    words = [w for w in re.split(r"[\s,;/+&]+|\band\b|\ben\b", value.lower()) if w]
    if any(w in ("both", "beide", "all", "alle") for w in words):
        return ids
    chosen: list[str] = []
    for word in words:
        if word not in ids:
            close = difflib.get_close_matches(word, ids, n=1, cutoff=0.5)
            hint = f'; did you mean "{close[0]}"?' if close else ""
            raise ValueError(f'expected {expected}, got "{word}"{hint}')
        if word not in chosen:
            chosen.append(word)
    if not chosen:
        raise ValueError(f"expected {expected}")
    return [a for a in ids if a in chosen]  # the settings' order, whatever order was typed


@dataclass(frozen=True)
class Logo:
    source: Path
    data: bytes
    kind: str
    warning: str | None


def read_logo(value: str) -> Logo:
    """The logo file named by the answer, checked exactly as a build checks it."""
    text = value.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1]  # a dragged-in file often arrives in quotes
    path = Path(text).expanduser()
    if not path.exists() and "\\ " in text:
        path = Path(re.sub(r"\\(.)", r"\1", text)).expanduser()  # ... or with "\ " for spaces
    if not path.exists():
        raise ValueError(f'file not found: "{text}"')
    if not path.is_file():
        raise ValueError(f'"{text}" is a folder; give the logo file itself')
    data = path.read_bytes()
    report = inspect_logo(data, path.name)
    if report.error or report.kind is None:
        raise ValueError(report.error or f'"{path.name}" is not a PNG, JPEG or SVG image')
    return Logo(path, data, report.kind, report.warning)


def _colour_name(text_colour: str) -> str:
    return {colours.WHITE: "white", colours.INK: "near-black"}.get(text_colour, "black")


def colour_note(primary: str) -> str:
    """Which text colour goes on the brand colour, and whether headings can use it on white."""
    on = colours.text_on(primary)
    note = f"Text on {primary} will be {_colour_name(on)} (contrast {colours.contrast(on, primary):.1f}:1)."
    heading = colours.readable_on_white(primary)
    if heading == primary:
        note += f" Headings on white paper use {primary} itself."
    else:
        note += (f" {primary} is too light for text on white paper "
                 f"(contrast {colours.contrast(primary, colours.WHITE):.1f}:1); headings use the darker {heading}.")
    return note


# --- the wizard ---------------------------------------------------------------------------------


@dataclass
class _Session:
    project: Project
    force: bool
    ask: Ask | None
    say: Say
    values: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def tell(self, text: str, warning: bool = False) -> None:
        (self.warnings if warning else self.notes).append(text)
        self.say(f"Warning: {text}" if warning else text)

    def folder_for(self, practice_id: str) -> Path:
        return self.project.root / "practices" / practice_id

    def taken(self, practice_id: str) -> str | None:
        folder = self.folder_for(practice_id)
        if folder.exists() and not self.force:
            return (f'a practice "{practice_id}" already exists ({self.project.rel(folder)}/); '
                    "use another name, or --force to replace its practice.yaml and logo")
        return None

    def check(self, key: str, raw: str) -> Any:
        if key == "logo":
            return read_logo(raw)
        if key == "audiences":
            return parse_audiences(raw, self.project.settings.audience_ids)
        if key in ("name", "address"):  # printed: what `check` would refuse in practice.yaml
            problem = self.project.unprintable_text(raw)
            if problem:
                raise ValueError(problem)
        value = _CHECKS[key](raw)
        if key == "name" and "id" not in self.values:
            practice_id = slugify(value)
            if not practice_id:
                raise ValueError("cannot make a folder name from this name (it needs letters a-z or digits); "
                                 "give one with --id")
            problem = self.taken(practice_id)
            if problem:
                raise ValueError(problem)
        if key == "id":
            if len(value) > ID_MAX:
                raise ValueError(f"the id has {len(value)} characters; at most {ID_MAX} fit (it names the practice's "
                                 "folder and its leaflets' folder): choose a shorter one")
            problem = self.taken(value)
            if problem:
                raise ValueError(problem)
        return value

    def answer(self, question: Question, given: str | None) -> None:
        """Take the given answer or ask for one, until it passes its check (or, without ``ask``,
        record the problem). An empty answer skips an optional question."""
        raw = given.strip() if given is not None else None
        if raw is None and self.ask is None:
            raw = question.default or ""
        while True:
            if raw is None:
                raw = self.ask(question.text, question.default).strip()
            error = self.accept(question, raw)
            if error is None:
                return
            if self.ask is None:
                self.problems.append(f"{question.option}: {error}")
                return
            self.say(f"Error: {error}")
            raw = None

    def accept(self, question: Question, raw: str) -> str | None:
        """Store the checked answer and return None, or return what is wrong with it."""
        if not raw:
            if question.required:
                return "missing; this answer is needed" if self.ask is None else "this one is needed"
            self.values[question.key] = None
            return None
        try:
            self.values[question.key] = self.check(question.key, raw)
        except ValueError as exc:
            return str(exc)
        self.after(question.key)
        return None

    def after(self, key: str) -> None:
        """What the manager should know about the answer just accepted."""
        value = self.values[key]
        if key == "name" and "id" not in self.values:
            self.values["id"] = slugify(value)
            self.tell(f"Practice id: {self.values['id']} "
                      f"(its folder: {self.project.rel(self.folder_for(self.values['id']))}/)")
        elif key == "primary":
            self.tell(colour_note(value))
        elif key == "logo":
            if value.warning:
                self.tell(value.warning, warning=True)
            else:
                self.tell(f"Logo OK: {value.kind.upper()}.")


def run_wizard(project: Project, answers: dict[str, str | None], ask: Ask | None = None,
               force: bool = False, say: Say | None = None) -> WizardResult:
    """Create ``practices/<id>/`` from ``answers`` (keys: ANSWER_KEYS), asking for the rest.

    With ``ask`` (interactive), every missing answer is asked and every wrong one is explained
    and asked again. Without it, missing optional answers are left out and all problems are
    raised together as one LeafletError. ``say`` receives the notes, warnings and errors.
    """
    unknown = sorted(set(answers) - set(ANSWER_KEYS))
    if unknown:
        raise ValueError(f"unknown answer keys: {', '.join(unknown)}")
    session = _Session(project, force, ask, say or (lambda _text: None))
    if answers.get("id"):
        try:
            session.values["id"] = session.check("id", answers["id"].strip())
        except ValueError as exc:
            # A wrong --id cannot be fixed by answering a question: stop at once.
            raise LeafletError(f"--id: {exc}") from None
    for question in questions(project.settings.audience_ids):
        session.answer(question, answers.get(question.key))
    if session.problems:
        raise LeafletError("Cannot create the practice:\n  " + "\n  ".join(session.problems))
    return _write(session)


# --- writing ------------------------------------------------------------------------------------


def _quoted(value: str) -> str:
    """A YAML double-quoted string (escapes everything YAML would misread)."""
    return yaml.safe_dump(value, allow_unicode=True, default_style='"', width=float("inf")).strip()


def _scalar(value: Any) -> str:
    """A value as YAML text: ids and file names plain (when YAML reads them back as the same text),
    other text in double quotes, lists in brackets on one line."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    if isinstance(value, str):
        plain = re.fullmatch(r"[a-z0-9][a-z0-9._-]*", value) and yaml.safe_load(value) == value
        return value if plain else _quoted(value)
    return str(value)


def _line(indent: int, key: str, value: str | None, comment: str, example: str | None = None) -> str:
    """One ``key: value  # comment`` line; a missing optional value becomes a commented-out example."""
    if value is None:
        text = " " * indent + f"# {key}: {example}"
        comment += "; to use it, remove the # in front of the key"
    else:
        text = " " * indent + f"{key}: {value}"
    return f"{text.ljust(32)} # {comment}" if len(text) < 32 else f"{text}   # {comment}"


def _given(data: dict, key: str) -> Any:
    for part in key.split("."):
        data = data.get(part) if isinstance(data, dict) else None
    return data


def logo_alt(name: str) -> str | None:
    """The logo's description written for a new practice, "Logo van <name>" (None: too long to be one)."""
    alt = f"Logo van {name}"
    return alt if len(alt) <= 160 else None


def practice_yaml(data: dict[str, Any], audience_ids: list[str] | None = None,
                  made_by: str = "leaflet-gen new-practice", note: str | None = None) -> str:
    """The text of practice.yaml holding ``data`` (validated, as practice.yaml holds it), commented
    for someone who has never edited YAML.

    The keys come in the schema's order, each with the schema's description as its comment; an
    optional key without a value that the schema gives an example for is written as a
    commented-out example. A blank line comes between groups (content/fields.py) and around nested
    mappings. Its first line names the schema (practices/<id>/ is always two folders below the
    project). ``made_by`` is the command its second line names, ``note`` a comment line after it.
    """
    ids = audience_ids or [a.id for a in DEFAULT_AUDIENCES]
    notes = {"audiences": f"this project's: {', '.join(ids)}"}
    primary = _given(data, "colours.primary")
    if primary:
        notes["colours.primary"] = f"text on it is {_colour_name(colours.text_on(primary))}"
    lines = [
        modeline(Path("/project"), Path("/project/practices", data["id"], "practice.yaml"), "practice"),
        f"# Branding for leaflet-gen, made with `{made_by}`. Edit the values; keep the keys.",
        *([f"# {note}"] if note else []),
        "# Text after a # is a note for you; leaflet-gen ignores it. Keep the quotes around values.",
        f"# Check your changes with: leaflet-gen check --practice {data['id']}",
    ]
    opened: list[str] = []  # the nested mappings the last line is in
    block = None
    for leaf in practice_keys():
        value = _given(data, leaf.key)
        *parents, name = leaf.key.split(".")
        if value is None and (leaf.required or leaf.example is None or
                              any(_given(data, ".".join(parents[:i + 1])) is None for i in range(len(parents)))):
            continue  # nothing to write (a mapping without values is left out whole)
        if (leaf.group, parents[:1]) != block:
            block = (leaf.group, parents[:1])
            lines.append("")
            opened = []
        for depth, parent in enumerate(parents):
            if opened[depth:depth + 1] != [parent]:
                opened = opened[:depth] + [parent]
                mapping = ".".join(parents[:depth + 1])
                lines.append(f"{' ' * 2 * depth}{parent + ':':<{32 - 2 * depth}} # {_comment(mapping_description(mapping))}")
        comment = _comment(leaf.description, notes.get(leaf.key))
        lines.append(_line(2 * len(parents), name, None if value is None else _scalar(value), comment,
                           _scalar(leaf.example)))
    return "\n".join(lines) + "\n"


def _comment(description: str, note: str | None = None) -> str:
    text = description.rstrip(".")
    return f"{text}; {note}" if note else text


def build_command(project: Project, practice_id: str) -> str:
    """The command that builds the new practice's leaflets, as it works from the current folder."""
    if Path.cwd().resolve() == project.root:
        return f"leaflet-gen build --practice practices/{practice_id}"
    # From elsewhere, "practices/<id>" would be looked up relative to the current folder; the id
    # alone is looked up under the project's practices/.
    return f"leaflet-gen --project {project.root} build --practice {practice_id}"


def _write(session: _Session) -> WizardResult:
    """Write into a hidden staging folder, validate it like a build would, then move it in place.

    Nothing appears under practices/<id>/ unless the written file loads cleanly, and an
    existing practice (with --force) only has its practice.yaml and logo replaced.
    """
    project, values = session.project, session.values
    practice_id = values["id"]
    target = session.folder_for(practice_id)
    problem = session.taken(practice_id)  # checked again: the folder may have appeared meanwhile
    if problem:
        raise LeafletError(problem)
    logo: Logo = values["logo"]
    logo_name = LOGO_NAMES[logo.kind]
    data: dict[str, Any] = {"id": practice_id, "logo": logo_name, "logo_alt": logo_alt(values["name"])}
    for question in questions(project.settings.audience_ids):
        if question.key != "logo":
            *parents, name = question.yaml_key.split(".")
            mapping = data
            for parent in parents:
                mapping = mapping.setdefault(parent, {})
            mapping[name] = values.get(question.key)
    practices = project.root / "practices"
    staging_root = Path(tempfile.mkdtemp(prefix=f".new-{practice_id}.", dir=practices))
    try:
        staged = staging_root / practice_id  # the folder name must equal the id for validation
        staged.mkdir()
        (staged / "practice.yaml").write_text(
            practice_yaml(data, project.settings.audience_ids), encoding="utf-8")
        (staged / logo_name).write_bytes(logo.data)
        try:
            # A fresh Project: the caller's may have this practice cached from before --force.
            Project(project.root).load_practice(staged)
        except ValidationFailed as exc:
            raise LeafletError(f"the written practice.yaml does not validate (a bug in new-practice):\n{exc}") from None
        if target.exists():
            # The logo first, practice.yaml (which names it) last; what is there must be a regular file.
            write_together({target / path.name: path.read_bytes() for path in sorted(staged.iterdir())})
        else:
            os.replace(staged, target)
    finally:
        shutil.rmtree(staging_root, ignore_errors=True)
    return WizardResult(
        practice_id=practice_id,
        folder=target,
        practice_file=target / "practice.yaml",
        logo_file=target / logo_name,
        build_command=build_command(project, practice_id),
        notes=tuple(session.notes),
        warnings=tuple(session.warnings),
    )
