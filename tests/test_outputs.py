"""What is at an output path when leaflet-gen writes there (issue 28): only a regular file is ever
replaced. A device, a named pipe, a socket, a folder or a link is refused with exit 1 and left as
it was, for every output the tool takes; temporary files of other writers are left alone."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from leaflet_gen import files
from leaflet_gen.files import NotAFile

ROOT_ONLY = pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
REFUSED = "not a regular file; leaflet-gen replaces only regular files, so it left it as it is: "
ELSEWHERE = "give the path of a file to write instead (to throw the output away: a temporary file)"


def make(kind: str, path: Path) -> Path:
    """Put a ``kind`` at ``path``: what a user (or an attacker) may have there."""
    if kind in ("char device", "link to a device"):
        device = path if kind == "char device" else path.with_name(path.name + ".dev")
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a private /dev/null
        if kind == "link to a device":
            path.symlink_to(device)
    elif kind == "named pipe":
        os.mkfifo(path)
    elif kind == "socket":
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(path))
        server.close()
    elif kind == "folder":
        path.mkdir()
        (path / "inside.txt").write_text("kept")
    elif kind == "link to a file":
        real = path.with_name(path.name + ".real")
        real.write_text("the link's file")
        path.symlink_to(real)
    return path


def state(path: Path) -> tuple:
    """What is at ``path``, as much as a replacement would change: kind, device number, link target."""
    st = os.lstat(path)
    link = os.readlink(path) if stat.S_ISLNK(st.st_mode) else None
    return stat.S_IFMT(st.st_mode), st.st_rdev, st.st_ino, link


MESSAGES = {
    "char device": f"is a character device, {REFUSED}{ELSEWHERE}",
    "link to a device": f"is a symbolic link, {REFUSED}leaflet-gen does not write through links: give the path "
                        "of the file itself, or remove the link",
    "link to a file": f"is a symbolic link, {REFUSED}leaflet-gen does not write through links: give the path "
                      "of the file itself, or remove the link",
    "named pipe": f"is a named pipe (FIFO), {REFUSED}{ELSEWHERE}",
    "socket": f"is a socket, {REFUSED}{ELSEWHERE}",
    "folder": f"is a folder, {REFUSED}give the path of a file instead, not of a folder",
}
KINDS = [pytest.param(k, marks=ROOT_ONLY) if "device" in k else k for k in MESSAGES]


# --- the one writer ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_write_together_refuses_all_when_one_target_is_not_a_regular_file(tmp_path, kind):
    before = tmp_path / "a.pdf"
    before.write_bytes(b"old")
    special = make(kind, tmp_path / "a.job.txt")
    was = state(special)
    with pytest.raises(NotAFile) as refused:
        files.write_together({before: b"new", special: b"sheet"})
    assert str(refused.value) == f"{special} {MESSAGES[kind]}"
    assert state(special) == was and before.read_bytes() == b"old"  # all or none
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")) == []
    if kind == "link to a file":
        assert special.read_text() == "the link's file"


def test_write_together_replaces_regular_files_whole(tmp_path):
    target = tmp_path / "sub" / "report.json"
    files.write_atomic(target, b"one")
    inode = target.stat().st_ino
    files.write_together({target: b"two", tmp_path / "other.txt": b"three"})
    assert target.read_bytes() == b"two" and target.stat().st_ino != inode  # a new file, renamed in place
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    files.write_atomic(target, b"private", mode=0o600, sync=False)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.rglob("*.tmp")) == []


def test_a_temporary_file_is_removed_only_when_its_writer_is_gone(tmp_path):
    target = tmp_path / "demo-fysiotherapie-trifold.pdf"
    machine = files._machine()
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    try:
        temps = {
            "another build's, running": f"lg{machine}-{alive.pid}-{files._start_time(alive.pid)}.k3j2h1ab",
            "this process's own": f"lg{machine}-{os.getpid()}-{files._start_time(os.getpid())}.a1b2c3d4",
            "a killed build's": f"lg{machine}-{gone.pid}-{files._start_time(os.getpid())}.zz99yy88",
            "a reused pid's (other start)": f"lg{machine}-{alive.pid}-1.q1w2e3r4",
            "another machine's, new": f"lg0000beef-{alive.pid}-5.m1n2b3v4",
            "another machine's, old": f"lg0000beef-{alive.pid}-6.m1n2b3v5",
            "an older leaflet-gen's, new": "abc123xy",
            "an older leaflet-gen's, old": "abc123xz",
        }
        paths = {what: tmp_path / f".{target.name}.{middle}.tmp" for what, middle in temps.items()}
        paths["not a temporary file of ours"] = tmp_path / f".{target.name}.notes.of.mine.tmp"
        for what, path in paths.items():
            path.write_bytes(b"x")
            if what.endswith(", old"):
                os.utime(path, (time.time() - files.STALE_SECONDS - 60,) * 2)
        files.remove_abandoned(target)
        kept = sorted(what for what, path in paths.items() if path.exists())
    finally:
        alive.kill()
        alive.wait()
    assert kept == sorted(["another build's, running", "this process's own", "another machine's, new",
                           "an older leaflet-gen's, new", "not a temporary file of ours"])


def test_temporary_names_fit_a_long_target_name(tmp_path):
    target = tmp_path / ("x" * 250 + ".pdf")  # 254 bytes: as long as a name may be
    files.write_atomic(target, b"long")
    assert target.read_bytes() == b"long"


# --- every output path of the tool ----------------------------------------------------------------


@pytest.fixture(scope="module")
def shard_report(tmp_path_factory):
    """A shard's report to merge (one leaflet), built once for this module."""
    from click.testing import CliRunner
    from conftest import MiniProject

    from leaflet_gen.cli import cli

    mini = MiniProject(tmp_path_factory.mktemp("merge") / "project")
    mini.write("catalogue.yaml", "leaflets:\n  - practice: test\n    variants: [screen]\n")
    out = mini.root.parent / "out"
    result = CliRunner().invoke(cli, ["--project", str(mini.root), "build", "--catalogue",
                                      str(mini.root / "catalogue.yaml"), "--shard", "1/1", "--output", str(out)])
    assert result.exit_code == 0, result.output
    return out / "build-report.json"


@pytest.mark.parametrize("kind", KINDS)
def test_report_merge_never_replaces_what_is_not_a_file(shard_report, tmp_path, kind):
    from click.testing import CliRunner

    from leaflet_gen.cli import cli

    target = make(kind, tmp_path / "merged.json")
    was = state(target)
    result = CliRunner().invoke(cli, ["report", "merge", str(shard_report), "-o", str(target)])
    assert result.exit_code == 1, result.output
    assert result.stderr == f"Error: {target} {MESSAGES[kind]}\n"
    assert state(target) == was


@ROOT_ONLY
def test_builds_never_replace_a_device(mini, tmp_path):
    out = tmp_path / "out"
    pdf = out / "test" / "demo-fysiotherapie-trifold.pdf"
    pdf.parent.mkdir(parents=True)
    html = make("char device", tmp_path / "page.html")
    one = ["build", "--practice", "test", "--audience", "fysiotherapie", "--topic", "demo", "--output", str(out)]

    result = mini.run(*one, "--html", str(html))
    assert (result.exit_code, result.stderr) == (1, f"Error: {html} {MESSAGES['char device']}\n")

    sheet = make("char device", pdf.with_suffix(".job.txt"))  # written with the PDF, as one unit
    result = mini.run(*one)
    assert (result.exit_code, result.stderr) == (1, f"Error: {sheet} {MESSAGES['char device']}\n")
    assert not pdf.exists()
    sheet.unlink()

    # A catalogue: its report and record are refused before anything is built; a PDF fails its leaflet.
    report = make("char device", out / "build-report.json")
    result = mini.run("build", "--all", "--output", str(out))
    assert (result.exit_code, result.stderr) == (1, f"Error: {report} {MESSAGES['char device']}\n")
    assert not pdf.exists() and stat.S_ISCHR(os.lstat(report).st_mode)
    report.unlink()
    make("char device", pdf)
    result = mini.run("build", "--all", "--output", str(out))
    assert result.exit_code == 1
    assert (f"Failed: test demo fysiotherapie trifold:\n{pdf} {MESSAGES['char device']}\n"
            "4 leaflets: 3 built, 0 unchanged, 1 failed") in result.stderr
    for path in (html, pdf):
        assert stat.S_ISCHR(os.lstat(path).st_mode) and os.lstat(path).st_rdev == os.makedev(1, 3)


@ROOT_ONLY
def test_previews_schemas_and_new_practice_never_replace_a_device(mini, tmp_path, shipped):
    pictures = tmp_path / "png"
    pictures.mkdir()
    png = make("char device", pictures / "lage-rugpijn-fysiotherapie-trifold-sheet-inside.png")
    result = mini.run("preview", "--pdf", str(shipped["fysiotherapie"]), "--output", str(pictures))
    assert (result.exit_code, result.stderr) == (1, f"Error: {png} {MESSAGES['char device']}\n")
    assert sorted(p.name for p in pictures.iterdir()) == [png.name]  # all of the pictures, or none

    (mini.root / "schemas").mkdir()
    schema = make("char device", mini.root / "schemas" / "topic.schema.json")
    result = mini.run("schema", "--write")
    assert (result.exit_code, result.stderr) == (1, f"Error: {schema} {MESSAGES['char device']}\n")

    logo = mini.root / "practices" / "test" / "logo.svg"
    logo.rename(tmp_path / "logo.svg")
    make("link to a device", logo)
    result = mini.run("new-practice", "--no-input", "--force", "--id", "test", "--name", "Testpraktijk",
                      "--logo", str(tmp_path / "logo.svg"), "--address", "Teststraat 1, 1234 AB Utrecht",
                      "--phone", "030 123 45 67", "--colour", "#1B6E8C", "--audiences", "fysiotherapie")
    assert result.exit_code == 1, result.output
    assert result.stderr.endswith(f"Error: {logo} {MESSAGES['link to a device']}\n")
    for path in (png, schema, logo.with_name("logo.svg.dev")):
        assert stat.S_ISCHR(os.lstat(path).st_mode)
    assert logo.is_symlink()


def test_a_named_pipe_without_a_reader_never_makes_a_command_hang(mini, tmp_path, shard_report):
    fifo = make("named pipe", tmp_path / "target")
    commands = [
        ["report", "merge", str(shard_report), "-o", str(fifo)],
        ["build", "--practice", "test", "--audience", "fysiotherapie", "--topic", "demo", "--variant", "screen",
         "--output", str(tmp_path / "out"), "--html", str(fifo)],
    ]
    for args in commands:
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "leaflet_gen", "--project", str(mini.root), *args],
                              capture_output=True, text=True, timeout=120)
        assert (done.returncode, done.stderr) == (1, f"Error: {fifo} {MESSAGES['named pipe']}\n"), args
        assert time.monotonic() - started < 60
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
