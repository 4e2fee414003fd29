"""File events for the studio: the project's input folders, through watchfiles (inotify on Linux).

watchfiles groups the events of a burst (an editor's write, rename and chmod of one save) and
skips editor swap and backup files; the changed paths go to :meth:`Studio.changed`.
"""

from __future__ import annotations

import threading
from pathlib import Path

from leaflet_gen.studio.core import INPUT_FOLDERS

STEP_MS = 30  # a burst ends after this long without events (watchfiles' default is 50)


class Watcher:
    def __init__(self, root: Path, on_change) -> None:
        self.root = root
        self.on_change = on_change
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="leaflet-studio watcher", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        from watchfiles import DefaultFilter, watch

        folders = [self.root / f for f in INPUT_FOLDERS if (self.root / f).is_dir()]
        folders += [p for p in (self.root / "leaflet-gen.yml",) if p.is_file()]  # the settings: audiences
        for changes in watch(*folders, watch_filter=DefaultFilter(), step=STEP_MS, stop_event=self._stop,
                             rust_timeout=500, yield_on_timeout=False, raise_interrupt=False):
            self.on_change({Path(path) for _, path in changes})
