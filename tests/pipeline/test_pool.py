"""The render engine: render processes that start importing WeasyPrint while the content is read;
results and errors are the same as in-process, and they never outlive the build."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from helpers import panelled, variant_ids

from leaflet_gen.content.project import Project
from leaflet_gen.pipeline.build import Job, build
from leaflet_gen.pipeline.pool import InProcessRenderer


def _fresh(code: str, cwd=None) -> subprocess.CompletedProcess:
    """Run Python code in a new interpreter (nothing rendered or imported yet)."""
    # The timeout turns a render process that outlives its parent (holding our pipes) into a failure.
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, cwd=cwd,
                          timeout=60)


def _cli_code(cores: int, patch: str = "") -> str:
    """Python code that runs the real CLI seeing ``cores`` usable cores (two: render processes
    are used on any machine that runs the test), after ``patch``."""
    return ("import os, sys\n"
            f"os.sched_getaffinity = lambda pid: set(range({cores}))\n"
            f"{patch}"
            "from leaflet_gen.cli import main\n"
            "sys.argv = ['leaflet-gen', *sys.argv[1:]]\n"
            "main()\n")


def _cli(*args: str, cores: int = 2, env: dict | None = None, patch: str = "") -> subprocess.CompletedProcess:
    """The real CLI in a new interpreter."""
    return subprocess.run([sys.executable, "-c", _cli_code(cores, patch), *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120)


def _left_behind(mark: str, grace: float = 5.0) -> list[str]:
    """The processes still running ``grace`` seconds after the CLI exited whose environment
    carries ``mark`` (every process the CLI started inherits it, detached or not)."""
    deadline = time.monotonic() + grace
    while True:
        found = []
        for proc in Path("/proc").iterdir():
            try:
                if proc.name.isdigit() and f"LEAFLET_GEN_TEST_RUN={mark}".encode() in (proc / "environ").read_bytes():
                    found.append((proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
            except OSError:
                continue  # gone meanwhile
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)  # a render process ends with its parent, a moment later


def test_cold_start_renders_in_the_background_and_a_process_with_weasyprint_loaded_in_process():
    result = _fresh("""
        import os
        from leaflet_gen.pipeline import pool
        os.sched_getaffinity = lambda pid: {0, 1}  # two usable cores, whatever machine runs the test
        cold = pool.renderer(background=True)
        print(type(cold).__name__, cold._process.is_alive())
        cold.close()
        print(type(pool.renderer(background=False)).__name__)
        os.sched_getaffinity = lambda pid: {0}
        print(type(pool.renderer(background=True)).__name__)  # one core: nothing to overlap
        os.sched_getaffinity = lambda pid: {0, 1}
        import weasyprint  # a process that has the renderer loaded keeps rendering itself
        print(type(pool.renderer(background=True)).__name__)
    """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:4] == ["RenderPool True", "InProcessRenderer", "InProcessRenderer",
                                              "InProcessRenderer"]


def test_background_build_gives_the_same_bytes_as_an_in_process_build_and_leaves_no_process(mini, tmp_path):
    mark = f"{os.getpid()}-{time.monotonic_ns()}"
    result = _cli("--project", str(mini.root), "build", "--practice", "test", "--output", str(tmp_path / "cli"),
                  env={"LEAFLET_GEN_TEST_RUN": mark})
    assert result.returncode == 0, result.stderr
    assert _left_behind(mark) == []  # nothing stays after a plain build, not even for the next one
    assert result.stdout.strip() == str(tmp_path / "cli" / "test" / "demo-fysiotherapie-trifold.pdf")
    project = Project.open(mini.root)
    here = build(project, Job.of(mini.root / "practices" / "test", "demo", "fysiotherapie", "trifold"),
                 tmp_path / "here", InProcessRenderer())
    assert (tmp_path / "cli" / "test" / here.path.name).read_bytes() == here.path.read_bytes()


def test_cold_catalogue_build_gives_the_same_bytes_as_in_process_builds_and_leaves_no_process(mini, tmp_path):
    mark = f"{os.getpid()}-{time.monotonic_ns()}"
    result = _cli("--project", str(mini.root), "build", "--all", "--output", str(tmp_path / "cli"),
                  env={"LEAFLET_GEN_TEST_RUN": mark})
    assert result.returncode == 0, result.stderr
    assert _left_behind(mark) == []
    built = sorted((tmp_path / "cli" / "test").glob("*.pdf"))
    assert [p.name for p in built] == sorted(f"demo-fysiotherapie-{v}.pdf" for v in variant_ids(mini.root))
    project = Project.open(mini.root)
    for pdf in built:
        variant = pdf.stem.removeprefix("demo-fysiotherapie-")
        here = build(project, Job.of(mini.root / "practices" / "test", "demo", "fysiotherapie", variant),
                     tmp_path / "here", InProcessRenderer())
        assert pdf.read_bytes() == here.path.read_bytes(), variant


def test_layout_error_from_the_background_process_is_a_clean_message(mini, tmp_path):
    long_par = "Dit is een zin met gewone woorden die veel ruimte kost. " * 30
    blocks = "".join(f'  - type: paragraph\n    text: "{long_par}"\n' for _ in range(8))
    mini.write("content/demo/uitleg.yaml", f"title: Te lang\nblocks:\n{blocks}")
    result = _cli("--project", str(mini.root), "build", "--practice", "test", "--output", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr.startswith("Error: demo-fysiotherapie-trifold: the content does not fit the 4 inside panels")
    assert "Traceback" not in result.stderr
    assert not list(tmp_path.rglob("*.pdf"))


def test_a_render_process_that_dies_is_reported_not_waited_for():
    result = _fresh("""
        from pathlib import Path
        from leaflet_gen.layout.engine import RenderRequest
        from leaflet_gen.pipeline.pool import RenderPool
        from leaflet_gen.errors import RenderError
        renderer = RenderPool()
        renderer._process.kill()
        renderer._process.join()
        renderer.submit(RenderRequest("<p>x</p>", "file:///", (Path("/nonexistent"),), {}, None))
        try:
            renderer.result()
        except RenderError as exc:
            print(exc)
        renderer.close()
    """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ("the render process stopped unexpectedly (exit code -9); "
                                     "run the build again, and report it if it keeps happening")


def test_an_invalid_project_is_reported_without_waiting_for_the_renderer(mini, tmp_path):
    mini.write("practices/test/practice.yaml", "name: 12\n")
    result = _cli("--project", str(mini.root), "build", "--practice", "test", "--output", str(tmp_path))
    assert result.returncode == 1
    assert "practices/test/practice.yaml" in result.stderr and "Traceback" not in result.stderr
    closed = _fresh("""
        from leaflet_gen.pipeline.pool import RenderPool
        renderer = RenderPool()  # still importing WeasyPrint when the build gives up
        renderer.close()
        print(renderer._process.is_alive(), renderer._process.exitcode)
    """)
    assert closed.stdout.strip() == "False -9", closed.stderr


def _ended(pid: int) -> bool:
    try:
        state = next(line for line in Path(f"/proc/{pid}/status").read_text().splitlines() if line.startswith("State:"))
    except (FileNotFoundError, ProcessLookupError):
        return True
    return " Z " in f"{state} "  # exited, waiting to be reaped


def test_a_pool_renders_in_several_processes_and_reports_each_request():
    result = _fresh("""
        from pathlib import Path
        from leaflet_gen.layout.engine import RenderRequest
        from leaflet_gen.pipeline.pool import RenderPool
        ok = RenderRequest("<p>x</p>", "file:///", (Path("/nonexistent"),), {}, None)
        bad = RenderRequest('<img src="file:///etc/hostname">', "file:///", (Path("/nonexistent"),), {}, None)
        pool = RenderPool(2)
        for tag, request in enumerate([ok, bad, ok, ok]):
            pool.submit(request, tag)
        outcomes = sorted((pool.next_result() for _ in range(4)), key=lambda o: o.tag)
        for o in outcomes:
            print(o.tag, o.rendered.pdf[:5] if o.rendered else None, o.error)
        zygote = pool._process.pid
        print(len(Path(f"/proc/{zygote}/task/{zygote}/children").read_text().split()))
        pool.close()
    """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "0 b'%PDF-' None",
        "1 None refused to load a resource: /etc/hostname (outside the project's templates/styles/fonts and the "
        "practice folder)",
        "2 b'%PDF-' None",
        "3 b'%PDF-' None",
        "1",  # the first render process forked one more
    ]


def test_a_render_process_that_dies_fails_only_the_request_it_was_rendering():
    result = _fresh("""
        import os, signal, time
        from pathlib import Path
        from leaflet_gen.layout.engine import RenderRequest
        from leaflet_gen.pipeline.pool import RenderPool
        ok = RenderRequest("<p>x</p>", "file:///", (Path("/nonexistent"),), {}, None)
        slow = RenderRequest("<p>Een zin met gewone woorden.</p>" * 3000, "file:///", (Path("/nonexistent"),), {}, None)
        pool = RenderPool(2)
        pool.start(2)
        for tag in range(2):
            pool.submit(ok, tag)
        [pool.next_result() for _ in range(2)]  # both processes exist now
        zygote = pool._process.pid
        (sibling,) = map(int, Path(f"/proc/{zygote}/task/{zygote}/children").read_text().split())
        pool.submit(slow, "a")  # one to each process
        pool.submit(slow, "b")
        time.sleep(0.5)
        os.kill(sibling, signal.SIGKILL)
        killed = pool.next_result()  # reported at once, not after the other one's render
        other = pool.next_result()
        print(killed.error)
        print(sorted([killed.tag, other.tag]), other.error, other.rendered is not None)
        for tag in range(3):  # the dead process gets no more work
            pool.submit(ok, tag)
        print(sum(pool.next_result().rendered is not None for _ in range(3)))
        pool.close()
    """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "the render process stopped unexpectedly; run the build again, and report it if it keeps happening",
        "['a', 'b'] None True",
        "3",
    ]


def test_a_render_process_that_died_while_idle_costs_no_request():
    result = _fresh("""
        import os, signal, time
        from pathlib import Path
        from leaflet_gen.layout.engine import RenderRequest
        from leaflet_gen.pipeline.pool import RenderPool
        ok = RenderRequest("<p>x</p>", "file:///", (Path("/nonexistent"),), {}, None)
        pool = RenderPool(2)
        for tag in range(2):
            pool.submit(ok, tag)
        [pool.next_result() for _ in range(2)]
        zygote = pool._process.pid
        (sibling,) = map(int, Path(f"/proc/{zygote}/task/{zygote}/children").read_text().split())
        os.kill(sibling, signal.SIGKILL)
        time.sleep(0.5)
        for tag in range(4):
            pool.submit(ok, tag)
        outcomes = [pool.next_result() for _ in range(4)]
        print([o.error for o in outcomes], sum(o.rendered is not None for o in outcomes))
        pool.close()
    """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[None, None, None, None] 4"


def test_a_pool_forks_no_more_processes_than_there_are_leaflets():
    result = _fresh("""
        from pathlib import Path
        from leaflet_gen.layout.engine import RenderRequest
        from leaflet_gen.pipeline.pool import RenderPool
        pool = RenderPool(8)  # e.g. --jobs 8, or a runner with 8 cores
        pool.start(2)  # but only two leaflets to build
        for tag in range(2):
            pool.submit(RenderRequest("<p>x</p>", "file:///", (Path("/nonexistent"),), {}, None), tag)
        [pool.next_result() for _ in range(2)]
        zygote = pool._process.pid
        print(pool.processes, len(Path(f"/proc/{zygote}/task/{zygote}/children").read_text().split()))
        pool.close()
    """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "2 1"  # the first process and one it forked


def test_a_request_that_cannot_be_sent_is_a_bug_report_not_a_hang():
    result = _fresh("""
        from pathlib import Path
        from leaflet_gen.layout.engine import RenderRequest
        from leaflet_gen.pipeline.pool import RenderPool
        pool = RenderPool(1)
        pool.submit(RenderRequest("<p>x</p>", "file:///", (), {"finisher": lambda *a: None}, None), "bad")
        pool.submit(RenderRequest("<p>x</p>", "file:///", (Path("/nonexistent"),), {}, None), "ok")
        for _ in range(2):
            outcome = pool.next_result()
            print(outcome.tag, type(outcome.error).__name__, outcome.rendered is not None)
        pool.close()
    """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["bad RuntimeError False", "ok NoneType True"]


def test_the_render_processes_end_when_their_parent_dies():
    result = _fresh("""
        import os
        from pathlib import Path
        from leaflet_gen.layout.engine import RenderRequest
        from leaflet_gen.pipeline.pool import RenderPool
        pool = RenderPool(3)
        for tag in range(3):
            pool.submit(RenderRequest("<p>x</p>", "file:///", (Path("/nonexistent"),), {}, None), tag)
        [pool.next_result() for _ in range(3)]
        zygote = pool._process.pid
        print(zygote, Path(f"/proc/{zygote}/task/{zygote}/children").read_text(), flush=True)
        os._exit(0)  # the parent dies without closing anything (killed, crashed)
    """)
    pids = [int(p) for p in result.stdout.split()]
    assert len(pids) == 3, result.stdout + result.stderr
    deadline = time.monotonic() + 20
    while not all(_ended(pid) for pid in pids):
        assert time.monotonic() < deadline, f"render processes {pids} still running after their parent died"
        time.sleep(0.1)


def test_a_render_process_still_importing_ends_when_its_parent_dies():
    result = _fresh("""
        import os
        from leaflet_gen.pipeline.pool import RenderPool
        renderer = RenderPool()
        print(renderer._process.pid, flush=True)
        os._exit(0)
    """)
    pid = int(result.stdout.strip())
    deadline = time.monotonic() + 20  # the child finishes importing WeasyPrint, then sees the closed pipe
    while not _ended(pid):
        assert time.monotonic() < deadline, f"render process {pid} still running after its parent died"
        time.sleep(0.1)


def test_weasyprint_that_cannot_load_is_an_install_hint_in_both_paths(mini, tmp_path):
    fake = tmp_path / "fake"
    (fake / "weasyprint").mkdir(parents=True)
    (fake / "weasyprint" / "__init__.py").write_text(
        "raise OSError(\"cannot load library 'libpango-1.0-0': error 0x7e\")\n")
    expected = ("Error: WeasyPrint cannot be loaded (OSError: cannot load library 'libpango-1.0-0': error 0x7e). "
                "Install its system libraries (Pango, HarfBuzz, fontconfig): `leaflet-gen doctor` says which are missing "
                "and how, then build again.")
    for cores in (2, 1):  # a background render process, then rendering in-process
        result = _cli("--project", str(mini.root), "build", "--practice", "test", "--output", str(tmp_path / "out"),
                      cores=cores, env={"PYTHONPATH": str(fake)})
        assert result.returncode == 1, (cores, result.stderr)
        assert result.stderr.strip() == expected, (cores, result.stderr)
    assert not list((tmp_path / "out").rglob("*.pdf"))


def test_leaflets_with_their_own_fonts_do_not_share_the_font_configuration(mini):
    from leaflet_gen.layout.templates import render_request
    from leaflet_gen.pipeline.build import compose_job

    css = mini.override("styles/screen.css")
    css.write_text(css.read_text() + '\n@font-face { font-family: "Eigen"; src: url(../fonts/eigen.ttf); }\n')
    project = Project.open(mini.root)
    requests = {variant: render_request(project, compose_job(project, Job.of(mini.root / "practices" / "test", "demo",
                                                                          "fysiotherapie", variant)))
                for variant in ("screen", "trifold")}
    assert requests["screen"].own_fonts and not requests["trifold"].own_fonts


def _group_ends(pgid: int, what: str) -> None:
    deadline = time.monotonic() + 20
    while subprocess.run(["pgrep", "-g", str(pgid)], capture_output=True).returncode == 0:
        assert time.monotonic() < deadline, f"processes still running {what}"
        time.sleep(0.1)


def test_ctrl_c_during_a_build_stops_every_process_without_a_traceback(mini, tmp_path):
    import signal

    # CPython loses a Ctrl-C that arrives while ElementTree's C part imports pyexpat
    # (PyCapsule_Import turns the KeyboardInterrupt into an ImportError, which ElementTree
    # catches to fall back to Python): imported first here, so the signal cannot land in that
    # millisecond and the test stays about leaflet-gen (it failed ~1 run in 20 on it).
    early = "import xml.etree.ElementTree\n"
    for moment in ("importing", "rendering"):
        process = subprocess.Popen(
            [sys.executable, "-c", _cli_code(2, early), "--project", str(mini.root), "build", "--all", "--force",
             "--output", str(tmp_path / moment)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True,
            # Ctrl-C reaches the terminal's whole process group; a child started here with
            # SIGINT ignored would keep it ignored, so restore the default first.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.default_int_handler))
        if moment == "importing":  # the render process exists: the CLI runs, WeasyPrint is loading
            while len(subprocess.run(["pgrep", "-g", str(process.pid)], capture_output=True,
                                     text=True).stdout.split()) < 2:
                time.sleep(0.01)
            head = ""
        else:  # the first leaflet is done, the others are being rendered
            head = process.stderr.readline()
            assert head.startswith("[1/4] built"), head
        os.killpg(process.pid, signal.SIGINT)
        stderr = head + process.stderr.read()
        assert process.wait(timeout=60) == 130, (moment, stderr)  # 128 + SIGINT, as shells and CI expect
        assert stderr.endswith("Interrupted; nothing was half-written.\n") and "Traceback" not in stderr, (moment, stderr)
        assert not list((tmp_path / moment).rglob("*.tmp")), moment
        _group_ends(process.pid, f"after Ctrl-C while {moment}")


def test_closing_a_pool_stops_a_render_in_progress_in_every_process():
    # Checked inside the child: a render process left running would hold its output pipes, so
    # this test would only see it after it had finished anyway.
    result = _fresh("""
        import time
        from pathlib import Path
        from leaflet_gen.layout.engine import RenderRequest
        from leaflet_gen.pipeline.pool import RenderPool
        slow = RenderRequest("<p>Een zin met gewone woorden.</p>" * 3000, "file:///", (Path("/nonexistent"),), {}, None)
        ok = RenderRequest("<p>x</p>", "file:///", (Path("/nonexistent"),), {}, None)
        pool = RenderPool(2)
        pool.start(2)
        for tag in range(2):
            pool.submit(ok, tag)
        [pool.next_result() for _ in range(2)]  # both processes exist now
        pool.submit(slow, 0)
        pool.submit(slow, 1)
        zygote = pool._process.pid
        time.sleep(0.5)  # both are rendering (several seconds each)
        (sibling,) = Path(f"/proc/{zygote}/task/{zygote}/children").read_text().split()
        pool.close()
        deadline = time.monotonic() + 1.5
        while time.monotonic() < deadline:
            try:
                state = Path(f"/proc/{sibling}/status").read_text().split("State:")[1].split()[0]
            except FileNotFoundError:
                state = "gone"
            if state in ("Z", "gone"):
                break
            time.sleep(0.05)
        print("ended" if state in ("Z", "gone") else f"still running ({state})")
    """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ended"


def test_a_request_that_cannot_be_read_is_a_bug_report_and_the_process_goes_on():
    result = _fresh("""
        from pathlib import Path
        from leaflet_gen.layout.engine import RenderRequest
        from leaflet_gen.pipeline.pool import RenderPool

        def refuse():
            raise ValueError("cannot rebuild this option")

        class Bomb:  # pickles fine, fails to unpickle
            def __reduce__(self):
                return refuse, ()

        pool = RenderPool(1)
        pool.submit(RenderRequest("<p>x</p>", "file:///", (), {"opt": Bomb()}, None), "bad")
        pool.submit(RenderRequest("<p>x</p>", "file:///", (Path("/nonexistent"),), {}, None), "ok")
        for _ in range(2):
            outcome = pool.next_result()
            print(outcome.tag, outcome.error, outcome.rendered is not None)
        pool.close()
    """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "bad in the render process: ValueError: cannot rebuild this option False", "ok None True"]
    assert result.stderr == ""


_RENDER_BUG = ("from leaflet_gen.layout import engine\n"
               "def broken(plan, document, *moved):\n"
               "    raise KeyError('panel-flow')\n"
               "engine.assign_panels = broken  # a bug in the renderer, for panelled variants only\n")


def test_a_renderer_bug_fails_only_its_leaflets_on_one_core_and_on_two(mini, tmp_path):
    for cores in (1, 2):  # in this process, then in render processes
        out = tmp_path / str(cores)
        result = _cli("--project", str(mini.root), "build", "--all", "--output", str(out), cores=cores,
                      patch=_RENDER_BUG)
        assert result.returncode == 1, (cores, result.stderr)
        assert "Traceback" not in result.stderr and "Internal error" not in result.stderr
        report = json.loads((out / "build-report.json").read_text())
        assert {e["variant"]: e["status"] for e in report["leaflets"]} == {
            v: "failed" if panelled(mini.root, v) else "built" for v in variant_ids(mini.root)}, cores
        assert {e["error"] for e in report["leaflets"] if e["error"]} == {
            f"internal error (a bug): {'' if cores == 1 else 'RuntimeError: in the render process: '}"
            "KeyError: 'panel-flow'"}


def test_a_broken_finishing_library_fails_each_leaflet_not_the_catalogue(mini, tmp_path):
    fake = tmp_path / "fake"
    (fake / "pypdfium2").mkdir(parents=True)
    (fake / "pypdfium2" / "__init__.py").write_text("raise OSError('libpdfium.so: cannot open shared object file')\n")
    mini.write("catalogue.yaml", "leaflets:\n  - practice: test\n    variants: [trifold, screen]\n")
    out = tmp_path / "out"
    result = _cli("--project", str(mini.root), "build", "--catalogue", str(mini.root / "catalogue.yaml"),
                  "--output", str(out), env={"PYTHONPATH": str(fake)})
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "Internal error" not in result.stderr
    report = json.loads((out / "build-report.json").read_text())
    assert [(e["variant"], e["status"], e["error"]) for e in report["leaflets"]] == [
        ("trifold", "failed", "internal error (a bug): OSError: libpdfium.so: cannot open shared object file"),
        ("screen", "built", None)]


def test_debug_shows_the_traceback_of_a_bug_in_a_catalogue_and_leaves_no_old_report(mini, tmp_path):
    out = tmp_path / "out"
    assert _cli("--project", str(mini.root), "build", "--all", "--output", str(out)).returncode == 0
    assert (out / "build-report.json").is_file()
    result = _cli("--project", str(mini.root), "--debug", "build", "--all", "--force", "--output", str(out),
                  cores=1, patch=_RENDER_BUG)
    assert result.returncode == 3
    assert result.stderr.splitlines()[0] == "Traceback (most recent call last):"
    assert result.stderr.rstrip().endswith("KeyError: 'panel-flow'")
    assert not (out / "build-report.json").exists()  # the earlier run's report is not taken for this one


def test_a_catalogue_render_process_frees_each_layout_before_it_answers(monkeypatch):
    """With free_first (catalogues) freeing the layout is part of the leaflet's measured render
    time, so it happens before the answer; otherwise (single builds, the studio) after it."""
    import pickle

    from leaflet_gen.pipeline import pool

    events: list[str] = []
    monkeypatch.setattr(pool, "render", lambda request: events.append("render") or "pages")
    monkeypatch.setattr(pool, "tidy", lambda: events.append("free"))

    class Conn:
        def __init__(self) -> None:
            self.requests = [pickle.dumps("a request"), pickle.dumps(None)]

        def recv_bytes(self) -> bytes:
            return self.requests.pop(0)

        def send(self, reply) -> None:
            if reply[0] == "pid":  # the first thing a render process says: whom to signal to give up
                assert reply[1] == os.getpid()
                return
            assert reply[:2] == ("ok", "pages")
            events.append("answer")

    for free_first, order in ((True, ["render", "free", "answer"]), (False, ["render", "answer", "free"])):
        events.clear()
        pool.serve(Conn(), None, free_first=free_first)
        assert events == order, free_first


def test_weasyprint_is_imported_without_collections_and_the_collector_comes_back(monkeypatch):
    """Collections during the import were ~10 % of it; a render process left without a
    collector would grow with every layout's reference cycles."""
    import gc

    from leaflet_gen.errors import RenderError
    from leaflet_gen.pipeline import pool

    seen: list[bool] = []
    monkeypatch.setattr(pool, "_settle_heap", lambda: seen.append(gc.isenabled()))
    monkeypatch.setattr(pool, "load_weasyprint", lambda: seen.append(gc.isenabled()))
    assert pool.warm_up() is None
    assert seen == [False, True] and gc.isenabled()

    def broken():
        raise RenderError("WeasyPrint cannot be loaded")

    monkeypatch.setattr(pool, "load_weasyprint", broken)
    assert str(pool.warm_up()) == "WeasyPrint cannot be loaded" and gc.isenabled()


def test_a_catalogue_collects_less_often_and_restores_the_collector_after():
    import gc

    from leaflet_gen.pipeline import pool

    before = gc.get_threshold()
    with pool.collecting_less():
        assert gc.get_threshold() == (5_000, 10, 10)
    assert gc.get_threshold() == before
    with pytest.raises(KeyboardInterrupt), pool.collecting_less():
        raise KeyboardInterrupt
    assert gc.get_threshold() == before


def test_a_request_given_up_stops_its_render_and_the_process_renders_the_next_as_before():
    """The studio gives up a preview a newer keystroke made stale (RenderPool.cancel): a waiting
    request is dropped, one being laid out stops mid-layout; both come back as Superseded at
    once, and the processes render what follows with the same pages as ever."""
    result = _fresh("""
        import sys, time
        sys.path.insert(0, "tests")
        from pathlib import Path
        from helpers import same_pdf
        from leaflet_gen.layout.engine import RenderRequest, render
        from leaflet_gen.pipeline.pool import RenderPool
        # A long document: its layout takes seconds (time to give it up halfway).
        slow = RenderRequest("<p>" + "Een zin van een lange tekst. " * 40000 + "</p>", "file:///",
                             (Path("/nonexistent"),), {}, None)
        quick = RenderRequest("<p>Kort.</p>", "file:///", (Path("/nonexistent"),), {}, None)
        pool = RenderPool(2)
        for tag in ("warm-1", "warm-2"):  # both processes have started serving
            pool.submit(quick, tag)
        pool.next_result(), pool.next_result()
        started = time.monotonic()
        for tag in ("slow-1", "slow-2", "waiting"):
            pool.submit(slow, tag)
        time.sleep(1.5)  # both processes are laying out; the third waits
        for tag in ("waiting", "slow-1", "slow-2"):
            pool.cancel(tag)
        for _ in range(3):
            outcome = pool.next_result()
            print(outcome.tag, type(outcome.error).__name__, outcome.error)
        print("in time", time.monotonic() - started < 5)
        pool.cancel("nothing-of-that-name")
        for tag in ("after-1", "after-2"):
            pool.submit(quick, tag)
        alone = same_pdf(render(quick).pdf)
        print(sorted((o.tag, same_pdf(o.rendered.pdf) == alone) for o in (pool.next_result(), pool.next_result())))
        pool.close()
    """, cwd=Path(__file__).resolve().parents[2])
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    given_up = "Superseded given up: a newer request took its place"
    assert lines[0] == f"waiting {given_up}"  # dropped before it reached a process: at once
    assert sorted(lines[1:3]) == [f"slow-1 {given_up}", f"slow-2 {given_up}"]
    assert lines[3] == "in time True"
    assert lines[4] == "[('after-1', True), ('after-2', True)]"
