"""`leaflet-gen diff`: a leaflet since a git revision, as pictures with the changed panel framed
and as changed lines per section (issue 31 item 4)."""

from __future__ import annotations

import subprocess

from PIL import Image


def _git(root, *args):
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@t", "PATH": "/usr/bin:/bin", "HOME": str(root)})


def test_the_changed_panel_is_framed_and_the_changed_line_listed(mini, tmp_path):
    _git(mini.root, "init", "-q")
    _git(mini.root, "add", "-A")
    _git(mini.root, "commit", "-qm", "eerste versie")
    section = mini.root / "content/demo/uitleg.yaml"
    section.write_text(section.read_text(encoding="utf-8").replace("onder in je rug", "laag in je rug"),
                       encoding="utf-8")
    out = tmp_path / "verschil"
    result = mini.run("diff", "--topic", "demo", "--audience", "fysiotherapie", "--since", "HEAD",
                      "--output", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [str(out / f"demo-fysiotherapie-trifold-{name}")
                                          for name in ("changes.txt", "inside.png", "outside.png")]
    assert "Changed: inside-left (sections: uitleg)." in result.stderr
    changes = (out / "demo-fysiotherapie-trifold-changes.txt").read_text(encoding="utf-8")
    assert '-    text: "Lage rugpijn is pijn onder in je rug. Het heet ook *lumbago*."' in changes
    assert '+    text: "Lage rugpijn is pijn laag in je rug. Het heet ook *lumbago*."' in changes
    # The inside sheet's picture has red frames (the changed panel); the outside one has none.
    red = (200, 16, 46)
    inside = Image.open(out / "demo-fysiotherapie-trifold-inside.png").convert("RGB")
    outside = Image.open(out / "demo-fysiotherapie-trifold-outside.png").convert("RGB")
    assert red in {colour for _, colour in inside.getcolors(1 << 20)}
    assert red not in {colour for _, colour in outside.getcolors(1 << 20)}


def test_diff_outside_git_or_with_an_unknown_revision_is_a_clear_error(mini, tmp_path):
    args = ["diff", "--topic", "demo", "--audience", "fysiotherapie", "--output", str(tmp_path / "x")]
    result = mini.run(*args, "--since", "HEAD")
    assert result.exit_code == 1
    assert "is not in a git repository: --since compares with a git revision" in result.stderr
    _git(mini.root, "init", "-q")
    _git(mini.root, "add", "-A")
    _git(mini.root, "commit", "-qm", "v1")
    for rev in ("v9", "--all"):
        result = mini.run(*args, "--since", rev)
        assert result.exit_code == 1
        assert "revision" in result.stderr and "Traceback" not in result.output
    into_sources = mini.run("diff", "--topic", "demo", "--audience", "fysiotherapie", "--since", "HEAD",
                            "--output", str(mini.root / "content" / "x"))
    assert into_sources.exit_code == 1 and "among the project's sources" in into_sources.stderr
