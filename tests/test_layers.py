"""The package's layers and import rules hold (pyproject.toml [tool.importlinter], docs/architecture.md).

import-linter reads the imports from the source, so the contracts cover every import: at module
level, inside a function and under ``if TYPE_CHECKING:``; the second test shows that on a copy.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(no_cache=True))"


def _lint(cwd: Path) -> subprocess.CompletedProcess:
    """lint-imports on the package in ``cwd`` (run there, so that is the leaflet_gen it finds)."""
    return subprocess.run([sys.executable, "-c", LINT], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_every_import_contract_is_kept():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize("import_", [
    "def _later():\n    from leaflet_gen.pipeline.inputs import project_stamp\n",  # a lazy import
    "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from leaflet_gen.pipeline.inputs import LeafletInputs\n",
], ids=["in a function", "for type checking"])
def test_an_arrow_up_is_found_wherever_the_import_stands(tmp_path, import_):
    shutil.copytree(ROOT / "leaflet_gen", tmp_path / "leaflet_gen", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    markup = tmp_path / "leaflet_gen" / "content" / "markup.py"
    markup.write_text(markup.read_text() + "\n\n" + textwrap.dedent(import_))
    result = _lint(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "leaflet_gen.content.markup -> leaflet_gen.pipeline.inputs" in result.stdout, result.stdout
