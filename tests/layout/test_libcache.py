"""The find_library cache used while WeasyPrint is imported: answers as the real lookup gives
them, never stale, never trusted when tampered with, and the same PDF bytes with or without it."""

from __future__ import annotations

import ctypes.util
import json
import os
import subprocess
import sys

import pytest

from leaflet_gen.layout import libcache


@pytest.fixture
def lookups(tmp_path, monkeypatch):
    """A fake system: a linker cache file we can change, and a find_library that counts calls."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv(libcache.OFF_ENV, raising=False)
    linker = tmp_path / "ld.so.cache"
    linker.write_bytes(b"one")
    monkeypatch.setattr(libcache, "LD_SO_CACHE", linker)
    calls = []

    def fake(name):
        calls.append(name)
        return {"pango-1.0": "libpango-1.0.so.0"}.get(name)

    monkeypatch.setattr(ctypes.util, "find_library", fake)
    return calls, linker


def _ask(*names):
    with libcache.cached_find_library():
        return [ctypes.util.find_library(n) for n in names]


def test_answers_are_the_real_ones_and_asked_once(lookups):
    calls, _ = lookups
    assert _ask("libpango-1.0-0", "pango-1.0") == [None, "libpango-1.0.so.0"]
    assert calls == ["libpango-1.0-0", "pango-1.0"]
    assert _ask("libpango-1.0-0", "pango-1.0", "new") == [None, "libpango-1.0.so.0", None]
    assert calls == ["libpango-1.0-0", "pango-1.0", "new"]  # only the new name was looked up
    assert libcache.cache_file().stat().st_mode & 0o077 == 0  # private to the user


def test_a_changed_system_starts_afresh(lookups):
    calls, linker = lookups
    _ask("pango-1.0")
    linker.write_bytes(b"two")  # a library installed or removed: ldconfig rewrote its cache
    _ask("pango-1.0")
    assert calls == ["pango-1.0", "pango-1.0"]


def test_outside_the_block_and_when_switched_off_the_real_lookup_answers(lookups, monkeypatch):
    calls, _ = lookups
    _ask("pango-1.0")
    assert ctypes.util.find_library("pango-1.0") == "libpango-1.0.so.0" and len(calls) == 2
    monkeypatch.setenv(libcache.OFF_ENV, "1")
    _ask("pango-1.0")
    assert len(calls) == 3


@pytest.mark.parametrize("tamper", ["path", "mode", "damaged"])
def test_a_tampered_or_damaged_cache_is_not_trusted(lookups, tamper):
    calls, _ = lookups
    _ask("pango-1.0")
    path = libcache.cache_file()
    if tamper == "path":
        data = json.loads(path.read_text())
        data["answers"]["pango-1.0"] = "/tmp/evil.so"
        path.write_text(json.dumps(data))
    elif tamper == "mode":
        path.chmod(0o666)
    else:
        path.write_text("{not json")
    assert _ask("pango-1.0") == ["libpango-1.0.so.0"]
    assert calls == ["pango-1.0", "pango-1.0"]


def test_no_linker_cache_means_no_cache(lookups, monkeypatch, tmp_path):
    calls, _ = lookups
    monkeypatch.setattr(libcache, "LD_SO_CACHE", tmp_path / "missing")
    _ask("pango-1.0")
    _ask("pango-1.0")
    assert calls == ["pango-1.0", "pango-1.0"] and not libcache.cache_file().exists()


def test_the_same_bytes_with_and_without_the_cache(mini, tmp_path):
    """Two fresh interpreters (each imports WeasyPrint itself), one with the cache warm."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    outputs = {}
    for name, extra in (("warm-up", {}), ("cached", {}), ("off", {libcache.OFF_ENV: "1"})):
        out = tmp_path / name
        result = subprocess.run([sys.executable, "-m", "leaflet_gen", "--project", str(mini.root), "build",
                                 "--practice", "test", "--output", str(out)], capture_output=True, text=True,
                                env={**env, **extra}, timeout=120)
        assert result.returncode == 0, result.stderr
        outputs[name] = (out / "test/demo-fysiotherapie-trifold.pdf").read_bytes()
    assert json.loads((tmp_path / "cache/leaflet-gen/find-library.json").read_text())["answers"]
    assert outputs["cached"] == outputs["off"] == outputs["warm-up"]
