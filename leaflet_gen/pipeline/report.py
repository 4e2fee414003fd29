"""Reading, checking and merging build reports (``build-report.json``).

A report given to leaflet-gen (``report merge``, ``build --shard-times``) is read only from a
regular file of at most :data:`MAX_REPORT_BYTES` (a folder, a pipe or a device is refused, never
waited on), parsed as JSON (a syntax error is named by line and column: a truncated copy, say)
and checked against the models below, every problem named by its key path, with what was
expected and what was found. :func:`merge` then checks the shards' reports against each other
(see :data:`SAME`), that every shard is there once, and that every leaflet of the catalogue is
in exactly one report.

Its own module so that pydantic is imported only to read a report, not by every ``build`` (which
imports :mod:`leaflet_gen.pipeline.shards` to read the shard from the environment).
"""

from __future__ import annotations

import itertools
import json
import os
import stat
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from leaflet_gen.errors import LeafletError, Problem
from leaflet_gen.pipeline.shards import catalogue_hash, leaflet_id

# A report of 10,000 leaflets is ~6 MiB: anything much larger is not one (and would be read whole).
MAX_REPORT_BYTES = 32 * 2**20
MAX_PROBLEMS = 20  # shown of one report; a report damaged throughout says so in the first few
# What the shards of one build share, the key path of each, and what to do when one differs.
SAME = (
    ("tool", "made by different versions of leaflet-gen", "build every shard with the same leaflet-gen"),
    ("shard.project", "built from different project files", "build every shard from the same checkout"),
    ("shard.settings", "built with different settings", "build every shard with the same options and "
     "leaflet-gen.yml"),
    ("shard.times_hash", "split with different build times", "give every shard the same --shard-times file"),
    ("shard.total", "split into different numbers of shards", "merge the reports of one run"),
    ("shard.catalogue_hash", "shards of different catalogues", "merge the reports of one run"),
)
# The words for a wrong type in a JSON file (the YAML ones speak of indented lines).
_EXPECTED = {"string_type": "expected text", "int_type": "expected a whole number", "float_type": "expected a number",
             "bool_type": "expected true or false", "list_type": "expected a list", "dict_type": "expected an object",
             "model_type": "expected an object", "model_attributes_type": "expected an object",
             "finite_number": "expected a finite number"}

Seconds = Annotated[float, Field(ge=0, le=1e7)]
Count = Annotated[int, Field(ge=0, le=10**9)]


class _Model(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", allow_inf_nan=False)


class LeafletEntry(_Model):
    """One leaflet of a report: :class:`leaflet_gen.pipeline.catalogue.Entry` (the same fields)."""

    practice: str
    topic: str
    audience: str
    variant: str
    language: str = "nl"  # reports before languages had none: the source
    status: Literal["built", "skipped", "failed"]
    output: str
    input_key: str
    seconds: Seconds = 0.0
    peak_rss_mb: Count = 0
    cpu_seconds: Seconds = 0.0
    compose_cpu_seconds: Seconds = 0.0
    build_seconds: Seconds = 0.0
    error: str | None = None
    warnings: list[str] = []

    @property
    def id(self) -> str:
        return leaflet_id(self.practice, self.topic, self.audience, self.variant, self.language)


class Counts(_Model):
    built: Count
    skipped: Count
    failed: Count


class Settings(_Model):
    """See :func:`leaflet_gen.pipeline.shards.identity`."""

    file: str | None
    selection: Literal["all", "catalogue", "default"]
    variant: str | None
    catalogue: str | None
    icc_profile: str | None
    marks: bool | None


class ShardRecord(_Model):
    """See :func:`leaflet_gen.pipeline.shards.plan`. ``project`` and ``settings`` are missing in
    the reports of leaflet-gen before they were recorded."""

    index: Annotated[int, Field(ge=1)]
    total: Annotated[int, Field(ge=1)]
    catalogue_leaflets: Count
    catalogue_hash: str
    leaflets: Count
    balanced_by: Literal["count", "times"]
    times_hash: str | None
    project: dict[str, str | None] | None = None
    settings: Settings | None = None

    @model_validator(mode="after")
    def _consistent(self) -> ShardRecord:
        if self.index > self.total:
            raise ValueError(f"shard {self.index}/{self.total}: K is larger than N")
        if self.total > max(self.catalogue_leaflets, 1):
            raise ValueError(f"{self.total} shards of a catalogue of {self.catalogue_leaflets} leaflets")
        if self.leaflets > self.catalogue_leaflets:
            raise ValueError(f"{self.leaflets} leaflets in a shard of a catalogue of {self.catalogue_leaflets}")
        return self


class ShardReport(_Model):
    """The report of one shard's build, as :meth:`~leaflet_gen.pipeline.catalogue.CatalogueReport.as_dict` writes it."""

    tool: str
    seconds: Seconds
    counts: Counts
    shard: ShardRecord
    leaflets: list[LeafletEntry]

    @model_validator(mode="after")
    def _counted(self) -> ShardReport:
        for status in Counts.model_fields:
            found = sum(e.status == status for e in self.leaflets)
            if getattr(self.counts, status) != found:
                raise ValueError(f"counts.{status} is {getattr(self.counts, status)}, but {found} leaflets "
                                 f"have the status {status}")
        return self


class _Timed(BaseModel):
    """What ``--shard-times`` takes from each leaflet of any report (a shard's, a merged one)."""

    model_config = ConfigDict(strict=True, extra="ignore", allow_inf_nan=False)
    practice: str
    topic: str
    audience: str
    variant: str
    seconds: Seconds = 0.0
    build_seconds: Seconds = 0.0
    language: str = "nl"


class TimesReport(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")
    leaflets: list[_Timed]


def read_json(path: Path) -> object:
    """The JSON in the report file at ``path``, or a :class:`LeafletError` that says why not."""
    try:
        # Non-blocking: opening a pipe nobody writes to would wait for a writer.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise LeafletError(f"cannot read the report {path}: {exc.strerror}") from None
    except ValueError:  # a NUL in the path
        raise LeafletError(f"cannot read the report {path!r}: a file name cannot hold a NUL character") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        if stat.S_ISDIR(mode):
            raise LeafletError(f"{path} is a folder, not a build report: give the build-report.json in it")
        raise LeafletError(f"{path} is not a regular file (a pipe, device or socket): give a build-report.json")
    with open(fd, "rb") as fh:
        try:
            raw = fh.read(MAX_REPORT_BYTES + 1)
        except OSError as exc:
            raise LeafletError(f"cannot read the report {path}: {exc.strerror}") from None
    if len(raw) > MAX_REPORT_BYTES:
        raise LeafletError(f"{path} is larger than {MAX_REPORT_BYTES // 2**20} MiB: not a build report "
                           "(one of 10,000 leaflets has ~6 MiB)")
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise LeafletError(f"{path} is not a build report: not UTF-8 text (byte {exc.start + 1})") from None
    except json.JSONDecodeError as exc:
        raise LeafletError(f"{path}:{exc.lineno}:{exc.colno}: not a build report: {exc.msg}; a truncated or "
                           "damaged copy? Copy the shard's build-report.json again") from None
    except ValueError:  # Python reads no integer of more than 4,300 digits
        raise LeafletError(f"{path} is not a build report: it holds a number of more than 4,300 digits") from None
    except RecursionError:
        raise LeafletError(f"{path} is not a build report: its lists or objects are nested too deeply") from None


def _validated(path: Path, data: object, model: type[BaseModel], what: str):
    from leaflet_gen.content.validate import describe
    from leaflet_gen.content.yamlio import dotted

    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_url=False):
            kind = err["type"]
            message = ("required key is missing" if kind == "missing" else "unknown key" if kind == "extra_forbidden"
                       else describe(err, _EXPECTED))
            problems.append(Problem(path, message, key=dotted(tuple(err["loc"]))))
        more = len(problems) - MAX_PROBLEMS
        raise LeafletError(f"{path} is not {what}{f' ({more} more problems not shown)' if more > 0 else ''}; "
                           "a damaged or edited copy? Build that shard again, or copy its build-report.json again",
                           problems=problems[:MAX_PROBLEMS]) from None


def read_times_report(path: Path) -> TimesReport:
    """The leaflets' build times of any report (``--shard-times``)."""
    return _validated(path, read_json(path), TimesReport, "a build report with build times")


def read_times(path: Path) -> dict[str, int]:
    """Milliseconds per leaflet id from a report (a shard's or a merged one), to balance shards.

    Integers, so the split cannot depend on how floats add up. A leaflet that was skipped in
    that run counts with its last real build time (``build_seconds``).
    """
    times = {}
    for e in read_times_report(path).leaflets:
        seconds = e.build_seconds or e.seconds
        if seconds > 0:
            times[leaflet_id(e.practice, e.topic, e.audience, e.variant, e.language)] = round(seconds * 1000)
    return times


def _flat(data: object, key: str) -> dict[str, object]:
    """``{"a": {"b": 1}}`` at "x" -> ``{"x.a.b": 1}``: the values to compare, by key path."""
    if isinstance(data, dict):
        return {k: v for name, value in data.items() for k, v in _flat(value, f"{key}.{name}").items()}
    return {key: data}


def _value(value: object) -> str:
    if value is None:
        return "not set"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:15] + '..."'  # a hash: its start tells them apart


def _differs(path: Path, data: dict, first_path: Path, first: dict, same=SAME) -> None:
    """Refuse ``data`` unless it has what ``same`` lists as ``first`` has it."""
    for key, what, fix in same:
        head, _, rest = key.partition(".")
        mine, theirs = (_flat(d[head][rest] if rest else d[head], key) for d in (data, first))
        for name in sorted(mine.keys() | theirs.keys()):
            if mine.get(name) != theirs.get(name):
                raise LeafletError(f"{path} and {first_path} were {what}: {name} is {_value(mine.get(name))} in "
                                   f"{path} and {_value(theirs.get(name))} in {first_path}; {fix}")


def merge(paths: list[Path]) -> dict:
    """One report from the reports of every shard of one catalogue build.

    Raises LeafletError, naming what is wrong, when a report is not a complete shard's report,
    the reports come from different builds (see :data:`SAME`), a shard is missing or given twice
    (a gap or an overlap), or a leaflet is in two reports or in none.
    """
    if not paths:
        raise LeafletError("give the build-report.json of every shard")
    raw = [(Path(p), read_json(Path(p))) for p in paths]
    for path, data in raw:
        if not isinstance(data, dict) or not isinstance(data.get("leaflets"), list):
            raise LeafletError(f"{path} is not a build report (no list of leaflets)")
        if not isinstance(data.get("shard"), dict):
            raise LeafletError(f"{path} is not a shard's report (it has no \"shard\" record): build with --shard K/N")
    first_path, first = raw[0]
    for path, data in raw[1:]:  # before the models: another version may write other fields
        _differs(path, {"tool": data.get("tool")}, first_path, {"tool": first.get("tool")}, SAME[:1])
    reports = [(path, _validated(path, data, ShardReport, "a complete report of a shard")) for path, data in raw]
    dumped = [(path, report.model_dump()) for path, report in reports]
    for path, data in dumped[1:]:
        _differs(path, data, dumped[0][0], dumped[0][1])
    total, expected = reports[0][1].shard.total, reports[0][1].shard.catalogue_hash
    seen: dict[int, Path] = {}
    for path, report in reports:
        index = report.shard.index
        if index in seen:
            raise LeafletError(f"overlap: shard {index}/{total} is given twice ({seen[index]} and {path})")
        seen[index] = path
    if len(seen) < total:  # the first ten, not a set of N: N comes from a file
        missing = list(itertools.islice((k for k in range(1, total + 1) if k not in seen), 10))
        more = total - len(seen) - len(missing)
        raise LeafletError(f"gap: the report of shard {', '.join(f'{k}/{total}' for k in missing)}"
                           f"{f' and {more} more' if more > 0 else ''} is missing; give all {total}")
    owner: dict[str, Path] = {}
    entries: list[LeafletEntry] = []
    for path, report in reports:
        for entry in report.leaflets:
            if entry.id in owner:
                raise LeafletError(f"overlap: {entry.id} is in {owner[entry.id]} and in {path}; "
                                   "were the shards built with the same times file?")
            owner[entry.id] = path
            entries.append(entry)
        if len(report.leaflets) != report.shard.leaflets:
            raise LeafletError(f"{path} lists {len(report.leaflets)} leaflets but its shard had "
                               f"{report.shard.leaflets}: the report is incomplete")
    catalogue = reports[0][1].shard.catalogue_leaflets
    if len(owner) != catalogue or catalogue_hash(owner) != expected:
        raise LeafletError(f"gap: the shards hold {len(owner)} leaflets, the catalogue has {catalogue}; were the "
                           "shards built with the same times file and the same project?")
    entries.sort(key=lambda e: e.id)
    counts = {s: sum(e.status == s for e in entries) for s in Counts.model_fields}
    shards = sorted((dict(data["shard"], seconds=data["seconds"]) for _, data in dumped), key=lambda s: s["index"])
    return {"tool": reports[0][1].tool, "seconds": max(s["seconds"] for s in shards), "counts": counts,
            "shards": shards, "leaflets": [e.model_dump() for e in entries]}
