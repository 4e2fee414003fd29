"""The inline markup allowed in content: **bold**, *italic* and [links](https://...).

markdown-it-py does the parsing (CommonMark-correct emphasis rules are not worth hand-writing);
raw HTML is disabled and everything else is escaped, so text can never inject markup or CSS.
"""

from __future__ import annotations

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
