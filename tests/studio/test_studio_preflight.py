"""The print shop's preflight page (#32 item 3): an uploaded PDF gets the checks of `leaflet-gen
preflight`, in Dutch, bounded like the CLI (size, pages) and in time; refusals are Dutch, never a 500."""

from __future__ import annotations

import markupsafe
from studio_support import TRIFOLD, studio_fixtures

from leaflet_gen.i18n import translate
from leaflet_gen.pdf.preflight import preflight_file
from leaflet_gen.studio import preflight_page

studio, client = studio_fixtures("preflight")
HEADERS = {"X-CSRF-Token": "test-csrf", "Content-Type": "application/octet-stream",
           "X-File-Name": "folder%20drukker.pdf"}


def check(client, data: bytes, variant: str = "trifold", headers=HEADERS):
    return client.post(f"/preflight/check?variant={variant}", content=data, headers=headers)


def test_the_catalogue_links_to_the_page_and_the_page_offers_the_variants(client):
    assert '<a href="/preflight" id="preflight-link">PDF controleren (drukkerij)</a>' in client.get("/").text
    page = client.get("/preflight")
    assert page.status_code == 200 and "<h1>PDF controleren</h1>" in page.text
    assert '<option value="trifold">' in page.text and 'data-csrf="test-csrf"' in page.text


def test_a_good_pdf_gets_every_check_of_the_cli_in_dutch(client, studio, tmp_path):
    pdf = studio.get(TRIFOLD).good.built.pdf
    answer = check(client, pdf)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["ok"] and body["failed"] is False
    html = body["html"]
    assert "Resultaat voor folder drukker.pdf als" in html and "Klaar voor de drukker: alle controles goed" in html
    (tmp_path / "f.pdf").write_bytes(pdf)
    cli = preflight_file(tmp_path / "f.pdf", studio.project.load_variant("trifold"))  # what the CLI calls
    assert html.count("<li data-check=") == len(cli.checks)
    for c in cli.checks:
        assert translate(c.detail, "nl").replace("'", "&#39;").replace("„", "&#34;") in html or \
            str(markupsafe.escape(translate(c.detail, "nl"))) in html
    assert '<span class="st pass">goed</span><span><strong>Afloop</strong>' in html
    assert "<strong>Lettertypen ingesloten</strong>" in html and "<strong>Aantal pagina&#39;s</strong>" in html


def test_a_variant_the_project_does_not_have_is_refused(client, studio):
    answer = check(client, studio.get(TRIFOLD).good.built.pdf, variant="screen")  # the fixture has the tri-fold only
    assert answer.status_code == 400 and answer.json()["message"] == "Onbekende uitvoering „screen”."


def test_a_broken_file_is_refused_in_dutch_not_a_500(client, studio):
    pdf = studio.get(TRIFOLD).good.built.pdf
    for data in (pdf[: len(pdf) // 3], b"%PDF-1.7\n%\xe2\xe3\n1 0 obj << /Type /Catalog >>\n"):
        answer = check(client, data)
        assert answer.status_code == 422, answer.text
        message = answer.json()["message"]
        assert message.startswith("Dit bestand kan niet gecontroleerd worden: ") and "upload.pdf" not in message
    answer = check(client, b"Hallo, dit is geen PDF.")
    assert answer.status_code == 422 and "is geen PDF" in answer.json()["message"]
    answer = check(client, b"")
    assert answer.status_code == 400
    assert answer.json()["message"] == "Er is geen bestand verstuurd: kies eerst een PDF-bestand."


def test_an_oversize_file_is_refused_with_413_before_it_is_read(client, monkeypatch):
    monkeypatch.setattr(preflight_page, "MAX_BYTES", 1000)
    answer = check(client, b"%PDF-1.7\n" + b"x" * 2000)
    assert answer.status_code == 413
    assert answer.text == ("Geweigerd: het bestand is groter dan 0 MB; een folder-PDF is veel kleiner. "
                           "Vraag de afzender om de druk-PDF van de folder zelf.")


def test_the_check_is_stopped_after_its_time_limit(studio, monkeypatch):
    import asyncio

    import pytest

    from leaflet_gen.studio.refusals import Refused

    pdf = studio.get(TRIFOLD).good.built.pdf
    with pytest.raises(Refused) as refused:
        asyncio.run(preflight_page.run(studio, pdf, "x.pdf", "trifold", time_limit=0.01))
    assert refused.value.status == 422 and translate(refused.value.message, "nl").startswith(
        "De controle duurde langer dan 0 seconden")


def test_an_upload_without_the_form_token_is_refused(client, studio):
    pdf = studio.get(TRIFOLD).good.built.pdf
    answer = check(client, pdf, headers={k: v for k, v in HEADERS.items() if k != "X-CSRF-Token"})
    assert answer.status_code == 403
