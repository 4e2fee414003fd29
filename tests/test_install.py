"""leaflet-gen as a user installs it: the sdist and the wheel built as a release would build them, the
wheel installed into a new virtual environment, and a project made and built there, far from this
repository (the README's "Use it for your own organisation").

The wheel is built from the sdist (``python -m build`` does that when asked for both), so a file
the sdist misses is missing from the wheel too. Installing the wheel's dependencies from PyPI takes
minutes; by default the new environment reuses the ones of the environment running the tests (a
``.pth`` line: a plain folder on sys.path, whose own ``.pth`` files, like this repository's editable
install, are not run) and ``pip check`` proves they satisfy the wheel's requirements. Set
``LEAFLET_GEN_INSTALL_TEST_FROM_PYPI=1`` to install them from the package index instead.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT
from pypdf import PdfReader

from leaflet_gen import __version__, theme

pytestmark = pytest.mark.slow

THEME_FILES = sorted(f"leaflet_gen/theme/{p.relative_to(theme.BUILTIN).as_posix()}" for p in theme.files())


def _run(args, cwd: Path, env: dict | None = None, check: bool = True, timeout: int = 600):
    result = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, env=env, timeout=timeout)
    if check:
        assert result.returncode == 0, f"{' '.join(map(str, args))}\n{result.stdout}\n{result.stderr}"
    return result


def _source_copy(dest: Path) -> Path:
    """The files git tracks (what a release is made from), without this checkout's build leftovers."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for rel in filter(None, listed):
        source = ROOT / rel
        if source.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            (dest / rel).write_bytes(source.read_bytes())
    return dest


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict:
    if subprocess.run(["git", "-C", str(ROOT), "rev-parse"], capture_output=True).returncode != 0:
        pytest.skip("not a git checkout: the install test builds from the files git tracks")
    base = tmp_path_factory.mktemp("install")
    venv = base / "venv"
    _run([sys.executable, "-m", "venv", venv], base)
    python, pip = venv / "bin" / "python", [venv / "bin" / "python", "-m", "pip", "--disable-pip-version-check"]
    try:
        import build  # noqa: F401 - the test extra; else installed into the new environment
        builder = sys.executable
    except ImportError:
        got = _run([*pip, "install", "--quiet", "build>=1.0"], base, check=False)
        if got.returncode != 0:
            pytest.skip(f"cannot install `build` from the package index: {got.stderr.strip()[-300:]}")
        builder = python
    source = _source_copy(base / "source")
    _run([builder, "-m", "build", "--sdist", "--wheel", "--outdir", base / "dist", source], base, timeout=900)
    wheel = next((base / "dist").glob("leaflet_gen-*.whl"))
    sdist = next((base / "dist").glob("leaflet_gen-*.tar.gz"))
    if os.environ.get("LEAFLET_GEN_INSTALL_TEST_FROM_PYPI"):
        _run([*pip, "install", "--quiet", wheel], base, timeout=1800)
    else:
        _run([*pip, "install", "--quiet", "--no-deps", wheel], base)
        purelib = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], base)
                       .stdout.strip())
        (purelib / "zz-test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
        _run([*pip, "check"], base)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}", LEAFLET_GEN_RENDER_SERVER="0",
               XDG_CACHE_HOME=str(base / "cache"))
    work = base / "work"
    work.mkdir()
    return {"venv": venv, "python": python, "wheel": wheel, "sdist": sdist, "env": env, "work": work}


def test_the_wheel_and_the_sdist_carry_the_theme_and_the_profile_licence(installed):
    with zipfile.ZipFile(installed["wheel"]) as wheel:
        names = set(wheel.namelist())
    assert set(THEME_FILES) <= names, sorted(set(THEME_FILES) - names)
    assert f"leaflet_gen-{__version__}.dist-info/licenses/LICENSES/FOGRA39L.txt" in names or \
        f"leaflet_gen-{__version__}.dist-info/LICENSES/FOGRA39L.txt" in names, sorted(n for n in names if "dist-info" in n)
    assert not any(n.startswith(("templates/", "styles/", "variants/", "content/", "practices/")) for n in names)
    with tarfile.open(installed["sdist"]) as sdist:
        inside = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    assert set(THEME_FILES) <= inside and "LICENSES/FOGRA39L.txt" in inside


def test_init_check_build_preflight_and_an_override_where_it_is_installed(installed):
    env, work = installed["env"], installed["work"]
    lg = installed["venv"] / "bin" / "leaflet-gen"
    where = _run([installed["python"], "-c", "import leaflet_gen, sys; print(leaflet_gen.__file__)"], work, env)
    assert Path(where.stdout.strip()).is_relative_to(installed["venv"]), where.stdout  # the wheel's, not this checkout's

    made = _run([lg, "init", "mijn-folders", "--no-input"], work, env)
    assert made.stdout.endswith("Next:\n  cd mijn-folders\n  leaflet-gen check\n  leaflet-gen build\n"
                                "  leaflet-gen serve --open\n")
    project = work / "mijn-folders"
    check = _run([lg, "check"], project, env)
    assert [line.split(":")[0] for line in check.stderr.splitlines()] == ["Warning"] * 2  # the two concept warnings
    build = _run([lg, "build"], project, env)
    pdf = project / "out" / "voorbeeldpraktijk" / "voorbeeldonderwerp-patienten-trifold.pdf"
    assert build.stdout == f"{pdf}\n"
    preflight = _run([lg, "preflight", pdf], project, env)
    assert "PASS  output intent      PDF/X output intent FOGRA39" in preflight.stdout
    assert preflight.stdout.splitlines()[-1] == "PASSED: 10 passed, 0 warnings, 0 failed"

    # A project stylesheet of a built-in name replaces it: here the cover colour, in CMYK.
    styles = project / "styles"
    styles.mkdir()
    (styles / "trifold.css").write_text(
        (theme.BUILTIN / "styles" / "trifold.css").read_text(encoding="utf-8")
        + "\n@page cover { background: device-cmyk(0 1 0 0); }\n", encoding="utf-8")
    rebuilt = _run([lg, "build"], project, env)
    assert "1 built, 0 unchanged" in rebuilt.stderr, rebuilt.stderr
    assert _magenta_cover(pdf) and not _magenta_cover(_built_without_override(lg, project, env))
    _run([lg, "preflight", pdf], project, env)


def _magenta_cover(pdf: Path) -> bool:
    """Whether the leaflet's outside sheet has a fill in pure magenta ink (the cover's background)."""
    data = b"".join(_streams(PdfReader(pdf).pages[0]))
    return b"0 1 0 0 scn" in data


def _streams(page) -> list[bytes]:
    """The page's content and every form XObject it draws (the imposed panels), decoded."""
    found, pending, seen = [page.get_contents().get_data()], [page["/Resources"]], set()
    while pending:
        resources = pending.pop()
        for ref in (resources.get("/XObject") or {}).values():
            obj = ref.get_object()
            if id(obj) in seen or obj.get("/Subtype") != "/Form":
                continue
            seen.add(id(obj))
            found.append(obj.get_data())
            if "/Resources" in obj:
                pending.append(obj["/Resources"].get_object())
    return found


def _built_without_override(lg: Path, project: Path, env: dict) -> Path:
    out = project.parent / "zonder"
    (project / "styles" / "trifold.css").rename(project.parent / "trifold.css")
    try:
        _run([lg, "build", "--output", out], project, env)
    finally:
        (project.parent / "trifold.css").rename(project / "styles" / "trifold.css")
    return out / "voorbeeldpraktijk" / "voorbeeldonderwerp-patienten-trifold.pdf"
