"""Read a finished PDF back independently of how it was made (PDFium via pypdfium2).

Used by the build's own checks, by preflight and by the tests: where every character is, in
which font size, and which text falls inside a region such as one panel of a sheet.
"""

from __future__ import annotations

import ctypes
import math
from dataclasses import dataclass
from pathlib import Path

PT_PER_MM = 72 / 25.4


@dataclass(frozen=True)
class Char:
    page: int
    text: str
    x0: float  # mm from the left of the page's MediaBox
    y0: float  # mm from the bottom
    x1: float
    y1: float
    size: float  # effective font size in pt (text matrix and CTM applied)


def chars(source: bytes | Path) -> list[Char]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pdf = pdfium.PdfDocument(source if isinstance(source, bytes) else str(source))
    out: list[Char] = []
    matrix = raw.FS_MATRIX()
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            for i in range(textpage.count_chars()):
                text = textpage.get_text_range(i, 1)
                if not text.strip():
                    continue
                x0, y0, x1, y1 = textpage.get_charbox(i)
                raw.FPDFText_GetMatrix(textpage.raw, i, ctypes.byref(matrix))
                size = raw.FPDFText_GetFontSize(textpage.raw, i) * math.hypot(matrix.c, matrix.d)
                out.append(Char(index, text, x0 / PT_PER_MM, y0 / PT_PER_MM, x1 / PT_PER_MM,
                                y1 / PT_PER_MM, round(size, 2)))
    finally:
        pdf.close()
    return out


def text_in(source: bytes | Path, page: int, left_mm: float, right_mm: float) -> str:
    """The text of a vertical strip of a page (e.g. one panel), in reading order."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(source if isinstance(source, bytes) else str(source))
    try:
        p = pdf[page]
        _, height = p.get_size()
        return p.get_textpage().get_text_bounded(left_mm * PT_PER_MM, 0, right_mm * PT_PER_MM, height)
    finally:
        pdf.close()
