"""`leaflet-gen doctor`: what the system has, what is missing and the command that installs it."""

from __future__ import annotations

import json

from click.testing import CliRunner

from leaflet_gen.cli import cli
from leaflet_gen.content import glyphs


def test_this_machine_has_everything(monkeypatch):
    result = CliRunner().invoke(cli, ["doctor"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines[:-2]] == ["ok"] * (len(lines) - 2)
    for start in ("ok       WeasyPrint 70.0", "ok       Pango: 1.", "ok       HarfBuzz: ",
                  "ok       the Lato font: ", "ok       Hunspell with the Dutch dictionary nl_NL: Hunspell 1.",
                  "ok       the CMYK print profile: FOGRA39L-coated.icc (built in)", "ok       qpdf: ",
                  "ok       Ghostscript: "):
        assert any(line.startswith(start) for line in lines), start
    assert lines[-1] == "leaflet-gen has everything it needs to check and build leaflets."


def test_missing_programs_and_font_are_named_with_the_command_that_installs_them(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no hunspell, fc-list, qpdf, gs or chromium
    glyphs.fontconfig_files.cache_clear()
    try:
        result = CliRunner().invoke(cli, ["doctor"], catch_exceptions=False)
        as_json = CliRunner().invoke(cli, ["doctor", "--json"], catch_exceptions=False)
    finally:
        glyphs.fontconfig_files.cache_clear()
    assert result.exit_code == 1 and as_json.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[lines.index("missing  the Lato font: fontconfig (fc-list) is not installed") + 1] == \
        "         install: apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fontconfig fonts-lato"
    spelling = next(i for i, line in enumerate(lines) if line.startswith("missing  Hunspell"))
    assert lines[spelling] == ('missing  Hunspell with the Dutch dictionary nl_NL: the spelling checker "hunspell" is '
                               "not installed")
    assert lines[spelling + 1] == "         install: apt-get install hunspell hunspell-nl"
    assert "optional Chromium: the studio's browser tests" in lines
    assert lines[-1] == ("2 required pieces are missing; on Debian or Ubuntu, as root: apt-get install libpango-1.0-0 "
                         "libpangoft2-1.0-0 libharfbuzz0b fontconfig fonts-lato hunspell hunspell-nl.")
    report = json.loads(as_json.stdout)
    assert report["complete"] is False
    assert {f["what"]: f["status"] for f in report["findings"]}["Chromium"] == "optional"
