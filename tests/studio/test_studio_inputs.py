"""The studio reads the project's files as `leaflet-gen check` does (issue 28, item 3).

A practice.yaml or logo that is a pipe, a folder, a link out of the project, huge or not UTF-8 is
refused with the located problem in a Dutch page (422), never opened, never a 500; and the reading
happens off the event loop, so one slow file never holds the other pages.
"""

from __future__ import annotations

import html
import os
import threading
import time
import urllib.error
import urllib.request

import pytest
from studio_support import free_port, nl, project_copy, running_studio, served, studio_fixtures

from leaflet_gen.studio import assets, core_practice, drafts, editor

CSRF = {"X-CSRF-Token": "test-csrf"}
FRAME = nl("The studio cannot open this file: %(problem)s. Repair the file (`leaflet-gen check` says the same) and "
           "reload the page.").split("%(")[0]  # "De studio kan dit bestand niet openen: "
GOOD_YAML = ('name: "Praktijk Geheim"\nlogo: logo.svg\ncolours:\n  primary: "#1B5E20"\ncontact:\n'
             '  address: "Havenstraat 3, 8011 AB Zwolle"\n  phone: "038 123 45 67"\naudiences: [fysiotherapie]\n')
SECRET_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100"><title>GEHEIM-LOGO</title>'
              '<rect width="300" height="100" fill="#123456"/></svg>')


studio, client = studio_fixtures("inputs")


def practice(studio, name: str, make) -> str:
    """practices/<name>/ with a practice.yaml that ``make(path)`` makes; the logo is a plain file."""
    folder = studio.root / "practices" / name
    folder.mkdir()
    (folder / "logo.svg").write_text(SECRET_SVG, encoding="utf-8")
    make(folder / "practice.yaml")
    return name


def sparse(path, size: int) -> None:
    with open(path, "wb") as fh:
        fh.write(b"name: x\n")
        fh.truncate(size)  # a file of that size, made at once


@pytest.mark.parametrize("name, make, problem", [
    ("pijp", os.mkfifo, "is geen gewoon bestand (een pipe, apparaat of socket)"),
    ("map", lambda p: p.mkdir(), "is een map"),
    ("groot", lambda p: sparse(p, 200 * 1024 * 1024), "het bestand is 204800 KiB; folderbestanden mogen hoogstens 256 KiB zijn"),
    ("latijn", lambda p: p.write_bytes(GOOD_YAML.replace("Geheim", "Café").encode("latin-1")),
     "het bestand is geen UTF-8-tekst (byte 19); sla het op als UTF-8"),
    ("kapot", lambda p: p.write_text("name: [\n", encoding="utf-8"), "ongeldige YAML"),
    ("dubbel", lambda p: p.write_text(GOOD_YAML + 'name: "Twee"\n', encoding="utf-8"), '„name” staat twee keer in dit blok'),
])
def test_a_practice_yaml_check_refuses_is_a_dutch_page_not_a_500(studio, client, name, make, problem):
    practice(studio, name, make)
    started = time.perf_counter()
    page = client.get(f"/practices/{name}")
    assert time.perf_counter() - started < 2  # refused before anything is read
    assert page.status_code == 422, page.text
    text = html.unescape(page.text)
    assert FRAME in text and f"practices/{name}/practice.yaml" in text and problem in text
    # The form's requests say the same, as JSON the editor's script shows.
    answer = client.post("/practices/check", json={"values": {}, "practice": name}, headers=CSRF)
    assert answer.status_code == 422 and problem in answer.json()["message"] and not answer.json()["ok"]


def test_a_practice_yaml_linked_from_outside_the_project_is_not_shown(studio, client, tmp_path):
    outside = tmp_path / "elders"
    outside.mkdir()
    (outside / "practice.yaml").write_text(GOOD_YAML, encoding="utf-8")
    practice(studio, "link", lambda p: p.symlink_to(outside / "practice.yaml"))
    page = client.get("/practices/link")
    assert page.status_code == 422
    assert "buiten het project" in page.text and "Praktijk Geheim" not in page.text


def test_a_logo_linked_from_outside_is_refused_at_its_field_and_never_rendered(studio, client, tmp_path):
    (tmp_path / "logo.svg").write_text(SECRET_SVG, encoding="utf-8")
    name = practice(studio, "logolink", lambda p: p.write_text(GOOD_YAML, encoding="utf-8"))
    logo = studio.root / "practices" / name / "logo.svg"
    logo.unlink()
    logo.symlink_to(tmp_path / "logo.svg")
    page = client.get(f"/practices/{name}")
    assert page.status_code == 200 and "Praktijk Geheim" in page.text  # the form opens: the file is fine
    opened = editor.open_practice(studio.project, name)
    values = editor.form_values(opened.data)
    answer = client.post("/practices/check", json={"values": values, "practice": name}, headers=CSRF).json()
    assert answer["problems"]["logo"] == ["het logo moet een bestand in de map van de praktijk zijn"]
    preview = client.post("/practices/preview", json={"values": values, "practice": name}, headers=CSRF).json()
    assert preview["ok"] and preview["logo_placeholder"]  # the dashed frame, not the linked file
    saved = client.post("/practices/save", json={"values": values, "practice": name, "version": opened.version},
                        headers=CSRF)
    assert saved.status_code == 409 and "het logo moet een bestand in" in saved.json()["problems"]["logo"][0]


@pytest.mark.parametrize("kind, make, problem", [
    ("pijp", os.mkfifo, '„logo.svg”: is geen gewoon bestand (een pipe, apparaat of socket); verwacht een PNG-, JPEG- of SVG-afbeelding'),
    ("groot", lambda p: sparse(p, 200 * 1024 * 1024), '„logo.svg”: het bestand is 204800 KiB; logo’s mogen hoogstens 10240 KiB zijn'),
])
def test_a_logo_that_is_a_pipe_or_huge_is_not_read(studio, client, kind, make, problem):
    name = practice(studio, f"logo-{kind}", lambda p: p.write_text(GOOD_YAML, encoding="utf-8"))
    logo = studio.root / "practices" / name / "logo.svg"
    logo.unlink()
    make(logo)
    values = editor.form_values(editor.open_practice(studio.project, name).data)
    started = time.perf_counter()
    answer = client.post("/practices/check", json={"values": values, "practice": name}, headers=CSRF).json()
    assert answer["problems"]["logo"] == [problem]
    assert client.post("/practices/preview", json={"values": values, "practice": name},
                       headers=CSRF).json()["logo_placeholder"]
    assert time.perf_counter() - started < 10


def test_a_colour_profile_that_is_a_pipe_is_refused_at_its_field(studio, client):
    pipe = studio.root / "practices" / "fysio-delinde" / "drukker.icc"
    os.mkfifo(pipe)
    values = editor.form_values(editor.open_practice(studio.project, "fysio-delinde").data)
    values["print_shop.icc_profile"] = "drukker.icc"
    try:
        answer = client.post("/practices/check", json={"values": values, "practice": "fysio-delinde"},
                             headers=CSRF).json()
    finally:
        pipe.unlink()
    assert answer["problems"]["print_shop.icc_profile"] == [
        "practices/fysio-delinde/drukker.icc is not a regular file (a pipe, device or socket); expected an ICC "
        "colour profile"]


def test_a_slow_read_holds_no_other_page(studio, monkeypatch):
    """The editor reads practice.yaml on a worker thread: while that read hangs (a pipe nobody
    writes, a stalled network share), the catalogue and other pages still answer."""
    entered, release = threading.Event(), threading.Event()
    real = core_practice.read_practice_yaml

    def hanging(project, folder):
        entered.set()
        release.wait(30)
        return real(project, folder)

    monkeypatch.setattr(core_practice, "read_practice_yaml", hanging)
    answers: dict[str, int] = {}
    with served(studio) as url:
        def edit() -> None:
            with urllib.request.urlopen(f"{url}/practices/fysio-delinde", timeout=40) as page:
                answers["edit"] = page.status

        reader = threading.Thread(target=edit, daemon=True)
        reader.start()
        assert entered.wait(10)  # the edit page's read has started, and hangs
        for path in ("/", "/practices/new", assets.url("studio.css")):
            with urllib.request.urlopen(url + path, timeout=5) as page:
                answers[path] = page.status
        assert "edit" not in answers
        release.set()
        reader.join(20)
    assert answers == {"/": 200, "/practices/new": 200, assets.url("studio.css"): 200, "edit": 200}


def test_a_real_server_with_a_pipe_for_practice_yaml_answers_and_stops_on_ctrl_c(tmp_path):
    """The reproduction: `leaflet-gen serve`, a FIFO named practice.yaml, its editor page opened.
    It used to freeze the whole studio (Ctrl-C ignored); running_studio asserts a clean stop."""
    root = project_copy(tmp_path / "p", variants=("trifold",))
    (root / "practices" / "pijp").mkdir()
    os.mkfifo(root / "practices" / "pijp" / "practice.yaml")
    with running_studio(root, free_port()) as url:
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{url}/practices/pijp", timeout=10)
        assert refused.value.code == 422 and "is geen gewoon bestand" in refused.value.read().decode()
        with urllib.request.urlopen(url + "/", timeout=10) as page:
            assert page.status == 200


# --- logos too costly to draw (item 8): refused like the build refuses them; the preview is time-boxed


def costly_svg() -> bytes:
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100"><path d="M1 1'
            + " l1 1 l-1 -1" * 250_000 + '"/></svg>').encode()


def test_a_logo_with_a_3_mb_path_is_refused_on_upload_and_in_a_practice(studio, client):
    started = time.perf_counter()
    answer = client.post("/practices/logo", content=costly_svg(), headers={**CSRF, "X-File-Name": "logo.svg"})
    assert answer.status_code == 422
    assert "heeft een pad van 3,000,004 tekens (hoogstens 500,000); vereenvoudig het logo" in answer.json()["message"]
    name = practice(studio, "duur", lambda p: p.write_text(GOOD_YAML, encoding="utf-8"))
    (studio.root / "practices" / name / "logo.svg").write_bytes(costly_svg())
    values = editor.form_values(editor.open_practice(studio.project, name).data)
    checked = client.post("/practices/check", json={"values": values, "practice": name}, headers=CSRF).json()
    assert "heeft een pad van 3,000,004 tekens" in checked["problems"]["logo"][0]
    preview = client.post("/practices/preview", json={"values": values, "practice": name}, headers=CSRF).json()
    assert preview["logo_placeholder"]  # not the 17 s it took to draw
    assert time.perf_counter() - started < 10


def test_a_preview_that_takes_too_long_is_given_up_with_a_message(studio, client, monkeypatch):
    from concurrent.futures import Future

    monkeypatch.setattr(drafts, "PREVIEW_SECONDS", 0.2)
    monkeypatch.setattr(studio, "render_draft", lambda prepared, stream="": Future())  # a render that never ends
    values = editor.form_values(editor.open_practice(studio.project, "fysio-delinde").data)
    answer = client.post("/practices/preview", json={"values": values, "practice": "fysio-delinde"}, headers=CSRF)
    assert answer.status_code == 200
    assert answer.json() == {"ok": False, "message": nl("The preview took longer than %(seconds)s seconds and was "
                                                        "stopped. Usually a too complicated logo is the cause: "
                                                        "simplify it in a drawing program or use a PNG.", seconds=0.2)}
