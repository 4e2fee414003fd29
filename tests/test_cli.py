"""CLI behaviour: paths printed, exit codes, and the exact messages users see."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from leaflet_gen.cli import cli


def test_build_prints_the_path_and_how_to_print(mini, tmp_path):
    out = tmp_path / "out"
    result = mini.run("build", "--practice", str(mini.root / "practices" / "test"),
                      "--audience", "fysiotherapie", "--variant", "trifold", "--output", str(out))
    assert result.exit_code == 0, result.output
    target = out / "test" / "demo-fysiotherapie-trifold.pdf"
    assert result.stdout.strip() == str(target)
    assert target.read_bytes().startswith(b"%PDF-")
    assert "flip on the short edge" in result.stderr


def test_practice_by_id_and_unknown_practice(mini, tmp_path):
    ok = mini.run("build", "--practice", "test", "--output", str(tmp_path))
    assert ok.exit_code == 0, ok.output
    bad = mini.run("build", "--practice", "nope", "--output", str(tmp_path))
    assert bad.exit_code == 1
    assert bad.stderr.strip() == (
        'Error: practice "nope" not found: expected a folder with a practice.yaml, '
        "or one of the ids in practices/ (test)"
    )


def test_not_a_project(tmp_path):
    def run():
        result = CliRunner().invoke(cli, ["--project", str(tmp_path), "build"])
        assert result.exit_code == 1
        return result.stderr

    assert run() == (f"Error: {tmp_path} is empty: it is no leaflet-gen project yet. Make one in it with "
                     f"`leaflet-gen init {tmp_path}`, or run the command in a project folder (or pass --project DIR).\n")
    (tmp_path / "notes.txt").write_text("not a project")
    assert run() == (f"Error: {tmp_path} is not a leaflet-gen project: it has no content/ and practices/ folders. "
                     "Run the command in a project folder (or pass --project DIR), or make a new project with "
                     "`leaflet-gen init NEW-FOLDER`.\n")
    (tmp_path / "content").mkdir()  # templates/, styles/ and variants/ are built in: no project needs them
    assert run() == (f"Error: {tmp_path} is not a complete leaflet-gen project: missing folder(s) practices. Create "
                     "it (mkdir practices), or run the command in a project folder (or pass --project DIR).\n")


def test_unknown_variant(mini, tmp_path):
    result = mini.run("build", "--practice", "test", "--variant", "poster", "--output", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr.strip() == 'Error: unknown variant "poster"; available: large-print, office, screen, trifold'


def test_bad_audience_is_a_usage_error(mini):
    result = mini.run("build", "--practice", "test", "--audience", "kinderen")
    assert result.exit_code == 2
    assert "'kinderen' is not one of 'fysiotherapie', 'orthopedie'" in result.stderr


def test_help_on_every_command():
    for args in ([], ["build"], ["check"], ["list"]):
        result = CliRunner().invoke(cli, [*args, "--help"])
        assert result.exit_code == 0
        assert "Usage: " in result.output


def test_module_entry_point():
    result = subprocess.run([sys.executable, "-m", "leaflet_gen", "--version"], capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stdout.startswith("leaflet-gen, version ")


def test_an_output_folder_that_cannot_be_made_is_the_users_to_fix(mini, tmp_path):
    in_the_way = tmp_path / "a-file"
    in_the_way.write_text("x")
    result = mini.run("preview", "--practice", "test", "--output", str(in_the_way / "previews"))
    assert result.exit_code == 1
    assert result.stderr == (f"Error: cannot use {in_the_way / 'previews'}: Not a directory; choose another place "
                             "or fix its permissions\n")


def test_build_html_writes_what_weasyprint_lays_out(mini, tmp_path):
    from leaflet_gen.content.project import Project
    from leaflet_gen.layout.templates import render_html
    from leaflet_gen.pipeline.build import Job, compose_job

    page = tmp_path / "debug" / "page.html"
    result = mini.run("build", "--practice", "test", "--audience", "fysiotherapie", "--topic", "demo",
                      "--output", str(tmp_path / "out"), "--html", str(page))
    assert result.exit_code == 0, result.output
    project = Project.open(mini.root)
    leaflet = compose_job(project, Job.of(mini.root / "practices/test", "demo", "fysiotherapie", "trifold"))
    assert page.read_text(encoding="utf-8") == render_html(project, leaflet)
    assert 'href="../styles/trifold.css"' in page.read_text(encoding="utf-8")  # resolves against templates/

    catalogue = mini.run("build", "--all", "--html", str(page), "--output", str(tmp_path / "out"))
    assert catalogue.exit_code == 2 and "--html writes the HTML of one leaflet" in catalogue.stderr


@pytest.mark.parametrize("args,option", [
    (["--project", "a\0b", "list"], "'--project'"),
    (["build", "--output", "o\0ut"], "'--output'"),
    (["build", "--practice", "test", "--icc-profile", "a\0b.icc"], "'--icc-profile'"),
    (["build", "--catalogue", "c\0.yaml"], "'--catalogue'"),
    (["build", "--all", "--shard", "1/2", "--shard-times", "r\0.json"], "'--shard-times'"),
    (["build", "--practice", "test", "--html", "p\0.html"], "'--html'"),
    (["report", "merge", "r\0.json"], "'REPORTS...'"),
    (["report", "merge", "r.json", "-o", "m\0.json"], "'-o' / '--output'"),
    (["preflight", "l\0.pdf"], "'PDF'"),
    (["preview", "--pdf", "l\0.pdf"], "'--pdf'"),
    (["preview", "--practice", "test", "--output", "p\0ng"], "'--output'"),
])
def test_a_nul_in_a_path_option_is_wrong_usage_not_a_bug(mini, args, option):
    result = mini.run(*args)
    value = next(a for a in args if "\0" in a)
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines()[-1] == (f"Error: Invalid value for {option}: {value!r} contains a NUL "
                                              "character; no path can contain one")


@pytest.mark.parametrize("args", [["check"], ["list"], ["build", "--practice", "test", "--audience", "fysiotherapie",
                                                         "--variant", "screen", "--output", "{out}"],
                                  ["--help"], ["--version"], ["build", "--help"], ["schema", "topic"]],
                         ids=["check", "list", "build", "help", "version", "build-help", "schema"])
def test_a_reader_that_stops_early_ends_the_command_quietly(mini, tmp_path, args):
    # `leaflet-gen check | head`: the pipe is closed before anything is written to it (the reader
    # has gone), so the first write fails (click flushes each line it prints).
    import os

    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run([sys.executable, "-m", "leaflet_gen", "--project", str(mini.root),
                               *(a.format(out=tmp_path / "out") for a in args)],
                              stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=300)
    finally:
        os.close(write_end)
    assert (done.returncode, done.stderr) == (141, "")
