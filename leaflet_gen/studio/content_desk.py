"""The content desk: a section of a topic edited in the browser, checked and previewed as it is typed.

The browser sends the form as it stands (a draft, :class:`.content_file.Draft`) and gets back what
``leaflet-gen check`` would say of the section file it would write (problems, the language check,
spelling, the claims check: each at the block it is about) and pictures of the leaflets that
print the section, rendered by the studio's warm render processes from the unsaved text, as the
practice editor's preview is. No rule lives in the page's script.
"""

from __future__ import annotations

import time
from dataclasses import asdict

from leaflet_gen.errors import LeafletError, Superseded
from leaflet_gen.i18n import msg
from leaflet_gen.studio import content_file, core, core_content, pictures
from leaflet_gen.studio.drafts import PREVIEW_SECONDS, Drafts
from leaflet_gen.studio.labels import CLAIM_KIND, PREVIEW_NAMES, VARIANT, panel_name
from leaflet_gen.studio.refusals import Refused, unreadable

PREVIEW_VARIANT = "trifold"


def open_section(project, topic_id: str, section_id: str) -> core_content.SectionFile | None:
    """The section by ids the project lists (None: no such section); Refused (422) when its file
    cannot be read as `check` reads it (the form cannot show it: fix it in a text editor)."""
    try:
        return core_content.read_section(project, topic_id, section_id)
    except LeafletError as exc:
        raise unreadable(exc) from None


def check(studio, section: core_content.SectionFile, draft: content_file.Draft) -> tuple[dict, object | None]:
    """Everything the form shows beside its blocks; and the loaded draft topic (None when it does
    not load) for the preview."""
    project = studio.project
    text, now = content_file.draft_text(project, section, draft)
    _, origins, _ = content_file.draft_data(draft)
    checked = core_content.check_draft(project, section, text, core.load_wordlist(project))
    stats = checked.stats
    return {"ok": checked.ok, "problems": content_file.by_block(checked.problems, len(origins)),
            "findings": content_file.by_block(checked.findings, len(origins)),
            "stats": msg("%(sentences)s sentences, on average %(average)s words, longest %(longest)s, "
                         "Flesch-Douma %(flesch)s", sentences=stats.sentences,
                         average=str(stats.average).replace(".", ","), longest=stats.longest,
                         flesch=str(stats.flesch_douma).replace(".", ","))
            if stats else "",
            "changed_on_disk": content_file.digest(now) != draft.version}, checked.topic


def leaflets_for(studio, topic, section_id: str) -> list[core.LeafletId]:
    """The catalogue's leaflets that print the section: per audience, the tri-fold of the first
    practice that hands it out (another variant when there is no tri-fold)."""
    audiences = core_content.audiences_using(topic, section_id)
    found: dict[str, core.LeafletId] = {}
    for entry in studio.ordered():
        lid = entry.lid
        if lid.topic != topic.id or lid.audience not in audiences:
            continue
        mine = found.get(lid.audience)
        if mine is None or mine.variant != PREVIEW_VARIANT and lid.variant == PREVIEW_VARIANT:
            found[lid.audience] = lid
    return [found[a] for a in audiences if a in found]


def preview(studio, kept: Drafts, section: core_content.SectionFile, draft: content_file.Draft) -> dict:
    """Pictures of a leaflet that prints the section, with the draft's text (not saved)."""
    text, _ = content_file.draft_text(studio.project, section, draft)
    topic = core_content.load_draft(studio.project, section, text)
    if topic is None:
        return {"ok": False, "message": msg("First fix the errors (marked in red).")}
    leaflets = leaflets_for(studio, topic, section.id)
    if not leaflets:
        return {"ok": False, "message": msg("No leaflet in the catalogue uses this section: there is no preview.")}
    lid = next((x for x in leaflets if x.key == draft.leaflet), leaflets[0])
    clock = [time.perf_counter()]
    try:
        prepared = core_content.prepare_section_draft(studio.project, topic, lid)
        clock.append(time.perf_counter())
        try:
            outcome = studio.render_draft(prepared, f"content:{draft.stream}" if draft.stream else "").result(
                timeout=PREVIEW_SECONDS)
        except TimeoutError:
            return {"ok": False, "message": msg("The preview took longer than %(seconds)s seconds and was stopped. "
                                                "Usually a too "
                                               "complicated logo is the cause: simplify it in a drawing program or "
                                               "use a PNG.", seconds=PREVIEW_SECONDS)}
        clock.append(time.perf_counter())
        if isinstance(outcome.error, Superseded):  # the form sent a newer text: it shows that one
            return {"ok": False, "superseded": True}
        pdf, geometry, space = core_content.finish_section_draft(prepared, outcome)
        shown, texts, _thumb = pictures.sheets(pdf, geometry)
        clock.append(time.perf_counter())
    except Exception as exc:  # noqa: BLE001 - the build's message (an overflow, a font) or a bug, shown in place
        failure = core.failure(exc, studio.project, lid.variant)
        problems = [msg("%(where)s: %(message)s", where=p.where, message=p.message) if p.where else p.message
                    for p in failure.problems]
        return {"ok": False, "message": failure.summary, "problems": problems}
    token = kept.keep_preview(shown)
    names = _audience_names(studio)
    fit = [{"label": panel_name(p.id, p.label), "left": space.get(p.id)} for p in geometry.panels]
    return {"ok": True, "leaflet": lid.key,
            "leaflets": [{"value": x.key, "label": msg("%(audience)s · %(variant)s · %(practice)s", audience=names(x.audience),
                                                       variant=VARIANT.get(x.variant, x.variant), practice=x.practice)} for x in leaflets],
            "pictures": [{"url": f"/practices/previews/{token}/{name}.png", "caption": PREVIEW_NAMES.get(name, name)}
                         for name in shown],
            "text": "\n".join(texts.values()),
            "fit": [{**f, "text": msg("%(mm)s mm left", mm=f"{max(f['left'], 0):.0f}") if f["left"] is not None
                     else msg("empty")}
                    for f in fit],
            "seconds": dict(zip(("compose", "render", "pictures"), (round(b - a, 3) for a, b in zip(clock, clock[1:]))))}


def _audience_names(studio):
    try:
        named = {a.id: a.name for a in studio.project.settings.audiences}
    except LeafletError:
        named = {}
    return lambda audience: named.get(audience, audience)


def claims_json(project, topic_id: str) -> dict:
    """The claims register for the page's script (shown beside each block; no rule in it)."""
    return {cid: {**asdict(c), "kind": CLAIM_KIND.get(c.kind, c.kind)}
            for cid, c in core_content.claims_register(project, topic_id).items()}


def draft_of(body: dict) -> content_file.Draft:
    """The form's JSON as a draft (Refused 400 when it is not one)."""
    values = body.get("values") if isinstance(body, dict) else None
    if not isinstance(values, dict):
        raise Refused(msg("Invalid request: the studio cannot read it. Reload the page and try again."), 400)
    draft = content_file.Draft(values, str(body.get("version") or ""), str(body.get("leaflet") or ""),
                               str(body.get("by") or ""), str(body.get("stream") or "")[:64])
    draft.blocks()
    return draft
