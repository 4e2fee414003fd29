"""Accessible and usable (#32 items 2 and 5), in headless Chromium: axe-core finds no serious or
critical problem on the catalogue, a leaflet page, the practice page and the 404 page; the filters
survive reload and Back; a skip link, a visible focus ring, no sideways scroll at 390 px.

axe-core comes from npm (package.json, pinned; scripts/setup.sh installs it with `npm ci`).
Set LEAFLET_STUDIO_SCREENSHOTS=DIR to keep the screenshots (desktop and 390 px).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from studio_support import (
    CHROMIUM,
    ROOT,
    TIMEOUT_MS,
    TRIFOLD,
    browser_page,
    free_port,
    project_copy,
    running_studio,
)

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
              pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed (npm ci)")]
PAGES = {"catalogue": "/", "leaflet": f"/leaflets/{TRIFOLD}", "practice": "/practices/fysio-delinde",
         "content": "/content/lage-rugpijn", "content-section": "/content/lage-rugpijn/fysio-doel",
         "content-history": "/content/lage-rugpijn/history", "preflight": "/preflight", "practice-delete": "/practices/fysio-delinde/delete",
         "not-found": "/nergens"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = project_copy(tmp_path_factory.mktemp("a11y"), practices=("fysio-delinde", "ortho-stanna"))
    with running_studio(root, free_port()) as url:
        yield url


@pytest.fixture(scope="module")
def page():
    with browser_page(CHROMIUM, TIMEOUT_MS) as page:
        yield page


def shot(page, name: str) -> None:
    folder = os.environ.get("LEAFLET_STUDIO_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder, name)), full_page=True)


def settled(page, name: str) -> None:
    """Wait until what the page shows has loaded (the catalogue's thumbnails, a leaflet's sheets)."""
    if name == "catalogue":
        page.wait_for_function("[...document.querySelectorAll('.card')].every(c => c.querySelector('img')) && "
                               "[...document.querySelectorAll('.card img')].every(i => i.complete && i.naturalWidth)")
    elif name == "leaflet":
        page.wait_for_function("document.querySelectorAll('#sheets img[data-picture]').length >= 2 && "
                               "[...document.querySelectorAll('#sheets img[data-picture]')].every(i => i.complete && i.naturalWidth)")
    elif name == "practice":
        page.wait_for_selector("[data-swatch='colours.primary'] .swatch")
    elif name == "content-section":  # the form made by the script, and the preview beside it
        page.wait_for_selector("fieldset[data-block='0'] button.danger")
        page.wait_for_function("+(document.body.getAttribute('data-preview-count') || 0) >= 1")


def serious(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("axe.run().then(r => r.violations.filter(v => ['serious', 'critical'].includes(v.impact))"
                          ".map(v => v.id + ': ' + v.help + ' ' + v.nodes.map(n => n.target.join(' ')).join(', ')))")
    return found


@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_serious_problem(server, page, name):
    page.set_viewport_size({"width": 1440, "height": 1000})
    answer = page.goto(server + PAGES[name])
    assert answer.status == (404 if name == "not-found" else 200)
    assert serious(page) == []  # as it comes (the first time: cards and sheets still building)
    settled(page, name)
    assert serious(page) == []
    shot(page, f"a11y-{name}-desktop.png")


@pytest.mark.parametrize("name", list(PAGES))
def test_no_sideways_scroll_on_a_phone(server, page, name):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(server + PAGES[name])
    settled(page, name)
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], widths
    assert serious(page) == []
    shot(page, f"a11y-{name}-390.png")
    page.set_viewport_size({"width": 1440, "height": 1000})


def test_skip_link_and_a_focus_ring_that_the_thumbnail_does_not_clip(server, page):
    page.goto(server + "/")
    settled(page, "catalogue")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip")
    assert page.evaluate("document.activeElement.className") == "skip"
    assert skip.bounding_box()["y"] >= 0  # shown when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    thumb = page.locator(".card .thumb").first
    thumb.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # focus by keyboard: :focus-visible
    style = thumb.evaluate("e => [getComputedStyle(e).outlineStyle, getComputedStyle(e).outlineWidth, "
                           "getComputedStyle(e).outlineOffset]")
    assert style[0] == "solid" and float(style[1].rstrip("px")) >= 2 and float(style[2].rstrip("px")) < 0, style
    folder = os.environ.get("LEAFLET_STUDIO_SCREENSHOTS")
    if folder:
        page.locator(".card").first.screenshot(path=str(Path(folder, "a11y-thumb-focus.png")))


def test_link_names_differ_and_updates_are_announced(server, page):
    page.goto(server + "/")
    settled(page, "catalogue")
    names = page.locator(".card .actions a").evaluate_all("links => links.map(a => a.getAttribute('aria-label'))")
    assert len(names) == len(set(names)) and all(n and n.endswith(("bekijken", ")")) for n in names)
    assert "Lage rugpijn, fysiotherapie, drieluik (Fysiotherapie De Linde) bekijken" in names
    assert page.locator("#count[aria-live=polite]").count() == 1 and page.locator("#announce[aria-live]").count() == 1
    page.goto(server + PAGES["leaflet"])
    assert page.locator("#announce[aria-live=polite]").count() == 1 and page.locator("#building[role=status]").count() == 1


def test_the_filters_survive_reload_and_back(server, page):
    page.goto(server + "/")
    settled(page, "catalogue")
    everything = page.locator(".card").count()
    page.select_option("[data-filter=practice]", "ortho-stanna")
    assert page.url.endswith("/?practice=ortho-stanna")
    shown = page.locator(".card:visible").count()
    assert 0 < shown < everything
    page.reload()
    assert page.locator(".card:visible").count() == shown
    assert page.locator("[data-filter=practice]").input_value() == "ortho-stanna"
    assert "Sint Anna Ziekenhuis" in page.locator(".card:visible .meta").first.text_content()  # the name, not the folder
    page.locator(".card:visible .actions a").first.click()
    page.wait_for_selector("#live")
    assert page.locator("a[data-catalogue]").first.get_attribute("href") == "/?practice=ortho-stanna"
    page.go_back()
    page.wait_for_selector(".cards")
    assert page.locator(".card:visible").count() == shown
    page.goto(server + "/practices/fysio-delinde")
    page.get_by_role("link", name="Folders van deze praktijk bekijken").click()
    page.wait_for_selector(".cards")
    assert page.url.endswith("/?practice=fysio-delinde")
    assert all(p == "fysio-delinde" for p in page.locator(".card:visible").evaluate_all(
        "cards => cards.map(c => c.dataset.practice)"))


def test_the_print_shop_checks_a_pdf_on_the_preflight_page(server, page):
    import urllib.request

    page.goto(server + PAGES["leaflet"])
    settled(page, "leaflet")
    pdf = urllib.request.urlopen(server + f"/leaflets/{TRIFOLD}/pdf").read()
    page.goto(server + "/")
    page.get_by_role("link", name="PDF controleren (drukkerij)").click()
    page.wait_for_selector("#preflight-form")
    page.get_by_role("button", name="PDF controleren").click()  # no file yet: said, nothing sent
    assert page.locator("#preflight-status").text_content() == "Er is geen bestand verstuurd: kies eerst een PDF-bestand."
    page.get_by_label("PDF-bestand").set_input_files(files=[{"name": "folder.pdf", "mimeType": "application/pdf",
                                                             "buffer": pdf}])
    page.get_by_role("button", name="PDF controleren").click()
    page.wait_for_selector("#preflight-verdict")
    assert page.locator("#preflight-verdict").text_content().startswith("Klaar voor de drukker")
    assert page.locator(".preflight-checks li").count() >= 8
    assert page.evaluate("document.activeElement.id") == "preflight-result"  # the result is read next
    assert serious(page) == []
    shot(page, "preflight-good.png")
    page.get_by_label("PDF-bestand").set_input_files(files=[{"name": "kapot.pdf", "mimeType": "application/pdf",
                                                             "buffer": pdf[:5000]}])
    page.get_by_role("button", name="PDF controleren").click()
    page.wait_for_function("document.getElementById('preflight-status').textContent.startsWith('Dit bestand')")
    assert page.locator("#preflight-result").inner_html() == ""
    shot(page, "preflight-broken.png")


def test_a_sheet_opens_large_by_keyboard_click_or_tap_and_gives_the_focus_back(server, page):
    page.set_viewport_size({"width": 1440, "height": 1000})
    page.goto(server + PAGES["leaflet"])
    settled(page, "leaflet")
    sheet = page.locator("button.zoom[data-zoom=sheet-outside]")
    assert sheet.get_attribute("aria-label").endswith("groot openen")
    sheet.focus()
    page.keyboard.press("Enter")
    dialog = page.locator("#zoom")
    assert dialog.is_visible() and page.evaluate("document.activeElement.id") == "zoom-close"
    page.wait_for_function("document.getElementById('zoom-img').src.endsWith('-large.png') && "
                           "document.getElementById('zoom-img').naturalWidth > 2000")
    assert page.locator("#zoom-caption").text_content() == sheet.locator("img").get_attribute("alt")
    assert serious(page) == []
    shot(page, "zoom-open.png")
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert page.evaluate("document.activeElement.dataset.zoom") == "sheet-outside"  # back where it was
    page.locator("button.zoom[data-zoom=sheet-inside]").click()
    assert dialog.is_visible()
    page.get_by_role("button", name="Sluiten").click()
    assert not dialog.is_visible()
    assert page.evaluate("document.activeElement.dataset.zoom") == "sheet-inside"
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: the picture scrolls inside the dialog
    page.locator("button.zoom[data-zoom=sheet-outside]").click()
    assert dialog.is_visible()
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], widths
    shot(page, "zoom-open-390.png")
    page.keyboard.press("Escape")
    page.set_viewport_size({"width": 1440, "height": 1000})


def test_a_section_moved_on_the_topic_page_shows_the_fit_before_and_after(server, page):
    page.set_viewport_size({"width": 1440, "height": 1000})
    page.goto(server + PAGES["leaflet"])
    settled(page, "leaflet")  # built: the fit before the change is known
    page.goto(server + PAGES["content"])
    page.get_by_role("button", name="Wanneer stopt de behandeling? omlaag").click()
    page.wait_for_selector("#fit-change")
    assert "Sectie „fysio-doel” is omlaag verplaatst." in page.locator("#notice").text_content()
    rows = page.locator("#fit-change tbody tr")
    assert rows.count() == 6 and rows.first.locator("th").text_content() == "voorkant"
    assert all(cell.endswith(("mm over", "mm te lang")) for cell in rows.locator("td").all_text_contents())
    assert serious(page) == []
    shot(page, "content-moved.png")


def _contrast(page, selector: str) -> float:
    """WCAG contrast of an element's text against its own background (opaque colours)."""
    colours = page.evaluate(f"(() => {{ const s = getComputedStyle(document.querySelector({selector!r}));"
                            " return [s.color, s.backgroundColor]; })()")

    def luminance(css: str) -> float:
        channels = [int(c) / 255 for c in css[css.index("(") + 1:css.index(")")].split(",")[:3]]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    light, dark = sorted(map(luminance, colours), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_a_blocks_remove_button_can_be_read(server, page):
    # It was red on red (the studio's loud delete button met the content desk's quiet one) and
    # axe-core did not flag it: its words must stand out from its own background.
    page.goto(server + PAGES["content-section"])
    settled(page, "content-section")
    assert _contrast(page, "fieldset[data-block='0'] button.danger") >= 4.5
    page.goto(server + PAGES["practice-delete"])
    assert _contrast(page, "#delete-confirm") >= 4.5  # the loud one: white on red
