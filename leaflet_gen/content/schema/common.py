"""What every schema shares: the base class, ids, and the formats users get wrong by hand (colours,
URLs, e-mail, phone numbers, paths, audiences, languages), checked with messages that show a correct example."""

from __future__ import annotations

import difflib
import re
from pathlib import PurePosixPath
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo

from leaflet_gen.content.paths import path_problem
from leaflet_gen.i18n import msg

SETTINGS_FILE = "leaflet-gen.yml"
ID_MAX = 60  # the longest id new-practice and new-topic make: room for a folder and a file name
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _hex_colour(value: str) -> str:
    if not re.fullmatch(r"#[0-9A-Fa-f]{6}", value):
        raise ValueError(msg('expected a hex colour like "#1B6E8C", got "%(value)s"', value=value))
    return value.upper()


def _url(value: str) -> str:
    if not re.fullmatch(r"https?://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?::\d+)?(?:/[^\s<>\"']*)?", value):
        raise ValueError(msg('expected a web address like "https://www.example.nl/pagina", got "%(value)s"', value=value))
    return value


def _email(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}", value):
        raise ValueError(msg('expected an e-mail address like "info@praktijk.nl", got "%(value)s"', value=value))
    return value


def _phone(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    if not re.fullmatch(r"\+?[0-9 ()-]+", value) or not 10 <= len(digits) <= 13:
        raise ValueError(msg('expected a phone number like "030 123 45 67" or "+31 30 123 45 67", got "%(value)s"',
                             value=value))
    return value


def _relative_path(value: str) -> str:
    problem = path_problem(value)
    if problem:
        raise ValueError(problem)
    path = PurePosixPath(value.replace("\\", "/"))
    if path.is_absolute() or re.match(r"^[A-Za-z]:", value) or "://" in value:
        raise ValueError(msg('expected a file name inside the practice folder, like "logo.svg", got "%(value)s"',
                             value=value))
    if ".." in path.parts:
        raise ValueError(msg('the file must be inside the practice folder ("../" is not allowed), got "%(value)s"',
                             value=value))
    return value


def _slug(value: str) -> str:
    if not SLUG_RE.fullmatch(value):
        raise ValueError(msg('expected lower-case letters, digits and hyphens like "fysio-delinde", got "%(value)s"',
                             value=value))
    return value


def _audience(value: str, info: ValidationInfo) -> str:
    # The audiences are data (leaflet-gen.yml): the project loader passes them as the validation
    # context. Without one (a library user validating a dict), any slug is accepted here.
    known = (info.context or {}).get("audiences")
    if known is not None and value not in known:
        close = difflib.get_close_matches(value, known, n=1, cutoff=0.5)
        if close:
            raise ValueError(msg('unknown audience "%(value)s": the project\'s audiences (%(file)s) are %(known)s; '
                                 'did you mean "%(close)s"?', value=value, file=SETTINGS_FILE, known=", ".join(known),
                                 close=close[0]))
        raise ValueError(msg('unknown audience "%(value)s": the project\'s audiences (%(file)s) are %(known)s; '
                             'add it to %(file)s to use it', value=value, file=SETTINGS_FILE, known=", ".join(known)))
    return value


LANGUAGE_RE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")


def _language(value: str) -> str:
    if not LANGUAGE_RE.fullmatch(value):
        raise ValueError(f'expected a language code like "nl", "en", "tr", "ar" or "pt-BR", got "{value}"')
    return value


def _text(value: str) -> str:
    if not value.strip():
        raise ValueError(msg("expected text, got an empty value"))
    return value.strip()


# The ``pattern``s only go into the JSON Schema (editors flag a wrong value while it is typed);
# validation itself is the function, whose message shows a correct example.
HexColour = Annotated[str, AfterValidator(_hex_colour), Field(json_schema_extra={"pattern": "^#[0-9A-Fa-f]{6}$"})]
Url = Annotated[str, AfterValidator(_url), Field(json_schema_extra={"pattern": "^https?://"})]
Email = Annotated[str, AfterValidator(_email), Field(json_schema_extra={"pattern": "^[^@\\s]+@[^@\\s]+\\.[A-Za-z]{2,}$"})]
Phone = Annotated[str, AfterValidator(_phone)]
RelativePath = Annotated[str, AfterValidator(_relative_path)]
Slug = Annotated[str, AfterValidator(_slug), Field(json_schema_extra={"pattern": SLUG_RE.pattern})]
Audience = Annotated[Slug, AfterValidator(_audience)]
Language = Annotated[str, AfterValidator(_language), Field(json_schema_extra={"pattern": "^" + LANGUAGE_RE.pattern + "$"})]
Text = Annotated[str, Field(max_length=2000), AfterValidator(_text)]
ShortText = Annotated[str, Field(max_length=160), AfterValidator(_text)]


class Schema(BaseModel):
    """Base for every schema: unknown keys are errors, objects are immutable."""

    # Each field's docstring is its description: the one source for docs/ and the JSON Schema,
    # given by documented(), not at import (pydantic's use_attribute_docstrings).
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)
