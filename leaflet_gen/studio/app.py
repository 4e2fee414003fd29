"""The studio's web application (Starlette): routes, live events, and the safety rules.

Why Starlette + uvicorn: server-sent events need a server that holds many long-lived
responses cheaply; an ASGI stack does that on one event loop, where a WSGI server would tie up
a thread per open page. Starlette is small (no ORM, no template engine of its own - we use the
Jinja2 the project already has), well kept, and ships a test client; uvicorn is its reference
server and stops cleanly on Ctrl-C.

Safety (see ``SecurityMiddleware``): the Host header must name this server (no DNS
rebinding); a server reachable from other machines requires the access token (query, then a
cookie); every POST needs the CSRF token; ``--read-only`` refuses saving. URL parts are only
ever looked up in the studio's tables of known leaflets, picture names and web files - never
joined into a file path - and everything served comes from memory or the project's own build.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import secrets
import threading
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.convertors import Convertor, register_url_convertor
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Route

from leaflet_gen.errors import LeafletError
from leaflet_gen.i18n import msg, translate
from leaflet_gen.studio import (
    assets,
    content_routes,
    drafts,
    editor,
    package,
    pages,
    pictures,
    practice_admin,
    practice_file,
    preflight_page,
    state,
)
from leaflet_gen.studio.refusals import COUNT, FLAG, NAME, VERSION, Refused, checked, form_fields
from leaflet_gen.studio.words import error_text, localized

TOKEN_COOKIE = "leaflet_studio_token"
KEEPALIVE_S = 15
MAX_FORM_BYTES = 64 * 1024  # the studio's forms: a token, or a practice draft as JSON
LOGO_PATH = "/practices/logo"  # the one route that takes a file: up to a logo's size cap
MAX_UPLOAD_BYTES = drafts.MAX_LOGO_BYTES + 64 * 1024
# Styles and scripts come from the studio's own files (static/); style attributes are allowed for the
# widths and colours the pages compute (a panel's fill bar, a colour swatch).
CSP = ("default-src 'none'; img-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; script-src 'self'; "
       "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")


class Hub:
    """Tells every open page's event stream which leaflet changed (from the builder thread).

    It numbers the changes, so that a catalogue page is sent what changed between the moment
    its HTML was made and the moment its event stream connected (a card could otherwise keep
    showing a build that finished in between).
    """

    def __init__(self) -> None:
        self.queues: set[asyncio.Queue] = set()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.seq = 0
        self._last: dict[str, int] = {}  # key -> the number of its last change
        self._lock = threading.Lock()  # notify() is called from several threads

    def since(self, seq: int) -> list[str]:
        """The keys changed after change number ``seq``."""
        with self._lock:
            return [key for key, last in self._last.items() if last > seq]

    def notify(self, key: str) -> None:
        with self._lock:
            self.seq += 1
            self._last[key] = self.seq
        loop = self.loop
        if loop is None or loop.is_closed():
            return
        for queue in list(self.queues):
            loop.call_soon_threadsafe(queue.put_nowait, key)

    def close(self) -> None:
        """End every stream (the server is stopping): they would otherwise hold it open."""
        loop = self.loop
        if loop is None or loop.is_closed():
            return
        for queue in list(self.queues):
            loop.call_soon_threadsafe(queue.put_nowait, None)


TOO_LARGE = msg("Refused: the request is too large (a logo may be at most 10 MB).")
BAD_CSRF = msg("This request was refused (missing or wrong form token). Reload the page and try again.")
BAD_REQUEST = msg("Invalid request: the studio cannot read it. Reload the page and try again.")
READ_ONLY_PRACTICES = msg("The studio runs in read-only mode (--read-only): practices cannot be created or changed "
                          "here.")
NO_PRACTICE = msg("Not found: this practice does not exist in the project.")


class SecurityMiddleware:
    """Host check, access token and CSRF token, before any route runs."""

    def __init__(self, app, *, allowed_hosts: set[str] | None, token: str | None, csrf: str,
                 language: str = "en") -> None:
        self.app = app
        self.language = language  # of its refusals
        self.allowed_hosts = allowed_hosts
        self.token = token
        self.csrf = csrf

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if self.allowed_hosts is not None and headers.get("host", "").lower() not in self.allowed_hosts:
            return await _refuse(scope, receive, send, 400, msg("Refused: unknown host name in the request."),
                                 self.language)
        if self.token is not None:
            query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
            given = (query.get("token") or [""])[0]
            cookie = _cookie(headers.get("cookie", ""), TOKEN_COOKIE)
            if given and _same(given, self.token):
                if scope["method"] == "GET":
                    # Remember it in a cookie and drop it from the address bar (and from history).
                    response = RedirectResponse(scope["path"], status_code=303)
                    response.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="strict")
                    return await response(scope, receive, send)
            elif not (cookie and _same(cookie, self.token)):
                return await _refuse(scope, receive, send, 403, msg("No access. Open the link with the access token that "
                                                                  "`leaflet-gen serve` showed when it started."),
                                     self.language)
        if scope["method"] not in ("GET", "HEAD", "POST"):
            return await _refuse(scope, receive, send, 405, "method not allowed", self.language)
        if scope["method"] == "POST":
            limit = {LOGO_PATH: MAX_UPLOAD_BYTES, preflight_page.PATH: preflight_page.MAX_BYTES}.get(
                scope["path"], MAX_FORM_BYTES)
            too_large = preflight_page.too_large() if scope["path"] == preflight_page.PATH else TOO_LARGE
            try:
                declared = checked(headers.get("content-length"), COUNT, "Content-Length")
            except Refused as exc:
                return await _refuse(scope, receive, send, exc.status, exc.message, self.language)
            if declared and int(declared) > limit:
                return await _refuse(scope, receive, send, 413, too_large, self.language)
            given = headers.get("x-csrf-token", "")
            if given and not _same(given, self.csrf):
                return await _refuse(scope, receive, send, 403, BAD_CSRF, self.language)  # before reading a large body
            body = await _read_body(receive, limit)
            if body is None:
                return await _refuse(scope, receive, send, 413, too_large, self.language)
            if not given and headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
                given = form_fields(body).get("csrf_token", "")
            if not (given and _same(given, self.csrf)):
                return await _refuse(scope, receive, send, 403, BAD_CSRF, self.language)
            receive = _replay(body)
        return await self.app(scope, receive, _with_headers(send))


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def _cookie(header: str, name: str) -> str:
    for part in header.split(";"):
        k, _, v = part.strip().partition("=")
        if k == name:
            return v
    return ""


async def _refuse(scope, receive, send, status: int, text: str, language: str):
    await PlainTextResponse(translate(text, language), status_code=status)(scope, receive, send)


async def _read_body(receive, limit: int) -> bytes | None:
    """The whole body, or None when it is larger than ``limit`` (refused, never cut short)."""
    chunks, more, size = [], True, 0
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        size += len(chunks[-1])
        more = message.get("more_body", False)
        if size > limit:
            return None
    return b"".join(chunks)


def _replay(body: bytes):
    sent = False

    async def receive():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    return receive


def _with_headers(send):
    async def wrapped(message):
        if message["type"] == "http.response.start":
            extra = [(b"x-content-type-options", b"nosniff"), (b"content-security-policy", CSP.encode()),
                     (b"referrer-policy", b"no-referrer"), (b"x-frame-options", b"DENY")]
            message = {**message, "headers": list(message.get("headers", [])) + extra}
        await send(message)

    return wrapped


def create_app(studio, *, allowed_hosts: set[str] | None, token: str | None = None, csrf: str | None = None) -> Starlette:
    """The ASGI app over a :class:`~leaflet_gen.studio.state.Studio` (started by the caller)."""
    csrf = csrf or secrets.token_urlsafe(24)
    hub = Hub()
    studio.listeners.append(hub.notify)

    def entry_of(request: Request):
        # Each part must be one the project knows; the joined key is looked up, never used as a path.
        p = request.path_params
        tail = f"/{p['language']}" if "language" in p else ""  # a translation (LeafletId.key)
        return studio.get(f"{p['practice']}/{p['topic']}/{p['audience']}/{p['variant']}{tail}")

    def say(text: str) -> str:
        return translate(text, studio.language)

    def answer(content, status_code: int = 200) -> Response:
        """A JSON answer for the page's script, its messages in the studio's language."""
        return JSONResponse(localized(content, studio.language), status_code=status_code)

    def not_found(message: str = msg("Not found: this leaflet does not exist in the project.")) -> Response:
        """A Dutch page that says what was not found, with the way back to the catalogue."""
        return HTMLResponse(pages.message_page(studio, message, msg("Not found")), status_code=404)

    async def no_route(request: Request, exc: HTTPException) -> Response:
        if exc.status_code == 404:
            return not_found(msg("This page does not exist in the studio. Perhaps the leaflet or practice was renamed or "
                                 "removed; choose it again in the catalogue."))
        return PlainTextResponse(say(BAD_REQUEST), status_code=exc.status_code)  # 405: a known page, another method

    def saved(request: Request) -> bool:
        return checked(request.query_params.get("saved"), FLAG, "saved") == "1"

    async def refused(request: Request, exc: LeafletError) -> Response:
        """Every refusal (refusals.Refused; a LeafletError from the build code says what it says
        in `check`) as a page, or as the JSON answer the editor's script reads."""
        own = isinstance(exc, Refused)
        status, message = (exc.status, exc.message) if own else (422, error_text(exc, studio.language))
        if request.method == "POST" and (request.url.path.startswith("/practices/") or request.url.path.startswith(
                "/content/") and request.headers.get("content-type", "").startswith("application/json")):
            return answer({"ok": False, "message": message, "problems": exc.fields if own else {}}, status)
        return HTMLResponse(await asyncio.to_thread(pages.message_page, studio, message), status_code=status)

    # Pages are made off the event loop: they may read the project's files (its settings), and
    # one slow read must not hold every other page and event stream.
    async def catalogue(request: Request) -> Response:
        seq = hub.seq  # before the page is made: what changes while it is made is sent again
        given = {name: checked(request.query_params.get(name), NAME, name) for name in pages.FILTERS}
        known = await asyncio.to_thread(pages.filter_values, studio)
        chosen, notice = {}, ""
        for name, value in given.items():  # a value the catalogue does not have (a renamed practice): left out
            if value and value in {v for v, _ in known[name]}:
                chosen[name] = value
            elif value:
                notice = msg("The address names an unknown value (“%(value)s” for %(name)s); that filter was left "
                             "out.", value=value, name=pages.FILTER_NAMES[name])
        return HTMLResponse(await asyncio.to_thread(pages.catalogue, studio, done=seq, chosen=chosen, notice=notice))

    async def leaflet(request: Request) -> Response:
        entry = entry_of(request)
        if entry is None:
            return not_found()
        notice = msg("Saved: %(path)s", path=f"out/{entry.lid.practice}/{entry.lid.slug}.pdf") if saved(request) else ""
        return HTMLResponse(await asyncio.to_thread(pages.leaflet, studio, entry, csrf, notice))

    large: dict[tuple, bytes] = {}

    async def picture(request: Request) -> Response:
        entry = entry_of(request)
        if entry is None or entry.good is None:
            return not_found()
        good, name = entry.good, request.path_params["name"]
        if name == "thumb.png":
            data = good.thumb
        elif name.endswith(".png") and name[:-4] in good.pictures:
            data = good.pictures[name[:-4]]
        elif name.endswith("-large.png") and name[:-10] in good.pictures:  # a sheet opened large
            wanted = (entry.lid.key, good.gen, name)
            data = large.get(wanted)
            if data is None:
                data = await asyncio.to_thread(pictures.large, good.built.pdf, good.built.geometry, name[:-10])
                if data is None:
                    return not_found()
                large.clear()  # one kept: the sheet last opened (the dialog shows one at a time)
                large[wanted] = data
        elif name.endswith(".png") and name[:-4] in dict(pages.MOCKUPS):
            data = (await asyncio.to_thread(studio.mockups, entry.lid.key)).get(name[:-4])
            if data is None:
                return not_found()
        else:
            return not_found()
        # The URL names the build, so a browser may keep it; an older URL gets the newest picture.
        # A picture the last build drew with the same pixels as an earlier one keeps that one's URL.
        # (Compared as text: the address is never turned into a number.)
        gen, since = request.path_params["gen"], good.since.get(name[:-4])
        current = gen == str(good.gen) or since is not None and gen == str(since)
        cache = "private, max-age=3600" if current else "no-store"
        return Response(data, media_type="image/png", headers={"Cache-Control": cache})

    async def pdf(request: Request) -> Response:
        entry = entry_of(request)
        if entry is None or entry.good is None:
            return not_found()
        return Response(entry.good.built.pdf, media_type="application/pdf",
                        headers=package.attachment(f"{package.file_stem(entry)}.pdf"))

    async def job_sheet(request: Request) -> Response:
        entry = entry_of(request)
        if entry is None or entry.good is None or entry.good.built.job_sheet is None:
            return not_found()
        return PlainTextResponse(entry.good.built.job_sheet,
                                 headers=package.attachment(f"{package.file_stem(entry)}.job.txt"))

    async def rebuild(request: Request) -> Response:
        entry = entry_of(request)
        if entry is None:
            return not_found()
        studio.rebuild(entry.lid.key)
        return RedirectResponse(pages.url(entry), status_code=303)

    async def save(request: Request) -> Response:
        entry = entry_of(request)
        if entry is None:
            return not_found()
        if studio.read_only:
            return PlainTextResponse(say(msg("The studio runs in read-only mode (--read-only): nothing is saved.")),
                                     status_code=403)
        if entry.good is None:
            return not_found()
        await asyncio.to_thread(studio.save, entry.lid.key)  # Refused: the project cannot be written
        return RedirectResponse(pages.url(entry) + "?saved=1", status_code=303)

    async def static(request: Request) -> Response:
        asset = assets.by_url().get(request.path_params["name"])  # looked up, never a path
        if asset is None:
            return not_found()
        headers = {"Cache-Control": assets.CACHE_CONTROL, "ETag": asset.etag}
        if asset.etag in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers=headers)
        return Response(asset.data, media_type=asset.media_type, headers=headers)

    async def events(request: Request) -> Response:
        key = request.query_params.get("leaflet", "")
        if key and studio.get(key) is None:
            return not_found()
        # Which build the page shows: its HTML's (first connection) or the last update it got (a
        # reconnection); checked before the stream starts (a refusal after it started would be a
        # broken stream, not a message).
        shown = checked(request.headers.get("last-event-id") or request.query_params.get("done"), VERSION, "done")
        queue: asyncio.Queue = asyncio.Queue()
        hub.loop = asyncio.get_running_loop()
        hub.queues.add(queue)
        if key:
            studio.view(key, +1)

        async def stream():
            # Anything that finished since the build the page shows is sent at once.
            sent_done = shown if "." in shown else ""
            try:
                yield "retry: 1000\n\n"
                if key:
                    entry = studio.get(key)
                    yield _event("status", {"building": entry.building or entry.pending})
                    queue.put_nowait(key)
                elif shown and "." not in shown:  # a catalogue page: the cards that changed since it was made
                    for changed in hub.since(int(shown)):
                        queue.put_nowait(changed)
                while True:
                    try:
                        changed = await asyncio.wait_for(queue.get(), KEEPALIVE_S)
                    except TimeoutError:
                        yield ": keep-alive\n\n"
                        continue
                    batch = {changed}
                    while not queue.empty():  # coalesce: render each changed leaflet once
                        batch.add(queue.get_nowait())
                    if None in batch:
                        return
                    if key:
                        if key not in batch:
                            continue
                        entry = studio.get(key)
                        yield _event("status", {"building": entry.building or entry.pending})
                        version = f"{entry.done}.{entry.facts_gen}"  # a build, or a language check, is new
                        if version != sent_done:
                            sent_done = version
                            html = await asyncio.to_thread(pages.live, studio, entry, csrf)
                            yield _event("update", {"gen": entry.good.gen if entry.good else 0, "done": entry.done,
                                                    "html": html}, version)
                            good = entry.good
                            if good is not None and good.stamps is not None and "sent" not in good.stamps:
                                state.stamp(good.stamps, "sent")
                                state.report_stamps(key, good.gen, good.stamps)
                    else:
                        if "" in batch:
                            yield _event("catalogue", {})
                            continue
                        for changed_key in sorted(batch):
                            entry = studio.get(changed_key)
                            if entry is not None and not entry.gone:
                                html = await asyncio.to_thread(pages.card, studio, entry)
                                yield _event("card", {"id": pages.card_id(entry), "html": html})
            finally:
                hub.queues.discard(queue)
                if key:
                    studio.view(key, -1)

        return StreamingResponse(stream(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})

    # --- the practice editor ----------------------------------------------------------------
    kept = drafts.Drafts()
    studio.on_stop.append(kept.close)

    def refused_read_only() -> Response:
        return HTMLResponse(pages.message_page(studio, READ_ONLY_PRACTICES), status_code=403)

    async def practice_new(request: Request) -> Response:
        if studio.read_only:
            return refused_read_only()
        return HTMLResponse(await asyncio.to_thread(pages.editor, studio, None, csrf))

    async def practice_edit(request: Request) -> Response:
        if studio.read_only:
            return refused_read_only()
        notice = saved(request)
        # Off the event loop: it reads practice.yaml and the logo (as `check` reads them).
        opened = await asyncio.to_thread(editor.open_practice, studio.project, request.path_params["practice"])
        if opened is None:
            return not_found(NO_PRACTICE)
        notice = msg("Saved in %(path)s. The leaflets of this practice are being built again now.",
                     path=f"practices/{opened.id}/practice.yaml") if notice else ""
        made = checked(request.query_params.get("made"), NAME, "made")
        if made in ("copy", "rename"):
            notice = pages.made_notice(made, opened.id)
        return HTMLResponse(await asyncio.to_thread(pages.editor, studio, opened, csrf, notice))

    async def draft_of(request: Request) -> editor.Draft:
        if studio.read_only:
            raise Refused(READ_ONLY_PRACTICES, 403)
        try:
            body = json.loads(await request.body())
            values = body["values"]
            if not isinstance(values, dict):
                raise TypeError
        except (ValueError, KeyError, TypeError, RecursionError):  # not JSON, too deep, an int of 5,000 digits
            raise Refused(BAD_REQUEST, 400) from None
        opened = None
        if body.get("practice"):
            # An id the project lists, looked up, never joined into a path; read off the event loop.
            opened = await asyncio.to_thread(editor.open_practice, studio.project, str(body["practice"]))
            if opened is None:
                raise Refused(NO_PRACTICE, 404)
        upload = kept.upload(str(body.get("upload") or ""))
        return editor.Draft(values, opened, upload, bool(body.get("whole")), str(body.get("version") or ""),
                            str(body.get("stream") or "")[:64])

    async def practice_check(request: Request) -> Response:
        draft = await draft_of(request)
        return answer(await asyncio.to_thread(editor.check, studio.project, draft))

    async def practice_preview(request: Request) -> Response:
        draft = await draft_of(request)
        return answer(await asyncio.to_thread(drafts.preview, studio, kept, draft, draft.whole))

    async def practice_save(request: Request) -> Response:
        draft = await draft_of(request)
        path, version = await asyncio.to_thread(practice_file.save, studio.project, kept, draft, draft.version)
        practice_id = path.parent.name
        studio.changed({path})  # the watcher will say so too; the catalogue need not wait for it
        return answer({"ok": True, "url": f"/practices/{practice_id}?saved=1", "version": version,
                       "completed": editor.completions(draft.values),
                       "message": msg("Saved in %(path)s. The leaflets of this practice are being built again now.",
                                      path=f"practices/{practice_id}/practice.yaml")})

    async def practice_logo(request: Request) -> Response:
        if studio.read_only:
            return answer({"ok": False, "message": READ_ONLY_PRACTICES}, 403)
        from urllib.parse import unquote

        name = unquote(request.headers.get("x-file-name", "logo"))
        data = await request.body()
        try:
            upload = await asyncio.to_thread(drafts.accept_logo, kept, data, name)
        except ValueError as exc:
            reason = exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
            return answer({"ok": False, "message": msg("Logo refused: %(reason)s", reason=reason)}, 422)
        return answer({"ok": True, "token": upload.token, "name": upload.name, "kind": upload.kind,
                       "message": msg("Logo accepted: %(name)s", name=upload.name), "warning": upload.warning})

    async def practice_picture(request: Request) -> Response:
        name = request.path_params["name"]
        data = kept.picture(request.path_params["token"], name[:-4]) if name.endswith(".png") else None
        if data is None:
            return not_found()
        return Response(data, media_type="image/png", headers={"Cache-Control": "private, max-age=600"})

    async def practice_manage(request: Request) -> Response:
        """Duplicate, rename (POST, a new folder name) or delete (GET: asks; POST: moves it to .trash/)."""
        practice_id, action = request.path_params["practice"], request.path_params["action"]
        folder = practice_admin.folder_of(studio.project, practice_id)  # looked up, never a path
        if folder is None or action not in ("duplicate", "rename", "delete"):
            return not_found(NO_PRACTICE)
        if studio.read_only:
            return refused_read_only()
        if request.method == "GET":
            if action != "delete":
                return not_found()
            name = pages.practice_names(studio)(practice_id)
            return HTMLResponse(await asyncio.to_thread(pages.practice_delete, studio, practice_id, name, csrf))
        form = form_fields(await request.body())
        try:
            if action == "delete":
                name = pages.practice_names(studio)(practice_id)
                where = await asyncio.to_thread(practice_admin.delete, studio.project, practice_id)
                studio.changed({folder / "practice.yaml", folder})
                return HTMLResponse(pages.message_page(studio, pages.deleted_notice(name, where),
                                                       pages.deleted_title(), ok=True))
            run = practice_admin.duplicate if action == "duplicate" else practice_admin.rename
            new_id = await asyncio.to_thread(run, studio.project, practice_id, form.get("new_id", ""))
        except Refused as exc:
            return HTMLResponse(pages.message_page(studio, exc.message), status_code=exc.status)
        made = folder.parent / new_id
        studio.changed({made / "practice.yaml", made, folder / "practice.yaml", folder})
        return RedirectResponse(f"/practices/{new_id}?made={'copy' if action == 'duplicate' else 'rename'}",
                                status_code=303)

    async def practice_package(request: Request) -> Response:
        """Every print PDF of the practice with its job sheet and a list, as a zip (POST: with the
        order form's values on the job sheets)."""
        practice_id = request.path_params["practice"]
        if practice_id not in {folder.name for folder in studio.project.practice_dirs()}:  # looked up, never a path
            return not_found(NO_PRACTICE)
        try:
            form = form_fields(await request.body())
            order = package.order_from(form) if request.method == "POST" else {}
            await package.wait_settled(studio, practice_id)
            name = pages.practice_names(studio)(practice_id)
            data = await asyncio.to_thread(package.make, studio, practice_id, name, order)
        except Refused as exc:  # a page for the form's POST too (not the editor's JSON answer)
            return HTMLResponse(pages.message_page(studio, exc.message), status_code=exc.status)
        return Response(data, media_type="application/zip", headers=package.attachment(package.zip_name(practice_id)))

    # --- the print shop's preflight ----------------------------------------------------------
    async def preflight(request: Request) -> Response:
        return HTMLResponse(await asyncio.to_thread(pages.preflight, studio, csrf))

    async def preflight_check(request: Request) -> Response:
        from urllib.parse import unquote

        variant = preflight_page.variant_of(request)
        name = unquote(request.headers.get("x-file-name", "upload.pdf"))[:200] or "upload.pdf"
        try:
            report = await preflight_page.run(studio, await request.body(), name, variant)
        except Refused as exc:
            return answer({"ok": False, "message": exc.message}, status_code=exc.status)
        html = await asyncio.to_thread(pages.preflight_result, report, name, variant, studio.language)
        return answer({"ok": True, "failed": report.failed, "html": html})

    parts = "/leaflets/{practice}/{topic}/{audience}/{variant}"
    routes = [
        Route("/", catalogue),
        Route("/static/{name}", static),
        Route("/events", events),
        Route(parts, leaflet),
        Route(parts + "/pdf", pdf),
        Route(parts + "/job-sheet", job_sheet),
        Route(parts + "/pictures/{gen}/{name}", picture),
        Route(parts + "/rebuild", rebuild, methods=["POST"]),
        Route(parts + "/save", save, methods=["POST"]),
        # A translation's pages (LeafletId.key ends in its language): after the source's, so that
        # ".../trifold/pdf" stays the Dutch PDF and never reads as a language "pdf".
        *(Route(parts + "/{language:lang}" + tail, handler, methods=methods)
          for tail, handler, methods in (("", leaflet, None), ("/pdf", pdf, None), ("/job-sheet", job_sheet, None),
                                         ("/pictures/{gen}/{name}", picture, None), ("/rebuild", rebuild, ["POST"]),
                                         ("/save", save, ["POST"]))),
        Route("/preflight", preflight),
        Route(preflight_page.PATH, preflight_check, methods=["POST"]),
        Route("/practices/new", practice_new),
        Route("/practices/check", practice_check, methods=["POST"]),
        Route("/practices/preview", practice_preview, methods=["POST"]),
        Route("/practices/save", practice_save, methods=["POST"]),
        Route(LOGO_PATH, practice_logo, methods=["POST"]),
        Route("/practices/previews/{token}/{name}", practice_picture),
        Route("/practices/{practice}", practice_edit),
        Route("/practices/{practice}/leaflets.zip", practice_package, methods=["GET", "POST"]),
        Route("/practices/{practice}/{action}", practice_manage, methods=["GET", "POST"]),
    ]
    routes += content_routes.routes(studio, csrf, kept)  # the content desk: /content/...
    hosts = None if allowed_hosts is None else {h.lower() for h in allowed_hosts}
    app = Starlette(routes=routes, exception_handlers={LeafletError: refused, HTTPException: no_route})
    guarded = SecurityMiddleware(app, allowed_hosts=hosts, token=token, csrf=csrf, language=studio.language)
    guarded.hub = hub  # the server ends the event streams through it on Ctrl-C
    return guarded


class _LanguageConvertor(Convertor):
    """A language code in a translation's address (LeafletId.key), never a word of another route
    (".../trifold/rebuild" stays the rebuild route, answering 405 to a GET)."""

    regex = "[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("lang", _LanguageConvertor())


def _event(name: str, data: dict, event_id: str | None = None) -> str:
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
