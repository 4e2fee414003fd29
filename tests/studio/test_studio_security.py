"""The studio's safety rules: host check, access token, CSRF, read-only, path tricks, Ctrl-C."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import pytest
from starlette.testclient import TestClient
from studio_support import ROOT, TRIFOLD, free_port, project_copy

from leaflet_gen.studio import assets, core
from leaflet_gen.studio.app import create_app
from leaflet_gen.studio.server import allowed_hosts, is_loopback
from leaflet_gen.studio.state import Studio

TOKEN = "s3cret-token"


@pytest.fixture(scope="module")
def studio(tmp_path_factory):
    root = project_copy(tmp_path_factory.mktemp("secure"), variants=("trifold",))
    studio = Studio(root, core.in_process_renderer(), read_only=True)
    studio.start()
    assert studio.wait_idle(120)
    yield studio
    studio.stop()


def client_for(studio, **options) -> TestClient:
    app = create_app(studio, allowed_hosts={"testserver"}, csrf="the-csrf", **options)
    return TestClient(app, follow_redirects=False)


def test_other_host_requires_the_token(studio):
    client = client_for(studio, token=TOKEN)
    for url in ("/", f"/leaflets/{TRIFOLD}", f"/leaflets/{TRIFOLD}/pdf", "/events", assets.url("studio.js")):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "toegangstoken" in response.text
    assert client.get("/?token=wrong").status_code == 403
    assert client.get("/", cookies={"leaflet_studio_token": "wrong"}).status_code == 403
    # The token in the URL is swapped for a cookie and dropped from the address.
    first = client.get("/?token=" + TOKEN)
    assert first.status_code == 303 and first.headers["location"] == "/"
    assert "httponly" in first.headers["set-cookie"].lower() and "samesite=strict" in first.headers["set-cookie"].lower()
    assert client.get("/", cookies={"leaflet_studio_token": TOKEN}).status_code == 200


def test_unknown_host_header_is_refused(studio):
    client = client_for(studio)
    assert client.get("/", headers={"host": "evil.example:8000"}).status_code == 400
    assert client.get("/").status_code == 200


def test_post_needs_the_csrf_token(studio):
    client = client_for(studio)
    url = f"/leaflets/{TRIFOLD}/rebuild"
    assert client.post(url).status_code == 403
    assert client.post(url, data={"csrf_token": "guess"}).status_code == 403
    assert client.post(url, headers={"x-csrf-token": "guess"}).status_code == 403
    assert client.post(url, data={"csrf_token": "the-csrf"}).status_code == 303
    assert studio.wait_idle(60)


def test_get_and_other_methods_change_nothing(studio):
    client = client_for(studio)
    assert client.get(f"/leaflets/{TRIFOLD}/rebuild").status_code == 405
    assert client.put(f"/leaflets/{TRIFOLD}/save", data={"csrf_token": "the-csrf"}).status_code == 405
    assert client.delete(f"/leaflets/{TRIFOLD}").status_code == 405


def test_read_only_writes_nothing(studio):
    client = client_for(studio)
    html = client.get(f"/leaflets/{TRIFOLD}").text
    assert "/save" not in html and "Alleen lezen" in html
    response = client.post(f"/leaflets/{TRIFOLD}/save", data={"csrf_token": "the-csrf"})
    assert response.status_code == 403
    assert not (studio.root / "out").exists()


def test_save_writes_the_pdf_and_job_sheet_where_build_would(tmp_path):
    root = project_copy(tmp_path / "p", variants=("trifold",))
    studio = Studio(root, core.in_process_renderer())
    studio.start()
    try:
        assert studio.wait_idle(120)
        client = client_for(studio)
        response = client.post(f"/leaflets/{TRIFOLD}/save", data={"csrf_token": "the-csrf"})
        assert response.status_code == 303
        pdf = root / "out" / "fysio-delinde" / "lage-rugpijn-fysiotherapie-trifold.pdf"
        assert pdf.read_bytes() == studio.get(TRIFOLD).good.built.pdf
        assert pdf.with_suffix(".job.txt").is_file() and pdf.with_suffix(".job.json").is_file()
    finally:
        studio.stop()


@pytest.mark.parametrize("url", [
    "/leaflets/../../etc/passwd",
    "/leaflets/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/leaflets/fysio-delinde/lage-rugpijn/fysiotherapie/..%2f..%2fpractice.yaml",
    "/leaflets/fysio-delinde/..%2fpractices/fysiotherapie/trifold",
    "/leaflets/fysio-delinde/lage-rugpijn/fysiotherapie/trifold/pictures/1/..%2f..%2f..%2fpractice.yaml",
    "/leaflets/fysio-delinde/lage-rugpijn/fysiotherapie/trifold/pictures/1/%2e%2e",
    "/practices/fysio-delinde/practice.yaml",
    "/content/lage-rugpijn/topic.yaml",
    "/events?leaflet=../../etc/passwd",
])
def test_path_tricks_find_nothing(studio, url):
    response = client_for(studio).get(url)
    assert response.status_code == 404, url
    assert "root:" not in response.text and "audiences" not in response.text


def test_security_headers(studio):
    response = client_for(studio).get("/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_allowed_hosts_and_loopback():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")
    hosts = allowed_hosts("127.0.0.1", 8000)
    assert {"127.0.0.1:8000", "localhost:8000", "[::1]:8000"} <= hosts and "evil.example:8000" not in hosts
    assert allowed_hosts("0.0.0.0", 8000) is None  # reachable by any name: the token guards it


def group_members(pgid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                found.append(int(entry))
    return found


def start_server(root, *args):
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "leaflet_gen", "--project", str(root), "serve", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            start_new_session=True)


def test_other_host_prints_the_token_once_and_ctrl_c_stops_everything(tmp_path):
    root = project_copy(tmp_path / "p", variants=("trifold",))
    port = free_port()
    proc = start_server(root, "--host", "0.0.0.0", "--port", str(port))
    try:
        line = proc.stdout.readline()
        assert f":{port}/?token=" in line
        token = line.split("?token=")[1].split()[0]
        time.sleep(1.5)  # the render processes are forked and importing
        assert len(group_members(proc.pid)) >= 2  # the server and its render process(es)
        import urllib.error
        import urllib.request

        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10)
        assert refused.value.code == 403
        # The printed link works (the redirect carries the cookie that replaces the token).
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        with opener.open(f"http://127.0.0.1:{port}/?token={token}", timeout=10) as page:
            assert page.status == 200 and "Catalogus" in page.read().decode()
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C in a terminal reaches the whole group
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert "Traceback" not in err
    assert token not in out + err  # printed once, on the first line only
    deadline = time.time() + 5
    while group_members(proc.pid) and time.time() < deadline:
        time.sleep(0.1)
    assert group_members(proc.pid) == []


def test_port_in_use_is_a_plain_message(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = subprocess.run([sys.executable, "-m", "leaflet_gen", "--project", str(ROOT), "serve", "--port",
                               str(port)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert "cannot listen on 127.0.0.1" in proc.stderr and "--port" in proc.stderr
    assert "Traceback" not in proc.stderr
