"""Sharded catalogue builds: the split, the shard from the environment, 3 local shards against one
build (disjoint, complete, the same bytes, incremental), and merging their reports."""

from __future__ import annotations

import json

import pytest
from test_catalogue import two_audiences  # noqa: F401 (a fixture)

from leaflet_gen.errors import LeafletError, UsageProblem
from leaflet_gen.pipeline import shards
from leaflet_gen.pipeline.shards import Shard

IDS = [f"p{p}/topic-fysiotherapie-{v}" for p in range(7) for v in ("trifold", "screen", "office")]


@pytest.mark.parametrize("total", [1, 2, 3, 4, 5, 30])
def test_split_is_disjoint_complete_and_even_by_count(total):
    parts = shards.split(IDS, total)
    flat = [i for part in parts for i in part]
    assert sorted(flat) == sorted(IDS) and len(flat) == len(set(flat))
    sizes = [len(p) for p in parts]
    assert max(sizes) - min(sizes) <= 1
    assert shards.split(list(reversed(IDS)), total) == parts  # the order the jobs were listed in does not matter


def test_split_by_times_is_greedy_longest_first():
    times = {"a": 50, "b": 40, "c": 30, "d": 20, "e": 10, "f": 10}
    # a->1, b->2, c->2 (40 < 50), d->1 (70 vs 70: lower shard), e->1? loads 70/70 -> 1, then f -> 2
    assert shards.split(list(times), 2, times) == [["a", "d", "e"], ["b", "c", "f"]]
    # A leaflet the times do not know counts as their median (30 here, from 6 values: index 3 = 30).
    parts = shards.split([*times, "new"], 2, times)
    assert sorted(parts[0] + parts[1]) == sorted([*times, "new"])


def test_split_by_times_balances_what_count_cannot():
    times = {f"slow{i}": 1000 for i in range(4)} | {f"fast{i}": 100 for i in range(20)}
    loads = [sum(times[i] for i in part) for part in shards.split(list(times), 4, times)]
    assert max(loads) <= 1.15 * (sum(loads) / 4)


@pytest.mark.parametrize(("text", "shard"), [("1/1", Shard(1, 1)), (" 3/4 ", Shard(3, 4))])
def test_parse_shard(text, shard):
    assert shards.parse_shard(text) == shard


@pytest.mark.parametrize("text", ["0/3", "4/3", "3", "a/b", "1/0", "-1/3", ""])
def test_parse_shard_refuses(text):
    with pytest.raises(UsageProblem, match="K/N with 1 <= K <= N"):
        shards.parse_shard(text)


@pytest.mark.parametrize(("env", "shard"), [
    ({}, None),
    ({"LEAFLET_GEN_SHARD": "2/5", "CI_NODE_INDEX": "1", "CI_NODE_TOTAL": "3"}, Shard(2, 5)),
    ({"CI_NODE_INDEX": "3", "CI_NODE_TOTAL": "3"}, Shard(3, 3)),
    ({"JOB_COMPLETION_INDEX": "0", "LEAFLET_GEN_SHARD_TOTAL": "4"}, Shard(1, 4)),
    ({"JOB_COMPLETION_INDEX": "3", "LEAFLET_GEN_SHARD_TOTAL": "4"}, Shard(4, 4)),
])
def test_shard_from_env(env, shard):
    assert shards.shard_from_env(env) == shard


def test_shard_from_env_needs_the_total_for_kubernetes():
    with pytest.raises(UsageProblem, match="LEAFLET_GEN_SHARD_TOTAL is not"):
        shards.shard_from_env({"JOB_COMPLETION_INDEX": "1"})
    with pytest.raises(UsageProblem, match="JOB_COMPLETION_INDEX\\+1/LEAFLET_GEN_SHARD_TOTAL"):
        shards.shard_from_env({"JOB_COMPLETION_INDEX": "4", "LEAFLET_GEN_SHARD_TOTAL": "4"})


def _report(out):
    return json.loads((out / "build-report.json").read_text())


def _files(out):
    return {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()
            and p.name not in ("build-report.json", ".leaflet-gen-cache.json")}


def test_three_shards_make_the_same_leaflets_as_one_build(two_audiences, tmp_path):  # noqa: F811
    mini = two_audiences
    whole = mini.run("build", "--all", "--output", str(tmp_path / "whole"))
    assert whole.exit_code == 0, whole.output
    whole_ids = {shards.leaflet_id(e["practice"], e["topic"], e["audience"], e["variant"])
                 for e in _report(tmp_path / "whole")["leaflets"]}
    assert len(whole_ids) == 8  # 2 audiences x 4 variants

    reports, parts = [], []
    for k in (1, 2, 3):
        out = tmp_path / f"shard{k}"
        result = mini.run("build", "--all", "--shard", f"{k}/3", "--output", str(out))
        assert result.exit_code == 0, result.output
        report = _report(out)
        assert report["shard"]["index"] == k and report["shard"]["balanced_by"] == "count"
        parts.append({shards.leaflet_id(e["practice"], e["topic"], e["audience"], e["variant"])
                      for e in report["leaflets"]})
        reports.append(out / "build-report.json")
    assert sorted(map(len, parts)) == [2, 3, 3]
    assert parts[0].isdisjoint(parts[1]) and parts[0].isdisjoint(parts[2]) and parts[1].isdisjoint(parts[2])
    assert parts[0] | parts[1] | parts[2] == whole_ids

    # The same bytes: PDFs, job sheets, nothing more and nothing less.
    together = {}
    for k in (1, 2, 3):
        together.update(_files(tmp_path / f"shard{k}"))
    assert together == _files(tmp_path / "whole")

    merged = mini.run("report", "merge", *map(str, reversed(reports)), "-o", str(tmp_path / "merged.json"))
    assert merged.exit_code == 0, merged.output
    assert "8 leaflets from 3 shards: 8 built, 0 unchanged, 0 failed" in merged.stderr
    data = json.loads((tmp_path / "merged.json").read_text())
    assert [s["index"] for s in data["shards"]] == [1, 2, 3]
    assert data["counts"] == {"built": 8, "skipped": 0, "failed": 0}
    assert {shards.leaflet_id(e["practice"], e["topic"], e["audience"], e["variant"])
            for e in data["leaflets"]} == whole_ids

    # Incremental per shard: its own cache, nothing to do the second time.
    again = mini.run("build", "--all", "--shard", "2/3", "--output", str(tmp_path / "shard2"))
    assert "0 built" in again.stderr and _report(tmp_path / "shard2")["shard"]["index"] == 2
    # An edit to one leaflet's text rebuilds it only in the shard that holds it.
    mini.write("content/demo/ortho-uitleg.yaml",
               "title: Wat is lage rugpijn?\nblocks:\n  - type: paragraph\n    text: \"U hebt pijn laag in uw rug.\"\n")
    built = 0
    for k in (1, 2, 3):
        mini.run("build", "--all", "--shard", f"{k}/3", "--output", str(tmp_path / f"shard{k}"))
        built += _report(tmp_path / f"shard{k}")["counts"]["built"]
    assert built == 4  # orthopedie x 4 variants, each in one shard only

    # Balanced by the merged report's times: still disjoint and complete, recorded as such.
    parts = []
    for k in (1, 2, 3):
        out = tmp_path / f"timed{k}"
        mini.run("build", "--all", "--shard", f"{k}/3", "--shard-times", str(tmp_path / "merged.json"),
                 "--output", str(out))
        assert _report(out)["shard"]["balanced_by"] == "times"
        parts.append({e["output"].rsplit("/", 1)[1] for e in _report(out)["leaflets"]})
    assert sum(map(len, parts)) == 8 and len(parts[0] | parts[1] | parts[2]) == 8


def test_merge_fails_on_a_gap_or_an_overlap(two_audiences, tmp_path):  # noqa: F811
    mini = two_audiences
    reports = []
    for k in (1, 2):
        out = tmp_path / f"shard{k}"
        assert mini.run("build", "--catalogue", str(mini.root / "catalogue.yaml"), "--shard", f"{k}/2",
                        "--output", str(out)).exit_code == 0
        reports.append(str(out / "build-report.json"))
    target = tmp_path / "merged.json"

    gap = mini.run("report", "merge", reports[0], "-o", str(target))
    assert gap.exit_code == 1 and not target.exists()
    assert "gap: the report of shard 2/2 is missing; give all 2" in gap.stderr

    twice = mini.run("report", "merge", reports[0], reports[0], "-o", str(target))
    assert twice.exit_code == 1 and "overlap: shard 1/2 is given twice" in twice.stderr

    # A leaflet in two reports (a report edited, or shards split differently).
    data = json.loads(open(reports[1]).read())
    data["leaflets"].append(json.loads(open(reports[0]).read())["leaflets"][0])
    data["shard"]["leaflets"] += 1
    (tmp_path / "bad.json").write_text(json.dumps(data))
    overlap = mini.run("report", "merge", reports[0], str(tmp_path / "bad.json"), "-o", str(target))
    assert overlap.exit_code == 1 and "overlap: test/demo-" in overlap.stderr

    # A leaflet in no report.
    data = json.loads(open(reports[1]).read())
    data["leaflets"].pop()
    data["shard"]["leaflets"] -= 1
    (tmp_path / "short.json").write_text(json.dumps(data))
    short = mini.run("report", "merge", reports[0], str(tmp_path / "short.json"), "-o", str(target))
    assert short.exit_code == 1 and "gap: the shards hold 3 leaflets, the catalogue has 4" in short.stderr

    whole = tmp_path / "whole"
    mini.run("build", "--catalogue", str(mini.root / "catalogue.yaml"), "--output", str(whole))
    unsharded = mini.run("report", "merge", str(whole / "build-report.json"), "-o", str(target))
    assert unsharded.exit_code == 1 and "is not a shard's report" in unsharded.stderr
    assert not target.exists()

    assert mini.run("report", "merge", *reports, "-o", str(target)).exit_code == 0
    assert json.loads(target.read_text())["counts"]["built"] == 4


def test_merge_refuses_reports_split_with_different_times(tmp_path):
    def report(index, times_hash):
        return {"shard": {"index": index, "total": 2, "catalogue_leaflets": 2, "leaflets": 1, "catalogue_hash": "x",
                          "balanced_by": "times" if times_hash else "count", "times_hash": times_hash},
                "leaflets": []}
    (tmp_path / "a.json").write_text(json.dumps(report(1, None)))
    (tmp_path / "b.json").write_text(json.dumps(report(2, "abc")))
    with pytest.raises(LeafletError, match="give every shard the same --shard-times file"):
        shards.merge([tmp_path / "a.json", tmp_path / "b.json"])


def test_shard_usage_errors(mini, tmp_path):
    bad = mini.run("build", "--all", "--shard", "4/3", "--output", str(tmp_path))
    assert bad.exit_code == 2 and 'K/N with 1 <= K <= N' in bad.stderr
    single = mini.run("build", "--practice", "test", "--shard", "1/2", "--output", str(tmp_path))
    assert single.exit_code == 2 and "--shard splits a catalogue build" in single.stderr
    alone = mini.run("build", "--all", "--shard-times", "x.json", "--output", str(tmp_path))
    assert alone.exit_code == 2 and "give --shard K/N too" in alone.stderr


def test_shard_from_the_environment(mini, tmp_path):
    from click.testing import CliRunner

    from leaflet_gen.cli import cli

    result = CliRunner().invoke(cli, ["--project", str(mini.root), "build", "--all", "--output", str(tmp_path)],
                                env={"LEAFLET_GEN_SHARD": "2/2"})
    assert result.exit_code == 0, result.output
    assert _report(tmp_path)["shard"]["index"] == 2
    bad = CliRunner().invoke(cli, ["--project", str(mini.root), "build", "--all", "--output", str(tmp_path)],
                             env={"JOB_COMPLETION_INDEX": "x", "LEAFLET_GEN_SHARD_TOTAL": "2"})
    assert bad.exit_code == 2 and 'JOB_COMPLETION_INDEX: "x" is not a number' in bad.stderr
