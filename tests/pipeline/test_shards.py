"""Sharded catalogue builds: the split, the shard from the environment, 3 local shards against one
build (disjoint, complete, the same bytes, incremental), and merging their reports."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from helpers import variant_ids
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_catalogue import two_audiences  # noqa: F401 (a fixture)

from leaflet_gen.content.loaded import LeafletId
from leaflet_gen.errors import LeafletError, UsageProblem
from leaflet_gen.pipeline import report, shards
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


@pytest.mark.parametrize("text", ["0/3", "4/3", "3", "a/b", "1/0", "-1/3", "", "-1/-1", "+1/2", "1 /2", "1/ 2",
                                  "1/2/3", "1.0/2", "1_0/20", "0x1/2", "²/²", "1/²", "٣/٣", "１/２", "1\x00/2",
                                  "9" * 5000 + "/1", "1/" + "9" * 5000, "9" * 31 + "/" + "9" * 31])
def test_parse_shard_refuses(text):
    with pytest.raises(UsageProblem, match="K/N with 1 <= K <= N") as refused:
        shards.parse_shard(text)
    assert len(str(refused.value)) < 120  # a long text is shortened


def test_parse_shard_message():
    with pytest.raises(UsageProblem) as refused:
        shards.parse_shard("²/²")
    assert str(refused.value) == '--shard: "²/²" is not a shard; give K/N with 1 <= K <= N, like 2/4'
    with pytest.raises(UsageProblem) as refused:
        shards.parse_shard("1" * 50 + "/2", "LEAFLET_GEN_SHARD")
    assert str(refused.value) == (f'LEAFLET_GEN_SHARD: "{"1" * 37}..." is not a shard; give K/N with 1 <= K <= N, '
                                  "like 2/4")


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=12), st.builds("{}/{}".format, st.integers(-3, 10**40), st.integers(-3, 10**40)),
                 st.builds("{}/{}".format, st.text(st.characters(categories=["Nd", "No"]), min_size=1, max_size=3),
                           st.text(st.characters(categories=["Nd", "No"]), min_size=1, max_size=3))))
def test_parse_shard_gives_a_shard_or_a_usage_error(text):
    try:
        shard = shards.parse_shard(text)
    except UsageProblem:
        return
    assert 1 <= shard.index <= shard.total and str(shard) == text.strip()
    assert text.strip().isascii()


@pytest.mark.parametrize(("env", "shard"), [
    ({}, None),
    ({"LEAFLET_GEN_SHARD": "2/5", "CI_NODE_INDEX": "1", "CI_NODE_TOTAL": "3"}, Shard(2, 5)),
    ({"CI_NODE_INDEX": "3", "CI_NODE_TOTAL": "3"}, Shard(3, 3)),
    ({"JOB_COMPLETION_INDEX": "0", "LEAFLET_GEN_SHARD_TOTAL": "4"}, Shard(1, 4)),
    ({"JOB_COMPLETION_INDEX": "3", "LEAFLET_GEN_SHARD_TOTAL": "4"}, Shard(4, 4)),
])
def test_shard_from_env(env, shard):
    assert shards.shard_from_env(env) == shard


@pytest.mark.parametrize(("env", "message"), [
    ({"JOB_COMPLETION_INDEX": "²", "LEAFLET_GEN_SHARD_TOTAL": "4"}, 'JOB_COMPLETION_INDEX: "²" is not a number'),
    ({"JOB_COMPLETION_INDEX": "9" * 5000, "LEAFLET_GEN_SHARD_TOTAL": "4"},
     f'JOB_COMPLETION_INDEX: "{"9" * 37}..." is not a number'),
    ({"CI_NODE_INDEX": "²", "CI_NODE_TOTAL": "3"},
     'CI_NODE_INDEX/CI_NODE_TOTAL: "²/3" is not a shard; give K/N with 1 <= K <= N, like 2/4'),
    ({"LEAFLET_GEN_SHARD": " 1/0"}, 'LEAFLET_GEN_SHARD: " 1/0" is not a shard; give K/N with 1 <= K <= N, like 2/4'),
])
def test_shard_from_env_refuses(env, message):
    with pytest.raises(UsageProblem) as refused:
        shards.shard_from_env(env)
    assert str(refused.value) == message


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
    variants = len(variant_ids(mini.root))
    leaflets = 2 * variants  # 2 audiences x every variant
    assert len(whole_ids) == leaflets

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
    assert sorted(map(len, parts)) == sorted(leaflets // 3 + (k < leaflets % 3) for k in range(3))
    assert parts[0].isdisjoint(parts[1]) and parts[0].isdisjoint(parts[2]) and parts[1].isdisjoint(parts[2])
    assert parts[0] | parts[1] | parts[2] == whole_ids

    # The same bytes: PDFs, job sheets, nothing more and nothing less.
    together = {}
    for k in (1, 2, 3):
        together.update(_files(tmp_path / f"shard{k}"))
    assert together == _files(tmp_path / "whole")

    merged = mini.run("report", "merge", *map(str, reversed(reports)), "-o", str(tmp_path / "merged.json"))
    assert merged.exit_code == 0, merged.output
    assert f"{leaflets} leaflets from 3 shards: {leaflets} built, 0 unchanged, 0 failed" in merged.stderr
    data = json.loads((tmp_path / "merged.json").read_text())
    assert [s["index"] for s in data["shards"]] == [1, 2, 3]
    assert data["counts"] == {"built": leaflets, "skipped": 0, "failed": 0}
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
    assert built == variants  # orthopedie x every variant, each in one shard only

    # Balanced by the merged report's times: still disjoint and complete, recorded as such.
    parts = []
    for k in (1, 2, 3):
        out = tmp_path / f"timed{k}"
        mini.run("build", "--all", "--shard", f"{k}/3", "--shard-times", str(tmp_path / "merged.json"),
                 "--output", str(out))
        assert _report(out)["shard"]["balanced_by"] == "times"
        parts.append({e["output"].rsplit("/", 1)[1] for e in _report(out)["leaflets"]})
    assert sum(map(len, parts)) == leaflets and len(parts[0] | parts[1] | parts[2]) == leaflets


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
    data["counts"]["built"] += 1
    (tmp_path / "bad.json").write_text(json.dumps(data))
    overlap = mini.run("report", "merge", reports[0], str(tmp_path / "bad.json"), "-o", str(target))
    assert overlap.exit_code == 1 and "overlap: test/demo-" in overlap.stderr

    # A leaflet in no report.
    data = json.loads(open(reports[1]).read())
    data["leaflets"].pop()
    data["shard"]["leaflets"] -= 1
    data["counts"]["built"] -= 1
    (tmp_path / "short.json").write_text(json.dumps(data))
    short = mini.run("report", "merge", reports[0], str(tmp_path / "short.json"), "-o", str(target))
    assert short.exit_code == 1 and "gap: the shards hold 3 leaflets, the catalogue has 4" in short.stderr

    whole = tmp_path / "whole"
    mini.run("build", "--catalogue", str(mini.root / "catalogue.yaml"), "--output", str(whole))
    unsharded = mini.run("report", "merge", str(whole / "build-report.json"), "-o", str(target))
    assert unsharded.exit_code == 1 and "is not a shard's report" in unsharded.stderr
    assert not target.exists()

    # Shards of one catalogue, but built with other options or from other files: not one build.
    other = tmp_path / "other2"
    assert mini.run("build", "--catalogue", str(mini.root / "catalogue.yaml"), "--shard", "2/2", "--no-marks",
                    "--output", str(other)).exit_code == 0
    settings = mini.run("report", "merge", reports[0], str(other / "build-report.json"), "-o", str(target))
    assert settings.exit_code == 1 and not target.exists()
    assert settings.stderr == (f"Error: {other}/build-report.json and {reports[0]} were built with different settings: "
                               f"shard.settings.marks is false in {other}/build-report.json and not set in "
                               f"{reports[0]}; build every shard with the same options and leaflet-gen.yml\n")
    mini.write("content/demo/uitleg.yaml", "title: Anders\nblocks:\n  - type: paragraph\n    text: \"Nieuw.\"\n")
    assert mini.run("build", "--catalogue", str(mini.root / "catalogue.yaml"), "--shard", "2/2",
                    "--output", str(other)).exit_code == 0
    project = mini.run("report", "merge", reports[0], str(other / "build-report.json"), "-o", str(target))
    assert project.exit_code == 1 and not target.exists()
    assert "were built from different project files: shard.project.content is " in project.stderr
    assert project.stderr.endswith("; build every shard from the same checkout\n")

    assert mini.run("report", "merge", *reports, "-o", str(target)).exit_code == 0
    assert json.loads(target.read_text())["counts"]["built"] == 4


def _reports(total: int = 2) -> list[dict]:
    """Complete reports of every shard of a catalogue of 6 leaflets, as sharded builds write them
    (no build: the merge tests need only their JSON)."""
    from leaflet_gen.pipeline.catalogue import CatalogueReport, Entry

    same = {"project": {name: "a" * 64 for name in shards.IDENTITY_FOLDERS},
            "settings": {"file": "b" * 64, "selection": "all", "variant": None, "catalogue": None,
                         "icc_profile": None, "marks": None}}
    made = []
    for k in range(1, total + 1):
        mine, record = shards.plan(Shard(k, total), IDS[:6], None, same)
        entries = []
        for lid in sorted(mine):
            practice, rest = lid.split("/")
            topic, audience, variant = rest.split("-")
            entries.append(Entry(LeafletId(practice, topic, audience, variant), "built", f"out/{lid}.pdf", "k" * 64, seconds=0.5,
                                 build_seconds=0.5, warnings=["a concept"]))
        made.append(json.loads(json.dumps(CatalogueReport(entries, seconds=1.5, shard=record).as_dict())))
    return made


def _write(tmp_path, reports) -> list[str]:
    paths = []
    for k, data in enumerate(reports, 1):
        (tmp_path / f"{k}.json").write_text(data if isinstance(data, str) else json.dumps(data))
        paths.append(str(tmp_path / f"{k}.json"))
    return paths


def test_merge_of_complete_reports(tmp_path):
    merged = report.merge(_write(tmp_path, reversed(_reports(3))))
    assert merged["counts"] == {"built": 6, "skipped": 0, "failed": 0}
    assert [s["index"] for s in merged["shards"]] == [1, 2, 3] and merged["seconds"] == 1.5
    assert merged["shards"][0]["project"]["content"] == "a" * 64
    assert len(merged["leaflets"]) == 6 and merged["leaflets"][0]["warnings"] == ["a concept"]
    # The merged report balances the next run's shards.
    assert report.read_times(Path(_write(tmp_path, [merged])[0])) == {lid: 500 for lid in IDS[:6]}


def test_the_report_model_has_the_fields_of_a_report_entry():
    from leaflet_gen.pipeline.catalogue import Entry

    written = Entry(LeafletId("p", "t", "a", "v"), "built", "out/p/t-a-v.pdf", "k").as_dict()
    assert list(report.LeafletEntry.model_fields) == list(written)
    assert Entry.from_dict(written) == Entry(LeafletId("p", "t", "a", "v"), "built", "out/p/t-a-v.pdf", "k")


def _set(key: str, value):
    """A change to a report: ``value`` at the dotted ``key`` (None: the key removed)."""
    def change(data: dict) -> None:
        *parents, last = key.split(".")
        for part in parents:
            data = data[int(part)] if part.isdigit() else data[part]
        if value is None:
            del data[int(last) if last.isdigit() else last]
        else:
            data[int(last) if last.isdigit() else last] = value
    return change


@pytest.mark.parametrize(("change", "message"), [
    (_set("tool", "leaflet-gen 0.0.1"), '{b} and {a} were made by different versions of leaflet-gen: tool is '
     '"leaflet-gen 0.0.1" in {b} and "leaflet-gen {version}" in {a}; build every shard with the same leaflet-gen'),
    (_set("shard.project.content", "c" * 64), "{b} and {a} were built from different project files: "
     'shard.project.content is "cccccccccccccc..." in {b} and "aaaaaaaaaaaaaa..." in {a}; build every shard '
     "from the same checkout"),
    (_set("shard.project", None), "{b} and {a} were built from different project files: shard.project.content is "
     'not set in {b} and "aaaaaaaaaaaaaa..." in {a}; build every shard from the same checkout'),
    (_set("shard.settings.marks", False), "{b} and {a} were built with different settings: shard.settings.marks "
     "is false in {b} and not set in {a}; build every shard with the same options and leaflet-gen.yml"),
    (_set("shard.settings.selection", "catalogue"), "{b} and {a} were built with different settings: "
     'shard.settings.selection is "catalogue" in {b} and "all" in {a}; build every shard with the same options '
     "and leaflet-gen.yml"),
    (lambda data: data["shard"].update(balanced_by="times", times_hash="d" * 64), "{b} and {a} were split with "
     'different build times: shard.times_hash is "dddddddddddddd..." in {b} and not set in {a}; give every '
     "shard the same --shard-times file"),
    (_set("shard.total", 3), "{b} and {a} were split into different numbers of shards: shard.total is 3 in {b} "
     "and 2 in {a}; merge the reports of one run"),
    (_set("shard.catalogue_hash", "e" * 64), "{b} and {a} were shards of different catalogues: "
     'shard.catalogue_hash is "eeeeeeeeeeeeee..." in {b} and "'),
])
def test_merge_refuses_reports_of_different_builds(tmp_path, change, message):
    from leaflet_gen import __version__

    a, b, refused = _merge_changed(tmp_path, change)
    assert refused.startswith(message.format(a=a, b=b, version=__version__))


def _merge_changed(tmp_path, change) -> tuple[str, str, str]:
    """The paths of two shards' reports, the second changed by ``change``, and why merge refuses them."""
    first, second = _reports()
    change(second)
    a, b = _write(tmp_path, [first, second])
    with pytest.raises(LeafletError) as refused:
        report.merge([Path(a), Path(b)])
    return a, b, str(refused.value)


DAMAGED = "{b} is not a complete report of a shard; a damaged or edited copy? Build that shard again, or copy its " \
          "build-report.json again"


@pytest.mark.parametrize(("change", "problems"), [
    (_set("leaflets.0.status", "done"), ["leaflets[0].status: expected one of 'built', 'skipped' or 'failed', got "
                                         '"done"']),
    (_set("leaflets.1.input_key", None), ["leaflets[1].input_key: required key is missing"]),
    (_set("leaflets.0.stauts", "built"), ["leaflets[0].stauts: unknown key"]),
    (_set("leaflets.0.seconds", -1), ["leaflets[0].seconds: expected a number greater than or equal to 0, got -1"]),
    (_set("leaflets.0.warnings", "x"), ['leaflets[0].warnings: expected a list, got "x"']),
    (_set("shard.index", "2"), ['shard.index: expected a whole number, got "2"']),
    (_set("shard.index", True), ["shard.index: expected a whole number, got True"]),
    (_set("shard.index", 3), ["shard: shard 3/2: K is larger than N"]),
    (_set("shard.total", 10**15), ["shard: 1000000000000000 shards of a catalogue of 6 leaflets"]),
    (_set("shard.catalogue_leaflets", 10**12), ["shard.catalogue_leaflets: expected a number less than or equal "
                                                "to 1000000000, got 1000000000000"]),
    (_set("shard.settings", []), ["shard.settings: expected an object, got a list"]),
    (_set("counts.built", 5), ["counts.built is 5, but 3 leaflets have the status built"]),
    (_set("seconds", float("nan")), ["seconds: expected a finite number, got nan"]),
    (_set("leaflets.0", None), ["counts.built is 3, but 2 leaflets have the status built"]),
])
def test_merge_names_what_is_wrong_in_a_damaged_report(tmp_path, change, problems):
    _, b, refused = _merge_changed(tmp_path, change)
    assert refused.splitlines() == [f"{b} {p}" for p in problems] + [DAMAGED.format(b=b)]


def _truncated() -> str:
    return json.dumps(_reports()[1], indent=2)[:700]


@pytest.mark.parametrize(("content", "message"), [
    ("", "{b}:1:1: not a build report: Expecting value; a truncated or damaged copy? Copy the shard's "
         "build-report.json again"),
    (_truncated, "{b}:{line}:{column}: not a build report: {reason}; a truncated or damaged copy? Copy the "
                 "shard's build-report.json again"),
    (b"\xff{}", "{b} is not a build report: not UTF-8 text (byte 1)"),
    ("[" * 100_000, "{b} is not a build report: its lists or objects are nested too deeply"),
    ('{"tool": ' + "1" * 5000 + "}", "{b} is not a build report: it holds a number of more than 4,300 digits"),
    ("[]", "{b} is not a build report (no list of leaflets)"),
    ('{"leaflets": []}', '{b} is not a shard\'s report (it has no "shard" record): build with --shard K/N'),
    ("folder", "{b} is a folder, not a build report: give the build-report.json in it"),
    ("fifo", "{b} is not a regular file (a pipe, device or socket): give a build-report.json"),
    ("huge", "{b} is larger than 32 MiB: not a build report (one of 10,000 leaflets has ~6 MiB)"),
    ("missing", "cannot read the report {b}: No such file or directory"),
])
def test_merge_refuses_what_is_not_a_report(tmp_path, content, message):
    a, b = _write(tmp_path, _reports())
    Path(b).unlink()
    details = {}
    if content == "folder":
        Path(b).mkdir()
    elif content == "fifo":
        os.mkfifo(b)  # nobody writes to it: reading it would wait for ever
    elif content == "huge":
        with open(b, "wb") as fh:
            fh.truncate(33 * 2**20)  # sparse: nothing written
    elif callable(content):
        text = content()
        Path(b).write_text(text)
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            details = {"line": exc.lineno, "column": exc.colno, "reason": exc.msg}
    elif content != "missing":
        Path(b).write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(LeafletError) as refused:
        report.merge([Path(a), Path(b)])
    assert str(refused.value) == message.format(b=b, **details)


def test_merge_names_the_first_missing_shards_without_counting_to_n(tmp_path):
    data = _reports()[0]
    data["shard"].update(total=10**9, catalogue_leaflets=10**9)
    with pytest.raises(LeafletError) as refused:
        report.merge(_write(tmp_path, [data]))
    assert str(refused.value) == ("gap: the report of shard " + ", ".join(f"{k}/1000000000" for k in range(2, 12))
                                  + " and 999999989 more is missing; give all 1000000000")


def _mutated(reports: list[dict], where: list, value, cut: int | None) -> list:
    """``reports`` with ``value`` put at the path ``where`` picks (None: that key removed) or
    the second report's text cut at ``cut``."""
    data = reports[where[0] % len(reports)]
    for pick in where[1:]:
        if not isinstance(data, (dict, list)) or not data:
            break
        keys = list(data) if isinstance(data, dict) else list(range(len(data)))
        key = keys[pick % len(keys)]
        if not isinstance(data[key], (dict, list)) or pick % 3 == 0:
            if value is None:
                del data[key]
            else:
                data[key] = value
            break
        data = data[key]
    if cut is not None:
        return [reports[0], json.dumps(reports[1])[:cut]]
    return reports


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.integers(0, 30), min_size=2, max_size=5),
       st.one_of(st.none(), st.sampled_from(["", "x", "built", "done", -1, 0, 1, 2, 10**30, 1e308, True, [], {},
                                             [1], {"a": 1}, "a" * 64, "0/2"])),
       st.one_of(st.none(), st.integers(0, 2000)))
def test_merge_of_a_changed_report_merges_or_says_what_is_wrong(tmp_path, where, value, cut):
    reports = _mutated(_reports(), where, value, cut)
    try:
        merged = report.merge(_write(tmp_path, reports))
    except LeafletError as exc:
        assert str(exc) and "Traceback" not in str(exc)
        return
    assert sum(merged["counts"].values()) == len(merged["leaflets"])


def test_shard_usage_errors(mini, tmp_path):
    bad = mini.run("build", "--all", "--shard", "4/3", "--output", str(tmp_path))
    assert bad.exit_code == 2 and 'K/N with 1 <= K <= N' in bad.stderr
    for shard in ("²/²", "1/" + "9" * 5000, " 1 / 2", "-1/2"):
        unicode = mini.run("build", "--all", "--shard", shard, "--output", str(tmp_path))
        assert unicode.exit_code == 2, unicode.output
        assert unicode.stderr.endswith(f'Error: --shard: "{shard if len(shard) <= 40 else shard[:37] + "..."}" is '
                                       "not a shard; give K/N with 1 <= K <= N, like 2/4\n")
    # N larger than the catalogue (4 leaflets): refused before anything is split (no list per shard).
    for shard in ("1/99999999999999999999", "5/5", "1/5"):
        huge = mini.run("build", "--all", "--shard", shard, "--output", str(tmp_path))
        assert huge.exit_code == 2, huge.output
        assert huge.stderr.startswith("Usage: cli build [OPTIONS]")  # a Click usage error
        assert huge.stderr.endswith(f'Error: --shard: "{shard}" asks for {shard.split("/")[1]} shards, but the '
                                    "catalogue has 4 leaflets; give N of at most 4\n")
    assert not list(tmp_path.rglob("*.pdf"))
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
    many = CliRunner().invoke(cli, ["--project", str(mini.root), "build", "--all", "--output", str(tmp_path)],
                              env={"LEAFLET_GEN_SHARD": "5/5"})
    assert many.exit_code == 2 and many.stderr.endswith(
        'Error: LEAFLET_GEN_SHARD: "5/5" asks for 5 shards, but the catalogue has 4 leaflets; give N of at most 4\n')


def test_what_is_not_a_report_given_to_the_cli(mini, tmp_path):
    """Folders, pipes and damaged reports as ``report merge`` or ``--shard-times`` input: exit 1, a
    message naming the file, never a wait or a traceback."""
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "folder").mkdir()
    a, b = _write(tmp_path, _reports())
    data = json.loads(Path(b).read_text())
    data["leaflets"][0]["status"] = "done"
    Path(b).write_text(json.dumps(data))
    for name, message in ((tmp_path / "fifo", "is not a regular file (a pipe, device or socket): give a "
                           "build-report.json"),
                          (tmp_path / "folder", "is a folder, not a build report: give the build-report.json in it")):
        merge = mini.run("report", "merge", a, str(name), "-o", str(tmp_path / "merged.json"))
        assert merge.exit_code == 1 and merge.stderr == f"Error: {name} {message}\n"
        times = mini.run("build", "--all", "--shard", "1/2", "--shard-times", str(name), "--output", str(tmp_path))
        assert times.exit_code == 1 and times.stderr.endswith(f"Error: {name} {message}\n")
    merge = mini.run("report", "merge", a, b, "-o", str(tmp_path / "merged.json"))
    assert merge.exit_code == 1 and merge.stderr == (
        f"{b} leaflets[0].status: expected one of 'built', 'skipped' or 'failed', got \"done\"\n"
        f"{DAMAGED.format(b=b)}\n")
    data["leaflets"][0].update(status="built", build_seconds="slow")
    Path(b).write_text(json.dumps(data))
    times = mini.run("build", "--all", "--shard", "1/2", "--shard-times", b, "--output", str(tmp_path))
    assert times.exit_code == 1 and times.stderr == (
        f'{b} leaflets[0].build_seconds: expected a number, got "slow"\n'
        f"{b} is not a build report with build times; a damaged or edited copy? Build that shard again, or copy "
        "its build-report.json again\n")
    assert not (tmp_path / "merged.json").exists() and not list(tmp_path.rglob("*.pdf"))
