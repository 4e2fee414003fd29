"""Lay out rendered HTML with WeasyPrint: panel pages (one PDF page per panel), or flowing pages.

The only module that imports WeasyPrint, so ``check``, ``list`` and ``--help`` stay fast. It
takes plain data (:class:`RenderRequest`), never the schemas, so a render process can start
importing WeasyPrint before the content has even been read (see
:class:`leaflet_gen.pipeline.pool.RenderPool`).

Rendering is confined: the URL fetcher serves only files under the given roots (the templates
and stylesheets the leaflet uses, the project's or the built-in ones, fonts/, the practice's
folder, the ICC profile) and inline ``data:``
URIs (the QR code); anything else stops the render with a clear message instead of silently
leaving a hole in the leaflet.
"""

from __future__ import annotations

import logging
import mimetypes
import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from leaflet_gen.errors import LayoutError, RenderError
from leaflet_gen.i18n import msg, num
from leaflet_gen.layout.contract import BACK, FLOW, SECTION_PREFIX, section_anchor
from leaflet_gen.units import PX_PER_MM


@dataclass(frozen=True)
class PanelPlan:
    """What the panel check needs to know about a panelled leaflet."""

    slug: str
    panels: tuple[tuple[str, str, str], ...]  # (id, role, label) in reading order
    sections: tuple[str, ...]  # ids of every section, in document order
    flow: tuple[str, ...]  # ids of the sections in the flow panels
    # Flow panels that must begin with a section: the panel before them is out of sight when
    # they are read (the variant's spreads), so a section may not run on into them.
    section_starts: tuple[str, ...] = ()


@dataclass(frozen=True)
class RenderRequest:
    html: str
    base_url: str
    roots: tuple[Path, ...]  # files the fetcher may serve: under these folders, or these files
    pdf_options: dict
    plan: PanelPlan | None  # None: a flowing variant (pages as they come)
    own_fonts: bool = False  # the stylesheets declare @font-face: not rendered with the shared fonts
    slug: str = ""  # the leaflet's name in messages
    keep_together: tuple[str, ...] = ()  # ids of sections printed whole on one panel or page
    # (folder, where its files are): an address under the folder is the first of these folders that
    # has the file (the project's theme folder, then the built-in one: see leaflet_gen.theme).
    overlays: tuple[tuple[Path, tuple[Path, ...]], ...] = ()
    # Where the search for section moves (:func:`_keep_sections_in_view`) begins: the moves of
    # step ``start_step`` of its path. Only for a path known to be the search's own up to there
    # (:mod:`leaflet_gen.pipeline.speculate` checks it); the default is the search from the start.
    start: tuple[str, ...] = ()
    start_step: int = 0
    # A probe: lay out with each of these sets of moves and say where the search would go next
    # from each (``Rendered.steps``); nothing is checked or written.
    probe: tuple[tuple[str, ...], ...] | None = None


@dataclass(frozen=True)
class Rendered:
    """Panel pages in reading order, with which panel each page is."""

    pdf: bytes
    page_panels: tuple[str, ...]  # panel id per PDF page; "" for pages of a flowing variant
    served: tuple[str, ...] = ()  # the files the URL fetcher served (checked against the input key)
    # Per page: (mm of the content area used, mm available), for fit meters and balance checks.
    fill: tuple[tuple[float, float], ...] = ()
    advice: tuple[str, ...] = ()  # layout warnings: correct, but worth a look (e.g. a half-empty panel)
    # The fonts the PDF embeds, as its /BaseFont names without the subset prefix (None: unknown,
    # the build reads them from the PDF). The build fails on any other than the variant's.
    fonts: tuple[str, ...] | None = None
    # The sets of section moves laid out, in the order the search tried them (from the request's
    # ``start``): the next render of the same leaflet can guess its search takes them again.
    path: tuple[tuple[str, ...], ...] = ((),)
    # A probe's answer: per set of moves asked for, the next set (None: the search stops there).
    steps: tuple[tuple[str, ...] | None, ...] = ()


class _ConfinedFetch(Exception):
    pass


def _overlaid(path: Path, overlays: tuple[tuple[Path, tuple[Path, ...]], ...]) -> Path | None:
    """The file an address ``path`` (made absolute, not resolved) stands for under ``overlays``:
    the first of the folders that has it. None: not under an overlaid folder, or in none of them."""
    for folder, sources in overlays:
        if path.is_relative_to(folder):
            rel = path.relative_to(folder)
            return next((s / rel for s in sources if os.path.lexists(s / rel)), None)
    return None


def _fetcher(roots: tuple[Path, ...], overlays: tuple[tuple[Path, tuple[Path, ...]], ...] = ()):
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    roots = tuple(r.resolve() for r in roots)

    class ConfinedFetcher(URLFetcher):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.served: list[str] = []

        def fetch(self, url, headers=None):
            scheme = urlsplit(url).scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme != "file":
                raise _ConfinedFetch(msg("%(url)s (only files inside the project and practice folders are used)",
                                         url=url))
            asked = Path(os.path.normpath(unquote(urlsplit(url).path)))
            overlaid = _overlaid(asked, overlays)
            path = (overlaid or asked).resolve()
            if not any(path == r or path.is_relative_to(r) for r in roots):
                raise _ConfinedFetch(msg("%(path)s (outside the project's templates/styles/fonts and the practice "
                                         "folder)", path=str(path)))
            if not path.is_file():
                raise _ConfinedFetch(msg("%(path)s (file not found)", path=str(path)))
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            self.served.append(str(path))
            # An overlaid file answers under the address asked for: what it imports or points to is
            # looked up the same way (a built-in stylesheet @imports the project's override, if any).
            return URLFetcherResponse((asked if overlaid else path).as_uri(), path.read_bytes(),
                                      {"Content-Type": mime})

    return ConfinedFetcher(fail_on_errors=True)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


_font_config = None


def _shared_font_config():
    """One font configuration per process, reused by every leaflet it renders.

    Creating one loads fontconfig's configuration and a new Pango font map: ~50 ms of every
    leaflet in a catalogue worker. Only for leaflets set in installed fonts: fonts declared with
    @font-face would stay in the configuration and could reach another leaflet, so a request
    with ``own_fonts`` gets a fresh one. Catalogue and single builds stay byte-identical
    (tested). Created after any fork.
    """
    global _font_config
    if _font_config is None:
        from weasyprint.text.fonts import FontConfiguration

        _font_config = FontConfiguration()
    return _font_config


def load_weasyprint():
    """Import WeasyPrint, or say how to install what it needs (it loads Pango & co. at import).

    Its system libraries are looked up through a cache (:mod:`leaflet_gen.layout.libcache`):
    the lookups, not the loading, were ~40 % of the import.
    """
    import sys
    import warnings

    # With no fonts at all WeasyPrint warns on stderr at import; the build says it plainly
    # before anything is rendered (pipeline.build.resolve), so the warning would only confuse.
    warnings.filterwarnings("ignore", message="No fonts configured in FontConfig", category=UserWarning)
    try:
        if "weasyprint" in sys.modules:
            import weasyprint
        else:
            from leaflet_gen.layout.libcache import cached_find_library

            with cached_find_library():
                import weasyprint
    except (ImportError, OSError) as exc:
        raise RenderError(f"WeasyPrint cannot be loaded ({type(exc).__name__}: {exc}). Install its system "
                          "libraries (Pango, HarfBuzz, fontconfig): `leaflet-gen doctor` says which are missing "
                          "and how, then build again.") from None
    return weasyprint


def renderer_versions() -> tuple[str, tuple[int, int, int], bool]:
    """WeasyPrint's version, Pango's (major, minor, micro), and whether HarfBuzz's subsetter is
    there: for `leaflet-gen doctor` (raises RenderError when WeasyPrint cannot be loaded)."""
    weasyprint = load_weasyprint()
    from weasyprint.text import ffi

    code = int(ffi.pango.pango_version())
    return weasyprint.__version__, (code // 10000, code // 100 % 100, code % 100), \
        getattr(ffi, "harfbuzz_subset", None) is not None


_parsing = threading.local()  # .memo: the stylesheets parsed for this render's document, or None


def _find_stylesheets_once(original):
    """WeasyPrint's ``find_stylesheets``, answered from :func:`_stylesheets_parsed_once`'s memo when
    one is open for the same document: its ``<style>`` and ``<link>`` stylesheets parsed once, and
    what parsing them adds to the layout's counter styles and colour profiles added again."""

    def find_stylesheets(wrapper_element, media_type, url_fetcher, base_url, font_config, counter_style,
                         color_profiles, *rest):
        memo = getattr(_parsing, "memo", None)
        args = (wrapper_element, media_type, url_fetcher, base_url, font_config, counter_style, color_profiles, *rest)
        if memo is None:
            return original(*args)
        if memo.get("element") is not wrapper_element or memo.get("font_config") is not font_config:
            counters, profiles = dict(counter_style), dict(color_profiles)
            sheets = list(original(*args))
            memo.update(element=wrapper_element, font_config=font_config, sheets=sheets,
                        counters={k: v for k, v in counter_style.items() if counters.get(k, k) is not v},
                        profiles={k: v for k, v in color_profiles.items() if profiles.get(k, k) is not v})
        else:
            counter_style.update(memo["counters"])
            color_profiles.update(memo["profiles"])
        return memo["sheets"]

    find_stylesheets.leaflet_gen_memo = True
    return find_stylesheets


@contextmanager
def _stylesheets_parsed_once(on: bool = True):
    """Parse the document's own stylesheets once for all the layouts of one render.

    :func:`_keep_sections_in_view` lays a leaflet out again for each section it moves (4 layouts
    for some tri-folds), and WeasyPrint parses every ``<style>`` and ``<link>`` stylesheet anew
    for each (~15 % of a layout: the theme's CSS, the ICC profile its @color-profile loads).
    The parsed sheets are the same each time: the layouts differ only in a user stylesheet of
    page breaks. Only within one render (the next request has its own document), and not for
    a leaflet with its own @font-face fonts (``on`` False): parsing adds those to the font
    configuration each time, and that stays as it was.
    """
    import weasyprint.css

    if not on:
        yield
        return
    if not getattr(weasyprint.css.find_stylesheets, "leaflet_gen_memo", False):
        weasyprint.css.find_stylesheets = _find_stylesheets_once(weasyprint.css.find_stylesheets)
    _parsing.memo = {}
    try:
        yield
    finally:
        _parsing.memo = None


def render(request: RenderRequest) -> Rendered:
    """Lay out and write the pages; raise LayoutError when the content does not fit its panels."""
    load_weasyprint()
    with _stylesheets_parsed_once(not request.own_fonts):
        return _render(request)


def _render(request: RenderRequest) -> Rendered:
    weasyprint = load_weasyprint()
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError

    logger = logging.getLogger("weasyprint")
    collect = _Collect()
    logger.addHandler(collect)
    try:
        fetcher = _fetcher(request.roots, request.overlays)
        html = weasyprint.HTML(string=request.html, base_url=request.base_url, url_fetcher=fetcher)
        font_config = FontConfiguration() if request.own_fonts else _shared_font_config()
        if request.probe is not None:
            return Rendered(b"", (), steps=tuple(
                _next_moves(request.plan, _lay_out(html, font_config, moves), moves) for moves in request.probe))
        advice: tuple[str, ...] = ()
        path: tuple[tuple[str, ...], ...] = ((),)
        if request.plan is not None:
            document, path = _keep_sections_in_view(request.plan, html, font_config, request.start,
                                                    request.start_step)
            moved = path[-1]
            _check_kept_together(request.slug, request.keep_together, document, "panel")
            page_panels = assign_panels(request.plan, document, moved)  # overflow is the first thing to fix
            _check_sections_in_view(request.plan, document)
            advice = _balance_advice(request.plan, document, page_panels)
        else:
            document = html.render(font_config=font_config)
            _check_kept_together(request.slug, request.keep_together, document, "page")
            page_panels = ("",) * len(document.pages)
        labels = {p[0]: p[2] for p in request.plan.panels} if request.plan else {}
        _check_edges(request.slug, document,
                     [f"the {labels[pid]}" if pid in labels else f"page {i + 1}" for i, pid in enumerate(page_panels)])
        fill = tuple((round(_used_height_mm(p), 1), round(_content_height_mm(p), 1)) for p in document.pages)
        pdf = document.write_pdf(**request.pdf_options)
        # WeasyPrint's own problems (unreadable image, CSS it ignores, an accessibility rule it
        # could not meet while writing) would silently change the leaflet: treat them as build
        # failures, naming what was wrong.
        if collect.messages:
            raise RenderError(msg("the renderer reported a problem: %(problems)s",
                                  problems="; ".join(dict.fromkeys(collect.messages))))
    except FatalURLFetchingError as exc:
        cause = exc.__cause__
        detail = cause.args[0] if isinstance(cause, _ConfinedFetch) else str(exc)  # a message: its words translate
        raise RenderError(msg("refused to load a resource: %(detail)s", detail=detail)) from None
    finally:
        logger.removeHandler(collect)
    return Rendered(pdf, page_panels, tuple(dict.fromkeys(fetcher.served)), fill, advice, _font_names(document), path)


def _font_names(document) -> tuple[str, ...] | None:
    """The fonts WeasyPrint embedded (``Document.fonts``, filled while writing the PDF): each
    one's ``name`` is the /BaseFont it writes, "/ABCDEF+Lato-Regular". Asking here spares the
    build parsing the whole PDF again for them (15-90 ms a leaflet; most for the tagged PDFs
    of the screen and large-print variants). None when WeasyPrint no longer has them this way."""
    names = [getattr(font, "name", None) for font in getattr(document, "fonts", {}).values()]
    if not all(isinstance(name, bytes) for name in names):
        return None
    return tuple(sorted({name.decode("latin-1").lstrip("/").split("+", 1)[-1] for name in names}))


def _anchor_pages(document) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for name in page.anchors:
            found.setdefault(name, index)
    return found


def _used_height_mm(page) -> float:
    """How far down the page content goes, from the top of the content area, in mm.

    Counts lines of text, images and the boxes that draw something themselves (a rule, a tinted
    box, the ruled lines of a notes block); the page's margin boxes (running footers) are not
    content. WeasyPrint keeps no public API for the box tree: isolated here.
    """
    box = page._page_box
    top = box.content_box_y()
    bottom = top

    def walk(parent) -> None:
        nonlocal bottom
        for child in getattr(parent, "children", ()):
            if type(child).__name__ == "MarginBox":
                continue
            if getattr(child, "height", None) is not None and (
                    type(child).__name__ in ("LineBox", "InlineReplacedBox", "BlockReplacedBox")
                    or child.style["background_color"].alpha > 0 or child.border_bottom_width > 0):
                bottom = max(bottom, child.position_y + child.margin_height() - child.margin_bottom)
            walk(child)

    walk(box)
    return (bottom - top) / PX_PER_MM


_LEAVES = ("TextBox", "InlineReplacedBox", "BlockReplacedBox")
_TOLERANCE_PX = 0.75  # sub-pixel rounding of text advance widths


def _check_edges(slug: str, document, where: list[str]) -> None:
    """Fail when any text or image runs past the edge of its page (or panel) or margin box.

    WeasyPrint lets a word longer than the line overflow, and a box taller than the page is
    cut: both would print clipped, at a fold or off the sheet. The message names the text, the
    file and key it came from (the templates' ``data-src``) and by how much it is too wide.
    """
    for index, page in enumerate(document.pages):
        box = page._page_box
        area = (box.content_box_x(), box.content_box_y(), box.content_box_x() + box.width,
                box.content_box_y() + box.height)
        found = _past_edges(box, area, "")
        if found:
            text, over_mm, source, side = found
            values = {"slug": slug, "text": text, "mm": num(over_mm), "side": side, "where": where[index]}
            fix = msg('Shorten it, or mark where a long word may break with a soft hyphen ("\\u00ad" in a quoted YAML '
                      "text); addresses break by themselves after @ . and /.")
            if source:
                raise LayoutError(msg('%(slug)s: "%(text)s" (from %(source)s) runs %(mm)s mm past the %(side)s edge of '
                                      "%(where)s. %(fix)s", source=source, fix=fix, **values))
            raise LayoutError(msg('%(slug)s: "%(text)s" runs %(mm)s mm past the %(side)s edge of %(where)s. %(fix)s',
                                  fix=fix, **values))


def _past_edges(parent, area, source: str):
    """The first leaf box under ``parent`` that leaves ``area``: (text, mm over, source, side)."""
    for child in getattr(parent, "children", ()):
        element = getattr(child, "element", None)
        here = (element.get("data-src") if element is not None and hasattr(element, "get") else None) or source
        inner = area
        if type(child).__name__ == "MarginBox":  # a running footer: checked against its own box
            inner = (child.content_box_x(), child.content_box_y(), child.content_box_x() + child.width,
                     child.content_box_y() + child.height)
        if type(child).__name__ in _LEAVES and getattr(child, "width", None) is not None:
            right = child.position_x + child.margin_width()
            bottom = child.position_y + child.margin_height()
            if right > inner[2] + _TOLERANCE_PX:
                return _describe(child), (right - inner[2]) / PX_PER_MM, here, "right"
            if bottom > inner[3] + _TOLERANCE_PX and type(child).__name__ != "TextBox":
                return _describe(child), (bottom - inner[3]) / PX_PER_MM, here, "bottom"
        found = _past_edges(child, inner, here)
        if found:
            return found
    return None


def _describe(box) -> str:
    text = getattr(box, "text", None)
    if text:
        return text.strip()[:60]
    element = getattr(box, "element", None)
    alt = element.get("alt") if element is not None and hasattr(element, "get") else None
    return f"image {alt}" if alt else "an image"


def _content_height_mm(page) -> float:
    return page._page_box.height / PX_PER_MM


def _first_section(page) -> str | None:
    """The id of the first content section laid out on ``page`` (its start or its continuation)."""
    for box in page._page_box.descendants():
        element = getattr(box, "element", None)
        if getattr(box, "element_tag", None) == "section" and element is not None:
            ident = element.get("id") or ""
            if ident.startswith(SECTION_PREFIX):
                return ident[len(SECTION_PREFIX):]
    return None


def _runs_on(plan: PanelPlan, document) -> list[tuple[str, str, bool]]:
    """(panel id, section id, movable) for each panel of ``section_starts`` that a section runs on into.

    Movable: the section starts on the panel just before, below other content, so a page break
    before it makes it start this panel. One that starts earlier is longer than a whole panel.
    """
    anchors = _anchor_pages(document)
    flow_ids = [p[0] for p in plan.panels if p[1] == "flow"]
    found = []
    for panel in plan.section_starts:
        index = anchors[FLOW.id] + flow_ids.index(panel)
        if index >= anchors[BACK.id]:
            continue  # the flow ends before this panel
        section = _first_section(document.pages[index])
        start = anchors.get(section_anchor(section), index)
        if section is not None and start < index:
            movable = start == index - 1 and _first_section(document.pages[index - 1]) != section
            found.append((panel, section, movable))
    return found


def _section_boxes(page, sid: str):
    """The boxes of section ``sid`` laid out on ``page`` (its start or a continuation)."""
    ident = section_anchor(sid)
    return [box for box in page._page_box.descendants()
            if getattr(box, "element_tag", None) == "section" and getattr(box, "element", None) is not None
            and box.element.get("id") == ident]


def _stranded_heads(plan: PanelPlan, document) -> list[str]:
    """Sections that start at the foot of a flow panel with only their heading and one paragraph
    or list item there, and run on into the next panel: a reader meets the heading, one sentence,
    and has to turn. Such a section moves on whole (when it is not the panel's first content)."""
    anchors = _anchor_pages(document)
    stranded = []
    for sid in plan.flow:
        start = anchors.get(section_anchor(sid))
        if start is None or start + 1 >= len(document.pages) or start + 1 >= anchors[BACK.id]:
            continue
        here = _section_boxes(document.pages[start], sid)
        if not here or not _section_boxes(document.pages[start + 1], sid):
            continue  # the whole section is on its page
        if _first_section(document.pages[start]) == sid:
            continue  # it starts the panel: moving it gains nothing
        headed = any(getattr(b, "element_tag", None) == "h2" for box in here for b in box.descendants())
        read = {id(b.element) for box in here for b in box.descendants()
                if getattr(b, "element_tag", None) in ("p", "li") and getattr(b, "element", None) is not None}
        if headed and len(read) <= 1:
            stranded.append(sid)
    return stranded


def _check_kept_together(slug: str, keep: tuple[str, ...], document, unit: str) -> None:
    """Fail when a section marked keep_together is laid out over more than one panel or page."""
    anchors = _anchor_pages(document)
    for sid in keep:
        start = anchors.get(section_anchor(sid))
        if start is None or start + 1 >= len(document.pages):
            continue
        if _section_boxes(document.pages[start + 1], sid):
            raise LayoutError(msg('%(slug)s: section "%(section)s" is marked keep_together (it must be read whole, '
                                  "like a dose with its warnings), but it is longer than one %(unit)s. Shorten it, or "
                                  "split it where the parts may be read apart.", slug=slug, section=sid, unit=unit))


def _keep_sections_in_view(plan: PanelPlan, html, font_config, start: tuple[str, ...] = (), step: int = 0):
    """Lay out again with a page break before each section that would run on badly.

    A letter fold is read in spreads: once the inner flap is unfolded it is out of sight, so a
    section that starts on the flap must not continue on the inside-middle panel. Such a section
    starts the next panel instead (one more layout pass, only when needed). A section that
    already starts its panel and is still too long cannot be moved: that is the author's to fix
    (:func:`_check_sections_in_view`). A section stranded at a panel's foot with only its heading
    and one paragraph moves too (:func:`_stranded_heads`). One move at a time, in reading order
    (:func:`_next_moves`), from ``start``, step ``step`` of the search (default: no moves yet).
    Returns the last layout and the moves of each layout, in order.
    """
    moved = start
    document = _lay_out(html, font_config, moved)
    path = [moved]
    for _ in range(step, 2 * len(plan.sections)):
        moved = _next_moves(plan, document, moved)
        if moved is None:
            break
        document = _lay_out(html, font_config, moved)
        path.append(moved)
    return document, tuple(path)


def _next_moves(plan: PanelPlan, document, moved: tuple[str, ...]) -> tuple[str, ...] | None:
    """The moves of the search's next layout after ``document`` (laid out with ``moved``); None: done.

    The first problem in reading order; a move shifts everything after it, so the breaks chosen
    after it are chosen again (a section moved before may fit where it was now).
    """
    due = [sid for _, sid, movable in _runs_on(plan, document) if movable and sid not in moved]
    due += [sid for sid in _stranded_heads(plan, document) if sid not in moved]
    if not due:
        return None
    order = {sid: i for i, sid in enumerate(plan.sections)}
    first = min(due, key=order.__getitem__)
    return tuple(sid for sid in moved if order[sid] < order[first]) + (first,)


def _lay_out(html, font_config, moved: tuple[str, ...]):
    """One layout, with a page break before each section of ``moved``."""
    if not moved:
        return html.render(font_config=font_config)
    from weasyprint import CSS

    css = "".join(f"#{section_anchor(sid)} {{ break-before: page; }}" for sid in moved)
    return html.render(font_config=font_config, stylesheets=[CSS(string=css)])


def _check_sections_in_view(plan: PanelPlan, document) -> None:
    """Fail when a section still runs on past a fold: it starts its panel and is longer than it."""
    stuck = _runs_on(plan, document)
    if stuck:
        labels = {p[0]: p[2] for p in plan.panels}
        order = [p[0] for p in plan.panels]
        panel, sid, _ = stuck[0]
        before = labels[order[order.index(panel) - 1]]
        raise LayoutError(msg('%(slug)s: section "%(section)s" runs on from the %(before)s into the %(panel)s, but the '
                              "%(before)s is out of sight when the %(panel)s is read. It is too long to move as a "
                              "whole: split it into two sections in topic.yaml, or shorten it.", slug=plan.slug,
                              section=sid, before=before, panel=labels[panel]))


def _balance_advice(plan: PanelPlan, document, page_panels: tuple[str, ...]) -> tuple[str, ...]:
    """Flag flow panels left more than a quarter empty, except the last one used."""
    labels = {p[0]: p[2] for p in plan.panels}
    flow_ids = {p[0] for p in plan.panels if p[1] == "flow"}
    used = [(i, pid) for i, pid in enumerate(page_panels) if pid in flow_ids]
    advice = []
    for (index, panel), (_, following) in zip(used, used[1:]):
        page = document.pages[index]
        empty = 1 - _used_height_mm(page) / _content_height_mm(page)
        if empty > 0.25:
            values = {"slug": plan.slug, "panel": labels[panel], "empty": f"{empty:.0%}"}
            if following in plan.section_starts:
                advice.append(msg("%(slug)s: the %(panel)s is %(empty)s empty: the next section starts the %(next)s, as "
                                  "no section may run on into it from the %(panel)s. Move a short section there in "
                                  "topic.yaml, or shorten the one that follows.", next=labels[following], **values))
            else:
                advice.append(msg("%(slug)s: the %(panel)s is %(empty)s empty: what follows did not fit below. Move a "
                                  "short section there in topic.yaml, or shorten the one that follows.", **values))
    return tuple(advice)


def assign_panels(plan: PanelPlan, document, moved: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Map each laid-out page to its panel, or explain precisely what does not fit where."""
    cover = next(p for p in plan.panels if p[1] == "cover")
    back = next(p for p in plan.panels if p[1] == "back")
    flow = [p for p in plan.panels if p[1] == "flow"]
    anchors = _anchor_pages(document)
    pages = document.pages
    flow_start, back_start = anchors[FLOW.id], anchors[BACK.id]

    def overflow(label: str, extra_pages: list, first_section: str | None, last_page) -> LayoutError:
        # What spilled over, less the room still free at the foot of the last panel (a box that
        # may not break moves whole, leaving that room): about what has to go.
        spilled = sum(_used_height_mm(p) for p in extra_pages)
        free = _content_height_mm(last_page) - _used_height_mm(last_page)
        mm = spilled - free if spilled - free >= 1 else spilled
        values = {"slug": plan.slug, "label": label, "mm": f"{mm:.0f}", "section": first_section}
        if first_section is None:
            return LayoutError(msg("%(slug)s: the content does not fit the %(label)s by about %(mm)s mm. Shorten the "
                                   "text (facts must stay), or move a section to another panel in topic.yaml.",
                                   **values))
        if moved:  # only the flow panels' overflow has a section
            names = ", ".join(f'"{sid}"' for sid in moved)
            return LayoutError(msg('%(slug)s: the content does not fit the %(label)s by about %(mm)s mm, from section '
                                   '"%(section)s" on (section %(moved)s starts a new panel, because a section may not '
                                   "run on past a fold that hides the panel before). Shorten the text (facts must "
                                   "stay), or move a section to another panel in topic.yaml.", moved=names, **values))
        return LayoutError(msg('%(slug)s: the content does not fit the %(label)s by about %(mm)s mm, from section '
                               '"%(section)s" on. Shorten the text (facts must stay), or move a section to another '
                               "panel in topic.yaml.", **values))

    def first_section_on(indexes: range) -> str | None:
        for sid in plan.sections:
            if anchors.get(section_anchor(sid)) in indexes:
                return sid
        return None

    if flow_start > 1:
        raise overflow(f"cover panel ({cover[2]})", pages[1:flow_start], None, pages[0])
    flow_pages = back_start - flow_start
    if flow_pages > len(flow):
        extra = range(flow_start + len(flow), back_start)
        spill = first_section_on(extra) or _section_spanning(plan, anchors, extra.start)
        raise overflow(f"{len(flow)} inside panels ({', '.join(p[2] for p in flow)})",
                       pages[extra.start:extra.stop], spill, pages[extra.start - 1])
    if len(pages) - back_start > 1:
        raise overflow(f"back panel ({back[2]})", pages[back_start + 1:], None, pages[back_start])
    return (cover[0], *(flow[i][0] for i in range(flow_pages)), back[0])


def _section_spanning(plan: PanelPlan, anchors: dict[str, int], page: int) -> str | None:
    """The section that started before ``page`` and runs onto it."""
    last = None
    for sid in plan.flow:
        start = anchors.get(section_anchor(sid))
        if start is not None and start < page:
            last = sid
    return last
