"""Benchmark of the content desk: last keystroke in a section's text -> its leaflet previewed beside it.

A fresh `leaflet-gen serve` on a temporary copy of the project; the section editor of
fysio-doel (in the fysiotherapie tri-fold) opened in headless Chromium; once the first preview is
shown, a word is typed at the end of the first paragraph. Two paces: ``fast``, the word's start
filled in, a pause, then its last three letters one key every 60 ms (the page's pause before it
asks for a preview is longer: nothing is under way when the last key comes); ``steady``, the whole
word one key every 250 ms, as a clinician types (each key starts a preview, so the last key
usually comes while the one before is still being rendered). Measured: from the page's own time
stamp of the last keystroke (``data-typed``) to the moment the preview with that word has its
pictures shown (``data-preview-count`` goes up with the new ``data-preview-text``). Target
(issue 31): within a second.

Run: .venv/bin/python bench/content.py [--repeat 15]. Prints the figures and writes
bench/content-results.json. Not a test: the figures depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from studio import run_in_chromium, studio_page  # noqa: E402 - the studio benchmark's helpers

SECTION = "/content/lage-rugpijn/fysio-doel"
# A word per save, never a digit: a number in none of the block's claims would fail the check.
WORDS = ("Fijn", "Mooi", "Goed", "Prima", "Knap", "Super", "Top", "Sterk")


def measure(browser, repeat: int) -> dict:
    figures, n = {}, 0
    with studio_page(browser, SECTION) as (page, _server):
        page.wait_for_function("+(document.body.getAttribute('data-preview-count') || 0) >= 1", timeout=120_000)
        page.evaluate("new MutationObserver(() => { window.__shown = Date.now(); })"
                      ".observe(document.body, {attributeFilter: ['data-preview-count']})")
        field = page.locator("fieldset[data-block='0'] textarea").first
        original = field.input_value()
        for pace in ("fast", "steady"):
            times, checks = [], []
            for run in range(repeat + 1):
                word = f"{WORDS[n % len(WORDS)]}{'e' * (n // len(WORDS))}"
                n += 1
                if pace == "fast":
                    field.fill(original + " " + word[:-3])
                    time.sleep(0.8)
                    field.press_sequentially(word[-3:], delay=60)
                else:
                    field.fill(original)
                    time.sleep(1.2)
                    field.press("End")
                    field.press_sequentially(" " + word, delay=250)
                page.wait_for_function(f"(document.body.getAttribute('data-preview-text') || '').includes({word!r})",
                                       timeout=60_000)
                typed = int(page.evaluate("document.body.getAttribute('data-typed')"))
                shown = int(page.evaluate("window.__shown"))
                # The language check of that text: asked for once its pictures are shown (it would slow them).
                page.wait_for_function(f"(document.body.getAttribute('data-checked-of') || '').includes({word!r})",
                                       timeout=60_000)
                checked = int(page.evaluate("document.body.getAttribute('data-checked')"))
                if run:  # the first warms the caches of the browser and the server
                    times.append((shown - typed) / 1000)
                    checks.append((checked - typed) / 1000)
            figures[pace] = {"runs": len(times), "median_s": round(statistics.median(times), 3),
                             "min_s": round(min(times), 3), "max_s": round(max(times), 3),
                             "all_s": [round(t, 3) for t in times],
                             "check_median_s": round(statistics.median(checks), 3),
                             "check_max_s": round(max(checks), 3)}
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    run_in_chromium(measure, parser.parse_args().repeat, "content-results.json", "keystroke_to_preview")

if __name__ == "__main__":
    main()
