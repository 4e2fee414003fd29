"""The content desk's routes (``/content/...``), added to the studio's app by :func:`routes`.

Every part of an address is looked up among what the project lists (its topics, a topic's
section files, its versions, the pictures made for a page), never joined into a path. POSTs
pass the app's CSRF check first; ``--read-only`` shows no form and refuses every write.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from collections import OrderedDict

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from leaflet_gen.i18n import msg, translate
from leaflet_gen.studio import (
    content_desk,
    content_file,
    content_history,
    content_order,
    content_pages,
    core,
    core_content,
    pages,
)
from leaflet_gen.studio.drafts import Drafts
from leaflet_gen.studio.refusals import Refused, form_fields
from leaflet_gen.studio.words import localized

READ_ONLY = msg("The studio runs in read-only mode (--read-only): texts cannot be changed or approved here.")
NOT_FOUND = msg("Not found: this topic or this section does not exist in the project.")


def routes(studio, csrf: str, kept: Drafts) -> list[Route]:
    """``kept``: the practice editor's store of preview pictures (served at /practices/previews/...)."""
    visuals = content_history.Visuals()
    notices: OrderedDict[str, str] = OrderedDict()  # what an approval's redirect shows
    fits: OrderedDict[str, content_order.FitChange] = OrderedDict()  # what a change did to the fit

    def remember(notice: str, fit=None) -> str:
        token = secrets.token_urlsafe(9)
        notices[token] = notice
        if fit is not None:
            fits[token] = fit
        while len(notices) > 50:
            fits.pop(notices.popitem(last=False)[0], None)
        return token

    def not_found() -> Response:
        return PlainTextResponse(say(NOT_FOUND), status_code=404)

    def say(text: str) -> str:
        return translate(text, studio.language)

    def answer(content) -> Response:
        return JSONResponse(localized(content, studio.language))

    def topic_of(request: Request) -> str | None:
        topic = request.path_params["topic"]
        return topic if topic in studio.project.topic_ids() else None

    async def opened(request: Request) -> core_content.SectionFile | None:
        p = request.path_params
        return await asyncio.to_thread(content_desk.open_section, studio.project, p["topic"], p["section"])

    async def draft(request: Request) -> tuple[core_content.SectionFile, content_file.Draft]:
        if studio.read_only:
            raise Refused(READ_ONLY, 403)
        section = await opened(request)
        if section is None:
            raise Refused(NOT_FOUND, 404)
        try:
            body = json.loads(await request.body())
        except (ValueError, RecursionError):
            raise Refused(msg("Invalid request: the studio cannot read it. Reload the page and try again."),
                          400) from None
        return section, content_desk.draft_of(body)

    async def topic_page(request: Request) -> Response:
        topic = topic_of(request)
        if topic is None:
            return not_found()
        token = request.query_params.get("notice", "")
        notice = notices.get(token, "")  # made here, looked up
        return HTMLResponse(await asyncio.to_thread(content_pages.topic, studio, topic, csrf, notice,
                                                    fit=fits.get(token)))

    def writable_topic(request: Request) -> str | None:
        """The topic a request changes files of (None: no such topic); refused in read-only mode."""
        topic = topic_of(request)
        if topic is not None and studio.read_only:
            raise Refused(READ_ONLY, 403)
        return topic

    async def order(request: Request) -> Response:
        """A new section, a section renamed or moved; then what it did to the fit (see content_order)."""
        topic = writable_topic(request)
        if topic is None:
            return not_found()
        form = form_fields(await request.body())
        action, audience = form.get("action", ""), form.get("audience", "")
        project = studio.project
        if action == "rename":  # every audience that prints it: measured on the first
            sid = form.get("section", "")
            using = [a.id for a in (await asyncio.to_thread(core_content.overview, studio.root, topic,
                                                            content_pages.today())).audiences
                     if any(s.id == sid for s in a.sections)]
            audience = using[0] if using else ""
        entry = content_order.measured_leaflet(studio, topic, audience)
        before = content_order.fit_of(entry) if entry is not None else {}
        if action == "new":
            sid = form.get("section", "").strip()
            paths = await asyncio.to_thread(content_order.new_section, project, topic, audience, form.get("part", ""),
                                            sid, form.get("title", ""))
            done = content_order.say_new(sid, audience)
        elif action == "rename":
            old, sid = form.get("section", ""), form.get("new_id", "").strip()
            paths = await asyncio.to_thread(content_order.rename_section, project, topic, old, sid)
            done = content_order.say_renamed(old, sid)
        elif action == "move":
            sid = form.get("section", "")
            paths = await asyncio.to_thread(content_order.move_section, project, topic, audience, sid,
                                            form.get("direction", ""))
            done = content_order.say_moved(sid, form.get("direction", ""))
        else:
            raise Refused(msg("Invalid request: the studio cannot read it. Reload the page and try again."), 400)
        recorded = await asyncio.to_thread(content_history.record, studio.root, topic, paths, say(done), "")
        fit = None
        if entry is not None:
            fit = await asyncio.to_thread(content_order.change_fit, studio, entry, before, paths)
        else:
            studio.changed(set(paths))
        token = remember(msg("%(saved)s %(recorded)s", saved=done, recorded=recorded) if recorded else done, fit)
        return RedirectResponse(f"/content/{topic}?notice={token}#fit-change", status_code=303)

    async def section_page(request: Request) -> Response:
        section = await opened(request)
        if section is None:
            return not_found()
        if studio.read_only:
            return HTMLResponse(pages.message_page(studio, READ_ONLY), status_code=403)
        return HTMLResponse(await asyncio.to_thread(content_pages.section, studio, section, csrf))

    async def section_check(request: Request) -> Response:
        section, the_draft = await draft(request)
        result, _ = await asyncio.to_thread(content_desk.check, studio, section, the_draft)
        return answer(result)

    async def section_preview(request: Request) -> Response:
        section, the_draft = await draft(request)
        return answer(await asyncio.to_thread(content_desk.preview, studio, kept, section, the_draft))

    async def section_save(request: Request) -> Response:
        section, the_draft = await draft(request)
        wordlist = await asyncio.to_thread(core.load_wordlist, studio.project)
        path, version, before, after = await asyncio.to_thread(content_file.save, studio.project, section, the_draft,
                                                               wordlist)
        message = msg("Saved in %(path)s. The leaflets are being built again now.", path=section.rel)
        if before != after:
            studio.changed({path})  # the watcher will say so too; the leaflets need not wait for it
            what = say(msg("Leaflet studio: section %(section)s of %(topic)s edited", section=section.id,
                           topic=section.topic))  # the commit message
            recorded = await asyncio.to_thread(content_history.record, studio.root, section.topic,
                                               {path: (before, after)}, what, the_draft.by)
            message = msg("%(saved)s %(recorded)s", saved=message, recorded=recorded)
        values = content_file.form_values(core_content.read_section(studio.project, section.topic, section.id).data)
        return answer({"ok": True, "version": version, "message": message, "values": values})

    async def approve(request: Request) -> Response:
        topic = writable_topic(request)
        if topic is None:
            return not_found()
        form = form_fields(await request.body())
        audience, by, note = (form.get(k, "") for k in ("audience", "by", "note"))
        if not by.strip():
            raise Refused(msg("Fill in your name to approve."), 422)
        path = core_content.approvals_path(studio.root, topic)
        before = await asyncio.to_thread(_text, path)
        record = await asyncio.to_thread(core_content.approve, studio.root, topic, audience, by, note)
        studio.changed({path})
        what = say(msg("Leaflet studio: %(topic)s for %(audience)s approved", topic=topic, audience=audience))
        recorded = await asyncio.to_thread(content_history.record, studio.root, topic,
                                           {path: (before, _text(path))}, what, record.by)
        token = remember(msg("Approved: %(audience)s, by %(by)s. %(recorded)s", audience=audience, by=record.by,
                             recorded=recorded))
        return RedirectResponse(f"/content/{topic}?notice={token}#audience-{audience}", status_code=303)

    async def history(request: Request) -> Response:
        topic = topic_of(request)
        if topic is None:
            return not_found()
        git, versions = await asyncio.to_thread(content_history.versions, studio.root, topic)
        return HTMLResponse(await asyncio.to_thread(content_pages.history, studio, topic, git, versions))

    async def version_of(request: Request):
        topic = topic_of(request)
        if topic is None:
            return None, False, None
        git, version = await asyncio.to_thread(content_history.find, studio.root, topic, request.path_params["version"])
        return topic, git, version

    async def version_page(request: Request) -> Response:
        topic, git, version = await version_of(request)
        if version is None:
            return not_found() if topic is None else PlainTextResponse(
                say(msg("Unknown version: open it again from the history.")), status_code=404)

        def make():
            then = content_history.files_then(studio.root, topic, git, version)
            differences = content_history.text_differences(studio.root, topic, then)
            audiences = sorted({e.lid.audience for e in studio.ordered() if e.lid.topic == topic})
            return content_pages.version(studio, topic, git, version, differences, audiences)

        return HTMLResponse(await asyncio.to_thread(make))

    async def visual_page(request: Request) -> Response:
        topic, git, version = await version_of(request)
        audience = request.path_params["audience"]
        if version is None or not git or audience not in {e.lid.audience for e in studio.ordered() if e.lid.topic == topic}:
            return not_found()
        token, names = await asyncio.to_thread(visuals.make, studio.root, topic, audience, version)
        return HTMLResponse(await asyncio.to_thread(content_pages.visual, studio, topic, version, audience, token, names))

    async def visual_picture(request: Request) -> Response:
        data = visuals.picture(request.path_params["token"], request.path_params["name"])
        if data is None:
            return not_found()
        return Response(data, media_type="image/png", headers={"Cache-Control": "private, max-age=600"})

    # The history's addresses come before a section's: a section file called "history" or "approve"
    # is not reachable in the studio (rename it; no shipped section is).
    return [
        Route("/content-diffs/{token}/{name}", visual_picture),
        Route("/content/{topic}", topic_page),
        Route("/content/{topic}/approve", approve, methods=["POST"]),
        Route("/content/{topic}/order", order, methods=["POST"]),
        Route("/content/{topic}/history", history),
        Route("/content/{topic}/history/{version}", version_page),
        Route("/content/{topic}/history/{version}/visual/{audience}", visual_page),
        Route("/content/{topic}/{section}", section_page),
        Route("/content/{topic}/{section}/check", section_check, methods=["POST"]),
        Route("/content/{topic}/{section}/preview", section_preview, methods=["POST"]),
        Route("/content/{topic}/{section}/save", section_save, methods=["POST"]),
    ]


def _text(path) -> str:
    return path.read_text(encoding="utf-8") if path.is_file() else ""
