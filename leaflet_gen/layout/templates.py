"""Render a composed leaflet to HTML (Jinja2, strict and autoescaped) and a render request.

The request is plain data for :mod:`leaflet_gen.layout.engine`, which lays it out with WeasyPrint:
the HTML, the folders the renderer may read from, the PDF options and the panel plan.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

import jinja2
from jinja2.loaders import split_template_path
from markupsafe import Markup, escape

from leaflet_gen import __version__, theme
from leaflet_gen.content.markup import LRI, PDI, inline, isolate_ltr, plain
from leaflet_gen.content.project import Project
from leaflet_gen.errors import RenderError
from leaflet_gen.i18n import catalogue
from leaflet_gen.layout import contract
from leaflet_gen.layout.compose import Leaflet, date_nl, leaflet_date
from leaflet_gen.layout.engine import PanelPlan, RenderRequest
from leaflet_gen.layout.resources import resource_roots

_COMPILED_WITH = "context-filters-1"


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept between runs in the user's temp folder (private to the user).

    Compiling the templates is a noticeable part of a single build. Jinja checks each entry
    against the template source's checksum, so an edited template is never served stale; a
    cache that cannot be written is simply not used.
    """

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        # Compiled code depends on the filters too, not only on the source Jinja checks: a filter
        # that takes the context (md, ltr) is called differently. Change the tag when one changes so.
        return super().get_cache_key(f"{_COMPILED_WITH}:{name}", filename)

    def dump_bytecode(self, bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    try:
        return _BytecodeCache()
    except (OSError, RuntimeError):  # no safe private temp folder: compile every time
        return None


class _ThemeLoader(jinja2.FileSystemLoader):
    """The project's templates/ first, then the built-in ones (see :mod:`leaflet_gen.theme`).

    A loaded template stays up to date only while the same file would still be chosen: an
    override added (or removed) while a long-running process (the studio) keeps its compiled
    templates is then picked up, as an edit of the file itself already is."""

    def get_source(self, environment, template):
        for folder in self.searchpath[:-1]:  # the project's: a file there that cannot be read is not skipped
            path = os.path.join(folder, *split_template_path(template))
            if os.path.lexists(path) and not os.path.isfile(path):
                raise jinja2.TemplateNotFound(template, f"{path} is not a file (a folder, or a link to nothing): "
                                                        "fix it, or remove it to use the built-in template")
        source, filename, uptodate = super().get_source(environment, template)

        def still() -> bool:
            return self._chosen(template) == filename and uptodate()

        return source, filename, still

    def _chosen(self, template: str) -> str | None:
        for folder in self.searchpath:
            path = os.path.join(folder, *split_template_path(template))
            if os.path.isfile(path):
                return os.path.normpath(path)
        return None


def template_env(project: Project) -> jinja2.Environment:
    """One environment per project and process: a catalogue worker compiles each template once."""
    return _env_for(theme.folders(project.root, "templates"))


@lru_cache(maxsize=8)
def _env_for(folders: tuple[Path, ...]) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=_ThemeLoader(folders),
        bytecode_cache=_bytecode_cache(),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    # The template's own words ("Versie", "Telefoon") in the leaflet's language: the ``leaflet``
    # domain's catalogue of the language of the leaflet being rendered (one environment serves all).
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)
    env.filters["md"] = _md
    env.filters["ltr"] = _ltr
    env.filters["plain"] = plain
    env.filters["date_nl"] = date_nl
    env.filters["date"] = _date
    env.filters["css_string"] = css_string
    env.filters["css_counters"] = css_counters
    env.filters["mm"] = lambda v: f"{float(v):g}mm"
    env.filters["breakable"] = breakable
    return env


@jinja2.pass_context
def _gettext(context, message: str) -> str:
    return catalogue(context["leaflet"].language, "leaflet").gettext(message)


@jinja2.pass_context
def _ngettext(context, singular: str, plural: str, n: int) -> str:
    return catalogue(context["leaflet"].language, "leaflet").ngettext(singular, plural, n)


@jinja2.pass_context
def _date(context, day) -> str:
    return leaflet_date(day, context["leaflet"].language)


def css_string(text: str) -> Markup:
    """``text`` as a CSS string literal (in a ``<style>`` element: no ``</`` can end it)."""
    quoted = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ").replace("<", "\\3C ")
    return Markup(f'"{quoted}"')


def css_counters(text: str) -> Markup:
    """A translated "Page {page} of {pages}" as a CSS ``content`` value: the words as strings,
    ``{page}`` and ``{pages}`` the page counters (the translation decides their order)."""
    parts = re.split(r"(\{pages?\})", str(text))
    tokens = [f"counter({part[1:-1]})" if part in ("{page}", "{pages}") else css_string(part)
              for part in parts if part]
    return Markup(" ".join(tokens))


def render_html(project: Project, leaflet: Leaflet) -> str:
    env = template_env(project)
    try:
        template = env.get_template(leaflet.variant.template)
        return template.render(leaflet=leaflet, variant=leaflet.variant,
                               practice=leaflet.practice.data, topic=leaflet.topic.data,
                               content=leaflet.content, tool_version=__version__, src=_sources(project, leaflet))
    except jinja2.TemplateError as exc:
        where = f"{exc.filename}:{exc.lineno}: " if getattr(exc, "lineno", None) else ""
        raise RenderError(f"template error: {where}{exc.message}") from None


def _sources(project: Project, leaflet: Leaflet) -> dict:
    """Where each printed text comes from, for the ``data-src`` attributes the templates put on
    the elements: a text that does not fit is then named with its file and key."""
    topic = project.rel(leaflet.topic.source_file)
    return {"topic": topic, "subtitle": f"{topic} audiences.{leaflet.audience}.subtitle",
            "practice": project.rel(leaflet.practice.source_file),
            "sections": {s.id: project.rel(leaflet.topic.section_files[s.id]) for s in leaflet.sections}}


def _rtl(context) -> bool:
    leaflet = context.get("leaflet")
    return leaflet is not None and leaflet.direction == "rtl"


@jinja2.pass_context
def _md(context, text: str) -> Markup:
    """Content text as inline HTML; in a right-to-left leaflet its addresses, phone numbers and
    doses kept left to right (:func:`leaflet_gen.content.markup.isolate_ltr`)."""
    html = inline(text)
    return Markup(isolate_ltr(str(html))) if _rtl(context) else html


@jinja2.pass_context
def _ltr(context, text: str) -> Markup:
    """A text that is read left to right whatever the language (a phone number, an address):
    isolated as such in a right-to-left leaflet, unchanged in a left-to-right one."""
    return Markup(LRI) + escape(text) + Markup(PDI) if _rtl(context) else escape(text)


def breakable(text: str) -> Markup:
    """An address that may wrap after "@", "." and "/" (never with an inserted hyphen): a long
    e-mail or web address then breaks where a reader expects, instead of running off the panel.

    The break opportunity is a zero-width space inside the text, not a ``<wbr>`` element: an
    element splits a link into several boxes, and the PDF then gets a link annotation per box,
    most of them without area (screen readers announce each one)."""
    return Markup(escape(re.sub(r"(?<=[@./])(?=.)", "\u200b", str(text))))


def render_request(project: Project, leaflet: Leaflet, stylesheets: tuple[Path, ...] = ()) -> RenderRequest:
    """Everything the layout engine needs, as plain data (it may run in another process).
    ``stylesheets``: the variant's stylesheet chain when the caller has it (a resolved leaflet)."""
    variant = leaflet.variant
    plan = None
    if variant.panels:
        plan = PanelPlan(leaflet.slug, tuple((p.id, p.role, p.label) for p in variant.panels),
                         tuple(s.id for s in leaflet.sections), tuple(s.id for s in leaflet.flow),
                         variant.section_starts())
    html = render_html(project, leaflet)
    if plan is not None:
        # Before WeasyPrint: a template that lost an element the panel layout relies on is
        # the user's to fix, named here, not a KeyError in the engine.
        contract.check(html, variant.template, plan.sections)
    stylesheets = stylesheets or project.stylesheet_chain(variant.stylesheet)
    own_fonts = "@font-face" in html or any("@font-face" in path.read_text(encoding="utf-8") for path in stylesheets)
    return RenderRequest(
        html=html,
        base_url=(project.root / "templates").as_uri() + "/",
        # The same declaration the input key hashes: the renderer reads nothing the key misses.
        roots=resource_roots(project.root, stylesheets, leaflet.practice.folder, leaflet.icc_profile),
        # An address in the project's templates/ or styles/ is the project's file, else the built-in one.
        overlays=tuple((project.root / kind, theme.folders(project.root, kind)) for kind in ("templates", "styles")),
        pdf_options={"pdf_variant": variant.pdf_variant, "pdf_identifier": True},
        plan=plan,
        own_fonts=own_fonts,
        slug=leaflet.slug,
        keep_together=tuple(s.id for s in leaflet.sections if s.section.keep_together),
    )
