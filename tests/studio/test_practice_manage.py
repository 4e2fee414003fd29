"""The practice editor without surprises (#32 item 4), server side: a taken folder name is said as it
is typed, a web address without https:// is completed on save, the logo advice's number is the
check's, and a practice is duplicated, renamed and deleted (asked first, a copy kept in .trash/)."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient
from studio_support import png, project_copy, started_studio

from leaflet_gen.content import logos
from leaflet_gen.studio import editor
from leaflet_gen.studio.app import create_app

CSRF = {"X-CSRF-Token": "test-csrf"}
FORM = {"csrf_token": "test-csrf"}


@pytest.fixture(scope="module")
def studio(tmp_path_factory):
    with started_studio(project_copy(tmp_path_factory.mktemp("manage"), variants=("trifold",))) as studio:
        yield studio


@pytest.fixture(scope="module")
def client(studio):
    return TestClient(create_app(studio, allowed_hosts={"testserver"}, csrf="test-csrf"), follow_redirects=False)


def test_a_taken_folder_name_is_flagged_while_the_rest_of_the_form_is_empty(client):
    typed = client.post("/practices/check", json={"values": {"id": "fysio-delinde"}}, headers=CSRF).json()
    assert typed["problems"]["id"] == ["De mapnaam „fysio-delinde” is al in gebruik door een andere praktijk "
                                       "(practices/fysio-delinde/); kies een andere."]
    from_name = client.post("/practices/check", json={"values": {"name": "Fysio De Linde"}}, headers=CSRF).json()
    assert from_name["id"] == "fysio-de-linde" and "id" not in from_name["problems"]
    taken = client.post("/practices/check", json={"values": {"name": "Fysio Delinde"}}, headers=CSRF).json()
    assert taken["id"] == "fysio-delinde" and "al in gebruik" in taken["problems"]["id"][0]
    free = client.post("/practices/check", json={"values": {"id": "fysio-nieuw"}}, headers=CSRF).json()
    assert "id" not in free["problems"]


@pytest.mark.parametrize(("typed", "saved"), [("www.fysiodelinde.nl", "https://www.fysiodelinde.nl"),
                                              ("fysiodelinde.nl/afspraak", "https://fysiodelinde.nl/afspraak"),
                                              ("https://www.fysiodelinde.nl", None), ("http://x.nl", None)])
def test_a_web_address_without_its_scheme_is_completed(typed, saved):
    assert editor.completed_url(typed) == (saved or typed)


def test_a_web_address_without_https_is_saved_completed_not_refused(client, studio):
    opened = editor.open_practice(studio.project, "fysio-delinde")
    values = {**editor.form_values(opened.data), "contact.website": "www.fysio-nieuw.nl"}
    checked = client.post("/practices/check", json={"values": values, "practice": "fysio-delinde"}, headers=CSRF).json()
    assert "contact.website" not in checked["problems"] and checked["ok"]
    assert checked["completed"] == {"contact.website": "https://www.fysio-nieuw.nl"}
    answer = client.post("/practices/save", json={"values": values, "practice": "fysio-delinde",
                                                  "version": opened.version}, headers=CSRF)
    assert answer.status_code == 200, answer.text
    assert answer.json()["completed"] == {"contact.website": "https://www.fysio-nieuw.nl"}
    text = (studio.root / "practices/fysio-delinde/practice.yaml").read_text(encoding="utf-8")
    assert re.search(r'\n  website: "https://www.fysio-nieuw.nl" +# optional: web address', text)  # comment kept
    assert 'data-completed="contact.website"' in client.get("/practices/fysio-delinde").text


def test_the_logo_advice_gives_the_one_number_the_check_uses(client):
    wanted = logos.min_logo_pixels()
    assert wanted == 875
    page = client.get("/practices/new").text
    assert f"minstens {wanted} pixels breed zijn (300 ppi over de 74 mm van de voorkant)" in page
    assert logos.inspect_logo(png(wanted, 100), "logo.png").warning is None
    short = logos.inspect_logo(png(wanted - 1, 100), "logo.png").warning
    assert short is not None and f"at least {wanted} pixels wide" in short


def test_duplicate_makes_a_copy_with_its_own_id(client, studio):
    answer = client.post("/practices/fysio-delinde/duplicate", data={**FORM, "new_id": "fysio-delinde-oost"})
    assert answer.status_code == 303 and answer.headers["location"] == "/practices/fysio-delinde-oost?made=copy"
    copy = studio.root / "practices/fysio-delinde-oost"
    text = (copy / "practice.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server")  # comments kept
    assert re.search(r"\nid: fysio-delinde-oost +# short code", text)
    assert 'name: "Fysiotherapie De Linde (kopie)"' in text
    assert (copy / "logo.svg").read_bytes() == (studio.root / "practices/fysio-delinde/logo.svg").read_bytes()
    page = client.get(answer.headers["location"]).text
    assert "Kopie gemaakt: practices/fysio-delinde-oost/." in page
    assert editor.open_practice(studio.project, "fysio-delinde-oost") is not None


@pytest.mark.parametrize(("new_id", "status", "words"), [
    ("fysio-delinde", 409, "De mapnaam „fysio-delinde” is al in gebruik"),
    ("Fysio Oost", 400, "„Fysio Oost” kan geen mapnaam zijn"),
    ("../content", 400, "kan geen mapnaam zijn"),
    ("", 400, "Typ een nieuwe mapnaam."),
])
def test_a_taken_or_invalid_new_name_is_refused_in_dutch(client, studio, new_id, status, words):
    before = sorted(p.name for p in (studio.root / "practices").iterdir())
    for action in ("duplicate", "rename"):
        answer = client.post(f"/practices/fysio-delinde/{action}", data={**FORM, "new_id": new_id})
        assert answer.status_code == status and words in answer.text
    assert sorted(p.name for p in (studio.root / "practices").iterdir()) == before


def test_rename_moves_the_folder_and_its_id(client, studio):
    answer = client.post("/practices/fysio-delinde-oost/rename", data={**FORM, "new_id": "fysio-oost"})
    assert answer.status_code == 303 and answer.headers["location"] == "/practices/fysio-oost?made=rename"
    assert not (studio.root / "practices/fysio-delinde-oost").exists()
    text = (studio.root / "practices/fysio-oost/practice.yaml").read_text(encoding="utf-8")
    assert re.search(r"\nid: fysio-oost +# short code", text)
    assert "Hernoemd: de map van de praktijk is nu practices/fysio-oost/." in client.get(answer.headers["location"]).text
    assert client.get("/practices/fysio-delinde-oost").status_code == 404


def test_delete_asks_first_then_keeps_a_copy_in_the_trash(client, studio):
    asked = client.get("/practices/fysio-oost/delete")
    assert asked.status_code == 200 and "<h1>Fysiotherapie De Linde (kopie) verwijderen?</h1>" in asked.text
    assert 'action="/practices/fysio-oost/delete"' in asked.text and (studio.root / "practices/fysio-oost").exists()
    assert client.post("/practices/fysio-oost/delete", data={}).status_code == 403  # no form token: nothing moves
    assert (studio.root / "practices/fysio-oost").exists()
    done = client.post("/practices/fysio-oost/delete", data=FORM)
    assert done.status_code == 200
    kept = list((studio.root / ".trash/practices").iterdir())
    assert len(kept) == 1 and kept[0].name.startswith("fysio-oost-") and (kept[0] / "practice.yaml").is_file()
    assert f"Een kopie staat in .trash/practices/{kept[0].name} in de projectmap" in done.text
    assert not (studio.root / "practices/fysio-oost").exists()
    assert client.get("/practices/fysio-oost/delete").status_code == 404
    assert client.get("/practices/fysio-delinde/frobnicate").status_code == 404
