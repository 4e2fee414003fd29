"""The studio's routes, with Starlette's test client over a studio building a tmp project in-process."""

from __future__ import annotations

import io
import time

import pytest
from starlette.testclient import TestClient
from studio_support import SCREEN, SECTION, SENTENCE, TRIFOLD, broken_yaml, overflowing, project_copy, started_studio

from leaflet_gen.studio.app import create_app

HOSTS = {"testserver"}


@pytest.fixture(scope="module")
def studio(tmp_path_factory):
    with started_studio(project_copy(tmp_path_factory.mktemp("studio"))) as studio:
        yield studio


@pytest.fixture(scope="module")
def client(studio):
    app = create_app(studio, allowed_hosts=HOSTS, csrf="test-csrf")
    return TestClient(app)


# The tests that change files and look at the tri-fold only: a project without the screen
# variant, so each change rebuilds one leaflet, not two.
@pytest.fixture(scope="module")
def edited(tmp_path_factory):
    with started_studio(project_copy(tmp_path_factory.mktemp("edited"), variants=("trifold",))) as studio:
        yield studio


@pytest.fixture(scope="module")
def edited_client(edited):
    return TestClient(create_app(edited, allowed_hosts=HOSTS, csrf="test-csrf"))


def change(studio, rel: str, text: str) -> None:
    path = studio.root / rel
    path.write_text(text, encoding="utf-8")
    studio.changed({path})
    assert studio.wait_idle(60)


def test_catalogue_lists_every_leaflet_with_its_state_and_thumbnail(client, studio):
    page = client.get("/")
    assert page.status_code == 200
    html = page.text
    for key in (TRIFOLD, SCREEN):
        assert f'href="/leaflets/{key}"' in html
        gen = studio.get(key).good.gen
        thumb = client.get(f"/leaflets/{key}/pictures/{gen}/thumb.png")
        assert thumb.status_code == 200 and thumb.content.startswith(b"\x89PNG")
    assert html.count('class="badge ok"') == 2
    assert 'data-filter="variant"' in html and 'value="screen"' in html


def test_leaflet_page_shows_sheets_fit_lint_and_preflight(client, studio):
    entry = studio.get(TRIFOLD)
    html = client.get(f"/leaflets/{TRIFOLD}").text
    for name in ("sheet-outside", "sheet-inside"):
        assert f'/pictures/{entry.good.gen}/{name}.png' in html
        png = client.get(f"/leaflets/{TRIFOLD}/pictures/{entry.good.gen}/{name}.png")
        assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    # One fit row per panel, each with the millimetres left, and a real measurement (not all alike).
    assert html.count('class="fit-row') == 6
    space = entry.good.built.space_left
    assert set(space) == {"cover", "inside-left", "flap", "inside-middle", "tuck-in", "back"}
    assert all(-1 <= v < 200 for v in space.values()) and len(set(space.values())) > 2
    assert f"{space['tuck-in']:.0f} mm over" in html
    assert "fysio-doel" in html and "Flesch-Douma" in html  # the language table of its sections
    assert ">goed</span><span><strong>afloop</strong>" in html  # the preflight result
    assert SENTENCE in " ".join(html.split())  # the sheet's text, as the PDF has it (lines joined)


def test_downloads_are_the_built_pdf_and_job_sheet(client, studio):
    from pypdf import PdfReader

    pdf = client.get(f"/leaflets/{TRIFOLD}/pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content == studio.get(TRIFOLD).good.built.pdf
    assert len(PdfReader(io.BytesIO(pdf.content)).pages) == 2
    sheet = client.get(f"/leaflets/{TRIFOLD}/job-sheet")
    assert sheet.status_code == 200 and "OPDRACHTBON DRUKWERK" in sheet.text
    assert client.get(f"/leaflets/{SCREEN}/job-sheet").status_code == 404  # no job sheet for the screen


def test_flowing_variant_shows_pages_and_no_panels(client, studio):
    html = client.get(f"/leaflets/{SCREEN}").text
    assert "/page-1.png" in html and 'class="fit-row' not in html
    assert "geen vaste ruimte per paneel" in html


def test_unknown_leaflets_and_pictures_are_not_found(client, studio):
    gen = studio.get(TRIFOLD).good.gen
    for url in ("/leaflets/fysio-delinde/lage-rugpijn/orthopedie/trifold", "/leaflets/x/y/z/w",
                f"/leaflets/{TRIFOLD}/pictures/{gen}/practice.yaml", f"/leaflets/{TRIFOLD}/pictures/{gen}/sheet-back.png",
                f"/leaflets/{TRIFOLD}/nothing"):
        assert client.get(url).status_code == 404, url


def test_mockups_come_from_the_preview_tool(client, studio):
    gen = studio.get(TRIFOLD).good.gen
    png = client.get(f"/leaflets/{TRIFOLD}/pictures/{gen}/mockup-closed.png")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    assert client.get(f"/leaflets/{SCREEN}/pictures/{studio.get(SCREEN).good.gen}/mockup-closed.png").status_code == 404


def test_broken_yaml_shows_located_error_and_keeps_last_good_pictures(edited_client, edited):
    good = edited.get(TRIFOLD).good
    original = (edited.root / SECTION).read_text(encoding="utf-8")
    try:
        change(edited, SECTION, broken_yaml(original))
        entry = edited.get(TRIFOLD)
        assert entry.failure is not None and entry.good is good and entry.outdated
        located = entry.failure.problems[0]
        assert located.file == SECTION and located.line is not None
        html = edited_client.get(f"/leaflets/{TRIFOLD}").text
        assert 'class="errorbox"' in html and f"{SECTION}:{located.line}" in html
        assert 'class="sheets outdated"' in html and "Verouderd" in html
        assert edited_client.get(f"/leaflets/{TRIFOLD}/pictures/{good.gen}/sheet-inside.png").status_code == 200
        assert 'class="badge failed"' in edited_client.get("/").text
    finally:
        change(edited, SECTION, original)
    entry = edited.get(TRIFOLD)
    assert entry.failure is None and entry.good.gen > good.gen


def test_overflow_names_the_panel_the_mm_and_the_section(edited_client, edited):
    original = (edited.root / SECTION).read_text(encoding="utf-8")
    try:
        change(edited, SECTION, overflowing(original))
        over = edited.get(TRIFOLD).failure.overflow
        assert over is not None and over.panel == "tuck-in" and over.mm > 5
        assert over.section and over.file and over.file.startswith("content/lage-rugpijn/")
        html = edited_client.get(f"/leaflets/{TRIFOLD}").text
        assert 'class="fit-row over" data-panel="tuck-in"' in html
        assert f"{over.mm:.0f} mm te lang" in html and over.section in html
        grown = next(r for r in edited.get(TRIFOLD).facts.lint if r.section == "fysio-doel").sentences
    finally:
        change(edited, SECTION, original)
    assert edited.get(TRIFOLD).failure is None
    # The language check follows the text back (it is cached per read of the project).
    assert next(r for r in edited.get(TRIFOLD).facts.lint if r.section == "fysio-doel").sentences < grown


def test_a_change_elsewhere_does_not_rebuild_the_leaflet(studio):
    before = studio.get(TRIFOLD).done
    path = studio.root / "content" / "other-topic" / "notes.yaml"
    path.parent.mkdir()
    path.write_text("x: 1\n", encoding="utf-8")
    studio.changed({path})
    assert studio.wait_idle(30)
    assert studio.get(TRIFOLD).done == before


def test_newer_change_during_a_build_wins(edited):
    """A result that is older than the input asked for meanwhile is never shown."""
    original = (edited.root / SECTION).read_text(encoding="utf-8")
    path = edited.root / SECTION
    try:
        path.write_text(original.replace("doelen bereikt", "doelen XEERSTEX bereikt"), encoding="utf-8")
        edited.changed({path})
        time.sleep(0.05)
        path.write_text(original.replace("doelen bereikt", "doelen XTWEEDEX bereikt"), encoding="utf-8")
        edited.changed({path})
        assert edited.wait_idle(60)
        text = edited.get(TRIFOLD).good.texts["sheet-outside"]  # the section is on the inner flap
        assert "XTWEEDEX" in text and "XEERSTEX" not in text
    finally:
        change(edited, SECTION, original)


def test_event_stream_sends_what_the_page_has_not_seen(client, studio):
    """A page rendered before the last build (or a reconnecting one) gets that build at once."""
    import threading

    entry = studio.get(TRIFOLD)
    lines: list[str] = []

    def read(url: str) -> None:
        with client.stream("GET", url) as response:
            for line in response.iter_lines():
                lines.append(line)
                if line.startswith("data:") and '"html"' in line:
                    return

    seen = f"{entry.done - 1}.{entry.facts_gen}"
    reader = threading.Thread(target=read, args=(f"/events?leaflet={TRIFOLD}&done={seen}",), daemon=True)
    reader.start()
    reader.join(20)
    assert any(line == f"id: {entry.done}.{entry.facts_gen}" for line in lines)
    assert any('"html"' in line and "sheet-inside" in line for line in lines)


def test_sheet_pictures_are_the_pixels_pdfium_draws_of_the_built_pdf(studio):
    """The studio encodes its PNGs itself (fast): they must decode to exactly what PDFium draws."""
    import pypdfium2 as pdfium
    from PIL import Image

    from leaflet_gen.studio import pictures

    good = studio.get(TRIFOLD).good
    with pictures.PDFIUM:  # the studio may be drawing another leaflet's pictures meanwhile
        doc = pdfium.PdfDocument(good.built.pdf)
        drawn = []
        for index, sheet in enumerate(good.built.geometry.sheets):
            page = doc[index]
            page.set_cropbox(*page.get_trimbox())
            drawn.append((sheet, page.render(scale=pictures.SHEET_DPI / 72, fill_color=(255, 255, 255, 255),
                                             optimize_mode="lcd", may_draw_forms=False,
                                             draw_annots=False).to_pil().convert("RGB")))
        doc.close()
    for sheet, image in drawn:
        with Image.open(io.BytesIO(good.pictures[f"sheet-{sheet}"])) as shown:
            assert shown.mode == "RGB" and shown.size == image.size
            assert shown.tobytes() == image.tobytes()
    with Image.open(io.BytesIO(good.thumb)) as thumb:
        thumb.load()
        assert 100 < thumb.width < thumb.height


def test_a_sheet_the_change_did_not_touch_keeps_its_picture_and_address(edited_client, edited):
    """A one-sentence change on the outside sheet (the inner flap): the inside sheet is drawn with the same
    pixels, so the page is sent the address it already has (nothing to fetch or decode again).

    Without the recorded approval: an edit of approved text puts CONCEPT on every panel (issue 31),
    which is a change of both sheets (tests/content/test_review.py)."""
    approvals = edited.root / "content/lage-rugpijn/approvals.jsonl"
    recorded = approvals.read_text(encoding="utf-8")
    approvals.unlink()
    edited.changed({approvals})
    assert edited.wait_idle(60)
    before = edited.get(TRIFOLD).good
    original = (edited.root / SECTION).read_text(encoding="utf-8")
    try:
        change(edited, SECTION, original.replace("doelen bereikt", "doelen XANDERSX bereikt"))
        after = edited.get(TRIFOLD).good
        assert after.gen > before.gen and "XANDERSX" in after.texts["sheet-outside"]
        assert after.since["sheet-outside"] == after.gen and after.pictures["sheet-outside"] != before.pictures["sheet-outside"]
        kept = before.since["sheet-inside"]
        assert after.since["sheet-inside"] == kept and after.pictures["sheet-inside"] is before.pictures["sheet-inside"]
        html = edited_client.get(f"/leaflets/{TRIFOLD}").text
        assert f"/pictures/{kept}/sheet-inside.png" in html and f"/pictures/{after.gen}/sheet-outside.png" in html
        for gen, name in ((kept, "sheet-inside"), (after.gen, "sheet-outside")):
            response = edited_client.get(f"/leaflets/{TRIFOLD}/pictures/{gen}/{name}.png")
            assert response.content == after.pictures[name] and "max-age" in response.headers["cache-control"]
        assert edited_client.get(f"/leaflets/{TRIFOLD}/pictures/{before.gen}/sheet-outside.png").headers["cache-control"] \
            == "no-store"
    finally:
        (edited.root / SECTION).write_text(original, encoding="utf-8")
        approvals.write_text(recorded, encoding="utf-8")
        edited.changed({edited.root / SECTION, approvals})  # both back in one rebuild
        assert edited.wait_idle(60)


def test_a_catalogue_page_is_sent_the_cards_that_changed_before_its_stream_connected(client, studio):
    """A build that finishes between the catalogue's HTML and its event stream is not missed."""
    import re
    import threading

    done = re.search(r'data-done="(\d+)"', client.get("/").text)[1]
    studio.rebuild(TRIFOLD)  # notifies (a page would have missed it: its stream is not open yet)
    assert studio.wait_idle(60)
    lines: list[str] = []

    def read() -> None:
        with client.stream("GET", f"/events?done={done}") as response:
            for line in response.iter_lines():
                lines.append(line)
                if line.startswith("data:") and "card-" in line:
                    return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(20)
    assert "event: card" in lines and any("card-fysio-delinde--lage-rugpijn--fysiotherapie--trifold" in line
                                            for line in lines)


def test_a_card_not_built_yet_shows_the_topic_title_and_whether_it_waits_or_builds(tmp_path):
    """Before a leaflet's first build (a catalogue of 40 takes a while) its card already has the
    topic's title from topic.yaml, as it will after the build; not the topic's folder name."""
    from leaflet_gen.studio import core, pages
    from leaflet_gen.studio.state import Studio

    studio = Studio(project_copy(tmp_path), core.in_process_renderer())  # not started: nothing built
    entry = studio.get(TRIFOLD)
    assert entry.good is None and entry.facts is None
    html = pages.card(studio, entry)
    assert '<h2 class="title">Lage rugpijn</h2>' in html
    # Waiting its turn: the thumbnail and the badge say so alike; "building" once its render started.
    assert html.count("wacht op opbouw") == 2 and "bezig met opbouwen" not in html
    entry.started = entry.wanted
    html = pages.card(studio, entry)
    assert html.count("bezig met opbouwen") == 2 and "wacht op opbouw" not in html
    topic = studio.root / "content" / "lage-rugpijn" / "topic.yaml"
    topic.write_text(topic.read_text(encoding="utf-8").replace("title: Lage rugpijn", "title: Rugpijn onderin", 1),
                     encoding="utf-8")
    studio.project = core.fresh_project(studio.project, {topic})  # what the builder does on that change
    studio._discover()
    assert '<h2 class="title">Rugpijn onderin</h2>' in pages.card(studio, entry)


def test_the_leaflet_page_shows_each_sections_claims_and_an_edit_after_approval(edited_client, edited):
    """Beside the text: the claims each section carries, with strength and source (issue 27); an edit
    of approved text is "gewijzigd na goedkeuring" until it is approved again (issue 31)."""
    html = edited_client.get(f"/leaflets/{TRIFOLD}").text
    claims = html[html.index('id="claims"'):html.index('id="preflight"')]
    assert "stoppen-kan-ook" in claims and "mogelijkheid" in claims and "Bronfolder fysiotherapie, Wat is je doel?" in claims
    assert "Elke claim staat in de tekst even sterk als in het claimsregister." in claims
    assert "gewijzigd na goedkeuring" not in html
    original = (edited.root / SECTION).read_text(encoding="utf-8")
    try:
        change(edited, SECTION, original.replace("Je kunt ook stoppen", "Je stopt ook"))
        html = edited_client.get(f"/leaflets/{TRIFOLD}").text
        assert "gewijzigd na goedkeuring" in html
        claims = html[html.index('id="claims"'):html.index('id="preflight"')]
        assert 'claim „stoppen-kan-ook” is een mogelijkheid' in claims
    finally:
        change(edited, SECTION, original)
