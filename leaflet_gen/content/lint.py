"""Language check of leaflet content: B1 sentence length, readability, wording, voice, spelling.

``lint_topic`` reads a loaded topic and returns a :class:`LintReport` with, per audience and
section, the sentence figures and a Flesch-Douma score, plus findings that say what to change:

- ``long-sentence``: a sentence of more than 20 words;
- ``average-length``: a section whose sentences average 12 words or more;
- ``kngf-word``: "letsel", "degeneratie", "slijtage" (also inside compounds), which the KNGF
  guideline advises against because they make people think their back is damaged;
- ``and-or``: "en/of" (or "of/en"): B1 readers stumble over it; say "of ..., of allebei";
- ``brackets``: words in brackets such as "(veel)" or "(terug)": half a sentence the reader must
  fit in twice; write the sentence without them, or make it two sentences;
- ``voice``: "u"/"uw" in a je-text (fysiotherapie) or "je"/"jouw" in a u-text (orthopedie);
- ``spelling``: words that Hunspell's Dutch dictionary and ``content/wordlist.txt`` do not know;
- ``setup``: Hunspell or its Dutch dictionary is missing (one finding instead of a crash).

Findings are advice, not errors: the caller decides whether they fail a run.

The text of a section is its title plus every block's title, text, list items and link labels,
as plain text (markup removed; link URLs are never part of it). Every title, paragraph and list
item ends a sentence, whether or not it ends with punctuation.

Flesch-Douma (the Dutch Flesch Reading Ease): 206.84 - 0.77 * syllables per 100 words
- 0.93 * words per sentence; 0-100, higher is easier. Syllables are counted with pyphen's nl_NL
hyphenation dictionary (pyphen is imported directly; it comes with WeasyPrint). Hyphenation points
are not syllables: the dictionary never splits off one letter ("eten", "ibuprofen" count one
syllable short) and numbers count as one syllable, so the score is approximate.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from leaflet_gen.errors import Problem
from leaflet_gen.i18n import as_record, from_record, msg, num

if TYPE_CHECKING:
    # Imported where they are used: a `check` answered from its record (content/checkcache.py)
    # reads these reports back without the schemas, markdown-it or the hyphenation dictionary.
    import pyphen

    from leaflet_gen.content.loaded import LoadedTopic
    from leaflet_gen.content.schema import Section
    from leaflet_gen.content.yamlio import KeyPath

MAX_SENTENCE_WORDS = 20  # B1: never more than 20 words in a sentence
MAX_AVERAGE_WORDS = 12  # B1: on average *under* 12 words, so 12.0 already warns
WORDLIST = Path("content") / "wordlist.txt"
HUNSPELL_DICTIONARY = "nl_NL"  # Debian package hunspell-nl
# Per leaflet language: the Hunspell dictionary, the Debian package that has it, the language's name.
# Translations are checked for spelling and sentence length only; the B1 rules (and-or, brackets,
# the KNGF words) and the je/u voice are Dutch.
DICTIONARIES = {"nl": ("nl_NL", "hunspell-nl", msg("Dutch")), "en": ("en_GB", "hunspell-en-gb", msg("English")),
                "tr": ("tr_TR", "hunspell-tr", msg("Turkish")), "pl": ("pl_PL", "hunspell-pl", msg("Polish")),
                "ar": ("ar", "hunspell-ar", msg("Arabic"))}
# Languages in another script than Latin: a word with Latin letters in them ("mg", "TENS", a name) is
# not theirs to judge, and the Latin words of a leaflet are checked in its Dutch source.
NON_LATIN = frozenset({"ar", "fa", "ur", "he"})
SYLLABLE_NOTE = "syllables counted with the pyphen nl_NL hyphenation dictionary: approximate"
# The words of the other voice, per voice an audience is written in (its `voice` in leaflet-gen.yml).
# Lookarounds instead of \b: "a.u.b." is not the pronoun "u".
_WRONG_VOICE = {
    "je": re.compile(r"(?<![\w.'’-])(u|uw|uzelf)(?![\w'’-]|\.\w)", re.I),
    "u": re.compile(r"(?<![\w.'’-])(je|jij|jou|jouw|jezelf|jullie)(?![\w'’-]|\.\w)", re.I),
}

# KNGF guideline: words that suggest damage or wear make patients afraid to move.
_KNGF = re.compile(r"\w*(letsel|degenerati|slijtage)\w*", re.I)
_KNGF_EXCEPTIONS = {"beletsel", "beletsels", "beletselen"}  # "obstacle": not about the body
# B1: constructions that make the reader hold two readings at once.
_AND_OR = re.compile(r"\b(en/of|of/en)\b", re.I)
_BRACKETS = re.compile(r"\([^()]*\)")


# Things that are not words to spell-check or to read as voice: e-mail addresses, web addresses
# (also bare ones like thuisarts.nl) and anything with a digit (doses, percentages, ages).
_NOT_WORDS = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|(?:https?://|www\.)\S+"
    r"|\b(?:[\w-]+\.)+[a-z]{2,}\b(?:/\S*)?"
    r"|\S*\d\S*"
)
_WORD = re.compile(r"[^\W_]+(?:['’./-][^\W_]+)*|['’]s\b")
# A sentence ends at . ! ? (plus closing quotes or brackets) followed by a space or the end.
_SENTENCE_END = re.compile(r"[.!?…\u061f\u06d4]+[\"'”’)\]]*(?=\s|$)")  # ؟ and ۔: Arabic script's question mark, full stop
# Abbreviations that do not end a sentence even before a capital ("bijv. Paracetamol").
_ABBREVIATIONS = {
    "bijv.", "bv.", "o.a.", "d.w.z.", "i.p.v.", "m.b.v.", "z.o.z.", "t.z.t.", "z.s.m.", "dr.", "drs.",
    "mr.", "mevr.", "dhr.", "nr.", "ca.", "resp.", "incl.", "excl.", "evt.", "max.", "min.", "vgl.",
}


@dataclass(frozen=True)
class Finding:
    """One piece of advice, located as precisely as the YAML allows."""

    rule: str
    message: str
    file: str
    line: int | None = None
    key: str = ""
    audience: str | None = None
    section: str | None = None

    def as_problem(self) -> Problem:
        return Problem(self.file, self.message, self.line, None, self.key)

    def __str__(self) -> str:
        return str(self.as_problem())


@dataclass(frozen=True)
class SectionStats:
    section: str
    file: str
    sentences: int
    words: int
    syllables: int
    longest: int

    @property
    def average(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def flesch_douma(self) -> float:
        return flesch_douma(self.words, self.sentences, self.syllables)

    def as_dict(self) -> dict:
        return {**asdict(self), "average_words": round(self.average, 1),
                "flesch_douma": round(self.flesch_douma, 1)}


@dataclass
class LintReport:
    topic: str
    folder: str
    stats: dict[str, list[SectionStats]] = field(default_factory=dict)  # audience -> sections in order
    findings: list[Finding] = field(default_factory=list)
    voices: dict[str, str] = field(default_factory=dict)  # audience -> "je" | "u" (leaflet-gen.yml)
    language: str = "nl"  # the source, or a translation (content/<topic>/translations/<language>.xlf)

    def total(self, audience: str) -> SectionStats:
        rows = self.stats[audience]
        return SectionStats("whole leaflet", self.folder, sum(r.sentences for r in rows),
                            sum(r.words for r in rows), sum(r.syllables for r in rows),
                            max((r.longest for r in rows), default=0))

    def as_record(self) -> dict:
        """As JSON data, for the check cache (:meth:`from_record` reads it back)."""
        return {"topic": self.topic, "folder": self.folder,
                "stats": {aud: [asdict(r) for r in rows] for aud, rows in self.stats.items()},
                "findings": [{**asdict(f), "message": as_record(f.message)} for f in self.findings],
                "voices": dict(self.voices), "language": self.language}

    @classmethod
    def from_record(cls, data: dict) -> LintReport:
        return cls(data["topic"], data["folder"],
                   {aud: [SectionStats(**r) for r in rows] for aud, rows in data["stats"].items()},
                   [Finding(**{**f, "message": from_record(f["message"])}) for f in data["findings"]],
                   voices=dict(data.get("voices") or {}), language=data.get("language", "nl"))

    def as_dict(self) -> dict:
        return {
            "topic": self.topic,
            "language": self.language,
            "thresholds": {"max_sentence_words": MAX_SENTENCE_WORDS, "average_words_below": MAX_AVERAGE_WORDS},
            "syllables": SYLLABLE_NOTE,
            "audiences": {
                aud: {"voice": self.voices.get(aud), "sections": [r.as_dict() for r in rows],
                      "total": self.total(aud).as_dict()}
                for aud, rows in self.stats.items()
            },
            "findings": [asdict(f) for f in self.findings],
        }

    def lines(self, findings: bool = True) -> list[str]:
        shown = self.folder if self.language == "nl" else f"{self.folder} in {self.language}"
        out = [f"Language check of {shown} (B1: at most {MAX_SENTENCE_WORDS} words per sentence, "
               f"on average under {MAX_AVERAGE_WORDS})"]
        dutch = self.language == "nl"  # Flesch-Douma is a Dutch measure (Dutch syllables)
        header = f"  {'section':<28}  {'sentences':>9}  {'avg words':>9}  {'longest':>7}"
        header += f"  {'Flesch-Douma':>12}" if dutch else ""
        for aud, rows in self.stats.items():
            out += [f"{aud} ({self.voices.get(aud, '?')})", header]
            for r in [*rows, self.total(aud)]:
                out.append(f"  {r.section:<28}  {r.sentences:>9}  {r.average:>9.1f}  {r.longest:>7}"
                           + (f"  {r.flesch_douma:>12.1f}" if dutch else ""))
        if dutch:
            out.append(f"Flesch-Douma: 0-100, higher is easier; {SYLLABLE_NOTE}.")
        if findings:
            n = len(self.findings)
            out.append(f"{n} language warning{'s' if n != 1 else ''}" + (":" if n else "."))
            out += [str(f) for f in self.findings]
        return out


# --- text measures ----------------------------------------------------------------------------


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def sentences(text: str) -> list[str]:
    """Split one paragraph, item or title into sentences; its end always ends a sentence."""
    out: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        rest = text[m.end():].lstrip()
        last = text[:m.end()].split()[-1].lower()
        # "500 mg. per dag", "o.a. de rug", "J. Jansen": a dot that does not end the sentence.
        if rest and (rest[0].islower() or last in _ABBREVIATIONS or re.fullmatch(r"\w\.", last)):
            continue
        out.append(text[start:m.end()].strip())
        start = m.end()
    out.append(text[start:].strip())
    return [s for s in out if words(s)]


@lru_cache(maxsize=1)
def _hyphenator() -> pyphen.Pyphen:
    import pyphen  # direct import; installed with WeasyPrint (which hyphenates with it)

    return pyphen.Pyphen(lang="nl_NL")  # loads the dictionary once, on first use


def syllables(word: str) -> int:
    """Approximate syllables of one word: hyphenation points + 1 per part; a number counts 1."""
    parts = re.findall(r"[^\W\d_]+", word.lower())
    if not parts:
        return 1
    return sum(len(_hyphenator().positions(p)) + 1 for p in parts)


def flesch_douma(n_words: int, n_sentences: int, n_syllables: int) -> float:
    if not n_words or not n_sentences:
        return 0.0
    return 206.84 - 0.77 * (100 * n_syllables / n_words) - 0.93 * (n_words / n_sentences)


# --- spelling ---------------------------------------------------------------------------------


MAX_WORDLIST_BYTES = 1024 * 1024


def load_wordlist(path: Path, root: Path | None = None) -> set[str]:
    """Words Hunspell does not know but that are right: one per line, ``#`` starts a comment.

    Read as every input is (``root``: the project it must lie in); none there: no words. Raises
    ValidationFailed when the file cannot be read.
    """
    import os

    from leaflet_gen.content.yamlio import read_text_file

    if not os.path.lexists(path):
        return set()
    shown = str(path.relative_to(root)) if root is not None and path.is_relative_to(root) else str(path)
    lines = read_text_file(path, shown, root, MAX_WORDLIST_BYTES, msg("a text file"), msg("word lists")).splitlines()
    return {word for line in lines if (word := line.split("#", 1)[0].strip())}


def _known(word: str, wordlist: set[str]) -> bool:
    forms = {word, word[:1].lower() + word[1:]}  # "Lumbago" at the start of a sentence
    forms |= {f[:-2] for f in forms if f.endswith(("'s", "’s"))}  # "NSAID's" from "NSAID"
    return not forms.isdisjoint(wordlist)


def _spell_text(text: str) -> str:
    # One line per text for Hunspell; "/" splits "Cesar/Mensendieck" and "en/of" into words.
    return " ".join(_NOT_WORDS.sub(" ", text.replace("’", "'").replace("/", " ")).split())


class SpellingUnavailable(Exception):
    pass


def misspelled(texts: list[str], program: str = "hunspell", dictionary: str = HUNSPELL_DICTIONARY) -> set[str]:
    """The words of ``texts`` that Hunspell does not know, in one run.

    List mode (-l): pipe mode (-a) would keep words attached to their line but computes
    suggestions, many times slower. The caller finds the words back.
    """
    if shutil.which(program) is None:
        raise SpellingUnavailable(msg('the spelling checker "%(program)s" is not installed', program=program))
    try:
        run = subprocess.run([program, "-d", dictionary, "-i", "utf-8", "-l"], input="\n".join(texts) + "\n",
                             capture_output=True, text=True, encoding="utf-8", timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SpellingUnavailable(msg('the spelling checker "%(program)s" did not run (%(error)s)', program=program,
                                      error=str(exc))) from None
    if run.returncode != 0:
        detail = (run.stderr.strip().splitlines() or ["no output"])[0]
        raise SpellingUnavailable(msg("Hunspell cannot use the dictionary %(dictionary)s (%(detail)s)",
                                      dictionary=dictionary, detail=detail))
    # Hunspell counts a final dot as part of a word (for abbreviations): "lumbago." means "lumbago".
    return {w.rstrip(".") for w in run.stdout.split() if w.rstrip(".")}


def _occurrences(words_: set[str], text: str) -> list[str]:
    """Which of ``words_`` occur in ``text`` as whole words, in reading order."""
    hits = []
    for w in words_:
        m = re.search(rf"(?<![\w'’-]){re.escape(w)}(?![\w'’-])", text)
        if m:
            hits.append((m.start(), w))
    return [w for _, w in sorted(hits)]


# --- the check --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Unit:
    """One title, paragraph, item or label: where it is and its plain text."""

    file: Path
    keypath: KeyPath
    text: str


def _section_units(path: Path, section: Section) -> list[_Unit]:
    from leaflet_gen.content.markup import plain
    from leaflet_gen.content.schema import Link

    raw: list[tuple[KeyPath, str]] = []
    if section.title:
        raw.append((("title",), section.title))
    for i, block in enumerate(section.blocks):
        for name in ("title", "text"):
            if getattr(block, name, None):
                raw.append((("blocks", i, name), getattr(block, name)))
        for j, item in enumerate(getattr(block, "items", None) or []):
            if isinstance(item, Link):
                raw.append((("blocks", i, "items", j, "label"), item.label))
            else:
                raw.append((("blocks", i, "items", j), item))
    return [_Unit(path, kp, plain(text)) for kp, text in raw]


class _Locator:
    """Line numbers: the YAML position of the value (as the loader recorded it: the files are not
    parsed again), then the first line from there with the text."""

    def __init__(self, topic: LoadedTopic, translation: str | None = None):
        self.root = topic.folder.parent.parent
        self._docs = topic.docs
        self.translation = translation  # a translation's findings are in its file (no YAML lines)

    def rel(self, path: Path) -> str:
        if self.translation is not None:
            return self.translation
        try:
            return str(path.resolve().relative_to(self.root))
        except ValueError:
            return str(path)

    def line(self, unit: _Unit, needle: str) -> int | None:
        if self.translation is not None:
            return None
        doc = self._docs[unit.file]
        lines = doc.text.splitlines()
        start, _ = doc.locate(unit.keypath)
        if start is None:
            return None
        for n in range(start, len(lines) + 1):
            if needle and needle in lines[n - 1]:
                return n
        return start


def _quote(sentence: str, n: int = 8) -> str:
    ws = sentence.split()
    return " ".join(ws[:n]) + (" ..." if len(ws) > n else "")


def _text_findings(text: str, audience: str, voice: str | None, unknown: set[str],
                   language: str = "nl") -> list[tuple[str, str, str]]:
    """(rule, message, text to find the line by) for one title, paragraph, item or label; the B1
    rules and the voice only in Dutch."""
    dutch = language == "nl"
    out = []
    for s in sentences(text):
        ws = words(s)
        if len(ws) > MAX_SENTENCE_WORDS:
            out.append(("long-sentence", msg('sentence of %(n)s words (at most %(max)s): "%(quote)s"; split it into '
                                             "shorter sentences", n=len(ws), max=MAX_SENTENCE_WORDS, quote=_quote(s)),
                        " ".join(ws[:3])))
    readable = _NOT_WORDS.sub(" ", text) if dutch else ""  # no voice or KNGF words inside addresses
    if dutch and voice in _WRONG_VOICE:
        wrong = list(dict.fromkeys(m.group(1) for m in _WRONG_VOICE[voice].finditer(readable)))
        if wrong:
            shown = ", ".join(f'"{w}"' for w in wrong)
            if voice == "je":
                message = msg('%(words)s in a je-text (%(audience)s): write "je"/"jouw"/"jezelf" instead',
                              words=shown, audience=audience)
            else:
                message = msg('%(words)s in a u-text (%(audience)s): write "u"/"uw"/"uzelf" instead',
                              words=shown, audience=audience)
            out.append(("voice", message, wrong[0]))
    for m in _AND_OR.finditer(readable):
        out.append(("and-or", msg('"%(words)s" is hard to read (B1): write "A of B, of allebei", or two sentences',
                                  words=m.group(0)), m.group(0)))
    for m in _BRACKETS.finditer(readable):
        out.append(("brackets", msg('"%(words)s": words in brackets are hard to read (B1); write the sentence '
                                    "without them, or make it two sentences", words=m.group(0)), m.group(0)))
    for m in _KNGF.finditer(readable):
        if m.group(0).lower() not in _KNGF_EXCEPTIONS:
            stem = m.group(1).lower()
            advised = "degeneratie" if stem == "degenerati" else stem
            if stem == "letsel":
                message = msg('"%(word)s": the KNGF guideline advises against "%(advised)s" in texts for patients; '
                              'describe what the reader feels or notices instead, e.g. "pijn" or "klachten"',
                              word=m.group(0), advised=advised)
            else:
                message = msg('"%(word)s": the KNGF guideline advises against "%(advised)s" in texts for patients; '
                              'write e.g. "veranderingen die bij ouder worden horen" instead',
                              word=m.group(0), advised=advised)
            out.append(("kngf-word", message, m.group(0)))
    for word in _occurrences(unknown, _spell_text(text)):
        name = DICTIONARIES.get(language.split("-")[0], ("", "", language))[2]
        out.append(("spelling", msg('"%(word)s" is not in the %(name)s dictionary: correct the spelling, or add it to '
                                    "%(wordlist)s if it is a correct medical term or name", word=word, name=name,
                                    wordlist=str(WORDLIST)), word))
    return out


def lint_topic(topic: LoadedTopic, wordlist: set[str], hunspell: str = "hunspell", language: str = "nl",
               translation: str | None = None) -> LintReport:
    """Sentence figures per audience and section, and every finding, for one loaded topic.

    ``wordlist``: words to accept besides the dictionary (see :func:`load_wordlist`);
    ``hunspell``: the program to run (tests pass a missing one). ``language``: the language of the
    topic's texts; a translation (``translation``: its file, where its findings are reported, by
    section and key) gets the spelling and sentence rules, not the Dutch B1 rules or the voice.
    """
    from leaflet_gen.content.markup import plain
    from leaflet_gen.content.yamlio import dotted
    locator = _Locator(topic, translation)
    report = LintReport(topic.id, locator.rel(topic.folder), voices=dict(topic.voices), language=language)
    dictionary, package, _name = DICTIONARIES.get(language.split("-")[0], (None, None, language))

    # What each audience reads: its subtitle on the cover (findings only), then its sections.
    plan: list[tuple[str, str, Path, list[_Unit]]] = []
    for aud, entry in topic.data.audiences.items():
        plan.append((aud, "", topic.source_file,
                     [_Unit(topic.source_file, ("audiences", aud, "subtitle"), plain(entry.subtitle))]))
        for sid in entry.section_ids:
            if sid in topic.sections:
                path = topic.section_files[sid]
                plan.append((aud, sid, path, _section_units(path, topic.sections[sid])))

    texts = list(dict.fromkeys(_spell_text(u.text) for *_, units in plan for u in units))
    try:
        if dictionary is None:
            raise SpellingUnavailable(msg('leaflet-gen knows no Hunspell dictionary for "%(language)s"', language=language))
        unknown = {w for w in misspelled(texts, hunspell, dictionary) if not _known(w, wordlist)
                   and not (language in NON_LATIN and re.search("[A-Za-z]", w))}
    except SpellingUnavailable as exc:
        unknown = set()
        problem = exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
        how = (msg("%(problem)s: install hunspell and %(package)s to check the spelling (`leaflet-gen doctor` says how)",
                   problem=problem, package=package) if package else
               msg("%(problem)s: add the language to lint.DICTIONARIES to check the spelling", problem=problem))
        report.findings.append(Finding("setup", how,
                                       locator.rel(topic.folder)))

    found: dict[tuple, Finding] = {}  # keyed, so a section shared by two audiences warns once
    for aud, sid, path, units in plan:
        n_sentences = n_words = n_syllables = longest = 0
        for unit in units:
            for s in sentences(unit.text):
                ws = words(s)
                n_sentences, n_words, longest = n_sentences + 1, n_words + len(ws), max(longest, len(ws))
                n_syllables += sum(syllables(w) for w in ws)
            for rule, message, needle in _text_findings(unit.text, aud, topic.voices.get(aud), unknown, language):
                key = dotted(unit.keypath)
                if translation is not None:  # the unit's id in the translation file
                    key = f"{topic.id}/{sid}/{key}" if sid else f"{topic.id}/topic/{key}"
                f = Finding(rule, message, locator.rel(path), locator.line(unit, needle), key, aud, sid or None)
                found.setdefault((rule, f.file, f.line, f.key, message), f)
        if not sid:
            continue
        row = SectionStats(sid, locator.rel(path), n_sentences, n_words, n_syllables, longest)
        report.stats.setdefault(aud, []).append(row)
        if n_sentences and row.average >= MAX_AVERAGE_WORDS:
            message = msg("sentences average %(average)s words (B1: under %(max)s): split the longest sentences "
                          "(longest: %(longest)s words)", average=num(row.average), max=MAX_AVERAGE_WORDS,
                          longest=longest)
            found.setdefault(("average-length", row.file, message), Finding("average-length", message, row.file,
                                                                            audience=aud, section=sid))
    report.findings.extend(found.values())
    return report
