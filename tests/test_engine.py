"""The render engine: a cold single build renders in a background process that imported
WeasyPrint while the content was read; results and errors are the same as in-process."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from leaflet_gen.build import Job, build
from leaflet_gen.engine import InProcessRenderer
from leaflet_gen.project import Project


def _fresh(code: str, cwd=None) -> subprocess.CompletedProcess:
    """Run Python code in a new interpreter (nothing rendered or imported yet)."""
    # The timeout turns a render process that outlives its parent (holding our pipes) into a failure.
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, cwd=cwd,
                          timeout=60)


def _cli(*args: str, cores: int = 2, env: dict | None = None) -> subprocess.CompletedProcess:
    """The real CLI in a new interpreter, seeing ``cores`` usable cores (two: the background
    renderer is used on any machine that runs the test)."""
    code = ("import os, sys\n"
            f"os.sched_getaffinity = lambda pid: set(range({cores}))\n"
            "from leaflet_gen.cli import main\n"
            "sys.argv = ['leaflet-gen', *sys.argv[1:]]\n"
            "main()\n")
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120)


def test_cold_start_renders_in_the_background_and_warm_process_in_process():
    result = _fresh("""
        import os
        from leaflet_gen import engine
        os.sched_getaffinity = lambda pid: {0, 1}  # two usable cores, whatever machine runs the test
        cold = engine.renderer(background=True)
        print(type(cold).__name__, cold._process.is_alive())
        cold.close()
        print(type(engine.renderer(background=False)).__name__)
        os.sched_getaffinity = lambda pid: {0}
        print(type(engine.renderer(background=True)).__name__)  # one core: nothing to overlap
        os.sched_getaffinity = lambda pid: {0, 1}
        import weasyprint  # a process that has the renderer loaded keeps rendering itself
        print(type(engine.renderer(background=True)).__name__)
    """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:4] == ["BackgroundRenderer True", "InProcessRenderer", "InProcessRenderer",
                                              "InProcessRenderer"]


def test_background_build_gives_the_same_bytes_as_an_in_process_build(mini, tmp_path):
    result = _cli("--project", str(mini.root), "build", "--practice", "test", "--output", str(tmp_path / "cli"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(tmp_path / "cli" / "test" / "demo-fysiotherapie-trifold.pdf")
    project = Project.open(mini.root)
    here = build(project, Job(mini.root / "practices" / "test", "demo", "fysiotherapie", "trifold"),
                 tmp_path / "here", InProcessRenderer())
    assert (tmp_path / "cli" / "test" / here.path.name).read_bytes() == here.path.read_bytes()


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
        from leaflet_gen.engine import BackgroundRenderer, RenderRequest
        from leaflet_gen.errors import RenderError
        renderer = BackgroundRenderer()
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
        from leaflet_gen.engine import BackgroundRenderer
        renderer = BackgroundRenderer()  # still importing WeasyPrint when the build gives up
        renderer.close()
        print(renderer._process.is_alive(), renderer._process.exitcode)
    """)
    assert closed.stdout.strip() == "False -9", closed.stderr


def test_the_render_process_ends_when_its_parent_dies():
    result = _fresh("""
        import os
        from leaflet_gen.engine import BackgroundRenderer
        renderer = BackgroundRenderer()
        print(renderer._process.pid, flush=True)
        os._exit(0)  # the parent dies without closing anything (killed, crashed)
    """)
    pid = int(result.stdout.strip())
    deadline = time.monotonic() + 20  # the child finishes importing WeasyPrint, then sees the closed pipe
    while time.monotonic() < deadline:
        status = Path(f"/proc/{pid}/status")
        try:
            state = next(line for line in status.read_text().splitlines() if line.startswith("State:"))
        except (FileNotFoundError, ProcessLookupError):
            break
        if " Z " in f"{state} ":  # exited, waiting to be reaped by init
            break
        time.sleep(0.1)
    else:
        raise AssertionError(f"render process {pid} still running after its parent died")


def test_weasyprint_that_cannot_load_is_an_install_hint_in_both_paths(mini, tmp_path):
    fake = tmp_path / "fake"
    (fake / "weasyprint").mkdir(parents=True)
    (fake / "weasyprint" / "__init__.py").write_text(
        "raise OSError(\"cannot load library 'libpango-1.0-0': error 0x7e\")\n")
    expected = ("Error: WeasyPrint cannot be loaded (OSError: cannot load library 'libpango-1.0-0': error 0x7e). "
                "Install its system libraries (Pango, HarfBuzz, fontconfig) with `make setup`, then build again.")
    for cores in (2, 1):  # a background render process, then rendering in-process
        result = _cli("--project", str(mini.root), "build", "--practice", "test", "--output", str(tmp_path / "out"),
                      cores=cores, env={"PYTHONPATH": str(fake)})
        assert result.returncode == 1, (cores, result.stderr)
        assert result.stderr.strip() == expected, (cores, result.stderr)
    assert not list((tmp_path / "out").rglob("*.pdf"))


def test_leaflets_with_their_own_fonts_do_not_share_the_font_configuration(mini):
    from leaflet_gen.build import compose_job
    from leaflet_gen.render import render_request

    css = mini.root / "styles" / "screen.css"
    css.write_text(css.read_text() + '\n@font-face { font-family: "Eigen"; src: url(../fonts/eigen.ttf); }\n')
    project = Project.open(mini.root)
    requests = {variant: render_request(project, compose_job(project, Job(mini.root / "practices" / "test", "demo",
                                                                          "fysiotherapie", variant)))
                for variant in ("screen", "trifold")}
    assert requests["screen"].own_fonts and not requests["trifold"].own_fonts
