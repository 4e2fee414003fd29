"""The logging policy, in one place.

What goes where:

- **User errors** (a problem in the input the user can fix): raised as
  :class:`~leaflet_gen.errors.LeafletError` with file, line, key and the fix; never logged. The
  CLI prints the message and exits 1 (2 for :class:`~leaflet_gen.errors.UsageProblem`).
- **Bugs** (any other exception): not caught below the CLI, which says so and exits 3;
  ``--debug`` shows the traceback.
- **Warnings** (the PDF was made, but something deserves a look: a low-resolution logo, concept
  content, a preflight warning): returned as data with the result or report (so the studio and
  build-report.json have them) and printed by the CLI as ``Warning: ...``. Not logged, so each is
  said once.
- **Progress** (which leaflet is done): ``INFO`` on the module's logger. The CLI shows it as a bar
  on a terminal and one line per leaflet in CI; a library user sees nothing unless they configure
  logging.
- **Debug** (timings, decisions such as the renderer chosen): ``DEBUG``; shown with ``--verbose``
  (``--debug`` is for tracebacks of internal errors, and keeps stderr to them).

Every module that logs has its own ``log = logging.getLogger(__name__)``; library code never
adds handlers or sets levels: only :func:`setup`, called by the CLI, does. WeasyPrint's own
warnings are collected by the layout engine and fail the build (they would change the leaflet).
"""

from __future__ import annotations

import logging
import os
import sys

ROOT = "leaflet_gen"


def is_interactive() -> bool:
    """A person watching a terminal (not CI): progress as a bar rather than one line per leaflet."""
    return sys.stderr.isatty() and os.environ.get("CI", "").lower() not in ("1", "true", "yes")


class _Progress(logging.Handler):
    """Progress records (with ``done``/``total``) as a bar on a terminal; everything else as its line."""

    def __init__(self, interactive: bool) -> None:
        super().__init__(logging.DEBUG)
        self.interactive = interactive

    def emit(self, record: logging.LogRecord) -> None:
        done, total = getattr(record, "done", None), getattr(record, "total", None)
        if self.interactive and done is not None and total:
            width = 30
            bar = "#" * (width * done // total) + "-" * (width - width * done // total)
            sys.stderr.write(f"\r[{bar}] {done}/{total}" + ("\n" if done == total else ""))
        else:
            sys.stderr.write(record.getMessage() + "\n")
        sys.stderr.flush()


def setup(verbose: bool = False) -> None:
    """The CLI's logging: progress (and with ``verbose`` the debug lines) to stderr."""
    logger = logging.getLogger(ROOT)
    for handler in [h for h in logger.handlers if isinstance(h, _Progress)]:
        logger.removeHandler(handler)
    logger.addHandler(_Progress(is_interactive()))
    logger.setLevel(logging.DEBUG if verbose else logging.INFO)
    logger.propagate = False
