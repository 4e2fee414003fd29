"""Helpers for the studio tests: a small copy of the project to edit, and a studio over it."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TRIFOLD = "fysio-delinde/lage-rugpijn/fysiotherapie/trifold"
SCREEN = "fysio-delinde/lage-rugpijn/fysiotherapie/screen"
SECTION = "content/lage-rugpijn/fysio-doel.yaml"  # a short section on the inner flap (outside sheet)
SENTENCE = "Heb je je doelen bereikt? Dan stop je met de behandeling."


def project_copy(dest: Path, practices=("fysio-delinde",), variants=("trifold", "screen")) -> Path:
    """The shipped project with some practices and variants: two leaflets build in ~2 s."""
    for folder in ("content", "templates", "styles", "profiles"):
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, dest / folder)
    for practice in practices:
        shutil.copytree(ROOT / "practices" / practice, dest / "practices" / practice)
    (dest / "variants").mkdir()
    for variant in variants:
        shutil.copy(ROOT / "variants" / f"{variant}.yaml", dest / "variants")
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
    """`leaflet-gen serve` on ``root`` in its own process group; stopped with Ctrl-C (SIGINT),
    which must end it without a traceback."""
    proc = subprocess.Popen([sys.executable, "-m", "leaflet_gen", "--project", str(root), "serve", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert "Leaflet studio on" in proc.stdout.readline()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    assert "Traceback" not in err, err
    assert proc.returncode == 0 and out.rstrip().endswith("Studio stopped."), (proc.returncode, out, err)


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
    """The studio's state over ``root`` with an in-process renderer, its first builds done."""
    from leaflet_gen.studio import core
    from leaflet_gen.studio.state import Studio

    studio = Studio(root, core.in_process_renderer())
    studio.start()
    assert studio.wait_idle(120)
    try:
        yield studio
    finally:
        studio.stop()
