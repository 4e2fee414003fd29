"""Hold leaflet text to its topic's claims register (``content/<topic>/claims.yaml``).

Medical text drifts with every rewrite: "kunt u ... bespreken" becomes "Bespreek ...", "soms"
falls out, a dose changes. A block names the claims it carries (``claims: [...]``); this module
compares the block with them:

- errors (the leaflet would say something wrong; ``check`` and the build fail): a claim id the
  register does not have; a claim printed for an audience it is not for; a number of the register
  the block does not print; a number in the block that none of its claims has (a dose of 1000 mg
  where the claim says 500 mg); a strength word the language's table does not know.
- warnings (a reviewer should look): the carrying sentence dropped a strength word; a possibility
  written as an order; a claim that no block of its audience carries; a sentence with a number, a
  medicine, a part of the body or advice that carries no claim.

Which sentence of a block carries a claim: the paragraph or list item that shares the most words
with the claim's statement. Coverage per audience (which section carries each claim) is part of
the report, for ``check --verbose`` and the studio.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from leaflet_gen.content import wording
from leaflet_gen.errors import Problem
from leaflet_gen.i18n import joined, msg

if TYPE_CHECKING:
    from leaflet_gen.content.loaded import LoadedTopic
    from leaflet_gen.content.schema import Claim, Claims, Section
    from leaflet_gen.content.yamlio import KeyPath, YamlDoc

_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# Words too common to tell which sentence carries a claim (both voices, articles, auxiliaries).
_COMMON = {
    "de", "het", "een", "en", "of", "in", "op", "van", "met", "voor", "naar", "bij", "aan", "te", "om", "dat", "die",
    "dit", "dan", "als", "is", "zijn", "wordt", "worden", "heeft", "hebt", "heb", "hebben", "er", "ook", "niet", "je",
    "jij", "jouw", "u", "uw", "ze", "zij", "wat", "wie", "hoe", "kan", "kunt", "kun", "kunnen", "maar", "nog", "wel",
    "the", "a", "an", "and", "or", "to", "you", "your", "are", "can", "it", "that", "this", "with",
}


@dataclass(frozen=True)
class Carrier:
    """Where one claim is printed: the section and the key of its block."""

    section: str
    file: str
    key: str
    line: int | None


@dataclass
class ClaimsReport:
    """The claims check of one topic: problems, warnings and coverage per audience."""

    topic: str
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    # audience -> claim id -> where it is carried (empty: dropped)
    coverage: dict[str, dict[str, list[Carrier]]] = field(default_factory=dict)
    claims: dict[str, Claim] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """The coverage table, per audience: each claim, its kind and strength, and where it is."""
        out = []
        for audience, rows in self.coverage.items():
            carried = sum(1 for where in rows.values() if where)
            out.append(f"Claims of content/{self.topic} for {audience}: {carried} of {len(rows)} carried")
            for claim_id, where in rows.items():
                claim = self.claims[claim_id]
                strength = ", ".join(claim.strength) or "-"
                sections = ", ".join(dict.fromkeys(c.section for c in where)) or "NOT CARRIED"
                out.append(f"  {claim_id:<30} {claim.kind:<11} {strength:<22} {sections}")
        return out

    def as_dict(self) -> dict:
        return {aud: {cid: [c.section for c in where] for cid, where in rows.items()}
                for aud, rows in self.coverage.items()}


@dataclass(frozen=True)
class _Unit:
    """One paragraph, list item or box text of a block, with where it is."""

    keypath: KeyPath
    text: str


def _units(index: int, block) -> list[_Unit]:
    from leaflet_gen.content.markup import plain
    from leaflet_gen.content.schema import Link

    units = []
    if getattr(block, "text", None):
        units.append(_Unit(("blocks", index, "text"), plain(block.text)))
    for j, item in enumerate(getattr(block, "items", None) or []):
        if not isinstance(item, Link):
            units.append(_Unit(("blocks", index, "items", j), plain(item)))
    return units


def _stem(word: str) -> str:
    word = word.lower()
    for end in ("en", "e", "s", "t"):
        if len(word) > 4 and word.endswith(end):
            return word[: -len(end)]
    return word


def _content_words(text: str) -> set[str]:
    return {_stem(w) for w in _WORD.findall(text) if w.lower() not in _COMMON and len(w) > 2}


def _has_phrase(text: str, phrase: str) -> bool:
    return re.search(rf"(?<![\w]){re.escape(phrase)}(?![\w])", text, re.IGNORECASE) is not None


def _normal(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split()).lower()


def _numbers(text: str) -> list[str]:
    return [n.replace(",", ".") for n in _NUMBER.findall(text)]


def _best_unit(claim: Claim, units: list[_Unit]) -> _Unit:
    words = _content_words(claim.statement)
    return max(units, key=lambda u: len(words & _content_words(u.text)))


def _cue(text: str, language: str) -> str | None:
    """What makes ``text`` medical content: a number, a medicine, a part of the body or advice."""
    if _NUMBER.search(text):
        return msg("a number")
    lowered = [w.lower() for w in _WORD.findall(text)]
    for stem in wording.MEDICINES.get(language, ()):
        if any(w.startswith(stem) for w in lowered):
            return msg('a medicine ("%(word)s")', word=stem)
    for stem in wording.BODY.get(language, ()):
        if any(w == stem or (len(stem) > 3 and w.startswith(stem)) for w in lowered):
            return msg('a part of the body ("%(word)s")', word=stem)
    from leaflet_gen.content.lint import sentences

    for sentence in sentences(text):
        first = (_WORD.findall(sentence) or [""])[0].lower()
        if first in wording.ADVICE.get(language, ()):
            return msg('advice ("%(word)s ...")', word=first)
    return None


def check_register(doc: YamlDoc, register: Claims, language: str) -> list[Problem]:
    """Errors in the register itself: strength words the language's table does not know."""
    table = wording.strength_words(language)
    problems = []
    if not table:
        return problems
    for i, claim in enumerate(register.claims):
        for j, word in enumerate(claim.strength):
            if word.lower() not in table:
                problems.append(doc.problem(("claims", i, "strength", j),
                                            msg('"%(word)s" is not a strength word of language "%(language)s"; use '
                                                'one of: %(words)s (docs/claims-format.md)', word=word,
                                                language=language, words=", ".join(table))))
    return problems


def check_topic(topic: LoadedTopic, language: str, root_rel) -> ClaimsReport:
    """Compare every block of the topic that names claims with the register (see the module doc).

    ``root_rel``: how a path is shown to the user (the project's ``rel``).
    """
    report = ClaimsReport(topic.id)
    register = topic.claims
    if register is None:
        return report
    report.claims = {c.id: c for c in register.claims}
    table = wording.strength_words(language)
    possible = wording.POSSIBILITY.get(language, ())
    audiences_of: dict[str, list[str]] = {}
    for audience, entry in topic.data.audiences.items():
        for sid in entry.section_ids:
            audiences_of.setdefault(sid, []).append(audience)
        report.coverage[audience] = {c.id: [] for c in register.claims if audience in c.audiences}

    for sid, section in topic.sections.items():
        if sid not in audiences_of:
            continue  # printed in no leaflet
        path = topic.section_files[sid]
        doc = topic.docs[path]
        shown = root_rel(path)
        for index, block in enumerate(section.blocks):
            units = _units(index, block)
            named = []
            for j, claim_id in enumerate(block.claims):
                claim = report.claims.get(claim_id)
                where = ("blocks", index, "claims", j)
                if claim is None:
                    report.errors.append(doc.problem(where, msg('unknown claim "%(claim)s": it is not in %(file)s; add '
                                                                'it there or correct the id', claim=claim_id,
                                                                file=root_rel(topic.claims_file))))
                    continue
                wrong = [a for a in audiences_of[sid] if a not in claim.audiences]
                if wrong:
                    report.errors.append(doc.problem(where, msg('claim "%(claim)s" is not for %(audiences)s, but this '
                                                                "section is printed for %(audiences)s: add the audience "
                                                                "to the claim in %(file)s, or remove the claim from the "
                                                                "block", claim=claim_id, audiences=", ".join(wrong),
                                                                file=root_rel(topic.claims_file))))
                    continue
                named.append(claim)
                line, _ = doc.locate(where)
                for audience in audiences_of[sid]:
                    report.coverage[audience][claim_id].append(Carrier(sid, shown, f"blocks[{index}]", line))
            if not units:
                continue
            _numbers_match(report, doc, index, units, named)
            for claim in named:
                unit = _best_unit(claim, units)
                _strength_kept(report, doc, unit, claim, table, possible)
            _unclaimed(report, doc, units, named, language)

    for audience, rows in report.coverage.items():
        for claim_id, where in rows.items():
            if not where:
                report.warnings.append(Problem(
                    root_rel(topic.claims_file), msg('claim "%(claim)s" is carried by no section of %(audience)s: the '
                                                     'leaflet dropped it ("%(statement)s"); add it to a block with '
                                                     "claims: [%(claim)s], or remove %(audience)s from the claim's "
                                                     "audiences", claim=claim_id, audience=audience,
                                                     statement=_quote(report.claims[claim_id].statement)),
                    _claim_line(topic, claim_id), None, "claims"))
    return report


def _quote(text: str, n: int = 10) -> str:
    words = text.split()
    return " ".join(words[:n]) + (" ..." if len(words) > n else "")


def _claim_line(topic: LoadedTopic, claim_id: str) -> int | None:
    doc = topic.docs.get(topic.claims_file)
    if doc is None:
        return None
    for i, claim in enumerate(topic.claims.claims):
        if claim.id == claim_id:
            return doc.locate(("claims", i, "id"))[0]
    return None


def _numbers_match(report: ClaimsReport, doc: YamlDoc, index: int, units: list[_Unit], named: list[Claim]) -> None:
    if not named:
        return
    text = _normal(" ".join(u.text for u in units))
    allowed = {n for claim in named for value in claim.numbers for n in _numbers(value)}
    for claim in named:
        for value in claim.numbers:
            if not _has_phrase(text, _normal(value)):
                unit = _best_unit(claim, units)
                report.errors.append(doc.problem(unit.keypath, msg('claim "%(claim)s": the register says "%(value)s", '
                                                               "but this block does not print it; write the number "
                                                               "exactly as in claims.yaml", claim=claim.id,
                                                               value=value)))
    for unit in units:
        for number in _numbers(unit.text):
            if number not in allowed:
                values = joined([msg("%(claim)s: %(numbers)s", claim=c.id, numbers=", ".join(c.numbers))
                                 if c.numbers else msg("%(claim)s: no numbers", claim=c.id) for c in named])
                report.errors.append(doc.problem(unit.keypath, msg("the number %(number)s is in none of this block's "
                                                               "claims (%(values)s); correct it, or correct the "
                                                               "register", number=number, values=values)))


def _strength_kept(report: ClaimsReport, doc: YamlDoc, unit: _Unit, claim: Claim,
                   table: dict[str, tuple[str, ...]], possible: tuple[str, ...]) -> None:
    for word in claim.strength:
        forms = table.get(word.lower(), (word,))
        if not any(_has_phrase(unit.text, form) for form in forms):
            report.warnings.append(doc.problem(unit.keypath, msg('claim "%(claim)s": the strength word "%(word)s" '
                                                             'is missing from "%(text)s"; keep it as strong as the '
                                                             'claim: "%(statement)s"', claim=claim.id, word=word,
                                                             text=_quote(unit.text),
                                                             statement=_quote(claim.statement, 14))))
    if claim.kind == "possibility" and possible and not any(_has_phrase(unit.text, w) for w in possible):
        report.warnings.append(doc.problem(unit.keypath, msg('claim "%(claim)s" is a possibility, but "%(text)s" '
                                                         "reads as an order: write it with %(words)s ... as the "
                                                         'claim does: "%(statement)s"', claim=claim.id,
                                                         text=_quote(unit.text), words="/".join(possible[:4]),
                                                         statement=_quote(claim.statement, 14))))


def _unclaimed(report: ClaimsReport, doc: YamlDoc, units: list[_Unit], named: list[Claim], language: str) -> None:
    for unit in units:
        if any(_content_words(c.statement) & _content_words(unit.text) for c in named):
            continue
        cue = _cue(unit.text, language)
        if cue:
            report.warnings.append(doc.problem(unit.keypath, msg('"%(text)s" has %(cue)s but carries no claim: name '
                                                             "the claim it states in the block's claims: [...] "
                                                             "(claims.yaml), or rewrite it as connecting text",
                                                             text=_quote(unit.text), cue=cue)))


def section_claims(section: Section) -> list[str]:
    """The claim ids a section's blocks name, in order, once each."""
    return list(dict.fromkeys(cid for block in section.blocks for cid in block.claims))
