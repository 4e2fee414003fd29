"""The print shop's package in the studio (``/practices/<id>/leaflets.zip``) and the names of downloads.

The package is made from the leaflets the studio has built in memory, the same way as ``leaflet-gen
build --practice P --zip FILE`` makes it (``api.print_package``):
every print leaflet of the practice (a variant with a job sheet) that built without errors and
passed its preflight, with its job sheet and a list. The order form of the practice page (quantity,
paper, delivery date, contact) is written on every job sheet; its values are checked here and
refused in Dutch (400), never a 500.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import time

from leaflet_gen.errors import LeafletError
from leaflet_gen.i18n import msg, translate
from leaflet_gen.studio.labels import PAPER
from leaflet_gen.studio.refusals import COUNT, Refused, checked

WAIT_S = 60  # the longest a download waits for the practice's print leaflets to finish building
MAX_QUANTITY = 1_000_000
MAX_CONTACT = 200
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def file_stem(entry) -> str:
    """A leaflet's download name without extension: ``fysio-delinde-lage-rugpijn-fysiotherapie-trifold``."""
    from leaflet_gen.api import file_stem as stem

    return stem(entry.lid)


def attachment(name: str) -> dict[str, str]:
    """The headers of a download saved under ``name`` (ids and fixed words only: plain ASCII)."""
    return {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}


def zip_name(practice_id: str) -> str:
    return f"{practice_id}-drukpakket.zip"


def order_from(form) -> dict[str, str]:
    """The order form's values (a form's fields by name), checked, as the job sheet shows them."""
    def refuse(problem: str):
        raise Refused(msg("Order not read: %(problem)s. Correct the form and try again.", problem=problem), 400)

    order = {}
    try:
        quantity = checked((form.get("quantity") or "").strip(), COUNT, "quantity")
    except Refused:
        refuse(msg("the number of copies must be a whole number from 1 to 1,000,000"))
    if quantity:
        if not 1 <= int(quantity) <= MAX_QUANTITY:
            refuse(msg("the number of copies must be a whole number from 1 to 1,000,000"))
        order["quantity"] = f"{int(quantity)} per folder"
    paper = form.get("paper") or ""
    if paper not in PAPER:
        refuse(msg("choose a paper from the list"))
    if paper:
        order["paper"] = translate(PAPER[paper], "nl")  # the job sheet is in Dutch (pdf/jobsheet.as_text)
    delivery = (form.get("delivery") or "").strip()
    if delivery:
        try:
            if not _DATE.fullmatch(delivery):
                raise ValueError
            order["delivery"] = dt.date.fromisoformat(delivery).isoformat()
        except ValueError:
            refuse(msg("the delivery date must be a date (yyyy-mm-dd)"))
    contact = " ".join((form.get("contact") or "").split())
    if len(contact) > MAX_CONTACT or any(not ch.isprintable() for ch in contact):
        refuse(msg("the contact person may have at most 200 characters on one line"))
    if contact:
        order["contact"] = contact
    return order


def _print_variants(studio) -> set[str]:
    out = set()
    for variant in studio.project.variant_ids():
        try:
            if studio.project.load_variant(variant).job_sheet:
                out.add(variant)
        except LeafletError:
            pass  # its leaflets show the problem
    return out


def _entries(studio, practice_id: str) -> list:
    variants = _print_variants(studio)
    return [e for e in studio.ordered() if e.lid.practice == practice_id and e.lid.variant in variants and not e.gone]


def _settled(entry) -> bool:
    return not (entry.building or entry.pending) and (entry.good is None or entry.good.checked)


async def wait_settled(studio, practice_id: str, timeout: float = WAIT_S) -> None:
    """Wait (at most ``timeout`` s) until the practice's print leaflets are built and checked."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        entries = await asyncio.to_thread(_entries, studio, practice_id)
        if all(_settled(e) for e in entries):
            return
        await asyncio.sleep(0.2)


def make(studio, practice_id: str, practice_name: str, order: dict[str, str]) -> bytes:
    """The package's zip; Refused (409) when no print leaflet of the practice built without errors."""
    from leaflet_gen import api

    items, missing = [], []
    for entry in _entries(studio, practice_id):
        good = entry.good
        if good is None or entry.failure is not None or not good.checked or good.built.job_sheet_json is None:
            missing.append(f"{entry.title} ({entry.lid.audience}, {entry.lid.variant}): {file_stem(entry)}.pdf")
            continue
        items.append(api.package_item(entry.lid, good.built.pdf, good.built.job_sheet_json))
    if not items:
        raise Refused(msg("There is no print PDF of this practice yet: no leaflet was built without errors (or the "
                          "practice hands out no leaflets). Open the catalogue to see what is wrong."), 409)
    return api.print_package(items, practice_name, order, missing)
