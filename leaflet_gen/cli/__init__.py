"""Command-line interface. It only parses options and calls the core; no logic lives here.

Exit codes: 0 success, 1 a problem in the input (message says what to fix), 2 wrong command
usage, 3 an internal error (a bug: rerun with --debug for the traceback), 130 interrupted (Ctrl-C),
141 the output's reader stopped reading (``leaflet-gen check | head``: quietly, as Unix tools do).

The commands are grouped by concern in the modules of this package; :mod:`.base` holds the group
(``cli``), its error handling and the shared options; importing the package registers every command.
"""

from leaflet_gen.cli import building, checking, project, translating  # noqa: F401  (registers the commands)
from leaflet_gen.cli.base import cli, main

__all__ = ["cli", "main"]
