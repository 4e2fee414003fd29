"""Shared fixtures: the shipped leaflets built once per session, and small projects in tmp_path."""

from __future__ import annotations

import os
import shutil
import textwrap
from pathlib import Path

import pytest

# The suite is one long-running process with WeasyPrint loaded, like the studio: single builds
# render in it, catalogue builds get render processes from a fork server. Cold starts (render
# processes forked at once, importing WeasyPrint while the content is read) run in fresh
# interpreters: tests/pipeline/test_pool.py.
import weasyprint
from click.testing import CliRunner
from helpers import extra_variants

from leaflet_gen.cli import cli

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SHIPPED = {
    "fysiotherapie": ("fysio-delinde", "lage-rugpijn-fysiotherapie-trifold.pdf"),
    "orthopedie": ("ortho-stanna", "lage-rugpijn-orthopedie-trifold.pdf"),
}

LOGO_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60" viewBox="0 0 200 60">'
    '<rect width="60" height="60" rx="12" fill="#1B6E8C"/><circle cx="30" cy="30" r="14" fill="#E8A33D"/>'
    '<rect x="70" y="20" width="120" height="20" fill="#1B6E8C"/></svg>'
)

PRACTICE_YAML = """\
name: "Fysiotherapie Testpraktijk"
logo: logo.svg
colours:
  primary: "#1B6E8C"
  accent: "#E8A33D"
contact:
  address: "Teststraat 1, 1234 AB Utrecht"
  phone: "030 123 45 67"
  email: "info@testpraktijk.nl"
  website: "https://www.testpraktijk.nl"
qr_url: "https://www.testpraktijk.nl/afspraak"
audiences: [fysiotherapie]
"""

TOPIC_YAML = """\
id: demo
title: Lage rugpijn
version: "1.0"
status: approved
approved_by: "Werkgroep"
approved_on: 2026-11-01
last_review: 2026-11-01
next_review: 2027-11-01
audiences:
  fysiotherapie:
    subtitle: "Wat je zelf kunt doen"
    cover: [kort]
    flow: [uitleg]
    back: [huisarts]
    sources: ["NHG-Standaard Aspecifieke lagerugpijn"]
"""

SECTIONS = {
    "kort": """\
        blocks:
          - type: summary
            items: ["Lage rugpijn komt veel voor.", "Blijf **bewegen**."]
        """,
    "uitleg": """\
        title: Wat is lage rugpijn?
        blocks:
          - type: paragraph
            text: "Lage rugpijn is pijn onder in je rug. Het heet ook *lumbago*."
          - type: list
            items: ["Buig je knieën.", "Houd je rug recht."]
        """,
    "huisarts": """\
        title: Wanneer naar de huisarts?
        blocks:
          - type: paragraph
            text: "Gaat het na 4 weken niet beter? Bel dan je huisarts."
        """,
}


class MiniProject:
    """A small, valid project in a temporary folder; it uses the built-in theme."""

    def __init__(self, root: Path):
        self.root = root
        self.write("practices/test/practice.yaml", PRACTICE_YAML)
        self.write("practices/test/logo.svg", LOGO_SVG)
        self.write("content/demo/topic.yaml", TOPIC_YAML)
        for name, text in SECTIONS.items():
            self.write(f"content/demo/{name}.yaml", textwrap.dedent(text))
        self.write("content/wordlist.txt", "lumbago\n")

    def write(self, rel: str, text: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def override(self, rel: str) -> Path:
        """Copy the built-in theme file ``rel`` (like "styles/base.css") into the project, where it
        takes the built-in one's place, and return the project's copy (to change it)."""
        from leaflet_gen import theme

        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(theme.BUILTIN / rel, path)
        return path

    def add_topic(self, name: str) -> Path:
        """Copy a test topic from tests/fixtures/topics/ into content/ (not shipped content)."""
        return Path(shutil.copytree(FIXTURES / "topics" / name, self.root / "content" / name))

    def run(self, *args: str):
        return CliRunner().invoke(cli, ["--project", str(self.root), *args], catch_exceptions=False)


@pytest.fixture(autouse=True, scope="session")
def _own_cache_folder(tmp_path_factory):
    """leaflet-gen's caches (check, library lookups) in a folder of this run, not the user's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
        yield


@pytest.fixture(autouse=True)
def _not_a_shard(monkeypatch):
    """The suite may run in a sharded CI job (GitLab sets CI_NODE_INDEX for `parallel:`): its own
    catalogue builds must build everything unless a test asks for a shard."""
    for name in ("LEAFLET_GEN_SHARD", "CI_NODE_INDEX", "CI_NODE_TOTAL", "JOB_COMPLETION_INDEX",
                 "LEAFLET_GEN_SHARD_TOTAL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def mini(tmp_path: Path) -> MiniProject:
    return MiniProject(tmp_path / "project")


@pytest.fixture(scope="session")
def shipped(tmp_path_factory) -> dict[str, Path]:
    """The default leaflets of the shipped project, built once through the CLI."""
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(cli, ["--project", str(ROOT), "build", "--output", str(out)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    paths = {aud: out / practice / name for aud, (practice, name) in SHIPPED.items()}
    for path in paths.values():
        assert str(path) in result.stdout
    return paths


@pytest.fixture(scope="session")
def variant_pdfs(tmp_path_factory) -> dict[tuple[str, str], Path]:
    """The shipped leaflets in the office, screen and large-print variants, built once per session."""
    out = tmp_path_factory.mktemp("variants")
    paths = {}
    for audience, (practice, _name) in SHIPPED.items():
        for variant in extra_variants(ROOT):
            result = CliRunner().invoke(cli, ["--project", str(ROOT), "build", "--practice", practice,
                                              "--audience", audience, "--variant", variant, "--output", str(out)])
            assert result.exit_code == 0, result.output
            paths[audience, variant] = out / practice / f"lage-rugpijn-{audience}-{variant}.pdf"
            assert result.stdout.strip() == str(paths[audience, variant])
    return paths
