"""What the studio answers instead of doing what was asked: one message in Dutch, the right status.

A user's mistake - an odd address, a file in the project that cannot be read, a project folder
that cannot be written - is never an HTTP 500 with a traceback. Every such case is a
:class:`Refused` (a :class:`~leaflet_gen.errors.LeafletError`), which the web application turns
into a page or a JSON answer (see ``app.refused``).
"""

from __future__ import annotations

import errno
import re
from contextlib import contextmanager

from leaflet_gen.errors import LeafletError
from leaflet_gen.i18n import joined, msg
from leaflet_gen.studio.words import located


class Refused(LeafletError):
    """The request is refused; ``message`` says why in Dutch, ``fields`` per form field (the
    practice editor), ``status`` is the HTTP status it is answered with."""

    def __init__(self, message: str, status: int = 400, fields: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.fields = fields or {}


# A value in an address the studio made itself: a counter, or a build and check counter ("12.3").
# ASCII digits only, and few of them: int() of "²" or of 5,000 digits raises.
COUNT = re.compile(r"[0-9]{1,18}")
VERSION = re.compile(r"[0-9]{1,18}(\.[0-9]{1,18})?")
FLAG = re.compile(r"[01]?")
# An id of the project (a practice's folder, a topic, an audience, a variant) or a catalogue state,
# in an address; whether the project has it is looked up after this.
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")


def checked(value: str | None, pattern: re.Pattern, name: str) -> str:
    """``value`` (a query parameter, a header) if ``pattern`` matches all of it; "" when absent;
    else Refused (400) naming the parameter. Every value from a request that is more than
    looked up goes through here before it is used."""
    if value is None or value == "":
        return ""
    if not pattern.fullmatch(value):
        raise Refused(msg("Invalid address: the value of “%(name)s” is wrong. Open the page again from the "
                          "catalogue.", name=name), 400)
    return value


def form_fields(body: bytes) -> dict[str, str]:
    """A posted HTML form's fields, the first value of each (a byte that is no UTF-8 replaced):
    what a route reads its values from, each then checked where it is used."""
    from urllib.parse import parse_qs

    return {key: values[0] for key, values in parse_qs(body.decode("utf-8", "replace")).items()}


def unreadable(exc: LeafletError, status: int = 422) -> Refused:
    """A project file that cannot be read (as `leaflet-gen check` reads it), in the studio's words."""
    where = joined([located(p) for p in exc.problems]) or exc.message
    return Refused(msg("The studio cannot open this file: %(problem)s. Repair the file (`leaflet-gen check` says the "
                       "same) and reload the page.", problem=where), status)


_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}
_FULL = {errno.ENOSPC, errno.EDQUOT}


@contextmanager
def writing(where: str):
    """Writes in ``where`` (a folder, as the user knows it): an OSError becomes a Refused that
    says what to do (start with --read-only, free some space), never a 500."""
    try:
        yield
    except OSError as exc:
        error = exc.strerror or str(exc)
        if exc.errno in _READ_ONLY:  # a project folder the studio may not write
            raise Refused(msg("Not saved: the studio may not write in %(where)s (%(error)s: read-only disk or no write "
                              "permission). Start the studio with --read-only to only look, or give write permission "
                              "on the project folder.", where=where, error=error), 403) from None
        if exc.errno in _FULL:
            raise Refused(msg("Not saved: the disk is full (%(where)s). Free some space and try again.", where=where),
                          507) from None
        raise Refused(msg("Not saved: writing in %(where)s failed (%(error)s). Try again.", where=where, error=error),
                      503) from None
