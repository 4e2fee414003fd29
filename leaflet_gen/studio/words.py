"""The studio's language: chosen once from the project's settings, and used for every word it shows.

The studio speaks the project's language (``language`` in leaflet-gen.yml) when the ``messages``
catalogue has it, else English (the message ids). Its own words are ``_("English id")`` in the
templates and :func:`~leaflet_gen.i18n.msg` in the Python; messages from the checks and the build
are :class:`~leaflet_gen.i18n.Msg` too, translated where a page or a JSON answer is made.
"""

from __future__ import annotations

from typing import Any

from leaflet_gen import i18n
from leaflet_gen.errors import LeafletError, Problem

DEFAULT_LANGUAGE = "nl"  # leaflet-gen.yml's default language, while that file does not load


def language_of(project) -> str:
    """The language the studio speaks for ``project``: its settings' language if it has a
    ``messages`` catalogue, else English."""
    try:
        wanted = project.settings.language
    except LeafletError:
        wanted = DEFAULT_LANGUAGE
    return wanted if wanted in i18n.languages("messages") else i18n.SOURCE_LANGUAGE


def localized(value: Any, language: str) -> Any:
    """``value`` (a JSON answer: dicts, lists, strings) with every message in ``language``."""
    if isinstance(value, i18n.Msg):
        return i18n.translate(value, language)
    if isinstance(value, dict):
        return {k: localized(v, language) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [localized(v, language) for v in value]
    return value


def plural_forms(singular: str, plural: str, language: str) -> list[str]:
    """A count's message in ``language`` for 1 and for more ("%(n)s" left in), for a script that
    fills in the count itself (languages with one plural form for every n != 1)."""
    cat = i18n.catalogue(language)
    return [cat.ngettext(singular, plural, 1), cat.ngettext(singular, plural, 2)]


def located(problem: Problem) -> i18n.Msg:
    """A located problem (``file:line:column key: message``) as a message: its text translates."""
    where = str(problem).removesuffix(f" {problem.message}")
    return i18n.msg("%(where)s %(message)s", where=where, message=problem.message)


def error_text(exc: LeafletError, language: str) -> str:
    """``str(exc)`` (its located problems, then its message) in ``language``."""
    lines = [i18n.translate(located(p), language) for p in exc.problems]
    lines.append(i18n.translate(exc.message, language))
    return "\n".join(lines)
