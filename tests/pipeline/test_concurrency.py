"""Builds into one output folder at the same time (issue 28): every one succeeds, and the folder's
report and record stay whole and true. Real processes, as CI jobs or two terminals run them."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import pytest
from helpers import variant_ids

from leaflet_gen.pipeline import catalogue


@pytest.mark.slow
def test_concurrent_builds_into_one_folder_all_succeed(mini, tmp_path):
    out = tmp_path / "out"
    n = len(variant_ids(mini.root))  # --all: the one practice's one audience in every variant
    command = [sys.executable, "-m", "leaflet_gen", "--project", str(mini.root), "build", "--all", "--force",
               "--jobs", "1", "--output", str(out)]
    for round_ in range(3):
        builds = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                  for _ in range(3)]
        finished = [(b.communicate(timeout=300)[1], b.returncode) for b in builds]
        for stderr, code in finished:
            assert code == 0 and f"{n} leaflets: {n} built, 0 unchanged, 0 failed" in stderr, (round_, stderr)

        report = json.loads((out / catalogue.REPORT_FILE).read_text(encoding="utf-8"))  # one run's, whole
        assert report["counts"] == {"built": n, "skipped": 0, "failed": 0}
        record = json.loads((out / catalogue.CACHE_FILE).read_text(encoding="utf-8"))
        pdfs = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.pdf"))
        assert sorted(record["leaflets"]) == pdfs and len(pdfs) == n
        for name, entry in record["leaflets"].items():  # the record describes the PDFs that are there
            assert entry["pdf"] == hashlib.sha256((out / name).read_bytes()).hexdigest(), name
        assert [p.name for p in out.rglob("*.tmp")] == []

    unforced = [arg for arg in command if arg != "--force"]
    again = subprocess.run(unforced, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and f"{n} leaflets: 0 built, {n} unchanged, 0 failed" in again.stderr, again.stderr


def test_the_record_keeps_what_every_run_recorded(tmp_path):
    # Two runs that each built other leaflets, finishing one after the other: the second adds to
    # the record the first left (it read the record when it started, before the first had written).
    catalogue._save_record(tmp_path, {"p/a.pdf": {"key": "1"}}, None)
    catalogue._save_record(tmp_path, {"p/b.pdf": {"key": "2"}, "p/a.pdf": {"key": "3"}}, {"key": "s"})
    catalogue._save_record(tmp_path, {"p/c.pdf": {"key": "4"}}, None)
    record = json.loads((tmp_path / catalogue.CACHE_FILE).read_text(encoding="utf-8"))
    assert record == {"leaflets": {"p/a.pdf": {"key": "3"}, "p/b.pdf": {"key": "2"}, "p/c.pdf": {"key": "4"}},
                      "stamp": None}
