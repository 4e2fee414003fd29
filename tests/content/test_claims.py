"""The claims register: check holds each block's numbers and strength words to its claims.

A small project (conftest.MiniProject) gets a register; each test changes one sentence the way a
rewrite drifts, and reads what `check` (and the build) say, exactly.
"""

from __future__ import annotations

import textwrap

import pytest
import yaml
from conftest import ROOT

CLAIMS = """\
status: approved
approved_by: "Werkgroep"
approved_on: 2026-11-01
claims:
  - id: komt-veel-voor
    statement: "Lage rugpijn komt veel voor."
    audiences: [fysiotherapie]
    kind: fact
    source: "Bronfolder, In het kort"
  - id: blijf-bewegen
    statement: "Blijf bewegen."
    audiences: [fysiotherapie]
    kind: advice
    source: "Bronfolder, In het kort"
  - id: pijn-onderrug
    statement: "Lage rugpijn is pijn onder in je rug; het heet ook lumbago."
    audiences: [fysiotherapie]
    kind: fact
    source: "Bronfolder, Wat is lage rugpijn?"
  - id: tillen
    statement: "Buig je knieën en houd je rug recht."
    audiences: [fysiotherapie]
    kind: advice
    source: "Bronfolder, Tillen"
  - id: huisarts-4-weken
    statement: "Gaat het na 4 weken niet beter, dan kun je soms je huisarts bellen."
    audiences: [fysiotherapie]
    kind: possibility
    strength: [kan, soms]
    numbers: ["4 weken"]
    source: "Bronfolder, Wanneer naar de huisarts?"
"""

SECTIONS = {
    "kort": """\
        blocks:
          - type: summary
            claims: [komt-veel-voor, blijf-bewegen]
            items: ["Lage rugpijn komt veel voor.", "Blijf **bewegen**."]
        """,
    "uitleg": """\
        title: Wat is lage rugpijn?
        blocks:
          - type: paragraph
            claims: [pijn-onderrug]
            text: "Lage rugpijn is pijn onder in je rug. Het heet ook *lumbago*."
          - type: list
            claims: [tillen]
            items: ["Buig je knieën.", "Houd je rug recht."]
        """,
    "huisarts": """\
        title: Wanneer naar de huisarts?
        blocks:
          - type: paragraph
            claims: [huisarts-4-weken]
            text: "Gaat het na 4 weken niet beter? Dan kun je soms je huisarts bellen."
        """,
}


@pytest.fixture
def claimed(mini):
    mini.write("content/demo/claims.yaml", CLAIMS)
    for name, text in SECTIONS.items():
        mini.write(f"content/demo/{name}.yaml", textwrap.dedent(text))
    return mini


def _huisarts(project, text: str) -> None:
    project.write("content/demo/huisarts.yaml", textwrap.dedent(SECTIONS["huisarts"]).replace(
        "Gaat het na 4 weken niet beter? Dan kun je soms je huisarts bellen.", text))


def _warnings(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("Warning:")]


def test_a_text_true_to_its_claims_passes_and_the_coverage_table_lists_each_claim(claimed):
    result = claimed.run("--verbose", "check")
    assert result.exit_code == 0, result.output
    assert _warnings(result) == []
    assert "Claims of content/demo for fysiotherapie: 5 of 5 carried" in result.stdout
    assert "  huisarts-4-weken               possibility kan, soms              huisarts" in result.stdout


def test_a_changed_dose_is_an_error_naming_the_file_line_claim_and_the_registers_value(claimed):
    _huisarts(claimed, "Gaat het na 6 weken niet beter? Dan kun je soms je huisarts bellen.")
    result = claimed.run("check")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:2] == [
        'content/demo/huisarts.yaml:5:11 blocks[0].text: claim "huisarts-4-weken": the register says "4 weeks"'
        .replace("4 weeks", "4 weken") + ', but this block does not print it; write the number exactly as in '
        "claims.yaml",
        "content/demo/huisarts.yaml:5:11 blocks[0].text: the number 6 is in none of this block's claims "
        "(huisarts-4-weken: 4 weken); correct it, or correct the register",
    ]
    # The build refuses it too: a wrong number never reaches a PDF.
    build = claimed.run("build", "--output", str(claimed.root / "out"))
    assert build.exit_code == 1
    assert not list((claimed.root / "out").rglob("*.pdf"))


def test_a_dropped_strength_word_and_an_order_for_a_possibility_are_warnings(claimed):
    _huisarts(claimed, "Gaat het na 4 weken niet beter? Bel dan je huisarts.")
    result = claimed.run("check")
    assert result.exit_code == 0, result.output
    assert _warnings(result) == [
        'Warning: content/demo/huisarts.yaml:5:11 blocks[0].text: claim "huisarts-4-weken": the strength word '
        '"kan" is missing from "Gaat het na 4 weken niet beter? Bel dan je ..."; keep it as strong as the claim: '
        '"Gaat het na 4 weken niet beter, dan kun je soms je huisarts bellen."',
        'Warning: content/demo/huisarts.yaml:5:11 blocks[0].text: claim "huisarts-4-weken": the strength word '
        '"soms" is missing from "Gaat het na 4 weken niet beter? Bel dan je ..."; keep it as strong as the claim: '
        '"Gaat het na 4 weken niet beter, dan kun je soms je huisarts bellen."',
        'Warning: content/demo/huisarts.yaml:5:11 blocks[0].text: claim "huisarts-4-weken" is a possibility, but '
        '"Gaat het na 4 weken niet beter? Bel dan je ..." reads as an order: write it with kan/kunt/kun/kunnen ... '
        'as the claim does: "Gaat het na 4 weken niet beter, dan kun je soms je huisarts bellen."',
    ]
    assert claimed.run("check", "--strict").exit_code == 1


def test_a_dropped_claim_and_an_unclaimed_medical_sentence_are_warnings(claimed):
    claimed.write("content/demo/uitleg.yaml", textwrap.dedent(SECTIONS["uitleg"]).replace(
        "    claims: [tillen]\n", ""))
    result = claimed.run("--verbose", "check")
    assert result.exit_code == 0, result.output
    assert _warnings(result) == [
        'Warning: content/demo/uitleg.yaml:7:13 blocks[1].items[0]: "Buig je knieën." has a part of the body '
        '("knie") but carries no claim: name the claim it states in the block\'s claims: [...] (claims.yaml), or '
        "rewrite it as connecting text",
        'Warning: content/demo/uitleg.yaml:7:32 blocks[1].items[1]: "Houd je rug recht." has a part of the body '
        '("rug") but carries no claim: name the claim it states in the block\'s claims: [...] (claims.yaml), or '
        "rewrite it as connecting text",
        'Warning: content/demo/claims.yaml:20 claims: claim "tillen" is carried by no section of fysiotherapie: '
        'the leaflet dropped it ("Buig je knieën en houd je rug recht."); add it to a block with claims: '
        "[tillen], or remove fysiotherapie from the claim's audiences",
    ]
    assert "  tillen                         advice      -                      NOT CARRIED" in result.stdout


def test_unknown_claims_and_strength_words_are_located_errors(claimed):
    claimed.write("content/demo/claims.yaml", CLAIMS.replace("strength: [kan, soms]", "strength: [kan, somms]"))
    claimed.write("content/demo/uitleg.yaml", textwrap.dedent(SECTIONS["uitleg"]).replace(
        "claims: [tillen]", "claims: [tilen]"))
    result = claimed.run("check")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith('content/demo/claims.yaml:29:21 claims[4].strength[1]: "somms" is not a strength '
                               'word of language "nl"; use one of: soms, heel soms, meestal, vaak, kan, ')
    assert lines[1] == ('content/demo/uitleg.yaml:7:14 blocks[1].claims[0]: unknown claim "tilen": it is not in '
                        "content/demo/claims.yaml; add it there or correct the id")


def test_a_claim_for_another_audience_is_an_error(claimed):
    claimed.write("content/demo/claims.yaml", CLAIMS.replace(
        "  - id: tillen\n    statement: \"Buig je knieën en houd je rug recht.\"\n    audiences: [fysiotherapie]",
        "  - id: tillen\n    statement: \"Buig je knieën en houd je rug recht.\"\n    audiences: [orthopedie]"))
    result = claimed.run("check")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        'content/demo/uitleg.yaml:7:14 blocks[1].claims[0]: claim "tillen" is not for fysiotherapie, but this '
        "section is printed for fysiotherapie: add the audience to the claim in content/demo/claims.yaml, or "
        "remove the claim from the block")


def test_a_concept_register_is_a_governance_warning(claimed):
    claimed.write("content/demo/claims.yaml", CLAIMS.replace("status: approved", "status: concept"))
    result = claimed.run("check")
    assert result.exit_code == 0
    assert _warnings(result) == [
        'Warning: content/demo/claims.yaml status: the claims register is a concept: leaflets carry a "CONCEPT" '
        "mark until a reviewer approves it (status, approved_by, approved_on)"]


def test_the_shipped_register_is_approved_and_every_claim_is_carried_in_strength():
    from leaflet_gen.content.claims import check_topic
    from leaflet_gen.content.project import Project

    project = Project.open(ROOT)
    topic = project.load_topic("lage-rugpijn")
    report = check_topic(topic, "nl", project.rel)
    assert topic.claims.status == "approved"
    assert report.errors == [] and [str(w) for w in report.warnings] == []
    assert all(where for rows in report.coverage.values() for where in rows.values())
    register = yaml.safe_load((ROOT / "content/lage-rugpijn/claims.yaml").read_text(encoding="utf-8"))
    assert {c["id"] for c in register["claims"]} == set(report.claims)
