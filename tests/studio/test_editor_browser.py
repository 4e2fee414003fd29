"""End to end: the practice editor of `leaflet-gen serve`, driven in headless Chromium as a
practice manager would use it. The practice made here exists only through the browser form;
afterwards `leaflet-gen check`, `build` and `preflight` (the core API) must accept it.

Set LEAFLET_STUDIO_SCREENSHOTS=DIR to keep the screenshots.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml
from studio_support import CHROMIUM, TIMEOUT_MS, browser_page, free_port, project_copy, running_studio
from test_studio_browser import shot

from leaflet_gen import api

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")]
PRACTICE = "fysiotherapie-het-anker"


def png(width: int, height: int, colour=(27, 94, 32)) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), (255, 255, 255))
    ImageDraw.Draw(image).ellipse((10, 10, height - 10, height - 10), fill=colour)
    ImageDraw.Draw(image).rectangle((height + 10, height // 3, width - 20, height // 2), fill=colour)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = project_copy(tmp_path_factory.mktemp("editor-e2e"), variants=("trifold",))
    with running_studio(root, free_port()) as url:
        yield root, url


@pytest.fixture(scope="module")
def page():
    with browser_page(CHROMIUM, TIMEOUT_MS) as page:
        yield page


def message(page, key: str) -> str:
    return page.locator(f"[data-msg='{key}']").text_content()


def wait_message(page, key: str, text: str) -> None:
    page.wait_for_function(f"document.querySelector(\"[data-msg='{key}']\").textContent.includes({text!r})")


def wait_preview_of(page, text: str) -> None:
    """Until the pictures beside the form are those of a form containing ``text``."""
    page.wait_for_function(f"(document.body.getAttribute('data-preview-of') || '').includes({text!r})")


def upload(page, name: str, data: bytes, mime: str) -> None:
    page.set_input_files("#logo-file", files=[{"name": name, "mimeType": mime, "buffer": data}])


def test_a_new_practice_with_mistakes_gets_inline_messages(server, page):
    _, base = server
    page.goto(base + "/")
    page.click("#new-practice")
    page.wait_for_url("**/practices/new")
    page.fill("[data-key=name]", "Fysiotherapie Het Anker")
    page.fill("[data-key='contact.address']", "Havenstraat 3, 8011 AB Zwolle")
    page.fill("[data-key='contact.phone']", "038 12")
    page.fill("[data-key='colours.primary']", "#FFE680")  # pale yellow: unreadable as text on white
    wait_message(page, "contact.phone", "verwacht een telefoonnummer zoals „030 123 45 67”")
    assert page.locator(".field[data-field='contact.phone']").get_attribute("class") == "field bad"
    page.wait_for_function("document.querySelector(\"[data-facts='colours.primary'] li.warn\") !== null")
    facts = page.locator("[data-facts='colours.primary']").text_content()
    assert "Te licht voor tekst op wit papier" in facts and "koppen krijgen de donkerdere tint" in facts
    assert "Tekst op deze kleur wordt zwart" in facts and "C 1% M 7% Y 59% K 2%" in facts
    assert page.locator("#f-id").input_value() == PRACTICE  # the folder name, made from the name
    assert message(page, "contact.address") == ""  # only what is wrong is flagged
    assert "wacht tot de fouten" in page.locator("#preview-msg").text_content()
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "editor-new-mistakes.png")


@pytest.mark.parametrize("name, data, mime, expected", [
    ("folder.png", b"%PDF-1.4 this is a PDF, not a picture", "image/png", "is geen PNG-, JPEG- of SVG-afbeelding"),
    ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><circle r="4"/></svg>',
     "image/svg+xml", "bevat <script>"),
    ("website-logo.png", png(300, 100), "image/png", "ongeveer 103 ppi"),
])
def test_bad_logos_are_refused_with_their_message(server, page, name, data, mime, expected):
    upload(page, name, data, mime)
    wait_message(page, "logo", expected)
    text = message(page, "logo")
    assert expected in text and name in text
    assert page.locator("#logo-state").text_content() == ""
    if "103" in expected:
        assert "onscherp" in text and "minstens 875 pixels breed" in text
        page.locator(".field[data-field=logo]").scroll_into_view_if_needed()
        shot(page, "editor-logo-refused.png")


def test_fix_then_the_preview_follows_then_save_builds_a_print_leaflet(server, page, tmp_path):
    root, _ = server
    upload(page, "anker-logo.png", png(1200, 400), "image/png")
    page.wait_for_function("document.getElementById('logo-state').textContent.includes('goedgekeurd')")
    assert message(page, "logo") == ""
    page.fill("[data-key='contact.phone']", "038 123 45 67")
    page.fill("[data-key='colours.primary']", "#1B5E20")
    page.wait_for_function("document.querySelector(\"[data-msg='contact.phone']\").textContent === ''")
    page.wait_for_function("document.querySelector(\"[data-facts='colours.primary'] li.warn\") === null")
    page.wait_for_function("document.querySelectorAll('#preview-pics img').length === 2 && "
                           "!document.getElementById('preview').classList.contains('stale')")
    cover = page.locator("img[data-preview=panel-cover]").screenshot()
    # Every change shows beside the form before anything is saved.
    page.fill("[data-key='colours.primary']", "#8E24AA")
    wait_preview_of(page, "#8E24AA")
    assert page.locator("img[data-preview=panel-cover]").screenshot() != cover
    back = page.locator("img[data-preview=panel-back]").screenshot()
    page.fill("[data-key='contact.opening_hours']", "ma–vr 8.00–18.00 uur")
    wait_preview_of(page, "8.00–18.00")
    assert page.locator("img[data-preview=panel-back]").screenshot() != back
    assert not (root / "practices" / PRACTICE).exists()
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "editor-new-preview.png")

    page.click("#save")
    page.wait_for_url(f"**/practices/{PRACTICE}?saved=1")
    assert "Opgeslagen in practices/fysiotherapie-het-anker/practice.yaml" in page.locator("#notice").text_content()
    folder = root / "practices" / PRACTICE
    assert sorted(p.name for p in folder.iterdir()) == ["logo.png", "practice.yaml"]
    report = api.check_project(root, [PRACTICE])
    assert not report.problems, report.problems
    built = api.build_leaflets(root, practice=PRACTICE, variant="trifold", output=tmp_path)
    assert built.results
    for result in built.results:
        preflight = api.preflight_pdf(root, result.path)
        assert not preflight.failed, preflight.lines()
    text = (folder / "practice.yaml").read_text(encoding="utf-8")
    assert 'primary: "#8E24AA"' in text and 'opening_hours: "ma–vr 8.00–18.00 uur"' in text
    page.wait_for_function("document.querySelectorAll('#preview-pics img').length === 2")
    shot(page, "editor-saved.png")


def test_edit_an_existing_practice_keeps_its_comments(server, page):
    root, base = server
    target = root / "practices" / "fysio-delinde" / "practice.yaml"
    before = target.read_text(encoding="utf-8")
    page.goto(base + "/practices/fysio-delinde")
    assert page.locator("#f-id").get_attribute("readonly") is not None
    page.wait_for_function("document.querySelectorAll('#preview-pics img').length === 2")
    page.fill("[data-key='contact.phone']", "030 765 43 21")
    page.click("#save")
    page.wait_for_function("document.getElementById('save-status').classList.contains('ok')")
    after = target.read_text(encoding="utf-8")
    assert after == before.replace('"030 123 45 67"', '"030 765 43 21"')  # that value, nothing else
    assert "# Branding for leaflet-gen. Edit the values; keep the keys." in after
    # A second save from the same page works: the page knows the version it wrote.
    page.fill("[data-key='contact.phone']", "030 765 43 22")
    page.click("#save")
    page.wait_for_function("document.getElementById('save-status').textContent.includes('030') === false && "
                           "document.getElementById('save-status').classList.contains('ok')")
    assert '"030 765 43 22"' in target.read_text(encoding="utf-8")


def test_save_after_an_outside_change_is_refused(server, page):
    root, base = server
    target = root / "practices" / "fysio-delinde" / "practice.yaml"
    page.goto(base + "/practices/fysio-delinde")
    page.wait_for_function("document.querySelectorAll('#preview-pics img').length === 2")
    outside = target.read_text(encoding="utf-8").replace("Lindelaan 12", "Lindelaan 14")
    target.write_text(outside, encoding="utf-8")  # someone edits the file by hand meanwhile
    page.fill("[data-key=name]", "Fysiotherapie De Linde en Co")
    page.click("#save")
    page.wait_for_function("document.getElementById('save-status').classList.contains('bad')")
    assert "buiten de studio gewijzigd" in page.locator("#save-status").text_content()
    assert target.read_text(encoding="utf-8") == outside
    page.wait_for_timeout(1500)  # the form's own checks and preview come back meanwhile: the message stays
    assert "buiten de studio gewijzigd" in page.locator("#save-status").text_content()
    shot(page, "editor-conflict.png")


def test_the_practices_own_words_in_a_language_are_asked_for_once_it_is_ticked(server, page):
    root, base = server
    target = root / "practices" / "fysio-delinde" / "practice.yaml"
    before = target.read_text(encoding="utf-8")
    page.goto(base + "/practices/fysio-delinde")
    page.wait_for_function("document.querySelectorAll('#preview-pics img').length === 2")
    hours = page.locator("[data-key='translations.en.opening_hours']")
    assert not hours.is_visible()  # Dutch only: nothing to ask
    assert not page.locator("[data-field^='translations.']").first.locator("xpath=ancestor::fieldset").is_visible()
    page.check("input[data-key='languages'][value='en']")
    assert hours.is_visible() and not page.locator("[data-key='translations.ar.opening_hours']").is_visible()
    hours.fill("Mon–Fri 8.00–20.00")
    page.click("#save")
    page.wait_for_function("document.getElementById('save-status').classList.contains('ok')")
    after = target.read_text(encoding="utf-8")
    assert yaml.safe_load(after)["languages"] == ["nl", "en"]
    assert 'translations:\n  en:\n    opening_hours: "Mon–Fri 8.00–20.00"\n' in after
    target.write_text(before, encoding="utf-8")
