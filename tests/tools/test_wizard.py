"""``new-practice``: answers checked as they are given, a commented practice.yaml that loads and builds.

The tests drive the real command through click's CliRunner.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import LOGO_SVG
from PIL import Image

from leaflet_gen.cli import cli
from leaflet_gen.content.project import Project
from leaflet_gen.errors import LeafletError
from leaflet_gen.tools.wizard import QUESTIONS, run_wizard, slugify

cli_with_new_practice = cli  # the real command group



# --- helpers ------------------------------------------------------------------------------------

GOOD = {
    "name": "Fysiotherapie De Linde",
    "address": "Lindelaan 12, 3581 AB Utrecht",
    "phone": "030 123 45 67",
    "email": "info@fysiodelinde.nl",
    "website": "https://www.fysiodelinde.nl",
    "qr_url": "https://www.fysiodelinde.nl/afspraak",
    "primary": "#1B6E8C",
    "accent": "#E8A33D",
    "audiences": "fysiotherapie",
}


@pytest.fixture
def logo(tmp_path) -> Path:
    path = tmp_path / "incoming" / "Our Logo.svg"
    path.parent.mkdir()
    path.write_text(LOGO_SVG, encoding="utf-8")
    return path


class Script:
    """An ``ask`` that plays back answers and records each question; Enter gives the default."""

    def __init__(self, *answers: str):
        self.answers = list(answers)
        self.asked: list[str] = []

    def __call__(self, question: str, default: str | None) -> str:
        self.asked.append(question)
        answer = self.answers.pop(0)
        return answer if answer else (default or "")


def question(key: str) -> str:
    return next(q.text for q in QUESTIONS if q.key == key)


# --- interactive --------------------------------------------------------------------------------


def test_scripted_answers_wrong_ones_are_asked_again_then_it_builds(mini, logo, tmp_path):
    script = Script(
        "Fysiotherapie De Linde", "Lindelaan 12, 3581 AB Utrecht",
        "12 34", "030 123 45 67",  # a wrong phone number, then a good one
        "", "", "https://www.fysiodelinde.nl/afspraak",
        "blauw", "#1b6e8c",  # a wrong colour, then a good one (lower case is fine)
        "", str(logo), "")
    said: list[str] = []
    result = run_wizard(Project.open(mini.root), {}, ask=script, say=said.append)

    assert script.asked.count(question("phone")) == 2
    assert script.asked.count(question("primary")) == 2
    assert len(script.asked) == 12 and not script.answers
    assert 'Error: expected a phone number like "030 123 45 67" or "+31 30 123 45 67", got "12 34"' in said
    assert 'Error: expected a hex colour like "#1B6E8C", got "blauw"' in said
    assert "Practice id: fysiotherapie-de-linde (its folder: practices/fysiotherapie-de-linde/)" in said
    assert any(line.startswith("Text on #1B6E8C will be white (contrast") for line in said)

    assert result.practice_id == "fysiotherapie-de-linde"
    assert result.folder == mini.root / "practices" / "fysiotherapie-de-linde"
    assert result.logo_file.read_text(encoding="utf-8") == LOGO_SVG
    loaded = Project.open(mini.root).load_practice(result.folder)
    assert loaded.data.name == "Fysiotherapie De Linde"
    assert loaded.data.colours.primary == "#1B6E8C" and loaded.data.colours.accent is None
    assert loaded.data.contact.email is None and loaded.data.qr_url == "https://www.fysiodelinde.nl/afspraak"
    assert loaded.data.audiences == ["fysiotherapie", "orthopedie"]  # Enter: the default, both
    assert loaded.logo_kind == "svg"

    out = tmp_path / "out"
    build = mini.run("build", "--practice", "fysiotherapie-de-linde", "--output", str(out))
    assert build.exit_code == 0, build.output
    assert (out / "fysiotherapie-de-linde" / "demo-fysiotherapie-trifold.pdf").read_bytes().startswith(b"%PDF-")


def test_the_command_through_click_prompts(mini, logo, tmp_path, monkeypatch):
    monkeypatch.chdir(mini.root)
    answers = ["Fysio Oost", "Oostweg 1, 1234 AB Utrecht", "030-1234", "030 123 45 67", "", "", "",
               "#12345", "#7FD1E8", "#E8A33D", str(tmp_path / "missing.svg"), f'"{logo}"', "fysio, ortho",
               "fysiotherapie"]
    result = CliRunner().invoke(cli_with_new_practice, ["new-practice"], input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    out = result.output
    for text in ("Practice name, as printed on the leaflet: ", "Which leaflets do you hand out: fysiotherapie, "
                 "orthopedie or both [both]: ",
                 'Error: expected a phone number like "030 123 45 67" or "+31 30 123 45 67", got "030-1234"',
                 'Error: expected a hex colour like "#1B6E8C", got "#12345"',
                 f'Error: file not found: "{tmp_path / "missing.svg"}"',
                 'Error: expected fysiotherapie, orthopedie or both, got "fysio"; did you mean "fysiotherapie"?',
                 # A light brand colour: dark text on it, a darker shade for headings on white.
                 "Text on #7FD1E8 will be near-black (contrast 10.1:1). #7FD1E8 is too light for text on white "
                 "paper (contrast 1.7:1); headings use the darker #4C7D8B.",
                 "Saved practices/fysio-oost/practice.yaml and practices/fysio-oost/logo.svg.",
                 "Build your leaflets with:\n  leaflet-gen build --practice practices/fysio-oost\n"):
        assert text in out, text
    build = CliRunner().invoke(cli_with_new_practice, ["build", "--practice", "practices/fysio-oost",
                                                       "--output", str(tmp_path / "out")])
    assert build.exit_code == 0, build.output
    assert str(tmp_path / "out" / "fysio-oost" / "demo-fysiotherapie-trifold.pdf") in build.stdout


def test_a_name_whose_id_exists_is_asked_again(mini, logo):
    script = Script("Test", "Fysio Test", "Teststraat 1, 1234 AB Utrecht", "030 123 45 67", "", "", "",
                    "#1B6E8C", "", str(logo), "fysiotherapie")
    said: list[str] = []
    result = run_wizard(Project.open(mini.root), {}, ask=script, say=said.append)
    assert ('Error: a practice "test" already exists (practices/test/); use another name, or --force to '
            "replace its practice.yaml and logo") in said
    assert result.practice_id == "fysio-test"


def test_a_bad_logo_is_asked_again_and_a_small_one_is_a_warning(mini, tmp_path):
    fake = tmp_path / "logo.png"
    fake.write_text("not an image", encoding="utf-8")
    small = tmp_path / "small.png"
    buffer = io.BytesIO()
    Image.new("RGB", (200, 80), (27, 110, 140)).save(buffer, format="PNG")
    small.write_bytes(buffer.getvalue())
    script = Script(str(tmp_path), str(fake), str(small))
    said: list[str] = []
    result = run_wizard(Project.open(mini.root), {**GOOD}, ask=script, say=said.append)
    assert f'Error: "{tmp_path}" is a folder; give the logo file itself' in said
    assert 'Error: "logo.png" is not a PNG, JPEG or SVG image (checked by its content)' in said
    [warning] = result.warnings
    assert warning.startswith('"small.png" is 200 x 80 pixels: about 73 ppi') and f"Warning: {warning}" in said
    assert result.logo_file.name == "logo.png" and result.logo_file.read_bytes() == small.read_bytes()
    assert Project.open(mini.root).load_practice(result.folder).warnings  # the build warns the same way


# --- non-interactive ----------------------------------------------------------------------------


def test_all_answers_as_options_no_questions(mini, logo, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # not the project folder: the command names the project
    options = ["--name", GOOD["name"], "--address", GOOD["address"], "--phone", GOOD["phone"],
               "--email", GOOD["email"], "--website", GOOD["website"], "--booking-url", GOOD["qr_url"],
               "--colour", GOOD["primary"], "--accent", GOOD["accent"], "--logo", str(logo),
               "--audiences", "fysiotherapie", "--id", "fysio-delinde"]
    result = CliRunner().invoke(cli_with_new_practice, ["--project", str(mini.root), "new-practice", "--no-input",
                                                        *options])
    assert result.exit_code == 0, result.output
    assert "?" not in result.output and ": \n" not in result.output  # nothing was asked
    assert result.output.endswith(f"leaflet-gen --project {mini.root} build --practice fysio-delinde\n")
    folder = mini.root / "practices" / "fysio-delinde"
    data = Project.open(mini.root).load_practice(folder).data
    assert (data.id, data.name, data.logo, data.logo_alt) == ("fysio-delinde", GOOD["name"], "logo.svg",
                                                              "Logo van Fysiotherapie De Linde")
    assert (data.colours.primary, data.colours.accent) == ("#1B6E8C", "#E8A33D")
    assert (data.contact.address, data.contact.phone, data.contact.email, data.contact.website) == (
        GOOD["address"], GOOD["phone"], GOOD["email"], GOOD["website"])
    assert data.qr_url == GOOD["qr_url"] and data.audiences == ["fysiotherapie"]


def test_non_interactive_reports_every_problem_at_once(mini, logo):
    answers = {**GOOD, "phone": "12", "primary": "blue", "website": "www.fysiodelinde.nl", "logo": str(logo)}
    del answers["address"]
    with pytest.raises(LeafletError) as caught:
        run_wizard(Project.open(mini.root), answers)
    assert str(caught.value) == (
        "Cannot create the practice:\n"
        "  --address: missing; this answer is needed\n"
        '  --phone: expected a phone number like "030 123 45 67" or "+31 30 123 45 67", got "12"\n'
        '  --website: expected a web address like "https://www.example.nl/pagina", got "www.fysiodelinde.nl"\n'
        '  --colour: expected a hex colour like "#1B6E8C", got "blue"')
    assert sorted(p.name for p in (mini.root / "practices").iterdir()) == ["test"]  # nothing written


def test_an_existing_id_is_refused_unless_forced(mini, logo):
    project = Project.open(mini.root)
    extra = mini.write("practices/test/FOGRA-shop.icc", b"kept")
    before = (mini.root / "practices" / "test" / "practice.yaml").read_text(encoding="utf-8")
    answers = {**GOOD, "name": "Test", "logo": str(logo)}
    with pytest.raises(LeafletError, match=r'a practice "test" already exists \(practices/test/\); use another '
                                           "name, or --force"):
        run_wizard(project, answers)
    assert (mini.root / "practices" / "test" / "practice.yaml").read_text(encoding="utf-8") == before

    cli_result = mini.run("--help")
    assert "new-practice" in cli_result.output
    refused = CliRunner().invoke(cli_with_new_practice, ["--project", str(mini.root), "new-practice", "--no-input",
                                                         "--name", "Test", "--address", GOOD["address"],
                                                         "--phone", GOOD["phone"], "--colour", "#1B6E8C",
                                                         "--logo", str(logo)])
    assert refused.exit_code == 1
    assert 'a practice "test" already exists' in refused.stderr

    project.load_practice(mini.root / "practices" / "test")  # cached by the project: must not hide the new file
    result = run_wizard(project, answers, force=True)
    assert result.practice_id == "test"
    assert Project.open(mini.root).load_practice(result.folder).data.name == "Test"
    assert extra.read_bytes() == b"kept"  # other files of the practice stay
    assert sorted(p.name for p in (mini.root / "practices").iterdir()) == ["test"]  # no staging left over


def test_written_yaml_is_commented_and_round_trips_awkward_text(mini, logo):
    name = 'Fysio "De Linde" & Zoon\'s – Utrecht #1'
    result = run_wizard(Project.open(mini.root), {**GOOD, "name": name, "email": "", "accent": None,
                                                  "logo": str(logo)})
    text = result.practice_file.read_text(encoding="utf-8")
    assert result.practice_id == "fysio-de-linde-zoons-utrecht-1"
    assert yaml.safe_load(text)["name"] == name
    assert "# Text after a # is a note for you; leaflet-gen ignores it." in text
    assert '  # email: "info@praktijk.nl"' in text and "remove the # in front of the key" in text
    assert '  # accent: "#E8A33D"' in text
    # The schema's description of each key, and what the wizard knows about the value.
    assert ('primary: "#1B6E8C"             # Main brand colour as hex, like "#1B6E8C": cover background and, '
            'darkened when needed to read, headings; text on it is white') in text
    assert f"leaflet-gen check --practice {result.practice_id}" in text


@pytest.mark.parametrize("name, slug", [
    ("Fysiotherapie De Linde", "fysiotherapie-de-linde"),
    ("Sint-Anna Ziekenhuis, polikliniek Orthopedie", "sint-anna-ziekenhuis-polikliniek-orthopedie"),
    ("Fysio Céline & Zoë", "fysio-celine-zoe"),
    ("'t Fysiohuis", "t-fysiohuis"),
    ("Praxis Straße", "praxis-strasse"),
    ("  ***  ", ""),
])
def test_slugify(name, slug):
    assert slugify(name) == slug


def test_a_name_without_letters_needs_an_id(mini, logo):
    with pytest.raises(LeafletError, match="cannot make a folder name from this name"):
        run_wizard(Project.open(mini.root), {**GOOD, "name": "***", "logo": str(logo)})
    result = run_wizard(Project.open(mini.root), {**GOOD, "name": "***", "id": "sterren", "logo": str(logo)})
    assert result.practice_id == "sterren"
    with pytest.raises(LeafletError, match='--id: expected lower-case letters, digits and hyphens'):
        run_wizard(Project.open(mini.root), {**GOOD, "id": "Mijn Praktijk", "logo": str(logo)})


def test_build_command_from_the_project_folder(mini, logo, monkeypatch):
    monkeypatch.chdir(mini.root)
    result = run_wizard(Project.open(mini.root), {**GOOD, "logo": str(logo)})
    assert result.build_command == "leaflet-gen build --practice practices/fysiotherapie-de-linde"


def test_the_us_spelling_color_is_still_accepted(mini, tmp_path):
    logo = mini.write("brand/logo.svg", (mini.root / "practices/test/logo.svg").read_text())
    result = mini.run("new-practice", "--no-input", "--name", "Praktijk Kleur", "--address", GOOD["address"],
                      "--phone", GOOD["phone"], "--color", "#1B6E8C", "--logo", str(logo))
    assert result.exit_code == 0, result.output
    assert 'primary: "#1B6E8C"' in (mini.root / "practices/praktijk-kleur/practice.yaml").read_text()


def test_printed_answers_check_would_refuse_are_refused_up_front(mini, logo):
    # What `check` refuses in practice.yaml (a character the font lacks) or a one-line text cannot
    # hold, and an id too long for a folder: each one message, nothing written, never "a bug".
    answers = {**GOOD, "name": "Fysio\x07 De Linde", "address": "Lindelaan 12 ✓, 3581 AB Utrecht", "logo": str(logo)}
    refusal = ("Cannot create the practice:\n"
               "  --name: contains the control character U+0007; a one-line text cannot have one: remove it\n"
               '  --address: the character "✓" (U+2713, CHECK MARK) is not in the font Lato, so it cannot be printed; '
               "remove it or write it with other characters")
    with pytest.raises(LeafletError, match=f"^{re.escape(refusal)}$"):
        run_wizard(Project.open(mini.root), answers)
    result = mini.run("new-practice", "--no-input", "--id", "a" * 250, "--name", GOOD["name"], "--address",
                      GOOD["address"], "--phone", GOOD["phone"], "--colour", GOOD["primary"], "--logo", str(logo))
    assert (result.exit_code, result.stderr) == (
        1, "Error: --id: the id has 250 characters; at most 60 fit (it names the practice's folder and its "
           "leaflets' folder): choose a shorter one\n")
    assert sorted(p.name for p in (mini.root / "practices").iterdir()) == ["test"]
