"""The message catalogues are complete: every message id in the code and the templates has a
translation in every catalogue of its domain (what `make catalogues` extracts), and none is stale."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from leaflet_gen import i18n
from leaflet_gen.i18n import Msg, msg, nmsg, translate

ROOT = Path(__file__).resolve().parents[1]
# As `make catalogues` extracts them: messages are made with msg()/nmsg() (and _() in the studio's
# templates); the leaflet's words only with gettext's own names (a msg() in build.py is a message).
GETTEXT = {"_": None, "gettext": None, "ngettext": (1, 2)}
KEYWORDS = {"messages": {"msg": None, "nmsg": (1, 2), **GETTEXT}, "leaflet": GETTEXT}


def _config(domain: str) -> list[tuple[str, str]]:
    methods = []
    for line in (ROOT / "babel" / f"{domain}.cfg").read_text().splitlines():
        if line.startswith("["):
            method, pattern = line.strip("[]").split(":", 1)
            methods.append((pattern.strip(), method.strip()))
    return methods


def _extracted(domain: str) -> set[str]:
    ids = set()
    for _file, _line, message, _comments, _ctx in extract_from_dir(
            str(ROOT), method_map=_config(domain), keywords=KEYWORDS[domain]):
        ids.add(message[0] if isinstance(message, tuple) else message)
    return ids


@pytest.mark.parametrize("domain", ["messages", "leaflet"])
def test_every_message_id_is_translated_in_every_catalogue(domain):
    wanted = _extracted(domain)
    for language in i18n.languages(domain):
        with (i18n.LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po").open("rb") as fh:
            cat = read_po(fh)
        have = {m.id[0] if isinstance(m.id, tuple) else m.id: m for m in cat if m.id}
        missing = sorted(wanted - have.keys())
        assert not missing, f"{language}/{domain}.po lacks (run `make catalogues`, then translate): {missing}"
        untranslated = sorted(k for k in wanted if not all(have[k].string if isinstance(have[k].string, tuple)
                                                          else [have[k].string]))
        assert not untranslated, f"{language}/{domain}.po has no translation for: {untranslated}"
        stale = sorted(k for k, m in have.items() if k not in wanted)
        assert not stale, f"{language}/{domain}.po has ids no code uses any more (run `make catalogues`): {stale}"


def test_a_message_is_its_english_text_and_translates_with_plurals():
    one, two = nmsg("%(n)s warning", "%(n)s warnings", 1), nmsg("%(n)s warning", "%(n)s warnings", 2)
    assert (str(one), str(two)) == ("1 warning", "2 warnings")
    assert (translate(one, "nl"), translate(two, "nl")) == ("1 waarschuwing", "2 waarschuwingen")
    assert translate(two, "en") == "2 warnings"
    assert translate("plain text", "nl") == "plain text"


def test_a_message_survives_pickling_with_its_id():
    import pickle

    m = pickle.loads(pickle.dumps(msg("no catalogue for %(x)s", x="y")))
    assert isinstance(m, Msg) and m.msgid == "no catalogue for %(x)s" and str(m) == "no catalogue for y"


def test_a_message_kept_as_json_data_still_translates():
    import json
    from pathlib import Path as P

    from leaflet_gen.i18n import as_record, from_record, joined

    inner = nmsg("%(n)s page(s)", "%(n)s page(s)", 3)
    kept = json.loads(json.dumps(as_record(msg("%(pages)s, expected %(expected)s", pages=inner, expected=P("2")))))
    back = from_record(kept)
    assert isinstance(back, Msg) and str(back) == "3 page(s), expected 2"
    assert translate(back, "nl") == "3 pagina's, verwacht 2"
    assert from_record("plain") == "plain" and as_record("plain") == "plain"
    assert translate(joined([msg("nothing"), msg("a list")]), "nl") == "niets; een lijst"


def test_a_measured_number_is_written_the_languages_way():
    import json
    import pickle

    from leaflet_gen.i18n import as_record, from_record, num

    m = msg("%(pt)s pt (minimum %(min)s pt)", pt=num(7.5), min="6")
    assert str(m) == "7.5 pt (minimum 6 pt)" and translate(m, "en") == "7.5 pt (minimum 6 pt)"
    assert translate(m, "nl") == "7,5 pt (minimaal 6 pt)"
    for kept in (pickle.loads(pickle.dumps(m)), from_record(json.loads(json.dumps(as_record(m))))):
        assert translate(kept, "nl") == "7,5 pt (minimaal 6 pt)"
