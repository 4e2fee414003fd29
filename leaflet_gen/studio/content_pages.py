"""The content desk's HTML: a topic's page, the section editor and the history (templates
``content_*.html``, with the studio's base template, words and web files)."""

from __future__ import annotations

import datetime as dt
import json

import markupsafe

from leaflet_gen.i18n import msg
from leaflet_gen.studio import content_desk, content_file, core_content
from leaflet_gen.studio.labels import BLOCK_TYPE, PREVIEW_NAMES
from leaflet_gen.studio.pages import audience_names, common_context, env
from leaflet_gen.studio.words import localized

# The words of static/content.js (translated into the studio's language when the page is made).
EDITOR_LABELS = {
    "block_type": BLOCK_TYPE, "block_title": msg("Title"), "block_text": msg("Text"), "block_items": msg("Items"),
    "block_icon": msg("Icon"), "block_icon_none": msg("none"), "block_lines": msg("Number of lines"),
    "block_link_label": msg("Text of the link"), "block_link_url": msg("Address (https://…)"),
    "block_claims": msg("Claims (from the claims register)"),
    "block_claims_help": msg("Ids from claims.yaml, separated by commas."),
    "block_claim_unknown": msg("unknown claim"), "block_kept": msg("This block cannot be edited here; it stays as it "
                                                                   "is."),
    "block_up": msg("Up"), "block_down": msg("Down"), "block_remove": msg("Remove block"), "item_add": msg("Add item"),
    "item_remove": msg("Remove item"), "link_add": msg("Add link"), "claim_strength": msg("strength"),
    "claim_source": msg("source"), "preview_busy": msg("Updating the preview…"), "saving": msg("Saving…"),
    "section_checking": msg("Checking…"), "section_no_findings": msg("No language remarks."),
    "section_problems": msg("This must be fixed first (otherwise the leaflet cannot be printed):"),
    "content_changed_on_disk": msg("Note: the file was changed outside this form. Saving is refused; reload the page."),
    "preview_failed": msg("These details do not make a good leaflet:"), "preview_leaflet": msg("Leaflet"),
    "fit": msg("Does the text fit?"), "reload": msg("Reload the page"),
}


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
    return common_context(read_only=studio.read_only, leaflet_key="", gen=0, done=0, date=_date, at=_at,
                          language=studio.language, **extra)


def today() -> dt.date:
    return dt.date.today()


def topic(studio, topic_id: str, csrf: str, notice: str = "", today: dt.date | None = None, fit=None) -> str:
    """The topic page; ``fit``: what the change just made did to the fit (content_order.FitChange)."""
    view = core_content.overview(studio.root, topic_id, today or dt.date.today())
    leaflets = {}
    for entry in studio.ordered():
        if entry.lid.topic == topic_id:
            leaflets.setdefault(entry.lid.audience, entry)
    return env.get_template("content_topic.html").render(**_base(
        studio, topic_id=topic_id, view=view, csrf=csrf, notice=notice, leaflets=leaflets,
        audience_name=audience_names(studio), all_sections=core_content.section_ids(studio.project, topic_id),
        title=view.title, fit=fit, mm=_mm))


def _mm(value) -> str:
    """A panel's room in the leaflet page's words: "12 mm over" (left), "5 mm te lang" (over)."""
    if value is None:
        return "–"
    return msg("%(mm)s mm left", mm=f"{max(value, 0):.0f}") if value >= 0 else msg("%(mm)s mm too long",
                                                                                   mm=f"{-value:.0f}")


def section(studio, opened: core_content.SectionFile, csrf: str) -> str:
    values = content_file.form_values(opened.data)
    labels = localized(EDITOR_LABELS, studio.language)
    return env.get_template("content_section.html").render(**_base(
        studio, opened=opened, csrf=csrf, version=content_file.digest(opened.text), title=opened.data.get("title") or "",
        values_json=_json(values), labels_json=_json(labels),
        claims_json=_json(content_desk.claims_json(studio.project, opened.topic)),
        icons_json=_json(core_content.icon_names()), types=list(content_file.FIELDS)))


def history(studio, topic_id: str, git: bool, versions) -> str:
    return env.get_template("content_history.html").render(**_base(
        studio, topic_id=topic_id, git=git, versions=versions, journal=f"content/{topic_id}/journal.jsonl"))


def version(studio, topic_id: str, git: bool, version, differences, audiences: list[str]) -> str:
    return env.get_template("content_version.html").render(**_base(
        studio, topic_id=topic_id, git=git, version=version, differences=differences, audiences=audiences,
        audience_name=audience_names(studio)))


def visual(studio, topic_id: str, version, audience: str, token: str, names: list[str]) -> str:
    """``leaflet-gen diff``'s pictures, each with its sheet's Dutch name, the outside first."""
    def caption(name: str) -> str:
        stem = name.removesuffix(".png")
        if stem.endswith(("-outside", "-inside")):
            return PREVIEW_NAMES["sheet-outside" if stem.endswith("-outside") else "sheet-inside"]
        return msg("Page %(n)s", n=stem.rsplit("-", 1)[-1]) if "-page-" in stem else stem

    shown = sorted(names, key=lambda n: (not n.endswith("-outside.png"), n))
    return env.get_template("content_visual.html").render(**_base(
        studio, topic_id=topic_id, version=version, audience=audience, token=token,
        pictures=[(name, caption(name)) for name in shown], audience_name=audience_names(studio)))
