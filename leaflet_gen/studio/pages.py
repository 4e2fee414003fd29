"""The studio's HTML: the Jinja2 templates of ``studio/templates/`` (autoescaped), filled from the
studio's state in memory.

The live parts (a leaflet's body, a catalogue card) are the same template fragments the server
pushes as server-sent events (``static/studio.js`` swaps them in), so a pushed update looks
exactly like a reload. Stylesheet and scripts are linked by their hashed URLs (:mod:`.assets`).
"""

from __future__ import annotations

import jinja2
import markupsafe

from leaflet_gen import i18n
from leaflet_gen.errors import LeafletError
from leaflet_gen.i18n import Msg, msg, nmsg, translate
from leaflet_gen.studio import assets
from leaflet_gen.studio.labels import (
    PANEL,
    PREVIEW_NAMES,
    STATES,
    TRANSLATED_FIELDS,
    VARIANT_SHORT,
    L,
    panel_name,
    variant_name,
)
from leaflet_gen.studio.words import DEFAULT_LANGUAGE, localized, plural_forms


def _language(context) -> str:
    return context.get("language") or DEFAULT_LANGUAGE  # every page passes the studio's (see common_context)


@jinja2.pass_context
def _gettext(context, text: str) -> str:
    return i18n.catalogue(_language(context)).gettext(text)


@jinja2.pass_context
def _ngettext(context, singular: str, plural: str, n: int) -> str:
    return i18n.catalogue(_language(context)).ngettext(singular, plural, n)


@jinja2.pass_context
def _finalize(context, value):
    """Every message a page prints (a check's finding, a name from :mod:`.labels`) in the page's language."""
    return translate(value, _language(context)) if isinstance(value, Msg) else value


env = jinja2.Environment(loader=jinja2.PackageLoader("leaflet_gen.studio", "templates"), autoescape=True,
                          undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                          extensions=["jinja2.ext.i18n"], finalize=_finalize)
env.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # {{ _("English id") }}, in the page's language
env.globals["asset"] = assets.url


def url(entry) -> str:
    return f"/leaflets/{entry.lid.key}"


def card_id(entry) -> str:
    return "card-" + entry.lid.key.replace("/", "--")


def states(entry) -> list[tuple[str, str]]:
    """(css class, label) of every state badge of a leaflet."""
    out = []
    if entry.failure is not None:
        out.append(("failed", STATES["failed"]))
    elif entry.good is not None:
        out.append(("ok", STATES["ok"]))
    # Building only once its render started: a catalogue's first load queues every leaflet,
    # and "building" on all of them beside "no picture yet" read as a contradiction.
    if entry.building:
        out.append(("building", STATES["building"]))
    elif entry.pending or entry.good is None and entry.failure is None:
        out.append(("pending", STATES["pending"]))
    facts = entry.facts
    if facts is not None:
        if facts.status == "changed":
            out.append(("concept", STATES["changed"]))
        elif facts.status != "approved":
            out.append(("concept", STATES["concept"]))
        if facts.overdue:
            out.append(("overdue", STATES["overdue"]))
    if entry.good is not None and entry.good.built.translation:
        out.append(("concept", msg("translation not approved")))
    count = warnings(entry)
    if count:
        out.append(("warnings", nmsg("%(n)s warning", "%(n)s warnings", count)))
    return out


def warnings(entry) -> int:
    n = len(entry.facts.findings) if entry.facts else 0
    if entry.good is not None:
        n += sum(c.status == "warn" for c in entry.good.built.preflight) + len(entry.good.built.warnings)
    return n


def first_error(failure) -> str:
    if failure.problems:
        first = failure.problems[0]
        return msg("%(where)s: %(message)s", where=first.where, message=first.message) if first.where else first.message
    return failure.summary


def fit_rows(entry) -> list[dict] | None:
    """One row per panel in reading order: how full it is, and the mm left (or over)."""
    good = entry.good
    geometry = good.built.geometry if good else None
    if geometry is None or not geometry.panels:
        return None if good else []
    over = entry.failure.overflow if entry.failure else None
    height = geometry.page_height
    rows = []
    for panel in geometry.panels:
        label = panel_name(panel.id, panel.label)
        if over is not None and over.panel == panel.id:
            rows.append({"id": panel.id, "label": label, "used": 100, "cls": "over",
                         "text": msg("%(mm)s mm too long", mm=f"{over.mm:.0f}")})
            continue
        stale = " stale" if entry.outdated else ""  # measured on the last good build, not the current text
        left = good.built.space_left.get(panel.id)
        if left is None:
            rows.append({"id": panel.id, "label": label, "used": 0, "cls": stale, "text": msg("empty")})
            continue
        used = max(0.0, min(100.0, 100 * (1 - left / height)))
        rows.append({"id": panel.id, "label": label, "used": round(used), "cls": ("tight" if left < 5 else "") + stale,
                     "text": msg("%(mm)s mm left", mm=f"{max(left, 0):.0f}")})
    return rows


def _picture_list(entry) -> list[tuple[str, str]]:
    if entry.good is None:
        return []
    names = list(entry.good.pictures)
    return [(n, PREVIEW_NAMES.get(n, msg("Page %(n)s", n=n.removeprefix("page-")) if n.startswith("page-") else n))
            for n in names]


MOCKUPS = (("mockup-closed", msg("Folded shut")), ("mockup-half-open", msg("Half open")),
           ("mockup-open", msg("Fully open")))


def common_context(studio=None, **extra) -> dict:
    practice_name = practice_names(studio) if studio is not None else (lambda practice_id: practice_id)
    audience_name = audience_names(studio) if studio is not None else (lambda audience_id: audience_id)
    plain = audience_names(studio, voice=False) if studio is not None else (lambda audience_id: audience_id)

    def leaflet_name(entry) -> str:
        """What a link to the leaflet is called: "Lage rugpijn, fysiotherapie, drieluik (Fysiotherapie De Linde)"."""
        lid = entry.lid
        return translate(msg("%(title)s, %(audience)s, %(variant)s (%(practice)s)", title=entry.title,
                             audience=plain(lid.audience).lower(), variant=VARIANT_SHORT.get(lid.variant, lid.variant),
                             practice=practice_name(lid.practice)), language)

    language = studio.language if studio is not None else extra.pop("language", DEFAULT_LANGUAGE)
    return {"L": L, "language": language, "url": url, "card_id": card_id, "states": states, "variant_name": variant_name,
            "language_name": lambda code: language_name(code, language),
            "first_error": first_error, "practice_name": practice_name, "audience_name": audience_name,
            "leaflet_name": leaflet_name, **extra}


def audience_names(studio, voice: bool = True):
    """The audiences' display names and voices from leaflet-gen.yml, e.g. "Fysiotherapie (je)"; the
    id while the settings file does not validate (the catalogue shows that problem)."""
    try:
        named = {a.id: f"{a.name} ({a.voice})" if voice else a.name for a in studio.project.settings.audiences}
    except LeafletError:
        named = {}
    return lambda audience_id: named.get(audience_id, audience_id)


def practice_names(studio):
    """Each practice's name from its practice.yaml (``name``), e.g. "Fysiotherapie De Linde"; the
    folder name while that file does not load (its leaflets show the problem)."""
    named = {}
    project = studio.project
    for folder in project.practice_dirs():
        try:
            named[folder.name] = project.load_practice(folder).data.name  # kept by the project once read
        except LeafletError:
            pass
    return lambda practice_id: named.get(practice_id, practice_id)


FILTERS = ("practice", "topic", "audience", "variant", "language", "state")
FILTER_NAMES = {"practice": msg("Practice"), "topic": msg("Topic"), "audience": msg("Audience"),
                "variant": msg("Version"), "language": msg("Language"), "state": msg("State")}
STATE_FILTERS = ("ok", "failed", "concept", "overdue", "warnings")


def matches(entry, chosen: dict[str, str]) -> bool:
    """Whether a card is shown under the filters ``chosen`` (as static/studio.js decides it too)."""
    have = {"practice": [entry.lid.practice], "topic": [entry.lid.topic], "audience": [entry.lid.audience],
            "variant": [entry.lid.variant], "language": [entry.lid.language],
            "state": [cls for cls, _ in states(entry)]}
    return all(value in have[name] for name, value in chosen.items() if value)


def filter_values(studio) -> dict[str, list[tuple[str, str]]]:
    """Each filter's values (id, what the list shows) from the catalogue's leaflets."""
    entries = studio.ordered()
    practice_name, audience_name = practice_names(studio), audience_names(studio)

    def values(attr, text):
        shown = ((v, translate(text(v), studio.language)) for v in {getattr(e.lid, attr) for e in entries})
        return sorted(shown, key=lambda vt: vt[1].lower())

    return {"practice": values("practice", practice_name), "topic": values("topic", lambda v: v),
            "audience": values("audience", audience_name), "variant": values("variant", variant_name),
            "language": values("language", lambda code: language_name(code, studio.language)),
            "state": [(c, STATES[c]) for c in STATE_FILTERS]}


def _languages(project) -> list[str]:
    """What a practice can hand out: Dutch and every language a topic has a translation file of."""
    from leaflet_gen.content import translations

    found = set()
    for topic_id in project.topic_ids():
        try:
            found.update(translations.stored_languages(project.load_topic(topic_id)))
        except LeafletError:
            pass  # the catalogue shows what is wrong with the topic
    return ["nl", *sorted(found - {"nl"})]


def filter_label(name: str) -> str:
    """What a filter's list is called (a message: "Practice", "Language")."""
    return FILTER_NAMES[name]


def language_name(code: str, language: str) -> str:
    """A leaflet language as the studio names it in ``language`` ("Engels" for en in Dutch), else its code."""
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(code, sep="-").get_display_name(language)
    except (ValueError, UnknownLocaleError):
        return code
    return name or code


def catalogue(studio, done: int = 0, chosen: dict[str, str] | None = None, notice: str = "", **extra) -> str:
    """The catalogue; ``chosen``: the filters of its address (known values only), applied here so
    that a reload or Back shows the same cards before any script runs."""
    entries = studio.ordered()
    chosen = chosen or {}
    topics = {e.lid.topic: e.title for e in entries}
    values = filter_values(studio)
    values["topic"] = sorted(((t, topics.get(t, t)) for t, _ in values["topic"]), key=lambda vt: vt[1].lower())
    filters = [(name, filter_label(name), values[name]) for name in FILTERS]
    practice_ids = [folder.name for folder in studio.project.practice_dirs()]
    shown = sum(matches(e, chosen) for e in entries)
    return env.get_template("catalogue.html").render(
        **common_context(studio, entries=entries, problems=studio.problems, filters=filters, read_only=studio.read_only,
                  leaflet_key="", gen=0, done=str(done), practice_ids=practice_ids, chosen=chosen,
                  matches=matches, shown=shown, notice=notice, **extra))


def card(studio, entry) -> str:
    return env.get_template("card.html").render(**common_context(studio, e=entry, chosen={}, matches=matches))


def _leaflet_context(studio, entry, csrf: str, notice: str = "") -> dict:
    title = entry.title
    geometry = entry.good.built.geometry if entry.good else None
    labels = {p.id: panel_name(p.id, p.label) for p in geometry.panels} if geometry else {}
    return common_context(studio, e=entry, title=title, csrf=csrf, read_only=studio.read_only, fit=fit_rows(entry),
                   pictures=_picture_list(entry), mockups=MOCKUPS, notice=notice,
                   panel_label=lambda pid: labels.get(pid, PANEL.get(pid, pid)),
                   leaflet_key=entry.lid.key, gen=entry.good.gen if entry.good else 0,
                   done=f"{entry.done}.{entry.facts_gen}")


def leaflet(studio, entry, csrf: str, notice: str = "") -> str:
    return env.get_template("leaflet.html").render(**_leaflet_context(studio, entry, csrf, notice))


def live(studio, entry, csrf: str) -> str:
    return env.get_template("live.html").render(**_leaflet_context(studio, entry, csrf))


def message_page(studio, message: str, title: str = "", ok: bool = False) -> str:
    """A page with one message (``ok``: a done deed, else a refusal) and the way to the catalogue."""
    return env.get_template("message.html").render(**common_context(studio, message=message, title=title or msg("That did not work"),
                                                              read_only=studio.read_only, leaflet_key="", gen=0,
                                                              done=0, ok=ok))


def practice_delete(studio, practice_id: str, name: str, csrf: str) -> str:
    """Asks before a practice is deleted, and says a copy is kept."""
    return env.get_template("practice_delete.html").render(**common_context(
        studio, practice_id=practice_id, name=name, csrf=csrf, read_only=studio.read_only, leaflet_key="", gen=0,
        done=0))


def made_notice(made: str, practice_id: str) -> str:
    where = f"practices/{practice_id}/"
    if made == "copy":
        return msg("Copy made: %(where)s. Give it its own name below and save.", where=where)
    return msg("Renamed: the practice's folder is now %(where)s.", where=where)


def deleted_notice(name: str, where: str) -> str:
    return msg("\"%(name)s\" was deleted. A copy is kept in %(where)s in the project folder: move that "
               "folder back into practices/ to restore it.", name=name, where=where)


def deleted_title() -> str:
    return msg("Practice deleted")


def editor(studio, opened, csrf: str, notice: str = "") -> str:
    """The practice editor's page: a new practice (``opened`` None) or an existing one."""
    import json

    from leaflet_gen.studio import editor as practice_editor

    groups = _with_languages(practice_editor.groups(), _languages(studio.project), studio.language)
    name = audience_names(studio)
    try:
        audience_ids = list(studio.project.settings.audience_ids)
    except LeafletError:
        audience_ids = []
    # The ticks a practice can set come from the project: its audiences (leaflet-gen.yml) and topics.
    choices = {"audiences": [(a, name(a)) for a in audience_ids],
               "topics": [(t, t) for t in studio.project.topic_ids()],
               "languages": [(code, language_name(code, studio.language)) for code in _languages(studio.project)]}
    values = practice_editor.form_values(opened.data if opened else {}, audience_ids)
    if opened:
        title = msg("House style of %(name)s", name=values.get("name") or opened.id)
    else:
        title = msg("New practice")
    # The words of static/editor.js, in the studio's language.
    labels = localized({"preview_busy": msg("Updating the preview…"),
                        "preview_waits": msg("The preview waits until the errors in the form are fixed."),
                        "preview_placeholder_logo": msg("No logo chosen yet: the preview shows an empty frame."),
                        "logo_uploading": msg("Checking the logo…"), "saving": msg("Saving…"),
                        "fix_fields": plural_forms("%(n)s field still has an error.",
                                                   "%(n)s fields still have an error.", studio.language),
                        "heading_sample": msg("Heading"), "text_sample": msg("Text"), "reload": msg("Reload the page"),
                        "preview_names": PREVIEW_NAMES,
                        "preview_failed": msg("These details do not make a good leaflet:"),
                        "completed": msg("Saved as %(url)s", url="{url}")}, studio.language)
    # The JSON sits in a <script type="application/json">: "</" may not appear inside it.
    labels_json = json.dumps(labels, ensure_ascii=False).replace("</", "<\\/")
    return env.get_template("editor.html").render(**common_context(
        language=studio.language, title=title, groups=groups, values=values, opened=opened, practice_id=opened.id if opened else "",
        version=opened.version if opened else "", csrf=csrf, notice=notice, choices=choices,
        read_only=studio.read_only, leaflet_key="", gen=0, done=0, labels_json=markupsafe.Markup(labels_json),
        url_keys=practice_editor.url_keys()))


def _with_languages(groups, languages: list[str], language: str):
    """The form's groups with the practice's own words (``translations.<code>.*``) only for the
    languages the project has translations in, each labelled with its language ("Opening hours
    (optional) · Engels"); no such group when there are none."""
    import dataclasses

    out = []
    for group, fields in groups:
        kept = []
        for field in fields:
            if field.key.startswith("translations."):
                code, base = field.key.split(".")[1:]
                if code not in languages:
                    continue
                named = language_name(code, language)
                label, help_ = TRANSLATED_FIELDS[base]  # one per key of PracticeTexts (tested)
                field = dataclasses.replace(field, label=msg("%(field)s · %(language)s", field=label, language=named),
                                            help=msg(help_.msgid, language=named))
            kept.append(field)
        if kept:
            out.append((group, kept))
    return out


def preflight(studio, csrf: str) -> str:
    """The print shop's preflight page: a PDF to choose and the variant to check it as."""
    from leaflet_gen.studio import preflight_page

    variants = [(v, variant_name(v)) for v in studio.project.variant_ids()]
    variants.sort(key=lambda vt: vt[0] != "trifold")  # the print leaflet first
    return env.get_template("preflight.html").render(**common_context(
        studio, csrf=csrf, variants=variants, max_bytes=preflight_page.MAX_BYTES, too_large=preflight_page.too_large(),
        read_only=studio.read_only, leaflet_key="", gen=0, done=0))


def preflight_result(report, file: str, variant: str, language: str) -> str:
    """The checks of one uploaded PDF, in Dutch (pushed into the preflight page)."""
    from leaflet_gen.studio import preflight_page

    return env.get_template("preflight_result.html").render(
        language=language, file=file, variant=variant_name(variant), failed=report.failed, rows=preflight_page.rows(report),
        summary=preflight_page.summary(report))
