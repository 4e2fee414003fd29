"""Characters the leaflet font cannot print, found in the content before anything is rendered.

A character the font lacks (Arabic, Hebrew, a check mark, U+FFFD from a bad copy-paste) makes
the renderer fall back to another font, which the build refuses; the message then can only
name fonts. This check names the character, the file and the key instead, in ``check`` and
before a build renders.

Fast by design, because ``check`` must stay fast: text made only of characters every Latin
font has (ASCII, Latin-1 and the usual typographic punctuation) is passed without looking at
any font. Only when another character appears are the font's files found (fontconfig's
``fc-list``, plus the project's own ``fonts/``) and their character maps read with fontTools
(a WeasyPrint dependency, but without importing WeasyPrint). A character counts as printable
only when every face of the family has it: a heading is set in bold.
"""

from __future__ import annotations

import subprocess
import unicodedata
from functools import lru_cache
from pathlib import Path

from leaflet_gen.content.yamlio import KeyPath, YamlDoc
from leaflet_gen.errors import Problem

# Characters every text face of a Latin typeface carries: no font needs to be read for them.
_SAFE = frozenset(
    [chr(c) for c in range(0x20, 0x7F)] + [chr(c) for c in range(0xA0, 0x100)]
    + list("\u200e\u200f\u2066\u2067\u2068\u2069")  # bidi marks and isolates: no glyph, never a fallback
    + list("\n\t\u00ad\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2022\u2026\u20ac\u2032\u2033\u2009\u202f")
)
_FONT_FILES = (".ttf", ".otf", ".ttc")


def unsafe_characters(text: str) -> set[str]:
    return set(text) - _SAFE


def coverage(family: str, fonts_dir: Path | None = None) -> frozenset[int] | None:
    """Code points every face of ``family`` has; None when no file of that family is found."""
    files = _family_files(family, fonts_dir)
    # Kept per process by the files' state, not their names: a long-running process (the
    # studio) must see a font replaced in the project's fonts/.
    return _coverage(family, tuple(files), tuple(_state(p) for p in files))


def _state(path: Path) -> tuple[int, int]:
    try:
        st = path.stat()
    except OSError:
        return (0, -1)
    return (st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=8)
def _coverage(family: str, files: tuple[Path, ...], _state: tuple) -> frozenset[int] | None:
    if not files:
        return None
    from fontTools.ttLib import TTCollection, TTFont

    common: set[int] | None = None
    for path in files:
        try:
            fonts = TTCollection(str(path)).fonts if path.suffix.lower() == ".ttc" else [TTFont(str(path), lazy=True)]
        except Exception:  # noqa: BLE001 - an unreadable font file is the renderer's to report
            continue
        for font in fonts:
            if family.replace(" ", "").lower() not in str(font["name"].getBestFamilyName()).replace(" ", "").lower():
                continue
            cmap = set(font.getBestCmap() or {})
            common = cmap if common is None else common & cmap
    return frozenset(common) if common is not None else None


def installed(family: str, fonts_dir: Path | None = None) -> bool:
    """Whether any font file of ``family`` is there (fontconfig's or the project's fonts/)."""
    return bool(_family_files(family, fonts_dir))


@lru_cache(maxsize=8)
def fontconfig_files(family: str) -> tuple[Path, ...]:
    """The installed font files of ``family``, as fontconfig lists them (sorted; none on error).
    Also what a leaflet's input key hashes (pipeline/inputs.py)."""
    try:
        listed = subprocess.run(["fc-list", f":family={family}", "file"], capture_output=True, text=True,
                                timeout=20, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    return tuple(sorted(Path(line.split(":")[0].strip()) for line in listed.splitlines() if line.strip()))


def _family_files(family: str, fonts_dir: Path | None) -> list[Path]:
    files: list[Path] = []
    if fonts_dir is not None and fonts_dir.is_dir():
        files += sorted(p for p in fonts_dir.rglob("*") if p.suffix.lower() in _FONT_FILES)
    return files + list(fontconfig_files(family))


def describe(char: str) -> str:
    name = unicodedata.name(char, "")
    shown = f'"{char}" ' if char.isprintable() else ""  # a control character is not echoed to the terminal
    return f'{shown}(U+{ord(char):04X}{", " + name if name else ""})'


def _not_installed(family: str) -> str:
    return f'the font "{family}" is not installed, so this text cannot be checked or printed: install it ' \
           "(Lato: the Debian package fonts-lato; `leaflet-gen doctor` says what else is missing)"


def _not_in_font(char: str, family: str) -> str:
    return f"the character {describe(char)} is not in the font {family}, so it cannot be printed; remove it or " \
           "write it with other characters"


def text_problem(text: str, families: list[str], fonts_dir: Path | None) -> str | None:
    """What keeps a one-line text (a title, a name: given on the command line, not yet in a file)
    from being printed, or None: a control character (a line break included), bytes that are not
    UTF-8, or a character one of the fonts ``families`` lacks (what :func:`missing_in` finds in a file)."""
    for char in text:
        category = unicodedata.category(char)
        if category == "Cs":  # how Python keeps command-line bytes that are not UTF-8
            return "contains bytes that are not UTF-8 text; type it again, or set a UTF-8 locale"
        if category == "Cc":
            return f"contains the control character U+{ord(char):04X}; a one-line text cannot have one: remove it"
    unsafe = sorted(unsafe_characters(text))
    for family in families if unsafe else ():
        have = coverage(family, fonts_dir)
        if have is None:
            return _not_installed(family)
        missing = [char for char in unsafe if ord(char) not in have]
        if missing:
            return _not_in_font(missing[0], family)
    return None


def script_problem(text: str, families: tuple[str, ...], fonts_dir: Path | None) -> str | None:
    """What keeps ``text`` of a leaflet set in ``families`` (the variant's face, then its language's
    script's, :func:`leaflet_gen.i18n.font_families`) from being printed, or None. A character counts
    when one of them has it, as the renderer picks the first face that has it: Arabic text is
    checked against the Arabic face, the Latin addresses and names in it against Lato."""
    unsafe = sorted(unsafe_characters(text))
    if not unsafe:
        return None
    have: set[int] = set()
    for family in families:
        cover = coverage(family, fonts_dir)
        if cover is None:
            return _not_installed(family)
        have |= cover
    missing = [char for char in unsafe if ord(char) not in have]
    if missing:
        return f"the character {describe(missing[0])} is in none of the fonts {', '.join(families)}, so it cannot " \
               "be printed; remove it or write it with other characters"
    return None


def missing_in(docs: list[tuple[YamlDoc, KeyPath]], family: str, fonts_dir: Path | None) -> list[Problem]:
    """Problems for every text in ``docs`` (each walked from its key path) with a character the
    font ``family`` lacks, located at the text; one problem per text and character."""
    found: list[tuple[YamlDoc, KeyPath, str]] = []
    for doc, start in docs:
        for keypath, text in _strings(_at(doc.data, start), start):
            for char in sorted(unsafe_characters(text)):
                found.append((doc, keypath, char))
    if not found:
        return []
    have = coverage(family, fonts_dir)
    if have is None:
        first = found[0]
        return [first[0].problem(first[1], _not_installed(family))]
    return [doc.problem(keypath, _not_in_font(char, family)) for doc, keypath, char in found if ord(char) not in have]


def _at(data, keypath: KeyPath):
    for part in keypath:
        data = data[part]
    return data


def _strings(data, prefix: KeyPath):
    if isinstance(data, str):
        yield prefix, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, prefix + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _strings(value, prefix + (i,))


def missing_in_units(shown: str, units: list[tuple[str, str]], families: tuple[str, ...],
                     fonts_dir: Path | None) -> list[Problem]:
    """Like :func:`missing_in` for the texts of a translation (``shown``: its file): (unit id, text),
    set in ``families`` (:func:`leaflet_gen.i18n.font_families`: a character counts when one has it)."""
    found = [(uid, char) for uid, text in units for char in sorted(unsafe_characters(text))]
    if not found:
        return []
    have: set[int] = set()
    for family in families:
        cover = coverage(family, fonts_dir)
        if cover is None:
            return [Problem(shown, _not_installed(family))]
        have |= cover
    where = families[0] if len(families) == 1 else ", ".join(families)
    return [Problem(shown, _not_in_font(char, where), key=uid) for uid, char in found if ord(char) not in have]
