"""The studio's HTML: the Jinja2 templates of ``studio/templates/`` (autoescaped), filled from the
studio's state in memory.

The live parts (a leaflet's body, a catalogue card) are the same template fragments the server
pushes as server-sent events (``static/studio.js`` swaps them in), so a pushed update looks
exactly like a reload. Stylesheet and scripts are linked by their hashed URLs (:mod:`.assets`).
"""

from __future__ import annotations

import jinja2
import markupsafe

from leaflet_gen.errors import LeafletError
from leaflet_gen.i18n import catalogue, msg, nmsg, translate
from leaflet_gen.studio import assets
from leaflet_gen.studio.labels import L, panel_name, variant_name

STUDIO_LANGUAGE = "nl"  # the studio speaks Dutch to its users (its words: the `messages` catalogue)

_env = jinja2.Environment(loader=jinja2.PackageLoader("leaflet_gen.studio", "templates"), autoescape=True,
                          undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                          extensions=["jinja2.ext.i18n"])
_env.install_gettext_translations(catalogue(STUDIO_LANGUAGE), newstyle=True)  # {{ _("English id") }}
_env.globals["asset"] = assets.url


def url(entry) -> str:
    return f"/leaflets/{entry.lid.key}"


def card_id(entry) -> str:
    return "card-" + entry.lid.key.replace("/", "--")


def states(entry) -> list[tuple[str, str]]:
    """(css class, label) of every state badge of a leaflet."""
    out = []
    if entry.failure is not None:
        out.append(("failed", L["state_failed"]))
    elif entry.good is not None:
        out.append(("ok", L["state_ok"]))
    # Building only once its render started: a catalogue's first load queues every leaflet,
    # and "building" on all of them beside "no picture yet" read as a contradiction.
    if entry.building:
        out.append(("building", L["state_building"]))
    elif entry.pending or entry.good is None and entry.failure is None:
        out.append(("pending", L["state_pending"]))
    facts = entry.facts
    if facts is not None:
        if facts.status == "changed":
            out.append(("concept", L["state_changed"]))
        elif facts.status != "approved":
            out.append(("concept", L["state_concept"]))
        if facts.overdue:
            out.append(("overdue", L["state_overdue"]))
    count = warnings(entry)
    if count:
        out.append(("warnings", translate(nmsg("%(n)s warning", "%(n)s warnings", count), STUDIO_LANGUAGE)))
    return out


def warnings(entry) -> int:
    n = len(entry.facts.findings) if entry.facts else 0
    if entry.good is not None:
        n += sum(c.status == "warn" for c in entry.good.built.preflight) + len(entry.good.built.warnings)
    return n


def first_error(failure) -> str:
    if failure.problems:
        first = failure.problems[0]
        return f"{first.where}: {first.message}" if first.where else first.message
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
                         "text": f"{over.mm:.0f} {L['fit_over']}"})
            continue
        stale = " stale" if entry.outdated else ""  # measured on the last good build, not the current text
        left = good.built.space_left.get(panel.id)
        if left is None:
            rows.append({"id": panel.id, "label": label, "used": 0, "cls": stale, "text": L["fit_empty"]})
            continue
        used = max(0.0, min(100.0, 100 * (1 - left / height)))
        rows.append({"id": panel.id, "label": label, "used": round(used), "cls": ("tight" if left < 5 else "") + stale,
                     "text": f"{max(left, 0):.0f} {L['fit_left']}"})
    return rows


def _picture_list(entry) -> list[tuple[str, str]]:
    if entry.good is None:
        return []
    names = list(entry.good.pictures)
    captions = {"sheet-outside": L["sheet_outside"], "sheet-inside": L["sheet_inside"]}
    return [(n, captions.get(n, f"{L['page']} {n.removeprefix('page-')}" if n.startswith("page-") else n)) for n in names]


MOCKUPS = (("mockup-closed", L["mockup_closed"]), ("mockup-half-open", L["mockup_half_open"]),
           ("mockup-open", L["mockup_open"]))


def _common(studio=None, **extra) -> dict:
    practice_name = practice_names(studio) if studio is not None else (lambda practice_id: practice_id)
    audience_name = _audience_names(studio) if studio is not None else (lambda audience_id: audience_id)
    plain = _audience_names(studio, voice=False) if studio is not None else (lambda audience_id: audience_id)

    def leaflet_name(entry) -> str:
        """What a link to the leaflet is called: "Lage rugpijn, fysiotherapie, drieluik (Fysiotherapie De Linde)"."""
        lid = entry.lid
        return (f"{entry.title}, {plain(lid.audience).lower()}, {L['variant_short'].get(lid.variant, lid.variant)} "
                f"({practice_name(lid.practice)})")

    return {"L": L, "url": url, "card_id": card_id, "states": states, "variant_name": variant_name,
            "first_error": first_error, "practice_name": practice_name, "audience_name": audience_name,
            "leaflet_name": leaflet_name, **extra}


def _audience_names(studio, voice: bool = True):
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


FILTERS = ("practice", "topic", "audience", "variant", "state")
STATE_FILTERS = ("ok", "failed", "concept", "overdue", "warnings")


def matches(entry, chosen: dict[str, str]) -> bool:
    """Whether a card is shown under the filters ``chosen`` (as static/studio.js decides it too)."""
    have = {"practice": [entry.lid.practice], "topic": [entry.lid.topic], "audience": [entry.lid.audience],
            "variant": [entry.lid.variant], "state": [cls for cls, _ in states(entry)]}
    return all(value in have[name] for name, value in chosen.items() if value)


def filter_values(studio) -> dict[str, list[tuple[str, str]]]:
    """Each filter's values (id, what the list shows) from the catalogue's leaflets."""
    entries = studio.ordered()
    practice_name, audience_name = practice_names(studio), _audience_names(studio)

    def values(attr, text):
        return sorted(((v, text(v)) for v in {getattr(e.lid, attr) for e in entries}), key=lambda vt: vt[1].lower())

    return {"practice": values("practice", practice_name), "topic": values("topic", lambda v: v),
            "audience": values("audience", audience_name), "variant": values("variant", variant_name),
            "state": [(c, L[f"state_{c}"]) for c in STATE_FILTERS]}


def catalogue(studio, done: int = 0, chosen: dict[str, str] | None = None, notice: str = "", **extra) -> str:
    """The catalogue; ``chosen``: the filters of its address (known values only), applied here so
    that a reload or Back shows the same cards before any script runs."""
    entries = studio.ordered()
    chosen = chosen or {}
    topics = {e.lid.topic: e.title for e in entries}
    values = filter_values(studio)
    values["topic"] = sorted(((t, topics.get(t, t)) for t, _ in values["topic"]), key=lambda vt: vt[1].lower())
    labels = {"practice": L["filter_practice"], "topic": L["filter_topic"], "audience": L["filter_audience"],
              "variant": L["filter_variant"], "state": L["filter_state"]}
    filters = [(name, labels[name], values[name]) for name in FILTERS]
    practice_ids = [folder.name for folder in studio.project.practice_dirs()]
    shown = sum(matches(e, chosen) for e in entries)
    return _env.get_template("catalogue.html").render(
        **_common(studio, entries=entries, problems=studio.problems, filters=filters, read_only=studio.read_only,
                  leaflet_key="", gen=0, done=str(done), practice_ids=practice_ids, chosen=chosen,
                  matches=matches, shown=shown, notice=notice, **extra))


def card(studio, entry) -> str:
    return _env.get_template("card.html").render(**_common(studio, e=entry, chosen={}, matches=matches))


def _leaflet_context(studio, entry, csrf: str, notice: str = "") -> dict:
    title = entry.title
    geometry = entry.good.built.geometry if entry.good else None
    labels = {p.id: panel_name(p.id, p.label) for p in geometry.panels} if geometry else {}
    return _common(studio, e=entry, title=title, csrf=csrf, read_only=studio.read_only, fit=fit_rows(entry),
                   pictures=_picture_list(entry), mockups=MOCKUPS, notice=notice,
                   panel_label=lambda pid: labels.get(pid, L["panel"].get(pid, pid)),
                   leaflet_key=entry.lid.key, gen=entry.good.gen if entry.good else 0,
                   done=f"{entry.done}.{entry.facts_gen}")


def leaflet(studio, entry, csrf: str, notice: str = "") -> str:
    return _env.get_template("leaflet.html").render(**_leaflet_context(studio, entry, csrf, notice))


def live(studio, entry, csrf: str) -> str:
    return _env.get_template("live.html").render(**_leaflet_context(studio, entry, csrf))


def message_page(studio, message: str, title: str = "", ok: bool = False) -> str:
    """A page with one message (``ok``: a done deed, else a refusal) and the way to the catalogue."""
    return _env.get_template("message.html").render(**_common(message=message, title=title or L["message_title"],
                                                              read_only=studio.read_only, leaflet_key="", gen=0,
                                                              done=0, ok=ok))


def practice_delete(studio, practice_id: str, name: str, csrf: str) -> str:
    """Asks before a practice is deleted, and says a copy is kept."""
    return _env.get_template("practice_delete.html").render(**_common(
        studio, practice_id=practice_id, name=name, csrf=csrf, read_only=studio.read_only, leaflet_key="", gen=0,
        done=0))


def made_notice(made: str, practice_id: str) -> str:
    where = f"practices/{practice_id}/"
    text = (msg("Copy made: %(where)s. Give it its own name below and save.", where=where) if made == "copy"
            else msg("Renamed: the practice's folder is now %(where)s.", where=where))
    return translate(text, STUDIO_LANGUAGE)


def deleted_notice(name: str, where: str) -> str:
    return translate(msg("\"%(name)s\" was deleted. A copy is kept in %(where)s in the project folder: move that "
                         "folder back into practices/ to restore it.", name=name, where=where), STUDIO_LANGUAGE)


def deleted_title() -> str:
    return translate(msg("Practice deleted"), STUDIO_LANGUAGE)


def editor(studio, opened, csrf: str, notice: str = "") -> str:
    """The practice editor's page: a new practice (``opened`` None) or an existing one."""
    import json

    from leaflet_gen.studio import editor as practice_editor

    groups = practice_editor.groups()
    name = _audience_names(studio)
    try:
        audience_ids = list(studio.project.settings.audience_ids)
    except LeafletError:
        audience_ids = []
    # The ticks a practice can set come from the project: its audiences (leaflet-gen.yml) and topics.
    choices = {"audiences": [(a, name(a)) for a in audience_ids],
               "topics": [(t, t) for t in studio.project.topic_ids()]}
    values = practice_editor.form_values(opened.data if opened else {}, audience_ids)
    if opened:
        title = L["editor_title_edit"].format(name=values.get("name") or opened.id)
    else:
        title = L["editor_title_new"]
    labels = {k: L[k] for k in ("preview_busy", "preview_waits", "preview_placeholder_logo", "logo_uploading",
                                "saving", "fix_fields", "heading_sample", "text_sample", "reload", "preview_names",
                                "preview_failed")}
    labels["completed"] = translate(msg("Saved as %(url)s", url="{url}"), STUDIO_LANGUAGE)
    # The JSON sits in a <script type="application/json">: "</" may not appear inside it.
    labels_json = json.dumps(labels, ensure_ascii=False).replace("</", "<\\/")
    return _env.get_template("editor.html").render(**_common(
        title=title, groups=groups, values=values, opened=opened, practice_id=opened.id if opened else "",
        version=opened.version if opened else "", csrf=csrf, notice=notice, choices=choices,
        read_only=studio.read_only, leaflet_key="", gen=0, done=0, labels_json=markupsafe.Markup(labels_json),
        url_keys=practice_editor.url_keys()))


def preflight(studio, csrf: str) -> str:
    """The print shop's preflight page: a PDF to choose and the variant to check it as."""
    from leaflet_gen.studio import preflight_page

    variants = [(v, variant_name(v)) for v in studio.project.variant_ids()]
    variants.sort(key=lambda vt: vt[0] != "trifold")  # the print leaflet first
    return _env.get_template("preflight.html").render(**_common(
        studio, csrf=csrf, variants=variants, max_bytes=preflight_page.MAX_BYTES, too_large=preflight_page.too_large(),
        read_only=studio.read_only, leaflet_key="", gen=0, done=0))


def preflight_result(report, file: str, variant: str) -> str:
    """The checks of one uploaded PDF, in Dutch (pushed into the preflight page)."""
    from leaflet_gen.studio import preflight_page

    return _env.get_template("preflight_result.html").render(
        file=file, variant=variant_name(variant), failed=report.failed, rows=preflight_page.rows(report),
        summary=preflight_page.summary(report))
