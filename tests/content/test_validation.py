"""Every class of bad input is refused with one exact, located message and exit code 1."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import PRACTICE_YAML, TOPIC_YAML
from helpers import check

from leaflet_gen import theme
from leaflet_gen.errors import ValidationFailed

PRACTICE = "practices/test/practice.yaml"
SECTION = "content/demo/uitleg.yaml"
SCREEN = (theme.BUILTIN / "variants" / "screen.yaml").read_text(encoding="utf-8")
BIG = "9" * 5000
TOO_BIG = "a number of 5000 digits is more than YAML can read here (at most 4300); if it is text, put it in quotes"


def practice_with(mini, old: str, new: str) -> None:
    assert old in PRACTICE_YAML
    mini.write(PRACTICE, PRACTICE_YAML.replace(old, new))


def _practice(old: str, new: str, *more: tuple[str, str]) -> str:
    text = PRACTICE_YAML
    for a, b in ((old, new), *more):
        assert a in text
        text = text.replace(a, b)
    return text


# (file, its new text, the first lines of the report). A line ending in "..." is matched as a prefix.
BAD_INPUT = {
    "malformed yaml": (SECTION, "title: [Wat is lage rugpijn?\nblocks: []\n", [
        "content/demo/uitleg.yaml:2:7 invalid YAML: a bracket is not closed: end a list [ with ] and a { with }, or put "
        "quotes around a text that starts with [ or {",
        "Found 1 problem in 1 file; nothing was built."]),
    "wrong type and missing key": (SECTION, "title: [1, 2]\nblocks:\n  - type: paragraph\n", [
        "content/demo/uitleg.yaml:1:8 title: expected text, got a list",
        "content/demo/uitleg.yaml:3:5 blocks[0].text: required key is missing; add it",
        "Found 2 problems in 1 file; nothing was built."]),
    "unknown key suggests the right one": (PRACTICE, _practice("colours:", "colurs:"), [
        "practices/test/practice.yaml:1:1 colours: required key is missing; add it",
        'practices/test/practice.yaml:3:1 colurs: unknown key; did you mean "colours"?',
        "Found 2 problems in 1 file; nothing was built."]),
    "unknown block type and nested unknown key": (
        SECTION, "title: T\nblocks:\n  - type: paragraf\n    text: x\n  - type: list\n    itmes: [a]\n", [
            'content/demo/uitleg.yaml:3:11 blocks[0].type: unknown block type "paragraf"; expected one of: '
            'paragraph, list, summary, infobox, tip, links, notes; did you mean "paragraph"?',
            "content/demo/uitleg.yaml:5:5 blocks[1].items: required key is missing; add it",
            'content/demo/uitleg.yaml:6:5 blocks[1].itmes: unknown key; did you mean "items"?']),
    "bad colour": (PRACTICE, _practice('"#1B6E8C"', '"blauwgroen"'), [
        'practices/test/practice.yaml:4:12 colours.primary: expected a hex colour like "#1B6E8C", got "blauwgroen"',
        "Found 1 problem in 1 file; nothing was built."]),
    "css injection in a colour": (PRACTICE, _practice('"#1B6E8C"', '"#1B6E8C; } body { display: none"'), [
        'practices/test/practice.yaml:4:12 colours.primary: expected a hex colour like "#1B6E8C", got ...']),
    "old spelling colors is located": (PRACTICE, _practice("colours:", "colors:", ('"#1B6E8C"', '"blauwgroen"')), [
        'practices/test/practice.yaml:4:12 colors.primary: expected a hex colour like "#1B6E8C", got "blauwgroen"']),
    "yaml python tag": (SECTION, 'title: !!python/object/apply:os.system ["touch /tmp/pwned"]\nblocks: []\n', [
        "content/demo/uitleg.yaml:1:8 YAML tags such as !!python/object/apply:os.system "
        "are not allowed; write a plain value"]),
    "oversized file": (SECTION, "title: x\n" + "# filler\n" * 40000, [
        "content/demo/uitleg.yaml the file is 351 KiB; leaflet files may be at most 256 KiB"]),
    "empty file": (SECTION, "\n  \n", [
        "content/demo/uitleg.yaml the file is empty; it must contain a YAML mapping (key: value lines)"]),
    "top-level list": (SECTION, "- a\n- b\n", [
        "content/demo/uitleg.yaml:1:1 expected a mapping of keys and values at the top of the file, got a list"]),
    "control character": (SECTION, "title: T\nblocks:\n  - type: paragraph\n    text: a\x1fb\n", [
        "content/demo/uitleg.yaml:4:12 invalid YAML: the file contains a control character "
        "(code 0x1f) that is not allowed; remove it"]),
    "impossible date": ("content/demo/topic.yaml", TOPIC_YAML.replace("last_review: 2026-11-01", "last_review: 2026-02-30"), [
        'content/demo/topic.yaml:7:14 last_review: "2026-02-30" is not a date in the calendar (day is out of range for month); '
        "write a real date as YYYY-MM-DD"]),
    "duplicate key": (SECTION, 'title: Een\nblocks:\n  - type: paragraph\n    text: "a."\ntitle: Twee\n', [
        'content/demo/uitleg.yaml:5:1 title: "title" appears twice in this mapping (also on line 1); only one '
        "would be used: keep one"]),
    "section listed twice": ("content/demo/topic.yaml", TOPIC_YAML.replace("flow: [uitleg]", "flow: [uitleg, uitleg]"), [
        'content/demo/topic.yaml:13:20 audiences.fysiotherapie.flow[1]: section "uitleg" is listed twice for '
        "fysiotherapie (also at flow[0]); a section is printed once: remove one"]),
    "a character the font lacks": (SECTION, 'title: "Klaar ✓"\nblocks:\n  - type: paragraph\n    text: "\ufffd"\n', [
        'content/demo/uitleg.yaml:1:8 title: the character "✓" (U+2713, CHECK MARK) is not in the font Lato, so it '
        "cannot be printed; remove it or write it with other characters",
        'content/demo/uitleg.yaml:4:11 blocks[0].text: the character "\ufffd" (U+FFFD, REPLACEMENT CHARACTER) is not '
        "in the font Lato, so it cannot be printed; remove it or write it with other characters"]),
    # Python reads at most 4,300 digits into an int: beyond that PyYAML raised a bare ValueError (exit 3).
    "a 5,000-digit number in a section": (SECTION, "title: T\nblocks:\n  - type: paragraph\n    text: " + BIG + "\n", [
        f"content/demo/uitleg.yaml:4:11 blocks[0].text: {TOO_BIG}"]),
    "a 5,000-digit number in a topic": ("content/demo/topic.yaml", TOPIC_YAML.replace('version: "1.0"', f"version: {BIG}"), [
        f"content/demo/topic.yaml:3:10 version: {TOO_BIG}"]),
    "a 5,000-digit number in a practice": (PRACTICE, _practice('phone: "030 123 45 67"', f"phone: -{BIG}"), [
        f"practices/test/practice.yaml:8:10 contact.phone: {TOO_BIG.replace('5000 digits', '5001 digits')}"]),
    "a 5,000-digit sexagesimal number": (SECTION, f"title: {BIG}:30\nblocks: []\n", [
        f"content/demo/uitleg.yaml:1:8 title: {TOO_BIG.replace('5000 digits', '5003 digits')}"]),
    "a 5,000-digit number in a variant": ("variants/screen.yaml", SCREEN.replace("bleed: 0", f"bleed: {BIG}"), [
        f"variants/screen.yaml:11:8 bleed: {TOO_BIG}"]),
    "a 5,000-digit number in the settings": ("leaflet-gen.yml", f"output: {BIG}\n", [
        f"leaflet-gen.yml:1:9 output: {TOO_BIG}"]),
    "a NUL in a path": (PRACTICE, _practice("logo: logo.svg", 'logo: "lo\\0go.svg"'), [
        "practices/test/practice.yaml:2:7 logo: a path cannot contain the control character U+0000; got "
        "'lo\\x00go.svg'"]),
    "a control character in the output folder": ("leaflet-gen.yml", 'output: "o\\tut"\n', [
        "leaflet-gen.yml:1:9 output: a path cannot contain the control character U+0009; got 'o\\tut'"]),
}


@pytest.mark.parametrize("case", BAD_INPUT, ids=str)
def test_bad_input_is_refused_with_located_messages(mini, case):
    rel, text, expected = BAD_INPUT[case]
    mini.write(rel, text)
    code, lines = check(mini)
    assert code == 1
    assert len(lines) >= len(expected), lines
    for line, want in zip(lines, expected):
        assert line.startswith(want[:-3]) if want.endswith("...") else line == want, (line, want)


def test_valid_project_passes(mini):
    result = mini.run("check")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:6] == [
        "ok  content/demo: 3 sections, audiences fysiotherapie, version 1.0 (approved), next review 2027-11-01",
        "ok  built-in variants/large-print.yaml",
        "ok  built-in variants/office.yaml",
        "ok  built-in variants/screen.yaml",
        "ok  built-in variants/trifold.yaml",
        "ok  practices/test/practice.yaml",
    ]
    assert lines[6].startswith("Language check of content/demo") and "Flesch-Douma" in lines[8]
    assert result.stderr == ""


def test_review_date_and_concept_status(mini):
    topic = mini.root / "content/demo/topic.yaml"
    topic.write_text(topic.read_text().replace("status: approved", "status: concept")
                     .replace("last_review: 2026-11-01", "last_review: 2024-01-01")
                     .replace("next_review: 2027-11-01", "next_review: 2025-01-01"))
    result = mini.run("check")
    assert result.exit_code == 0
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning:")]
    assert warnings == [
        "Warning: content/demo/topic.yaml next_review: the review date 2025-01-01 has passed; have the content "
        "reviewed, then update last_review and next_review",
        'Warning: content/demo/topic.yaml status: the content is a concept: leaflets carry a "CONCEPT" mark until '
        "status is approved (with approved_by and approved_on), or until each audience's text is approved with "
        "`leaflet-gen review approve`",
    ]
    strict = mini.run("check", "--strict")
    assert strict.exit_code == 1
    assert strict.stderr.strip().endswith("2 warning(s) and --strict: failing.")


def test_concept_leaflet_carries_a_visible_mark(mini, tmp_path):
    from leaflet_gen.pdf.reader import text_in

    topic = mini.root / "content/demo/topic.yaml"
    topic.write_text(topic.read_text().replace("status: approved", "status: concept"))
    result = mini.run("build", "--practice", "test", "--variant", "screen", "--output", str(tmp_path))
    assert result.exit_code == 0
    assert ('this leaflet carries a "CONCEPT" mark: the content is a concept (status in topic.yaml), or approve it '
            "with `leaflet-gen review approve`") in result.stderr
    assert "CONCEPT" in text_in(tmp_path / "test/demo-fysiotherapie-screen.pdf", 0, 0, 210)


@pytest.mark.parametrize("field,value,message", [
    ("phone", '"12"', 'contact.phone: expected a phone number like "030 123 45 67" or "+31 30 123 45 67", got "12"'),
    ("email", '"info@test"', 'contact.email: expected an e-mail address like "info@praktijk.nl", got "info@test"'),
    ("website", '"javascript:alert(1)"',
     'contact.website: expected a web address like "https://www.example.nl/pagina", got "javascript:alert(1)"'),
])
def test_contact_formats(mini, field, value, message):
    old = {"phone": '"030 123 45 67"', "email": '"info@testpraktijk.nl"', "website": '"https://www.testpraktijk.nl"'}
    practice_with(mini, f"{field}: {old[field]}", f"{field}: {value}")
    code, lines = check(mini)
    assert code == 1
    assert lines[0].endswith(message), lines


def test_missing_logo(mini):
    (mini.root / "practices/test/logo.svg").unlink()
    code, lines = check(mini)
    assert lines[0] == 'practices/test/practice.yaml:2:7 logo: file "logo.svg" not found in practices/test/'


def test_fake_logo_checked_by_content(mini):
    mini.write("practices/test/logo.png", b"this is not an image")
    practice_with(mini, "logo: logo.svg", "logo: logo.png")
    code, lines = check(mini)
    assert code == 1
    assert lines[0] == 'practices/test/practice.yaml:2:7 logo: "logo.png" is not a PNG, JPEG or SVG image (checked by its content)'


def test_corrupt_png_logo(mini):
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (2000, 800), "white").save(buf, "PNG")
    mini.write("practices/test/logo.png", buf.getvalue()[:300])
    practice_with(mini, "logo: logo.svg", "logo: logo.png")
    code, lines = check(mini)
    assert code == 1
    assert lines[0].startswith('practices/test/practice.yaml:2:7 logo: "logo.png" cannot be read as a PNG image (')


def test_low_resolution_logo_warns(mini):
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (300, 100), "white").save(buf, "PNG")
    mini.write("practices/test/logo.png", buf.getvalue())
    practice_with(mini, "logo: logo.svg", "logo: logo.png")
    result = mini.run("check")
    assert result.exit_code == 0
    assert result.stderr.strip() == (
        'Warning: practices/test/practice.yaml:2:7 logo: "logo.png" is 300 x 100 pixels: about 103 ppi at '
        "74 mm wide on the cover, under 300 ppi for print; use an SVG or a PNG at least 875 pixels wide"
    )


@pytest.mark.parametrize("value,message", [
    ("../../../etc/passwd", 'the file must be inside the practice folder ("../" is not allowed), got "../../../etc/passwd"'),
    ("/etc/passwd", 'expected a file name inside the practice folder, like "logo.svg", got "/etc/passwd"'),
    ("http://evil.example/logo.png",
     'expected a file name inside the practice folder, like "logo.svg", got "http://evil.example/logo.png"'),
])
def test_logo_path_escapes(mini, value, message):
    practice_with(mini, "logo: logo.svg", f'logo: "{value}"')
    code, lines = check(mini)
    assert code == 1
    assert lines[0] == f"practices/test/practice.yaml:2:7 logo: {message}"


def test_symlinked_logo_outside_the_folder(mini, tmp_path):
    outside = tmp_path / "secret.svg"
    outside.write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (mini.root / "practices/test/logo.svg").unlink()
    (mini.root / "practices/test/logo.svg").symlink_to(outside)
    code, lines = check(mini)
    assert lines[0] == "practices/test/practice.yaml:2:7 logo: the logo must be a file inside the practice folder"


@pytest.mark.parametrize("svg,message", [
    ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
     '<image xlink:href="http://evil.example/x.png" width="10" height="10"/></svg>',
     '"logo.svg" refers to another file or web address (http://evil.example/x.png); embed everything in the SVG'),
    ('<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd"/></svg>',
     '"logo.svg" refers to another file or web address (file:///etc/passwd); embed everything in the SVG'),
    ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
     '<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>',
     '"logo.svg" contains a DOCTYPE or ENTITY declaration; save the SVG without it'),
    ('<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(http://evil.example/a.css);</style></svg>',
     '"logo.svg" loads a file or web address from its styles; embed everything in the SVG'),
    ('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
     '"logo.svg" contains <script>; a logo must be plain vector graphics'),
])
def test_hostile_svg_logos(mini, svg, message):
    mini.write("practices/test/logo.svg", svg)
    code, lines = check(mini)
    assert code == 1
    assert lines[0] == f"practices/test/practice.yaml:2:7 logo: {message}"


def test_alias_bomb_is_refused_fast(mini):
    bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        bomb.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    mini.write("content/demo/uitleg.yaml", "\n".join(bomb) + "\n")
    started = time.perf_counter()
    code, lines = check(mini)
    assert time.perf_counter() - started < 1.0
    assert code == 1
    assert lines[0] == ("content/demo/uitleg.yaml:1:4 invalid YAML: YAML anchors (&name) are not allowed in "
                        "leaflet files; write the value out in full")


def test_section_missing_from_topic(mini):
    (mini.root / "content/demo/huisarts.yaml").unlink()
    code, lines = check(mini)
    assert code == 1
    assert lines[0] == ('content/demo/topic.yaml:14:12 audiences.fysiotherapie.back[0]: section "huisarts" not found: '
                        "expected a file content/demo/huisarts.yaml")


def test_all_errors_of_all_files_at_once(mini):
    practice_with(mini, '"#1B6E8C"', '"blue"')
    mini.write("content/demo/uitleg.yaml", "title: T\nblocks:\n  - type: tip\n")
    code, lines = check(mini)
    assert code == 1
    assert len(lines) == 3
    assert lines[-1] == "Found 2 problems in 2 files; nothing was built."


def test_html_in_text_is_printed_as_text(mini, tmp_path):
    from leaflet_gen.pdf.reader import text_in

    mini.write("content/demo/uitleg.yaml",
               'title: "<b>Kop</b>"\nblocks:\n  - type: paragraph\n'
               '    text: "<script>x</script><img src=\\"file:///etc/passwd\\"> <style>body{display:none}</style> '
               '[klik](javascript:alert(1)) **vet**"\n')
    result = mini.run("build", "--output", str(tmp_path))
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "test" / "demo-fysiotherapie-trifold.pdf"
    text = " ".join(text_in(pdf, 1, 12, 112).split())  # the inside-left panel: first of the flow
    assert "<b>Kop</b>" in text
    assert '<script>x</script><img src="file:///etc/passwd">' in text
    assert "<style>body{display:none}</style>" in text
    assert "[klik](javascript:alert(1))" in text.replace(" ", "")


def test_check_does_not_import_weasyprint(mini):
    code = (f"import sys; from leaflet_gen.cli import main; sys.argv=['leaflet-gen','--project',{str(mini.root)!r},'check'];\n"
            "try:\n main()\nexcept SystemExit: pass\n"
            "assert 'weasyprint' not in sys.modules, 'weasyprint imported'; print('clean')")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip().endswith("clean"), result.stderr


def test_internal_error_is_reported_as_a_bug(mini, monkeypatch):
    from leaflet_gen.content import check as checks

    def boom(*_a, **_k):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(checks, "check_project", boom)
    result = mini.run("check")
    assert result.exit_code == 3
    assert result.stderr.startswith("Internal error: ZeroDivisionError: division by zero\n"
                                    "This is a bug in leaflet-gen, not in your files. Run `leaflet-gen --debug")


def test_the_old_spelling_colors_still_reads(mini):
    practice_with(mini, "colours:", "colors:")
    assert check(mini) == (0, [])


# --- what is not a plain file inside the project (issue 20) ---------------------------------------


def test_a_section_linked_from_outside_the_project_is_refused(mini, tmp_path):
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text('title: Niet nagekeken\nblocks:\n  - type: paragraph\n    text: "x."\n')
    (mini.root / SECTION).unlink()
    (mini.root / SECTION).symlink_to(outside)
    code, lines = check(mini)
    assert code == 1
    assert lines[0] == (f"{SECTION} is a link to {outside}, outside the project; copy the file into the project "
                        "instead")


@pytest.mark.parametrize("make,message", [
    (lambda path: os.mkfifo(path), "is not a regular file (a pipe, device or socket); expected a YAML file"),
    (lambda path: path.symlink_to("/dev/zero"), "is a link to /dev/zero, outside the project; copy the file "
                                                "into the project instead"),
    (lambda path: path.mkdir(), "is a folder; expected a YAML file"),
], ids=["fifo", "dev-zero", "folder"])
def test_special_files_are_refused_without_reading_them(mini, make, message):
    path = mini.root / "content/demo/extra.yaml"
    make(path)
    started = time.monotonic()
    code, lines = check(mini)
    assert code == 1 and time.monotonic() - started < 30
    assert lines[0] == f"content/demo/extra.yaml {message}"


def test_a_practice_yaml_that_is_a_folder_is_reported_not_dropped(mini):
    (mini.root / "practices/other/practice.yaml").mkdir(parents=True)
    code, lines = check(mini)
    assert code == 1
    assert "practices/other/practice.yaml is a folder; expected a YAML file" in lines
    assert "other" in mini.run("list").stdout


def test_a_qr_address_too_long_to_encode_is_an_error_and_a_fine_one_a_warning(mini):
    practice_with(mini, 'qr_url: "https://www.testpraktijk.nl/afspraak"',
                  f'qr_url: "https://www.testpraktijk.nl/{"a" * 3000}"')
    code, lines = check(mini)
    assert code == 1
    assert lines[0] == ("practices/test/practice.yaml:11:9 qr_url: the address is 3028 characters, too long for a "
                        "QR code; use a shorter address (e.g. a short link to the page)")
    practice_with(mini, 'qr_url: "https://www.testpraktijk.nl/afspraak"',
                  f'qr_url: "https://www.testpraktijk.nl/{"a" * 260}"')
    code, lines = check(mini)
    assert code == 0
    assert ("Warning: practices/test/practice.yaml:11:9 qr_url: the QR code of this 288-character address has 69 "
            "modules across: 0.36 mm each in a 28 mm code with its quiet zone, too small for many phones to scan "
            "(about 0.4 mm is needed); use a shorter address") in lines


def test_the_qr_check_measures_the_code_the_leaflet_prints():
    """The practice check encodes with a fixed mask (fast); the leaflet's code picks the best
    mask. Their sizes agree on both sides of each boundary that matters: the last version whose
    modules are large enough (11, 61 across) and the next, a version step after it, and the
    largest code (version 40) and the first address too long for any."""
    import segno

    from leaflet_gen.content.project import QR_MIN_MODULE_MM, QR_PRINTED_MM, QR_QUIET_MODULES, _qr_fit

    prefix = "https://www.testpraktijk.nl/"
    seen = []
    for length in (251, 252, 287, 288, 2331, 2332):  # byte mode, error level M: the versions' capacities
        url = prefix + ("a1B-" * length)[:length - len(prefix)]
        try:
            printed = segno.make(url, error="m", micro=False)  # as compose makes it
        except segno.DataOverflowError:
            assert "too long for a QR code" in _qr_fit(url)[0]
            seen.append(None)
            continue
        modules = printed.symbol_size(border=0)[0]
        problem, warning = _qr_fit(url)
        assert problem is None and (warning is None or f"has {modules} modules across" in warning)
        assert (warning is not None) == (QR_PRINTED_MM / (modules + 2 * QR_QUIET_MODULES) < QR_MIN_MODULE_MM)
        seen.append((printed.version, warning is not None))
    assert seen == [(11, False), (12, True), (12, True), (13, True), (40, True), None]


def test_a_topic_whose_topic_yaml_is_a_pipe_is_named_not_skipped(mini):
    """A topic.yaml that is not a regular file is an error of that topic, not a topic that is
    silently missing from every build (found by the property test)."""
    import os

    (mini.root / "content/demo/topic.yaml").unlink()
    os.mkfifo(mini.root / "content/demo/topic.yaml")
    code, lines = check(mini)
    assert code == 1
    assert lines[0] == "content/demo/topic.yaml is not a regular file (a pipe, device or socket); expected a YAML file"
    build = mini.run("build", "--output", str(mini.root / "out"))
    assert build.exit_code == 1 and not list((mini.root / "out").rglob("*.pdf"))


@pytest.mark.parametrize("text, line, said", [
    ("title: Wat: is dit\nblocks: []\n", 1, 'a colon where no key can start: put quotes around a text that contains ": "'),
    ("title: x\n\tblocks: []\n", 2, "a tab: indent with spaces, not tabs"),
    ("title: x\nblocks:\n  - type: paragraph\n    text: a\n   claims: []\n", 5, "the indentation does not match"),
    ("title: [Wat\nblocks: []\n", 2, "a bracket is not closed"),
    ("title: x\nblocks:\n\t- a\n", 3, "a character that cannot start a value here"),
    ('title: "Wat is\nblocks: []\n', 3, "a quote is opened but never closed"),
    ("title: x\nblocks\n", 3, 'a line that is not "key: value": add the colon'),
    ('title: "C:\\schijf"\nblocks: []\n', 1, "a backslash in a text in double quotes: write \\\\ for one backslash"),
    # Not one of the mistakes it explains: PyYAML's own words, with its context.
    ("title: x\nblocks: []\n--- \nmore: 1\n", 3, "but found another document (expected a single document in the stream)"),
])
def test_a_yaml_mistake_made_by_hand_says_what_to_do_in_the_studios_language_too(text, line, said):
    from leaflet_gen.content.yamlio import yaml_from_text
    from leaflet_gen.i18n import translate

    with pytest.raises(ValidationFailed) as caught:
        yaml_from_text(text, Path("x.yaml"), "x.yaml")
    problem = caught.value.problems[0]
    assert problem.line == line and problem.message.startswith("invalid YAML: " + said), problem
    dutch = translate(problem.message, "nl")
    if " (" in said:  # PyYAML's words stay as they are
        assert dutch == "ongeldige YAML: " + problem.message.removeprefix("invalid YAML: ")
    else:  # said in Dutch, from the catalogue
        assert dutch.startswith("ongeldige YAML: ") and said not in dutch, dutch


def test_a_hand_edited_files_problems_are_said_in_the_studios_language_too(mini):
    """What the studio shows of a practice.yaml or topic.yaml edited by hand comes from the catalogue;
    the CLI's English stays as it was."""
    from leaflet_gen.content.project import Project
    from leaflet_gen.i18n import translate

    mini.write(PRACTICE, PRACTICE_YAML + "id: elders\ntopics: [geen-onderwerp]\n")
    with pytest.raises(ValidationFailed) as caught:
        Project.open(mini.root).load_practice(mini.root / "practices" / "test")
    said = [(p.key, str(p.message), translate(p.message, "nl")) for p in caught.value.problems]
    assert said == [
        ("id", 'must equal the folder name "test", got "elders"', "moet gelijk zijn aan de mapnaam „test”, maar is „elders”"),
        ("topics[0]", 'topic "geen-onderwerp" not found: expected a folder content/geen-onderwerp/ with a topic.yaml '
                      "(topics: demo)", "onderwerp „geen-onderwerp” niet gevonden: verwacht een map "
                                        "content/geen-onderwerp/ met een topic.yaml (onderwerpen: demo)")]
