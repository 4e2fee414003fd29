"""Several topics: a practice's topics, build / build --all / list / check / catalogues, and new-topic."""

from __future__ import annotations

import json

import pytest

from leaflet_gen.content.project import Project


@pytest.fixture
def two_topics(mini):
    mini.add_topic("nekpijn")  # tests/fixtures/topics/: a test topic, not shipped
    mini.write("leaflet-gen.yml", "variants: [trifold]  # --all: two leaflets, not eight\n")
    return mini


def practice_topics(mini, line: str) -> None:
    text = (mini.root / "practices/test/practice.yaml").read_text(encoding="utf-8")
    mini.write("practices/test/practice.yaml", text + line)


def test_list_and_check_show_every_topic(two_topics):
    assert "Topics:\n  demo\n  nekpijn\n" in two_topics.run("list").stdout
    check = two_topics.run("check")
    assert check.exit_code == 0, check.output
    assert "ok  content/demo: 3 sections" in check.stdout and "ok  content/nekpijn: 2 sections" in check.stdout


def test_a_practice_hands_out_every_topic_by_default_or_the_ones_it_names(two_topics, tmp_path):
    every = two_topics.run("build", "--practice", "test", "--output", str(tmp_path / "a"))
    assert every.exit_code == 0, every.output
    assert every.stdout.split() == [str(tmp_path / "a/test/demo-fysiotherapie-trifold.pdf"),
                                    str(tmp_path / "a/test/nekpijn-fysiotherapie-trifold.pdf")]
    practice_topics(two_topics, "topics: [nekpijn]\n")
    named = two_topics.run("build", "--output", str(tmp_path / "b"))
    assert named.exit_code == 0, named.output
    assert named.stdout.split() == [str(tmp_path / "b/test/nekpijn-fysiotherapie-trifold.pdf")]
    # An explicit --topic still builds a topic the practice does not hand out.
    asked = two_topics.run("build", "--practice", "test", "--topic", "demo", "--output", str(tmp_path / "c"))
    assert asked.stdout.split() == [str(tmp_path / "c/test/demo-fysiotherapie-trifold.pdf")]


def test_build_all_and_a_catalogue_cover_several_topics(two_topics, tmp_path):
    result = two_topics.run("build", "--all", "--output", str(tmp_path / "all"))
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "all/build-report.json").read_text(encoding="utf-8"))
    assert sorted(e["topic"] for e in report["leaflets"]) == ["demo", "nekpijn"]
    two_topics.write("catalogue.yaml", "leaflets:\n  - practice: test\n    topics: [nekpijn]\n")
    result = two_topics.run("build", "--catalogue", str(two_topics.root / "catalogue.yaml"),
                            "--output", str(tmp_path / "cat"))
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == [str(tmp_path / "cat/test/nekpijn-fysiotherapie-trifold.pdf")]


def test_a_catalogue_item_without_topics_takes_the_practices_topics(two_topics, tmp_path):
    practice_topics(two_topics, "topics: [demo]\n")
    two_topics.write("catalogue.yaml", "leaflets:\n  - practice: test\n")
    result = two_topics.run("build", "--catalogue", str(two_topics.root / "catalogue.yaml"),
                            "--output", str(tmp_path))
    assert result.stdout.split() == [str(tmp_path / "test/demo-fysiotherapie-trifold.pdf")]


def test_an_unknown_topic_in_a_practice_is_a_located_error(two_topics):
    practice_topics(two_topics, "topics: [demo, nekpjin]\n")
    result = two_topics.run("check")
    assert result.exit_code == 1
    assert ('practices/test/practice.yaml:13:16 topics[1]: topic "nekpjin" not found: expected a folder '
            "content/nekpjin/ with a topic.yaml (topics: demo, nekpijn)") in result.stderr


def test_new_topic_scaffolds_a_concept_that_checks_and_builds(mini, tmp_path):
    mini.write("leaflet-gen.yml", "audiences:\n  - {id: fysiotherapie, name: Fysiotherapie, voice: je}\n"
                                  "  - {id: ergotherapie, name: Ergotherapie, voice: je}\n"
                                  "  - {id: orthopedie, name: Orthopedie, voice: u}\n")
    result = mini.run("new-topic", "knie-artrose", "--title", "Artrose van de knie")
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == ["content/knie-artrose/topic.yaml",
                                     "content/knie-artrose/fysiotherapie-inleiding.yaml",
                                     "content/knie-artrose/ergotherapie-inleiding.yaml",
                                     "content/knie-artrose/orthopedie-inleiding.yaml"]
    folder = mini.root / "content/knie-artrose"
    assert (folder / "topic.yaml").read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=../../schemas/topic.schema.json\n")
    assert (folder / "orthopedie-inleiding.yaml").read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=../../schemas/section.schema.json\n")
    topic = Project.open(mini.root).load_topic("knie-artrose")
    assert topic.data.title == "Artrose van de knie" and topic.data.status == "concept"
    assert list(topic.data.audiences) == ["fysiotherapie", "ergotherapie", "orthopedie"]

    check = mini.run("check", "--json")
    assert check.exit_code == 0, check.output
    voice = [w for w in json.loads(check.stdout)["warnings"] if "knie-artrose" in w and "-text" in w]
    assert voice == []  # each placeholder is written in its audience's voice
    build = mini.run("build", "--practice", "test", "--topic", "knie-artrose", "--output", str(tmp_path))
    assert build.exit_code == 0, build.output

    again = mini.run("new-topic", "knie-artrose")
    assert again.exit_code == 1
    assert again.stderr.strip() == ("Error: content/knie-artrose/ already exists: choose another id, or edit "
                                    "that topic")
    bad = mini.run("new-topic", "Knie Artrose")
    assert bad.exit_code == 1 and 'topic id "Knie Artrose": expected lower-case letters' in bad.stderr


@pytest.mark.parametrize("args,message", [
    (["a" * 61], 'topic id "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa..." has 61 characters; at most 60 fit: it names '
                 "the topic's folder and every leaflet's files (a file name has at most 255 bytes); choose a shorter id"),
    (["a" * 300], 'topic id "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa..." has 300 characters; at most 60 fit: it names '
                  "the topic's folder and every leaflet's files (a file name has at most 255 bytes); choose a shorter id"),
    (["knie", "--title", "Artrose\x07"], "--title: contains the control character U+0007; a one-line text cannot "
                                         "have one: remove it"),
    (["knie", "--title", "Artrose\nvan de knie"], "--title: contains the control character U+000A; a one-line text "
                                                  "cannot have one: remove it"),
    (["knie", "--title", "Artrose \udcff"], "--title: contains bytes that are not UTF-8 text; type it again, or set "
                                            "a UTF-8 locale"),
    (["knie", "--title", "Knie ✓"], '--title: the character "✓" (U+2713, CHECK MARK) is not in the font Lato, so it '
                                    "cannot be printed; remove it or write it with other characters"),
    (["knie", "--title", " "], "--title: expected text, got an empty value"),
    (["knie", "--title", "x" * 161], "--title: that is 161 characters; at most 160 fit"),
], ids=["61-character id", "300-character id", "bell", "line break", "not utf-8", "not in the font", "blank",
        "too long"])
def test_new_topic_refuses_what_check_would_refuse_up_front(mini, args, message):
    result = mini.run("new-topic", *args)
    assert (result.exit_code, result.stderr) == (1, f"Error: {message}\n")
    assert sorted(p.name for p in (mini.root / "content").iterdir()) == ["demo", "wordlist.txt"]


def test_new_topic_takes_the_longest_id_that_fits(mini):
    result = mini.run("new-topic", "a" * 60)
    assert result.exit_code == 0, result.output
    assert mini.run("check").exit_code == 0
