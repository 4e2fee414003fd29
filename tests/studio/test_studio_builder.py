"""The studio's builder with render processes (a stand-in that answers when let go) and its stage stamps."""

from __future__ import annotations

import threading
import time
from queue import SimpleQueue

from studio_support import SECTION, TRIFOLD, project_copy, started_studio

from leaflet_gen.studio import core, state
from leaflet_gen.studio.state import Studio


class HeldRenderer:
    """Stands in for the render processes: renders in this process, but answers only once let go."""

    processes = 1

    def __init__(self) -> None:
        self.size = 1  # what core.renderer_shape() counts (RenderPool.size)
        self.go = threading.Event()
        self._todo: SimpleQueue = SimpleQueue()
        self.submitted = 0

    def start(self, leaflets: int) -> None:
        pass

    def submit(self, request, tag=None) -> None:
        self.submitted += 1
        self._todo.put((request, tag))

    def next_result(self):
        item = self._todo.get()
        if item is None:
            raise RuntimeError("closed")
        self.go.wait()
        renderer = core.in_process_renderer()
        renderer.submit(*item)
        return renderer.next_result()

    def close(self) -> None:
        self.go.set()
        self._todo.put(None)


def wait_for(condition, timeout: float = 60) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_the_language_check_runs_while_the_render_process_lays_out(tmp_path):
    """With render processes the language facts are asked for as the render starts: they are
    there before the pictures, instead of competing with the page fetching them."""
    renderer = HeldRenderer()
    studio = Studio(project_copy(tmp_path, variants=("trifold",)), renderer)
    studio.view(TRIFOLD, +1)
    studio.start()
    try:
        entry = studio.get(TRIFOLD)
        assert wait_for(lambda: entry.facts is not None)
        assert entry.done == 0 and entry.good is None  # the render has not answered yet
        renderer.go.set()
        assert studio.wait_idle(120)
        assert entry.good is not None and entry.failure is None
        assert entry.facts.title and entry.facts.section_files
    finally:
        studio.stop()


def test_each_build_stamps_its_stages_in_order(tmp_path, monkeypatch):
    monkeypatch.setattr(state, "STAMPS", True)
    with started_studio(project_copy(tmp_path, variants=("trifold",))) as studio:
        path = studio.root / SECTION
        path.write_text(path.read_text(encoding="utf-8").replace("doelen", "doelen nu"), encoding="utf-8")
        studio.changed({path})
        assert studio.wait_idle(60)
        stamps = studio.get(TRIFOLD).good.stamps
    stages = ["event", "start", "composed", "rendered", "finished", "pictures"]
    assert [stamps[s] for s in stages] == sorted(stamps[s] for s in stages)
    assert stamps["render_s"] > 0


def test_a_section_change_reads_its_topic_again_and_keeps_the_rest(tmp_path):
    root = project_copy(tmp_path, variants=("trifold",))
    project = core.open_project(root)
    lid = core.LeafletId("fysio-delinde", "lage-rugpijn", "fysiotherapie", "trifold")
    core.prepare(project, lid)
    folder = project.practice_dir("fysio-delinde")
    practice, topic = project.load_practice(folder), project.load_topic("lage-rugpijn")
    section = project.root / SECTION
    section.write_text(section.read_text(encoding="utf-8").replace("doelen", "XNIEUWX doelen"), encoding="utf-8")
    fresh = core.fresh_project(project, {section})
    assert "XNIEUWX" in core.prepare(fresh, lid).request.html
    assert fresh.load_practice(folder) is practice and fresh.load_topic("lage-rugpijn") is not topic
    # Any other file: everything is read again.
    yaml = folder / "practice.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("fysio-delinde", "fysio-delinde"), encoding="utf-8")
    again = core.fresh_project(fresh, {yaml})
    assert again.load_practice(folder) is not practice
    assert core.fresh_project(fresh, {section, yaml}).load_practice(folder) is not practice


def test_a_print_pdf_that_fails_preflight_after_its_pictures_were_shown_is_a_failed_build(tmp_path, monkeypatch):
    """Preflight runs after the pictures are shown; when it fails, the last good pictures come
    back (outdated) with the located problem, and the failing PDF is never saved."""
    with started_studio(project_copy(tmp_path, variants=("trifold",))) as studio:
        entry = studio.get(TRIFOLD)
        good = entry.good
        assert good.checked and good.built.preflight
        monkeypatch.setattr(core, "preflight", lambda prepared, pdf: (core.Check("bleed", "fail", "no bleed"),))
        path = studio.root / SECTION
        path.write_text(path.read_text(encoding="utf-8").replace("doelen", "XSLECHTX doelen"), encoding="utf-8")
        studio.changed({path})
        assert studio.wait_idle(60)
        assert entry.good is good and entry.outdated
        assert "preflight bleed: no bleed" in entry.failure.problems[0].message
        saved = studio.save(TRIFOLD)
        assert saved.read_bytes() == good.built.pdf


def test_a_save_while_the_last_build_is_finished_is_built_from_the_new_text(tmp_path, monkeypatch):
    """A file event that arrives while the builder finishes a render (pictures, preflight: the
    moment a fast editor saves again) is built from the file as it is now, not from the text the
    project had already read (the studio once showed such a save as built, with the old text)."""
    renderer = HeldRenderer()
    renderer.go.set()
    studio = Studio(project_copy(tmp_path, variants=("trifold",)), renderer)
    studio.view(TRIFOLD, +1)
    studio.start()
    try:
        entry = studio.get(TRIFOLD)
        assert studio.wait_idle(120)
        path = studio.root / SECTION
        text = path.read_text(encoding="utf-8")
        preflight, saved = core.preflight, []

        def save_during_preflight(prepared, pdf):
            if not saved:  # the second save lands while the first one's build is being finished
                saved.append(True)
                path.write_text(text.replace("doelen", "doelen XTWEEX"), encoding="utf-8")
                studio.changed({path})
            return preflight(prepared, pdf)

        monkeypatch.setattr(core, "preflight", save_during_preflight)
        path.write_text(text.replace("doelen", "doelen XEENX"), encoding="utf-8")
        studio.changed({path})
        assert wait_for(lambda: saved) and studio.wait_idle(120)
        shown = " ".join(entry.good.texts.values())
        assert "XTWEEX" in shown and "XEENX" not in shown
        assert entry.failure is None and entry.done == entry.wanted
    finally:
        studio.stop()


def test_a_studio_save_writes_what_the_cli_build_writes(tmp_path):
    """One entrance: the studio builds and saves through the same steps as `leaflet-gen build`
    (finish, job sheet, preflight, write), so its files are the CLI's, byte for byte."""
    from click.testing import CliRunner

    from leaflet_gen.cli import cli

    root = project_copy(tmp_path, variants=("trifold",))
    with started_studio(root) as studio:
        saved = studio.save(TRIFOLD)
    lid = studio.get(TRIFOLD).lid
    out = tmp_path / "cli"
    result = CliRunner().invoke(cli, ["--project", str(root), "build", "--practice", lid.practice, "--audience",
                                      lid.audience, "--topic", lid.topic, "--variant", lid.variant, "--output", str(out)])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in saved.parent.iterdir())
    assert written == sorted(p.name for p in (out / lid.practice).iterdir()) == [
        f"{lid.slug}.job.json", f"{lid.slug}.job.txt", f"{lid.slug}.pdf"]
    for name in written:
        assert (saved.parent / name).read_bytes() == (out / lid.practice / name).read_bytes(), name
