"""The language check: every rule fires on bad text, stays quiet on good text, and the shipped
content passes with zero findings."""

from __future__ import annotations

import shutil
import textwrap

import pytest
from conftest import ROOT

from leaflet_gen.content import lint
from leaflet_gen.content.project import Project

needs_hunspell = pytest.mark.skipif(shutil.which("hunspell") is None, reason="hunspell not installed (make setup)")

ORTHO_TOPIC = """\
id: demo
title: Lage rugpijn
version: "1.0"
last_review: 2026-11-01
next_review: 2027-11-01
audiences:
  orthopedie:
    subtitle: "Informatie voor als u last hebt van uw onderrug"
    flow: [ortho]
    sources: ["NHG-Standaard Aspecifieke lagerugpijn"]
"""


def report_for(mini, section: str, text: str, *, audience: str = "fysiotherapie", wordlist=frozenset(),
               hunspell: str = "hunspell"):
    """Lint a project whose one flow section (uitleg or ortho) is ``text``."""
    if audience == "orthopedie":
        mini.write("content/demo/topic.yaml", ORTHO_TOPIC)
    mini.write(f"content/demo/{section}.yaml", textwrap.dedent(text))
    topic = Project.open(mini.root).load_topic("demo")
    return lint.lint_topic(topic, set(wordlist), hunspell=hunspell)


def rules(report) -> list[str]:
    return [f.rule for f in report.findings]


def paragraph(text: str, title: str = "Uitleg") -> str:
    return f'title: "{title}"\nblocks:\n  - type: paragraph\n    text: "{text}"\n'


# --- measures -----------------------------------------------------------------------------------


def test_syllables_and_flesch_douma_of_a_known_sentence():
    sentence = "Lage rugpijn komt veel voor."
    ws = lint.words(sentence)
    assert ws == ["Lage", "rugpijn", "komt", "veel", "voor"]
    assert [lint.syllables(w) for w in ws] == [2, 2, 1, 1, 1]  # la-ge rug-pijn
    # 206.84 - 0.77 * (7 / 5 * 100) - 0.93 * 5 = 206.84 - 107.8 - 4.65
    assert lint.flesch_douma(5, 1, 7) == pytest.approx(94.39)


def test_sentence_splitting():
    assert lint.sentences("Neem 2 tabletten van 500 mg. Nog beter is gel! Helpt het? Bel ons") == [
        "Neem 2 tabletten van 500 mg.", "Nog beter is gel!", "Helpt het?", "Bel ons"]
    # Abbreviations, decimals, web addresses and a lower-case continuation do not end a sentence.
    assert lint.sentences("Dat is bijv. Paracetamol of 1.5 mg per dag. Kijk op www.thuisarts.nl voor meer.") == [
        "Dat is bijv. Paracetamol of 1.5 mg per dag.", "Kijk op www.thuisarts.nl voor meer."]
    # A question quoted inside a sentence (a section title, markup already removed) goes on lower-case.
    assert lint.sentences("Bij Wat kun je zelf doen? lees je meer.") == ["Bij Wat kun je zelf doen? lees je meer."]


def test_figures_per_section_and_titles_and_items_end_sentences(mini):
    report = report_for(mini, "uitleg", """\
        title: Uitleg
        blocks:
          - type: list
            items: ["Buig je knieën", "Houd je rug recht en til het voorwerp dicht bij je lichaam."]
        """)
    row = next(r for r in report.stats["fysiotherapie"] if r.section == "uitleg")
    assert (row.sentences, row.words, row.longest) == (3, 1 + 3 + 12, 12)
    assert row.average == pytest.approx(16 / 3)
    assert [r.section for r in report.stats["fysiotherapie"]] == ["kort", "uitleg", "huisarts"]


# --- rules --------------------------------------------------------------------------------------


def test_long_sentence(mini):
    long = "Als je rugpijn hebt en je twijfelt of je wel of niet naar de huisarts moet gaan dan kun je altijd bellen."
    report = report_for(mini, "uitleg", paragraph(long))
    [finding] = [f for f in report.findings if f.rule == "long-sentence"]
    assert finding.message == ('sentence of 22 words (at most 20): "Als je rugpijn hebt en je twijfelt of ..."; '
                               "split it into shorter sentences")
    assert str(finding).startswith("content/demo/uitleg.yaml:4 blocks[0].text: sentence of 22 words")
    assert "long-sentence" not in rules(report_for(mini, "uitleg", paragraph("Twijfel je? Bel dan je huisarts.")))


def test_average_sentence_length(mini):
    # Two sentences of 12 words: B1 asks for "on average under 12", so 12.0 warns.
    text = "Je kunt zelf heel veel doen om minder last te hebben vandaag. " * 2
    report = report_for(mini, "uitleg", f'blocks:\n  - type: paragraph\n    text: "{text.strip()}"\n')
    [finding] = [f for f in report.findings if f.rule == "average-length"]
    assert str(finding) == ("content/demo/uitleg.yaml sentences average 12.0 words (B1: under 12): "
                            "split the longest sentences (longest: 12 words)")
    ok = report_for(mini, "uitleg", paragraph("Je kunt zelf veel doen. Blijf bewegen."))
    assert "average-length" not in rules(ok)


def test_kngf_words_also_in_compounds(mini):
    text = "Je hebt geen rugletsel. Het is geen slijtage en geen Degeneratie van de wervels. Dat is geen beletsel."
    report = report_for(mini, "uitleg", paragraph(text))
    found = [f.message.split(":")[0] for f in report.findings if f.rule == "kngf-word"]
    assert found == ['"rugletsel"', '"slijtage"', '"Degeneratie"']
    assert report.findings[0].message == (
        '"rugletsel": the KNGF guideline advises against "letsel" in texts for patients; '
        'describe what the reader feels or notices instead, e.g. "pijn" or "klachten"')
    assert "kngf-word" not in rules(report_for(mini, "uitleg", paragraph("Je rug is sterk.")))
    # Both audiences: the same advice in a u-text.
    ortho = report_for(mini, "ortho", paragraph("Uw klachten komen niet door slijtage."), audience="orthopedie")
    assert rules(ortho).count("kngf-word") == 1


def test_and_or_and_words_in_brackets(mini):
    text = "Heb je pijn en/of tintelingen? Sommige bewegingen doen (veel) meer pijn. Kijk op [thuisarts](https://x.nl/(a))."
    report = report_for(mini, "uitleg", paragraph(text))
    found = [(f.rule, f.message, f.line) for f in report.findings if f.rule in ("and-or", "brackets")]
    assert found == [
        ("and-or", '"en/of" is hard to read (B1): write "A of B, of allebei", or two sentences', 4),
        ("brackets", '"(veel)": words in brackets are hard to read (B1); write the sentence without them, '
                     "or make it two sentences", 4),
    ]
    clean = "Heb je pijn in je been of tintelingen, of allebei? Sommige bewegingen doen soms veel meer pijn."
    assert not {"and-or", "brackets"} & set(rules(report_for(mini, "uitleg", paragraph(clean))))


def test_formal_voice_in_a_je_text(mini):
    text = "Bel uw huisarts als u twijfelt. Of bel [de praktijk](https://www.u-praktijk.nl/u). Kijk op www.uwrug.nl."
    report = report_for(mini, "uitleg", paragraph(text))
    [finding] = [f for f in report.findings if f.rule == "voice"]
    assert finding.message == '"uw", "u" in a je-text (fysiotherapie): write "je"/"jouw"/"jezelf" instead'
    assert finding.key == "blocks[0].text" and finding.line == 4
    # "u" only as a whole word: "duur", "a.u.b." and letters inside words are fine.
    ok = report_for(mini, "uitleg", paragraph("Hoe lang duurt het? Bel a.u.b. je huisarts. Jouw rug is sterk."))
    assert "voice" not in rules(ok)


def test_informal_voice_in_a_u_text(mini):
    report = report_for(mini, "ortho", paragraph("Blijf bewegen. Jouw rug herstelt dan sneller dan je denkt."),
                        audience="orthopedie")
    [finding] = [f for f in report.findings if f.rule == "voice"]
    assert finding.message == '"Jouw", "je" in a u-text (orthopedie): write "u"/"uw"/"uzelf" instead'
    ok = report_for(mini, "ortho", paragraph("Blijf bewegen. Uw rug herstelt dan sneller. Bel de jeugdarts."),
                    audience="orthopedie")
    assert "voice" not in rules(ok)


@needs_hunspell
def test_spelling_with_wordlist(mini):
    text = ("Lage rugpijn heet ook lumbago. Neem 500 mg. Mail info@praktijk.nl of kijk op thuisarts.nl. "
            "Beweeg elke dagg.")
    report = report_for(mini, "uitleg", paragraph(text))
    spelling = [f for f in report.findings if f.rule == "spelling"]
    assert [f.message.split('"')[1] for f in spelling] == ["lumbago", "dagg"]
    assert spelling[0].message.endswith("add it to content/wordlist.txt if it is a correct medical term or name")
    assert spelling[0].line == 4
    # The word list accepts a term, also with a capital or with 's.
    report = report_for(mini, "uitleg", paragraph("Lumbago komt veel voor. Vraag naar NSAID's."),
                        wordlist={"lumbago", "NSAID"})
    assert "spelling" not in rules(report)


def test_missing_hunspell_is_one_finding_not_a_crash(mini):
    report = report_for(mini, "uitleg", paragraph("Lage rugpijn komt veel voor."), hunspell="no-such-hunspell")
    [finding] = report.findings
    assert finding.rule == "setup"
    assert "install hunspell and hunspell-nl to check the spelling (`leaflet-gen doctor` says how)" in finding.message
    assert report.stats["fysiotherapie"]  # the figures are still there


@needs_hunspell
def test_good_text_has_no_findings(mini):
    report = report_for(mini, "uitleg", paragraph("Lage rugpijn komt veel voor. Blijf bewegen, ook als het pijn doet."))
    assert report.findings == []


def test_load_wordlist(tmp_path):
    path = tmp_path / "wordlist.txt"
    path.write_text("# medical terms\nlumbago\n\nNSAID  # pain killers\n", encoding="utf-8")
    assert lint.load_wordlist(path) == {"lumbago", "NSAID"}
    assert lint.load_wordlist(tmp_path / "missing.txt") == set()


def test_report_renderings(mini):
    report = report_for(mini, "uitleg", paragraph("Bel uw huisarts."), hunspell="no-such-hunspell")
    data = report.as_dict()
    assert data["audiences"]["fysiotherapie"]["voice"] == "je"
    assert data["audiences"]["fysiotherapie"]["sections"][1]["section"] == "uitleg"
    assert "approximate" in data["syllables"]
    assert {f["rule"] for f in data["findings"]} == {"setup", "voice"}
    text = "\n".join(report.lines())
    assert "Flesch-Douma" in text and "approximate" in text and "whole leaflet" in text
    assert "content/demo/uitleg.yaml:4 blocks[0].text: \"uw\" in a je-text" in text


# --- the shipped content ------------------------------------------------------------------------


@needs_hunspell
def test_shipped_content_has_no_findings():
    project = Project.open(ROOT)
    wordlist = lint.load_wordlist(ROOT / lint.WORDLIST)
    for topic_id in project.topic_ids():
        report = lint.lint_topic(project.load_topic(topic_id), wordlist)
        assert [str(f) for f in report.findings] == []
        assert set(report.stats) == set(project.load_topic(topic_id).data.audiences)


@needs_hunspell
@pytest.mark.parametrize("language", ["en", "ar"])
def test_shipped_translations_have_no_findings(language):
    """Each shipped translation passes its own language's check (its Hunspell dictionary, sentence
    length); in Arabic a question ends at "؟" and Latin words ("mg", "TENS") are not judged."""
    from leaflet_gen.content.translated import translated_texts

    project = Project.open(ROOT)
    wordlist = lint.load_wordlist(ROOT / lint.WORDLIST)
    topic = project.load_topic("lage-rugpijn")
    translated, _texts = translated_texts(topic, language, ROOT)
    report = lint.lint_topic(translated, wordlist, language=language, translation=f"{language}.xlf")
    assert [str(f) for f in report.findings] == []
    assert report.stats and all(row.longest <= lint.MAX_SENTENCE_WORDS for rows in report.stats.values() for row in rows)


def test_arabic_sentences_end_at_the_arabic_question_mark():
    assert lint.sentences("هل عمرك أكثر من 60 سنة؟ هل لديك مشاكل في المعدة؟") == [
        "هل عمرك أكثر من 60 سنة؟", "هل لديك مشاكل في المعدة؟"]
