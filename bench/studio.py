"""Benchmark of the studio (`leaflet-gen serve`), in headless Chromium, on temporary project copies.

1. Save -> new pictures: a one-sentence change to a section of the open tri-fold leaflet is
   written to disk; the time until the page has swapped in the new pictures (already loaded and
   decoded by the browser: the page's own ``data-shown`` time stamp). Target: median <= 1.0 s.
   Paired with each save, while the studio is idle: WeasyPrint's own layout of the same HTML
   (the leaflet's HTML from `build --html`, with the same sentence changed) in one warm Python
   process, ``HTML(string=...).write_pdf(pdf_variant="pdf/x-4")`` as its users call it; the
   ratio save -> pictures / that layout, per pair (median and range) and of the medians.
2. Catalogue first load with 8 and with 40 leaflets: a fresh `leaflet-gen serve`, then the
   time until the catalogue page is loaded (every card with its state), and until every card
   shows its cover thumbnail (every leaflet built once by the warm render processes).

Run: .venv/bin/python bench/studio.py [--repeat 15]. Prints the figures and writes
bench/studio-results.json. Not a test: the figures depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
LEAFLET = "fysio-delinde/lage-rugpijn/fysiotherapie/trifold"
SECTION = "content/lage-rugpijn/fysio-doel.yaml"
SENTENCE = "Heb je je doelen bereikt?"
# One word more in the sentence per save, never a digit: a number that is in none of the block's
# claims fails the claims check (nothing would be built, and the page would wait for ever).
WORDS = ("nu", "al", "echt", "samen", "zelf", "ook", "dan", "goed", "snel", "rustig", "weer", "toch", "zo", "er",
         "daar", "hier", "eerst", "straks", "vandaag", "morgen", "helemaal", "allemaal", "misschien", "vast")


def changed(text: str, n: int) -> str:
    """``text`` with the benchmark's sentence changed for save ``n`` (a new word each time)."""
    return text.replace(SENTENCE, f"Heb je je doelen {WORDS[n % len(WORDS)]} bereikt?")
ALL_LOADED = ("[...document.querySelectorAll('img[data-picture]')].length > 0 && "
              "[...document.querySelectorAll('img[data-picture]')].every(i => i.complete && i.naturalWidth > 0)")


def project(dest: Path, copies: int = 1) -> Path:
    shutil.copytree(ROOT / "content", dest / "content")  # the theme is built in
    for practice in sorted((ROOT / "practices").iterdir()):
        for n in range(copies):
            name = practice.name if n == 0 else f"{practice.name}-{n + 1}"
            shutil.copytree(practice, dest / "practices" / name)
            yaml = dest / "practices" / name / "practice.yaml"
            yaml.write_text(re.sub(r"^id: \S+", f"id: {name}", yaml.read_text(encoding="utf-8"), flags=re.M),
                            encoding="utf-8")
    return dest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, root: Path) -> None:
        self.port = free_port()
        self.started = time.perf_counter()
        # The studio prints when each stage of a build ended (state.STAMPS), on stderr.
        self.proc = subprocess.Popen([str(ROOT / ".venv/bin/leaflet-gen"), "--project", str(root), "serve", "--port",
                                      str(self.port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     start_new_session=True, env={**os.environ, "LEAFLET_STUDIO_STAMPS": "1"})
        self.proc.stdout.readline()
        self.url = f"http://127.0.0.1:{self.port}"
        self.stamps: dict[tuple[str, int], dict] = {}

    def stop(self) -> None:
        os.killpg(self.proc.pid, signal.SIGINT)
        _, err = self.proc.communicate(timeout=30)
        for line in err.splitlines():
            if line.startswith("studio-stamps "):
                record = json.loads(line.split(" ", 1)[1])
                self.stamps[record["key"], record["gen"]] = record["stamps"]


# The stages of one save, in order: each one's time is from the end of the one before it.
STAGES = (("event", "file event seen (watchfiles)"), ("start", "rebuild started"), ("composed", "read + composed"),
          ("rendered", "render process done"), ("finished", "imposed (finish)"), ("pictures", "pictures made"),
          ("sent", "update sent (SSE)"), ("shown", "browser shows it"))


def breakdown(saves: list[tuple[float, float, dict]]) -> dict:
    """Median seconds of each stage over the saves (from the studio's stamps and the page's)."""
    steps: dict[str, list[float]] = {name: [] for name, _ in STAGES}
    render = []
    for saved, shown, stamps in saves:
        at = {**stamps, "shown": shown}
        before = saved
        for name, _ in STAGES:
            if name in at:
                steps[name].append(at[name] - before)
                before = at[name]
        if "render_s" in stamps:
            render.append(stamps["render_s"])
    out = {name: round(statistics.median(v), 3) for name, v in steps.items() if v}
    if render:
        out["render_s (in the render process)"] = round(statistics.median(render), 3)
    out["saves with another render under way"] = sum(1 for *_, stamps in saves if stamps.get("others"))
    return out


def open_page(browser):
    """A page of the benchmark's browser, 1440 x 1000, waiting up to a minute for anything."""
    page = browser.new_context(viewport={"width": 1440, "height": 1000}, bypass_csp=True).new_page()
    page.set_default_timeout(60_000)
    return page


def let_start_up_builds_finish(page, server: Server, timeout_ms: float = 60_000) -> None:
    """Every card of the catalogue has its thumbnail: the studio's start-up builds, which share
    the render processes with what is measured, are done."""
    page.goto(f"{server.url}/")
    page.wait_for_function("[...document.querySelectorAll('.card')].every(c => c.querySelector('img'))",
                           timeout=timeout_ms)


@contextmanager
def studio_page(browser, address: str):
    """A studio on a temporary copy of the project, its start-up builds done, and a page of it at
    ``address``: (page, server). The studio stops after."""
    with tempfile.TemporaryDirectory() as tmp:
        server = Server(project(Path(tmp) / "p"))
        try:
            page = open_page(browser)
            let_start_up_builds_finish(page, server, timeout_ms=300_000)
            page.goto(f"{server.url}{address}")
            yield page, server
        finally:
            server.stop()


class BareWeasyPrint:
    """WeasyPrint alone in one warm process: lays out the HTML it is sent, says how long it took."""

    SCRIPT = """
import sys, time, weasyprint
base = sys.argv[1]
for line in sys.stdin:
    html = open(line.strip(), encoding="utf-8").read()
    started = time.perf_counter()
    weasyprint.HTML(string=html, base_url=base).write_pdf(pdf_variant="pdf/x-4")
    print(time.perf_counter() - started, flush=True)
"""

    def __init__(self, work: Path) -> None:
        self.work = work
        base = (ROOT / "leaflet_gen/theme/templates").as_uri() + "/"  # the project uses the built-in theme
        self.proc = subprocess.Popen([sys.executable, "-c", self.SCRIPT, base], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)

    def layout(self, html: str) -> float:
        path = self.work / "bare.html"
        path.write_text(html, encoding="utf-8")
        self.proc.stdin.write(f"{path}\n")
        self.proc.stdin.flush()
        return float(self.proc.stdout.readline())

    def stop(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def leaflet_html(root: Path, work: Path) -> str:
    """The tri-fold's HTML as the build lays it out (`leaflet-gen build --html`)."""
    practice, topic, audience, variant = LEAFLET.split("/")
    subprocess.run([str(ROOT / ".venv/bin/leaflet-gen"), "--project", str(root), "build", "--practice", practice,
                    "--topic", topic, "--audience", audience, "--variant", variant, "--output", str(work / "out"),
                    "--html", str(work / "one.html")], check=True, capture_output=True)
    return (work / "one.html").read_text(encoding="utf-8")


def wait_quiet(server: Server, timeout: float = 120.0) -> None:
    """Until no leaflet of the catalogue is building or waiting to be built: the background builds a
    save starts (the same section's other practices and variants) are done before the next save, as
    when a person reads what changed before the next edit. Without it each save's render shares
    the cores with them, and the figure measures the queue, not the loop."""
    import urllib.request

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        page = urllib.request.urlopen(f"{server.url}/").read().decode("utf-8")
        if 'class="badge building"' not in page and 'class="badge pending"' not in page:
            return
        time.sleep(0.2)


def save_to_picture(browser, repeat: int, quiet: bool = True) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        root = project(Path(tmp) / "p")
        html = leaflet_html(root, Path(tmp))
        bare = BareWeasyPrint(Path(tmp))
        bare.layout(html)  # its first layout sets up fonts: not measured, as the studio's first build is not
        server = Server(root)
        try:
            page = open_page(browser)
            page.goto(f"{server.url}/leaflets/{LEAFLET}")
            page.wait_for_function(ALL_LOADED)
            let_start_up_builds_finish(page, server)
            page.goto(f"{server.url}/leaflets/{LEAFLET}")
            page.wait_for_function(ALL_LOADED)
            path = root / SECTION
            original = path.read_text(encoding="utf-8")
            times, saves, layouts = [], [], []
            for n in range(repeat + 1):
                gen = page.evaluate("document.body.dataset.gen")
                text = changed(original, n)
                if quiet:
                    wait_quiet(server)
                alone = bare.layout(changed(html, n))
                time.sleep(0.3)
                saved = time.time()
                path.write_text(text, encoding="utf-8")
                page.wait_for_function(f"document.body.dataset.gen !== '{gen}' && document.body.dataset.shown")
                shown = int(page.evaluate("document.body.dataset.shown")) / 1000
                if n:  # the first one warms the browser's and the server's caches
                    times.append(shown - saved)
                    layouts.append(alone)
                    saves.append((saved, shown, int(page.evaluate("document.body.dataset.gen"))))
        finally:
            server.stop()
            bare.stop()
    stages = breakdown([(saved, shown, server.stamps[LEAFLET, gen]) for saved, shown, gen in saves
                        if (LEAFLET, gen) in server.stamps])
    ratios = sorted(t / b for t, b in zip(times, layouts))
    return {"runs": len(times), "median_s": round(statistics.median(times), 3), "min_s": round(min(times), 3),
            "max_s": round(max(times), 3), "all_s": [round(t, 3) for t in times], "stages_median_s": stages,
            "weasyprint_alone_median_s": round(statistics.median(layouts), 3),
            "weasyprint_alone_all_s": [round(b, 3) for b in layouts],
            "ratio_to_weasyprint_pairs_median": round(statistics.median(ratios), 2),
            "ratio_to_weasyprint_pairs_range": [round(ratios[0], 2), round(ratios[-1], 2)],
            "ratio_of_medians": round(statistics.median(times) / statistics.median(layouts), 2)}


def catalogue(browser, copies: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        root = project(Path(tmp) / "p", copies)
        server = Server(root)
        try:
            page = browser.new_context(viewport={"width": 1440, "height": 1000}, bypass_csp=True).new_page()
            page.set_default_timeout(300_000)
            asked = time.perf_counter()
            page.goto(f"{server.url}/")
            loaded = time.perf_counter()
            cards = page.locator(".card").count()
            page.wait_for_function("[...document.querySelectorAll('.card')].every(c => { const i = c.querySelector('img');"
                                   " return i && i.complete && i.naturalWidth > 0; })")
            thumbs = time.perf_counter()
        finally:
            server.stop()
    return {"leaflets": cards, "page_load_s": round(loaded - asked, 3),
            "server_start_to_page_s": round(loaded - server.started, 3),
            "all_thumbnails_s": round(thumbs - server.started, 3)}


def run_in_chromium(measure, repeat: int, results: str, key: str) -> None:
    """``measure(browser, repeat)`` in headless Chromium; its figures with the machine's load,
    printed and written to bench/<results> (the editor's and the content desk's benchmarks)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            result = measure(browser, repeat)
        finally:
            browser.close()
    load = os.getloadavg()[0]
    out = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, load {load:.1f}",
           "python": platform.python_version(), key: result}
    (ROOT / "bench" / results).write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(out, indent=2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--no-catalogue", action="store_true", help="only the save -> pictures figure")
    parser.add_argument("--busy", action="store_true",
                        help="save again as soon as the pictures show, while the other leaflets still rebuild")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        live = save_to_picture(browser, args.repeat, quiet=not args.busy)
        print(f"save -> new pictures (tri-fold): median {live['median_s']} s, range {live['min_s']}-{live['max_s']} s "
              f"over {live['runs']} saves")
        print(f"  WeasyPrint alone, same HTML, one process: median {live['weasyprint_alone_median_s']} s; "
              f"ratio per pair {live['ratio_to_weasyprint_pairs_median']} "
              f"({live['ratio_to_weasyprint_pairs_range'][0]}-{live['ratio_to_weasyprint_pairs_range'][1]}), "
              f"of the medians {live['ratio_of_medians']}")
        labels = dict(STAGES)
        for name, seconds in live["stages_median_s"].items():
            print(f"  {labels.get(name, name):36} {seconds:6}")
        cats = [] if args.no_catalogue else [catalogue(browser, copies) for copies in (1, 5)]
        for c in cats:
            print(f"catalogue of {c['leaflets']} leaflets: page {c['page_load_s']} s after asking "
                  f"({c['server_start_to_page_s']} s after `serve` started); every thumbnail "
                  f"{c['all_thumbnails_s']} s after `serve` started")
        browser.close()
    result = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f} "
                         f"(1 min; {load_before:.1f} before)",
              "python": sys.version.split()[0], "save_to_pictures": live, "catalogue": cats}
    (ROOT / "bench" / "studio-results.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
