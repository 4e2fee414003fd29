"""Pictures of a built leaflet PDF, in memory: sheets or pages, the cover thumbnail.

Rasterised from the finished PDF with PDFium (pypdfium2), like ``leaflet-gen preview``, so the
studio shows what the file contains, not a separate HTML rendering. Pages are cropped to their
TrimBox (no slug, marks or bleed). Only what the live loop needs is made here, at a resolution
that is sharp on screen and fast to encode; the folded mock-ups are made on request by the
preview tool (:func:`mockups`).

Encoding, not drawing, is what costs: PDFium draws a sheet in ~8 ms, Pillow's PNG encoder took
~45 ms per sheet (its per-row filter search). Pages are drawn one after the other (PDFium is not
thread-safe) and each is encoded on another thread while the next is drawn (zlib releases the GIL).
"""

from __future__ import annotations

import hashlib
import struct
import tempfile
import threading
import zlib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from leaflet_gen.studio.core import Geometry
from leaflet_gen.units import PT_PER_MM

# PDFium is not thread-safe (two threads in it at once can crash the process): every use of it
# in the studio's process - pictures, mock-ups, the editor's previews, preflight - holds this.
PDFIUM = threading.Lock()

SHEET_DPI = 110  # a 297 mm sheet is 1286 px: sharp at the page's width, ~20 ms per PNG
THUMB_DPI = 48  # a 100 mm cover panel is ~190 px wide


@dataclass
class Sheets:
    """The pictures of one build: PNG per sheet (``sheet-<id>``) or page (``page-<n>``), the text
    on each, the cover thumbnail (PNG), and a digest of each sheet's pixels."""

    pngs: dict[str, bytes]
    texts: dict[str, str]
    thumb: bytes
    digests: dict[str, bytes] = field(default_factory=dict)

    def same(self, name: str, before: Sheets | None) -> bool:
        """Whether sheet ``name`` has the same pixels as in ``before``."""
        return before is not None and name in self.digests and before.digests.get(name) == self.digests[name]


def draw(pdf: bytes, geometry: Geometry, before: Sheets | None = None) -> Sheets:
    """The pictures of a finished PDF. A sheet drawn with the same pixels as in ``before`` (the
    previous build: a one-sentence change alters one sheet of a tri-fold) keeps its PNG, so it
    is not encoded again and the page need not fetch and decode it again. Digests and PNGs are
    made on the encoder threads while PDFium draws the next page.

    The text is what the PDF contains (for screen readers and the browser's find, next to the picture).
    """
    import pypdfium2 as pdfium

    with PDFIUM:
        doc = pdfium.PdfDocument(pdf)
        encoding: dict[str, Future] = {}
        out = Sheets({}, {}, b"")
        try:
            names = [f"sheet-{s}" for s in geometry.sheets] or [f"page-{i + 1}" for i in range(len(doc))]
            for index, name in enumerate(names[:len(doc)]):
                page = doc[index]
                left, bottom, right, top = page.get_trimbox()
                page.set_cropbox(left, bottom, right, top)
                encoding[name] = _encoder().submit(_encode, _render(page, SHEET_DPI), name, before)
                textpage = page.get_textpage()
                out.texts[name] = textpage.get_text_bounded().replace("\r\n", "\n").replace("\u2010\n", "")
                textpage.close()
            cover_sheet = encoding.get(_thumbnail_sheet(names, geometry))
            if before is not None and before.thumb and cover_sheet is not None and cover_sheet.result()[1] is None:
                out.thumb = before.thumb  # its sheet has the same pixels
            else:
                out.thumb = _thumbnail(doc, geometry)
        finally:
            doc.close()
    for name, future in encoding.items():
        out.digests[name], png = future.result()
        out.pngs[name] = before.pngs[name] if png is None else png
    return out


def _encode(drawn, name: str, before: Sheets | None) -> tuple[bytes, bytes | None]:
    """The digest of a drawn sheet, and its PNG (None: ``before`` has these pixels; not encoded)."""
    digest = _digest(drawn)
    if before is not None and before.digests.get(name) == digest and name in before.pngs:
        return digest, None
    return digest, _png(drawn)


def sheets(pdf: bytes, geometry: Geometry) -> tuple[dict[str, bytes], dict[str, str], bytes]:
    """PNG per sheet or page, its text, and the cover thumbnail (see :func:`draw`)."""
    drawn = draw(pdf, geometry)
    return drawn.pngs, drawn.texts, drawn.thumb


def _digest(drawn) -> bytes:
    width, height, stride, data = drawn
    digest = hashlib.blake2b(struct.pack(">III", width, height, stride), digest_size=16)
    digest.update(data)
    return digest.digest()


def _thumbnail_sheet(names: list[str], geometry: Geometry) -> str:
    """The picture the thumbnail is cut from (see :func:`_thumbnail`)."""
    cover = next((p for p in geometry.panels if p.role == "cover"), None)
    if cover is None or not geometry.sheets:
        return names[0] if names else ""
    return f"sheet-{cover.sheet}"


def panels(pdf: bytes, geometry: Geometry, panel_ids: tuple[str, ...], dpi: int) -> dict[str, bytes]:
    """PNG per panel (``panel-<id>``), cut from its sheet at the trim: the practice editor's preview."""
    import pypdfium2 as pdfium

    with PDFIUM:
        doc = pdfium.PdfDocument(pdf)
        out: dict[str, bytes] = {}
        try:
            for panel in (p for p in geometry.panels if p.id in panel_ids):
                page = doc[geometry.sheets.index(panel.sheet)]
                left, bottom, right, top = page.get_trimbox()
                left += panel.x * PT_PER_MM
                page.set_cropbox(left, bottom, left + panel.width * PT_PER_MM, top)
                out[f"panel-{panel.id}"] = _png(_render(page, dpi))
        finally:
            doc.close()
    return out


def _thumbnail(doc, geometry: Geometry) -> bytes:
    cover = next((p for p in geometry.panels if p.role == "cover"), None)
    if cover is None or not geometry.sheets:
        page = doc[0]
        left, bottom, right, top = page.get_trimbox()
    else:
        page = doc[geometry.sheets.index(cover.sheet)]
        left, bottom, right, top = page.get_trimbox()
        left += cover.x * PT_PER_MM
        right = left + cover.width * PT_PER_MM
    page.set_cropbox(left, bottom, right, top)
    return _png(_render(page, THUMB_DPI))


LARGE_DPI = 200  # a sheet opened large (the leaflet page's dialog): 2339 px for 297 mm, drawn on request


def large(pdf: bytes, geometry: Geometry, name: str, dpi: int = LARGE_DPI) -> bytes | None:
    """Sheet (or page) ``name`` of a finished PDF, drawn large; None when the PDF has no such sheet."""
    import pypdfium2 as pdfium

    with PDFIUM:
        doc = pdfium.PdfDocument(pdf)
        try:
            names = [f"sheet-{s}" for s in geometry.sheets] or [f"page-{i + 1}" for i in range(len(doc))]
            if name not in names[:len(doc)]:
                return None
            page = doc[names.index(name)]
            left, bottom, right, top = page.get_trimbox()
            page.set_cropbox(left, bottom, right, top)
            drawn = _render(page, dpi)
        finally:
            doc.close()
    return _png(drawn)


def _render(page, dpi: int):
    """The page drawn on white, as (width, height, stride, RGB bytes); they outlive the document."""
    bitmap = page.render(scale=dpi / 72, fill_color=(255, 255, 255, 255), optimize_mode="lcd",
                         may_draw_forms=False, draw_annots=False, rev_byteorder=True)
    if bitmap.mode != "RGB":  # not what an opaque fill gives; made plain RGB rather than guessed
        image = bitmap.to_pil().convert("RGB")
        return image.width, image.height, image.width * 3, image.tobytes()
    return bitmap.width, bitmap.height, bitmap.stride, bytes(bitmap.buffer)


def _png(drawn) -> bytes:
    """A PNG of RGB rows, every row unfiltered, zlib level 1.

    Pillow's encoder tries each PNG filter per row: ~45 ms a sheet. Rows left unfiltered
    compress as well on these pictures (mostly flat paper and text: ~270 kB a sheet, smaller
    than Pillow's level 1) in ~20 ms, and the bytes decode to the same pixels.
    """
    width, height, stride, data = drawn
    row = width * 3
    view = memoryview(data)
    raw = b"".join(b"\0" + view[y * stride:y * stride + row] for y in range(height))
    return b"".join((b"\x89PNG\r\n\x1a\n", _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),
                     _chunk(b"IDAT", zlib.compress(raw, 1)), _chunk(b"IEND", b"")))


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()


def _encoder() -> ThreadPoolExecutor:
    """Threads that encode while the next page is drawn (two: a tri-fold has two sheets)."""
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(2, thread_name_prefix="leaflet-studio png")
        return _executor


def mockups(project, variant_id: str, pdf: bytes, dpi: int = 60) -> dict[str, bytes]:
    """The preview tool's folded mock-ups (``mockup-closed`` ...), for panelled variants."""
    from leaflet_gen.studio import core

    # The preview tool works on files; a private temporary folder, removed at once, never the project.
    with tempfile.TemporaryDirectory(prefix="leaflet-studio-") as tmp:
        source = Path(tmp) / "leaflet.pdf"
        source.write_bytes(pdf)
        with PDFIUM:
            written = core.previews(project, variant_id, source, Path(tmp) / "png", dpi)
        return {p.stem.removeprefix("leaflet-"): p.read_bytes() for p in written if "-mockup-" in p.name}
