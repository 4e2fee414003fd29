"""The practice editor without surprises (#32 item 4), in headless Chromium: a taken folder name is
said while it is typed, a refused save brings its first problem into view below the fixed header,
leaving with unsaved changes asks first (not after a save), a typed web address is completed on
save, and a practice is duplicated and deleted through its page."""

from __future__ import annotations

from pathlib import Path

import pytest
from studio_support import CHROMIUM, TIMEOUT_MS, browser_page, free_port, project_copy, running_studio
from test_studio_browser import shot

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = project_copy(tmp_path_factory.mktemp("manage-e2e"), variants=("trifold",))
    with running_studio(root, free_port()) as url:
        yield root, url


@pytest.fixture(scope="module")
def page():
    with browser_page(CHROMIUM, TIMEOUT_MS) as page:
        yield page


def go(page, address: str) -> None:
    """page.goto, again if the page's own reload (a catalogue told that practices changed) cut it off."""
    from playwright.sync_api import Error

    for attempt in range(3):
        try:
            page.goto(address)
            return
        except Error as exc:
            if "ERR_ABORTED" not in str(exc) or attempt == 2:
                raise


def test_a_taken_folder_name_is_flagged_while_typing(server, page):
    _, url = server
    page.goto(url + "/practices/new")
    page.locator("#f-id").press_sequentially("fysio-delinde", delay=20)
    page.wait_for_function("document.querySelector(\"[data-msg='id']\").textContent.includes('al in gebruik')")
    assert page.locator(".field[data-field=id]").get_attribute("class") == "field bad"
    shot(page, "manage-id-taken.png")
    page.locator("#f-id").press("Backspace")  # "fysio-delind": free
    page.wait_for_function("document.querySelector(\"[data-msg='id']\").textContent === ''")


def test_unsaved_changes_ask_before_leaving_but_not_after_a_save(server, page):
    root, url = server
    go(page, url + "/practices/fysio-delinde")
    page.wait_for_selector("[data-swatch='colours.primary'] .swatch")
    page.locator("#f-contact\\.website").fill("www.fysio-nieuw.nl")
    page.wait_for_function("document.querySelector(\"[data-completed='contact.website']\").textContent === "
                           "'Wordt opgeslagen als https://www.fysio-nieuw.nl'")
    asked = []

    def dismiss(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.get_by_role("link", name="← Catalogus").click()
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"] and page.url.endswith("/practices/fysio-delinde")  # stayed, the text kept
    assert page.locator("#f-contact\\.website").input_value() == "www.fysio-nieuw.nl"
    page.locator("#save").click()
    page.wait_for_function("document.getElementById('save-status').className.includes('ok')")
    assert page.locator("#f-contact\\.website").input_value() == "https://www.fysio-nieuw.nl"  # completed
    assert 'website: "https://www.fysio-nieuw.nl"' in (root / "practices/fysio-delinde/practice.yaml").read_text()
    page.get_by_role("link", name="← Catalogus").click()
    page.wait_for_selector(".cards")
    assert asked == ["beforeunload"]  # saved: nothing asked
    page.remove_listener("dialog", dismiss)


def test_a_refused_save_scrolls_its_first_problem_below_the_fixed_header(server, page):
    _, url = server
    page.set_viewport_size({"width": 1200, "height": 700})
    go(page, url + "/practices/fysio-delinde")
    page.wait_for_selector("[data-swatch='colours.primary'] .swatch")
    page.locator("#f-contact\\.phone").fill("")
    page.locator("#save").scroll_into_view_if_needed()
    page.locator("#save").click()
    page.wait_for_function("document.querySelector(\".field[data-field='contact.phone']\").classList.contains('bad')")
    # The page scrolls smoothly: wait until it has come to rest with the field in view (not a fixed
    # pause, which a busy machine outlasts), then measure.
    page.wait_for_function("""() => {
        const top = document.querySelector(".field[data-field='contact.phone']").getBoundingClientRect().top;
        const settled = window.__lastTop === top;
        window.__lastTop = top;
        return settled && document.activeElement && document.activeElement.id === "f-contact.phone";
    }""", polling=100)
    field = page.locator(".field[data-field='contact.phone']").bounding_box()
    header = page.locator("header.top").bounding_box()
    assert header["y"] + header["height"] <= field["y"] < 700, (header, field)  # in view, not under the header
    assert page.evaluate("document.activeElement.id") == "f-contact.phone"
    shot(page, "manage-scrolled-problem.png")
    page.on("dialog", lambda dialog: dialog.accept())  # leave the unsaved (refused) change
    page.set_viewport_size({"width": 1440, "height": 1000})


def test_duplicate_then_delete_through_the_page(server, page):
    root, url = server
    go(page, url + "/practices/fysio-delinde")
    page.get_by_label("Kopiëren als (nieuwe mapnaam)").fill("fysio-zuid")
    page.get_by_role("button", name="Kopiëren", exact=True).click()
    page.wait_for_url("**/practices/fysio-zuid?made=copy")
    assert "Kopie gemaakt: practices/fysio-zuid/." in page.locator("#notice").text_content()
    page.get_by_role("link", name="Deze praktijk verwijderen…").click()
    page.wait_for_selector("#delete-confirm")
    shot(page, "manage-delete-ask.png")
    page.get_by_role("button", name="Ja, Fysiotherapie De Linde (kopie) verwijderen").click()
    page.wait_for_selector("h1:text('Praktijk verwijderd')")
    assert ".trash/practices/fysio-zuid-" in page.locator("main").text_content()
    assert not (root / "practices/fysio-zuid").exists() and len(list((root / ".trash/practices").iterdir())) == 1
    shot(page, "manage-deleted.png")
