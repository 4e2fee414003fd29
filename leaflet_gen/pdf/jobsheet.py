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


def as_text(sheet: dict) -> str:
    lines = [
        "JOB SHEET / DRUKOPDRACHT",
        "",
        f"File            {sheet['file']}",
        f"SHA-256         {sheet['sha256']}",
        f"Customer        {sheet['practice']}",
        f"Leaflet         {sheet['leaflet']['topic']} ({sheet['leaflet']['audience']}, {sheet['leaflet']['variant']})",
        f"Content         version {sheet['content_version']} ({sheet['content_status']}), "
        f"reviewed {sheet['last_review']}",
        f"Trim size       {sheet['trim_size_mm'][0]:g} x {sheet['trim_size_mm'][1]:g} mm {sheet['trim_size_name']}".rstrip(),
        f"Pages           {sheet['pages']} ({sheet['sides']})",
        f"Fold            {sheet['fold']}",
    ]
    for sheet_id, folds in sheet["folds_mm_from_left"].items():
        lines.append(f"  {sheet_id:<13} folds at {', '.join(f'{f:g}' for f in folds)} mm; panels "
                     f"{' | '.join(sheet['panels'][sheet_id])}")
    lines += [
        f"Bleed           {sheet['bleed_mm']:g} mm on every side",
        f"Marks           {sheet['marks']}",
        f"PDF             {sheet['pdf_standard']}, {sheet['colour']}, output intent {sheet['output_intent']}",
        f"ICC profile     {sheet['icc_profile']}",
        f"Paper           {sheet['suggested_paper']}",
        "",
    ]
    return "\n".join(lines)


def as_json(sheet: dict) -> str:
    return json.dumps(sheet, indent=2, ensure_ascii=False) + "\n"

