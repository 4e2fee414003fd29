"""Safe YAML loading that remembers where every key and value came from.

Only plain YAML is accepted: no tags that construct objects, no anchors/aliases (they are not
needed for leaflet data and are the vehicle of expansion bombs), and files of bounded size.
The result is the data plus a map from key path to (line, column), so validation errors can
point at the exact spot in the file the user has to change.
"""

from __future__ import annotations

import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from leaflet_gen.errors import Problem, ValidationFailed
from leaflet_gen.i18n import msg

MAX_FILE_BYTES = 256 * 1024

_INDENTATION = msg('the indentation does not match the lines above: indent the keys of one level by the same '
                   'number of spaces, and start each list item with "- "')
_NOT_CLOSED = msg("a bracket is not closed: end a list [ with ] and a { with }, or put quotes around a text that "
                  "starts with [ or {")
# PyYAML's (libyaml's) words for the mistakes people make when they edit a file by hand (its
# problem, as it starts), said as what to do about them, and from the message catalogue (the
# studio says them in Dutch). Any other problem is shown as PyYAML words it, with its context.
YAML_MISTAKES = (
    ("mapping values are not allowed", msg('a colon where no key can start: put quotes around a text that contains '
                                           '": ", or check the indentation of this line')),
    ("found a tab character", msg("a tab: indent with spaces, not tabs")),
    ("found character that cannot start any token", msg("a character that cannot start a value here: indent with "
                                                        "spaces, not tabs, and put quotes around a text that starts "
                                                        "with @ or `")),
    ("expected <block end>", _INDENTATION),
    ("did not find expected key", _INDENTATION),
    ("did not find expected '-' indicator", _INDENTATION),
    ("found unexpected end of stream", msg("a quote is opened but never closed: end the text with the quote it starts "
                                           "with")),
    ("could not find expected ':'", msg('a line that is not "key: value": add the colon, or indent it as part of '
                                        "the line above")),
    ("found unknown escape character", msg('a backslash in a text in double quotes: write \\\\ for one backslash, or '
                                           "use single quotes")),
    ("did not find expected ','", _NOT_CLOSED),
)


def _said(problem: str, context: str | None) -> str:
    """PyYAML's ``problem`` as :data:`YAML_MISTAKES` says it, or as PyYAML does (with its context)."""
    for start, said in YAML_MISTAKES:
        if problem.startswith(start):
            return said
    return f"{problem} ({context})" if context else problem
MAX_NODES = 20_000

KeyPath = tuple[str | int, ...]


@dataclass
class YamlDoc:
    """Parsed YAML data with source positions (1-based line and column) per key path."""

    path: Path
    data: Any
    positions: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    display: str = ""
    text: str = ""  # the source, for messages that quote or search it (the language check)

    def locate(self, keypath: KeyPath) -> tuple[int | None, int | None]:
        """The position of ``keypath``, or of its nearest parent that has one."""
        kp = tuple(keypath)
        while kp:
            if kp in self.positions:
                return self.positions[kp]
            kp = kp[:-1]
        return self.positions.get((), (None, None))

    def problem(self, keypath: KeyPath, message: str) -> Problem:
        line, col = self.locate(keypath)
        return Problem(self.display or str(self.path), message, line, col, dotted(keypath))


def dotted(keypath: KeyPath) -> str:
    """``("blocks", 2, "text")`` -> ``blocks[2].text``."""
    out = ""
    for part in keypath:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


# libyaml's C parser when available: loading is then ~5x faster, which a catalogue build of
# many practices notices. The pure-Python loader gives the same nodes and marks.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _guard(text: str) -> None:
    """Refuse anchors/aliases and oversized documents on the event stream, before composing."""
    count = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            raise yaml.MarkedYAMLError(
                None, None, msg("YAML aliases (*name) are not allowed in leaflet files; write the value out in full"),
                event.start_mark)
        if getattr(event, "anchor", None):
            raise yaml.MarkedYAMLError(
                None, None, msg("YAML anchors (&name) are not allowed in leaflet files; write the value out in full"),
                event.start_mark)
        count += 1
        if count > MAX_NODES:
            raise yaml.MarkedYAMLError(
                None, None, msg("the file has more than %(n)s values; that is too large for a leaflet file", n=MAX_NODES),
                event.start_mark)


def _positions(node: yaml.Node, prefix: KeyPath, out: dict[KeyPath, tuple[int, int]]) -> None:
    out.setdefault(prefix, (node.start_mark.line + 1, node.start_mark.column + 1))
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            # Point at the value (where a wrong value has to be fixed) ...
            out[prefix + (key,)] = (value_node.start_mark.line + 1, value_node.start_mark.column + 1)
            # ... but keep the key's own position for "unknown key" messages.
            out[prefix + (key, "<key>")] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            _positions(value_node, prefix + (key,), out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _positions(item, prefix + (i,), out)


def _duplicate_keys(node: yaml.Node, prefix: KeyPath = ()) -> list[tuple[str, str, int, int]]:
    """(key path, message, line, column) for every key that a mapping repeats.

    YAML loaders keep the last of two equal keys without a word, so half of what was written
    would silently not be printed.
    """
    found = []
    if isinstance(node, yaml.MappingNode):
        first: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in first:
                found.append((dotted(prefix + (key,)), msg('"%(key)s" appears twice in this mapping (also on line '
                                                           "%(line)s); only one would be used: keep one", key=key,
                                                           line=first[key]), line, key_node.start_mark.column + 1))
            else:
                first[key] = line
            found += _duplicate_keys(value_node, prefix + (key,))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            found += _duplicate_keys(item, prefix + (i,))
    return found


def _construct(loader, node: yaml.Node, fail):
    """Build the Python data; a value YAML cannot turn into one is a located error.

    PyYAML raises a bare ValueError without a position for such a scalar: ``2026-02-30`` read as a
    date, an integer of more than 4,300 digits (Python's limit on converting text to int).
    """
    try:
        return loader.construct_document(node)
    except ValueError:
        for scalar in _scalars(node):
            try:
                loader.yaml_constructors[scalar.tag](loader, scalar)
            except (KeyError, yaml.YAMLError):
                pass  # no constructor of its own (a plain string), or reported with its position
            except ValueError as exc:
                where = (scalar.start_mark.line + 1, scalar.start_mark.column + 1)
                positions: dict[KeyPath, tuple[int, int]] = {}
                _positions(node, (), positions)
                key = next((dotted(kp) for kp, at in positions.items() if at == where and kp and kp[-1] != "<key>"), "")
                raise fail(_unreadable(scalar, exc), *where, key) from None
        raise


def _unreadable(scalar: yaml.ScalarNode, exc: ValueError) -> str:
    if scalar.tag == "tag:yaml.org,2002:timestamp":
        return msg('"%(value)s" is not a date in the calendar (%(error)s); write a real date as YYYY-MM-DD',
                   value=scalar.value, error=str(exc))
    if scalar.tag == "tag:yaml.org,2002:int":
        return msg("a number of %(n)s digits is more than YAML can read here (at most %(max)s); if it is text, put "
                   "it in quotes", n=len(scalar.value), max=sys.get_int_max_str_digits())
    return msg('cannot read "%(value)s" as a %(kind)s (%(error)s); put it in quotes if it is text',
               value=scalar.value[:40], kind=scalar.tag.rsplit(":", 1)[-1], error=str(exc))


def _scalars(node: yaml.Node):
    if isinstance(node, yaml.ScalarNode):
        yield node
    elif isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            yield from _scalars(key_node)
            yield from _scalars(value_node)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _scalars(item)


def _line_col(text: str, position: int) -> tuple[int, int]:
    before = text[:position]
    return before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1


def read_project_file(path: Path, shown: str, root: Path | None, limit: int, expected: str = msg("a YAML file"),
                      what: str = msg("leaflet files")) -> bytes:
    """The bytes of one input file, or a :class:`ValidationFailed` that says why not.

    Only regular files are read (a folder, a named pipe or a device such as /dev/zero would hang
    or never end), only up to ``limit`` bytes (checked before reading, and again while reading,
    in case the file grows), and, with ``root``, only files that really lie inside the project:
    a link to a file elsewhere would print text nobody reviewed. ``expected`` and ``what`` name
    the kind of file in the messages ("a YAML file", "leaflet files").

    Practice, topic, variant and settings files, logos, the word list and colour profiles are
    read through here, by the build, `check` and the studio alike.
    """
    def fail(message: str) -> ValidationFailed:
        return ValidationFailed([Problem(shown, message)])

    try:
        info = path.stat()
        real = path.resolve()
    except FileNotFoundError:
        raise fail(msg("file not found")) from None
    except OSError as exc:
        raise fail(msg("cannot read the file: %(error)s", error=exc.strerror)) from None
    except (RuntimeError, ValueError) as exc:  # a loop of links (resolve), a NUL in the name
        raise fail(msg("cannot read the file: %(error)s", error=str(exc))) from None
    if root is not None and not real.is_relative_to(root.resolve()):
        raise fail(msg("is a link to %(target)s, outside the project; copy the file into the project instead",
                       target=str(real)))
    if not stat.S_ISREG(info.st_mode):
        if stat.S_ISDIR(info.st_mode):
            raise fail(msg("is a folder; expected %(expected)s", expected=expected))
        raise fail(msg("is not a regular file (a pipe, device or socket); expected %(expected)s", expected=expected))
    if info.st_size > limit:
        raise fail(msg("the file is %(size)s KiB; %(what)s may be at most %(limit)s KiB", size=info.st_size // 1024,
                       what=what, limit=limit // 1024))
    try:
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise fail(msg("cannot read the file: %(error)s; check its permissions", error=exc.strerror)) from None
    if len(data) > limit:
        raise fail(msg("the file is larger than %(limit)s KiB; %(what)s may be at most %(limit)s KiB",
                       limit=limit // 1024, what=what))
    return data


def read_text_file(path: Path, shown: str, root: Path | None, limit: int, expected: str = msg("a YAML file"),
                   what: str = msg("leaflet files")) -> str:
    """:func:`read_project_file`, decoded as UTF-8 (strictly: a wrong byte is located, not replaced)."""
    raw = read_project_file(path, shown, root, limit, expected, what)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationFailed([Problem(shown, msg("the file is not UTF-8 text (byte %(byte)s); save it as UTF-8",
                                                   byte=exc.start))]) from None


def load_yaml(path: Path, display: str | None = None, root: Path | None = None) -> YamlDoc:
    """Load one YAML file, or raise :class:`ValidationFailed` with a located message.

    ``root``: the project folder the file must really lie in (see :func:`read_project_file`).
    """
    shown = display or str(path)
    return yaml_from_text(read_text_file(path, shown, root, MAX_FILE_BYTES), path, shown)


def yaml_from_text(text: str, path: Path, shown: str) -> YamlDoc:
    """:func:`load_yaml` of text already read (the studio's content desk checks a draft of a
    section file as the file it would write): the same checks, messages and positions."""

    def fail(message: str, line: int | None = None, column: int | None = None, key: str = "") -> ValidationFailed:
        return ValidationFailed([Problem(shown, message, line, column, key)])

    if not text.strip():
        raise fail(msg("the file is empty; it must contain a YAML mapping (key: value lines)"))

    loader = None
    try:
        _guard(text)
        loader = _Loader(text)
        node = loader.get_single_node()
        if node is None:
            raise fail(msg("the file has no data; it must contain a YAML mapping (key: value lines)"))
        duplicates = _duplicate_keys(node)
        if duplicates:
            raise ValidationFailed([Problem(shown, message, line, col, key) for key, message, line, col in duplicates])
        data = _construct(loader, node, fail)
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        problem = exc.problem or "cannot construct this value"
        if "could not determine a constructor" in problem:
            tag = problem.split("tag", 1)[-1].strip().strip("'").replace("tag:yaml.org,2002:", "!!")
            problem = msg("YAML tags such as %(tag)s are not allowed; write a plain value", tag=tag)
        raise fail(problem, mark.line + 1 if mark else None, mark.column + 1 if mark else None) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.problem and "alias" not in problem and "anchor" not in problem:
            problem = _said(exc.problem, exc.context)
        raise fail(msg("invalid YAML: %(problem)s", problem=problem), mark.line + 1 if mark else None,
                   mark.column + 1 if mark else None) from None
    except yaml.reader.ReaderError as exc:
        line, col = _line_col(text, exc.position)
        code = ord(exc.character) if isinstance(exc.character, str) else exc.character
        raise fail(msg("invalid YAML: the file contains a control character (code %(code)s) that is not allowed; "
                       "remove it", code=f"{code:#04x}"), line, col) from None
    except yaml.YAMLError as exc:
        raise fail(msg("invalid YAML: %(problem)s", problem=str(exc))) from None
    finally:
        if loader is not None:
            loader.dispose()

    positions: dict[KeyPath, tuple[int, int]] = {}
    _positions(node, (), positions)
    if not isinstance(data, dict):
        raise fail(msg("expected a mapping of keys and values at the top of the file, got a %(kind)s",
                       kind=type(data).__name__), 1, 1)
    return YamlDoc(path=path, data=data, positions=positions, display=shown, text=text)
