"""The inline markup allowed in content: **bold**, *italic* and [links](https://...).

markdown-it-py does the parsing (CommonMark-correct emphasis rules are not worth hand-writing);
raw HTML is disabled and everything else is escaped, so text can never inject markup or CSS.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markupsafe import Markup

_ALLOWED_SCHEMES = ("https://", "http://", "mailto:", "tel:")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("zero", {"html": False, "typographer": False}).enable(["emphasis", "link"])
    md.validateLink = lambda url: url.lower().startswith(_ALLOWED_SCHEMES)  # type: ignore[method-assign]
    return md


def inline(text: str) -> Markup:
    """Render one piece of content text to safe inline HTML."""
    return Markup(_inline_html(text))


@lru_cache(maxsize=4096)
def _inline_html(text: str) -> str:
    # Kept per process: a catalogue composes the same texts for every practice and variant.
    return _parser().renderInline(text)


def plain(text: str) -> str:
    """The same text without markup (for PDF metadata, bookmarks, alt texts)."""
    tokens = _parser().parseInline(text)
    out: list[str] = []
    for tok in tokens:
        for child in tok.children or []:
            if child.type == "text":
                out.append(child.content)
    return "".join(out)


# What stays left to right inside right-to-left text: web and e-mail addresses, phone numbers and
# numbers with a Latin unit ("500 mg", as on the box). Without isolation the bidi algorithm sets
# "030 123 45 67" as "67 45 123 030" and "500 mg" as "mg 500" in an Arabic line.
_LTR_RUN = re.compile(
    r"(?:https?://|www\.)[^\s<>\u2066-\u2069]*[^\s<>.,;:!?)\u2066-\u2069]"  # a web address
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # an e-mail address
    r"|\+?\(?\d[\d()\u00a0 -]{6,}\d"  # a phone number: 8 or more digits and separators
    r"|\d+(?:[.,]\d+)?[\u00a0 ]?(?:mg|mcg|µg|g|kg|ml|mm|cm|km|%)(?![A-Za-z])",  # a number with a Latin unit
    re.ASCII | re.IGNORECASE)
LRI, PDI = "\u2066", "\u2069"  # Unicode's left-to-right isolate and its end (Pango honours them)


def isolate_ltr(html: str) -> str:
    """``html`` (inline markup as :func:`inline` writes it) with every left-to-right run of its
    text, not of its tags, between LRI and PDI; a space inside a number with its unit becomes a
    no-break space. For right-to-left leaflets only: left-to-right text needs none of it."""
    def run(match: re.Match) -> str:
        return LRI + match.group(0).replace(" ", "\u00a0") + PDI

    parts = re.split(r"(<[^>]*>)", html)
    return "".join(part if part.startswith("<") else _LTR_RUN.sub(run, part) for part in parts)
