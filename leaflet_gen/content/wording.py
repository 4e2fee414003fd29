"""Per-language word tables for the claims check (content/claims.py).

- ``STRENGTH``: the strength words a claim may require (its ``strength`` in claims.yaml), each with
  the forms and equivalents that count as carrying it. "kan" is also carried by "kunt", "kun" and
  "kunnen": the voice (je/u) changes the form, not the strength.
- ``POSSIBILITY``: words that make a sentence a possibility or permission; a claim of kind
  ``possibility`` whose sentence has none of them reads as an order ("Bespreek ..." for "kunt u
  ... bespreken").
- ``MEDICINES``, ``BODY``, ``ADVICE``: what makes a sentence medical content that should name its
  claim: a medicine, a part of the body, or advice (an imperative verb at the start of a sentence).
  Numbers (any digit) count too. Stems match the start of a word ("rug" also finds "rugpijn").

Translations add a language here; a language without a table has no claims wording check (numbers
are checked in every language).
"""

from __future__ import annotations

STRENGTH: dict[str, dict[str, tuple[str, ...]]] = {
    "nl": {
        "soms": ("soms",),
        "heel soms": ("heel soms",),
        "meestal": ("meestal",),
        "vaak": ("vaak",),
        "kan": ("kan", "kunt", "kun", "kunnen"),
        "mag": ("mag", "mogen"),
        "eventueel": ("eventueel",),
        "probeer": ("probeer", "probeert", "proberen"),
        "vermoedelijk": ("vermoedelijk",),
        "bijna nooit": ("bijna nooit",),
        "bijna niet": ("bijna niet",),
        "nooit": ("nooit",),
        "ongeveer": ("ongeveer",),
        "zo veel mogelijk": ("zo veel mogelijk", "zoveel mogelijk"),
        "zo nodig": ("zo nodig", "als het nodig is", "is het nodig"),
        "misschien": ("misschien",),
        "als het kan": ("als het kan", "als dat kan"),
        "liefst": ("liefst", "bij voorkeur"),
        "samen": ("samen",),
        "alleen": ("alleen",),
        "direct": ("direct",),
        "eerst": ("eerst",),
        "tijdelijk": ("tijdelijk",),
        "geen tekenen": ("geen tekenen", "geen aanwijzingen"),
    },
    "en": {
        "sometimes": ("sometimes",),
        "very rarely": ("very rarely",),
        "usually": ("usually",),
        "often": ("often",),
        "can": ("can", "could"),
        "may": ("may",),
        "if you wish": ("if you wish", "if you like", "optionally"),
        "try": ("try",),
        "presumably": ("presumably", "probably"),
        "almost never": ("almost never",),
        "hardly": ("hardly",),
        "never": ("never",),
        "about": ("about",),
        "as much as possible": ("as much as possible",),
        "if needed": ("if needed", "if necessary"),
        "together": ("together",),
        "only": ("only",),
        "directly": ("directly",),
        "first": ("first",),
        "temporarily": ("temporarily",),
    },
}

POSSIBILITY: dict[str, tuple[str, ...]] = {
    "nl": ("kan", "kunt", "kun", "kunnen", "mag", "mogen", "eventueel", "misschien"),
    "en": ("can", "could", "may", "might", "if you wish", "optionally"),
}

MEDICINES: dict[str, tuple[str, ...]] = {
    "nl": ("paracetamol", "ibuprofen", "diclofenac", "nsaid", "benzodiazepine", "temazepam", "oxazepam",
           "diazepam", "pijnstiller", "medicijn", "medicament", "spierverslapper", "tablet", "gel"),
    "en": ("paracetamol", "ibuprofen", "diclofenac", "nsaid", "benzodiazepine", "temazepam", "oxazepam",
           "diazepam", "painkiller", "medicine", "medication", "muscle relaxant", "tablet", "gel"),
}

BODY: dict[str, tuple[str, ...]] = {
    "nl": ("rug", "onderrug", "wervel", "tussenwervel", "ruggengraat", "been", "benen", "bovenbe", "bil", "billen",
           "rib", "knie", "zenuw", "spier", "banden", "botten", "bot", "maag", "darm", "hart", "bloedvat", "nier"),
    "en": ("back", "spine", "vertebra", "disc", "leg", "buttock", "rib", "knee", "nerve", "muscle", "ligament",
           "bone", "stomach", "bowel", "heart", "blood vessel", "kidney"),
}

# Imperatives that open a sentence of advice (the reader is told to do something).
ADVICE: dict[str, tuple[str, ...]] = {
    "nl": ("blijf", "ga", "gebruik", "probeer", "doe", "neem", "vraag", "bespreek", "til", "draag", "zit", "sta",
           "lig", "kies", "houd", "stop", "let", "beweeg", "zet", "draai", "buig", "leef", "smeer", "begin",
           "rook", "loop", "pak", "deel", "schuif", "steun", "duw", "bekijk", "bel", "maak", "vermijd"),
    "en": ("keep", "stay", "go", "use", "try", "do", "take", "ask", "discuss", "lift", "carry", "sit", "stand",
           "lie", "choose", "hold", "stop", "move", "put", "turn", "bend", "live", "rub", "start", "avoid", "call"),
}


def strength_words(language: str) -> dict[str, tuple[str, ...]]:
    """The strength table of ``language`` (empty when it has none)."""
    return STRENGTH.get(language, {})
