"""The content desk's HTML: a topic's page, the section editor and the history (templates
``content_*.html``, with the studio's base template, words and web files)."""

from __future__ import annotations

import datetime as dt
import json

import markupsafe

from leaflet_gen.studio import content_desk, content_file, core_content
from leaflet_gen.studio.labels import L
from leaflet_gen.studio.pages import _audience_names, _common, _env

EDITOR_LABELS = ("block_type", "block_title", "block_text", "block_items", "block_icon", "block_icon_none",
                 "block_lines", "block_link_label", "block_link_url", "block_claims", "block_claims_help",
                 "block_claim_unknown", "block_kept", "block_up", "block_down", "block_remove", "item_add",
                 "item_remove", "link_add", "claim_strength", "claim_source", "preview_busy", "saving",
                 "section_checking", "section_no_findings", "section_problems", "content_changed_on_disk",
                 "preview_failed", "preview_leaflet", "fit", "reload")


def _json(value) -> markupsafe.Markup:
    """JSON for a <script type="application/json">: "</" may not appear inside it."""
    return markupsafe.Markup(json.dumps(value, ensure_ascii=False).replace("</", "<\\/"))


def _date(value: dt.date | None) -> str:
    return value.strftime("%d-%m-%Y") if value else ""


def _at(value: str) -> str:
    """An ISO time of an approval or version (UTC) as a Dutch date and time."""
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone()
    except ValueError:
        return value
    return moment.strftime("%d-%m-%Y %H:%M")


def _base(studio, **extra) -> dict:
    return _common(read_only=studio.read_only, leaflet_key="", gen=0, done=0, date=_date, at=_at, **extra)


def today() -> dt.date:
    return dt.date.today()


def topic(studio, topic_id: str, csrf: str, notice: str = "", today: dt.date | None = None, fit=None) -> str:
    """The topic page; ``fit``: what the change just made did to the fit (content_order.FitChange)."""
    view = core_content.overview(studio.root, topic_id, today or dt.date.today())
    leaflets = {}
    for entry in studio.ordered():
        if entry.lid.topic == topic_id:
            leaflets.setdefault(entry.lid.audience, entry)
    return _env.get_template("content_topic.html").render(**_base(
        studio, topic_id=topic_id, view=view, csrf=csrf, notice=notice, leaflets=leaflets,
        audience_name=_audience_names(studio), all_sections=core_content.section_ids(studio.project, topic_id),
        title=view.title, fit=fit, mm=_mm))


def _mm(value) -> str:
    """A panel's room in the leaflet page's words: "12 mm over" (left), "5 mm te lang" (over)."""
    if value is None:
        return "–"
    return f"{max(value, 0):.0f} {L['fit_left']}" if value >= 0 else f"{-value:.0f} {L['fit_over']}"


def section(studio, opened: core_content.SectionFile, csrf: str) -> str:
    values = content_file.form_values(opened.data)
    labels = {k: L[k] for k in EDITOR_LABELS}
    return _env.get_template("content_section.html").render(**_base(
        studio, opened=opened, csrf=csrf, version=content_file.digest(opened.text), title=opened.data.get("title") or "",
        values_json=_json(values), labels_json=_json(labels),
        claims_json=_json(content_desk.claims_json(studio.project, opened.topic)),
        icons_json=_json(core_content.icon_names()), types=list(content_file.FIELDS)))


def history(studio, topic_id: str, git: bool, versions) -> str:
    return _env.get_template("content_history.html").render(**_base(
        studio, topic_id=topic_id, git=git, versions=versions, journal=f"content/{topic_id}/journal.jsonl"))


def version(studio, topic_id: str, git: bool, version, differences, audiences: list[str]) -> str:
    return _env.get_template("content_version.html").render(**_base(
        studio, topic_id=topic_id, git=git, version=version, differences=differences, audiences=audiences,
        audience_name=_audience_names(studio)))


def visual(studio, topic_id: str, version, audience: str, token: str, names: list[str]) -> str:
    """``leaflet-gen diff``'s pictures, each with its sheet's Dutch name, the outside first."""
    def caption(name: str) -> str:
        stem = name.removesuffix(".png")
        if stem.endswith(("-outside", "-inside")):
            return L["sheet_outside"] if stem.endswith("-outside") else L["sheet_inside"]
        return f"{L['page']} {stem.rsplit('-', 1)[-1]}" if "-page-" in stem else stem

    shown = sorted(names, key=lambda n: (not n.endswith("-outside.png"), n))
    return _env.get_template("content_visual.html").render(**_base(
        studio, topic_id=topic_id, version=version, audience=audience, token=token,
        pictures=[(name, caption(name)) for name in shown], audience_name=_audience_names(studio)))
