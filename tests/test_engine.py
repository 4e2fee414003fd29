"""The render engine: a cold single build renders in a background process that imported
WeasyPrint while the content was read; results and errors are the same as in-process."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from leaflet_gen.build import Job, build
from leaflet_gen.engine import InProcessRenderer
from leaflet_gen.project import Project


def _fresh(code: str, cwd=None) -> subprocess.CompletedProcess:
    """Run Python code in a new interpreter (nothing rendered or imported yet)."""
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, cwd=cwd)


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "leaflet_gen", *args], capture_output=True, text=True)


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
