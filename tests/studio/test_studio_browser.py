"""End to end: `leaflet-gen serve` on a copy of the project, driven in headless Chromium.

Edits files on disk as an editor would and watches the open page follow without a reload.
Set LEAFLET_STUDIO_SCREENSHOTS=DIR to keep the screenshots (the README's docs/studio.png is one).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from studio_support import (
    CHROMIUM,
    SECTION,
    SENTENCE,
    TIMEOUT_MS,
    TRIFOLD,
    broken_yaml,
    browser_page,
    free_port,
    overflowing,
    project_copy,
    running_studio,
)

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")]
NEW_SENTENCE = "Heb je je doelen bereikt? Dan vier je dat en stop je met de behandeling."


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = project_copy(tmp_path_factory.mktemp("e2e"))
    with running_studio(root, free_port()) as url:
        yield root, url


@pytest.fixture(scope="module")
def page():
    with browser_page(CHROMIUM, TIMEOUT_MS) as page:
        yield page


def shot(page, name: str, **options) -> bytes:
    data = page.screenshot(**options)
    folder = os.environ.get("LEAFLET_STUDIO_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        Path(folder, name).write_bytes(data)
    return data


def sheets_text(page) -> str:
    return " ".join(page.locator("#sheets").text_content().split())


def test_catalogue_shows_cards_with_thumbnails_and_filters(server, page):
    _, base = server
    page.goto(base + "/")
    page.wait_for_function("document.querySelectorAll('.card img').length === 2 && "
                           "[...document.querySelectorAll('.card img')].every(i => i.complete && i.naturalWidth > 100)")
    assert page.locator(".card .badge.ok").count() == 2
    page.select_option("[data-filter=variant]", "screen")
    assert page.locator(".card:visible").count() == 1
    assert "scherm" in page.locator(".card:visible .meta").text_content()
    page.select_option("[data-filter=variant]", "")
    shot(page, "studio-catalogue.png")


def picture_of(page, name: str) -> bytes:
    """A screenshot of a picture on the page. The page may swap in an update while it is taken
    (the preflight or language check result, after the pictures): then it is taken again."""
    from playwright.sync_api import Error

    for _ in range(4):
        try:
            return page.locator(f"img[data-picture={name}]").screenshot()
        except Error as exc:
            # Swapped while being taken: the old node is detached or, mid-swap, not visible.
            if "not attached" not in str(exc) and "not visible" not in str(exc):
                raise
    return page.locator(f"img[data-picture={name}]").screenshot()


def test_open_a_leaflet_then_edit_a_sentence_on_disk(server, page):
    root, base = server
    page.goto(base + "/")
    page.locator('.card[data-variant=trifold] a:has-text("Bekijken")').click()
    page.wait_for_url(f"**/leaflets/{TRIFOLD}")
    page.wait_for_function("[...document.querySelectorAll('img[data-picture]')].every(i => i.complete && i.naturalWidth > 500)")
    assert page.locator(".fit-row").count() == 6
    assert SENTENCE in sheets_text(page)
    page.evaluate("window.__notReloaded = true")
    gen = page.locator("body").get_attribute("data-gen")
    before = picture_of(page, "sheet-outside")

    path = root / SECTION
    path.write_text(path.read_text(encoding="utf-8").replace(SENTENCE, NEW_SENTENCE), encoding="utf-8")
    page.wait_for_function(f"document.body.dataset.gen !== '{gen}'")
    assert page.evaluate("window.__notReloaded === true")  # updated in place, no reload
    assert NEW_SENTENCE in sheets_text(page)
    page.wait_for_function("[...document.querySelectorAll('img[data-picture]')].every(i => i.complete && i.naturalWidth > 500)")
    after = picture_of(page, "sheet-outside")
    assert after != before  # the picture changed, not only the text beside it
    assert page.locator("#error").count() == 0


def test_broken_yaml_shows_the_located_error_over_the_outdated_picture(server, page):
    root, base = server
    path = root / SECTION
    good = path.read_text(encoding="utf-8")
    path.write_text(broken_yaml(good), encoding="utf-8")
    page.wait_for_selector("#error")
    error = page.locator("#error").text_content()
    assert f"{SECTION}:" in error  # file and line
    assert "Pas het bestand aan" in error  # how to go on
    assert page.locator(".sheets.outdated .stamp").is_visible()
    assert page.locator("img[data-picture=sheet-inside]").count() == 1  # the last good picture stays
    assert NEW_SENTENCE in sheets_text(page)
    shot(page, "studio-error.png")
    path.write_text(good, encoding="utf-8")
    page.wait_for_selector("#error", state="detached")
    assert page.locator(".sheets.outdated").count() == 0


def test_overflow_shows_the_panel_and_mm_then_recovers(server, page):
    root, base = server
    path = root / SECTION
    good = path.read_text(encoding="utf-8")
    path.write_text(overflowing(good), encoding="utf-8")
    row = page.locator(".fit-row.over")
    row.wait_for()
    assert row.get_attribute("data-panel") == "tuck-in"
    assert "mm te lang" in row.text_content() and "instopflap" in row.text_content()
    assert "vanaf sectie" in page.locator("#fit").text_content()
    shot(page, "studio-overflow.png", full_page=True)

    path.write_text(good, encoding="utf-8")
    page.wait_for_selector("#error", state="detached")
    assert page.locator(".fit-row.over").count() == 0
    assert page.locator(".sheets.outdated").count() == 0
    page.wait_for_function("[...document.querySelectorAll('img[data-picture]')].every(i => i.complete && i.naturalWidth > 500)")
    # The language check follows the text back too (it is pushed when ready, after the pictures).
    page.wait_for_function("[...document.querySelectorAll('#lint td')].some(td => td.textContent === 'fysio-doel' "
                           "&& td.nextElementSibling.textContent === '4')")
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "studio.png")


def test_under_the_studios_own_csp_the_stylesheet_applies_and_the_scripts_run(server, page):
    """The other tests bypass the CSP (for Playwright's waits): here the browser enforces it (so
    this test waits with selectors only)."""
    _, base = server
    context = page.context.browser.new_context(viewport={"width": 1440, "height": 1000})
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        refused = []
        page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
        page.goto(base + "/")
        assert page.locator("header.top").evaluate("e => getComputedStyle(e).position") == "sticky"  # studio.css
        page.wait_for_selector("#count:has-text('2 / 2')")  # studio.js counted the cards
        page.goto(f"{base}/leaflets/{TRIFOLD}")
        page.wait_for_selector(".fit-row .fit-bar span")
        # Style attributes: each bar is filled as far as its panel is (a blocked one would fill it whole).
        bars = page.locator(".fit-row .fit-bar span").evaluate_all(
            "s => s.map(e => [e.getBoundingClientRect().width / e.parentElement.getBoundingClientRect().width,"
            " parseFloat(e.getAttribute('style').match(/width: ([0-9.]+)%/)[1]) / 100])")
        assert len(bars) == 6 and all(shown == pytest.approx(wanted, abs=0.02) and shown < 0.99 for shown, wanted in bars)
        page.goto(f"{base}/practices/fysio-delinde")
        swatch = page.wait_for_selector("[data-swatch='colours.primary'] .swatch")  # editor.js asked the server
        assert swatch.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(27, 110, 140)"  # #1B6E8C
        assert refused == []
    finally:
        context.close()
