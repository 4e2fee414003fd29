"""Helpers for the studio tests: a small copy of the project to edit, and a studio over it."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TRIFOLD = "fysio-delinde/lage-rugpijn/fysiotherapie/trifold"
SCREEN = "fysio-delinde/lage-rugpijn/fysiotherapie/screen"
SECTION = "content/lage-rugpijn/fysio-doel.yaml"  # a short section on the inner flap (outside sheet)
SENTENCE = "Heb je je doelen bereikt? Dan stop je met de behandeling."


# The studio's quiet period in these tests (see started_studio).
QUIET_S = 0.05


def project_copy(dest: Path, practices=("fysio-delinde",), variants=("trifold", "screen")) -> Path:
    """The shipped project with some practices and variants (the settings' ``variants``; the
    theme is the built-in one): two leaflets build in ~2 s."""
    shutil.copytree(ROOT / "content", dest / "content")
    for practice in practices:
        shutil.copytree(ROOT / "practices" / practice, dest / "practices" / practice)
    settings = (ROOT / "leaflet-gen.yml").read_text(encoding="utf-8")
    (dest / "leaflet-gen.yml").write_text(settings + f"variants: [{', '.join(variants)}]\n", encoding="utf-8")
    return dest


def broken_yaml(text: str) -> str:
    """The section with a YAML syntax error on line 2 (an unclosed list under its title)."""
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("title:"))
    return "\n".join(lines[:at + 1] + ["  oops: ["] + lines[at + 1:])


def overflowing(text: str) -> str:
    """The section with so much more text that the inside panels overflow."""
    extra = "".join(f'  - type: paragraph\n    text: "Extra zin nummer {i} om de ruimte op te vullen met tekst."\n'
                    for i in range(40))
    return text.rstrip("\n") + "\n" + extra


@contextmanager
def running_studio(root: Path, port: int):
    """`leaflet-gen serve` on ``root`` in its own process group (with the tests' quiet period);
    stopped with Ctrl-C (SIGINT), which must end it without a traceback."""
    proc = subprocess.Popen([sys.executable, "-m", "leaflet_gen", "--project", str(root), "serve", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1", "LEAFLET_STUDIO_QUIET_S": str(QUIET_S)})
    assert "Leaflet studio on" in proc.stdout.readline()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    assert "Traceback" not in err, err
    assert proc.returncode == 0 and out.rstrip().endswith("Studio stopped."), (proc.returncode, out, err)


CHROMIUM = "/usr/bin/chromium"  # Debian's (browsers cannot be downloaded here)
TIMEOUT_MS = 30_000  # what a browser test waits for at most, each step


@contextmanager
def browser_page(chromium: str, timeout_ms: int):
    """One page of headless Chromium (Debian's), 1440 x 1000."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        # bypass_csp: Playwright evaluates its wait conditions as strings, which our CSP forbids.
        page = browser.new_context(viewport={"width": 1440, "height": 1000}, bypass_csp=True).new_page()
        page.set_default_timeout(timeout_ms)
        yield page
        browser.close()


@contextmanager
def started_studio(root: Path):
    """The studio's state over ``root`` with an in-process renderer, its first builds done.

    Its quiet period is short: it lets an editor's burst of saves settle before leaflets nobody
    has open are rebuilt (1.5 s), and these tests change a file at a time and wait for the
    rebuild, which would idle that long on every change."""
    from leaflet_gen.studio import core, state

    quiet, state.QUIET_S = state.QUIET_S, QUIET_S
    studio = state.Studio(root, core.in_process_renderer())
    try:
        studio.start()
        assert studio.wait_idle(120)
        yield studio
    finally:
        studio.stop()
        state.QUIET_S = quiet


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served(studio):
    """The studio's app on a real server (uvicorn, one event loop, in a thread of this process):
    what one request does to the others shows here, not with the test client (a loop per request)."""
    import uvicorn

    from leaflet_gen.studio.app import create_app

    port = free_port()
    app = create_app(studio, allowed_hosts={f"127.0.0.1:{port}"}, csrf="test-csrf")
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        thread.join(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        app.hub.close()
        server.should_exit = True
        thread.join(10)


def studio_fixtures(name: str):
    """Module fixtures ``studio`` (started over a copy of the project, tri-fold only) and ``client``
    (Starlette's test client of its app; a route that raises fails the test). Use:
    ``studio, client = studio_fixtures("name")``."""
    @pytest.fixture(scope="module")
    def studio(tmp_path_factory):
        with started_studio(project_copy(tmp_path_factory.mktemp(name), variants=("trifold",))) as studio:
            yield studio

    @pytest.fixture(scope="module")
    def client(studio):
        from starlette.testclient import TestClient

        from leaflet_gen.studio.app import create_app

        return TestClient(create_app(studio, allowed_hosts={"testserver"}, csrf="test-csrf"), follow_redirects=False)

    return studio, client


def png(width: int, height: int) -> bytes:
    """A plain PNG logo of that size."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (27, 94, 32)).save(out, "PNG")
    return out.getvalue()


def schema_with_more(monkeypatch):
    """schema.Practice with two keys more, for the tests of its derived forms: an emergency
    number under contact and a slogan at the top level (last). Returns the model."""
    from typing import Annotated

    from pydantic import Field

    from leaflet_gen.content import schema

    schema.documented()  # before subclassing: the inherited fields keep their descriptions

    class Contact(schema.Contact):
        emergency_phone: schema.Phone | None = Field(
            default=None, description="Phone number for emergencies outside opening hours.",
            examples=["0900 123 45 67"])

    class Practice(schema.Practice):
        contact: Contact = Field(description=schema.Practice.model_fields["contact"].description)
        slogan: Annotated[schema.ShortText | None, schema.Group("practice")] = Field(
            default=None, description="A line under the practice's name.", examples=["Samen in beweging"])

    monkeypatch.setattr(schema, "Practice", Practice)
    return Practice


def nl(english, **values) -> str:
    """What the studio shows for a message (an English id from the catalogue) in Dutch."""
    from leaflet_gen.i18n import Msg, msg, translate

    return translate(english if isinstance(english, Msg) else msg(english, **values), "nl")


def drafts_given_up(studio, monkeypatch) -> list[str]:
    """Make every draft the studio renders come back given up (``Superseded``, as when the same
    form sent newer values); returns the streams the drafts were rendered with, in order."""
    from concurrent.futures import Future

    from leaflet_gen.errors import Superseded
    from leaflet_gen.pipeline.pool import Outcome

    asked: list[str] = []

    def given_up(prepared, stream=""):
        asked.append(stream)
        future = Future()
        future.set_result(Outcome(stream, None, Superseded(), 0.0, 0))
        return future

    monkeypatch.setattr(studio, "render_draft", given_up)
    return asked
