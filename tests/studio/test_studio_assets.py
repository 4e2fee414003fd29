"""The studio's stylesheet and scripts: files in studio/static/, linked by a hash of their content,
kept by the browser until they change, and served with the same safety headers as every page."""

from __future__ import annotations

import re
import shutil

from studio_support import TRIFOLD, studio_fixtures

from leaflet_gen.studio import assets

studio, client = studio_fixtures("assets")

SAFETY_HEADERS = ("content-security-policy", "x-content-type-options", "referrer-policy", "x-frame-options")


def linked(html: str) -> tuple[list[str], list[str]]:
    return (re.findall(r'<link rel="stylesheet" href="([^"]+)">', html), re.findall(r'<script src="([^"]+)">', html))


def test_every_page_links_its_files_by_their_content_hash_and_inlines_none(client):
    editor = ["pictures.js", "editor.js"]  # pictures.js: the preview swap the content desk shares
    pages = {"/": ["studio.js"], f"/leaflets/{TRIFOLD}": ["studio.js", "zoom.js"], "/practices/new": editor,
             "/practices/fysio-delinde": editor, "/preflight": ["studio.js", "preflight.js"]}
    for url, names in pages.items():
        html = client.get(url).text
        styles, scripts = linked(html)
        assert styles == [assets.url("studio.css")] and scripts == [assets.url(n) for n in names], url
        assert re.fullmatch(r"/static/studio\.[0-9a-f]{12}\.css", styles[0])
        assert "<style" not in html and not re.search(r"<script(?![^>]*(src=|application/json))", html), url


def test_a_file_is_served_as_it_is_on_disk_and_kept_until_it_changes(client):
    for name, media in (("studio.css", "text/css"), ("studio.js", "text/javascript"), ("editor.js", "text/javascript")):
        response = client.get(assets.url(name))
        assert response.status_code == 200
        assert response.content == (assets.FOLDER / name).read_bytes()
        assert response.headers["content-type"].startswith(media)
        assert response.headers["cache-control"] == "private, max-age=31536000, immutable"
        etag = response.headers["etag"]
        assert etag.strip('"') in assets.url(name)
        for header in SAFETY_HEADERS:
            assert header in response.headers, (name, header)
        again = client.get(assets.url(name), headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag


def test_only_the_current_names_are_served(client):
    current = assets.url("studio.js").rsplit("/", 1)[1]
    stale = re.sub(r"\.[0-9a-f]{12}\.", ".000000000000.", current)
    for url in ("/static/studio.js", f"/static/{stale}", "/static/..%2fpages.py", "/static/%2e%2e",
                "/static/" + current.replace(".js", ".css"), "/studio.js", "/editor.js"):
        assert client.get(url).status_code == 404, url


def test_a_changed_file_gets_another_address(tmp_path):
    folder = tmp_path / "static"
    shutil.copytree(assets.FOLDER, folder)
    before = assets.read(folder)
    assert {name: a.url for name, a in before.items()} == {name: a.url for name, a in assets.assets().items()}
    (folder / "studio.css").write_text((folder / "studio.css").read_text() + "\n.new { color: red; }\n")
    after = assets.read(folder)
    assert after["studio.css"].url != before["studio.css"].url
    assert after["studio.js"].url == before["studio.js"].url


def test_the_wheel_ships_every_template_and_web_file():
    """pyproject.toml's package data names every file of templates/ and static/ (a wheel holds only those)."""
    import fnmatch
    import tomllib

    from studio_support import ROOT

    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    studio_folder = assets.FOLDER.parent
    files = [p.relative_to(studio_folder).as_posix() for folder in ("templates", "static")
             for p in (studio_folder / folder).rglob("*") if p.is_file()]
    assert files and all(any(fnmatch.fnmatch(f, pat) for pat in patterns["leaflet_gen.studio"]) for f in files), files
