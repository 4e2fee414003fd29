"""Sharded catalogue builds: one catalogue split over N machines, and their reports merged.

A shard is ``K/N`` (K counts from 1). Every shard lists the whole catalogue the same way and keeps
its own part, so no machine needs to hear from another: the split is a pure function of the
leaflets' ids, N and (optionally) a times file, and the same inputs split the same way on every
machine. Balance: greedy longest first, each leaflet (slowest first, ties by id) into the shard
with the least work so far (ties by the lower shard number). Work is the leaflet's recorded build
time from a previous report when one is given (``--shard-times``), else 1 per leaflet (by count).

Why the times come from an explicit file and not from each shard's own last report: a shard's own
report only knows its own leaflets, and shards that balanced on different data would split
differently, leaving gaps and overlaps. For the same reason a changing times file moves
leaflets between shards (each then rebuilds what it did not have): CI should refresh it only
when the catalogue itself changes (see docs/ci.md).

Each shard's report (``build-report.json`` in its output folder) carries a ``shard`` record: its
number, N, the size of the whole catalogue and a hash of all its leaflet ids. :func:`merge`
checks the reports against each other: every shard once, the same catalogue, no leaflet in two
reports and none missing.

This module never shapes a PDF (listed in ``inputs.CODE_NOT_SHAPING``).
"""

from __future__ import annotations

import hashlib
import heapq
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from leaflet_gen.errors import LeafletError, UsageProblem

# Where a shard can come from, in this order. The first one set wins.
SHARD_ENV = "LEAFLET_GEN_SHARD"  # "K/N", anywhere (GitHub Actions matrix, a shell)
GITLAB_ENV = ("CI_NODE_INDEX", "CI_NODE_TOTAL")  # GitLab `parallel: N`: 1..N and N
K8S_INDEX_ENV, TOTAL_ENV = "JOB_COMPLETION_INDEX", "LEAFLET_GEN_SHARD_TOTAL"  # Kubernetes Indexed Job: 0..N-1


@dataclass(frozen=True)
class Shard:
    index: int  # 1..total
    total: int

    def __str__(self) -> str:
        return f"{self.index}/{self.total}"


def parse_shard(text: str, where: str = "--shard") -> Shard:
    """``K/N`` with 1 <= K <= N; a usage error naming ``where`` otherwise."""
    k, sep, n = text.strip().partition("/")
    if not (sep and k.isdigit() and n.isdigit() and 1 <= int(k) <= int(n)):
        raise UsageProblem(f'{where}: "{text}" is not a shard; give K/N with 1 <= K <= N, like 2/4')
    return Shard(int(k), int(n))


def shard_from_env(environ: Mapping[str, str] | None = None) -> Shard | None:
    """The shard a CI system or Kubernetes asks for, if any (see the module's constants)."""
    env = os.environ if environ is None else environ
    if env.get(SHARD_ENV):
        return parse_shard(env[SHARD_ENV], SHARD_ENV)
    index, total = (env.get(name) for name in GITLAB_ENV)
    if index and total:
        return parse_shard(f"{index}/{total}", "/".join(GITLAB_ENV))
    if env.get(K8S_INDEX_ENV):
        index = env[K8S_INDEX_ENV]
        if not env.get(TOTAL_ENV):
            raise UsageProblem(f"{K8S_INDEX_ENV} is set ({index}) but {TOTAL_ENV} is not: set it to the Job's "
                               "completions (the number of shards)")
        if not index.isdigit():
            raise UsageProblem(f'{K8S_INDEX_ENV}: "{index}" is not a number')
        return parse_shard(f"{int(index) + 1}/{env[TOTAL_ENV]}", f"{K8S_INDEX_ENV}+1/{TOTAL_ENV}")
    return None


def leaflet_id(practice: str, topic: str, audience: str, variant: str) -> str:
    """A leaflet's id in a catalogue: the same in the jobs and in the reports."""
    return f"{practice}/{topic}-{audience}-{variant}"


def catalogue_hash(ids) -> str:
    return hashlib.sha256("\n".join(sorted(ids)).encode()).hexdigest()


def read_times(path: Path) -> dict[str, int]:
    """Milliseconds per leaflet id from a report (a shard's or a merged one).

    Integers, so the split cannot depend on how floats add up. A leaflet that was skipped in
    that run counts with its last real build time (``build_seconds``).
    """
    data = _read_report(path)
    times = {}
    for e in data.get("leaflets", []):
        seconds = e.get("build_seconds") or e.get("seconds") or 0
        if seconds > 0:
            times[leaflet_id(e["practice"], e["topic"], e["audience"], e["variant"])] = round(seconds * 1000)
    return times


def split(ids: list[str], total: int, times: Mapping[str, int] | None = None) -> list[list[str]]:
    """``ids`` in ``total`` disjoint parts whose union is ``ids``: greedy longest first.

    A leaflet the times do not know (new since) counts as their median; without times every
    leaflet counts 1, which deals them out round-robin by id.
    """
    wanted = set(ids)
    known = sorted(t for i, t in times.items() if i in wanted) if times else []
    default = known[len(known) // 2] if known else 1
    weight = {i: (times.get(i, default) if times else 1) for i in ids}
    order = sorted(set(ids), key=lambda i: (-weight[i], i))
    heap = [(0, k) for k in range(total)]  # (load, shard index): ties go to the lower index
    parts: list[list[str]] = [[] for _ in range(total)]
    for i in order:
        load, k = heapq.heappop(heap)
        parts[k].append(i)
        heapq.heappush(heap, (load + weight[i], k))
    return [sorted(p) for p in parts]


def plan(shard: Shard, ids: list[str], times_file: str | Path | None) -> tuple[set[str], dict]:
    """This shard's leaflet ids, and the record its report keeps for :func:`merge`.

    A times file that does not exist (the first run in CI) means: balance by count.
    """
    times = read_times(Path(times_file)) if times_file and Path(times_file).is_file() else None
    mine = split(ids, shard.total, times)[shard.index - 1]
    digest = hashlib.sha256(json.dumps(sorted(times.items())).encode()).hexdigest() if times else None
    return set(mine), {"index": shard.index, "total": shard.total, "catalogue_leaflets": len(set(ids)),
                       "catalogue_hash": catalogue_hash(set(ids)), "leaflets": len(mine),
                       "balanced_by": "times" if times else "count", "times_hash": digest}


# --- merging reports ------------------------------------------------------------------------------

def _read_report(path: Path) -> dict:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise LeafletError(f"cannot read the report {path}: {exc.strerror}") from None
    except ValueError as exc:
        raise LeafletError(f"{path} is not a build report (not JSON: {exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("leaflets"), list):
        raise LeafletError(f"{path} is not a build report (no list of leaflets)")
    return data


def merge(paths: list[Path]) -> dict:
    """One report from the reports of every shard of one catalogue build.

    Raises LeafletError, naming what is wrong, when a report is not a shard's, the reports come
    from different catalogues or splits, a shard is missing or given twice (a gap or an
    overlap), or a leaflet is in two reports or in none.
    """
    reports = [(Path(p), _read_report(p)) for p in paths]
    if not reports:
        raise LeafletError("give the build-report.json of every shard")
    for path, data in reports:
        if not isinstance(data.get("shard"), dict):
            raise LeafletError(f"{path} is not a shard's report (it has no \"shard\" record): build with --shard K/N")
    first_path, first = reports[0]
    total, expected = first["shard"]["total"], first["shard"]["catalogue_hash"]
    seen: dict[int, Path] = {}
    for path, data in reports:
        s = data["shard"]
        if s.get("times_hash") != first["shard"].get("times_hash"):
            raise LeafletError(f"{path} and {first_path} were split with different build times "
                               f"({s['balanced_by']} vs {first['shard']['balanced_by']}), so their parts may "
                               "overlap or leave gaps: give every shard the same --shard-times file")
        if s["total"] != total or s["catalogue_hash"] != expected:
            raise LeafletError(f"{path} and {first_path} are shards of different catalogue builds "
                               f"({s['index']}/{s['total']} of {s['catalogue_leaflets']} leaflets vs "
                               f"{first['shard']['index']}/{total} of {first['shard']['catalogue_leaflets']}); "
                               "merge the reports of one run")
        if s["index"] in seen:
            raise LeafletError(f"overlap: shard {s['index']}/{total} is given twice ({seen[s['index']]} and {path})")
        seen[s["index"]] = path
    missing = sorted(set(range(1, total + 1)) - set(seen))
    if missing:
        raise LeafletError(f"gap: the report of shard {', '.join(f'{k}/{total}' for k in missing)} is missing; "
                           f"give all {total}")
    owner: dict[str, Path] = {}
    entries = []
    for path, data in reports:
        for e in data["leaflets"]:
            lid = leaflet_id(e["practice"], e["topic"], e["audience"], e["variant"])
            if lid in owner:
                raise LeafletError(f"overlap: {lid} is in {owner[lid]} and in {path}; "
                                   "were the shards built with the same times file?")
            owner[lid] = path
            entries.append(e)
        if len(data["leaflets"]) != data["shard"]["leaflets"]:
            raise LeafletError(f"{path} lists {len(data['leaflets'])} leaflets but its shard had "
                               f"{data['shard']['leaflets']}: the report is incomplete")
    if len(owner) != first["shard"]["catalogue_leaflets"] or catalogue_hash(owner) != expected:
        raise LeafletError(f"gap: the shards hold {len(owner)} leaflets, the catalogue has "
                           f"{first['shard']['catalogue_leaflets']}; were the shards built with the same "
                           "times file and the same project?")
    entries.sort(key=lambda e: leaflet_id(e["practice"], e["topic"], e["audience"], e["variant"]))
    counts = {s: sum(e["status"] == s for e in entries) for s in ("built", "skipped", "failed")}
    shards = sorted((dict(data["shard"], seconds=data.get("seconds", 0.0)) for _, data in reports),
                    key=lambda s: s["index"])
    return {"tool": first.get("tool"), "seconds": max(s["seconds"] for s in shards), "counts": counts,
            "shards": shards, "leaflets": entries}
