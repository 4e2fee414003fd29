"""Bug 3 of issue 15: pypdf's private attributes are used in one place, against the pinned version."""

from __future__ import annotations

import io
import re
import tomllib
from importlib import metadata
from pathlib import Path

from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, IndirectObject

from leaflet_gen.pdf import impose

ROOT = Path(__file__).resolve().parents[2]


def test_pypdf_is_the_pinned_version():
    pins = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    (pin,) = [p for p in pins if re.match(r"pypdf\b(?!ium)", p)]
    assert pin == f"pypdf=={metadata.version('pypdf')}"


def test_the_private_pypdf_attributes_behave_as_imposition_expects():
    writer = PdfWriter()
    ref = impose._indirect(writer, DictionaryObject())
    assert isinstance(ref, IndirectObject) and ref.get_object() == DictionaryObject()
    writer.add_metadata({"/Title": "t"})
    impose._info(writer)[impose.NameObject("/Trapped")] = impose.NameObject("/False")
    impose._set_id(writer, b"\1" * 16)
    writer.add_blank_page(10, 10)
    out = io.BytesIO()
    writer.write(out)
    data = out.getvalue()
    assert b"/Trapped /False" in data
    assert re.search(rb"/ID \[ *<(01){16}> *<(01){16}> *\]", data), data[-300:]


def test_only_impose_touches_private_pypdf_attributes():
    package = ROOT / "leaflet_gen"
    uses = [f"{p.relative_to(package)}:{n}" for p in sorted(package.rglob("*.py"))
            for n, line in enumerate(p.read_text().splitlines(), 1)
            if re.search(r"writer\._[a-zA-Z]", line)]
    assert all(u.startswith("pdf/impose.py") for u in uses) and len(uses) == 3, uses
