"""Review and approval tied to the text (content/<topic>/approvals.jsonl, issue 31 item 3).

Approve -> the leaflet prints no CONCEPT; edit a sentence -> "changed after approval", CONCEPT
back; a comment changes nothing; approve again -> approved. Read back from the PDF and the CLI.
"""

from __future__ import annotations

import json

from leaflet_gen.pdf.reader import text_in

APPROVALS = "content/demo/approvals.jsonl"


def _status(mini) -> list[str]:
    result = mini.run("review", "status")
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def _concept(mini, out) -> bool:
    result = mini.run("build", "--practice", "test", "--variant", "screen", "--output", str(out))
    assert result.exit_code == 0, result.output
    return "CONCEPT" in text_in(out / "test/demo-fysiotherapie-screen.pdf", 0, 0, 210)


def test_approve_then_edit_then_approve_again(mini, tmp_path):
    topic = mini.root / "content/demo/topic.yaml"
    topic.write_text(topic.read_text(encoding="utf-8").replace("status: approved", "status: concept"), encoding="utf-8")
    assert _status(mini) == ["demo / fysiotherapie: concept, not approved; next review 2027-11-01"]
    assert _concept(mini, tmp_path / "a")

    approved = mini.run("review", "approve", "--topic", "demo", "--audience", "fysiotherapie", "--by", "Dr. A. de Vries",
                        "--note", "Eerste versie")
    assert approved.exit_code == 0, approved.output
    assert approved.stdout.startswith("Approved demo / fysiotherapie by Dr. A. de Vries at ")
    record = json.loads((mini.root / APPROVALS).read_text(encoding="utf-8"))
    assert record["by"] == "Dr. A. de Vries" and record["note"] == "Eerste versie" and record["hash"].startswith("sha256:")
    assert _status(mini)[0].startswith("demo / fysiotherapie: approved by Dr. A. de Vries at ")
    assert not _concept(mini, tmp_path / "b")  # the approval decides, not topic.yaml's status

    # A comment is not text: the approval holds.
    section = mini.root / "content/demo/uitleg.yaml"
    section.write_text("# een opmerking\n" + section.read_text(encoding="utf-8"), encoding="utf-8")
    assert not _concept(mini, tmp_path / "c")

    # One word changed: "gewijzigd na goedkeuring", CONCEPT back, and check says why.
    section.write_text(section.read_text(encoding="utf-8").replace("onder in je rug", "laag in je rug"),
                       encoding="utf-8")
    assert _status(mini)[0].startswith("demo / fysiotherapie: CHANGED after approval: prints CONCEPT by Dr. A. de Vries")
    assert _concept(mini, tmp_path / "d")
    check = mini.run("check")
    assert (f"Warning: {APPROVALS} fysiotherapie: the text changed after Dr. A. de Vries approved it on "
            f"{record['at'][:10]} (gewijzigd na goedkeuring): have it approved again with `leaflet-gen review "
            "approve --topic demo --audience fysiotherapie --by NAME`") in check.stderr

    again = mini.run("review", "approve", "--topic", "demo", "--audience", "fysiotherapie", "--by", "Dr. B. Smit")
    assert again.exit_code == 0
    assert len((mini.root / APPROVALS).read_text(encoding="utf-8").splitlines()) == 2  # the first one stays
    assert not _concept(mini, tmp_path / "e")


def test_approvals_are_refused_for_wrong_input(mini):
    assert mini.run("review", "approve", "--topic", "nope", "--audience", "fysiotherapie", "--by", "X").exit_code == 2
    wrong = mini.run("review", "approve", "--topic", "demo", "--audience", "orthopedie", "--by", "X")
    assert wrong.exit_code == 1
    assert 'topic "demo" has no leaflet for audience "orthopedie" (it has: fysiotherapie)' in wrong.stderr
    empty = mini.run("review", "approve", "--topic", "demo", "--audience", "fysiotherapie", "--by", "  ")
    assert empty.exit_code == 1 and "--by needs the reviewer's name" in empty.stderr
    control = mini.run("review", "approve", "--topic", "demo", "--audience", "fysiotherapie", "--by", "A\x1bB")
    assert control.exit_code == 1 and "without control characters" in control.stderr
    assert not (mini.root / APPROVALS).exists()


def test_a_damaged_approvals_file_is_a_located_error(mini):
    (mini.root / APPROVALS).write_text('{"audience": "fysiotherapie"}\nnot json\n', encoding="utf-8")
    result = mini.run("check")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{APPROVALS}:1 expected an object with the text fields audience, by, at, note, hash;")
    assert lines[1].startswith(f"{APPROVALS}:2 not a JSON object (")
    assert lines[1].endswith("restore it from version control")


def test_the_shipped_leaflets_are_approved_as_they_are(tmp_path):
    from conftest import ROOT

    from leaflet_gen import api

    states = api.review_status(ROOT)
    assert {(s.topic, s.audience, s.state) for s in states} == {
        ("lage-rugpijn", "fysiotherapie", "approved"), ("lage-rugpijn", "orthopedie", "approved")}
