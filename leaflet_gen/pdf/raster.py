"""Rasterise a finished leaflet with PDFium: every page cropped to its TrimBox, and each panel of
a folded leaflet on its own (previews, the studio's pictures of differences, `diff`)."""

from __future__ import annotations

from pathlib import Path

from leaflet_gen.content.schema import Variant
from leaflet_gen.errors import LeafletError
from leaflet_gen.units import PT_PER_MM

TOLERANCE_MM = 0.5  # how far a PDF's trim size may differ from the variant's before we refuse


def rasterise(pdf_path: Path, variant: Variant, dpi: int):
    """Every page cropped to its TrimBox, and (for panel variants) every panel on its own.

    Panels are rendered separately with the CropBox set to the panel's rectangle instead of being
    cut out of the sheet image: PDFium then maps the panel exactly onto whole pixels, so a panel's
    edge never falls half-way through a pixel and the fold edges stay crisp.
    """
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(pdf_path))
    except (pdfium.PdfiumError, OSError) as exc:
        raise LeafletError(f"cannot read {pdf_path} as a PDF ({exc})") from None
    scale = dpi / 72
    sheets = []
    panels = {}
    try:
        expected = len(variant.sheets) if variant.panels else None
        if expected is not None and len(pdf) != expected:
            raise LeafletError(f"{pdf_path.name} has {len(pdf)} pages, but variant {variant.id} has "
                               f"{expected} sheets; pass the variant the PDF was built for")
        for index in range(len(pdf)):
            page = pdf[index]
            left, bottom, right, top = page.get_trimbox()  # falls back to the CropBox/MediaBox
            width_mm, height_mm = (right - left) / PT_PER_MM, (top - bottom) / PT_PER_MM
            if (abs(width_mm - variant.page_width) > TOLERANCE_MM
                    or abs(height_mm - variant.page_height) > TOLERANCE_MM):
                raise LeafletError(
                    f"page {index + 1} of {pdf_path.name} is {width_mm:.0f} x {height_mm:.0f} mm, but variant "
                    f"{variant.id} is {variant.page_width:g} x {variant.page_height:g} mm; pass the variant "
                    "the PDF was built for")
            # The CropBox change lives only in this in-memory document; the file is never saved.
            page.set_cropbox(left, bottom, right, top)
            sheets.append(_render(page, scale))
            if variant.panels:
                sheet_id = variant.sheets[index].id
                for panel in variant.sheet_panels(sheet_id):
                    x0 = left + panel.x * PT_PER_MM
                    page.set_cropbox(x0, bottom, x0 + panel.width * PT_PER_MM, top)
                    panels[panel.id] = _render(page, scale)
    finally:
        pdf.close()
    return sheets, panels


def _render(page, scale: float):
    # White fill = paper; "print" mode draws what a printer would (no LCD sub-pixel text colours).
    bitmap = page.render(scale=scale, fill_color=(255, 255, 255, 255), optimize_mode="print",
                         may_draw_forms=False, draw_annots=False)
    return bitmap.to_pil().convert("RGB")
