"""End to end: the content desk of `leaflet-gen serve`, driven in headless Chromium as a clinician
would use it, on a copy of the project that is a git repository.

Set LEAFLET_STUDIO_SCREENSHOTS=DIR to keep the screenshots.
"""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

import pytest
from studio_support import CHROMIUM, TIMEOUT_MS, browser_page, free_port, nl, project_copy, running_studio
from test_studio_browser import shot

from leaflet_gen.studio.labels import REVIEW_STATE

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")]
SECTION = "content/lage-rugpijn/fysio-doel.yaml"
COMMENT = "    # Nagekeken door de werkgroep: deze zin niet inkorten.\n"
OLD = "Dan stop je met de behandeling."
NEW = "Dan rond je de behandeling af."
TYPO = "Dan rond je de behandelingg af."
LEAFLET = "/leaflets/fysio-delinde/lage-rugpijn/fysiotherapie/trifold"
REVIEWER = "Dr. A. de Vries"


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = project_copy(tmp_path_factory.mktemp("content-e2e"), variants=("trifold",))
    section = root / SECTION
    section.write_text(section.read_text(encoding="utf-8").replace("    text:", COMMENT + "    text:"), encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "-c", "user.name=Werkgroep", "-c", "user.email=werkgroep@example.org", "commit", "-qm", "Begin")
    with running_studio(root, free_port()) as url:
        yield root, url


@pytest.fixture(scope="module")
def page():
    with browser_page(CHROMIUM, TIMEOUT_MS) as page:
        yield page


def block_text(page, index: int = 0):
    return page.locator(f"fieldset[data-block='{index}'] textarea").first


def open_editor(page, base: str) -> None:
    page.goto(base + "/content/lage-rugpijn/fysio-doel")
    page.wait_for_function("+(document.body.getAttribute('data-preview-count') || 0) >= 1")


def wait_preview_text(page, text: str) -> None:
    page.wait_for_function("(document.body.getAttribute('data-preview-text') || '').replace(/\\s+/g, ' ')"
                           f".includes({text!r})")


def save(page) -> str:
    page.click("#save")
    page.wait_for_function("document.getElementById('save-status').className.match(/ok|bad/)")
    return page.locator("#save-status").text_content()


def printed(page, base: str, concept: bool) -> str:
    """The leaflet's text as the studio built it, once it is (or is not) marked CONCEPT."""
    deadline = time.monotonic() + 90
    while True:
        html = page.request.get(base + LEAFLET).text()
        text = " ".join(re.findall(r'<div class="sheet-text" data-text="[^"]+">(.*?)</div>', html, re.S))
        if ("CONCEPT" in text) == concept:
            return text
        assert time.monotonic() < deadline, f"the leaflet did not become {'concept' if concept else 'approved'}"
        time.sleep(0.5)


def fysio_state(page) -> str:
    return page.locator("#audience-fysiotherapie [data-state]").get_attribute("data-state")


def test_edit_a_sentence_then_approve_then_edit_again(server, page):
    root, base = server
    page.goto(base + LEAFLET)
    page.click("#content-link")
    page.wait_for_url("**/content/lage-rugpijn")
    assert fysio_state(page) == "approved"
    shot(page, "content-topic.png", full_page=True)
    page.click("#audience-fysiotherapie a[data-section='fysio-doel']")
    page.wait_for_url("**/content/lage-rugpijn/fysio-doel")
    page.wait_for_function("+(document.body.getAttribute('data-preview-count') || 0) >= 1")
    assert page.locator(".block-claims [data-claim='stoppen-als-doel-bereikt']").count() == 1
    # A typo: the spelling check shows it at the block, as it is typed.
    block_text(page).fill(block_text(page).input_value().replace(OLD, TYPO))
    page.wait_for_function("document.querySelector(\"[data-findings='0']\").textContent.includes('behandelingg')")
    wait_preview_text(page, "behandelingg")
    shot(page, "content-section.png")
    block_text(page).fill(block_text(page).input_value().replace(TYPO, NEW))
    wait_preview_text(page, NEW)
    page.fill("#s-by", REVIEWER)
    page.locator("#s-by").dispatch_event("change")
    assert nl("Saved in %(path)s. The leaflets are being built again now.", path=SECTION) in save(page)
    text = (root / SECTION).read_text(encoding="utf-8")
    assert NEW in text and OLD not in text and COMMENT in text and text.startswith("# yaml-language-server")
    assert git(root, "log", "-1", "--format=%an|%s") == f"{REVIEWER}|Folderstudio: sectie fysio-doel van lage-rugpijn bewerkt\n"
    assert git(root, "status", "--porcelain", "content") == ""  # only what the studio wrote, all committed
    assert NEW in " ".join(printed(page, base, concept=True).split())
    # Approve on the topic page: the name is remembered from the editor.
    page.goto(base + "/content/lage-rugpijn")
    assert fysio_state(page) == "changed"
    assert nl("This leaflet gets a DRAFT stamp until the text is approved (again).") in page.locator("#audience-fysiotherapie").text_content()
    form = page.locator("#audience-fysiotherapie form.approve")
    assert form.locator("input[name=by]").input_value() == REVIEWER
    form.locator("input[name=note]").fill("Na overleg vakgroep")
    form.locator("button").click()
    page.wait_for_selector("#notice")
    assert fysio_state(page) == "approved"
    assert git(root, "log", "-1", "--format=%an|%s") == f"{REVIEWER}|Folderstudio: lage-rugpijn voor fysiotherapie goedgekeurd\n"
    printed(page, base, concept=False)
    # Edit again: changed after approval, CONCEPT back.
    open_editor(page, base)
    block_text(page).fill(block_text(page).input_value().replace(NEW, "Dan stopt de behandeling."))
    wait_preview_text(page, "Dan stopt de behandeling.")
    assert nl("Saved in %(path)s. The leaflets are being built again now.", path=SECTION) in save(page)
    page.goto(base + "/content/lage-rugpijn")
    assert fysio_state(page) == "changed"
    assert nl(REVIEW_STATE["changed"]) in page.locator("#audience-fysiotherapie").text_content()
    shot(page, "content-topic-changed.png")
    printed(page, base, concept=True)


def test_an_outside_change_is_refused(server, page):
    root, base = server
    open_editor(page, base)
    path = root / SECTION
    outside = path.read_text(encoding="utf-8").replace("Dan stopt de behandeling.", "Dan stopt de behandeling echt.")
    path.write_text(outside, encoding="utf-8")
    block_text(page).fill(block_text(page).input_value() + " Nog een zin.")
    assert save(page) == nl("Not saved: this file was changed outside this form since you opened it. Saving would "
                            "overwrite that change. Reload the page to see the new version (what you typed here is "
                            "then lost; copy it first if need be).")
    assert path.read_text(encoding="utf-8") == outside
    git(root, "checkout", "--", SECTION)


def test_the_history_lists_both_versions_and_what_changed(server, page):
    root, base = server
    page.goto(base + "/content/lage-rugpijn/history")
    rows = page.locator("tr[data-version]")
    whats = [rows.nth(i).text_content() for i in range(rows.count())]
    saves = [i for i, w in enumerate(whats) if "sectie fysio-doel" in w]
    assert len(saves) == 2 and any("goedgekeurd" in w for w in whats) and "Begin" in whats[-1]
    assert all(REVIEWER in whats[i] for i in saves)
    rows.nth(saves[-1]).locator("a").click()  # the first save: what changed since
    page.wait_for_selector("section.diff[data-section='fysio-doel']")
    diff = page.locator("section.diff[data-section='fysio-doel']")
    assert NEW in diff.locator(".del").text_content() and "Dan stopt de behandeling." in diff.locator(".add").text_content()
    page.click("a.button:has-text('Fysiotherapie')")
    page.wait_for_selector("figure.visual img", timeout=120_000)
    page.wait_for_function("Array.from(document.querySelectorAll('figure.visual img')).every(i => i.complete && i.naturalWidth > 0)")
    assert page.locator("figure.visual img").count() == 2  # both sheets of the tri-fold
    shot(page, "content-visual.png", full_page=True)


def test_typing_on_at_a_clinicians_pace_shows_the_last_text_then_its_check(server, page):
    # Each key starts a preview (one key every 250 ms, longer than the page waits before asking);
    # the one under way is given up for the newer text. The pictures end with the whole word,
    # and the language check follows them (it would slow the render down on two cores).
    root, base = server
    open_editor(page, base)
    count = int(page.evaluate("document.body.getAttribute('data-preview-count')"))
    field = block_text(page)
    field.click()
    field.press("Control+End")
    field.press_sequentially(" Fijnnn", delay=250)  # not a word: the spelling check names it
    wait_preview_text(page, "Fijnnn")
    page.wait_for_function("document.querySelector(\"[data-findings='0']\").textContent.includes('Fijnnn')")
    shown = int(page.evaluate("document.body.getAttribute('data-preview-count')"))
    assert 1 <= shown - count < 7  # not a picture per key: the stale ones were never shown
    assert "Fijnnn" not in (root / SECTION).read_text(encoding="utf-8")  # a preview saves nothing
