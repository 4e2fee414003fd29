"""Content that does not fit, or a font that is not there, fails the build: no PDF is written."""

from __future__ import annotations

import re

import pytest


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
    variant = mini.override("variants/trifold.yaml")
    variant.write_text(variant.read_text().replace("font_family: Lato", "font_family: Nonexistent Sans"))
    result = mini.run("build", "--practice", "test", "--output", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr.startswith('Error: the leaflet font "Nonexistent Sans" is not installed (fontconfig finds '
                                    "no file of it, and fonts/ has none)")
    assert not list(tmp_path.rglob("*.pdf"))


# --- the fold: a section never runs on from the inner flap into the inside middle panel ----------


def _two_sections(mini, first_paragraphs: int, second_paragraphs: int) -> None:
    """Flow sections "een" and "twee" of paragraphs of 40 words (~4 lines each on a panel)."""
    from conftest import TOPIC_YAML

    paragraph = '  - type: paragraph\n    text: "' + " ".join(["Woord"] * 40) + '."\n'
    mini.write("content/demo/topic.yaml", TOPIC_YAML.replace("flow: [uitleg]", "flow: [een, twee]"))
    mini.write("content/demo/een.yaml", "title: Een\nblocks:\n" + paragraph * first_paragraphs)
    mini.write("content/demo/twee.yaml", "title: Twee\nblocks:\n" + paragraph * second_paragraphs)


def _first_lines(pdf) -> dict[str, str]:
    from leaflet_gen.pdf.reader import text_in

    slug = 12  # the print sheet's trim sits 12 mm into the page (marks)
    panels = {"flap": (0, 0), "inside-middle": (1, 100)}
    return {name: text_in(pdf, page, slug + x, slug + x + 97).split("\n")[0].strip()
            for name, (page, x) in panels.items()}


def test_a_section_that_would_run_on_past_the_flap_starts_the_inside_middle_panel(mini, tmp_path):
    _two_sections(mini, 10, 4)
    out = tmp_path / "out"
    result = mini.run("build", "--practice", "test", "--output", str(out))
    assert result.exit_code == 0, result.output
    pdf = out / "test" / "demo-fysiotherapie-trifold.pdf"
    assert _first_lines(pdf)["inside-middle"] == "Twee"
    assert result.stderr.startswith(
        "Warning: content/demo/topic.yaml demo-fysiotherapie-trifold: the inner flap is ")
    assert re.search(r"the inner flap is \d\d% empty: the next section starts the inside middle, as no section "
                     r"may run on into it from the inner flap\. Move a short section there in topic\.yaml, or "
                     r"shorten the one that follows\.", result.stderr), result.stderr

    # The rule comes from the variant's spreads: without them the section starts on the flap.
    variant = mini.override("variants/trifold.yaml")
    variant.write_text(variant.read_text().split("\nspreads:")[0] + "\n")
    result = mini.run("build", "--practice", "test", "--output", str(out))
    assert result.exit_code == 0, result.output
    assert _first_lines(pdf)["inside-middle"] != "Twee"
    assert "empty" not in result.stderr


def test_a_section_too_long_to_move_past_the_fold_is_an_error(mini, tmp_path):
    _two_sections(mini, 14, 4)  # "een" starts on the inside left and runs through the flap
    result = mini.run("build", "--practice", "test", "--output", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        'Error: demo-fysiotherapie-trifold: section "een" runs on from the inner flap into the inside middle, '
        "but the inner flap is out of sight when the inside middle is read. It is too long to move as a "
        "whole: split it into two sections in topic.yaml, or shorten it.")
    assert not list(tmp_path.rglob("*.pdf"))


def test_overflow_after_the_fold_rule_says_which_section_it_moved(mini, tmp_path):
    _two_sections(mini, 10, 16)
    result = mini.run("build", "--practice", "test", "--output", str(tmp_path))
    assert result.exit_code == 1
    assert re.fullmatch(
        r"Error: demo-fysiotherapie-trifold: the content does not fit the 4 inside panels \(inside left, inner "
        r"flap, inside middle, tuck-in panel\) by about \d+ mm, from section \"twee\" on \(section \"twee\" "
        r"starts a new panel, because a section may not run on past a fold that hides the panel before\)\. "
        r"Shorten the text \(facts must stay\), or move a section to another panel in topic\.yaml\.",
        result.stderr.strip()), result.stderr


# --- nothing clipped, in any variant (issue 20) -----------------------------------------------------


@pytest.mark.parametrize("variant,where", [
    ("trifold", "the front cover"), ("office", "the front cover"), ("large-print", "page 1")])
def test_a_word_wider_than_its_panel_or_page_names_its_text_file_and_overflow(mini, tmp_path, variant, where):
    topic = (mini.root / "content/demo/topic.yaml").read_text()
    mini.write("content/demo/topic.yaml", topic.replace("title: Lage rugpijn", "title: Kniegewrichtsvervangingsoperatie"))
    result = mini.run("build", "--practice", "test", "--variant", variant, "--output", str(tmp_path))
    assert result.exit_code == 1, result.output
    assert re.fullmatch(
        rf'Error: demo-fysiotherapie-{variant}: "Kniegewrichtsvervangingsoperatie" \(from content/demo/topic\.yaml '
        rf"title\) runs \d+\.\d mm past the right edge of {where}\. Shorten it, or mark where a long word may break "
        r'with a soft hyphen \("\\u00ad" in a quoted YAML text\); addresses break by themselves after @ \. and /\.',
        result.stderr.strip()), result.stderr
    assert not list(tmp_path.rglob("*.pdf"))


def test_an_unbreakable_number_in_a_section_is_named_with_its_file(mini, tmp_path):
    mini.write("content/demo/uitleg.yaml", 'title: Uitleg\nblocks:\n  - type: paragraph\n    text: "Bel '
               + "1234567890" * 12 + '."\n')
    result = mini.run("build", "--practice", "test", "--variant", "screen", "--output", str(tmp_path))
    assert result.exit_code == 1
    assert '(from content/demo/uitleg.yaml) runs ' in result.stderr and "past the right edge of page 1" in result.stderr


def test_a_long_e_mail_address_wraps_after_the_at_sign_instead_of_running_off(mini, tmp_path):
    from conftest import PRACTICE_YAML

    from leaflet_gen.pdf.reader import text_in

    long_email = "secretariaat.fysiotherapie.revalidatie@fysiotherapiepraktijkdelindeutrecht.nl"
    mini.write("practices/test/practice.yaml", PRACTICE_YAML.replace("info@testpraktijk.nl", long_email))
    result = mini.run("build", "--practice", "test", "--output", str(tmp_path))
    assert result.exit_code == 0, result.output
    back = text_in(tmp_path / "test/demo-fysiotherapie-trifold.pdf", 0, 12 + 97, 12 + 197)
    assert "E-mail: secretariaat.fysiotherapie.revalidatie@\r\nfysiotherapiepraktijkdelindeutrecht.nl" in back, back


def test_cover_overflow_is_measured_not_a_constant(mini, tmp_path):
    amounts = []
    for count in (20, 40):
        items = "".join(f'      - "Punt {i} met een beetje tekst om de ruimte te vullen op de voorkant."\n'
                        for i in range(count))
        mini.write("content/demo/kort.yaml", f"blocks:\n  - type: summary\n    items:\n{items}")
        result = mini.run("build", "--practice", "test", "--output", str(tmp_path))
        amounts.append(int(re.search(r"by about (\d+) mm", result.stderr).group(1)))
    # Twenty more items of ~10 mm each: about 200 mm more to cut, not the same figure twice.
    assert 150 < amounts[1] - amounts[0] < 260, amounts


def test_no_fonts_at_all_is_a_clear_message(mini, tmp_path):
    import os
    import subprocess
    import sys

    config = tmp_path / "fonts.conf"
    config.write_text(f'<?xml version="1.0"?><fontconfig><dir>{tmp_path / "none"}</dir>'
                      f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>")
    result = subprocess.run([sys.executable, "-m", "leaflet_gen", "--project", str(mini.root), "build", "--practice",
                             "test", "--output", str(tmp_path / "out")], capture_output=True, text=True,
                            env={**os.environ, "FONTCONFIG_FILE": str(config)}, timeout=120)
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip() == (
        'Error: the leaflet font "Lato" is not installed (fontconfig finds no file of it, and fonts/ has none): '
        "install it (Lato: the Debian package fonts-lato; `leaflet-gen doctor` checks everything leaflet-gen needs), "
        "or put its font files "
        "in fonts/")
