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
number, N, the size of the whole catalogue and a hash of all its leaflet ids, how it was
balanced, and what the shards of one build share (:func:`identity`: the project's files and the
build's settings, hashed so that machines agree). :func:`leaflet_gen.pipeline.report.merge`
checks the reports against each other: the same leaflet-gen, project, settings and catalogue,
every shard once, no leaflet in two reports and none missing.

N is at most the size of the catalogue (a shard of nothing is a mistake, and the split holds a
list per shard); K and N are ASCII digits (``int()`` takes "²" and "٣" too).

This module never shapes a PDF (listed in ``inputs.CODE_NOT_SHAPING``), and imports nothing
heavy: ``build`` reads the shard from the environment before it knows whether it has to build.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from leaflet_gen import theme
from leaflet_gen.content.loaded import LeafletId
from leaflet_gen.errors import UsageProblem

# Where a shard can come from, in this order. The first one set wins.
SHARD_ENV = "LEAFLET_GEN_SHARD"  # "K/N", anywhere (GitHub Actions matrix, a shell)
GITLAB_ENV = ("CI_NODE_INDEX", "CI_NODE_TOTAL")  # GitLab `parallel: N`: 1..N and N
K8S_INDEX_ENV, TOTAL_ENV = "JOB_COMPLETION_INDEX", "LEAFLET_GEN_SHARD_TOTAL"  # Kubernetes Indexed Job: 0..N-1
# A number of a shard: ASCII digits, at most 30 of them (N is checked against the catalogue later).
_NUMBER = "[0-9]{1,30}"
# What the shards of one build must have read the same (see identity), besides the built-in theme.
IDENTITY_FOLDERS = ("content", "practices", "templates", "styles", "variants", "profiles", "fonts")


@dataclass(frozen=True)
class Shard:
    index: int  # 1..total
    total: int
    where: str = field(default="--shard", compare=False)  # the option or variable it came from

    def __str__(self) -> str:
        return f"{self.index}/{self.total}"


def _shown(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


def parse_shard(text: str, where: str = "--shard") -> Shard:
    """``K/N`` with 1 <= K <= N; a usage error naming ``where`` otherwise."""
    found = re.fullmatch(f"({_NUMBER})/({_NUMBER})", text.strip())
    if not (found and 1 <= int(found[1]) <= int(found[2])):
        raise UsageProblem(f'{where}: "{_shown(text)}" is not a shard; give K/N with 1 <= K <= N, like 2/4')
    return Shard(int(found[1]), int(found[2]), where)


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
        if not re.fullmatch(_NUMBER, index):
            raise UsageProblem(f'{K8S_INDEX_ENV}: "{_shown(index)}" is not a number')
        return parse_shard(f"{int(index) + 1}/{env[TOTAL_ENV]}", f"{K8S_INDEX_ENV}+1/{TOTAL_ENV}")
    return None


def leaflet_id(practice: str, topic: str, audience: str, variant: str, language: str = "nl") -> str:
    """A leaflet's id in a catalogue: the same in the jobs and in the reports (:attr:`LeafletId.name`)."""
    return LeafletId(practice, topic, audience, variant, language).name


def catalogue_hash(ids) -> str:
    return hashlib.sha256("\n".join(sorted(ids)).encode()).hexdigest()


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


def plan(shard: Shard, ids: list[str], times: Mapping[str, int] | None,
         same: dict | None = None) -> tuple[set[str], dict]:
    """This shard's leaflet ids, and the record its report keeps for merging (``times``: the
    milliseconds per leaflet id of an earlier report, :func:`leaflet_gen.pipeline.report.read_times`,
    or None to balance by count; ``same``: what the shards of one build share, see :func:`identity`).

    N larger than the catalogue is a usage error.
    """
    size = len(set(ids))
    if shard.total > max(size, 1):
        raise UsageProblem(f'{shard.where}: "{shard}" asks for {shard.total} shards, but the catalogue has '
                           f"{size} leaflets; give N of at most {max(size, 1)}")
    mine = split(ids, shard.total, times)[shard.index - 1]
    digest = hashlib.sha256(json.dumps(sorted(times.items())).encode()).hexdigest() if times else None
    return set(mine), {"index": shard.index, "total": shard.total, "catalogue_leaflets": size,
                       "catalogue_hash": catalogue_hash(set(ids)), "leaflets": len(mine),
                       "balanced_by": "times" if times else "count", "times_hash": digest, **(same or {})}


def identity(root: Path, request) -> dict:
    """What every shard of one build must share, beyond the catalogue: the project's files (a hash
    per folder of :data:`IDENTITY_FOLDERS`, by relative path and bytes, so machines agree), the
    built-in theme (likewise) and the settings (leaflet-gen.yml's bytes and the options that choose
    and shape the leaflets)."""
    from leaflet_gen.content.settings import SETTINGS_FILE
    from leaflet_gen.fingerprint import file_hash, tree

    def hashed(files, base: Path = root) -> str:
        digest = hashlib.sha256()
        for path in sorted(files):
            digest.update(f"{path.relative_to(base).as_posix()}\0{file_hash(path)}\0".encode())
        return digest.hexdigest()

    def file(path: str | Path | None) -> str | None:
        return file_hash(Path(path)) if path and Path(path).is_file() else None

    project = {name: hashed(tree(root / name, root)) if (root / name).is_dir() else None
               for name in IDENTITY_FOLDERS}
    project["built-in theme"] = hashed(theme.files(), theme.BUILTIN)
    settings = {"file": file(root / SETTINGS_FILE), "selection": request.kind, "variant": request.variant,
                "catalogue": file(request.catalogue), "icc_profile": file(request.icc_profile),
                "marks": request.marks}
    return {"project": project, "settings": settings}
