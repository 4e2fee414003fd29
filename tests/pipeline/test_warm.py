"""The warm process (pipeline/warm.py): a later single build is carried out by the process an
earlier one left running, with the same bytes, output, messages and exit codes as without it;
it steps aside when busy, stale, dead or not private, and it never holds the build's pipes."""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
from test_catalogue import two_audiences  # noqa: F401 (a fixture)

BUILD = ["build", "--practice", "test", "--audience", "fysiotherapie", "--topic", "demo", "--output", "out"]


@pytest.fixture
def runtime():
    """A short private folder for the sockets (a Unix socket path has at most 107 bytes), and
    every warm process started in it stopped at the end."""
    folder = Path(tempfile.mkdtemp(prefix="lgw"))
    yield folder
    for pid in _servers(folder):
        os.kill(pid, signal.SIGKILL)
    shutil.rmtree(folder, ignore_errors=True)


def _servers(runtime: Path) -> list[int]:
    """Pids of the warm processes serving sockets under ``runtime``."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"leaflet_gen.pipeline.warm" in cmdline and str(runtime / "leaflet-gen").encode() in cmdline:
            found.append(int(entry.name))
    return found


def _cli(project: Path, runtime: Path, *args: str, warm: bool = True, env: dict | None = None,
         verbose: bool = True, command: tuple = (sys.executable, "-m", "leaflet_gen"), umask: int = 0o022):
    """The real CLI in a new interpreter, in ``project``; with ``verbose`` it says how it built."""
    environ = {name: value for name, value in os.environ.items() if name != "CI"}
    environ.update({"XDG_RUNTIME_DIR": str(runtime), "LEAFLET_GEN_RENDER_SERVER": "1" if warm else "0",
                    **(env or {})})
    # The timeout makes a warm process that kept our pipes open a failure, not a hang.
    return subprocess.run([*command, *(["--verbose"] if verbose else []), *args],
                          cwd=project, capture_output=True, text=True, env=environ, timeout=120, umask=umask)


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_later_build_is_carried_out_warm_with_the_same_files_and_output(mini, runtime):
    first = _cli(mini.root, runtime, *BUILD)
    assert first.returncode == 0, first.stderr
    assert "a warm process starts for the next builds" in first.stderr
    assert len(_servers(runtime)) == 1
    cold_files = _files(mini.root / "out")
    shutil.rmtree(mini.root / "out")

    second = _cli(mini.root, runtime, *BUILD)
    assert second.returncode == 0, second.stderr
    assert "building in the warm process" in second.stderr
    assert _files(mini.root / "out") == cold_files  # PDF and job sheets, byte for byte
    shutil.rmtree(mini.root / "out")

    # What a user sees (no --verbose): the same with and without it.
    warm = _cli(mini.root, runtime, *BUILD, verbose=False)
    without = _cli(mini.root, runtime, *BUILD, warm=False, verbose=False)
    assert _files(mini.root / "out") == cold_files
    assert warm.stdout == without.stdout == "out/test/demo-fysiotherapie-trifold.pdf\n"
    assert warm.stderr == without.stderr
    assert "Print duplex" in warm.stderr
    assert len(_servers(runtime)) == 1


def test_problems_found_warm_read_and_exit_as_without_it(mini, runtime):
    assert _cli(mini.root, runtime, *BUILD).returncode == 0  # starts the warm process
    kort = (mini.root / "content/demo/kort.yaml").read_text(encoding="utf-8")
    mini.write("content/demo/kort.yaml", "title: [unclosed\n")
    assert "building in the warm process" in _cli(mini.root, runtime, *BUILD).stderr
    warm = _cli(mini.root, runtime, *BUILD, verbose=False)
    cold = _cli(mini.root, runtime, *BUILD, warm=False, verbose=False)
    assert warm.returncode == cold.returncode == 1
    assert "content/demo/kort.yaml:" in cold.stderr
    assert warm.stderr == cold.stderr

    bad_audience = _cli(mini.root, runtime, "build", "--practice", "test", "--audience", "kinderen")
    assert bad_audience.returncode == 2
    assert "'kinderen' is not one of 'fysiotherapie', 'orthopedie'" in bad_audience.stderr

    mini.write("content/demo/kort.yaml", kort)
    mini.write("blocked/test", "a file where the practice's output folder should be")
    result = _cli(mini.root, runtime, *BUILD[:-1], "blocked")  # written here, sent by the warm process
    assert "building in the warm process" in result.stderr
    assert result.returncode == 1
    assert "Error: cannot write blocked/test/demo-fysiotherapie-trifold.pdf: File exists" in result.stderr


def test_the_warm_process_runs_the_installed_code_not_a_folder_of_the_same_name_in_the_project(mini, runtime):
    # The console script, as a user runs it: Python puts the script's folder first on sys.path,
    # not the current folder (where `python -m` would find this copy first).
    script = (str(Path(sys.executable).parent / "leaflet-gen"),)
    mini.write("leaflet_gen/__init__.py", "raise SystemExit('a copy in the project folder was imported')\n")
    assert _cli(mini.root, runtime, *BUILD, command=script).returncode == 0
    second = _cli(mini.root, runtime, *BUILD, command=script)
    assert second.returncode == 0, second.stderr
    assert "building in the warm process" in second.stderr


def test_a_busy_warm_process_is_left_alone(mini, runtime):
    assert _cli(mini.root, runtime, *BUILD).returncode == 0
    [lock] = (runtime / "leaflet-gen").glob("*.lock")
    with open(lock, "rb") as held:  # another build is using it
        fcntl.flock(held, fcntl.LOCK_EX)
        result = _cli(mini.root, runtime, *BUILD)
    assert result.returncode == 0, result.stderr
    assert "busy with another build" in result.stderr
    assert "building in the warm process" not in result.stderr


def test_a_changed_environment_gets_a_new_process_and_the_old_one_goes(mini, runtime):
    assert _cli(mini.root, runtime, *BUILD).returncode == 0
    [old] = _servers(runtime)
    result = _cli(mini.root, runtime, *BUILD, env={"FONTCONFIG_PATH": "/etc/fonts"})
    assert result.returncode == 0, result.stderr
    assert "a warm process starts" in result.stderr
    deadline = time.monotonic() + 20
    while old in _servers(runtime) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _servers(runtime) != [old] and old not in _servers(runtime)


def test_a_killed_warm_process_is_replaced(mini, runtime):
    assert _cli(mini.root, runtime, *BUILD).returncode == 0
    [pid] = _servers(runtime)
    os.kill(pid, signal.SIGKILL)
    time.sleep(0.2)
    result = _cli(mini.root, runtime, *BUILD)
    assert result.returncode == 0, result.stderr
    assert "a warm process starts" in result.stderr
    assert (mini.root / "out/test/demo-fysiotherapie-trifold.pdf").stat().st_size > 0


def test_no_warm_process_without_a_private_folder_or_on_ci(mini, runtime):
    (runtime / "leaflet-gen").mkdir(mode=0o755)
    os.chmod(runtime / "leaflet-gen", 0o755)  # others could reach the socket
    result = _cli(mini.root, runtime, *BUILD)
    assert result.returncode == 0, result.stderr
    assert "not a private folder" in result.stderr
    assert _servers(runtime) == []
    os.chmod(runtime / "leaflet-gen", 0o700)
    on_ci = _cli(mini.root, runtime, *BUILD, env={"CI": "true"})
    assert on_ci.returncode == 0 and "warm process" not in on_ci.stderr
    assert _servers(runtime) == []


# --- catalogue builds ----------------------------------------------------------------------------

ALL = ["build", "--all", "--force", "--output", "out"]


def _plain(stderr: str) -> list[str]:
    """A catalogue's stderr without what differs from run to run: times, and the order in which
    the render processes finished the leaflets."""
    import re

    return sorted(re.sub(r"\d+\.\d s", "N s", re.sub(r"^\[\d+/", "[", line)) for line in stderr.splitlines())


def test_a_catalogue_build_starts_a_warm_process_and_the_next_one_is_built_there_the_same(mini, runtime):
    first = _cli(mini.root, runtime, *ALL)
    assert first.returncode == 0, first.stderr
    assert "render processes: up to" in first.stderr and "the first importing WeasyPrint now" in first.stderr
    assert "a warm process starts for the next builds" in first.stderr  # when it was done
    assert len(_servers(runtime)) == 1
    cold = _files(mini.root / "out")
    pdfs = sorted(name for name in cold if name.endswith(".pdf"))
    assert len(pdfs) == 4  # one leaflet in each variant

    # Into a folder without a record (a chain's first build, perhaps): without it.
    fresh = _cli(mini.root, runtime, "build", "--all", "--output", "fresh")
    assert fresh.returncode == 0 and "the first importing WeasyPrint now" in fresh.stderr
    assert "building in the warm process" not in fresh.stderr
    assert _files(mini.root / "fresh").keys() == cold.keys()

    for pdf in pdfs:  # rewritten by the next build, compared with the cold build's bytes
        (mini.root / "out" / pdf).unlink()
    second = _cli(mini.root, runtime, *ALL)
    assert second.returncode == 0, second.stderr
    assert "building in the warm process" in second.stderr
    assert "from a fork server" in second.stderr  # render processes forked warm, not the warm process itself
    warm = _files(mini.root / "out")
    reports = [json.loads(files.pop("build-report.json")) for files in (cold, warm)]
    caches = [json.loads(files.pop(".leaflet-gen-cache.json")) for files in (cold, warm)]
    assert warm == cold  # every PDF and job sheet, byte for byte
    assert [(e["output"], e["status"], e["input_key"]) for e in reports[1]["leaflets"]] == \
        [(e["output"], e["status"], e["input_key"]) for e in reports[0]["leaflets"]]
    assert all(e["cpu_seconds"] > 0 and e["compose_cpu_seconds"] > 0 for e in reports[1]["leaflets"])
    assert caches[1]["leaflets"].keys() == caches[0]["leaflets"].keys() and caches[1]["stamp"]["key"]

    # What a user sees: the same lines, the same exit code.
    shown_warm = _cli(mini.root, runtime, *ALL, verbose=False)
    shown_cold = _cli(mini.root, runtime, *ALL, warm=False, verbose=False)
    assert shown_warm.returncode == shown_cold.returncode == 0
    assert shown_warm.stdout == shown_cold.stdout and len(shown_warm.stdout.splitlines()) == 4
    assert _plain(shown_warm.stderr) == _plain(shown_cold.stderr)
    assert any(line.startswith("[1/4] built out/test/") for line in shown_warm.stderr.splitlines())

    unchanged = _cli(mini.root, runtime, "build", "--all", "--output", "out")  # answered from the record
    assert "4 leaflets: 0 built, 4 unchanged" in unchanged.stderr
    assert "warm process" not in unchanged.stderr

    # A chain's catalogue (more leaflets in the output folder's record than WARM_MAX)
    # builds with render processes of its own, and starts no warm process for the next build.
    from leaflet_gen.pipeline.catalogue import WARM_MAX

    shutil.copytree(mini.root / "out", mini.root / "chain")
    record = json.loads((mini.root / "chain/.leaflet-gen-cache.json").read_text())
    record["leaflets"].update({f"branch-{i}/demo.pdf": {} for i in range(WARM_MAX)})
    (mini.root / "chain/.leaflet-gen-cache.json").write_text(json.dumps(record))
    large = _cli(mini.root, runtime, "build", "--all", "--force", "--output", "chain")
    assert large.returncode == 0, large.stderr
    assert "the first importing WeasyPrint now" in large.stderr and "warm process" not in large.stderr

    # The folders it makes are the build's: its umask, not the one of the build that started it.
    assert (mini.root / "out/test").stat().st_mode & 0o777 == 0o755
    shutil.rmtree(mini.root / "out/test")
    shared = _cli(mini.root, runtime, "build", "--all", "--output", "out", umask=0o002)
    assert "building in the warm process" in shared.stderr
    assert (mini.root / "out/test").stat().st_mode & 0o777 == 0o775


def test_a_catalogues_problems_found_warm_read_and_exit_as_without_it(mini, runtime):
    assert _cli(mini.root, runtime, *ALL).returncode == 0  # leaves a warm process
    kort = (mini.root / "content/demo/kort.yaml").read_text(encoding="utf-8")
    mini.write("catalogue.yaml", "leaflets:\n  - practice: nobody\n")
    warm = _cli(mini.root, runtime, "build", "--catalogue", "catalogue.yaml", "--output", "out")
    assert "building in the warm process" in warm.stderr
    warm = _cli(mini.root, runtime, "build", "--catalogue", "catalogue.yaml", "--output", "out", verbose=False)
    cold = _cli(mini.root, runtime, "build", "--catalogue", "catalogue.yaml", "--output", "out", warm=False,
                verbose=False)
    assert warm.returncode == cold.returncode == 1
    assert "nobody" in cold.stderr
    assert warm.stderr == cold.stderr

    # A leaflet that fails fails the same way, and the others are built.
    mini.write("catalogue.yaml", "leaflets:\n  - practice: test\n")
    mini.write("content/demo/kort.yaml", "title: [unclosed\n")
    warm = _cli(mini.root, runtime, "build", "--catalogue", "catalogue.yaml", "--output", "out", verbose=False)
    cold = _cli(mini.root, runtime, "build", "--catalogue", "catalogue.yaml", "--output", "out", warm=False,
                verbose=False)
    assert warm.returncode == cold.returncode == 1
    assert "content/demo/kort.yaml:" in warm.stderr
    assert _plain(warm.stderr) == _plain(cold.stderr)

    # A file it cannot write is the user's to fix (exit 1), not a bug (exit 3), warm or not.
    mini.write("content/demo/kort.yaml", kort)
    (mini.root / "out/build-report.json").unlink()
    (mini.root / "out/build-report.json").mkdir()
    warm = _cli(mini.root, runtime, *ALL, verbose=False)
    cold = _cli(mini.root, runtime, *ALL, warm=False, verbose=False)
    assert warm.returncode == cold.returncode == 1
    assert warm.stderr == ("Error: out/build-report.json is a folder, not a regular file; leaflet-gen replaces only "
                           "regular files, so it left it as it is: give the path of a file instead, not of a folder\n")
    assert _plain(warm.stderr) == _plain(cold.stderr)


def test_a_catalogue_whose_build_has_gone_stops_without_writing_more(mini, monkeypatch):
    """Ctrl-C ends the build that sent the order: the warm process finds its end of the
    connection closed and writes nothing more, no report and no cache record."""
    from multiprocessing import Pipe

    from leaflet_gen.pipeline import build, warm
    from leaflet_gen.pipeline.catalogue import Request

    order = warm.CatalogueOrder(str(mini.root), Request("all", None), str(mini.root / "out"), {}, True, 1, None,
                                cwd=str(mini.root), log_level=logging.INFO)
    logger = logging.getLogger("leaflet_gen")
    cwd, environ, level = os.getcwd(), dict(os.environ), logger.level

    def carry_out(ours) -> None:
        try:
            warm._carry_out(ours, order, None)
            assert os.getcwd() == "/"  # the warm process's own, as after every order
        finally:
            os.chdir(cwd)
        assert dict(os.environ) == environ and logger.level == level
        assert not [h for h in logger.handlers if isinstance(h, warm._Forward)]

    ours, theirs = Pipe()
    theirs.close()  # gone before the warm process began
    carry_out(ours)
    assert not (mini.root / "out").exists() or not any((mini.root / "out").rglob("*.pdf"))

    # Gone while the third leaflet is composed: the first two are rendered (one render process
    # renders at submit here) and wait to be finished; neither is written.
    ours, theirs = Pipe()
    compose, calls = build.compose_job, []

    def compose_and_go(*args):
        calls.append(args)
        if len(calls) == 3:
            theirs.close()
        return compose(*args)

    monkeypatch.setattr(build, "compose_job", compose_and_go)
    carry_out(ours)
    assert len(calls) == 3
    assert not (mini.root / "out").exists() or not any((mini.root / "out").rglob("*.pdf"))
    assert not (mini.root / "out/build-report.json").exists()
    assert not (mini.root / "out/.leaflet-gen-cache.json").exists()
    monkeypatch.undo()

    # The same order with the build still there: built, and the report comes back.
    ours, theirs = Pipe()
    carry_out(ours)
    events = []
    while theirs.poll():
        events.append(theirs.recv())
    assert [e[0] for e in events].count("log") == 4 and events[-1][0] == "done"
    assert events[-1][1].summary().startswith("4 leaflets: 4 built")
    assert len(list((mini.root / "out").rglob("*.pdf"))) == 4


# --- a warm process that does not answer ---------------------------------------------------------

PATIENT = {"LEAFLET_GEN_WARM_TIMEOUT": "2"}  # instead of 20 s for an order's answer, 60 s of silence
GAVE_UP = "the warm process did not answer within 2 s; building without it"


def _socket(runtime: Path) -> Path:
    [path] = (runtime / "leaflet-gen").glob("*.sock")
    return path


@contextlib.contextmanager
def _stopped(pid: int):
    os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGCONT)


def test_a_stopped_warm_process_is_given_up_and_the_build_is_the_same(mini, runtime):
    cold = _cli(mini.root, runtime, *BUILD, warm=False, verbose=False)
    cold_files = _files(mini.root / "out")
    shutil.rmtree(mini.root / "out")
    for verbose in (True, False):
        assert _cli(mini.root, runtime, *BUILD).returncode == 0  # leaves a warm process
        [pid] = _servers(runtime)
        with _stopped(pid):
            started = time.monotonic()
            result = _cli(mini.root, runtime, *BUILD, env=PATIENT, verbose=verbose)
            assert time.monotonic() - started < 30
            assert pid not in _servers(runtime)  # killed: continued, it would write nothing more
        assert result.returncode == cold.returncode == 0
        assert result.stdout == cold.stdout
        if verbose:
            assert f"{GAVE_UP} (stopped it)" in result.stderr
        else:
            assert result.stderr == cold.stderr
        assert _files(mini.root / "out") == cold_files  # nothing half-written, no temporary file left
        assert not list((runtime / "leaflet-gen").glob("*.sock"))  # the next build starts a new one
        shutil.rmtree(mini.root / "out")

    # A catalogue sent to it: built here, the same, and a new warm process for the next build.
    assert _cli(mini.root, runtime, *ALL, warm=False).returncode == 0  # a record: small, so warm next time
    cold = _cli(mini.root, runtime, *ALL, warm=False, verbose=False)
    cold_files = _files(mini.root / "out")
    assert _cli(mini.root, runtime, *BUILD).returncode == 0
    [pid] = _servers(runtime)
    with _stopped(pid):
        result = _cli(mini.root, runtime, *ALL, env=PATIENT, verbose=False)
    assert result.returncode == cold.returncode == 0
    assert result.stdout == cold.stdout and _plain(result.stderr) == _plain(cold.stderr)
    assert _files(mini.root / "out").keys() == cold_files.keys()
    assert _servers(runtime) and pid not in _servers(runtime)


@pytest.mark.parametrize("accepts", [True, False], ids=["accepts", "full-queue"])
def test_a_socket_that_never_answers_never_hangs_a_build(mini, runtime, accepts):
    """Not a warm process at all: one that takes the connection and the order and says nothing,
    or one whose queue of connections is full (connect would wait)."""
    assert _cli(mini.root, runtime, *BUILD).returncode == 0
    cold_files = _files(mini.root / "out")
    shutil.rmtree(mini.root / "out")
    path = _socket(runtime)
    for pid in _servers(runtime):
        os.kill(pid, signal.SIGKILL)
    path.unlink()
    held = []
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as fake:
        fake.bind(str(path))
        fake.listen(0)
        if accepts:
            threading.Thread(target=lambda: held.append(fake.accept()), daemon=True).start()
        else:
            with contextlib.suppress(BlockingIOError):
                while True:
                    waiting = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                    held.append(waiting)
                    waiting.setblocking(False)
                    waiting.connect(str(path))
        result = _cli(mini.root, runtime, *BUILD, env=PATIENT)
    for sock in held:
        (sock[0] if isinstance(sock, tuple) else sock).close()
    assert result.returncode == 0, result.stderr
    assert GAVE_UP + "\n" in result.stderr  # not "(stopped it)": not ours
    assert _files(mini.root / "out") == cold_files
    assert not path.exists()
    again = _cli(mini.root, runtime, *BUILD)
    assert "a warm process starts for the next builds" in again.stderr


# A warm process that stops answering in the middle of a build: it serves one order as the real
# one does, and stops saying anything after the first leaflet (single: once its path was sent;
# a catalogue: after two progress lines). It records the inode of the first PDF the build wrote.
# The real catalogue_here writes the PDFs itself: the build done here writes them again (the same
# bytes), after the warm process was given up.
_HANGS = """
import os, socket, sys, time
from pathlib import Path
from leaflet_gen.pipeline import pool, warm

path, stall_after, first = sys.argv[1], sys.argv[2], Path(sys.argv[3])
pool.warm_up()
warm._preload()
listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
listener.bind(path)
listener.listen(1)
Path(path + ".ready").touch()


class Stalls:
    def __init__(self, conn):
        self.conn, self.logs, self.stalled = conn, 0, False

    def poll(self):
        return self.conn.poll()

    def send(self, event):
        if self.stalled:
            while stall_after == "result" and not first.exists():  # the build writes it
                time.sleep(0.05)
            Path(path + ".inode").write_text(str(first.stat().st_ino) if first.exists() else "")
            time.sleep(3600)
        self.conn.send(event)
        self.logs += event[0] == "log" and event[4] is not None
        self.stalled = event[0] == stall_after or (stall_after == "log" and self.logs == 2)


from multiprocessing.connection import Connection
conn = Connection(listener.accept()[0].detach())
warm._carry_out(Stalls(conn), conn.recv(), None)
"""


@pytest.mark.parametrize("catalogue", [False, True], ids=["single", "catalogue"])
def test_a_warm_process_that_stops_answering_midway_shows_and_writes_nothing_twice(two_audiences, runtime,  # noqa: F811
                                                                                   catalogue):
    mini = two_audiences
    topic = (mini.root / "content/demo/topic.yaml").read_text()
    mini.write("content/demo/topic.yaml", topic.replace("status: approved", "status: concept"))  # warnings
    args = ALL if catalogue else ["build", "--practice", "test", "--output", "out"]
    cold = _cli(mini.root, runtime, *args, warm=False, verbose=False)
    assert cold.returncode == 0 and cold.stdout.count("\n") == (8 if catalogue else 2)
    assert cold.stderr.count("Warning:") == (1 if catalogue else 2)  # a catalogue says each once
    cold_files = _files(mini.root / "out")
    if not catalogue:
        shutil.rmtree(mini.root / "out")
    assert _cli(mini.root, runtime, *BUILD).returncode == 0  # for the socket's name (the key)
    path = _socket(runtime)
    for pid in _servers(runtime):
        os.kill(pid, signal.SIGKILL)
    path.unlink()
    first = mini.root / "out/test" / sorted(n for n in cold_files if n.endswith(".pdf"))[0].split("/")[1]
    hangs = subprocess.Popen([sys.executable, "-c", _HANGS, str(path), "log" if catalogue else "result",
                              str(first)], cwd=runtime, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not Path(f"{path}.ready").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        result = _cli(mini.root, runtime, *args, env={"LEAFLET_GEN_WARM_TIMEOUT": "5"}, verbose=False)
    finally:
        hangs.kill()
        hangs.wait()
    assert result.returncode == cold.returncode
    assert result.stdout == cold.stdout
    assert _plain(result.stderr) == _plain(cold.stderr)  # each progress line and warning once
    assert _files(mini.root / "out").keys() == cold_files.keys()
    assert Path(f"{path}.inode").exists()  # it did stop answering midway
    if not catalogue:
        assert _files(mini.root / "out") == cold_files
        assert result.stderr == cold.stderr
        assert first.stat().st_ino == int(Path(f"{path}.inode").read_text())  # written once
