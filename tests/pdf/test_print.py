"""Print-shop output: PDF/X-4, CMYK only, marks in the slug, job sheet, and the preflight."""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import subprocess

import pytest
from conftest import PRACTICE_YAML, ROOT
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, RectangleObject

MM = 72 / 25.4


def _sheet_and_form_streams(path):
    reader = PdfReader(path)
    for page in reader.pages:
        yield "sheet", page.get_contents().get_data()
        for xobj in page["/Resources"]["/XObject"].values():
            yield "panel", xobj.get_object().get_data()


def test_trifold_is_pdf_x4_with_a_cmyk_output_intent(shipped):
    path = shipped["orthopedie"]
    assert path.read_bytes().startswith(b"%PDF-1.6")
    reader = PdfReader(path)
    root = reader.trailer["/Root"]
    (intent,) = [i.get_object() for i in root["/OutputIntents"]]
    assert intent["/S"] == "/GTS_PDFX"
    assert intent["/OutputConditionIdentifier"] == "FOGRA39"
    icc = intent["/DestOutputProfile"].get_object()
    assert icc["/N"] == 4
    assert icc.get_data()[16:20] == b"CMYK"
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in xmp
    assert "<xmp:CreateDate>2026-12-06T00:00:00Z</xmp:CreateDate>" in xmp
    assert reader.trailer["/Info"]["/Trapped"] == "/False"
    for page in reader.pages:
        assert "/TrimBox" in page and "/BleedBox" in page and "/ArtBox" not in page  # PDF/X: not both
    assert reader.metadata["/CreationDate"] == "D:20261206000000Z"


@pytest.mark.parametrize("audience", ["fysiotherapie", "orthopedie"])
def test_no_rgb_anywhere_and_text_in_black_ink_only(shipped, audience):
    colours = set()
    for kind, data in _sheet_and_form_streams(shipped[audience]):
        assert not re.search(rb"(^|\s)(rg|RG)(\s|$)", data), kind
        assert b"DeviceRGB" not in data
        for m in re.finditer(rb"([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) (?:scn|SCN)", data):
            colours.add(tuple(round(float(v), 3) for v in m.groups()))
    assert (0.0, 0.0, 0.0, 1.0) in colours  # body text: K only
    rich_black = [c for c in colours if c[3] > 0.9 and sum(c[:3]) > 0.3]
    assert not rich_black
    for page in PdfReader(shipped[audience]).pages:
        for xobj in page["/Resources"]["/XObject"].values():
            for name, image in (xobj.get_object()["/Resources"].get("/XObject") or {}).items():
                assert image.get_object().get("/ColorSpace") != "/DeviceRGB", name


def test_crop_and_fold_marks_sit_in_the_slug_in_registration_colour(shipped):
    reader = PdfReader(shipped["fysiotherapie"])
    folds = [(97, 197), (100, 200)]
    for page, sheet_folds in zip(reader.pages, folds):
        trim = [float(v) / MM for v in page.trimbox]
        media = [float(v) / MM for v in page.mediabox]
        assert trim[0] - media[0] >= 10
        space = page["/Resources"]["/ColorSpace"]["/CSReg"].get_object()
        assert space[0] == "/Separation" and space[1] == "/All"
        data = page.get_contents().get_data().decode()
        assert "/CSReg CS 1 SCN" in data
        starts = [(float(x) / MM, float(y) / MM) for x, y in re.findall(r"([\d.]+) ([\d.]+) m", data)]
        assert len(starts) == 8 + 2 * len(sheet_folds)
        for x, y in starts:
            outside_x = max(trim[0] - x, x - trim[2], 0)
            outside_y = max(trim[1] - y, y - trim[3], 0)
            assert max(outside_x, outside_y) >= 3 + 1.9, (x, y)  # beyond the 3 mm bleed
        fold_xs = sorted({round(x - trim[0], 1) for x, y in starts if trim[0] + 1 < x < trim[2] - 1})
        assert fold_xs == list(sheet_folds)


def test_marks_can_be_switched_off_per_practice_and_per_build(mini, tmp_path):
    mini.write("practices/test/practice.yaml", PRACTICE_YAML + "print_shop:\n  marks: false\n")
    assert mini.run("build", "--practice", "test", "--output", str(tmp_path / "a")).exit_code == 0
    page = PdfReader(tmp_path / "a/test/demo-fysiotherapie-trifold.pdf").pages[0]
    assert [round(float(v)) for v in page.mediabox] == [round(float(v)) for v in page.bleedbox]
    assert "/ColorSpace" not in page["/Resources"]
    result = mini.run("build", "--marks", "--output", str(tmp_path / "b"))
    assert result.exit_code == 0
    assert "/ColorSpace" in PdfReader(tmp_path / "b/test/demo-fysiotherapie-trifold.pdf").pages[0]["/Resources"]


def test_exact_cmyk_brand_colour_from_the_practice_file(mini, tmp_path):
    mini.write("practices/test/practice.yaml",
               PRACTICE_YAML.replace('  accent: "#E8A33D"\n', '  accent: "#E8A33D"\n  cmyk:\n    primary: [85, 35, 20, 15]\n'))
    result = mini.run("build", "--practice", "test", "--output", str(tmp_path))
    assert result.exit_code == 0, result.output
    streams = b" ".join(d for _k, d in _sheet_and_form_streams(tmp_path / "test/demo-fysiotherapie-trifold.pdf"))
    assert re.search(rb"0\.85 0\.35 0\.2 0\.15 scn", streams)


def test_wrong_icc_profile_is_refused(mini, tmp_path):
    from PIL import ImageCms

    srgb = tmp_path / "srgb.icc"
    srgb.write_bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    result = mini.run("build", "--practice", "test", "--icc-profile", str(srgb), "--output", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert result.stderr.strip() == (f"Error: {srgb} is not a CMYK output (printer) profile; "
                                     "ask the print shop for its CMYK profile")


def test_job_sheet_next_to_the_pdf(shipped):
    pdf = shipped["orthopedie"]
    sheet = json.loads(pdf.with_suffix(".job.json").read_text(encoding="utf-8"))
    assert sheet["sha256"] == hashlib.sha256(pdf.read_bytes()).hexdigest()
    assert sheet["file"] == pdf.name
    assert sheet["practice"] == "Sint Anna Ziekenhuis, polikliniek Orthopedie"
    assert sheet["content_version"] == "1.1"
    assert sheet["trim_size_mm"] == [297, 210] and sheet["pages"] == 2 and sheet["bleed_mm"] == 3
    assert sheet["panels"]["outside"] == ["inner flap 97 mm", "back panel 100 mm", "front cover 100 mm"]
    assert sheet["output_intent"] == "FOGRA39" and sheet["pdf_standard"] == "PDF/X-4"
    text = pdf.with_suffix(".job.txt").read_text(encoding="utf-8")
    assert f"SHA-256         {sheet['sha256']}" in text
    assert "Afloop          3 mm rondom" in text and text.startswith("OPDRACHTBON DRUKWERK")
    assert "panelen binnenflap 97 mm | achterkant 100 mm | voorkant 100 mm" in text


@pytest.mark.parametrize("audience", ["fysiotherapie", "orthopedie"])
def test_qpdf_and_ghostscript_read_it_without_warnings(shipped, audience):
    qpdf = subprocess.run(["qpdf", "--check", str(shipped[audience])], capture_output=True, text=True)
    assert qpdf.returncode == 0, qpdf.stdout + qpdf.stderr
    assert "WARNING" not in qpdf.stdout + qpdf.stderr
    gs = subprocess.run(["gs", "-q", "-dBATCH", "-dNOPAUSE", "-dPDFSTOPONWARNING", "-sDEVICE=nullpage",
                         str(shipped[audience])], capture_output=True, text=True)
    assert gs.returncode == 0 and not gs.stdout.strip() and not gs.stderr.strip(), gs.stdout + gs.stderr


# --- preflight --------------------------------------------------------------------------------


def preflight(path, *extra):
    from click.testing import CliRunner

    from leaflet_gen.cli import cli

    result = CliRunner().invoke(cli, ["--project", str(ROOT), "preflight", str(path), "--json", *extra])
    report = json.loads(result.stdout)
    return result.exit_code, {c["name"]: c for c in report["checks"]}, report


@pytest.mark.parametrize("audience", ["fysiotherapie", "orthopedie"])
def test_preflight_passes_what_build_produces(shipped, audience):
    code, checks, report = preflight(shipped[audience])
    assert code == 0
    assert report["result"] == "pass"
    assert {n: c["status"] for n, c in checks.items()} == {
        "pages": "pass", "trim size": "pass", "boxes": "pass", "bleed": "pass", "fonts embedded": "pass",
        "output intent": "pass", "colour": "pass", "image resolution": "pass", "smallest text": "pass",
        "safe zone": "pass"}


def test_preflight_fails_a_plain_a4_rgb_pdf(tmp_path):
    from weasyprint import HTML

    pdf = tmp_path / "plain.pdf"
    HTML(string="<p style='color: red'>Hallo</p>").write_pdf(pdf)
    code, checks, report = preflight(pdf)
    assert code == 1 and report["result"] == "fail"
    failed = {n for n, c in checks.items() if c["status"] == "fail"}
    assert failed == {"pages", "trim size", "bleed", "output intent", "colour"}
    assert checks["trim size"]["detail"] == "page 1: 210.0 x 297.0 mm (expected 297 x 210 mm)"
    assert checks["output intent"]["detail"] == "no output intent: not a PDF/X file"
    assert checks["colour"]["detail"].startswith("DeviceRGB used (")


def _edited(src, tmp_path, edit):
    writer = PdfWriter(clone_from=src)
    edit(writer)
    out = tmp_path / "broken.pdf"
    with open(out, "wb") as fh:
        writer.write(fh)
    return out


def test_preflight_fails_missing_bleed_and_output_intent(shipped, tmp_path):
    def no_bleed(writer):
        for page in writer.pages:
            page.bleedbox = RectangleObject(page.trimbox)

    code, checks, _ = preflight(_edited(shipped["fysiotherapie"], tmp_path, no_bleed))
    assert code == 1
    assert checks["bleed"] == {"name": "bleed", "status": "fail", "detail": "0.0 mm (needed: 3 mm on every side)"}

    def no_intent(writer):
        del writer.root_object[NameObject("/OutputIntents")]

    code, checks, _ = preflight(_edited(shipped["fysiotherapie"], tmp_path, no_intent))
    assert code == 1 and checks["output intent"]["status"] == "fail"


def test_preflight_fails_text_on_a_fold_and_tiny_text(tmp_path):
    from weasyprint import HTML

    html = ("<style>@page { size: 297mm 210mm; margin: 0; bleed: 3mm }"
            "p { position: absolute; top: 50mm; font-size: 5pt; }</style>"
            "<p style='left: 95mm'>Op de vouw</p><p style='left: 150mm; font-size: 10pt'>b</p>"
            "<p style='left: 150mm; top: 60mm; page-break-before: always'>c</p>")
    pdf = tmp_path / "fold.pdf"
    HTML(string=html).write_pdf(pdf)
    code, checks, _ = preflight(pdf)
    assert code == 1
    assert checks["safe zone"]["status"] == "fail"
    assert checks["safe zone"]["detail"] == "6 character(s) within 5 mm of the trim or a fold, first page 1 at 95,52 mm"
    assert checks["smallest text"] == {"name": "smallest text", "status": "fail",
                                       "detail": "5.0 pt (minimum 6 pt)"}


def use_png_logo(mini, width: int, height: int) -> None:
    """Give the mini practice an RGB PNG logo of the given pixel size."""
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (width, height), (27, 110, 140)).save(buf, "PNG")
    mini.write("practices/test/logo.png", buf.getvalue())
    mini.write("practices/test/practice.yaml", PRACTICE_YAML.replace("logo: logo.svg", "logo: logo.png"))


def test_low_resolution_logo_blocks_the_print_pdf_and_preflight_names_it(mini, tmp_path):
    use_png_logo(mini, 300, 100)
    # The print build preflights its own PDF before writing it: 300 px over 74 mm is ~103 ppi.
    result = mini.run("build", "--practice", "test", "--output", str(tmp_path))
    assert result.exit_code == 1
    assert "under 300 ppi for print" in result.stderr  # the early warning from the logo check
    assert "Error: demo-fysiotherapie-trifold: the print PDF failed preflight, so it was not written:\n" \
           "  image resolution: page 1: 300 x 100 px at " in result.stderr
    assert not list(tmp_path.rglob("*.pdf"))
    # The office PDF (no preflight gate) is written; preflight on it names the image.
    assert mini.run("build", "--practice", "test", "--variant", "office", "--output", str(tmp_path)).exit_code == 0
    code, checks, _ = preflight(tmp_path / "test/demo-fysiotherapie-office.pdf", "--variant", "office")
    assert code == 1 and checks["image resolution"]["status"] == "fail"
    assert "ppi (needed: 300 ppi)" in checks["image resolution"]["detail"]


def test_cmyk_conversion_of_a_raster_logo(mini, tmp_path):
    use_png_logo(mini, 1200, 400)
    result = mini.run("build", "--practice", "test", "--output", str(tmp_path))
    assert result.exit_code == 0, result.output
    code, checks, _ = preflight(tmp_path / "test/demo-fysiotherapie-trifold.pdf")
    assert code == 0
    assert checks["colour"]["status"] == "pass"  # the PNG logo was converted to a CMYK JPEG
    assert checks["image resolution"]["status"] == "pass"


def test_preflight_human_output(shipped):
    from click.testing import CliRunner

    from leaflet_gen.cli import cli

    result = CliRunner().invoke(cli, ["--project", str(ROOT), "preflight", str(shipped["orthopedie"])])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"Preflight of {shipped['orthopedie']} as trifold:"
    assert lines[-1] == "PASSED: 10 passed, 0 warnings, 0 failed"


def test_tools_are_installed_by_setup():
    for tool in ("qpdf", "gs", "pdftoppm"):
        assert shutil.which(tool), f"{tool} missing: run make setup"
