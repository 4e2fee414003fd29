"""Post-processing with pypdf: impose panel pages onto sheets, set boxes and metadata.

Each panel page becomes a Form XObject whose bounding box is the panel's trim plus bleed only
on the sides that touch the sheet's trim, so backgrounds stop exactly at the folds; forms are
placed side by side on the sheet. Fonts and images stay shared between panels.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    RectangleObject,
    TextStringObject,
)

from leaflet_gen.models import Variant

PT_PER_MM = 72 / 25.4


def _mm(value: float) -> float:
    return value * PT_PER_MM


def _pdf_date(day: dt.date) -> str:
    return f"D:{day:%Y%m%d}000000Z"


def impose(panel_pdf: bytes, page_panels: tuple[str, ...], variant: Variant) -> PdfWriter:
    """Place the panel pages onto the variant's sheets (one output page per sheet)."""
    reader = PdfReader(io.BytesIO(panel_pdf))
    writer = PdfWriter()
    bleed = _mm(variant.bleed)
    width, height = _mm(variant.page_width), _mm(variant.page_height)
    panels = {p.id: p for p in variant.panels}
    page_of = {panel_id: reader.pages[i] for i, panel_id in enumerate(page_panels)}

    for sheet in variant.sheets:
        sheet_page = writer.add_blank_page(width + 2 * bleed, height + 2 * bleed)
        xobjects = DictionaryObject()
        ops: list[str] = []
        for panel in sorted((p for p in panels.values() if p.sheet == sheet.id), key=lambda p: p.x):
            source = page_of.get(panel.id)
            if source is None:
                continue  # a flow panel the text did not reach stays blank
            left_edge = panel.x <= 0.01
            right_edge = panel.x + panel.width >= variant.page_width - 0.01
            pw = _mm(panel.width)
            bbox = [
                -bleed if left_edge else 0,
                -bleed,
                pw + bleed if right_edge else pw,
                height + bleed,
            ]
            contents = source.get_contents()
            form = DecodedStreamObject()
            form.set_data(contents.get_data() if contents is not None else b"")
            form.update({
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): ArrayObject(FloatObject(round(v, 4)) for v in bbox),
                NameObject("/Resources"): source["/Resources"].clone(writer),
            })
            if "/Group" in source:
                form[NameObject("/Group")] = source["/Group"].clone(writer)
            name = f"/P{panel.id.replace('-', '')}"
            xobjects[NameObject(name)] = writer._add_object(form)
            # The panel's trim origin goes to (bleed + x, bleed) on the sheet.
            ops.append(f"q 1 0 0 1 {bleed + _mm(panel.x):.4f} {bleed:.4f} cm {name} Do Q")
        content = DecodedStreamObject()
        content.set_data("\n".join(ops).encode("ascii"))
        sheet_page[NameObject("/Contents")] = writer._add_object(content)
        sheet_page[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): xobjects})
        trim = RectangleObject([bleed, bleed, bleed + width, bleed + height])
        sheet_page.trimbox = trim
        sheet_page.bleedbox = RectangleObject([0, 0, width + 2 * bleed, height + 2 * bleed])
        sheet_page.artbox = trim
    return writer


def finish(writer: PdfWriter, *, title: str, author: str, subject: str, keywords: str,
           created: dt.date, tool: str) -> bytes:
    """Set document metadata and a content-derived /ID, and serialise reproducibly."""
    date = _pdf_date(created)
    writer.add_metadata({
        "/Title": title, "/Author": author, "/Subject": subject, "/Keywords": keywords,
        "/Creator": tool, "/Producer": tool, "/CreationDate": date, "/ModDate": date,
    })
    writer._root_object[NameObject("/Lang")] = TextStringObject("nl-NL")
    for page in writer.pages:
        page.compress_content_streams()
    # Serialise once with a placeholder ID, then derive the real one from those bytes, so the
    # same inputs always give the same file (pypdf would otherwise use a random ID).
    writer._ID = ArrayObject([ByteStringObject(b"\0" * 16), ByteStringObject(b"\0" * 16)])
    first = io.BytesIO()
    writer.write(first)
    digest = hashlib.md5(first.getvalue(), usedforsecurity=False).digest()
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()

