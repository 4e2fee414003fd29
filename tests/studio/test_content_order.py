"""The topic page's changes (#31 item 2): a new section, a section renamed, a section moved, each
written as a round trip (comments kept) and refused with a Dutch message when it would break the
topic; the page then shows what the change did to the fit (mm per panel, before and after)."""

from __future__ import annotations

import re

import pytest
from studio_support import TRIFOLD, studio_fixtures

from leaflet_gen.content.project import Project
from leaflet_gen.i18n import translate
from leaflet_gen.studio.labels import panel_name

studio, client = studio_fixtures("order")
FORM = {"csrf_token": "test-csrf"}
TOPIC = "content/lage-rugpijn/topic.yaml"


def flow(studio) -> list[str]:
    return list(Project(studio.root).load_topic("lage-rugpijn").data.audiences["fysiotherapie"].flow)


def change(client, **values):
    return client.post("/content/lage-rugpijn/order", data={**FORM, **values})


def fit_table(html: str) -> list[tuple[str, str, str]]:
    table = html[html.index('<table class="fit-table">'):html.index("</table>")]
    return re.findall(r'<th scope="row">([^<]+)</th><td>([^<]+)</td><td>([^<]+)</td>', table)


def test_the_topic_page_offers_move_new_and_rename(client):
    page = client.get("/content/lage-rugpijn").text
    assert 'aria-label="Wanneer stopt de behandeling? omlaag"' in page
    assert page.count('name="action" value="new"') == 2 and '<h2>Een sectie hernoemen</h2>' in page
    # The first section of each part cannot move up, the last not down.
    first = page.index('name="section" value="fysio-in-het-kort"')
    assert 'value="up" class="secondary small" aria-label="fysio-in-het-kort omhoog" disabled' in page[first:first + 800]
    # Both texts approved: the page says, before anything is moved, what a move does to that.
    assert page.count('class="hint approved-note"') == 2 and "CONCEPT-stempel tot hij opnieuw is goedgekeurd" in page


def test_a_move_writes_topic_yaml_with_its_comments_and_shows_the_fit_before_and_after(client, studio):
    before_text = (studio.root / TOPIC).read_text(encoding="utf-8")
    order = flow(studio)
    at = order.index("fysio-doel")
    answer = change(client, action="move", audience="fysiotherapie", section="fysio-doel", direction="down")
    assert answer.status_code == 303 and answer.headers["location"].endswith("#fit-change")
    after_text = (studio.root / TOPIC).read_text(encoding="utf-8")
    assert after_text.splitlines()[:2] == before_text.splitlines()[:2]  # the comments at the top
    moved = flow(studio)
    assert moved[at + 1] == "fysio-doel" and moved[at] == order[at + 1] and sorted(moved) == sorted(order)
    page = client.get(answer.headers["location"].split("#")[0]).text
    assert "Sectie „fysio-doel” is omlaag verplaatst." in page
    rows = fit_table(page)
    entry = studio.get(TRIFOLD)
    panels = entry.good.built.geometry.panels
    assert [r[0] for r in rows] == [translate(panel_name(p.id, p.label), "nl") for p in panels]
    for (label, _before, after), panel in zip(rows, panels):  # after: what the leaflet page says now
        assert after == f"{max(entry.good.built.space_left[panel.id], 0):.0f} mm over", label
    assert all(re.fullmatch(r"\d+ mm (over|te lang)", b) for _, b, _ in rows)
    assert "Gemeten op Lage rugpijn" in page
    # What the note said: the moved audience's text is no longer the approved one; the other's is.
    fysio = page[page.index('id="audience-fysiotherapie"'):page.index('id="audience-orthopedie"')]
    assert 'data-state="changed"' in fysio and "approved-note" not in fysio
    assert "approved-note" in page[page.index('id="audience-orthopedie"'):]
    journal = (studio.root / "content/lage-rugpijn/journal.jsonl").read_text(encoding="utf-8")
    assert "omlaag verplaatst" in journal and '"content/lage-rugpijn/topic.yaml"' in journal


def test_a_move_past_the_end_is_refused_in_dutch(client, studio):
    before = (studio.root / TOPIC).read_bytes()
    answer = change(client, action="move", audience="fysiotherapie", section="fysio-in-het-kort", direction="up")
    assert answer.status_code == 409 and "„fysio-in-het-kort” staat al als eerste in zijn deel." in answer.text
    assert change(client, action="move", audience="fysiotherapie", section="ortho-intro",
                  direction="up").status_code == 404
    assert (studio.root / TOPIC).read_bytes() == before


def test_a_new_section_gets_a_valid_skeleton_and_its_place_in_the_flow(client, studio):
    answer = change(client, action="new", audience="fysiotherapie", part="flow", section="fysio-extra",
                    title='Extra "vragen"')
    assert answer.status_code == 303
    text = (studio.root / "content/lage-rugpijn/fysio-extra.yaml").read_text(encoding="utf-8")
    assert text == ('# yaml-language-server: $schema=../../schemas/section.schema.json\n'
                    'title: "Extra \\"vragen\\""\nblocks:\n  - type: paragraph\n'
                    '    text: "Schrijf hier de tekst van deze sectie."\n')
    topic = Project(studio.root).load_topic("lage-rugpijn")  # loads: the skeleton is valid
    assert topic.sections["fysio-extra"].title == 'Extra "vragen"' and flow(studio)[-1] == "fysio-extra"
    page = client.get(answer.headers["location"].split("#")[0]).text
    assert "Nieuwe sectie „fysio-extra” toegevoegd" in page and 'data-section="fysio-extra"' in page
    rows = fit_table(page)
    assert rows and rows != [(label, b, b) for label, b, _ in rows]  # a paragraph more: some panel has less room


@pytest.mark.parametrize(("section", "status", "words"), [
    ("fysio-doel", 409, "De sectie-id „fysio-doel” is in dit onderwerp al in gebruik"),
    ("Fysio Extra", 400, "„Fysio Extra” kan geen sectie-id zijn"),
    ("topic", 400, "„topic” kan geen sectie-id zijn"),
    ("../x", 400, "kan geen sectie-id zijn"),
])
def test_a_taken_or_invalid_id_is_refused_and_nothing_is_written(client, studio, section, status, words):
    files = sorted(p.name for p in (studio.root / "content/lage-rugpijn").iterdir())
    topic = (studio.root / TOPIC).read_bytes()
    new = change(client, action="new", audience="fysiotherapie", part="flow", section=section, title="X")
    renamed = change(client, action="rename", section="fysio-extra", new_id=section)
    for answer in (new, renamed):
        assert answer.status_code == status and words in answer.text
    assert sorted(p.name for p in (studio.root / "content/lage-rugpijn").iterdir()) == files
    assert (studio.root / TOPIC).read_bytes() == topic


def test_rename_moves_the_file_and_every_reference(client, studio):
    answer = change(client, action="rename", section="fysio-extra", new_id="fysio-meer-vragen")
    assert answer.status_code == 303
    folder = studio.root / "content/lage-rugpijn"
    assert not (folder / "fysio-extra.yaml").exists() and (folder / "fysio-meer-vragen.yaml").is_file()
    assert "fysio-extra" not in (studio.root / TOPIC).read_text(encoding="utf-8")
    assert flow(studio)[-1] == "fysio-meer-vragen"
    page = client.get(answer.headers["location"].split("#")[0]).text
    assert "Sectie „fysio-extra” hernoemd naar „fysio-meer-vragen”" in page
    assert client.get("/content/lage-rugpijn/fysio-meer-vragen").status_code == 200
