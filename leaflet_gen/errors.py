"""The one exception family for problems the user can fix.

Everything raised as a :class:`LeafletError` is shown to the user as plain text and ends the
command with exit code 1; anything else is a bug and is reported as such by the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class LeafletError(Exception):
    """A problem with the user's input or environment, with a message that says how to fix it."""

    def __init__(self, message: str, *, problems: list["Problem"] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = problems or []

    def __reduce__(self):
        # Picklable whatever a subclass's __init__ takes: a render process sends these back.
        return _rebuild, (type(self), self.message, self.problems)

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        lines = [str(p) for p in self.problems]
        lines.append(self.message)
        return "\n".join(lines)


def _rebuild(cls: type[LeafletError], message: str, problems: list) -> LeafletError:
    exc = cls.__new__(cls)
    LeafletError.__init__(exc, message, problems=problems)
    return exc


@dataclass(frozen=True)
class Problem:
    """One located finding: ``file:line:column key.path: message``."""

    file: Path | str
    message: str
    line: int | None = None
    column: int | None = None
    key: str = ""

    def __str__(self) -> str:
        where = str(self.file)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        key = f" {self.key}:" if self.key else ""
        return f"{where}{key} {self.message}"


class ValidationFailed(LeafletError):
    """One or more input files are invalid; ``problems`` lists every finding at once."""

    def __init__(self, problems: list[Problem]):
        count = len(problems)
        files = len({str(p.file) for p in problems})
        noun = "problem" if count == 1 else "problems"
        fnoun = "file" if files == 1 else "files"
        super().__init__(f"Found {count} {noun} in {files} {fnoun}; nothing was built.", problems=problems)


class LayoutError(LeafletError):
    """The content does not fit the variant's pages."""


class RenderError(LeafletError):
    """The renderer could not produce a correct PDF (missing font, unreadable image, ...)."""


class Superseded(RenderError):
    """A render given up because a newer request took its place (the studio's preview of a
    draft typed on: ``RenderPool.cancel``). Nobody waits for its pages; never shown."""

    def __init__(self, message: str = "given up: a newer request took its place") -> None:
        super().__init__(message)


class UsageProblem(LeafletError):
    """Options that do not go together (the CLI reports it as wrong usage, exit code 2)."""
