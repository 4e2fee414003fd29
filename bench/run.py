"""Benchmark: parallel efficiency, shard balance, a large synthetic chain with a projection to
500,000 leaflets, no-op rebuilds, single builds against bare WeasyPrint, `check`, PDF sizes and
memory. Run with `make bench` (or .venv/bin/python bench/run.py); results go to bench/results.json.

Everything runs in a temporary copy of the project (out/ and its caches are not touched), with
its own cache folder (XDG_CACHE_HOME), so a run starts cold where it says it does. The machine is
shared and noisy: every comparison is a ratio of runs made right after each other (interleaved),
and the load (os.getloadavg) is recorded with the figures.

(a) parallel efficiency of `build --all --force` = sum over leaflets of the CPU seconds of each
    leaflet's own work - composing its HTML (Jinja, markdown, colours), laying it out (with
    freeing its layout) and finishing the PDF - measured in-process (build-report.json's
    compose_cpu_seconds + cpu_seconds; CPU time, so waiting for a core is not counted and the
    figure cannot pass 1) / (usable cores x wall seconds of the whole command, start-up and
    WeasyPrint's import included). Also reported without composing (render + finish only), the
    earlier definition. On the shipped 8 and on a 40-leaflet chain.
(b) shard balance: the chain built as 4 shards one after another (`--shard K/4`, balanced by the
    full build's report), slowest shard's wall time / mean.
(c) a synthetic chain (default 100 practices, 400 leaflets): wall, peak RSS, leaflets per second,
    and the projected time for 500,000 leaflets on N 2-core runners (see `project()`).
(d) no-op rebuild / full build; PDF sizes; peak RSS.
(e) one leaflet / bare `weasyprint` on the same HTML (from `build --html`), and without the
    library-lookup cache, interleaved; and the processes a build leaves running (none).
(f) `check` of the project: replayed, after a practice edit (topics' language checks kept), and
    with the caches off (what every check cost before), interleaved.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
LEAFLET_GEN = str(BIN / "leaflet-gen")
WEASYPRINT = str(BIN / "weasyprint")
TARGETS = {"efficiency": 0.90, "balance": 1.15, "noop": 0.10, "single": 0.90, "check_s": 0.30,
           "screen_kb": 150, "trifold_kb": 400, "rss_mb": 300}
CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
ENV = dict(os.environ)


def load() -> float:
    return round(os.getloadavg()[0], 2)


def timed(cmd: list[str], cwd: Path, env: dict | None = None) -> tuple[float, int]:
    """Wall seconds and the peak RSS (MB) of the largest process the command ran."""
    probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
             "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE); "
             "s = time.perf_counter() - t; "
             "print(s, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode); "
             "sys.stderr.write(r.stderr.decode()[-2000:] if r.returncode else '')")
    out = subprocess.run([sys.executable, "-c", probe, *cmd], cwd=cwd, capture_output=True, text=True,
                         env=env or ENV)
    seconds, rss_kb, code = out.stdout.split()
    if code != "0":
        raise SystemExit(f"benchmark command failed: {' '.join(cmd)}\n{out.stderr}")
    return float(seconds), int(rss_kb) // 1024


def make_chain(project: Path, copies: int) -> None:
    """A practice chain: `copies` extra branches of each example practice."""
    for src in sorted((project / "practices").iterdir()):
        if "-" in src.name and src.name.rsplit("-", 1)[1].isdigit():
            continue  # a branch made earlier
        for i in range(1, copies + 1):
            dst = project / "practices" / f"{src.name}-{i}"
            if dst.exists():
                continue
            shutil.copytree(src, dst)
            yaml_path = dst / "practice.yaml"
            yaml_path.write_text(yaml_path.read_text(encoding="utf-8").replace(
                f"id: {src.name}", f"id: {dst.name}"), encoding="utf-8")


def copy_project(work: Path, name: str, branches: int) -> Path:
    project = work / name
    shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(".venv", "out", ".git", "__pycache__", "bench"))
    make_chain(project, branches)
    return project


def build_all(project: Path, out: Path, *extra: str, env: dict | None = None) -> tuple[float, int, dict]:
    seconds, rss = timed([LEAFLET_GEN, "build", "--all", "--output", str(out), *extra], project, env)
    return seconds, rss, json.loads((out / "build-report.json").read_text())


def efficiency(project: Path, out: Path, repeat: int) -> dict:
    runs = []
    for _ in range(repeat):
        wall, rss, report = build_all(project, out, "--force")
        render_finish = sum(e["cpu_seconds"] for e in report["leaflets"])
        busy = render_finish + sum(e.get("compose_cpu_seconds", 0.0) for e in report["leaflets"])
        runs.append({"wall": wall, "busy": busy, "eff": busy / (CORES * wall),
                     "eff_render_finish": render_finish / (CORES * wall), "rss": rss,
                     "render_rss": max(e["peak_rss_mb"] for e in report["leaflets"]), "load": load()})
    return {"leaflets": len(report["leaflets"]), **_efficiency_summary(runs), "report": report}


def _efficiency_summary(runs: list[dict]) -> dict:
    effs = sorted(r["eff"] for r in runs)
    return {"efficiency": statistics.median(effs), "range": [round(effs[0], 3), round(effs[-1], 3)],
            "efficiency_render_finish_only": statistics.median(r["eff_render_finish"] for r in runs),
            "runs": runs}


def per_process(project: Path, report: dict, work: Path) -> float:
    """The old (a): one `build --practice` process per leaflet, summed (for the 4x figure)."""
    return sum(timed([LEAFLET_GEN, "build", "--practice", e["practice"], "--audience", e["audience"],
                      "--topic", e["topic"], "--variant", e["variant"], "--output", str(work / "each")], project)[0]
               for e in report["leaflets"])


def shard_balance(project: Path, work: Path, times: Path, rounds: int, shards: int = 4) -> dict:
    """Each round builds the shards one after another (--force); a shard's figure is its median
    over the rounds, so a burst of load from elsewhere does not decide which shard is slowest."""
    walls: list[list[float]] = [[] for _ in range(shards)]
    busy: list[list[float]] = [[] for _ in range(shards)]
    counts = []
    for _ in range(rounds):
        counts = []
        for k in range(1, shards + 1):
            out = work / f"shard{k}"
            wall, _, report = build_all(project, out, "--force", "--shard", f"{k}/{shards}",
                                        "--shard-times", str(times))
            walls[k - 1].append(wall)
            busy[k - 1].append(sum(e["seconds"] for e in report["leaflets"]))
            counts.append(len(report["leaflets"]))
    merged = subprocess.run([LEAFLET_GEN, "report", "merge", *(str(work / f"shard{k}" / "build-report.json")
                                                                for k in range(1, shards + 1)),
                             "-o", str(work / "merged.json")], capture_output=True, text=True, cwd=project)
    wall = [statistics.median(w) for w in walls]
    work_s = [statistics.median(b) for b in busy]
    return {"walls": [round(w, 2) for w in wall], "leaflets": counts, "slowest_over_mean": max(wall) / statistics.mean(wall),
            "work_seconds": [round(w, 2) for w in work_s],
            "work_slowest_over_mean": max(work_s) / statistics.mean(work_s),
            "merge_exit": merged.returncode, "load": load()}


def list_seconds(project: Path) -> float:
    """Seconds to list every leaflet of the catalogue (each shard does this for the whole catalogue)."""
    code = ("import sys, time; t = time.perf_counter(); from leaflet_gen import api; "
            "from leaflet_gen.pipeline.catalogue import all_jobs; p = api.open_project(sys.argv[1]); "
            "n = len(all_jobs(p)); print(time.perf_counter() - t, n)")
    out = subprocess.run([sys.executable, "-c", code, str(project)], capture_output=True, text=True, check=True)
    seconds, n = out.stdout.split()
    return float(seconds) / int(n)


def project(large: dict, fixed: float, list_per_leaflet: float, total: int = 500_000,
            runners: tuple = (1, 10, 50, 100, 250)) -> dict:
    """Hours for ``total`` leaflets on N 2-core runners, from the large chain on this machine.

    Per leaflet: m = (wall - fixed) / leaflets, with ``fixed`` what a catalogue build costs before
    its first leaflet (start-up, WeasyPrint's import: the wall time of a one-leaflet catalogue).
    Every shard also lists the whole catalogue (list_per_leaflet x total on every runner), which
    does not shrink with N. A runner's set-up (apt, pip) and artifact uploads are not included.
    """
    n, wall = large["leaflets"], statistics.median(r["wall"] for r in large["runs"])
    m = (wall - fixed) / n
    hours = {k: round((fixed + list_per_leaflet * total + m * total / k) / 3600, 2) for k in runners}
    return {"seconds_per_leaflet": round(m, 4), "fixed_seconds": round(fixed, 2),
            "list_seconds_per_leaflet": round(list_per_leaflet, 5), "hours_on_n_runners": hours}


def one_leaflet_catalogue(project: Path, work: Path, repeat: int) -> float:
    catalogue = work / "one.yaml"
    catalogue.write_text("leaflets:\n  - practice: fysio-delinde\n    variants: [trifold]\n", encoding="utf-8")
    return statistics.median(timed([LEAFLET_GEN, "build", "--catalogue", str(catalogue), "--force", "--output",
                                    str(work / "out1")], project)[0] for _ in range(repeat))


def single(project: Path, work: Path, repeat: int) -> dict:
    html = work / "one.html"
    timed([LEAFLET_GEN, "build", "--practice", "fysio-delinde", "--audience", "fysiotherapie", "--topic",
           "lage-rugpijn", "--output", str(work / "one"), "--html", str(html)], project)  # warms the caches too
    ours = [LEAFLET_GEN, "build", "--practice", "fysio-delinde", "--audience", "fysiotherapie", "--topic",
            "lage-rugpijn", "--output", str(work / "one")]
    # The project uses the built-in theme: its templates folder is the base its addresses resolve against.
    bare = [WEASYPRINT, "--pdf-variant", "pdf/x-4", "--base-url", (ROOT / "leaflet_gen/theme/templates").as_uri() + "/",
            str(html), str(work / "bare.pdf")]
    off = {**ENV, "LEAFLET_GEN_NO_LIBRARY_CACHE": "1"}  # without the library-lookup cache
    mark = {**ENV, "LEAFLET_GEN_BENCH_RUN": str(os.getpid())}  # inherited by any process a build starts
    rows = []
    for _ in range(repeat):
        a, rss = timed(ours, project, mark)
        b, _ = timed(bare, project)
        d, _ = timed(ours, project, off)
        rows.append((a, b, d))
    ratios = sorted(a / b for a, b, _ in rows)
    return {"ratio": statistics.median(ratios), "range": [round(ratios[0], 2), round(ratios[-1], 2)],
            "ratio_without_library_cache": statistics.median(d / b for _, b, d in rows),
            "seconds": [round(statistics.median(x), 2) for x in zip(*rows)], "rss_mb": rss,
            "left_running": left_running(f"LEAFLET_GEN_BENCH_RUN={os.getpid()}"), "load": load()}


def left_running(mark: str) -> list[str]:
    """Processes whose environment carries ``mark``, a second after the last build exited."""
    time.sleep(1)
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and mark.encode() in (proc / "environ").read_bytes():
                found.append((proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
        except OSError:
            continue
    return found


def check(project: Path, repeat: int) -> dict:
    cmd = [LEAFLET_GEN, "check"]
    off = {**ENV, "LEAFLET_GEN_NO_CHECK_CACHE": "1"}
    practice = project / "practices" / "fysio-delinde" / "practice.yaml"
    timed(cmd, project)  # the first check fills the caches
    rows = []
    for i in range(repeat):
        replay, _ = timed(cmd, project)
        practice.write_text(practice.read_text(encoding="utf-8") + f"\n# edit {i}\n", encoding="utf-8")
        edited, _ = timed(cmd, project)  # a practice changed: validated again, topics' language kept
        full, _ = timed(cmd, project, off)
        rows.append((replay, edited, full))
    return {"seconds": {k: round(statistics.median(v), 3) for k, v in zip(("replayed", "after an edit", "no cache"), zip(*rows))},
            "replayed_over_no_cache": statistics.median(r / f for r, _, f in rows),
            "edited_over_no_cache": statistics.median(e / f for _, e, f in rows), "load": load()}


def _efficiency_line(a: dict) -> str:
    return (f"{a['efficiency']:.2f} (runs {a['range'][0]:.2f}-{a['range'][1]:.2f}; render + finish only "
            f"{a['efficiency_render_finish_only']:.2f}; wall {statistics.median(r['wall'] for r in a['runs']):.1f} s, "
            f"load {a['runs'][-1]['load']})")


def compiled_ahead() -> None:
    """Compile leaflet-gen's modules whose cached bytecode is missing or stale, as `make setup`
    does: a user's second run finds them compiled. Without this, after an edit, a machine with
    PYTHONDONTWRITEBYTECODE (this one, CI containers) compiled each changed module again in
    every run measured: ~0.05-0.1 s on the path to the first leaflet, (a) ~0.005-0.01 lower."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "leaflet_gen")], check=True,
                   stdout=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each catalogue build (median)")
    parser.add_argument("--repeat-single", type=int, default=7, help="interleaved runs of single builds and check")
    parser.add_argument("--large", type=int, default=100, help="practices in the synthetic chain (4 leaflets each)")
    parser.add_argument("--per-process", action="store_true",
                        help="also the old (a): build --all vs one process per leaflet (slow)")
    args = parser.parse_args()

    compiled_ahead()
    work = Path(tempfile.mkdtemp(prefix="leaflet-bench-"))
    ENV["XDG_CACHE_HOME"] = str(work / "cache")
    shipped, chain = copy_project(work, "shipped", 0), copy_project(work, "chain", 4)
    res: dict = {"machine": f"{platform.node()} · {platform.machine()} · {CORES} usable cores · "
                            f"Python {platform.python_version()} · {platform.platform()}",
                 "load_at_start": os.getloadavg()}
    print(f"leaflet-gen benchmark · {res['machine']} · load {res['load_at_start']}", flush=True)

    a8 = efficiency(shipped, work / "out8", args.repeat)
    a40 = efficiency(chain, work / "out40", args.repeat)
    for name, a in (("shipped", a8), ("chain", a40)):
        res[f"a_{name}"] = {k: v for k, v in a.items() if k != "report"}
        print(f"(a) parallel efficiency, {a['leaflets']} leaflets: {_efficiency_line(a)}  target >= "
              f"{TARGETS['efficiency']}", flush=True)
    if args.per_process:
        each = per_process(shipped, a8["report"], work)
        res["a_old_per_process"] = each / a8["runs"][-1]["wall"]
        print(f"    old (a): one process per leaflet / build --all = {res['a_old_per_process']:.1f}x", flush=True)

    b = shard_balance(chain, work, work / "out40" / "build-report.json", args.repeat)
    res["b_shards"] = b
    print(f"(b) 4 shards of {a40['leaflets']}, one after another: slowest / mean = {b['slowest_over_mean']:.2f} "
          f"(median walls {b['walls']} s, leaflets {b['leaflets']}; in-process work slowest / mean "
          f"{b['work_slowest_over_mean']:.2f}; merge exit {b['merge_exit']})  target <= "
          f"{TARGETS['balance']}", flush=True)

    large_project = copy_project(work, "large", args.large // 2 - 1)
    large = efficiency(large_project, work / "outL", 1)
    large_rss = max(large["runs"][0]["rss"], large["runs"][0]["render_rss"])
    proj = project(large, one_leaflet_catalogue(shipped, work, args.repeat), list_seconds(large_project))
    res["c_large"] = {"leaflets": large["leaflets"], "wall": round(large["runs"][0]["wall"], 1),
                      "efficiency": round(large["efficiency"], 3), "peak_rss_mb": large_rss,
                      "leaflets_per_second": round(large["leaflets"] / large["runs"][0]["wall"], 2),
                      "projection": proj, "load": large["runs"][0]["load"]}
    print(f"(c) {large['leaflets']} leaflets: {large['runs'][0]['wall']:.0f} s, {res['c_large']['leaflets_per_second']} "
          f"leaflets/s, efficiency {large['efficiency']:.2f}, peak RSS {large_rss} MB; 500,000 leaflets: "
          + ", ".join(f"{n} runners {h} h" for n, h in proj["hours_on_n_runners"].items()), flush=True)

    noop = statistics.median(timed([LEAFLET_GEN, "build", "--all", "--output", str(work / "out40")], chain)[0]
                             for _ in range(args.repeat))
    full = statistics.median(r["wall"] for r in a40["runs"])
    sizes = {f"{e['practice']} {e['variant']}": Path(e["output"]).stat().st_size // 1024
             for e in a8["report"]["leaflets"]}
    largest = {v: max(kb for k, kb in sizes.items() if k.endswith(" " + v)) for v in ("trifold", "screen")}
    res["d"] = {"noop_share": noop / full, "noop_seconds": round(noop, 2), "full_seconds": round(full, 2),
                "sizes_kb": sizes, "rss_mb": {"build --all (largest process)": max(a40["runs"][0]["rss"],
                                                                                   a40["runs"][0]["render_rss"])}}
    print(f"(d) no-op rebuild / full build of {a40['leaflets']}: {100 * noop / full:.1f} % ({noop:.2f} s vs {full:.1f} s); "
          f"largest trifold {largest['trifold']} KB, screen {largest['screen']} KB", flush=True)

    e = single(shipped, work, args.repeat_single)
    res["e_single"] = e
    res["d"]["rss_mb"]["one leaflet"] = e["rss_mb"]
    print(f"(e) one leaflet / bare weasyprint, same HTML: {e['ratio']:.2f} (pairs {e['range'][0]}-{e['range'][1]}; "
          f"ours {e['seconds'][0]} s, bare {e['seconds'][1]} s; without the library cache "
          f"{e['ratio_without_library_cache']:.2f}; processes left running {len(e['left_running'])}; "
          f"load {e['load']})  target <= {TARGETS['single']}", flush=True)

    f = check(shipped, args.repeat_single)
    res["f_check"] = f
    print(f"(f) check: {f['seconds']} s; replayed / no cache {f['replayed_over_no_cache']:.2f}, after a practice edit "
          f"/ no cache {f['edited_over_no_cache']:.2f} (load {f['load']})  target <= {TARGETS['check_s']} s", flush=True)
    print(f"    peak RSS: {res['d']['rss_mb']}", flush=True)
    res["load_at_end"] = os.getloadavg()
    (ROOT / "bench" / "results.json").write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
