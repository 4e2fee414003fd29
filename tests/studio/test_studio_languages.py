"""The studio's catalogue over a practice that hands out a translation (#33 item 7): a language
filter in the address like the others, the translation's state on its card, its own pages."""

from __future__ import annotations

import shutil

import pytest
from studio_support import ROOT, TRIFOLD, project_copy, started_studio

ENGLISH = TRIFOLD + "/en"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from starlette.testclient import TestClient

    from leaflet_gen.studio.app import create_app

    root = project_copy(tmp_path_factory.mktemp("languages"), variants=("trifold",))
    shutil.copytree(ROOT / "content/lage-rugpijn/translations", root / "content/lage-rugpijn/translations",
                    dirs_exist_ok=True)
    practice = root / "practices/fysio-delinde/practice.yaml"
    practice.write_text(practice.read_text(encoding="utf-8") + "languages: [nl, en]\n", encoding="utf-8")
    with started_studio(root) as studio:
        yield TestClient(create_app(studio, allowed_hosts={"testserver"}, csrf="test-csrf"), follow_redirects=False)


def test_the_language_filter_chooses_the_cards_and_the_card_shows_the_translation_state(client):
    page = client.get("/?language=en").text
    assert '<select name="language" data-filter="language">' in page
    assert '<option value="en" selected>Engels</option>' in page and '<option value="nl">Nederlands</option>' in page
    assert page.count('data-language="en"') == 1 and page.count('data-language="nl"') == 1
    english = page.split('id="card-fysio-delinde--lage-rugpijn--fysiotherapie--trifold--en"')[1].split("</article>")[0]
    dutch = page.split('id="card-fysio-delinde--lage-rugpijn--fysiotherapie--trifold"')[1].split("</article>")[0]
    assert dutch.split(">")[0].endswith(" hidden") and not english.split(">")[0].endswith(" hidden")
    assert "· Engels" in english and "vertaling niet goedgekeurd" in english
    assert "translated but not approved" in english  # the concept reason, as the build says it
    assert "vertaling niet goedgekeurd" not in dutch


def test_a_translation_has_its_own_pages(client):
    assert client.get(f"/leaflets/{ENGLISH}").status_code == 200
    pdf = client.get(f"/leaflets/{ENGLISH}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    dutch = client.get(f"/leaflets/{TRIFOLD}/pdf")
    assert dutch.status_code == 200 and dutch.content != pdf.content
    assert client.get(f"/leaflets/{TRIFOLD}/xx").status_code == 404
