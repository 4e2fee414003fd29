"""Files no one should hand us, handed to us anyway: refused with a message (exit 1), in bounded
time and memory; and the output folder stays consistent when writing fails (issue 20)."""

from __future__ import annotations

import zlib

import pytest
from click.testing import CliRunner
from conftest import ROOT
from pypdf import PdfWriter
from pypdf.generic import NameObject, NumberObject, StreamObject

from leaflet_gen.cli import cli

A4_LANDSCAPE = (297 * 72 / 25.4, 210 * 72 / 25.4)


def preflight(path):
    return CliRunner().invoke(cli, ["--project", str(ROOT), "preflight", str(path)])


def _blank(path, pages: int):
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(*A4_LANDSCAPE)
    writer.write(path)
    return writer


def test_broken_pdfs_are_refused_as_files_not_as_bugs(shipped, tmp_path):
    good = shipped["fysiotherapie"].read_bytes()
    cases = {
        "empty.pdf": (b"", "the file is empty; it is not a PDF"),
        "notes.pdf": (b"hello\n", "is not a PDF (it does not start with %PDF-)"),
        "truncated.pdf": (good[:20000], "cannot be read as a PDF ("),
    }
    for name, (data, message) in cases.items():
        (tmp_path / name).write_bytes(data)
        result = preflight(tmp_path / name)
        assert result.exit_code == 1, (name, result.output)
        assert result.stderr.startswith(f"Error: {tmp_path / name}: {message}"), (name, result.stderr)


def test_an_encrypted_pdf_is_named_as_such(shipped, tmp_path):
    import subprocess

    target = tmp_path / "locked.pdf"
    subprocess.run(["qpdf", "--encrypt", "user", "owner", "256", "--", str(shipped["fysiotherapie"]), str(target)],
                   check=True)
    result = preflight(target)
    assert result.exit_code == 1
    assert result.stderr == (f"Error: {target}: the PDF is encrypted (password protected); a print shop needs it "
                             "without a password\n")


def test_ten_thousand_pages_are_refused_before_they_are_read(tmp_path):
    _blank(tmp_path / "many.pdf", 10_000)
    result = preflight(tmp_path / "many.pdf")
    assert result.exit_code == 1
    assert "FAIL  pages              10000 page(s), expected 2; the other checks were not run" in result.stdout


def test_a_compression_bomb_is_refused(tmp_path):
    writer = _blank(tmp_path / "tmp.pdf", 2)
    squeeze = zlib.compressobj(9)
    bomb = b"".join(squeeze.compress(b"0 0 m\n" * (1 << 20)) for _ in range(40)) + squeeze.flush()  # 250 MB
    stream = StreamObject()
    stream.set_data(b"")
    stream._data = bomb  # the compressed bytes as they are, as a hostile file would carry them
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    stream[NameObject("/Length")] = NumberObject(len(bomb))
    from leaflet_gen.pdf.impose import _indirect

    writer.pages[0][NameObject("/Contents")] = _indirect(writer, stream)
    writer.write(tmp_path / "bomb.pdf")
    result = preflight(tmp_path / "bomb.pdf")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {tmp_path / 'bomb.pdf'}: cannot be read as a PDF (LimitReachedError")


# --- logos -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("make,message", [
    (lambda: _png(12000, 12000), '"logo.png" is 12000 x 12000 pixels (144 megapixels, at most 25); scale it down '
                                 "to about 2000 pixels wide, which is plenty for print"),
    (lambda: ('<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9">' + '<rect width="1" height="1"/>' * 20000
              + "</svg>").encode(), '"logo.svg" has far more than 10000 elements; simplify the drawing or export a PNG'),
    (lambda: '<?xml version="1.0" encoding="ISO-8859-1"?><svg xmlns="http://www.w3.org/2000/svg"><title>café</title>'
             "</svg>".encode("latin-1"),
     '"logo.svg" is saved in the ISO-8859-1 encoding; save the SVG as UTF-8 (most drawing programs offer it when '
     "exporting)"),
    (lambda: ('<svg xmlns="http://www.w3.org/2000/svg"><image href="data:image/png;base64,'
              + __import__("base64").b64encode(_png(12000, 12000)).decode() + '"/></svg>').encode(),
     '"logo.svg" ... '),
], ids=["huge-png", "svg-100k-elements", "svg-latin1", "svg-with-a-huge-png"])
def test_logos_are_bounded_before_they_are_decoded(mini, make, message):
    import re

    data = make()
    name = "logo.png" if data.startswith(b"\x89PNG") else "logo.svg"
    mini.write(f"practices/test/{name}", data)
    practice = (mini.root / "practices/test/practice.yaml").read_text().replace("logo: logo.svg", f"logo: {name}")
    mini.write("practices/test/practice.yaml", practice)
    result = mini.run("check")
    assert result.exit_code == 1
    line = result.stderr.splitlines()[0]
    if message.endswith("... "):
        assert re.match(r'practices/test/practice.yaml:\d+:\d+ logo: "the image inside logo.svg" is 12000 x 12000 '
                        r"pixels", line), line
    else:
        assert line.endswith(f"logo: {message}"), line


def _png(width: int, height: int) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("1", (width, height)).save(buffer, "PNG")  # 1-bit: small on disk, huge when decoded
    return buffer.getvalue()


# --- the output folder -----------------------------------------------------------------------------


def test_a_failed_write_leaves_no_job_sheet_without_its_pdf_and_no_temp_files(mini, tmp_path, monkeypatch):
    import os
    import time

    from leaflet_gen import files

    out = tmp_path / "out"
    target = out / "test" / "demo-fysiotherapie-trifold.pdf"
    target.parent.mkdir(parents=True)
    left = target.parent / f".{target.name}.abc123.tmp"  # by an older leaflet-gen: no writer in its name
    left.write_bytes(b"left by a killed build")
    os.utime(left, (time.time() - 2 * files.STALE_SECONDS,) * 2)
    real_fsync, calls = os.fsync, []

    def disk_full_at_the_pdf(fd):
        calls.append(fd)
        if len(calls) == 3:  # the job sheets are written first, the PDF last
            raise OSError(28, "No space left on device")
        return real_fsync(fd)

    monkeypatch.setattr(files.os, "fsync", disk_full_at_the_pdf)
    result = mini.run("build", "--practice", "test", "--output", str(out))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: cannot write {target}: No space left on device")
    # Nothing half-done: no job sheet for a PDF that is not there, and the stale temp file is gone.
    assert sorted(p.name for p in target.parent.iterdir()) == [], list(target.parent.iterdir())
