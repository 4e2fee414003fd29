"""User-facing words in message catalogues (gettext, compiled by Babel), one per language and domain.

Two domains, both under ``leaflet_gen/locale/<language>/LC_MESSAGES/<domain>.po``:

- ``messages``: what the tool says to its users (validation and check findings, the studio's
  pages, the job sheet). The message ids are English, so English needs no catalogue; Dutch has one.
- ``leaflet``: the words a leaflet prints besides its content ("Versie", "Telefoon", dates), one
  catalogue per leaflet language, Dutch included.

A message is made with :func:`msg` where it is raised: it is an ordinary ``str`` holding the English
text (the CLI prints it as before) that remembers its id and values, so :func:`translate` can show
it in another language later (the studio shows it in the project's language). Catalogues are read
from the ``.po`` files and compiled in memory once per process: no compiled files to keep in step.
"""

from __future__ import annotations

import io
from functools import lru_cache
from gettext import NullTranslations
from pathlib import Path
from typing import Any

LOCALE_DIR = Path(__file__).parent / "locale"
SOURCE_LANGUAGE = "en"  # the language of the message ids in the ``messages`` domain


RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur"})  # scripts written right to left


def direction(language: str) -> str:
    """"rtl" or "ltr": the writing direction of ``language`` (a BCP 47 tag such as "ar" or "ar-MA")."""
    return "rtl" if language.split("-")[0].lower() in RTL_LANGUAGES else "ltr"


# The typeface of each script a leaflet may be printed in besides the variant's own (Latin) face,
# by language: Lato has no Arabic letters. Noto Naskh Arabic (Debian's fonts-noto-core, OFL) has
# only a regular and a bold face: Arabic emphasis is colour, never a slanted fake italic
# (docs/translations.md). Text is set in the variant's face first, these for what it lacks.
SCRIPT_FONTS = {"ar": ("Noto Naskh Arabic",), "fa": ("Noto Naskh Arabic",), "ur": ("Noto Naskh Arabic",)}


def font_families(base: str, language: str) -> tuple[str, ...]:
    """The typefaces a leaflet in ``language`` is set in: the variant's ``base`` face, then the
    faces of the language's own script (the build accepts no other font in the PDF)."""
    return (base, *SCRIPT_FONTS.get(language.split("-")[0].lower(), ()))


class Msg(str):
    """An English message (a ``str``) that remembers its catalogue id, plural and values."""

    msgid: str
    plural: str | None
    n: int | None
    values: dict[str, Any]

    def __new__(cls, msgid: str, plural: str | None = None, n: int | None = None, **values: Any) -> "Msg":
        source = plural if plural is not None and n != 1 else msgid
        self = super().__new__(cls, _fill(source, n, values))
        self.msgid, self.plural, self.n, self.values = msgid, plural, n, values
        return self

    def __reduce__(self):
        # Picklable with its id: a render process sends messages back to the parent.
        return _rebuild, (self.msgid, self.plural, self.n, self.values)


def _rebuild(msgid: str, plural: str | None, n: int | None, values: dict[str, Any]) -> Msg:
    return Msg(msgid, plural, n, **values)


class Num(str):
    """A measured number in a message ("7.5"): English as text, written the language's way when the
    message is translated ("7,5" in Dutch)."""

    value: float
    decimals: int

    def __new__(cls, value: float, decimals: int = 1) -> "Num":
        self = super().__new__(cls, f"{value:.{decimals}f}")
        self.value, self.decimals = value, decimals
        return self

    def __reduce__(self):
        return Num, (self.value, self.decimals)

    def written(self, language: str) -> str:
        from babel.numbers import format_decimal

        pattern = "0." + "0" * self.decimals if self.decimals else "0"
        return format_decimal(round(self.value, self.decimals), format=pattern, locale=language)


def num(value: float, decimals: int = 1) -> Num:
    """``value`` with ``decimals`` decimals, for a message: ``msg("%(pt)s pt", pt=num(7.5))``."""
    return Num(value, decimals)


def msg(msgid: str, **values: Any) -> Msg:
    """A message to show the user: ``msg("expected text, got %(got)s", got=...)``."""
    return Msg(msgid, **values)


def nmsg(singular: str, plural: str, n: int, **values: Any) -> Msg:
    """A message whose wording depends on a count ("1 warning", "2 warnings"); ``%(n)s`` is the count."""
    return Msg(singular, plural, n, **values)


def joined(parts: list[str]) -> str:
    """Messages one after the other, separated by "; " (each still translates)."""
    if not parts:
        return ""
    out = parts[-1]
    for part in reversed(parts[:-1]):
        out = msg("%(first)s; %(rest)s", first=part, rest=out)
    return out


def as_record(text: str) -> Any:
    """A message as JSON data, its id and values kept (a plain str as it is): a cache on disk
    gives back a message that still translates (:func:`from_record`)."""
    if isinstance(text, Num):
        return {"num": text.value, "decimals": text.decimals}
    if not isinstance(text, Msg):
        return text
    return {"msgid": text.msgid, "plural": text.plural, "n": text.n,
            "values": {k: as_record(v) if isinstance(v, (str, int, float, bool)) or v is None else str(v)
                       for k, v in text.values.items()}}


def from_record(data: Any) -> Any:
    """The message :func:`as_record` made (anything else as it is)."""
    if isinstance(data, dict) and "num" in data:
        return Num(data["num"], data.get("decimals", 1))
    if isinstance(data, dict) and "msgid" in data:
        values = {k: from_record(v) for k, v in (data.get("values") or {}).items()}
        return Msg(data["msgid"], data.get("plural"), data.get("n"), **values)
    return data


def _fill(text: str, n: int | None, values: dict[str, Any]) -> str:
    data = dict(values)
    if n is not None:
        data.setdefault("n", n)
    return text % data if data else text


def translate(text: str, language: str, domain: str = "messages") -> str:
    """``text`` in ``language``: a :class:`Msg` through the catalogue (its values translated too),
    any other string as it is."""
    if not isinstance(text, Msg):
        return text
    values = {k: _value(v, language, domain) for k, v in text.values.items()}
    if language == SOURCE_LANGUAGE and domain == "messages":
        return _fill(text.plural if text.plural is not None and text.n != 1 else text.msgid, text.n, values)
    cat = catalogue(language, domain)
    if text.plural is not None:
        return _fill(cat.ngettext(text.msgid, text.plural, text.n), text.n, values)
    return _fill(cat.gettext(text.msgid), text.n, values)


def _value(value: Any, language: str, domain: str) -> Any:
    if isinstance(value, Num):
        return str(value) if language == SOURCE_LANGUAGE else value.written(language)
    return translate(value, language, domain) if isinstance(value, str) else value


def languages(domain: str) -> list[str]:
    """The languages that have a catalogue in ``domain``."""
    return sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{domain}.po"))


@lru_cache(maxsize=32)
def catalogue(language: str, domain: str = "messages") -> NullTranslations:
    """The compiled catalogue for ``language`` (no catalogue: the message ids themselves)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po"
    if not path.is_file():
        return NullTranslations()
    with path.open("rb") as fh:
        cat = read_po(fh, locale=language, domain=domain)
    buf = io.BytesIO()
    write_mo(buf, cat, use_fuzzy=False)
    buf.seek(0)
    return Translations(buf, domain=domain)
