"""Render a composed leaflet: Jinja2 -> HTML -> WeasyPrint -> panel pages (one PDF page per panel).

WeasyPrint is imported here only, so ``check``, ``list`` and ``--help`` stay fast. Rendering is
confined: the URL fetcher serves files under the project's templates/, styles/ and fonts/ and
the practice's own folder, plus inline ``data:`` URIs (the QR code); anything else stops the
render with a clear message instead of silently leaving a hole in the leaflet.
"""

from __future__ import annotations

import logging
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jinja2

from leaflet_gen import __version__
from leaflet_gen.compose import Leaflet, date_nl
from leaflet_gen.errors import LayoutError, RenderError
from leaflet_gen.markup import inline, plain
from leaflet_gen.project import Project

PX_PER_MM = 96 / 25.4


@dataclass(frozen=True)
class Rendered:
    """Panel pages in reading order, with which panel each page is."""

    pdf: bytes
    page_panels: tuple[str, ...]  # panel id per PDF page; "" for pages of a flowing variant


def template_env(project: Project) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(project.root / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = inline
    env.filters["plain"] = plain
    env.filters["date_nl"] = date_nl
    env.filters["mm"] = lambda v: f"{float(v):g}mm"
    return env


def render_html(project: Project, leaflet: Leaflet) -> str:
    env = template_env(project)
    try:
        template = env.get_template(leaflet.variant.template)
        return template.render(leaflet=leaflet, variant=leaflet.variant,
                               practice=leaflet.practice.data, topic=leaflet.topic.data,
                               content=leaflet.content, tool_version=__version__)
    except jinja2.TemplateError as exc:
        where = f"{exc.filename}:{exc.lineno}: " if getattr(exc, "lineno", None) else ""
        raise RenderError(f"template error: {where}{exc.message}") from None


class _ConfinedFetch(Exception):
    pass


def _fetcher(project: Project, leaflet: Leaflet):
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    roots = [project.root / "templates", project.root / "styles", project.root / "fonts",
             leaflet.practice.folder]
    roots = [r.resolve() for r in roots]
    if leaflet.icc_profile is not None:
        roots.append(leaflet.icc_profile.resolve())  # the one file, wherever it was configured

    class ConfinedFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            scheme = urlsplit(url).scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme != "file":
                raise _ConfinedFetch(f"{url} (only files inside the project and practice folders are used)")
            path = Path(unquote(urlsplit(url).path)).resolve()
            if not any(path == r or path.is_relative_to(r) for r in roots):
                raise _ConfinedFetch(f"{path} (outside the project's templates/styles/fonts and the practice folder)")
            if not path.is_file():
                raise _ConfinedFetch(f"{path} (file not found)")
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": mime})

    return ConfinedFetcher(fail_on_errors=True)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def render_pdf(project: Project, leaflet: Leaflet, html: str, **pdf_options) -> Rendered:
    """Lay out and write the panel pages; raise LayoutError when the content does not fit."""
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError

    logger = logging.getLogger("weasyprint")
    collect = _Collect()
    logger.addHandler(collect)
    try:
        document = weasyprint.HTML(
            string=html, base_url=(project.root / "templates").as_uri() + "/",
            url_fetcher=_fetcher(project, leaflet),
        ).render()
        page_panels = assign_panels(leaflet, document) if leaflet.variant.panels else ("",) * len(document.pages)
        pdf = document.write_pdf(**pdf_options)
        # WeasyPrint's own problems (unreadable image, CSS it ignores, an accessibility rule it
        # could not meet while writing) would silently change the leaflet: treat them as build
        # failures, naming what was wrong.
        if collect.messages:
            raise RenderError("the renderer reported a problem: " + "; ".join(dict.fromkeys(collect.messages)))
    except FatalURLFetchingError as exc:
        cause = exc.__cause__
        detail = str(cause) if isinstance(cause, _ConfinedFetch) else str(exc)
        raise RenderError(f"refused to load a resource: {detail}") from None
    finally:
        logger.removeHandler(collect)
    return Rendered(pdf, page_panels)


def _anchor_pages(document) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for name in page.anchors:
            found.setdefault(name, index)
    return found


def _used_height_mm(page) -> float:
    """How far down the page content goes, from the top of the content area, in mm."""
    box = page._page_box  # WeasyPrint keeps no public API for this; isolated here.
    top = box.content_box_y()
    bottom = top
    for child in box.descendants():
        if getattr(child, "height", None) is None or child is box:
            continue
        if type(child).__name__ in ("LineBox", "InlineReplacedBox", "BlockReplacedBox"):
            bottom = max(bottom, child.position_y + child.margin_height())
    return (bottom - top) / PX_PER_MM


def assign_panels(leaflet: Leaflet, document) -> tuple[str, ...]:
    """Map each laid-out page to its panel, or explain precisely what does not fit where."""
    panels = leaflet.variant.panels
    cover = next(p for p in panels if p.role == "cover")
    back = next(p for p in panels if p.role == "back")
    flow = [p for p in panels if p.role == "flow"]
    anchors = _anchor_pages(document)
    pages = document.pages
    flow_start, back_start = anchors["panel-flow"], anchors["panel-back"]

    def overflow(label: str, extra_pages: list, first_section: str | None) -> LayoutError:
        mm = sum(_used_height_mm(p) for p in extra_pages)
        where = f", from section \"{first_section}\" on" if first_section else ""
        return LayoutError(
            f"{leaflet.slug}: the content does not fit the {label} by about {mm:.0f} mm{where}. "
            "Shorten the text (facts must stay), or move a section to another panel in topic.yaml."
        )

    def first_section_on(indexes: range) -> str | None:
        for s in leaflet.sections:
            if anchors.get(f"section-{s.id}") in indexes:
                return s.id
        return None

    if flow_start > 1:
        raise overflow(f"cover panel ({cover.label})", pages[1:flow_start], None)
    flow_pages = back_start - flow_start
    if flow_pages > len(flow):
        extra = range(flow_start + len(flow), back_start)
        spill = first_section_on(extra) or _section_spanning(leaflet, anchors, extra.start)
        raise overflow(f"{len(flow)} inside panels ({', '.join(p.label for p in flow)})",
                       pages[extra.start:extra.stop], spill)
    if len(pages) - back_start > 1:
        raise overflow(f"back panel ({back.label})", pages[back_start + 1:], None)
    assigned = [cover.id] + [flow[i].id for i in range(flow_pages)] + [back.id]
    return tuple(assigned)


def _section_spanning(leaflet: Leaflet, anchors: dict[str, int], page: int) -> str | None:
    """The section that started before ``page`` and runs onto it."""
    last = None
    for s in leaflet.flow:
        start = anchors.get(f"section-{s.id}")
        if start is not None and start < page:
            last = s.id
    return last
