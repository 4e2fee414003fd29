"""``leaflet-gen serve``: start the render processes, the builder, the watcher and the web server.

Order matters: the render processes are forked first, while this process has one thread (a
fork after uvicorn's threads and event loop exist would copy them half-way); they import
WeasyPrint while the project is read. Ctrl-C stops uvicorn, which ends the open event streams,
then the watcher, the builder and the render processes - nothing is left running - and is the
normal way to stop: "Studio stopped.", exit status 0.
"""

from __future__ import annotations

import ipaddress
import secrets
import sys
from pathlib import Path

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def allowed_hosts(host: str, port: int) -> set[str] | None:
    """Host header values a browser sends for this server on this computer (anything else:
    DNS rebinding). None for a server other machines reach: it may be called by any of the
    machine's names, and the access token guards it instead."""
    if not is_loopback(host):
        return None
    names = {host, *LOOPBACK}
    return {(f"[{n}]" if ":" in n else n) + f":{port}" for n in names}


def listen(host: str, port: int):
    import socket

    from leaflet_gen.errors import LeafletError

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise LeafletError(f"cannot listen on {host}:{port} ({exc.strerror}); choose another port with "
                           "--port, or stop the program that uses it") from None
    sock.listen(128)
    sock.set_inheritable(False)
    return sock


def serve(root: Path, host: str, port: int, open_browser: bool, read_only: bool, echo=print) -> None:
    import uvicorn

    from leaflet_gen.studio import core
    from leaflet_gen.studio.app import create_app
    from leaflet_gen.studio.state import Studio
    from leaflet_gen.studio.watch import Watcher

    sock = listen(host, port)  # before anything starts: a taken port is a plain message
    renderer = core.renderer(processes=2)  # forked now: warm by the time the first page asks
    try:
        studio = Studio(root, renderer, read_only=read_only)
    except BaseException:
        renderer.close()
        sock.close()
        raise
    token = None if is_loopback(host) else secrets.token_urlsafe(24)
    app = create_app(studio, allowed_hosts=allowed_hosts(host, port), token=token)
    watcher = Watcher(studio.root, studio.changed)

    class Server(uvicorn.Server):
        def handle_exit(self, sig, frame) -> None:
            app.hub.close()  # open pages' event streams would keep the server waiting
            super().handle_exit(sig, frame)

    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False,
                            timeout_graceful_shutdown=2, lifespan="off")
    server = Server(config)
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    shown_host = f"[{shown_host}]" if ":" in shown_host else shown_host
    address = f"http://{shown_host}:{port}/" + (f"?token={token}" if token else "")
    try:
        studio.start()
        watcher.start()
        echo(f"Leaflet studio on {address}" + ("  (read-only)" if read_only else ""))
        if token:
            echo("Anyone with this link can see the leaflets; it is shown only this once. Press Ctrl-C to stop.")
        else:
            echo("Press Ctrl-C to stop.")
        if open_browser:
            import threading
            import webbrowser

            threading.Timer(0.5, webbrowser.open, (address,)).start()
        try:
            server.run(sockets=[sock])
        except KeyboardInterrupt:
            pass  # Ctrl-C is how the studio stops: uvicorn shuts down, then raises it again
    finally:
        sock.close()
        watcher.stop()
        studio.stop()  # closes the render processes
        sys.stdout.flush()
    echo("Studio stopped.")
