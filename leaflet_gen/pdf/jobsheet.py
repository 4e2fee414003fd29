"""The job sheet next to every print PDF: what a print shop asks when an order comes in.

Written as text for people and as JSON for order systems, from the same dictionary.
"""

from __future__ import annotations

import hashlib
import json

from leaflet_gen.layout.cmyk import output_condition
from leaflet_gen.layout.compose import Leaflet

SUGGESTED_PAPER = ("135-170 g/m² coated silk (mc) paper; crease before folding above 150 g/m². "
                   "Matte paper reads best under lamp light.")


def job_sheet(leaflet: Leaflet, pdf: bytes, pages: int, file_name: str) -> dict:
    variant = leaflet.variant
    practice = leaflet.practice.data
    topic = leaflet.topic.data
    panels = {
        sheet.id: [f"{p.label} {p.width:g} mm" for p in variant.sheet_panels(sheet.id)]
        for sheet in variant.sheets
    }
    profile = leaflet.icc_profile
    size = {(297, 210): "A4 landscape", (210, 297): "A4 portrait"}.get((variant.page_width, variant.page_height), "")
    return {
        "file": file_name,
        "sha256": hashlib.sha256(pdf).hexdigest(),
        "practice": practice.name,
        "leaflet": {"topic": topic.title, "audience": leaflet.audience, "variant": variant.id},
        "content_version": topic.version,
        "content_status": topic.status,
        "last_review": topic.last_review.isoformat(),
        "trim_size_mm": [variant.page_width, variant.page_height],
        "trim_size_name": size,
        "pages": pages,
        "sides": "duplex, flip on the short edge" if pages == 2 else "simplex",
        "fold": "letter fold (wikkelvouw), tuck-in panel folds in first",
        "folds_mm_from_left": {s.id: s.folds for s in variant.sheets},
        "panels": panels,
        "bleed_mm": variant.bleed,
        "marks": "crop and fold marks in the slug, registration colour" if variant.marks else "none",
        "pdf_standard": "PDF/X-4" if variant.pdf_variant == "pdf/x-4" else (variant.pdf_variant or "PDF"),
        "colour": "CMYK",
        "output_intent": output_condition(profile) if profile else None,
        "icc_profile": profile.name if profile else None,
        "suggested_paper": SUGGESTED_PAPER,
    }


# The text sheet is for the people at the print shop, in Dutch; the JSON keeps its keys and values
# for order systems. Fixed values of the JSON in Dutch (others are shown as they are):
_NL = {
    "duplex, flip on the short edge": "dubbelzijdig, kantelen over de korte zijde",
    "simplex": "enkelzijdig",
    "letter fold (wikkelvouw), tuck-in panel folds in first": "wikkelvouw (letter fold), de instopflap vouwt "
                                                             "eerst naar binnen",
    "crop and fold marks in the slug, registration colour": "snij- en vouwtekens buiten het formaat, in "
                                                            "registerkleur",
    "none": "geen",
    "A4 landscape": "A4 liggend",
    "A4 portrait": "A4 staand",
    SUGGESTED_PAPER: "135-170 g/m² mc silk (gestreken), boven 150 g/m² rillen voor het vouwen. Mat papier "
                     "leest het best onder lamplicht.",
    "approved": "goedgekeurd",
    "concept": "concept (niet goedgekeurd: de folder draagt een CONCEPT-stempel)",
    "trifold": "drieluik",
    "outside": "buitenkant",
    "inside": "binnenkant",
}
_PANELS_NL = {"front cover": "voorkant", "back panel": "achterkant", "inner flap": "binnenflap",
              "inside left": "binnen links", "inside middle": "binnen midden", "tuck-in panel": "instopflap"}
# An order (the studio's order form, ``order`` in the sheet): its keys in the order shown, in Dutch.
ORDER_FIELDS = (("quantity", "Oplage"), ("paper", "Papier"), ("delivery", "Leverdatum"), ("contact", "Contact"))


def _nl(value) -> str:
    return _NL.get(value, value) if isinstance(value, str) else str(value)


def _panel_nl(label: str) -> str:
    name, _, size = label.rpartition(" ")  # "inner flap 97 mm" -> "inner flap 97", "mm"
    name, _, width = name.rpartition(" ")
    return f"{_PANELS_NL.get(name, name)} {width} {size}" if name else label


def with_order(sheet: dict, order: dict[str, str]) -> dict:
    """The sheet with an order's details (``ORDER_FIELDS``; empty values are left out)."""
    given = {key: str(order[key]) for key, _ in ORDER_FIELDS if order.get(key)}
    return {**sheet, "order": given} if given else dict(sheet)


def as_text(sheet: dict) -> str:
    leaflet = sheet["leaflet"]
    lines = [
        "OPDRACHTBON DRUKWERK",
        "",
        f"Bestand         {sheet['file']}",
        f"SHA-256         {sheet['sha256']}",
        f"Klant           {sheet['practice']}",
        f"Folder          {leaflet['topic']} ({leaflet['audience']}, {_nl(leaflet['variant'])})",
        f"Inhoud          versie {sheet['content_version']}, {_nl(sheet['content_status'])}, "
        f"herzien {sheet['last_review']}",
        f"Formaat         {sheet['trim_size_mm'][0]:g} x {sheet['trim_size_mm'][1]:g} mm "
        f"{_nl(sheet['trim_size_name'])}".rstrip(),
        f"Pagina's        {sheet['pages']} ({_nl(sheet['sides'])})",
        f"Vouw            {_nl(sheet['fold'])}",
    ]
    for sheet_id, folds in sheet["folds_mm_from_left"].items():
        lines.append(f"  {_nl(sheet_id):<13} vouwen op {', '.join(f'{f:g}' for f in folds)} mm van links; panelen "
                     f"{' | '.join(_panel_nl(p) for p in sheet['panels'][sheet_id])}")
    lines += [
        f"Afloop          {sheet['bleed_mm']:g} mm rondom",
        f"Tekens          {_nl(sheet['marks'])}",
        f"PDF             {sheet['pdf_standard']}, {sheet['colour']}, uitvoerconditie {sheet['output_intent'] or 'geen'}",
        f"ICC-profiel     {sheet['icc_profile'] or 'geen'}",
        f"Papieradvies    {_nl(sheet['suggested_paper'])}",
        "",
    ]
    order = sheet.get("order")
    if order:
        lines += ["BESTELLING", ""]
        lines += [f"{label:<16}{order[key]}" for key, label in ORDER_FIELDS if order.get(key)]
        lines.append("")
    return "\n".join(lines)


def as_json(sheet: dict) -> str:
    return json.dumps(sheet, indent=2, ensure_ascii=False) + "\n"

