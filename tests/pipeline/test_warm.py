"""The warm process (pipeline/warm.py): a later single build is carried out by the process an
earlier one left running, with the same bytes, output, messages and exit codes as without it;
it steps aside when busy, stale, dead or not private, and it never holds the build's pipes."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

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
         verbose: bool = True):
    """The real CLI in a new interpreter, in ``project``; with ``verbose`` it says how it built."""
    environ = {name: value for name, value in os.environ.items() if name != "CI"}
    environ.update({"XDG_RUNTIME_DIR": str(runtime), "LEAFLET_GEN_RENDER_SERVER": "1" if warm else "0",
                    **(env or {})})
    # The timeout makes a warm process that kept our pipes open a failure, not a hang.
    return subprocess.run([sys.executable, "-m", "leaflet_gen", *(["--verbose"] if verbose else []), *args],
                          cwd=project, capture_output=True, text=True, env=environ, timeout=120)


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
