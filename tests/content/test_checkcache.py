"""`check` answered from its record when nothing changed, and language checks kept per topic:
the same report as the full check, redone as soon as anything it depends on changes."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from leaflet_gen import api
from leaflet_gen.content import checkcache, lint


@pytest.fixture
def lints(monkeypatch):
    """Count the language checks actually run."""
    calls = []
    real = lint.lint_topic

    def counting(topic, *args, **kwargs):
        calls.append(topic.id)
        return real(topic, *args, **kwargs)

    monkeypatch.setattr(lint, "lint_topic", counting)
    return calls


def _same(a, b):
    assert a.lines == b.lines and not a.problems and not b.problems
    assert [str(w) for w in a.warnings] == [str(w) for w in b.warnings]
    assert [r.as_dict() for r in a.language] == [r.as_dict() for r in b.language]
    assert [r.lines() for r in a.language] == [r.lines() for r in b.language]


def test_an_unchanged_project_is_answered_from_the_record(mini, lints, monkeypatch):
    first = api.check_project(mini.root)
    assert lints == ["demo"]
    again = api.check_project(mini.root)
    assert lints == ["demo"]  # nothing re-checked
    _same(first, again)
    monkeypatch.setenv(checkcache.OFF_ENV, "1")
    _same(api.check_project(mini.root), first)
    assert lints == ["demo", "demo"]


def test_an_edit_is_seen_and_only_the_changed_topic_is_relinted(mini, lints):
    api.check_project(mini.root)
    mini.write("practices/test/practice.yaml",
               (mini.root / "practices/test/practice.yaml").read_text().replace("Testpraktijk", "Proefpraktijk"))
    report = api.check_project(mini.root)
    assert lints == ["demo"]  # a practice edit: the topic's language check is still valid
    assert "ok  practices/test/practice.yaml" in report.lines
    mini.write("content/demo/uitleg.yaml", "title: Wat is lage rugpijn?\nblocks:\n  - type: paragraph\n"
                                            "    text: \"Bel uw huisarts en/of de fysiotherapeut.\"\n")
    report = api.check_project(mini.root)
    assert lints == ["demo", "demo"]
    assert any("en/of" in str(w) for w in report.warnings)


def test_a_check_with_problems_is_never_replayed(mini, lints):
    mini.write("variants/broken.yaml", "name: [\n")
    for _ in range(2):  # a replay has no problems: they are found again each time
        assert api.check_project(mini.root).problems
    assert lints == ["demo"]  # the topic, unchanged, keeps its language check


def test_the_stamp_covers_the_date_the_dictionaries_and_the_practices(mini):
    cache = checkcache.CheckCache(mini.root)
    today = dt.date(2026, 11, 30)
    base = cache.stamp(mini.root, None, today, "dicts")
    assert base == cache.stamp(mini.root, None, today, "dicts")
    assert base != cache.stamp(mini.root, None, today + dt.timedelta(days=1), "dicts")  # review dates pass
    assert base != cache.stamp(mini.root, None, today, "other dicts")
    assert base != cache.stamp(mini.root, ["test"], today, "dicts")
    (mini.root / "content/wordlist.txt").write_text("lumbago\nfysio\n")
    assert base != cache.stamp(mini.root, None, today, "dicts")


def test_a_damaged_cache_is_ignored(mini, lints):
    api.check_project(mini.root)
    checkcache.CheckCache(mini.root).path.write_text("{damaged")
    assert api.check_project(mini.root).lines and lints == ["demo", "demo"]


def test_a_replayed_check_imports_no_schema_and_prints_the_same(mini):
    code = ("import sys; from leaflet_gen.cli import main; sys.argv = ['leaflet-gen', '--project', sys.argv[1], "
            "'check']\ntry:\n    main()\nfinally:\n    sys.stderr.write('SCHEMA' if 'leaflet_gen.content.schema' in "
            "sys.modules else 'NONE')")
    runs = [subprocess.run([sys.executable, "-c", code, str(mini.root)], capture_output=True, text=True, timeout=60)
            for _ in range(2)]
    assert runs[0].stderr.endswith("SCHEMA") and runs[1].stderr.endswith("NONE")
    assert runs[0].stdout == runs[1].stdout and runs[0].stderr[:-6] == runs[1].stderr[:-4]
    assert "weasyprint" not in runs[1].stderr
