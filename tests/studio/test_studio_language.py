"""One language on screen: the studio speaks the project's language (Dutch) through the message
catalogue - its own words, the checks' messages, its refusals and its 404 page - while the CLI
keeps printing the English ids; a studio in English shows the English ids."""

from __future__ import annotations

import html as htmllib
import re
from types import SimpleNamespace

import pytest
from conftest import ROOT
from starlette.testclient import TestClient
from studio_support import project_copy, started_studio

from leaflet_gen import api
from leaflet_gen.studio import core, pages, words
from leaflet_gen.studio.app import create_app
from leaflet_gen.studio.state import Studio

HOSTS = {"testserver"}
CSRF = {"X-CSRF-Token": "test-csrf"}
WEBSITE_NL = "verwacht een webadres zoals „https://www.example.nl/pagina”, maar er staat „www.x.nl”"
EMPTY_NL = "hier moet tekst staan, maar het is leeg"


def bad_practice(root):
    """The shipped practice with an empty name and a website without https://."""
    path = root / "practices/fysio-delinde/practice.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('name: "Fysiotherapie De Linde"', 'name: ""')
    text = text.replace('website: "https://www.fysiodelinde.nl"', 'website: "www.x.nl"')
    path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def dutch(tmp_path_factory):
    root = bad_practice(project_copy(tmp_path_factory.mktemp("dutch"), variants=("trifold",)))
    with started_studio(root) as studio:
        yield studio, TestClient(create_app(studio, allowed_hosts=HOSTS, csrf="test-csrf"))


def text_of(page: str) -> str:
    """The page's text as a reader sees it (tags dropped, entities decoded, spaces collapsed)."""
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_the_studio_speaks_the_projects_language(dutch):
    studio, _ = dutch
    assert studio.language == "nl"
    assert words.language_of(studio.project) == "nl"
    # A language without a messages catalogue: English (the ids).
    assert words.language_of(SimpleNamespace(settings=SimpleNamespace(language="tr"))) == "en"


def test_a_bad_practice_yaml_is_shown_in_dutch_and_the_cli_keeps_english(dutch):
    studio, client = dutch
    # The catalogue lists the practice that does not load under "Problemen in het project".
    catalogue = client.get("/")
    shown = text_of(catalogue.text)
    assert catalogue.status_code == 200 and "Problemen in het project" in shown
    assert WEBSITE_NL in shown and EMPTY_NL in shown
    assert "2 problemen gevonden in 1 bestand; er is niets gemaakt." in shown
    assert "expected" not in shown and "got" not in shown
    # The practice editor's check says the same words ("www.x.nl" it would complete: "x" it cannot).
    opened = client.post("/practices/check", headers=CSRF, json={
        "practice": "fysio-delinde", "values": {"name": "", "contact.website": "x"}}).json()
    assert opened["problems"]["name"] == [EMPTY_NL]
    assert opened["problems"]["contact.website"] == [WEBSITE_NL.replace("www.x.nl", "x")]
    # `leaflet-gen check` on the same files: the English the CLI has always printed.
    problems = {p.key: str(p.message) for p in api.check_project(studio.root).problems}
    assert problems["name"] == "expected text, got an empty value"
    assert problems["contact.website"] == 'expected a web address like "https://www.example.nl/pagina", got "www.x.nl"'


def test_the_404_page_is_dutch_with_a_way_back(dutch):
    _, client = dutch
    page = client.get("/bestaat/niet")
    assert page.status_code == 404 and '<html lang="nl">' in page.text
    shown = text_of(page.text)
    assert "Niet gevonden" in shown and "Not Found" not in shown
    assert "Deze pagina bestaat niet in de studio." in shown
    assert re.search(r'<a class="button" href="/"[^>]*>Naar de catalogus</a>', page.text)
    # A leaflet that does not exist: its own Dutch sentence, the same way back.
    gone = client.get("/leaflets/fysio-delinde/lage-rugpijn/fysiotherapie/geen")
    assert gone.status_code == 404 and "Niet gevonden: deze folder bestaat niet in het project." in text_of(gone.text)


def entry_with(warnings: int):
    facts = SimpleNamespace(findings=["x"] * warnings, status="approved", overdue=False)
    return SimpleNamespace(failure=None, good=None, building=False, pending=False, facts=facts)


@pytest.mark.parametrize("count, dutch_label", [(1, "1 waarschuwing"), (2, "2 waarschuwingen")])
def test_the_warning_count_has_a_proper_plural(count, dutch_label):
    label = dict(pages.states(entry_with(count)))["warnings"]
    assert label == f"{count} warning{'s' if count != 1 else ''}"  # the English id
    # As a page prints it: in its language.
    assert pages.env.from_string("{{ label }}").render(label=label, language="nl") == dutch_label
    assert pages.env.from_string("{{ label }}").render(label=label, language="en") == str(label)


def test_a_studio_in_english_shows_english(tmp_path):
    root = bad_practice(project_copy(tmp_path, variants=("trifold",)))
    studio = Studio(root, core.in_process_renderer(), language="en")  # not started: nothing built
    client = TestClient(create_app(studio, allowed_hosts=HOSTS, csrf="test-csrf"))
    page = client.get("/bestaat/niet")
    shown = text_of(page.text)
    assert page.status_code == 404 and "This page does not exist in the studio." in shown and "To the catalogue" in shown
    assert "Niet gevonden" not in shown
    editor = text_of(client.get("/practices/new").text)
    assert "New practice" in editor and "Name of the practice" in editor and "Nieuwe praktijk" not in editor
    answer = client.post("/practices/check", headers=CSRF, json={"values": {"name": "", "contact.website": "x"}})
    assert answer.json()["problems"]["contact.website"] == [
        'expected a web address like "https://www.example.nl/pagina", got "x"']
    refused = client.post("/practices/check", json={"values": {}})  # no CSRF token: the middleware's refusal
    assert refused.status_code == 403 and refused.text.startswith("This request was refused")


def test_a_translations_language_check_is_of_its_own_text():
    """The leaflet page of a translation shows the check of the translated units (their file, no
    Dutch Flesch-Douma), the Dutch leaflet the check of its sections."""
    from leaflet_gen.content.loaded import LeafletId
    from leaflet_gen.content.project import Project

    project = Project.open(ROOT)
    arabic = core.facts(project, LeafletId("fysio-delinde", "lage-rugpijn", "fysiotherapie", "trifold", "ar"))
    dutch = core.facts(project, LeafletId("fysio-delinde", "lage-rugpijn", "fysiotherapie", "trifold"))
    assert {r.file for r in arabic.lint} == {"content/lage-rugpijn/translations/ar.xlf"}
    assert all(r.flesch_douma is None for r in arabic.lint) and all(r.flesch_douma for r in dutch.lint)
    assert [r.section for r in arabic.lint] == [r.section for r in dutch.lint]
    assert [r.average for r in arabic.lint] != [r.average for r in dutch.lint]  # other words counted
