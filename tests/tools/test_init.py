"""`leaflet-gen init DIR`: a new project that checks, builds and passes preflight, with no theme file."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner
from pypdf import PdfReader

from leaflet_gen.cli import cli
from leaflet_gen.content import jsonschemas
from leaflet_gen.tools.doctor import INSTALL

FILES = [
    ".github/workflows/leaflets.yml", ".gitignore",
    "content/voorbeeldonderwerp/claims.yaml", "content/voorbeeldonderwerp/in-het-kort.yaml",
    "content/voorbeeldonderwerp/over-deze-folder.yaml", "content/voorbeeldonderwerp/topic.yaml",
    "content/voorbeeldonderwerp/vragen.yaml", "content/voorbeeldonderwerp/wanneer-klaar.yaml",
    "content/voorbeeldonderwerp/zo-maakt-u-een-folder.yaml", "content/wordlist.txt", "leaflet-gen.yml",
    "practices/voorbeeldpraktijk/logo.svg", "practices/voorbeeldpraktijk/practice.yaml",
    *(str(jsonschemas.schema_path(kind)) for kind in jsonschemas.KINDS),
]


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> tuple[Path, object]:
    root = tmp_path_factory.mktemp("init") / "mijn-folders"
    return root, run("init", str(root), "--no-input")


def test_init_writes_a_project_and_says_what_to_do_next(made):
    root, result = made
    assert result.exit_code == 0, result.output
    assert files(root) == sorted(FILES)
    assert not any((root / folder).exists() for folder in ("templates", "styles", "variants", "profiles"))
    assert result.stdout.startswith(f"Made a new leaflet-gen project in {root}:\n  .github/workflows/leaflets.yml\n")
    assert result.stdout.endswith(f"\nNext:\n  cd {root}\n  leaflet-gen check\n  leaflet-gen build\n"
                                  "  leaflet-gen serve --open\n")
    assert not result.stderr


def test_the_new_project_checks_clean_but_for_being_a_concept(made):
    root, _ = made
    result = run("--project", str(root), "check")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        'Warning: content/voorbeeldonderwerp/topic.yaml status: the content is a concept: leaflets carry a "CONCEPT" '
        "mark until status is approved (with approved_by and approved_on), or until each audience's text is "
        "approved with `leaflet-gen review approve`",
        "Warning: content/voorbeeldonderwerp/claims.yaml status: the claims register is a concept: leaflets carry a "
        '"CONCEPT" mark until a reviewer approves it (status, approved_by, approved_on)']
    assert "ok  practices/voorbeeldpraktijk/practice.yaml" in result.stdout
    topic = yaml.safe_load((root / "content/voorbeeldonderwerp/topic.yaml").read_text(encoding="utf-8"))
    assert topic["status"] == "concept" and "approved_by" not in topic
    assert topic["last_review"] == dt.date.today()


def test_the_new_project_builds_a_concept_print_pdf_that_passes_preflight(made, tmp_path):
    root, _ = made
    result = run("--project", str(root), "build", "--output", str(tmp_path))
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "voorbeeldpraktijk" / "voorbeeldonderwerp-patienten-trifold.pdf"
    assert result.stdout == f"{pdf}\n"
    reader = PdfReader(pdf)
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "CONCEPT" in text and "Voorbeeldpraktijk" in text and "Dit is een voorbeeld van een folder." in text
    assert "/GTS_PDFX" in str(reader.trailer["/Root"]["/OutputIntents"][0])
    preflight = run("--project", str(root), "preflight", str(pdf))
    assert preflight.exit_code == 0, preflight.output
    assert preflight.stdout.splitlines()[-1] == "PASSED: 10 passed, 0 warnings, 0 failed"


def test_every_yaml_file_names_a_schema_that_is_there_and_validates(made):
    root, _ = made
    yaml_files = sorted([*root.rglob("*.yaml"), root / "leaflet-gen.yml"])
    yaml_files = [p for p in yaml_files if ".github" not in p.parts]
    assert len(yaml_files) == 9
    for path in yaml_files:
        kind = jsonschemas.kind_of(root, path)
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == jsonschemas.modeline(root, path, kind), path
        schema = json.loads((path.parent / first.split("$schema=", 1)[1]).read_text(encoding="utf-8"))
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data = json.loads(json.dumps(data, default=str))  # dates as an editor reads them: text
        jsonschema.Draft202012Validator(schema).validate(data)
    assert jsonschemas.stale(root) == []


def test_the_ci_workflow_installs_what_doctor_checks_and_checks_and_builds(made):
    root, _ = made
    workflow = yaml.safe_load((root / ".github/workflows/leaflets.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["leaflets"]["steps"]
    commands = "\n".join(step.get("run", "") for step in steps)
    assert " ".join(INSTALL) in commands
    for command in ("leaflet-gen doctor", "leaflet-gen check", "leaflet-gen build --all --output out",
                    'leaflet-gen preflight "$pdf"'):
        assert command in commands
    assert "out/" in (root / ".gitignore").read_text(encoding="utf-8").splitlines()


def test_a_folder_that_is_not_empty_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    result = run("init", str(tmp_path), "--no-input")
    assert result.exit_code == 1
    assert result.stderr == (f"Error: {tmp_path} is not empty (it holds notes.txt): leaflet-gen init makes a project "
                             "only in a new or empty folder, so that it overwrites nothing. Give the name of a new "
                             "folder, like `leaflet-gen init mijn-folders`.\n")
    assert files(tmp_path) == ["notes.txt"]
    file = tmp_path / "notes.txt"
    result = run("init", str(file))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {file} is a file, not a folder: give the name of a new folder for the project\n"


def test_an_empty_folder_is_used_and_the_answers_name_the_practice_and_audiences(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("init", ".", input="Fysio Oost\nfysiotherapie, ergotherapie\n")
    assert result.exit_code == 0, result.output
    assert "Name of your organisation (printed on the example leaflet) [Voorbeeldpraktijk]: " in result.stdout
    assert "Audience ids, separated by commas [patienten]: " in result.stdout
    assert "\nNext:\n  cd .\n" in result.stdout
    settings = yaml.safe_load((tmp_path / "leaflet-gen.yml").read_text(encoding="utf-8"))
    assert settings["audiences"] == [{"id": "fysiotherapie", "name": "Fysiotherapie", "voice": "u"},
                                     {"id": "ergotherapie", "name": "Ergotherapie", "voice": "u"}]
    practice = yaml.safe_load((tmp_path / "practices/fysio-oost/practice.yaml").read_text(encoding="utf-8"))
    assert practice["name"] == "Fysio Oost" and practice["audiences"] == ["fysiotherapie", "ergotherapie"]
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".leaflet-gen-init")]
    listed = run("list")
    assert "Audiences:\n  fysiotherapie: Fysiotherapie (u)\n  ergotherapie: Ergotherapie (u)\n" in listed.stdout


def test_a_wrong_answer_is_asked_again_and_a_wrong_option_is_a_usage_error(tmp_path):
    result = run("init", str(tmp_path / "a"), input="\nFysio Oost!, x\npatienten\n")
    assert result.exit_code == 0, result.output
    assert 'Error: "oost!" is no audience id: use lower-case letters, digits and hyphens' in result.stdout
    bad = run("init", str(tmp_path / "b"), "--no-input", "--audiences", "Patiënten")
    assert bad.exit_code == 2
    assert ('--audiences: "patiënten" is no audience id: use lower-case letters, digits and hyphens (at most 60), '
            "like patienten or fysiotherapie") in bad.stderr
    bad = run("init", str(tmp_path / "c"), "--no-input", "--name", "x" * 200)
    assert bad.exit_code == 2 and "--name: that is 200 characters; at most 160 fit" in bad.stderr
    assert not (tmp_path / "b").exists() and not (tmp_path / "c").exists()


def test_a_folder_without_a_project_says_to_run_init(tmp_path):
    result = run("--project", str(tmp_path), "check")
    assert result.exit_code == 1
    assert f"Make one in it with `leaflet-gen init {tmp_path}`" in result.stderr
