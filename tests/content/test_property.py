"""Random mutations of valid files end in a valid PDF or a clean error, never a traceback."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from conftest import ROOT, MiniProject
from helpers import variant_ids
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from leaflet_gen.content.project import Project

FILES = ["practices/test/practice.yaml", "content/demo/topic.yaml", "content/demo/uitleg.yaml",
         "content/demo/kort.yaml", "variants/trifold.yaml", "variants/screen.yaml"]
VARIANTS = variant_ids(ROOT)

_template: Path | None = None


def _fresh() -> MiniProject:
    """A new copy of one prepared project (copying is much cheaper than rebuilding it)."""
    global _template
    if _template is None:
        _template = Path(tempfile.mkdtemp(prefix="leaflet-prop-")) / "template"
        template = MiniProject(_template)
        for rel in FILES:
            if rel.startswith("variants/"):  # the project's own copies, mutated instead of the built-in ones
                template.override(rel)
    target = Path(tempfile.mkdtemp(prefix="leaflet-prop-")) / "project"
    shutil.copytree(_template, target)
    project = MiniProject.__new__(MiniProject)
    project.root = target
    return project


nasty_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "~", "null", "123", "-1", "[]", "{}", "'", '"', "&a", "*a", "!!python/name:os.system",
                     "<b>x</b>", "#ZZZZZZ", "../../x", "http://example.com", "{{ 7*7 }}", "- x", ": y",
                     "\t", "x" * 3000,
                     # issue 20: what the font lacks, words wider than a panel, impossible dates,
                     # addresses too long for a line or for a QR code, a duplicate key
                     "✓", "\ufffd", "مرحبا", "Kniegewrichtsvervangingsoperatie" * 2, "2026-02-30",
                     '"' + "heel.lang.adres" * 12 + '@praktijk.nl"', '"https://x.nl/' + "a" * 2500 + '"',
                     "title: twee", "spreads: []", "omit_blocks: [paragraph, list, summary]",
                     # issue 28: integers past Python's conversion limit, NUL, claims nobody registered
                     "9" * 4400, "x\x00y", "claims: [onbekend]", "keep_together: true"]),
)


@st.composite
def mutation(draw):
    return (draw(st.sampled_from(FILES)),
            draw(st.sampled_from(["delete_line", "duplicate_line", "replace_value", "insert", "indent",
                                  "special_file"])),
            draw(st.integers(min_value=0, max_value=40)),
            draw(nasty_text))


def mutate(text: str, kind: str, index: int, payload: str) -> str:
    lines = text.splitlines()
    i = index % max(len(lines), 1)
    if kind == "delete_line" and lines:
        del lines[i]
    elif kind == "duplicate_line" and lines:
        lines.insert(i, lines[i])
    elif kind == "replace_value" and lines and ":" in lines[i]:
        key = lines[i].split(":", 1)[0]
        lines[i] = f"{key}: {payload}"
    elif kind == "indent" and lines:
        lines[i] = "  " + lines[i]
    else:
        lines.insert(i, payload)
    return "\n".join(lines) + "\n"


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(mutation(), min_size=1, max_size=3), st.sampled_from(VARIANTS))
def test_mutated_inputs_give_a_pdf_or_a_clean_error(mutations, variant):
    project = _fresh()
    for rel, kind, index, payload in mutations:
        path = project.root / rel
        if kind == "special_file":  # issue 28: what is not a regular file where a YAML file should be
            if path.is_dir() and not path.is_symlink():
                path.rmdir()
            else:
                path.unlink(missing_ok=True)
            if index % 3 == 0:
                os.mkfifo(path)
            elif index % 3 == 1:
                path.mkdir(exist_ok=True)
            else:  # a link to a file outside the project (one this test made; never a system file)
                outside = project.root.parent / "outside.yaml"
                outside.write_text("name: buiten\n", encoding="utf-8")
                path.symlink_to(outside)
            continue
        if path.is_symlink() or not path.is_file():
            continue
        path.write_text(mutate(path.read_text(encoding="utf-8"), kind, index, payload), encoding="utf-8")
    out = project.root / "out"
    result = project.run("build", "--practice", "test", "--variant", variant, "--output", str(out))
    assert "Traceback" not in result.output
    assert "internal error" not in result.output.lower(), result.output
    pdfs = list(out.rglob("*.pdf")) if out.exists() else []
    if result.exit_code == 0:
        assert len(pdfs) == 1
        pages = len(PdfReader(pdfs[0]).pages)
        sheets = len(Project.open(ROOT).load_variant(variant).sheets)  # as shipped: folded or cut sheets
        assert pages == sheets if sheets else pages >= 1
    else:
        assert result.exit_code == 1, result.output
        assert result.stderr.strip(), "an error must say what is wrong"
        assert pdfs == []
        assert not list(out.rglob("*.tmp")) if out.exists() else True
    shutil.rmtree(project.root.parent, ignore_errors=True)
