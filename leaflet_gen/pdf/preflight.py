"""``leaflet-gen preflight``: independent checks of a finished PDF against a variant.

It reads only the PDF (pypdf for structure, PDFium for text and images), never the sources, so
it judges what we send to the print shop the way the print shop's own preflight would.
"""

from __future__ import annotations

import io
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from pypdf import PdfReader

from leaflet_gen.content.schema import Variant
from leaflet_gen.i18n import direction, joined, msg, nmsg, num
from leaflet_gen.pdf.reader import chars, walk_resources
from leaflet_gen.units import PT_PER_MM

PASS, WARN, FAIL = "pass", "warn", "fail"
MIN_PPI, LOW_PPI = 300, 150
MIN_TEXT_PT, WARN_TEXT_PT = 6.0, 7.0


@dataclass(frozen=True)
class Check:
    name: str
    status: str
    detail: str


@dataclass(frozen=True)
class Report:
    file: str
    variant: str
    checks: tuple[Check, ...]

    @property
    def failed(self) -> bool:
        return any(c.status == FAIL for c in self.checks)

    def as_dict(self) -> dict:
        counts = {s: sum(c.status == s for c in self.checks) for s in (PASS, WARN, FAIL)}
        return {"file": self.file, "variant": self.variant, "result": FAIL if self.failed else PASS,
                "counts": counts, "checks": [asdict(c) for c in self.checks]}

    def lines(self) -> list[str]:
        out = [f"Preflight of {self.file} as {self.variant}:"]
        out += [f"  {c.status.upper():4}  {c.name:<18} {c.detail}" for c in self.checks]
        d = self.as_dict()["counts"]
        out.append(f"{'FAILED' if self.failed else 'PASSED'}: {d[PASS]} passed, {d[WARN]} warnings, {d[FAIL]} failed")
        return out


def _mm_box(box) -> list[float]:
    return [float(v) / PT_PER_MM for v in box]


# The checks' names (shown beside their outcome).
PAGES, BOXES, SMALLEST = msg("pages"), msg("boxes"), msg("smallest text")
INTENT, IMAGES = msg("output intent"), msg("image resolution")


def _pages(n: int) -> str:
    return nmsg("%(n)s page(s)", "%(n)s page(s)", n)


def preflight(data: bytes, display: str, variant: Variant) -> Report:
    """Check ``data`` against ``variant`` as its file describes it; a PDF whose /Lang is a right-to-left
    language is checked against the mirrored fold (:meth:`Variant.mirrored`)."""
    reader = PdfReader(io.BytesIO(data))
    checks: list[Check] = []
    lang = reader.trailer["/Root"].get("/Lang")
    if variant.panels and lang is not None and direction(str(lang)) == "rtl":
        variant = variant.mirrored()  # a right-to-left leaflet folds mirrored: its folds are elsewhere
    pages = list(reader.pages)

    # Page count and trim size.
    expected_pages = len(variant.sheets) if variant.sheets else None
    if expected_pages is None:
        checks.append(Check(PAGES, PASS if pages else FAIL, _pages(len(pages))))
    else:
        ok = len(pages) == expected_pages
        checks.append(Check(PAGES, PASS if ok else FAIL, msg("%(pages)s, expected %(expected)s", pages=_pages(len(pages)),
                                                               expected=expected_pages)))

    sizes, missing_boxes, bleeds, both = [], [], [], []
    for n, page in enumerate(pages, 1):
        if "/TrimBox" not in page or "/BleedBox" not in page:
            missing_boxes.append(n)
        if "/TrimBox" in page and "/ArtBox" in page:
            both.append(n)
        trim = _mm_box(page.trimbox)
        bleed = _mm_box(page.bleedbox)
        media = _mm_box(page.mediabox)
        sizes.append((trim[2] - trim[0], trim[3] - trim[1]))
        inner = min(trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2], bleed[3] - trim[3])
        inside_media = bleed[0] >= media[0] - 0.01 and bleed[2] <= media[2] + 0.01
        bleeds.append(inner if inside_media else -1.0)
    want = (variant.page_width, variant.page_height)
    bad = [msg("page %(page)s: %(width)s x %(height)s mm", page=i, width=num(w), height=num(h))
           for i, (w, h) in enumerate(sizes, 1) if abs(w - want[0]) > 0.5 or abs(h - want[1]) > 0.5]
    size = {"width": f"{want[0]:g}", "height": f"{want[1]:g}"}
    checks.append(Check(msg("trim size"), FAIL if bad or not sizes else PASS,
                        msg("%(pages)s (expected %(width)s x %(height)s mm)", pages=joined(bad), **size) if bad
                        else msg("%(width)s x %(height)s mm on every page", **size)))
    if missing_boxes:
        checks.append(Check(BOXES, FAIL, msg("TrimBox or BleedBox missing on page(s) %(pages)s",
                                             pages=str(missing_boxes))))
    elif both and variant.pdf_variant == "pdf/x-4":
        checks.append(Check(BOXES, FAIL, msg("both TrimBox and ArtBox on page(s) %(pages)s; PDF/X allows one of them",
                                             pages=str(both))))
    else:
        checks.append(Check(BOXES, PASS, msg("TrimBox and BleedBox on every page")))
    if variant.bleed > 0:
        least = min(bleeds) if bleeds else 0.0
        ok = least >= variant.bleed - 0.01
        checks.append(Check(msg("bleed"), PASS if ok else FAIL,
                            msg("%(mm)s mm (needed: %(needed)s mm on every side)", mm=num(max(least, 0)),
                                needed=f"{variant.bleed:g}")))

    # Fonts.
    unembedded: set[str] = set()
    fonts: set[str] = set()
    for resources, _content, _obj in walk_resources(reader):
        for font in ((resources.get_object().get("/Font") if resources else None) or {}).values():
            font = font.get_object()
            name = str(font.get("/BaseFont", "?")).lstrip("/")
            fonts.add(name)
            if font.get("/Subtype") == "/Type3":
                continue
            desc_font = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = desc_font.get("/FontDescriptor")
            if descriptor is None or not any(k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                unembedded.add(name)
    checks.append(Check(msg("fonts embedded"), FAIL if unembedded else PASS,
                        msg("not embedded: %(fonts)s", fonts=", ".join(sorted(unembedded))) if unembedded
                        else nmsg("%(n)s font(s), all embedded", "%(n)s font(s), all embedded", len(fonts))))

    if variant.colour == "cmyk":
        checks.append(_output_intent(reader))
        checks.append(_device_rgb(reader))

    # Images: effective resolution as placed.
    checks.append(_images(data))

    # Text: smallest size, and distance from trim and folds.
    all_chars = chars(data)
    if all_chars:
        smallest = min(c.size for c in all_chars)
        status = FAIL if smallest < MIN_TEXT_PT else WARN if smallest < WARN_TEXT_PT else PASS
        checks.append(Check(SMALLEST, status, msg("%(pt)s pt (minimum %(min)s pt)", pt=num(smallest),
                                                  min=f"{MIN_TEXT_PT:g}")))
        checks.append(_safe_zone(all_chars, pages, variant))
    else:
        checks.append(Check(SMALLEST, WARN, msg("no text found")))
    return Report(display, variant.id, tuple(checks))


def _output_intent(reader: PdfReader) -> Check:
    intents = reader.trailer["/Root"].get("/OutputIntents")
    if not intents:
        return Check(INTENT, FAIL, msg("no output intent: not a PDF/X file"))
    for intent in intents:
        intent = intent.get_object()
        profile = intent.get("/DestOutputProfile")
        if intent.get("/S") != "/GTS_PDFX" or profile is None:
            continue
        icc = profile.get_object().get_data()
        space = icc[16:20].decode("ascii", "replace").strip()
        name = str(intent.get("/OutputConditionIdentifier", "?"))
        if space != "CMYK":
            return Check(INTENT, FAIL, msg("%(name)s: profile colour space is %(space)s, expected CMYK", name=name,
                                           space=space))
        return Check(INTENT, PASS, msg("PDF/X output intent %(name)s, CMYK profile (%(kib)s KiB)", name=name,
                                       kib=len(icc) // 1024))
    return Check(INTENT, FAIL, msg("no GTS_PDFX output intent with an embedded ICC profile"))




def _device_rgb(reader: PdfReader) -> Check:
    found: list[str] = []
    for resources, content, obj in walk_resources(reader):
        if obj is not None and obj.get("/Subtype") == "/Image":
            cs = obj.get("/ColorSpace")
            if cs == "/DeviceRGB":
                found.append("an RGB image")
            continue
        content = content()
        if content:
            for operands, op in _operations(content):
                if op in (b"rg", b"RG"):
                    found.append("RGB fill/stroke colour")
                    break
                if op in (b"cs", b"CS") and operands and operands[0] == "/DeviceRGB":
                    found.append("DeviceRGB colour space")
                    break
        for cs in ((resources.get_object().get("/ColorSpace") if resources else None) or {}).values():
            if cs.get_object() == "/DeviceRGB":
                found.append("DeviceRGB colour space resource")
        for shading in ((resources.get_object().get("/Shading") if resources else None) or {}).values():
            if shading.get_object().get("/ColorSpace") == "/DeviceRGB":
                found.append("RGB gradient")
    if found:
        kinds = ", ".join(sorted(set(found)))
        return Check(msg("colour"), FAIL, msg("DeviceRGB used (%(kinds)s); print colours must be CMYK", kinds=kinds))
    return Check(msg("colour"), PASS, msg("no DeviceRGB: CMYK and ICC-based colour only"))


def _operations(content: bytes):
    """(operands, operator) pairs of a content stream, cheaply (strings and arrays skipped)."""
    tokens = re.findall(rb"/[^\s/\[\]()<>{}%]+|\((?:\\.|[^\\)])*\)|<[^<>]*>|[-+.\d]+|[A-Za-z'\"*]+\d?|\[|\]", content)
    operands: list[str] = []
    for tok in tokens:
        if tok[:1].isalpha() or tok in (b"'", b'"'):
            yield operands, tok
            operands = []
        else:
            operands.append(tok.decode("latin-1"))


def _images(data: bytes) -> Check:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pdf = pdfium.PdfDocument(data)
    low: list[str] = []
    count = 0
    lowest = None
    try:
        for index in range(len(pdf)):
            for obj in pdf[index].get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE]):
                meta = obj.get_metadata()
                ppi = min(meta.horizontal_dpi, meta.vertical_dpi)
                count += 1
                lowest = ppi if lowest is None else min(lowest, ppi)
                if ppi < MIN_PPI:
                    low.append(msg("page %(page)s: %(width)s x %(height)s px at %(ppi)s ppi", page=index + 1,
                                   width=meta.width, height=meta.height, ppi=f"{ppi:.0f}"))
    finally:
        pdf.close()
    if not count:
        return Check(IMAGES, PASS, msg("no raster images (vector only)"))
    if low:
        status = FAIL if lowest is not None and lowest < LOW_PPI else WARN
        return Check(IMAGES, status, msg("%(images)s (needed: %(min)s ppi)", images=joined(low), min=MIN_PPI))
    return Check(IMAGES, PASS, nmsg("%(n)s image(s), lowest %(ppi)s ppi", "%(n)s image(s), lowest %(ppi)s ppi", count,
                                    ppi=f"{lowest:.0f}"))


def _safe_zone(all_chars, pages, variant: Variant) -> Check:
    margin = variant.safe_margin
    folds = {i: tuple(s.folds) for i, s in enumerate(variant.sheets)}
    offenders: list[str] = []
    trims = [_mm_box(page.trimbox) for page in pages]
    for c in all_chars:
        trim = trims[c.page]
        x0, x1 = c.x0 - trim[0], c.x1 - trim[0]
        y0, y1 = c.y0 - trim[1], c.y1 - trim[1]
        width, height = trim[2] - trim[0], trim[3] - trim[1]
        edges = (0.0, *folds.get(c.page, ()), width)
        near = [e for e in edges if x0 < e + margin and x1 > e - margin]
        if near or y0 < margin or y1 > height - margin:
            offenders.append(msg("page %(page)s at %(x)s,%(y)s mm", page=c.page + 1, x=f"{x0:.0f}",
                                 y=f"{height - y1:.0f}"))
    if offenders:
        return Check(msg("safe zone"), FAIL, nmsg("%(n)s character(s) within %(margin)s mm of the trim or a fold, first "
                                                  "%(first)s", "%(n)s character(s) within %(margin)s mm of the trim or "
                                                  "a fold, first %(first)s", len(offenders), margin=f"{margin:g}",
                                                  first=offenders[0]))
    return Check(msg("safe zone"), PASS, msg("all text at least %(margin)s mm from the trim and the folds",
                                             margin=f"{margin:g}"))


# A PDF handed to `leaflet-gen preflight` may be anything: bounded before any real work.
MAX_PDF_BYTES = 200 * 1024 * 1024
MAX_FLOWING_PAGES = 200  # a flowing variant (screen, large print) of a leaflet: far fewer pages


def preflight_file(path: Path, variant: Variant) -> Report:
    """Preflight a PDF from disk, which may be truncated, encrypted, hostile or not a PDF at all.

    The file is opened with PDFium first (it repairs what it can and reports what it cannot),
    and the page count is checked against what the variant allows before anything reads the
    pages: a PDF of 10,000 pages is refused in a moment instead of read for minutes. Whatever
    the file does to the readers is a message about the file (exit 1), never a crash.
    """
    import stat

    import pypdfium2 as pdfium
    from pypdf.errors import PyPdfError

    from leaflet_gen.errors import LeafletError

    def refuse(reason: str) -> LeafletError:
        return LeafletError(msg("%(file)s: %(reason)s", file=str(path), reason=reason))

    try:
        info = path.stat()
    except OSError as exc:
        raise refuse(msg("cannot read the file: %(error)s", error=exc.strerror)) from None
    if not stat.S_ISREG(info.st_mode):
        raise refuse(msg("is not a regular file; give the path of a PDF file"))
    if info.st_size == 0:
        raise refuse(msg("the file is empty; it is not a PDF"))
    if info.st_size > MAX_PDF_BYTES:
        raise refuse(msg("the file is %(size)s MiB; a leaflet PDF is far smaller (at most %(max)s MiB is checked)",
                         size=info.st_size // 2**20, max=MAX_PDF_BYTES // 2**20))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise refuse(msg("cannot read the file: %(error)s", error=exc.strerror)) from None
    if not data.lstrip()[:5] == b"%PDF-":
        raise refuse(msg("is not a PDF (it does not start with %PDF-)"))
    try:
        document = pdfium.PdfDocument(data)
        try:
            count = len(document)
        finally:
            document.close()
    except pdfium.PdfiumError as exc:
        reason = str(exc)
        if "password" in reason.lower():
            raise refuse(msg("the PDF is encrypted (password protected); a print shop needs it without a "
                             "password")) from None
        raise refuse(msg("cannot be read as a PDF (%(reason)s); it may be damaged or truncated: export it again",
                         reason=reason)) from None
    allowed = len(variant.sheets) if variant.sheets else MAX_FLOWING_PAGES
    if count > allowed:
        if variant.sheets:
            detail = msg("%(pages)s, expected %(expected)s; the other checks were not run", pages=_pages(count),
                         expected=allowed)
        else:
            detail = msg("%(pages)s, expected at most %(expected)s; the other checks were not run",
                         pages=_pages(count), expected=allowed)
        return Report(str(path), variant.id, (Check(PAGES, FAIL, detail),))
    try:
        return preflight(data, str(path), variant)
    except (PyPdfError, pdfium.PdfiumError, RecursionError, ValueError, KeyError, TypeError,
            AttributeError, IndexError) as exc:
        # Raised while reading the file's own objects (a cyclic page tree, a stream that
        # inflates without end, a broken object): the file's problem, not a bug.
        raise refuse(msg("cannot be read as a PDF (%(error)s); it may be damaged: export it again",
                         error=f"{type(exc).__name__}: {str(exc)[:200]}")) from None
