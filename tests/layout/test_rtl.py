"""Right to left: the Arabic tri-fold (mirrored, shaped, Arabic face, LTR numbers), read back from
the PDF and compared with approved pictures; the mirrored geometry; Dutch left as it was."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from arabic import ROOT, arabic_trifold
from PIL import Image, ImageChops
from pypdf import PdfReader

from leaflet_gen.content.markup import inline, isolate_ltr
from leaflet_gen.content.project import Project
from leaflet_gen.pdf.preflight import FAIL, preflight
from leaflet_gen.pdf.reader import chars
from leaflet_gen.pipeline.build import embedded_fonts

SLUG = 12.0  # trim origin on the sheet (marks in the slug)
APPROVED = ROOT / "tests" / "fixtures" / "approved"
AUDIENCES = ("fysiotherapie", "orthopedie")


@pytest.fixture(scope="module")
def arabic():
    return {aud: arabic_trifold(aud) for aud in AUDIENCES}


def test_the_mirrored_trifold_puts_the_cover_left_and_reads_the_inside_from_the_right():
    variant = Project.open(ROOT).load_variant("trifold")
    mirrored = {p.id: (p.x, p.width, p.label) for p in variant.mirrored().panels}
    assert mirrored == {"cover": (0, 100, "front cover"), "back": (100, 100, "back panel"),
                        "flap": (200, 97, "inner flap"), "inside-left": (197, 100, "inside right"),
                        "inside-middle": (97, 100, "inside middle"), "tuck-in": (0, 97, "tuck-in panel")}
    assert [s.folds for s in variant.mirrored().sheets] == [[100, 200], [97, 197]]
    assert [p.id for p in variant.mirrored().panels] == [p.id for p in variant.panels]  # reading order kept


def test_ltr_runs_are_isolated_in_rtl_text_only_outside_tags():
    html = isolate_ltr(str(inline("بالرقم 030 123 45 67 و**500 mg** على [www.thuisarts.nl](https://www.thuisarts.nl).")))
    assert html == ('بالرقم \u2066030\u00a0123\u00a045\u00a067\u2069 و<strong>\u2066500\u00a0mg\u2069</strong> على '
                    '<a href="https://www.thuisarts.nl">\u2066www.thuisarts.nl\u2069</a>.')
    assert isolate_ltr("بعد 3 أشهر، 1 من كل 100") == "بعد 3 أشهر، 1 من كل 100"  # a number among words needs none


@pytest.mark.parametrize("audience", AUDIENCES)
def test_arabic_trifold_is_mirrored_rtl_and_in_its_fonts(arabic, audience):
    leaflet, pdf = arabic[audience]
    assert (leaflet.language, leaflet.direction, leaflet.concept) == ("ar", "rtl", True)
    found = embedded_fonts(PdfReader(io.BytesIO(pdf)))
    assert {name.split("-")[0] for name in found} == {"Lato", "Noto"}, found
    assert any(name.startswith("Noto-Naskh-Arabic") for name in found), found
    assert not any("Italic" in name or "Oblique" in name for name in found)
    outside = [c for c in chars(pdf) if c.page == 0]
    # The cover title (30 pt, the only Arabic text that large) sits in the left third of the outside sheet.
    # (The CONCEPT mark, "مسودة", is 30 pt too, but slanted across each panel: not on one line.)
    big = [c for c in outside if abs(c.size - 30) < 0.5]
    title = [c for c in big if abs(c.y0 - max(big, key=lambda c: c.y0).y0) < 5]
    assert title and all(SLUG + 5 <= c.x0 and c.x1 <= SLUG + 95 for c in title), [(c.text, c.x0) for c in title]
    # The back panel's phone number reads left to right: its digits in x order.
    phone = Project.open(ROOT).load_practice(ROOT / "practices" / leaflet.practice.id).data.contact.phone
    lines: list[list] = []
    for c in sorted((c for c in outside if c.text.isdigit() and SLUG + 100 < c.x0 < SLUG + 200), key=lambda c: c.y0):
        if lines and c.y0 - lines[-1][-1].y0 < 1.5:  # the same line (baselines of one line within 1.5 mm)
            lines[-1].append(c)
        else:
            lines.append([c])
    read = ["".join(c.text for c in sorted(line, key=lambda c: c.x0)) for line in lines]
    assert phone.replace(" ", "") in read, read


@pytest.mark.parametrize("audience", AUDIENCES)
def test_arabic_trifold_passes_preflight(arabic, audience):
    leaflet, pdf = arabic[audience]
    # As a print shop runs it: against the variant as written; the PDF's /Lang (ar) mirrors the folds.
    report = preflight(pdf, f"ar-{audience}.pdf", Project.open(ROOT).load_variant(leaflet.variant.id))
    assert [(c.name, c.detail) for c in report.checks if c.status == FAIL] == []


def _pages(pdf: bytes, tmp_path: Path, name: str, dpi: int = 30) -> list[Path]:
    source = tmp_path / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(source), str(tmp_path / name)], check=True)
    return sorted(tmp_path.glob(f"{name}-*.png"))


def differing(a: Path, b: Path) -> float:
    """The share of pixels that differ visibly (any channel by more than 48 of 255)."""
    one, two = Image.open(a).convert("RGB"), Image.open(b).convert("RGB")
    if one.size != two.size:
        return 1.0
    diff = ImageChops.difference(one, two).convert("L").point(lambda v: 255 if v > 48 else 0)
    return diff.histogram()[255] / (one.size[0] * one.size[1])


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils")
@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("audience", AUDIENCES)
def test_each_translated_trifold_looks_like_the_approved_pictures(arabic, audience, language, tmp_path):
    """Approved after looking at every page (tests/fixtures/approved/README.md says how to renew them)."""
    pdf = arabic[audience][1] if language == "ar" else arabic_trifold(audience, language=language)[1]
    pages = _pages(pdf, tmp_path, f"{language}-{audience}")
    approved = sorted(APPROVED.glob(f"{language}-{audience}-*.png"))
    assert [p.name for p in pages] == [p.name for p in approved]
    ratios = {p.name: differing(p, a) for p, a in zip(pages, approved)}
    assert all(r < 0.01 for r in ratios.values()), ratios


@pytest.mark.parametrize("audience", AUDIENCES)
def test_arabic_large_print_is_right_to_left_larger_and_whole(audience):
    """Large print in Arabic: set right to left in 18 pt (Naskh reads small at 16), every list bullet
    inside the text area (it hangs on the right), tagged in its language."""
    leaflet, pdf = arabic_trifold(audience, "large-print")
    assert (leaflet.language, leaflet.direction) == ("ar", "rtl")
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.trailer["/Root"]["/Lang"] == "ar"
    body = [c for c in chars(pdf) if not c.text.isspace() and not c.text.isascii()]
    sizes = {round(c.size) for c in body}
    assert min(sizes) >= 18 - 4 and 18 in sizes, sizes  # the small print (colophon) is 14 pt, 4/5 of 18


def test_build_language_ar_writes_a_tri_fold_that_passes_its_own_preflight(tmp_path):
    """The issue's command: the build preflights the mirrored PDF before it writes it (a fold checked
    in the wrong place would refuse it), and says it prints CONCEPT."""
    from click.testing import CliRunner

    from leaflet_gen.cli import cli

    result = CliRunner().invoke(cli, ["--project", str(ROOT), "build", "--practice", "practices/fysio-delinde",
                                      "--audience", "fysiotherapie", "--language", "ar", "--output", str(tmp_path)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "fysio-delinde" / "lage-rugpijn-fysiotherapie-trifold-ar.pdf"
    assert pdf.is_file() and PdfReader(pdf).trailer["/Root"]["/Lang"] == "ar"
    assert 'this leaflet carries a "CONCEPT" mark: the ar translation' in result.output
