"""The studio's browser scripts pass ESLint (eslint.config.js: recommended rules, browser globals).

ESLint comes from package-lock.json, installed into node_modules/ by scripts/setup.sh (npm ci),
which also installs Node.js: the tests are skipped only on a machine without node.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from studio_support import ROOT

from leaflet_gen.studio import assets

NODE = shutil.which("node")
ESLINT = ROOT / "node_modules" / "eslint" / "bin" / "eslint.js"
pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed (scripts/setup.sh installs it)")


def eslint(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    assert ESLINT.is_file(), "ESLint is not installed: run scripts/setup.sh (npm ci installs package-lock.json)"
    return subprocess.run([NODE, str(ESLINT), "--max-warnings=0", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=120)


def test_the_studio_scripts_pass_eslint():
    scripts = sorted(p.relative_to(ROOT).as_posix() for p in assets.FOLDER.glob("*.js"))
    assert len(scripts) >= 2
    result = eslint(*scripts)
    assert result.returncode == 0, result.stdout + result.stderr


def test_eslint_holds_the_studio_scripts_to_its_rules():
    """The configuration applies to static/: a script with mistakes fails, naming them (and the
    browser's own names are known)."""
    script = "(function () {\n  var unused = 1;\n  document.body.hidden = !missing;\n})();\n"
    result = eslint("--stdin", "--stdin-filename", "leaflet_gen/studio/static/new.js", stdin=script)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "'unused' is assigned a value but never used" in result.stdout
    assert "'missing' is not defined" in result.stdout and "'document'" not in result.stdout
