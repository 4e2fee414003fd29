"""The content desk's routes (/content/...), with Starlette's test client over an in-process studio.

Fast checks of what tests/studio/test_content_browser.py drives end to end: a section as a form,
the draft checked as `leaflet-gen check` checks the file, a save that keeps comments, order and
quoting and refuses a lost update, the topic page with review states and approval, the history
(a journal outside git, commits of exactly the written files inside git), --read-only.
"""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from studio_support import drafts_given_up, nl, project_copy, started_studio

from leaflet_gen import api
from leaflet_gen.studio import content_file, content_history
from leaflet_gen.studio.labels import CONTENT_PART

CSRF = {"X-CSRF-Token": "test-csrf"}
TOPIC = "/content/lage-rugpijn"
DOEL = TOPIC + "/fysio-doel"
MEDICIJNEN = TOPIC + "/ortho-medicijnen"
COMMENT = "    # Nagekeken door de werkgroep: deze zin niet inkorten.\n"


@pytest.fixture(scope="module")
def studio(tmp_path_factory):
    root = project_copy(tmp_path_factory.mktemp("content"), variants=("trifold",))
    doel = root / "content/lage-rugpijn/fysio-doel.yaml"
    text = doel.read_text(encoding="utf-8")
    doel.write_text(text.replace("    text:", COMMENT + "    text:"), encoding="utf-8")
    with started_studio(root) as studio:
        yield studio


@pytest.fixture(scope="module")
def client(studio):
    from starlette.testclient import TestClient

    from leaflet_gen.studio.app import create_app

    return TestClient(create_app(studio, allowed_hosts={"testserver"}, csrf="test-csrf"), follow_redirects=False)


def opened(client, url: str) -> tuple[str, dict]:
    """The version and the values of a section's form, as the page holds them."""
    html = client.get(url).text
    values = re.search(r'<script type="application/json" id="section-values">(.*?)</script>', html)[1]
    return re.search(r'data-version="(\w+)"', html)[1], json.loads(values)


def post(client, url: str, version: str, values: dict, **extra):
    return client.post(url, json={"values": values, "version": version, **extra}, headers=CSRF)


def test_the_topic_page_lists_each_audiences_sections_in_leaflet_order(client):
    html = client.get(TOPIC).text
    fysio = html[html.index('id="audience-fysiotherapie"'):html.index('id="audience-orthopedie"')]
    order = re.findall(r'data-section="([^"]+)"', fysio)
    assert order[0] == "fysio-in-het-kort" and order[-1] == "fysio-huisarts" and order.index("fysio-doel") > 1
    assert fysio.index(nl(CONTENT_PART["cover"])) < fysio.index(nl(CONTENT_PART["flow"])) \
        < fysio.index(nl(CONTENT_PART["back"]))
    assert 'data-state="approved"' in fysio and nl("Next review: %(date)s").split(":")[0] in fysio
    assert 'action="/content/lage-rugpijn/approve"' in fysio and "data-remember-name" in fysio
    assert client.get("/content/geen-onderwerp").status_code == 404
    assert client.get(TOPIC + "/geen-sectie").status_code == 404
    assert client.get(TOPIC + "/..%2Ftopic").status_code == 404


def test_the_leaflet_page_links_to_its_texts(client):
    html = client.get("/leaflets/fysio-delinde/lage-rugpijn/fysiotherapie/trifold").text
    assert 'href="/content/lage-rugpijn"' in html


def test_the_section_form_has_its_blocks_and_claims(client):
    html = client.get(MEDICIJNEN).text
    version, values = opened(client, MEDICIJNEN)
    assert values["title"] == "Medicijnen" and values["keep_together"] is True
    assert [b["type"] for b in values["blocks"]] == ["paragraph"] * 5
    assert values["blocks"][1]["claims"] == ["paracetamol-dosis", "gel-eventueel"]
    claims = json.loads(re.search(r'id="section-claims">(.*?)</script>', html)[1])
    assert claims["paracetamol-dosis"]["numbers"] and claims["paracetamol-dosis"]["source"]
    assert "eventueel" in claims["gel-eventueel"]["strength"]


def test_a_draft_is_checked_as_the_file_would_be(client):
    version, values = opened(client, MEDICIJNEN)
    answer = post(client, MEDICIJNEN + "/check", version, values).json()
    assert answer["ok"] and answer["problems"] == {} and "zinnen" in answer["stats"]
    text = values["blocks"][3]["text"]
    values["blocks"][3]["text"] = ""
    answer = post(client, MEDICIJNEN + "/check", version, values).json()
    assert not answer["ok"] and any("hier moet tekst staan" in m for m in answer["problems"]["3"])
    values["blocks"][3]["text"] = text
    values["blocks"][1]["text"] = values["blocks"][1]["text"].replace("500 mg", "1000 mg")  # a wrong dose
    answer = post(client, MEDICIJNEN + "/check", version, values).json()
    assert not answer["ok"] and any("500 mg" in m for m in answer["problems"]["1"])  # at the block with the dose
    values["blocks"][1]["text"] = values["blocks"][1]["text"].replace("1000 mg", "500 mg")
    values["blocks"][2]["text"] += " Ibuprofen is een pijnstiler."  # a spelling mistake
    answer = post(client, MEDICIJNEN + "/check", version, values).json()
    assert answer["ok"], answer
    assert any("pijnstiler" in m for m in answer["findings"]["2"])  # spelling, inline at its block


def test_save_keeps_comments_order_and_quoting_and_refuses_a_lost_update(client, studio):
    path = studio.root / "content/lage-rugpijn/fysio-doel.yaml"
    before = path.read_text(encoding="utf-8")
    version, values = opened(client, DOEL)
    values["blocks"][0]["text"] = values["blocks"][0]["text"].replace("Dan stop je", "Dan rond je")
    values["blocks"].append({"origin": None, "type": "tip", "title": "Tip", "text": "Vraag om een **oefenschema**."})
    answer = post(client, DOEL + "/save", version, values, by="Dr. A. de Vries").json()
    assert answer["ok"], answer
    after = path.read_text(encoding="utf-8")
    assert after == before.replace("Dan stop je", "Dan rond je") + \
        '  - type: tip\n    title: "Tip"\n    text: "Vraag om een **oefenschema**."\n'
    assert COMMENT in after and after.startswith("# yaml-language-server")
    assert [b["origin"] for b in answer["values"]["blocks"]] == [0, 1]
    # The same form again (opened before that save): refused, nothing written.
    refused = post(client, DOEL + "/save", version, values)
    assert refused.status_code == 409 and refused.json()["message"] == nl("Not saved: this file was changed outside "
                                                                          "this form since you opened it. Saving "
                                                                          "would overwrite that change. Reload the "
                                                                          "page to see the new version (what you "
                                                                          "typed here is then lost; copy it first if "
                                                                          "need be).")
    # An outside change since the form opened: refused too.
    version, values = opened(client, DOEL)
    path.write_text(after.replace("Tip", "Advies"), encoding="utf-8")
    values["blocks"].pop()
    assert post(client, DOEL + "/save", version, values).status_code == 409
    assert "Advies" in path.read_text(encoding="utf-8")
    path.write_text(after, encoding="utf-8")


def test_blocks_reorder_and_remove_with_their_comments(client, studio):
    path = studio.root / "content/lage-rugpijn/fysio-doel.yaml"
    version, values = opened(client, DOEL)
    values["blocks"].reverse()
    assert post(client, DOEL + "/save", version, values).json()["ok"]
    text = path.read_text(encoding="utf-8")
    assert text.index("type: tip") < text.index("type: paragraph") < text.index(COMMENT)
    version, values = opened(client, DOEL)
    values["blocks"] = [b for b in values["blocks"] if b["type"] == "paragraph"]
    assert post(client, DOEL + "/save", version, values).json()["ok"]
    assert "type: tip" not in path.read_text(encoding="utf-8") and COMMENT in path.read_text(encoding="utf-8")


def test_a_save_with_problems_is_refused_and_writes_nothing(client, studio):
    path = studio.root / "content/lage-rugpijn/ortho-medicijnen.yaml"
    before = path.read_text(encoding="utf-8")
    version, values = opened(client, MEDICIJNEN)
    values["blocks"][1]["text"] = values["blocks"][1]["text"].replace("500 mg", "1000 mg")
    answer = post(client, MEDICIJNEN + "/save", version, values)
    assert answer.status_code == 409 and answer.json()["message"] == nl("Not saved: first fix the errors (marked in "
                                                                        "red).")
    assert "1" in answer.json()["problems"] and path.read_text(encoding="utf-8") == before


def test_the_preview_renders_the_unsaved_text(client):
    version, values = opened(client, DOEL)
    values["blocks"][0]["text"] = "Heb je je doelen bereikt? Dan vier je dat met een wandeling."
    answer = post(client, DOEL + "/preview", version, values).json()
    assert answer["ok"], answer
    assert "vier je dat met een wandeling" in " ".join(answer["text"].split())
    assert [p["caption"] for p in answer["pictures"]] == [nl("Outside (sheet 1)"), nl("Inside (sheet 2)")]
    assert client.get(answer["pictures"][0]["url"]).headers["content-type"] == "image/png"
    assert {f["label"] for f in answer["fit"]} >= {"voorkant", "binnenflap"}


def test_a_preview_given_up_for_a_newer_text_of_its_form_says_so_and_nothing_else(client, studio, monkeypatch):
    asked = drafts_given_up(studio, monkeypatch)
    version, values = opened(client, DOEL)
    answer = post(client, DOEL + "/preview", version, values, stream="page-1")
    assert answer.status_code == 200 and answer.json() == {"ok": False, "superseded": True}
    assert asked == ["content:page-1"]  # the form's stream, apart from the practice editor's
    post(client, DOEL + "/preview", version, values)
    assert asked[-1] == ""  # no stream: nothing to give up


def test_a_newer_draft_of_a_stream_gives_up_the_one_under_way_and_no_other(tmp_path):
    from types import SimpleNamespace

    from leaflet_gen.studio import state

    class Recording:
        """A renderer that only records (render processes: drafts answer later, through it)."""

        size = processes = 2

        def __init__(self) -> None:
            self.submitted, self.cancelled = [], []

        def start(self, leaflets: int) -> None:
            pass

        def submit(self, request, tag=None) -> None:
            self.submitted.append(tag)

        def cancel(self, tag) -> None:
            self.cancelled.append(tag)

        def close(self) -> None:
            pass

    renderer = Recording()
    studio = state.Studio(project_copy(tmp_path / "p", variants=("trifold",)), renderer)
    draft = SimpleNamespace(request=None)
    studio.render_draft(draft, "content:a")
    studio.render_draft(draft, "content:b")  # another page: its own stream
    studio.render_draft(draft)  # a draft without a stream: nothing to give up
    assert renderer.cancelled == []
    studio.render_draft(draft, "content:a")
    assert renderer.cancelled == [renderer.submitted[0]]
    studio.render_draft(draft, "content:a")
    assert renderer.cancelled == [renderer.submitted[0], renderer.submitted[3]]


def test_approve_from_the_topic_page_then_an_edit_makes_it_changed(client, studio):
    version, values = opened(client, DOEL)
    values["blocks"][0]["text"] += " Je therapeut helpt je daarbij."
    assert post(client, DOEL + "/save", version, values).json()["ok"]
    assert 'data-state="changed"' in client.get(TOPIC).text
    answer = client.post(TOPIC + "/approve", data={"csrf_token": "test-csrf", "audience": "fysiotherapie",
                                                   "by": "Dr. A. de Vries", "note": "Na overleg"})
    assert answer.status_code == 303
    page = client.get(answer.headers["location"]).text
    done = nl("Approved: %(audience)s, by %(by)s. %(recorded)s", audience="fysiotherapie", by="Dr. A. de Vries",
              recorded="")
    assert done.strip() in page
    fysio = page[page.index('id="audience-fysiotherapie"'):page.index('id="audience-orthopedie"')]
    assert 'data-state="approved"' in fysio and "Dr. A. de Vries" in fysio and nl("This leaflet gets a DRAFT stamp until the text is approved (again).") not in fysio
    assert {(s.audience, s.state) for s in api.review_status(studio.root)} >= {("fysiotherapie", "approved")}
    version, values = opened(client, DOEL)
    values["blocks"][0]["text"] = values["blocks"][0]["text"].replace(" Je therapeut helpt je daarbij.", "")
    assert post(client, DOEL + "/save", version, values).json()["ok"]
    fysio = client.get(TOPIC).text
    assert 'data-state="changed"' in fysio and nl("This leaflet gets a DRAFT stamp until the text is approved "
                                                  "(again).") in fysio
    # No name, no approval; a wrong audience is the CLI's refusal, not a 500.
    assert client.post(TOPIC + "/approve", data={"csrf_token": "test-csrf", "audience": "fysiotherapie",
                                                 "by": " "}).status_code == 422
    assert client.post(TOPIC + "/approve", data={"csrf_token": "test-csrf", "audience": "tandarts",
                                                 "by": "X"}).status_code == 422
    assert client.post(TOPIC + "/approve", data={"audience": "fysiotherapie", "by": "X"}).status_code == 403


def test_outside_git_the_history_is_a_journal_with_every_version(client, studio):
    journal = studio.root / "content/lage-rugpijn/journal.jsonl"
    entries = [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()]
    assert entries[0]["by"] == "Dr. A. de Vries" and "content/lage-rugpijn/fysio-doel.yaml" in entries[0]["files"]
    assert any("approvals.jsonl" in f for e in entries for f in e["files"])
    html = client.get(TOPIC + "/history").text
    versions = re.findall(r'data-version="(\d+)"', html)
    assert len(versions) == len(entries) >= 6
    first = client.get(f"{TOPIC}/history/0").text  # since the first save: the tip came and went, the text changed
    assert 'data-section="fysio-doel"' in first and 'class="del"' in first and "Dan rond je" in first
    assert client.get(f"{TOPIC}/history/999").status_code == 404
    assert client.get(f"{TOPIC}/history/0/visual/fysiotherapie").status_code == 404  # pictures need git


def test_read_only_shows_no_form_and_writes_nothing(client, studio):
    version, values = opened(client, DOEL)
    studio.read_only = True
    try:
        page = client.get(DOEL)
        assert page.status_code == 403 and nl("The studio runs in read-only mode (--read-only): texts cannot be "
                                              "changed or approved here.") in page.text and "section-form" not in page.text
        topic = re.split(r"<main[^>]*>", client.get(TOPIC).text)[1]
        assert "<form" not in topic and 'href="/content/lage-rugpijn/fysio-doel"' not in topic
        assert client.get(TOPIC + "/geen-sectie").status_code == 404
        assert post(client, DOEL + "/save", version, values).status_code == 403
        assert client.post(TOPIC + "/approve", data={"csrf_token": "test-csrf", "audience": "fysiotherapie",
                                                     "by": "X"}).status_code == 403
    finally:
        studio.read_only = False


def test_bad_requests_are_refused_with_a_message(client):
    version, _ = opened(client, DOEL)
    assert client.post(DOEL + "/check", content=b"{", headers={**CSRF, "Content-Type": "application/json"}).status_code == 400
    assert post(client, DOEL + "/check", version, {"blocks": "x"}).status_code == 400
    assert post(client, DOEL + "/check", version, {"blocks": [{"type": "video"}]}).status_code == 400
    assert client.post(DOEL + "/save", json={"values": {"blocks": []}}).status_code == 403  # no CSRF token


def git(root, *args):
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True).stdout


def test_in_git_a_save_commits_only_the_files_it_wrote(tmp_path):
    root = tmp_path
    (root / "content/t").mkdir(parents=True)
    for name in ("a.yaml", "b.yaml"):
        (root / "content/t" / name).write_text("title: x\n", encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "-c", "user.name=Someone", "-c", "user.email=s@example.org", "commit", "-qm", "start")
    (root / "content/t/a.yaml").write_text("title: y\n", encoding="utf-8")
    (root / "content/t/b.yaml").write_text("title: z\n", encoding="utf-8")  # someone else's change
    (root / "content/t/c.yaml").write_text("title: c\n", encoding="utf-8")
    git(root, "add", "content/t/c.yaml")  # staged by someone else: not committed by the studio either
    said = content_history.record(root, "t", {root / "content/t/a.yaml": ("title: x\n", "title: y\n")},
                                  "Folderstudio: sectie a bewerkt", "Dr. A. de Vries")
    assert nl(said).startswith("Vastgelegd in git")
    assert git(root, "log", "-1", "--format=%an|%s") == "Dr. A. de Vries|Folderstudio: sectie a bewerkt\n"
    assert git(root, "show", "--name-only", "--format=", "HEAD").split() == ["content/t/a.yaml"]
    assert set(git(root, "status", "--porcelain").splitlines()) == {" M content/t/b.yaml", "A  content/t/c.yaml"}
    (root / "content/t/a.yaml").write_text("title: w\n", encoding="utf-8")
    content_history.record(root, "t", {root / "content/t/a.yaml": ("title: y\n", "title: w\n")}, "x", "")
    assert git(root, "log", "-1", "--format=%an") == "Folderstudio\n"  # nobody named: the studio
    is_git, versions = content_history.versions(root, "t")
    assert is_git and [v.by for v in versions] == ["Folderstudio", "Dr. A. de Vries", "Someone"]
    assert content_history.find(root, "t", "HEAD") == (True, None)  # only a listed commit, never a revision


def test_a_block_the_form_does_not_know_is_kept_as_it_is():
    text = "title: X\nblocks:\n  - type: video  # a future block type\n    src: a.mp4\n  - type: paragraph\n    text: 'Een.'\n"
    values = content_file.form_values({"title": "X", "blocks": [{"type": "video", "src": "a.mp4"},
                                                                {"type": "paragraph", "text": "Een."}]})
    assert values["blocks"][0] == {"origin": 0, "type": "video", "keep": True}
    values["blocks"][1]["text"] = "Twee."
    values["blocks"].reverse()
    data, origins, kept = content_file.draft_data(content_file.Draft(values))
    assert content_file.update_text(text, data, origins, kept) == \
        "title: X\nblocks:\n  - type: paragraph\n    text: 'Twee.'\n  - type: video  # a future block type\n    src: a.mp4\n"


def test_a_draft_with_pictograms_is_composed_with_the_themes_icons():
    """The section editor's preview composes as a build does: the list icons come from the built-in
    theme (a project has no templates/icons/ of its own), never from a folder that is not there."""
    from conftest import ROOT

    from leaflet_gen.content.loaded import LeafletId
    from leaflet_gen.content.project import Project
    from leaflet_gen.studio.core_content import prepare_section_draft

    project = Project.open(ROOT)
    prepared = prepare_section_draft(project, project.load_topic("lage-rugpijn"),
                                     LeafletId("ortho-stanna", "lage-rugpijn", "orthopedie", "trifold"))
    assert set(prepared.leaflet.icons) == {"bureau", "tillen", "draaien", "schoenen", "nacht", "zitten"}
