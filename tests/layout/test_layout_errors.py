"""Content that does not fit, or a font that is not there, fails the build: no PDF is written."""

from __future__ import annotations

import re


def test_overflowing_content_names_the_panels_and_the_overflow(mini, tmp_path):
    long_par = "Dit is een zin met gewone woorden die veel ruimte kost. " * 30
    blocks = "".join(f'  - type: paragraph\n    text: "{long_par}"\n' for _ in range(8))
    mini.write("content/demo/uitleg.yaml", f"title: Te lang\nblocks:\n{blocks}")
    out = tmp_path / "out"
    result = mini.run("build", "--practice", "test", "--output", str(out))
    assert result.exit_code == 1
    message = result.stderr.strip()
    assert re.fullmatch(
        r"Error: demo-fysiotherapie-trifold: the content does not fit the 4 inside panels \(inside left, "
        r"inner flap, inside middle, tuck-in panel\) by about \d+ mm, from section \"uitleg\" on\. "
        r"Shorten the text \(facts must stay\), or move a section to another panel in topic\.yaml\.",
        message,
    ), message
    mm = int(re.search(r"about (\d+) mm", message).group(1))
    assert 150 < mm < 2000
    assert not list(out.rglob("*.pdf"))


def test_overflowing_cover_is_named(mini, tmp_path):
    items = "".join(f'      - "Punt {i} met een beetje tekst om de ruimte te vullen op de voorkant."\n' for i in range(30))
    mini.write("content/demo/kort.yaml", f"blocks:\n  - type: summary\n    items:\n{items}")
    result = mini.run("build", "--practice", "test", "--output", str(tmp_path))
    assert result.exit_code == 1
    assert "the content does not fit the cover panel (front cover) by about" in result.stderr


def test_failed_build_keeps_the_previous_pdf(mini, tmp_path):
    out = tmp_path / "out"
    assert mini.run("build", "--practice", "test", "--output", str(out)).exit_code == 0
    target = out / "test" / "demo-fysiotherapie-trifold.pdf"
    good = target.read_bytes()
    mini.write("content/demo/uitleg.yaml",
               "title: Te lang\nblocks:\n" + ('  - type: paragraph\n    text: "' + "woord " * 300 + '"\n') * 12)
    assert mini.run("build", "--practice", "test", "--output", str(out)).exit_code == 1
    assert target.read_bytes() == good
    assert sorted(p.name for p in target.parent.iterdir()) == [
        "demo-fysiotherapie-trifold.job.json", "demo-fysiotherapie-trifold.job.txt", target.name]


def test_missing_font_fails_instead_of_falling_back(mini, tmp_path):
    variant = mini.root / "variants" / "trifold.yaml"
    variant.write_text(variant.read_text().replace("font_family: Lato", "font_family: Nonexistent Sans"))
    result = mini.run("build", "--practice", "test", "--output", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr.startswith('Error: the leaflet font "Nonexistent Sans" was not used for all text (found: ')
    assert not list(tmp_path.rglob("*.pdf"))
