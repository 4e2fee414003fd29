"""The practice editor's routes, with Starlette's test client over an in-process studio.

Fast checks of what the browser test drives end to end: the form covers every key of
practice.yaml, a draft gets the messages `leaflet-gen check` gives, colours their consequences,
logos the build's checks; saving keeps comments and refuses a lost update.
"""

from __future__ import annotations

import struct
import zlib

import pytest
from starlette.testclient import TestClient
from studio_support import drafts_given_up, nl, png, project_copy, schema_with_more, started_studio

from leaflet_gen import api
from leaflet_gen.studio import assets, core_practice, drafts, editor
from leaflet_gen.studio.app import create_app
from leaflet_gen.studio.labels import FIELDS, TRANSLATED_FIELDS

HOSTS = {"testserver"}
CSRF = {"X-CSRF-Token": "test-csrf"}
GOOD = {"name": "Fysiotherapie Het Anker", "contact.address": "Havenstraat 3, 8011 AB Zwolle",
        "contact.phone": "038 123 45 67", "colours.primary": "#1B5E20", "audiences": ["fysiotherapie"]}


@pytest.fixture(scope="module")
def studio(tmp_path_factory):
    with started_studio(project_copy(tmp_path_factory.mktemp("editor"), variants=("trifold",))) as studio:
        yield studio


@pytest.fixture(scope="module")
def client(studio):
    return TestClient(create_app(studio, allowed_hosts=HOSTS, csrf="test-csrf"))


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` x ``height`` pixels (a decompression bomb's header)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))


def upload(client, data: bytes, name: str):
    return client.post("/practices/logo", content=data, headers={**CSRF, "X-File-Name": name})


def test_the_form_has_every_key_of_practice_yaml(client):
    keys = [f.key for f in core_practice.practice_fields()]
    assert [f.key for f in editor.form_fields()] == keys
    assert sorted(f.key for _, group in editor.groups() for f in group) == sorted(keys)
    own = [key for key in keys if not key.startswith("translations.")]
    assert all(key in FIELDS for key in own)  # every key has its Dutch label and help
    # The practice's own words per language: one label and help for each language (pages.py).
    assert {key.split(".")[2] for key in keys if key not in own} == set(TRANSLATED_FIELDS)
    html = client.get("/practices/new").text
    for key in own:
        assert f'data-field="{key}"' in html
    # The catalogue's reload-on-change script is not here.
    assert assets.url("editor.js") in html and assets.url("studio.js") not in html


def test_a_key_added_to_the_schema_is_on_the_form_and_checked(client, monkeypatch):
    """With no edit but the schema's (tests/studio/test_practice_keys.py has the wizard's side)."""
    schema_with_more(monkeypatch)
    html = client.get("/practices/new").text
    contact = html[html.index(f"<legend>{nl('Contact (back of the leaflet)')}</legend>"):]
    contact = contact[:contact.index("</fieldset>")]
    assert contact.index('data-field="contact.opening_hours"') < contact.index('data-field="contact.emergency_phone"') \
        < contact.index('data-field="qr_url"')
    assert 'id="f-contact.emergency_phone" data-key="contact.emergency_phone"' in contact
    draft = {**GOOD, "contact.emergency_phone": "0900 12"}
    answer = client.post("/practices/check", json={"values": draft}, headers=CSRF).json()
    assert answer["problems"]["contact.emergency_phone"][0].startswith("verwacht een telefoonnummer zoals")


def test_a_draft_gets_the_messages_check_gives(client, studio, tmp_path):
    draft = {**GOOD, "contact.phone": "038 12", "contact.website": "anker"}  # www.anker.nl: completed
    answer = client.post("/practices/check", json={"values": draft}, headers=CSRF).json()
    assert not answer["ok"]
    assert answer["id"] == "fysiotherapie-het-anker"
    # The same file written by hand, checked by `leaflet-gen check`: the same words.
    root = project_copy(tmp_path, variants=("trifold",))
    folder = root / "practices" / "anker"
    folder.mkdir()
    (folder / "logo.png").write_bytes(png(1000, 333))
    (folder / "practice.yaml").write_text(
        'name: "Fysiotherapie Het Anker"\nlogo: logo.png\ncolours:\n  primary: "#1B5E20"\ncontact:\n'
        '  address: "Havenstraat 3, 8011 AB Zwolle"\n  phone: "038 12"\n  website: "anker"\n', encoding="utf-8")
    report = api.check_project(root, ["anker"])
    by_key = {p.key: p.message for p in report.problems}
    # The studio says them in Dutch, the CLI in English: the same messages of the catalogue.
    assert answer["problems"]["contact.phone"] == [nl(by_key["contact.phone"])]
    assert answer["problems"]["contact.website"] == [nl(by_key["contact.website"])]
    assert "030 123 45 67" in by_key["contact.phone"] and by_key["contact.phone"].startswith("expected a phone number")
    assert answer["problems"]["contact.website"] == [
        "verwacht een webadres zoals „https://www.example.nl/pagina”, maar er staat „anker”"]
    assert answer["problems"]["logo"] == [nl("Choose a logo file (SVG, PNG or JPEG).")]


def test_cmyk_and_audience_problems_land_on_their_fields(client):
    draft = {**GOOD, "colours.cmyk.primary": ["85", "35", "x", ""], "colours.cmyk.accent": ["1", "2", "3", "4"],
             "audiences": []}
    problems = client.post("/practices/check", json={"values": draft}, headers=CSRF).json()["problems"]
    assert problems["colours.cmyk.primary"] == ['verwacht een getal, maar er staat "x"']
    assert problems["audiences"] == ["verwacht minstens 1 punt, maar er staan er 0"]


def test_colours_show_text_contrast_heading_cmyk_and_gamut(client):
    light = client.post("/practices/check", json={"values": {**GOOD, "colours.primary": "#FFE680"}},
                        headers=CSRF).json()["colours"]
    primary = light["primary"]
    assert primary["text_on"] == "#1A1A1A" and primary["contrast"] >= 4.5
    assert primary["darkened"] and primary["heading"] != "#FFE680"
    assert any("Te licht" in w for w in primary["warnings"])
    assert light["accent"]["default"] and light["accent"]["colour"] == "#FFE680"
    green = client.post("/practices/check", json={"values": {**GOOD, "colours.primary": "#00FF00"}},
                        headers=CSRF).json()["colours"]["primary"]
    assert green["out_of_gamut"] and any("CMYK" in w for w in green["warnings"])
    exact = client.post("/practices/check", json={"values": {**GOOD, "colours.cmyk.primary": ["85", "35", "20", "15"]}},
                        headers=CSRF).json()["colours"]["primary"]
    assert exact["cmyk"] == [85, 35, 20, 15] and "eigen CMYK" in " ".join(exact["lines"])


@pytest.mark.parametrize("data, name, expected", [
    (b"%PDF-1.4 not an image", "logo.png", "Logo geweigerd: „logo.png” is geen PNG-, JPEG- of SVG-afbeelding"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "logo.svg", "bevat <script>"),
    (png(300, 100), "logo.png", "ongeveer 103 ppi"),
    (png_header_only(60_000, 60_000), "bom.png", "te veel pixels"),
    (png_header_only(9_000, 9_000), "groot.png", "te veel pixels"),
    (b"", "leeg.png", "is leeg"),
])
def test_bad_logos_are_refused_with_the_builds_message(client, data, name, expected):
    answer = upload(client, data, name)
    assert answer.status_code == 422
    assert not answer.json()["ok"] and expected in answer.json()["message"]


def test_a_logo_over_10_mb_is_refused_before_it_is_read(client):
    answer = client.post("/practices/logo", content=b"\0" * (drafts.MAX_LOGO_BYTES + 100 * 1024),
                         headers={**CSRF, "X-File-Name": "groot.png"})
    assert answer.status_code == 413 and "10 MB" in answer.text


def test_upload_needs_the_csrf_token(client):
    assert upload(client, png(1000, 333), "logo.png").status_code == 200
    assert client.post("/practices/logo", content=png(1000, 333)).status_code == 403
    assert client.post("/practices/logo", content=png(1000, 333), headers={"X-CSRF-Token": "wrong"}).status_code == 403


def test_preview_renders_cover_and_back_of_the_unsaved_draft(client, studio):
    token = upload(client, png(1000, 333), "anker.png").json()["token"]
    answer = client.post("/practices/preview", json={"values": GOOD, "upload": token}, headers=CSRF).json()
    assert answer["ok"], answer
    assert set(answer["pictures"]) == {"panel-cover", "panel-back"}
    picture = client.get(answer["pictures"]["panel-cover"])
    assert picture.content.startswith(b"\x89PNG")
    assert not (studio.root / "practices" / "fysiotherapie-het-anker").exists()  # nothing saved
    whole = client.post("/practices/preview", json={"values": GOOD, "upload": token, "whole": True},
                        headers=CSRF).json()
    assert set(whole["pictures"]) == {"sheet-outside", "sheet-inside"}
    waiting = client.post("/practices/preview", json={"values": {**GOOD, "contact.phone": "1"}}, headers=CSRF).json()
    assert not waiting["ok"] and waiting["message"] == nl("The preview waits until the errors in the form are fixed.")


def test_save_a_new_practice_then_it_loads_like_any_other(client, studio):
    token = upload(client, png(1000, 333), "anker.png").json()["token"]
    answer = client.post("/practices/save", json={"values": {**GOOD, "contact.opening_hours": "ma–vr 8–17 uur"},
                                                  "upload": token}, headers=CSRF)
    assert answer.status_code == 200, answer.text
    folder = studio.root / "practices" / "fysiotherapie-het-anker"
    assert answer.json()["url"] == "/practices/fysiotherapie-het-anker?saved=1"
    loaded = core_practice.load_practice_fresh(studio.project, folder)
    assert loaded.data.contact.opening_hours == "ma–vr 8–17 uur" and loaded.logo_kind == "png"
    text = (folder / "practice.yaml").read_text(encoding="utf-8")  # as new-practice writes it: commented
    assert "# The practice's name, as printed on the leaflet" in text
    assert 'logo_alt: "Logo van Fysiotherapie Het Anker"' in text  # the wizard's description of the logo
    again = client.post("/practices/save", json={"values": GOOD, "upload": token}, headers=CSRF)
    assert again.status_code == 409 and again.json()["message"] == nl("Not saved: first fix the errors in the form "
                                                                      "(marked in red).")
    assert "is al in gebruik" in again.json()["problems"]["id"][0]


def test_edit_keeps_comments_order_and_the_colors_spelling(client, studio):
    target = studio.root / "practices" / "fysio-delinde" / "practice.yaml"
    original = target.read_text(encoding="utf-8").replace("colours:", "colors:")
    # Not a field of the form (one per language): kept as the file has it.
    original += 'translations:\n  en:\n    opening_hours: "Mon–Fri 8.00–20.00"   # checked by the practice\n'
    target.write_text(original, encoding="utf-8")
    opened = editor.open_practice(studio.project, "fysio-delinde")
    values = editor.form_values(opened.data)
    values.update({"contact.phone": "030 765 43 21", "contact.email": "", "colours.cmyk.primary": ["85", "35", "20", "15"]})
    answer = client.post("/practices/save", json={"values": values, "practice": "fysio-delinde",
                                                  "version": opened.version}, headers=CSRF)
    assert answer.status_code == 200, answer.text
    text = target.read_text(encoding="utf-8")
    assert 'phone: "030 765 43 21"' in text and "info@fysiodelinde.nl" not in text
    assert "colors:" in text and "colours:" not in text
    assert "cmyk:" in text and "primary: [85, 35, 20, 15]" in text
    changed = {"phone", "email", "colors", "cmyk", "primary: [85"}
    kept = [line for line in original.splitlines() if not any(word in line for word in changed)]
    for line in kept:  # every other line, comments included, is still there as it was
        assert line in text.splitlines(), line
    saved = core_practice.load_practice_fresh(studio.project, target.parent).data
    assert saved.colours.cmyk.primary == (85, 35, 20, 15) and saved.texts_in("en").opening_hours == "Mon–Fri 8.00–20.00"


def test_save_after_an_outside_change_is_refused(client, studio):
    target = studio.root / "practices" / "fysio-delinde" / "practice.yaml"
    opened = editor.open_practice(studio.project, "fysio-delinde")
    outside = target.read_text(encoding="utf-8").replace("Lindelaan 12", "Lindelaan 14")
    target.write_text(outside, encoding="utf-8")
    values = {**editor.form_values(opened.data), "name": "Fysiotherapie De Linde en Co"}
    answer = client.post("/practices/save", json={"values": values, "practice": "fysio-delinde",
                                                  "version": opened.version}, headers=CSRF)
    assert answer.status_code == 409 and "buiten de studio gewijzigd" in answer.json()["message"]
    assert target.read_text(encoding="utf-8") == outside


def test_unknown_practice_is_not_found(client):
    assert client.get("/practices/..%2F..%2Fetc").status_code == 404
    assert client.get("/practices/nope").status_code == 404
    answer = client.post("/practices/check", json={"values": GOOD, "practice": "../content"}, headers=CSRF)
    assert answer.status_code == 404


def test_read_only_hides_the_forms_and_writes_nothing(studio):
    studio.read_only = True
    try:
        client = TestClient(create_app(studio, allowed_hosts=HOSTS, csrf="test-csrf"))
        catalogue = client.get("/").text
        assert "/practices/new" not in catalogue
        assert client.get("/practices/new").status_code == 403
        assert client.get("/practices/fysio-delinde").status_code == 403
        answer = client.post("/practices/save", json={"values": GOOD}, headers=CSRF)
        assert answer.status_code == 403
        assert upload(client, png(1000, 333), "logo.png").status_code == 403
    finally:
        studio.read_only = False


def test_the_practices_own_words_per_language_are_on_the_form_for_the_projects_languages(client, studio):
    """The languages the project has translations in (en, ar, tr, pl here): their opening hours and
    logo description, labelled with the language; saved under translations, a language the form
    does not offer kept as the file has it."""
    html = client.get("/practices/fysio-delinde").text
    group = html[html.index(f"<legend>{nl('In other languages')}</legend>"):]
    group = group[:group.index("</fieldset>")]
    assert 'data-field="translations.en.opening_hours"' in group and 'data-field="translations.ar.logo_alt"' in group
    assert "Openingstijden (niet verplicht) · Engels" in group and "Beschrijving van het logo (niet verplicht) · Arabisch" in group
    assert "zoals de folders in het Engels ze drukken" in group
    target = studio.root / "practices" / "fysio-delinde" / "practice.yaml"
    original = target.read_text(encoding="utf-8")
    by_hand = original if "translations:\n" in original else original + "translations:\n"
    target.write_text(by_hand.replace("translations:\n", 'translations:\n  de:\n    opening_hours: "Mo–Fr 8.00–20.00"'
                                      "   # by hand\n", 1), encoding="utf-8")
    try:
        opened = editor.open_practice(studio.project, "fysio-delinde")
        values = {**editor.form_values(opened.data), "translations.en.opening_hours": "Mon–Fri 8.00–20.00"}
        answer = client.post("/practices/save", json={"values": values, "practice": "fysio-delinde",
                                                      "version": opened.version}, headers=CSRF)
        assert answer.status_code == 200, answer.text
        saved = core_practice.load_practice_fresh(studio.project, target.parent).data
        assert saved.texts_in("en").opening_hours == "Mon–Fri 8.00–20.00"
        assert saved.texts_in("de").opening_hours == "Mo–Fr 8.00–20.00"
        # Emptied on the form: gone from the file; what the form does not hold stays, with its comment.
        opened = editor.open_practice(studio.project, "fysio-delinde")
        values = {**editor.form_values(opened.data), "translations.en.opening_hours": ""}
        answer = client.post("/practices/save", json={"values": values, "practice": "fysio-delinde",
                                                      "version": opened.version}, headers=CSRF)
        assert answer.status_code == 200, answer.text
        text = target.read_text(encoding="utf-8")
        assert "Mon–Fri" not in text and "  en:" not in text
        assert 'opening_hours: "Mo–Fr 8.00–20.00"   # by hand' in text
    finally:
        target.write_text(original, encoding="utf-8")


def test_a_preview_given_up_for_newer_values_of_its_form_says_so_and_the_whole_leaflet_is_its_own(client, studio,
                                                                                                 monkeypatch):
    asked = drafts_given_up(studio, monkeypatch)
    values = editor.form_values(editor.open_practice(studio.project, "fysio-delinde").data)
    for whole in (False, True):
        answer = client.post("/practices/preview", json={"values": values, "practice": "fysio-delinde",
                                                         "stream": "page-1", "whole": whole}, headers=CSRF)
        assert answer.status_code == 200 and answer.json() == {"ok": False, "superseded": True}
    assert asked == ["practice:page-1", "practice:page-1:whole"]  # typing on does not give up the whole leaflet
