"""Read a finished PDF back independently of how it was made (PDFium via pypdfium2).

Used by the build's own checks, by preflight and by the tests: where every character is, in
which font size, and which text falls inside a region such as one panel of a sheet.
"""

from __future__ import annotations

import ctypes
import math
from dataclasses import dataclass
from pathlib import Path

from leaflet_gen.units import PT_PER_MM


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
    # Raw PDFium calls per character: the helper API decodes a one-character string through
    # UTF-16 each time, which made preflight the slowest step after rendering.
    matrix = raw.FS_MATRIX()
    box = [ctypes.c_double() for _ in range(4)]
    refs = [ctypes.byref(v) for v in box]
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            handle = textpage.raw
            for i in range(raw.FPDFText_CountChars(handle)):
                code = raw.FPDFText_GetUnicode(handle, i)
                text = chr(code) if code and code < 0x110000 else ""
                if not text.strip():
                    continue
                raw.FPDFText_GetCharBox(handle, i, refs[0], refs[1], refs[2], refs[3])
                left, right, bottom, top = (v.value for v in box)
                raw.FPDFText_GetMatrix(handle, i, ctypes.byref(matrix))
                size = raw.FPDFText_GetFontSize(handle, i) * math.hypot(matrix.c, matrix.d)
                out.append(Char(index, text, left / PT_PER_MM, bottom / PT_PER_MM, right / PT_PER_MM,
                                top / PT_PER_MM, round(size, 2)))
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


def walk_resources(reader):
    """Every (resources, content, XObject) of a pypdf ``reader``: each page (XObject None), then the
    XObjects it uses, each once. ``content()`` decodes the content stream only when asked (None
    for images): the font check of every build needs only the resources. The one PDF resource walk."""
    seen: set[int] = set()

    def forms(resources):
        if not resources:
            return
        for xobj in (resources.get_object().get("/XObject") or {}).values():
            ref = getattr(xobj, "idnum", id(xobj))
            if ref in seen:
                continue
            seen.add(ref)
            obj = xobj.get_object()
            yield obj
            yield from forms(obj.get("/Resources"))

    for page in reader.pages:
        yield page.get("/Resources"), lambda page=page: _page_content(page), None
        for obj in forms(page.get("/Resources")):
            yield obj.get("/Resources"), lambda obj=obj: obj.get_data() if obj.get("/Subtype") == "/Form" else None, obj


def _page_content(page) -> bytes:
    contents = page.get_contents()
    return contents.get_data() if contents is not None else b""
