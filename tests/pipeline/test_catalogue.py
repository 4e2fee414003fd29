"""Catalogue builds: parallel, incremental (only what changed), deterministic, with a report."""

from __future__ import annotations

import json

import pytest
from conftest import PRACTICE_YAML


@pytest.fixture
def two_audiences(mini):
    """The mini project with an orthopedie text too, sharing nothing but the topic."""
    mini.write("practices/test/practice.yaml",
               PRACTICE_YAML.replace("audiences: [fysiotherapie]", "audiences: [fysiotherapie, orthopedie]"))
    topic = (mini.root / "content/demo/topic.yaml").read_text()
    mini.write("content/demo/topic.yaml", topic + (
        "  orthopedie:\n    subtitle: \"Wat u zelf kunt doen\"\n    flow: [ortho-uitleg]\n"
        "    sources: [\"NHG-Standaard Aspecifieke lagerugpijn\"]\n"))
    mini.write("content/demo/ortho-uitleg.yaml",
               "title: Wat is lage rugpijn?\nblocks:\n  - type: paragraph\n    text: \"U hebt pijn onder in uw rug.\"\n")
    mini.write("catalogue.yaml", "leaflets:\n  - practice: test\n    variants: [trifold, screen]\n")
    return mini


def build_all(mini, out, *extra):
    result = mini.run("build", "--catalogue", str(mini.root / "catalogue.yaml"), "--output", str(out), *extra)
    report = json.loads((out / "build-report.json").read_text())
    return result, {(e["audience"], e["variant"]): e["status"] for e in report["leaflets"]}, report


def test_incremental_rebuild_touches_only_what_changed(two_audiences, tmp_path):
    out = tmp_path / "out"
    result, status, report = build_all(two_audiences, out)
    assert result.exit_code == 0, result.output
    assert set(status.values()) == {"built"} and len(status) == 4
    assert report["counts"] == {"built": 4, "skipped": 0, "failed": 0}

    result, status, _ = build_all(two_audiences, out)
    assert set(status.values()) == {"skipped"}
    assert "4 leaflets: 0 built, 4 unchanged, 0 failed" in result.stderr

    # A one-line edit in an orthopedie-only section rebuilds exactly the orthopedie leaflets.
    two_audiences.write("content/demo/ortho-uitleg.yaml",
                        "title: Wat is lage rugpijn?\nblocks:\n  - type: paragraph\n    text: \"U hebt pijn laag in uw rug.\"\n")
    _, status, _ = build_all(two_audiences, out)
    assert status == {("fysiotherapie", "trifold"): "skipped", ("fysiotherapie", "screen"): "skipped",
                      ("orthopedie", "trifold"): "built", ("orthopedie", "screen"): "built"}

    # A style change affects every leaflet; --force rebuilds even unchanged ones.
    css = two_audiences.override("styles/screen.css")
    css.write_text(css.read_text() + "\n/* tweak */\n")
    _, status, _ = build_all(two_audiences, out)
    assert status[("fysiotherapie", "screen")] == "built" and status[("fysiotherapie", "trifold")] == "skipped"
    _, status, _ = build_all(two_audiences, out, "--force")
    assert set(status.values()) == {"built"}


def test_deleted_output_is_rebuilt(two_audiences, tmp_path):
    out = tmp_path / "out"
    build_all(two_audiences, out)
    (out / "test/demo-orthopedie-screen.pdf").unlink()
    _, status, _ = build_all(two_audiences, out)
    assert status[("orthopedie", "screen")] == "built"
    assert status[("orthopedie", "trifold")] == "skipped"


def test_catalogue_output_is_byte_identical_to_single_builds(two_audiences, tmp_path):
    build_all(two_audiences, tmp_path / "a", "--jobs", "2")
    build_all(two_audiences, tmp_path / "b", "--jobs", "1")
    for name in ("demo-fysiotherapie-trifold.pdf", "demo-orthopedie-screen.pdf"):
        assert (tmp_path / "a/test" / name).read_bytes() == (tmp_path / "b/test" / name).read_bytes()
    single = two_audiences.run("build", "--practice", "test", "--audience", "orthopedie", "--variant", "screen",
                               "--output", str(tmp_path / "c"))
    assert single.exit_code == 0
    assert (tmp_path / "c/test/demo-orthopedie-screen.pdf").read_bytes() == \
        (tmp_path / "a/test/demo-orthopedie-screen.pdf").read_bytes()


def test_one_failure_does_not_stop_the_rest(two_audiences, tmp_path):
    long = "Dit is een zin met gewone woorden die veel ruimte kost. " * 30
    two_audiences.write("content/demo/ortho-uitleg.yaml", "title: Te lang\nblocks:\n" +
                        f'  - type: paragraph\n    text: "{long}"\n' * 8)
    out = tmp_path / "out"
    result, status, report = build_all(two_audiences, out)
    assert result.exit_code == 1
    assert status == {("fysiotherapie", "trifold"): "built", ("fysiotherapie", "screen"): "built",
                      ("orthopedie", "trifold"): "failed", ("orthopedie", "screen"): "built"}
    failed = [e for e in report["leaflets"] if e["status"] == "failed"]
    assert failed[0]["error"].startswith("demo-orthopedie-trifold: the content does not fit the 4 inside panels")
    assert "Failed: test demo orthopedie trifold:" in result.stderr
    assert not (out / "test/demo-orthopedie-trifold.pdf").exists()
    # A run with a failure is never recorded as complete: the next run tries the leaflet again.
    assert json.loads((out / ".leaflet-gen-cache.json").read_text())["stamp"] is None
    result, status, _ = build_all(two_audiences, out)
    assert result.exit_code == 1 and status[("orthopedie", "trifold")] == "failed"


def test_plain_log_lines_in_ci(two_audiences, tmp_path, monkeypatch):
    monkeypatch.setenv("CI", "true")
    result, _, _ = build_all(two_audiences, tmp_path / "out")
    lines = [line for line in result.stderr.splitlines() if line.startswith("[")]
    assert len(lines) == 4
    assert lines[0].startswith("[1/4] built ") and lines[0].endswith(" s)")


def test_all_builds_every_variant(mini, tmp_path):
    result = mini.run("build", "--all", "--output", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "test").glob("*.pdf")) == [
        "demo-fysiotherapie-large-print.pdf", "demo-fysiotherapie-office.pdf",
        "demo-fysiotherapie-screen.pdf", "demo-fysiotherapie-trifold.pdf"]


def test_bad_catalogue_file(mini, tmp_path):
    mini.write("catalogue.yaml", "leaflets:\n  - practise: test\n")
    result = mini.run("build", "--catalogue", str(mini.root / "catalogue.yaml"), "--output", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:2] == [
        "catalogue.yaml:2:5 leaflets[0].practice: required key is missing; add it",
        'catalogue.yaml:2:5 leaflets[0].practise: unknown key; did you mean "practice"?',
    ]


def test_unwritable_output_folder_is_a_clear_error(mini, tmp_path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    result = mini.run("build", "--all", "--output", str(blocked / "out"))
    assert result.exit_code == 1
    assert result.stderr.strip().startswith(f"Error: cannot write to the output folder {blocked / 'out'}: ")
    assert result.stderr.strip().endswith("; choose another folder with --output")


def test_warnings_reach_the_report_and_the_terminal(two_audiences, tmp_path):
    topic = two_audiences.root / "content/demo/topic.yaml"
    topic.write_text(topic.read_text().replace("status: approved", "status: concept"))
    result, _, report = build_all(two_audiences, tmp_path / "out")
    assert result.exit_code == 0
    warning = ('content/demo/topic.yaml status: this leaflet carries a "CONCEPT" mark: the content is a concept '
               "(status in topic.yaml), or approve it with `leaflet-gen review approve`")
    assert all(warning in e["warnings"] for e in report["leaflets"])
    assert result.stderr.count(f"Warning: {warning}") == 1
    # Skipped leaflets keep their warnings: a concept leaflet stays flagged on every run.
    result, status, report = build_all(two_audiences, tmp_path / "out")
    assert set(status.values()) == {"skipped"}
    assert all(warning in e["warnings"] for e in report["leaflets"])
    assert result.stderr.count(f"Warning: {warning}") == 1


def test_unchanged_project_is_answered_from_the_record_without_reading_it(two_audiences, tmp_path):
    import subprocess
    import sys

    out = tmp_path / "out"
    build_all(two_audiences, out)
    code = ("import sys; from leaflet_gen.cli import main\n"
            "try:\n    main()\nexcept SystemExit as exc:\n    code = exc.code\n"
            "print(code, sorted(m for m in ('pydantic', 'weasyprint', 'yaml', 'leaflet_gen.content.project',\n"
            "                               'multiprocessing') if m in sys.modules))")
    args = ["--project", str(two_audiences.root), "build", "--catalogue", str(two_audiences.root / "catalogue.yaml"),
            "--output", str(out)]
    fresh = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    assert fresh.stdout.splitlines()[-1] == "0 []", fresh.stderr
    assert "4 leaflets: 0 built, 4 unchanged, 0 failed" in fresh.stderr
    replayed = json.loads((out / "build-report.json").read_text())["leaflets"]

    # The same report as a no-op run that reads and hashes everything (record removed).
    cache = out / ".leaflet-gen-cache.json"
    cache.write_text(json.dumps({**json.loads(cache.read_text()), "stamp": None}))
    _, status, report = build_all(two_audiences, out)
    assert set(status.values()) == {"skipped"}
    assert replayed == report["leaflets"]


def test_project_stamp_covers_every_project_file_and_the_request(two_audiences):
    from leaflet_gen.pipeline.catalogue import Request
    from leaflet_gen.pipeline.inputs import project_stamp

    root = two_audiences.root
    request = Request("catalogue", "trifold", str(root / "catalogue.yaml"))
    before = project_stamp(root, request)
    assert project_stamp(root, request) == before
    assert project_stamp(root, Request("all", "trifold")) != before
    assert project_stamp(root, Request("catalogue", "trifold", str(root / "catalogue.yaml"), marks=False)) != before
    for rel in ("content/demo/uitleg.yaml", "practices/test/logo.svg", "catalogue.yaml"):
        path = root / rel
        original = path.read_bytes()
        path.write_bytes(original + b"\n")
        assert project_stamp(root, request) != before, rel
        path.write_bytes(original)
    for rel in ("templates/base.html", "styles/base.css", "variants/screen.yaml", "profiles/FOGRA39L-coated.icc"):
        path = two_audiences.override(rel)  # the built-in file's bytes, now the project's own file
        assert project_stamp(root, request) != before, rel
        path.write_bytes(path.read_bytes() + b"\n")
        assert project_stamp(root, request) != before, rel
        path.unlink()
        assert project_stamp(root, request) == before, rel
    two_audiences.write("practices/test/extra.txt", "a new file")
    assert project_stamp(root, request) != before


def test_slowest_leaflets_are_started_first(two_audiences, tmp_path, monkeypatch):
    monkeypatch.setenv("CI", "true")
    out = tmp_path / "out"
    build_all(two_audiences, out)
    cache_file = out / ".leaflet-gen-cache.json"
    cache = json.loads(cache_file.read_text())
    durations = {"test/demo-fysiotherapie-screen.pdf": 9.0, "test/demo-orthopedie-trifold.pdf": 5.0,
                 "test/demo-fysiotherapie-trifold.pdf": 1.0, "test/demo-orthopedie-screen.pdf": 0.5}
    for name, seconds in durations.items():
        cache["leaflets"][name]["seconds"] = seconds
    cache_file.write_text(json.dumps(cache))
    result, _, _ = build_all(two_audiences, out, "--force", "--jobs", "1")
    started = [line.split()[2].split("/test/")[1] for line in result.stderr.splitlines() if line.startswith("[")]
    assert started == ["demo-fysiotherapie-screen.pdf", "demo-orthopedie-trifold.pdf",
                       "demo-fysiotherapie-trifold.pdf", "demo-orthopedie-screen.pdf"]


def test_a_practice_folder_linked_from_outside_the_project_is_refused(two_audiences, tmp_path):
    # Nothing from outside the project is printed (issue 20): a linked folder is not followed.
    shared = tmp_path / "shared-practice"
    (two_audiences.root / "practices" / "test").rename(shared)
    (two_audiences.root / "practices" / "test").symlink_to(shared, target_is_directory=True)
    result = two_audiences.run("build", "--catalogue", str(two_audiences.root / "catalogue.yaml"),
                               "--output", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert result.stderr == (
        f"practices/test/practice.yaml is a link to {shared / 'practice.yaml'}, outside the project; "
        "copy the file into the project instead\nFound 1 problem in 1 file; nothing was built.\n")
    assert not (tmp_path / "out").exists()


def test_a_practice_folder_linked_inside_the_project_is_followed(two_audiences, tmp_path):
    inside = two_audiences.root / "practices-shared" / "test"
    inside.parent.mkdir()
    (two_audiences.root / "practices" / "test").rename(inside)
    (two_audiences.root / "practices" / "test").symlink_to(inside, target_is_directory=True)
    out = tmp_path / "out"
    build_all(two_audiences, out)
    practice = inside / "practice.yaml"
    practice.write_text(practice.read_text().replace("Fysiotherapie Testpraktijk", "Fysiotherapie Linkpraktijk"))
    _, status, _ = build_all(two_audiences, out)
    assert set(status.values()) == {"built"}


def test_a_pdf_replaced_by_a_single_build_is_rebuilt(two_audiences, tmp_path):
    out = tmp_path / "out"
    build_all(two_audiences, out)
    pdf = out / "test/demo-fysiotherapie-trifold.pdf"
    catalogue_bytes = pdf.read_bytes()
    result = two_audiences.run("build", "--practice", "test", "--audience", "fysiotherapie", "--no-marks",
                               "--output", str(out))
    assert result.exit_code == 0 and pdf.read_bytes() != catalogue_bytes
    _, status, _ = build_all(two_audiences, out)
    assert status[("fysiotherapie", "trifold")] == "built"
    assert status[("orthopedie", "trifold")] == "skipped"
    assert pdf.read_bytes() == catalogue_bytes


def test_a_file_that_cannot_be_read_is_named(tmp_path):
    from leaflet_gen.errors import LeafletError
    from leaflet_gen.fingerprint import file_hash as _file_hash

    with pytest.raises(LeafletError, match=r"^cannot read .*missing\.yaml: No such file or directory; "
                                           r"check that the file is readable$"):
        _file_hash(tmp_path / "missing.yaml")


def test_a_copied_output_folder_is_still_up_to_date(two_audiences, tmp_path):
    import shutil

    build_all(two_audiences, tmp_path / "out")
    shutil.copytree(tmp_path / "out", tmp_path / "restored")  # as CI restores it from a cache
    for pdf in (tmp_path / "restored").rglob("*.pdf"):
        pdf.touch()  # new modification times, same bytes
    result, status, report = build_all(two_audiences, tmp_path / "restored")
    assert result.exit_code == 0, result.output
    assert set(status.values()) == {"skipped"}
    assert all(e["output"].startswith(str(tmp_path / "restored")) for e in report["leaflets"])


def test_render_processes_start_before_hashing_when_the_build_is_certain(mini, tmp_path, monkeypatch):
    """WeasyPrint's import in the first render process is the start's longer path: a forced
    build, or the first into a folder, starts it before hashing the project for its record;
    a build that may be answered from the record hashes first and starts none if it is."""
    from leaflet_gen import api
    from leaflet_gen.pipeline import inputs, pool

    events: list[str] = []
    stamp, renderer = inputs.project_stamp, pool.renderer
    monkeypatch.setattr(inputs, "project_stamp", lambda *a: events.append("hash") or stamp(*a))
    monkeypatch.setattr(pool, "renderer", lambda *a, **k: events.append("render processes") or renderer(*a, **k))
    out = tmp_path / "out"
    for force, expected in ((False, ["render processes", "hash"]),  # the first build into out/
                            (True, ["render processes", "hash"]),
                            (False, ["hash"])):  # nothing changed: answered from the record
        events.clear()
        api.build_leaflets(mini.root, every=True, output=out, force=force)
        assert events == expected, (force, events)
    (mini.root / "practices" / "test" / "practice.yaml").write_text(
        (mini.root / "practices" / "test" / "practice.yaml").read_text() + "\n# edited\n")
    events.clear()
    api.build_leaflets(mini.root, every=True, output=out)
    assert events == ["hash", "render processes"]  # may be answered from the record: it was not
