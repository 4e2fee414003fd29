"""Post-processing with pypdf: impose panel pages onto sheets, add marks, boxes and metadata.

Each panel page becomes a Form XObject whose bounding box is the panel's trim plus bleed only
on the sides that touch the sheet's trim, so backgrounds stop exactly at the folds; forms are
placed side by side on the sheet. Fonts, images and the output intent's ICC profile stay
shared. Crop and fold marks are drawn here, in the slug outside the bleed, in registration
colour (WeasyPrint's own marks are RGB and sit inside the bleed).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import uuid
from xml.sax.saxutils import escape

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    RectangleObject,
    TextStringObject,
)

from leaflet_gen.content.schema import Variant
from leaflet_gen.units import PT_PER_MM

MARK_FROM_MM, MARK_TO_MM = 5.0, 10.0  # marks start 5 mm outside the trim: clear of the 3 mm bleed
SLUG_MM = 12.0  # media box margin around the trim when marks are drawn


# --- the three things pypdf offers no public API for ------------------------------------------
# pypdf is pinned to the version the tests run with (pyproject.toml): these use its private
# attributes, and its serialiser decides every byte of the output. tests/pdf/test_impose.py
# fails on an upgrade that changes them, before a leaflet does.

def _indirect(writer: PdfWriter, obj):
    """Add ``obj`` as an indirect object (streams must be; the order decides object numbers)."""
    return writer._add_object(obj)


def _info(writer: PdfWriter) -> DictionaryObject:
    """The document information dictionary itself (``metadata`` returns a copy, and
    ``add_metadata`` turns every value into a string: /Trapped must be a name)."""
    return writer._info.get_object()


def _set_id(writer: PdfWriter, digest: bytes) -> None:
    """A content-derived file identifier (``generate_file_identifiers`` only makes random ones)."""
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])


def _mm(value: float) -> float:
    return value * PT_PER_MM


def impose(reader: PdfReader, page_panels: tuple[str, ...], variant: Variant) -> PdfWriter:
    """Place the panel pages (as WeasyPrint wrote them) onto the variant's sheets."""
    writer = PdfWriter()
    bleed = _mm(variant.bleed)
    margin = _mm(SLUG_MM) if variant.marks else bleed  # trim origin on the sheet
    width, height = _mm(variant.page_width), _mm(variant.page_height)
    page_of = {panel_id: reader.pages[i] for i, panel_id in enumerate(page_panels)}

    for sheet in variant.sheets:
        sheet_page = writer.add_blank_page(width + 2 * margin, height + 2 * margin)
        xobjects = DictionaryObject()
        ops: list[str] = []
        for panel in variant.sheet_panels(sheet.id):
            source = page_of.get(panel.id)
            if source is None:
                continue  # a flow panel the text did not reach stays blank
            left_edge = panel.x <= 0.01
            right_edge = panel.x + panel.width >= variant.page_width - 0.01
            pw = _mm(panel.width)
            bbox = [-bleed if left_edge else 0, -bleed, pw + bleed if right_edge else pw, height + bleed]
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
            form = form.flate_encode()
            name = f"/P{panel.id.replace('-', '')}"
            xobjects[NameObject(name)] = _indirect(writer, form)
            # The panel's trim origin goes to (margin + x, margin) on the sheet.
            ops.append(f"q 1 0 0 1 {margin + _mm(panel.x):.4f} {margin:.4f} cm {name} Do Q")
        resources = DictionaryObject({NameObject("/XObject"): xobjects})
        if variant.marks:
            ops.append(_marks(margin, width, height, [_mm(f) for f in sheet.folds]))
            resources[NameObject("/ColorSpace")] = DictionaryObject({NameObject("/CSReg"): _registration(writer)})
        content = DecodedStreamObject()
        content.set_data("\n".join(ops).encode("ascii"))
        sheet_page[NameObject("/Contents")] = _indirect(writer, content.flate_encode())
        sheet_page[NameObject("/Resources")] = resources
        trim = RectangleObject([margin, margin, margin + width, margin + height])
        sheet_page.trimbox = trim
        sheet_page.bleedbox = RectangleObject([margin - bleed, margin - bleed, margin + width + bleed,
                                               margin + height + bleed])
        # No ArtBox: PDF/X allows a TrimBox or an ArtBox on a page, never both.
    intents = reader.trailer["/Root"].get("/OutputIntents")
    if intents is not None:
        # Cloned once: the ICC stream is shared with the pages' ICCBased colour spaces.
        writer.root_object[NameObject("/OutputIntents")] = intents.clone(writer)
    return writer


def _registration(writer: PdfWriter):
    """Separation /All: marks appear on every printing plate."""
    tint = DictionaryObject({
        NameObject("/FunctionType"): NumberObject(2),
        NameObject("/Domain"): ArrayObject([NumberObject(0), NumberObject(1)]),
        NameObject("/C0"): ArrayObject([NumberObject(0)] * 4),
        NameObject("/C1"): ArrayObject([NumberObject(1)] * 4),
        NameObject("/N"): NumberObject(1),
    })
    return _indirect(writer, ArrayObject([NameObject("/Separation"), NameObject("/All"),
                                           NameObject("/DeviceCMYK"), tint]))


def _marks(m: float, w: float, h: float, folds: list[float]) -> str:
    """Crop marks at the four trim corners and dashed fold marks, all in the slug."""
    a, b = _mm(MARK_FROM_MM), _mm(MARK_TO_MM)
    lines = []
    for x in (m, m + w):
        for y, sign in ((m, -1), (m + h, 1)):
            lines.append((x, y + sign * a, x, y + sign * b))  # vertical, beyond top/bottom
    for y in (m, m + h):
        for x, sign in ((m, -1), (m + w, 1)):
            lines.append((x + sign * a, y, x + sign * b, y))  # horizontal, beyond left/right
    crop = " ".join(f"{x0:.3f} {y0:.3f} m {x1:.3f} {y1:.3f} l" for x0, y0, x1, y1 in lines)
    fold_lines = []
    for f in folds:
        fold_lines.append((m + f, m + h + a, m + f, m + h + b))
        fold_lines.append((m + f, m - a, m + f, m - b))
    fold = " ".join(f"{x0:.3f} {y0:.3f} m {x1:.3f} {y1:.3f} l" for x0, y0, x1, y1 in fold_lines)
    return (f"q /CSReg CS 1 SCN 0.25 w [] 0 d {crop} S "
            f"[2 1.5] 0 d {fold} S Q")


def finish(writer: PdfWriter, *, title: str, author: str, subject: str, keywords: str,
           created: dt.date, tool: str, output_condition: str | None, language: str = "nl-NL") -> bytes:
    """Set metadata (Info and, for PDF/X, matching XMP), the document's language (/Lang) and a
    content-derived /ID; serialise."""
    date = f"D:{created:%Y%m%d}000000Z"
    writer.add_metadata({
        "/Title": title, "/Author": author, "/Subject": subject, "/Keywords": keywords,
        "/Creator": tool, "/Producer": tool, "/CreationDate": date, "/ModDate": date,
    })
    writer.root_object[NameObject("/Lang")] = TextStringObject(language)
    xmp = None
    if output_condition is not None:
        writer.pdf_header = b"%PDF-1.6"  # PDF/X-4 is based on PDF 1.6
        _info(writer)[NameObject("/Trapped")] = NameObject("/False")
        for intent in writer.root_object.get("/OutputIntents", []):
            intent = intent.get_object()
            # Name the characterisation a print shop knows, not the profile's long description.
            intent[NameObject("/OutputConditionIdentifier")] = TextStringObject(output_condition)
            if output_condition.startswith("FOGRA"):
                intent[NameObject("/RegistryName")] = TextStringObject("http://www.color.org")
        xmp = DecodedStreamObject()
        xmp.update({NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")})
        writer.root_object[NameObject("/Metadata")] = _indirect(writer, xmp)
    fields = dict(title=title, author=author, subject=subject, keywords=keywords, tool=tool,
                  date=f"{created:%Y-%m-%d}T00:00:00Z")

    def serialise(digest: bytes) -> bytes:
        if xmp is not None:
            xmp.set_data(_xmp(fields, str(uuid.UUID(bytes=digest))))
        _set_id(writer, digest)
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    # The /ID (and XMP document ID) derive from the bytes themselves: same inputs, same file.
    first = serialise(b"\0" * 16)
    return serialise(hashlib.md5(first, usedforsecurity=False).digest())


def _xmp(f: dict[str, str], doc_id: str) -> bytes:
    e = {k: escape(v) for k, v in f.items()}
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
    xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{e['title']}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{e['author']}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{e['subject']}</rdf:li></rdf:Alt></dc:description>
   <pdf:Keywords>{e['keywords']}</pdf:Keywords>
   <pdf:Producer>{e['tool']}</pdf:Producer>
   <pdf:Trapped>False</pdf:Trapped>
   <xmp:CreatorTool>{e['tool']}</xmp:CreatorTool>
   <xmp:CreateDate>{e['date']}</xmp:CreateDate>
   <xmp:ModifyDate>{e['date']}</xmp:ModifyDate>
   <xmp:MetadataDate>{e['date']}</xmp:MetadataDate>
   <xmpMM:DocumentID>uuid:{doc_id}</xmpMM:DocumentID>
   <xmpMM:InstanceID>uuid:{doc_id}</xmpMM:InstanceID>
   <xmpMM:VersionID>1</xmpMM:VersionID>
   <xmpMM:RenditionClass>default</xmpMM:RenditionClass>
   <pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>""".encode()
