"""Benchmark of the studio's practice editor: last keystroke -> preview beside the form.

A fresh `leaflet-gen serve` on a temporary copy of the project (all practices, all variants, as
shipped). The editor page of fysio-delinde is opened in headless Chromium and, once the start-up
builds are done, a field is typed into as a person types (one key every 60 ms): the phone number,
then the name, then the primary colour, in turn. Measured: from the page's own time stamp of the
last keystroke (``data-typed``) to the moment the new cover and back panel pictures are decoded
and shown (``data-preview-shown``, set only when the pictures show that form: ``data-preview-of``).
Target: median <= 1.0 s.

Run: .venv/bin/python bench/editor.py [--repeat 15]. Prints the figures and writes
bench/editor-results.json. Not a test: the figures depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from studio import run_in_chromium, studio_page  # noqa: E402 - the studio benchmark's helpers

EDITS = (("contact.phone", "030 123 45 {n:02d}"), ("name", "Fysiotherapie De Linde {n}"),
         ("colours.primary", "#1B6E{n:02d}"))


def measure(browser, repeat: int) -> dict:
    times: dict[str, list[float]] = {key: [] for key, _ in EDITS}
    stages: dict[str, list[float]] = {}
    with studio_page(browser, "/practices/fysio-delinde") as (page, _server):
        page.wait_for_function("document.querySelectorAll('#preview-pics img').length === 2")
        for n in range(repeat + 1):
            key, pattern = EDITS[n % len(EDITS)]
            value = pattern.format(n=n + 10)
            field = page.locator(f"[data-key='{key}']")
            field.fill(value[:-3])  # all but the last three characters at once, then typed
            time.sleep(0.8)
            field.press_sequentially(value[-3:], delay=60)
            page.wait_for_function(f"(document.body.getAttribute('data-preview-of') || '').includes({value!r})")
            typed = int(page.evaluate("document.body.getAttribute('data-typed')"))
            shown = int(page.evaluate("document.body.getAttribute('data-preview-shown')"))
            if n:  # the first warms the caches of the browser and the server
                times[key].append((shown - typed) / 1000)
                for stage, seconds in json.loads(page.evaluate(
                        "document.body.getAttribute('data-preview-seconds')")).items():
                    stages.setdefault(stage, []).append(seconds)
    every = [t for ts in times.values() for t in ts]
    return {"runs": len(every), "median_s": round(statistics.median(every), 3), "min_s": round(min(every), 3),
            "max_s": round(max(every), 3),
            "median_by_field_s": {k: round(statistics.median(v), 3) for k, v in times.items() if v},
            "server_median_s": {k: round(statistics.median(v), 3) for k, v in stages.items()},
            "all_s": [round(t, 3) for t in every]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    run_in_chromium(measure, parser.parse_args().repeat, "editor-results.json", "keystroke_to_preview")

if __name__ == "__main__":
    main()
