"""The print shop's preflight page: upload a PDF received and see the checks of ``leaflet-gen preflight``.

The upload is checked by the same function as the CLI (:func:`leaflet_gen.pdf.preflight.preflight_file`),
with its bounds (file size, page count) and one more that a server needs: a time limit. The check
runs in a process of its own that is ended when the limit passes, so a hostile PDF that makes a
reader loop holds neither the studio nor a core for longer; one check runs at a time.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import tempfile
import threading
from pathlib import Path

from leaflet_gen.errors import LeafletError
from leaflet_gen.i18n import Msg, msg
from leaflet_gen.pdf.preflight import MAX_PDF_BYTES, preflight_file
from leaflet_gen.studio.refusals import NAME, Refused, checked

PATH = "/preflight/check"  # the one route that takes a PDF: up to MAX_BYTES
MAX_BYTES = MAX_PDF_BYTES  # as the CLI: larger files are refused before any reading
TIME_LIMIT_S = 60.0

# What each check of pdf/preflight.py is called on the page.
CHECK_NAMES = {
    "pages": msg("Page count"),
    "trim size": msg("Trim size"),
    "boxes": msg("Trim and bleed boxes"),
    "bleed": msg("Bleed"),
    "fonts embedded": msg("Fonts embedded"),
    "output intent": msg("Print profile (output intent)"),
    "colour": msg("Colour (no RGB)"),
    "image resolution": msg("Image resolution"),
    "smallest text": msg("Smallest text"),
    "safe zone": msg("Distance from trim and folds"),
}
STATUS = {"pass": msg("pass"), "warn": msg("warning"), "fail": msg("fail")}


def too_large() -> str:
    return msg("Refused: the file is larger than %(mb)s MB; a leaflet PDF is far smaller. "
               "Ask the sender for the print PDF of the leaflet itself.", mb=MAX_BYTES // 2**20)


def _check(path: str, variant) -> tuple[str, object]:
    """In the child process: ("report", Report) or ("refused", message)."""
    try:
        return "report", preflight_file(Path(path), variant)
    except LeafletError as exc:
        return "refused", exc.args[0] if exc.args else str(exc)  # a Msg keeps its id across the pipe


_one_at_a_time = threading.Lock()  # one check at a time (held in its thread, whatever the event loop)


async def run(studio, data: bytes, file_name: str, variant_id: str, time_limit: float = TIME_LIMIT_S):
    """The preflight report of the uploaded ``data`` against ``variant_id``; Refused with a Dutch
    message when the file is empty, too large, not a PDF, unreadable, or takes too long."""
    if variant_id not in studio.project.variant_ids():
        raise Refused(msg("Unknown variant \"%(variant)s\".", variant=variant_id), 400)
    if not data:
        raise Refused(msg("No file was sent: choose a PDF file first."), 400)
    if len(data) > MAX_BYTES:
        raise Refused(too_large(), 413)
    variant = studio.project.load_variant(variant_id)
    return await asyncio.to_thread(_bounded, data, file_name, variant, time_limit)


def _bounded(data: bytes, file_name: str, variant, time_limit: float):
    with _one_at_a_time:
        return _checked(data, file_name, variant, time_limit)


def _checked(data: bytes, file_name: str, variant, time_limit: float):
    with tempfile.TemporaryDirectory(prefix="leaflet-preflight-") as folder:
        path = Path(folder, "upload.pdf")
        path.write_bytes(data)
        context = multiprocessing.get_context("spawn")  # a clean process: the studio runs threads
        with context.Pool(1) as pool:  # leaving the block ends the process, finished or not
            answer = pool.apply_async(_check, (str(path), variant))
            try:
                kind, value = answer.get(time_limit)
            except multiprocessing.TimeoutError:
                raise Refused(msg("The check took longer than %(s)s seconds and was stopped; the file may be "
                                  "damaged. Ask the sender to export it again.", s=int(time_limit)), 422) from None
    if kind == "refused":
        # Translated on the page where the message is in the catalogue; naming the file as the user knows it.
        text = _renamed(value, str(path), file_name)
        reason = text if isinstance(text, Msg) else text.removeprefix(file_name + ": ")  # a message names no file
        raise Refused(msg("This file cannot be checked: %(reason)s", reason=reason), 422)
    return value


def _renamed(text: str, path: str, name: str) -> str:
    """``text`` with the temporary file's path replaced by the name the user uploaded (a message stays one)."""
    if isinstance(text, Msg):
        return Msg(text.msgid, text.plural, text.n,
                   **{k: _renamed(v, path, name) if isinstance(v, str) else v for k, v in text.values.items()})
    return text.replace(path, name)


def rows(report) -> list[dict]:
    """One row per check for the page: its Dutch name, status word and detail."""
    out = []
    for c in report.checks:
        name = CHECK_NAMES.get(c.name)
        out.append({"status": c.status, "word": STATUS.get(c.status, c.status),
                    "name": name if name else c.name, "detail": c.detail})
    return out


def summary(report) -> str:
    counts = report.as_dict()["counts"]
    if report.failed:
        return msg("Not ready for print: %(fail)s check(s) failed, %(warn)s warning(s).", fail=counts["fail"],
                   warn=counts["warn"])
    return msg("Ready for print: every check passed, %(warn)s warning(s).", warn=counts["warn"])


def variant_of(request) -> str:
    return checked(request.query_params.get("variant"), NAME, "variant") or "trifold"
