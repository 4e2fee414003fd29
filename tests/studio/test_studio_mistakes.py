"""A user's mistake in the studio is a Dutch message with a 4xx status, never an HTTP 500 or a
traceback (issue 28, item 4): ids too long for a folder name, a project that cannot be written,
odd values in addresses and forms - and random ones (a property test over every GET route)."""

from __future__ import annotations

import errno
import html
import json
import os
import shutil
import subprocess
import urllib.parse
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.routing import Route
from studio_support import TRIFOLD, nl, png, studio_fixtures

from leaflet_gen.studio import core_practice, editor

CSRF = {"X-CSRF-Token": "test-csrf"}
GOOD = {"name": "Fysiotherapie Het Anker", "contact.address": "Havenstraat 3, 8011 AB Zwolle",
        "contact.phone": "038 123 45 67", "colours.primary": "#1B5E20", "audiences": ["fysiotherapie"]}
BAD_QUERY = nl("Invalid address: the value of “%(name)s” is wrong. Open the page again from the catalogue.").split("„")[0]  # "Ongeldig adres: de waarde van "


studio, client = studio_fixtures("mistakes")


def upload(client) -> str:
    answer = client.post("/practices/logo", content=png(1000, 333), headers={**CSRF, "X-File-Name": "anker.png"})
    assert answer.status_code == 200, answer.text
    return answer.json()["token"]


# --- ids too long for a folder name -----------------------------------------------------------------


@pytest.mark.parametrize("length", [61, 248, 251, 255, 256, 300, 5000])
def test_an_id_too_long_for_a_folder_is_refused_at_its_field(client, studio, length):
    practice_id = "a" * length
    answer = client.post("/practices/check", json={"values": {**GOOD, "id": practice_id}}, headers=CSRF).json()
    assert answer["problems"]["id"] == [nl("Too long: %(n)s characters. The short name becomes the name of a folder "
                                           "and may have at most %(max)s characters.", n=length, max=core_practice.practice_id_max())]
    preview = client.post("/practices/preview", json={"values": {**GOOD, "id": practice_id}}, headers=CSRF).json()
    assert not preview["ok"] and preview["message"] == nl("The preview waits until the errors in the form are fixed.")
    saved = client.post("/practices/save", json={"values": {**GOOD, "id": practice_id}, "upload": upload(client)},
                        headers=CSRF)
    assert saved.status_code == 409 and saved.json()["problems"]["id"][0].startswith("Te lang")
    assert sorted(p.name for p in (studio.root / "practices").iterdir()) == ["fysio-delinde"]  # nothing left behind


def test_a_name_that_long_gets_an_id_that_fits(client):
    answer = client.post("/practices/check", json={"values": {**GOOD, "name": "Fysiotherapie " * 20}},
                         headers=CSRF).json()
    assert len(answer["id"]) <= core_practice.practice_id_max() and "id" not in answer["problems"]


def test_the_staging_folder_adds_nothing_to_the_length_of_an_id(client, studio):
    """An existing practice whose id is as long as a folder name may be (255) saves: the staging
    folder beside it used to be named after it, and too long for the file system."""
    practice_id = "b" * 255
    folder = studio.root / "practices" / practice_id
    shutil.copytree(studio.root / "practices" / "fysio-delinde", folder)
    text = (folder / "practice.yaml").read_text(encoding="utf-8")
    (folder / "practice.yaml").write_text(text.replace("id: fysio-delinde", f"id: {practice_id}"), encoding="utf-8")
    try:
        opened = editor.open_practice(studio.project, practice_id)
        values = {**editor.form_values(opened.data), "contact.phone": "030 765 43 21"}
        saved = client.post("/practices/save", json={"values": values, "practice": practice_id,
                                                     "version": opened.version}, headers=CSRF)
        assert saved.status_code == 200, saved.text
        assert '"030 765 43 21"' in (folder / "practice.yaml").read_text(encoding="utf-8")
        assert saved.json()["version"] == editor.open_practice(studio.project, practice_id).version
    finally:
        shutil.rmtree(folder)
    new = "c" * core_practice.practice_id_max()  # the longest id a new practice may have saves too
    saved = client.post("/practices/save", json={"values": {**GOOD, "id": new}, "upload": upload(client)},
                        headers=CSRF)
    assert saved.status_code == 200, saved.text
    shutil.rmtree(studio.root / "practices" / new)


# --- a project that cannot be written ---------------------------------------------------------------


@contextmanager
def read_only(root, monkeypatch):
    """``root`` on a read-only bind mount (as root, permissions would not stop a write); where
    mounting is not permitted, every write under it fails with EROFS instead."""
    mounted = subprocess.run(["mount", "--bind", str(root), str(root)], capture_output=True).returncode == 0
    if mounted and subprocess.run(["mount", "-o", "remount,ro,bind", str(root)], capture_output=True).returncode:
        subprocess.run(["umount", str(root)], check=True)
        mounted = False
    if not mounted:
        real_open, real_mkdir = os.open, os.mkdir

        def refuse(real):
            def call(path, *args, **kwargs):
                if str(path).startswith(str(root)) and (real is real_mkdir or args and args[0] & (
                        os.O_WRONLY | os.O_RDWR | os.O_CREAT)):
                    raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
                return real(path, *args, **kwargs)
            return call

        monkeypatch.setattr(os, "open", refuse(real_open))
        monkeypatch.setattr(os, "mkdir", refuse(real_mkdir))
    try:
        yield
    finally:
        if mounted:
            subprocess.run(["umount", str(root)], check=True)


def test_a_read_only_project_served_without_read_only_says_so(client, studio, monkeypatch):
    opened = editor.open_practice(studio.project, "fysio-delinde")
    values = {**editor.form_values(opened.data), "contact.phone": "030 765 43 21"}
    token = upload(client)  # the studio's own drafts folder (in /tmp) is writable
    with read_only(studio.root, monkeypatch):
        with pytest.raises(OSError):  # the folder really is read-only, also for root
            (studio.root / "practices" / "probe").mkdir()
        edit = client.post("/practices/save", json={"values": values, "practice": "fysio-delinde",
                                                    "version": opened.version}, headers=CSRF)
        new = client.post("/practices/save", json={"values": GOOD, "upload": token}, headers=CSRF)
        out = client.post(f"/leaflets/{TRIFOLD}/save", headers=CSRF)
    for answer in (edit, new):
        assert answer.status_code == 403, answer.text
        message = answer.json()["message"]
        assert message.startswith("Niet opgeslagen: de studio mag niet schrijven in practices/") and "--read-only" in message
    assert out.status_code == 403 and "--read-only" in html.unescape(out.text) and "Niet opgeslagen" in out.text
    assert "030 765 43 21" not in (studio.root / "practices" / "fysio-delinde" / "practice.yaml").read_text()


def test_a_full_disk_is_named_as_such(client, studio, monkeypatch):
    from leaflet_gen import files

    def full(written, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(files, "write_together", full)
    answer = client.post(f"/leaflets/{TRIFOLD}/save", headers=CSRF)
    assert answer.status_code == 507 and "de schijf is vol" in answer.text


# --- odd values in addresses and forms --------------------------------------------------------------


@pytest.mark.parametrize("url", [
    "/events?done=²", "/events?done=" + "9" * 5000, "/events?done=-1", "/events?done=1e5", "/events?done=1.2.3",
    "/events?done=%00", "/events?done=١٢", f"/events?leaflet={TRIFOLD}&done=²",
    f"/leaflets/{TRIFOLD}?saved=²", f"/leaflets/{TRIFOLD}?saved=" + "1" * 5000, "/practices/fysio-delinde?saved=ja",
])
def test_odd_query_values_are_a_dutch_400(client, url):
    answer = client.get(url)
    assert answer.status_code == 400, (url, answer.status_code)
    assert BAD_QUERY in html.unescape(answer.text)


def test_odd_header_values_are_a_dutch_400(client):
    assert client.get("/events", headers={"Last-Event-ID": "²".encode("latin-1")}).status_code == 400
    refused = client.post("/practices/check", content=b"{}", headers={**CSRF, "Content-Length": "²".encode("latin-1")})
    assert refused.status_code == 400 and "Content-Length" in refused.text


def test_numbers_in_addresses_are_never_turned_into_numbers(client, studio):
    good = studio.get(TRIFOLD).good
    for gen in ("9" * 5000, "²", str(good.gen)):
        answer = client.get(f"/leaflets/{TRIFOLD}/pictures/{gen}/thumb.png")
        assert answer.status_code == 200 and answer.content == good.thumb
    with client.stream("GET", f"/events?leaflet={TRIFOLD}&done={good.gen}.0") as stream:
        assert stream.status_code == 200


@pytest.mark.parametrize("body", [b"[" * 60_000, b'{"values": {"name": ' + b"9" * 5000 + b"}}", b"\xff\xfe",
                                  b'{"values": []}', b"[]", b'"x"', b"null"])
def test_odd_form_bodies_are_a_dutch_400(client, body):
    for route in ("check", "preview", "save"):
        answer = client.post(f"/practices/{route}", content=body, headers=CSRF)
        assert answer.status_code == 400 and answer.json()["message"] == nl("Invalid request: the studio cannot read "
                                                                            "it. Reload the page and try again.")


# --- random addresses at every GET route -------------------------------------------------------------

NASTY = ["", "²", "9" * 5000, "-1", "1.5", "1e9", "%", "%ff", "\x00", "..", "../../etc/passwd", "<script>", "ä",
         "١٢", "1.", ".1", " 1", "1 ", "０", "\ufeff", "a" * 300, TRIFOLD, "fysio-delinde", "1"]
PARAMS = ["done", "saved", "leaflet", "token", "gen", "name", "x"]


def fill(route: Route, draw) -> str:
    """The route's path with each parameter a known value or something odd."""
    known = dict(zip(("practice", "topic", "audience", "variant"), TRIFOLD.split("/")),
                 gen="1", name="thumb.png", token="x")
    path = route.path
    for name in route.param_convertors:
        value = draw(st.one_of(st.just(known.get(name, "x")), st.sampled_from(NASTY), st.text(max_size=20)))
        path = path.replace("{" + name + "}", urllib.parse.quote(value, safe="") or "x")
    return path


@st.composite
def requests(draw, routes):
    route = draw(st.sampled_from(routes))
    query = draw(st.lists(st.tuples(st.sampled_from(PARAMS) | st.text(max_size=5),
                                    st.sampled_from(NASTY) | st.text(max_size=30)), max_size=4))
    raw = draw(st.sampled_from(["", "&%ff=%fe", "&done", "&=", "&&", "&done=%C2%B2"]))
    return fill(route, draw) + "?" + urllib.parse.urlencode(query) + raw


def test_random_addresses_at_every_get_route_are_never_a_500(client):
    routes = [r for r in client.app.app.routes if isinstance(r, Route) and "GET" in (r.methods or ())]
    assert len(routes) >= 10  # every page, picture, download, script and the event stream

    @settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(requests(routes))
    def check(url: str) -> None:
        with client.stream("GET", url) as answer:  # the event stream: its status, then closed
            assert answer.status_code < 500, url
            if answer.status_code == 400:
                assert BAD_QUERY in html.unescape(answer.read().decode())

    check()


SCALAR = st.one_of(st.sampled_from(NASTY + ["1e400", "nan", "1,5", "#FFFFFF", "fysiotherapie", "logo.svg"]),
                   st.text(max_size=20), st.integers(), st.floats(), st.booleans(), st.none())


def test_random_form_values_are_never_a_500(client):
    """What the editor's form sends, with anything in any field (JSON allows NaN and Infinity too)."""
    keys = [f.key for f in core_practice.practice_fields()] + ["_leaflet", "x"]
    values = st.dictionaries(st.sampled_from(keys), SCALAR | st.lists(SCALAR, max_size=5)
                             | st.dictionaries(st.text(max_size=3), SCALAR, max_size=2))

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(values, st.sampled_from(["", "fysio-delinde", "nope", 5, None, ["x"]]), SCALAR)
    def check(values: dict, practice, other) -> None:
        body = {"values": values, "practice": practice, "upload": other, "whole": other, "version": other}
        answer = client.post("/practices/check", content=json.dumps(body), headers=CSRF)
        assert answer.status_code < 500 and "ok" in answer.json(), values

    check()
