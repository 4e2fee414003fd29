"""leaflet-gen.yml: defaults without it, its validation, and an audience added by data only."""

from __future__ import annotations

import json
import textwrap

import pytest

from leaflet_gen import api
from leaflet_gen.content import lint
from leaflet_gen.content.project import Project
from leaflet_gen.content.schema import DEFAULT_AUDIENCES, Settings

ERGO_SETTINGS = """\
# yaml-language-server: $schema=schemas/settings.schema.json
audiences:
  - {id: fysiotherapie, name: Fysiotherapie, voice: je}
  - {id: orthopedie, name: Orthopedie, voice: u}
  - {id: ergotherapie, name: Ergotherapie, voice: je}
"""

ERGO_TOPIC_PART = """\
  ergotherapie:
    subtitle: "Wat je zelf kunt doen"
    cover: [kort]
    flow: [ergo-uitleg]
    back: [huisarts]
    sources: ["Beroepsprofiel Ergotherapeut"]
"""

ERGO_SECTION = """\
title: Wat doet de ergotherapeut?
blocks:
  - type: paragraph
    text: "De ergotherapeut kijkt met je naar je dag. Wat wil je weer kunnen? Kunt u dat al?"
"""


def ergo_project(mini):
    """The mini project with a third audience, added as data only (no code)."""
    mini.write("leaflet-gen.yml", ERGO_SETTINGS + "variants: [trifold]  # --all: two leaflets, not eight\n")
    topic = (mini.root / "content/demo/topic.yaml").read_text(encoding="utf-8")
    mini.write("content/demo/topic.yaml", topic + ERGO_TOPIC_PART)
    mini.write("content/demo/ergo-uitleg.yaml", ERGO_SECTION)
    practice = (mini.root / "practices/test/practice.yaml").read_text(encoding="utf-8")
    mini.write("practices/test/practice.yaml", practice.replace("audiences: [fysiotherapie]",
                                                                "audiences: [fysiotherapie, ergotherapie]"))
    return mini


def test_without_the_file_the_defaults_are_the_built_in_audiences(mini):
    settings = Project.open(mini.root).settings
    assert settings == Settings()
    assert settings.audiences == list(DEFAULT_AUDIENCES)
    assert settings.voices == {"fysiotherapie": "je", "orthopedie": "u"}
    assert settings.default_variants == ["trifold"] and settings.output == "out"


def test_an_empty_file_means_the_defaults(mini):
    mini.write("leaflet-gen.yml", "# nothing set yet\n")
    assert Project.open(mini.root).settings == Settings()


def test_a_third_audience_builds_lints_in_its_voice_and_is_listed(mini, tmp_path):
    ergo_project(mini)

    listed = mini.run("list")
    assert "  ergotherapie: Ergotherapie (je)\n" in listed.stdout

    check = mini.run("check", "--json")
    assert check.exit_code == 0, check.output
    report = json.loads(check.stdout)
    language = report["language"][0]["audiences"]
    assert language["ergotherapie"]["voice"] == "je"
    voice = [w for w in report["warnings"] if "ergo-uitleg.yaml" in w and "voice" not in w and '"u"' in w]
    assert voice == ['content/demo/ergo-uitleg.yaml:4 blocks[0].text: "u" in a je-text (ergotherapie): '
                     'write "je"/"jouw"/"jezelf" instead']

    single = mini.run("build", "--practice", "test", "--audience", "ergotherapie", "--output", str(tmp_path / "one"))
    assert single.exit_code == 0, single.output
    assert single.stdout.strip() == str(tmp_path / "one" / "test" / "demo-ergotherapie-trifold.pdf")

    every = mini.run("build", "--all", "--output", str(tmp_path / "all"))
    assert every.exit_code == 0, every.output
    built = json.loads((tmp_path / "all" / "build-report.json").read_text(encoding="utf-8"))
    assert sorted(e["audience"] for e in built["leaflets"]) == ["ergotherapie", "fysiotherapie"]
    assert (tmp_path / "all" / "test" / "demo-ergotherapie-trifold.pdf").read_bytes() == \
        (tmp_path / "one" / "test" / "demo-ergotherapie-trifold.pdf").read_bytes()


def test_lint_voice_comes_from_the_settings(mini):
    mini.write("leaflet-gen.yml", "audiences:\n  - {id: fysiotherapie, name: Fysio, voice: u}\n")
    mini.write("content/demo/uitleg.yaml", textwrap.dedent("""\
        title: Uitleg
        blocks:
          - type: paragraph
            text: "Buig je knieën."
        """))
    report = lint.lint_topic(Project.open(mini.root).load_topic("demo"), set(), hunspell="no-such-hunspell")
    assert [f.message for f in report.findings if f.rule == "voice" and f.file.endswith("uitleg.yaml")] == [
        '"je" in a u-text (fysiotherapie): write "u"/"uw"/"uzelf" instead']


def test_an_audience_not_in_the_settings_is_a_located_error(mini):
    topic = (mini.root / "content/demo/topic.yaml").read_text(encoding="utf-8")
    mini.write("content/demo/topic.yaml", topic.replace("  fysiotherapie:", "  fysiotherapy:"))
    result = mini.run("check")
    assert result.exit_code == 1
    assert ('content/demo/topic.yaml:10:3 audiences.fysiotherapy: unknown audience "fysiotherapy": the project\'s '
            'audiences (leaflet-gen.yml) are fysiotherapie, orthopedie; did you mean "fysiotherapie"?') in result.stderr


def test_the_cli_offers_the_settings_audiences(mini):
    ergo_project(mini)
    result = mini.run("build", "--practice", "test", "--audience", "ergo")
    assert result.exit_code == 2
    assert ("'ergo' is not one of 'fysiotherapie', 'orthopedie', 'ergotherapie'; did you mean \"ergotherapie\"?"
            in result.stderr)


def test_a_broken_settings_file_is_reported_first_with_line_and_key(mini):
    mini.write("leaflet-gen.yml", textwrap.dedent("""\
        audiences:
          - {id: fysiotherapie, name: Fysiotherapie, voice: jij}
        default_variants: [trifold, poster]
        outptu: pdfs
        """))
    result = mini.run("check")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert "leaflet-gen.yml:2:53 audiences[0].voice: expected one of 'je' or 'u', got \"jij\"" in lines
    assert 'leaflet-gen.yml:4:1 outptu: unknown key; did you mean "output"?' in lines


def test_unknown_default_variant_and_duplicate_audience(mini):
    mini.write("leaflet-gen.yml", "audiences:\n  - {id: a, name: A, voice: je}\n  - {id: a, name: B, voice: u}\n")
    assert "audience ids must differ; given more than once: a" in mini.run("check").stderr
    mini.write("leaflet-gen.yml", "default_variants: [trifold, poster]\n")
    assert ('leaflet-gen.yml:1:29 default_variants[1]: unknown variant "poster": expected one of large-print, '
            "office, screen, trifold (built in, or files in variants/)") in mini.run("check").stderr


def test_default_variants_and_output_folder(mini, monkeypatch):
    mini.write("leaflet-gen.yml", "default_variants: [office]\noutput: pdf\n")
    built = api.build_leaflets(mini.root)
    assert [e.output for e in built.report.entries] == [str(mini.root / "pdf/test/demo-fysiotherapie-office.pdf")]
    assert built.output_dir == mini.root / "pdf"
    assert (mini.root / "pdf" / "test" / "demo-fysiotherapie-office.pdf").is_file()


def test_the_wizard_asks_for_the_settings_audiences(mini):
    from leaflet_gen.tools.wizard import parse_audiences, questions

    ergo_project(mini)
    ids = Project.open(mini.root).settings.audience_ids
    asked = [q for q in questions(ids) if q.key == "audiences"][0]
    assert asked.text == "Which leaflets do you hand out: fysiotherapie, orthopedie, ergotherapie or all"
    assert asked.default == "all"
    assert parse_audiences("ergotherapie, fysiotherapie", ids) == ["fysiotherapie", "ergotherapie"]


@pytest.mark.parametrize("value,where", [
    ("practices", "practices/"), ("content/pdf", "content/"), ("./templates/", "templates/"), ("styles", "styles/"),
    ("variants/out", "variants/"), ("fonts", "fonts/"), ("linked", "content/")])
def test_an_output_folder_among_the_sources_is_refused(mini, tmp_path, value, where):
    (mini.root / "linked").symlink_to(mini.root / "content")  # a link that leads there counts too
    mini.write("leaflet-gen.yml", f"output: {value}  # the PDFs\n")
    message = (f'leaflet-gen.yml:1:9 output: the output folder "{value}" is inside {where}, among the project\'s '
               'sources: what leaflet-gen writes must not land among the files it reads; choose a folder of its '
               'own, like "out"')
    for command in (["check"], ["build"], ["build", "--all"], ["build", "--practice", "test"]):
        result = mini.run(*command)
        assert result.exit_code == 1, (command, result.output)
        assert result.stderr.splitlines()[0] == message, command
    assert sorted(p.name for p in (mini.root / "content").rglob("*.pdf")) == []


def test_the_project_folder_itself_is_no_output_folder(mini, tmp_path):
    mini.write("leaflet-gen.yml", "output: .\n")
    assert mini.run("build").stderr.splitlines()[0] == \
        'leaflet-gen.yml:1:9 output: expected a folder inside the project, like "out", got "."'
    mini.write("leaflet-gen.yml", "output: out\n")
    outside = tmp_path / "elsewhere"
    for args, shown in (
            (["build", "--output", str(mini.root)], f"--output {mini.root} is the project folder itself"),
            (["build", "--all", "--output", str(mini.root / "practices" / "pdf")],
             f"--output {mini.root / 'practices' / 'pdf'} is inside practices/, among the project's sources"),
            (["build", "--practice", "test", "--audience", "fysiotherapie", "--topic", "demo", "--output", str(outside),
              "--html", str(mini.root / "templates" / "page.html")],
             f"--html {mini.root / 'templates' / 'page.html'} is inside templates/, among the project's sources"),
            (["preview", "--practice", "test", "--output", str(mini.root / "content" / "png")],
             f"--output {mini.root / 'content' / 'png'} is inside content/, among the project's sources")):
        result = mini.run(*args)
        assert (result.exit_code, result.stderr) == (1, f"Error: {shown}: what leaflet-gen writes must not land among "
                                                        'the files it reads; choose a folder of its own, like "out"\n')
    assert not outside.exists() and not (mini.root / "test").exists()
    assert sorted(p.name for p in mini.root.rglob("*.pdf")) == []


def test_a_nul_in_the_output_folder_is_a_located_error(mini):
    mini.write("leaflet-gen.yml", 'output: "o\\0ut"\n')
    for command in (["check"], ["build"], ["build", "--practice", "test"], ["list"]):
        result = mini.run(*command)
        assert result.exit_code == 1, (command, result.output)
        assert result.stderr.splitlines()[0] == ("leaflet-gen.yml:1:9 output: a path cannot contain the control "
                                                 "character U+0000; got 'o\\x00ut'"), command
