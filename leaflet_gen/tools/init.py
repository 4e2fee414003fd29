"""``leaflet-gen init DIR``: a new project that checks and builds at once.

A project holds content, practices and settings; the theme (templates, styles, variants, the print
profile) is built in, so none of it is copied (see :mod:`leaflet_gen.theme` and docs/themes.md).
What is written:

- ``leaflet-gen.yml``: the settings, with the organisation's audiences;
- ``content/voorbeeldonderwerp/``: a short example leaflet that says it is one, with a small claims
  register; a concept approved by nobody, so it prints CONCEPT;
- ``practices/<id>/``: an example practice named after the organisation, with a simple SVG logo;
- ``schemas/``: the JSON Schemas every YAML file names on its first line (yaml-language-server);
- ``.gitignore`` and ``.github/workflows/leaflets.yml`` (check, build and preflight on every push).

Everything is written into a hidden folder inside DIR first and loaded back as a build would load
it; only then are the files moved into place. DIR must be new or empty: init never overwrites.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from leaflet_gen import __version__
from leaflet_gen.content.jsonschemas import modeline, write_schemas
from leaflet_gen.content.schema import ID_MAX, SLUG_RE, ShortText
from leaflet_gen.content.validate import schema_check
from leaflet_gen.errors import LeafletError, ValidationFailed
from leaflet_gen.files import write_atomic
from leaflet_gen.tools.doctor import INSTALL
from leaflet_gen.tools.wizard import practice_yaml, slugify

TOPIC = "voorbeeldonderwerp"
DEFAULT_NAME = "Voorbeeldpraktijk"
DEFAULT_AUDIENCES = "patienten"
AUDIENCE_NAMES = {"patienten": "Patiënten"}  # display names that need more than a capital letter

LOGO_SVG = """\
<svg xmlns="http://www.w3.org/2000/svg" width="240" height="80" viewBox="0 0 240 80">
  <!-- An example logo: replace it with your own (SVG, or PNG/JPEG of at least 300 ppi). -->
  <rect x="4" y="4" width="72" height="72" rx="16" fill="#2D6A4F"/>
  <path d="M40 18 C58 26 60 48 40 62 C20 48 22 26 40 18 Z" fill="#FFFFFF"/>
  <path d="M40 28 L40 60" fill="none" stroke="#2D6A4F" stroke-width="3" stroke-linecap="round"/>
  <rect x="92" y="24" width="136" height="12" rx="6" fill="#2D6A4F"/>
  <rect x="92" y="46" width="96" height="10" rx="5" fill="#95D5B2"/>
</svg>
"""

GITIGNORE = """\
# What leaflet-gen makes: PDFs, job sheets and build reports (build --output, default out/).
out/
# Python and editors
.venv/
__pycache__/
*.tmp
.DS_Store
"""


@dataclass(frozen=True)
class Audience:
    id: str
    name: str
    voice: str = "u"


@dataclass(frozen=True)
class Created:
    root: Path
    files: tuple[Path, ...]
    practice: str


def parse_audiences(value: str) -> list[Audience]:
    """Audience ids from an answer like "patienten, verwijzers"; ValueError says what is wrong."""
    ids = [w for w in re.split(r"[\s,;]+", value.strip().lower()) if w]
    if not ids:
        raise ValueError("give at least one audience id, like patienten")
    for audience_id in ids:
        if not SLUG_RE.fullmatch(audience_id) or len(audience_id) > ID_MAX:
            raise ValueError(f'"{audience_id}" is no audience id: use lower-case letters, digits and hyphens '
                             f"(at most {ID_MAX}), like patienten or fysiotherapie")
    return [Audience(a, AUDIENCE_NAMES.get(a, a.replace("-", " ").capitalize())) for a in dict.fromkeys(ids)]


def check_name(value: str) -> str:
    """The organisation's name as practice.yaml will hold it; ValueError says what is wrong."""
    from leaflet_gen.content import glyphs

    name = schema_check(ShortText)(value.strip())
    if not slugify(name):
        raise ValueError(f'"{name}" has no letters or digits to make the practice\'s folder name from')
    problem = glyphs.text_problem(name, ["Lato"], None)
    if problem:
        raise ValueError(problem)
    return name


def refuse_used(folder: Path, shown: str) -> None:
    """Raise unless ``folder`` is missing or an empty folder."""
    if not os.path.lexists(folder):
        return
    if not folder.is_dir():
        raise LeafletError(f"{shown} is a file, not a folder: give the name of a new folder for the project")
    entries = sorted(p.name for p in folder.iterdir())
    if entries:
        listed = ", ".join(entries[:3]) + (", ..." if len(entries) > 3 else "")
        raise LeafletError(f"{shown} is not empty (it holds {listed}): leaflet-gen init makes a project only in a new "
                           "or empty folder, so that it overwrites nothing. Give the name of a new folder, like "
                           "`leaflet-gen init mijn-folders`.")


def _next_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _q(value: str) -> str:
    return yaml.safe_dump(value, allow_unicode=True, default_style='"', width=float("inf")).strip()


def settings_yaml(root: Path, audiences: list[Audience]) -> str:
    lines = [
        modeline(root, root / "leaflet-gen.yml", "settings"),
        f"# Project settings, made by `leaflet-gen init` (leaflet-gen {__version__}). Every key is optional.",
        "# Check a change with: leaflet-gen check",
        "language: nl                    # the leaflets' language; nl (Dutch) is the only one",
        "",
        "audiences:                      # who leaflets are written for, in the order lists show them",
    ]
    for a in audiences:
        lines += [f"  - id: {a.id}".ljust(32) + "# the id in topic.yaml, practice.yaml, file names and --audience",
                  f"    name: {_q(a.name)}".ljust(32) + "# display name: list, the new-practice wizard, the studio",
                  f"    voice: {a.voice}".ljust(32) + "# je: je/jij/jouw; u: u/uw (the language check warns about the other)"]
    lines += [
        "",
        "default_variants: [trifold]     # what `leaflet-gen build` makes without --variant (--all: every variant)",
        "# variants: [trifold, screen]   # the variants this project makes (default: all, built in or in variants/)",
        "output: out                     # the folder build writes to without --output",
        "",
        "# The look of the leaflets is leaflet-gen's built-in theme. To change a part of it, put a file of",
        "# the same name in templates/, styles/ or variants/ here: it replaces the built-in one",
        "# (leaflet-gen's docs/themes.md).",
    ]
    return "\n".join(lines) + "\n"


def topic_files(root: Path, audiences: list[Audience], today: dt.date) -> dict[str, str]:
    """content/voorbeeldonderwerp/: topic.yaml, claims.yaml and the section files (u-voice)."""
    folder = root / "content" / TOPIC

    def head(name: str, kind: str) -> str:
        return modeline(root, folder / name, kind) + "\n"

    topic = [
        head("topic.yaml", "topic").rstrip("\n"),
        "# An example leaflet made by `leaflet-gen init`: replace its text with your own, or make a new",
        "# topic with `leaflet-gen new-topic ID` and delete this folder. Format: leaflet-gen's docs/content-format.md.",
        f"id: {TOPIC}                   # must equal the folder name",
        'title: "Voorbeeld\\u00adonderwerp"  # cover title; \\u00ad: where a word too long for the cover may break',
        'version: "0.1"                      # content version, printed in the colophon',
        "status: concept                     # concept: CONCEPT on every page; approved: needs approved_by and _on",
        "# approved_by: \"Naam van wie de tekst goedkeurt\"",
        f"# approved_on: {today.isoformat()}",
        f"last_review: {today.isoformat()}             # also the leaflet's printed date",
        f"next_review: {_next_year(today).isoformat()}             # check warns after this date",
        "audiences:",
    ]
    for a in audiences:
        topic += [
            f"  {a.id}:",
            '    subtitle: "Een voorbeeld van een folder"',
            "    cover: [in-het-kort]            # short sections on the front cover",
            "    flow: [over-deze-folder, zo-maakt-u-een-folder, wanneer-klaar]   # the inside panels, in order",
            "    back: [vragen]                  # short sections on the back panel, above the contact details",
            "    sources:                        # the guidelines the text is based on",
            '      - "Geen: dit is een voorbeeldtekst zonder medische inhoud"',
        ]
    ids = "[" + ", ".join(a.id for a in audiences) + "]"
    claims = [
        head("claims.yaml", "claims").rstrip("\n"),
        "# The claims register (leaflet-gen's docs/claims-format.md): every medical statement of this topic's",
        "# leaflets once, as strong as its source. Blocks name the claims they carry; `leaflet-gen check`",
        "# holds them to it.",
        "# This example has one harmless claim. A reviewer approves the register with the text.",
        "status: concept",
        "claims:",
        "  - id: vragen-bellen",
        '    statement: "Met vragen over de folder kunt u de praktijk bellen."',
        f"    audiences: {ids}",
        "    kind: possibility               # what the reader can do: never written as an order",
        "    strength: [kan]                 # the sentence must keep \"kan\" (or kunt, kun, kunnen)",
        '    source: "Voorbeeld: geen bron nodig"',
    ]
    sections = {
        "in-het-kort": """\
            blocks:
              - type: summary
                title: "In het kort"
                items:
                  - "Dit is een voorbeeld van een folder."
                  - "De tekst geeft geen advies."
                  - "Uw eigen tekst komt hiervoor in de plaats."
            """,
        "over-deze-folder": """\
            title: "Over deze folder"
            blocks:
              - type: paragraph
                text: "Deze folder is een voorbeeld. Hij is gemaakt toen het project begon. Zo ziet u meteen hoe een folder eruitziet."
              - type: paragraph
                text: "De tekst gaat nog nergens over. Er staat dus **geen advies** in. Lees hem als een model voor uw eigen folder."
              - type: infobox
                title: "Goed om te weten"
                text: "Alles wat u hier leest, staat in gewone tekstbestanden. Die kunt u met elke editor aanpassen."
            """,
        "zo-maakt-u-een-folder": """\
            title: "Hoe maakt u een folder?"
            blocks:
              - type: paragraph
                text: "Elke folder heeft een eigen map in de map content. Elk stuk tekst staat daar in een eigen bestand."
              - type: list
                title: "De stappen"
                items:
                  - "Schrijf korte zinnen in gewone woorden."
                  - "De volgorde van de stukken staat in topic.yaml."
                  - "Het programma controleert de tekst met het commando check."
                  - "Het commando build maakt er een pdf van."
              - type: tip
                title: "Tip"
                text: "Open de studio met het commando serve. U ziet de folder dan meteen veranderen als u de tekst aanpast."
            """,
        "wanneer-klaar": """\
            title: "Wanneer is de folder klaar?"
            blocks:
              - type: paragraph
                text: "Nu staat op elke pagina het woord CONCEPT. Een folder is pas klaar als iemand de tekst heeft goedgekeurd."
              - type: paragraph
                text: "Die persoon zet de naam en de datum in topic.yaml en in claims.yaml. Daarna verdwijnt het woord CONCEPT."
            """,
        "vragen": """\
            title: "Vragen?"
            blocks:
              - type: paragraph
                claims: [vragen-bellen]
                text: "Hebt u vragen over deze folder? Dan kunt u de praktijk bellen."
            """,
    }
    import textwrap

    files = {"topic.yaml": "\n".join(topic) + "\n", "claims.yaml": "\n".join(claims) + "\n"}
    for sid, text in sections.items():
        files[f"{sid}.yaml"] = head(f"{sid}.yaml", "section") + textwrap.dedent(text)
    return {f"content/{TOPIC}/{name}": text for name, text in files.items()}


def workflow_yaml() -> str:
    packages = " ".join(INSTALL)
    return f"""\
# Check and build the leaflets on every push and pull request, and keep the PDFs as the artifact
# "leaflets". Made by `leaflet-gen init`; leaflet-gen's docs/ci.md has more (shards, caching).
name: leaflets

on:
  push:
  pull_request:
  workflow_dispatch:

env:
  # Where pip gets leaflet-gen: a version from your package index ("leaflet-gen=={__version__}"), a
  # wheel kept in this repository ("./tools/leaflet_gen-{__version__}-py3-none-any.whl") or a git
  # address ("leaflet-gen @ git+https://example.org/leaflet-gen.git@v{__version__}").
  LEAFLET_GEN: "leaflet-gen=={__version__}"

jobs:
  leaflets:
    runs-on: ubuntu-latest
    container: python:3.11-bookworm   # Debian 12
    steps:
      - uses: actions/checkout@v4
      - name: System packages (what `leaflet-gen doctor` checks)
        run: |
          apt-get update -q
          DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends {packages}
      - name: Install leaflet-gen
        run: |
          python -m venv /opt/leaflet-gen
          /opt/leaflet-gen/bin/pip install --quiet "$LEAFLET_GEN"
          echo /opt/leaflet-gen/bin >> "$GITHUB_PATH"
      - run: leaflet-gen doctor
      - name: Check content and practices (add --strict to fail on warnings too)
        run: leaflet-gen check
      - name: Build every leaflet (only what changed since the cached run)
        run: leaflet-gen build --all --output out
      - name: Print-shop checks of the print PDFs
        run: |
          for pdf in out/*/*-trifold.pdf; do
            if [ -e "$pdf" ]; then leaflet-gen preflight "$pdf"; fi
          done
      - uses: actions/upload-artifact@v4
        if: ${{{{ !cancelled() }}}}
        with:
          name: leaflets
          path: out
"""


def project_files(root: Path, name: str, audiences: list[Audience], today: dt.date) -> dict[str, str | bytes]:
    """Every file of the new project (but schemas/), by its path relative to the project."""
    practice_id = slugify(name)
    practice = practice_yaml({"id": practice_id, "name": name, "logo": "logo.svg", "logo_alt": f"Logo van {name}",
                              "colours": {"primary": "#2D6A4F", "accent": "#95D5B2"},
                              "contact": {"address": "Voorbeeldstraat 1, 1234 AB Voorbeeldstad",
                                          "phone": "012 345 67 89", "email": "info@example.org",
                                          "website": "https://www.example.org"},
                              "qr_url": "https://www.example.org/afspraak", "audiences": [a.id for a in audiences]},
                             [a.id for a in audiences], made_by="leaflet-gen init",
                             note="An example practice: put in your own name, address, colours and logo.")
    return {
        "leaflet-gen.yml": settings_yaml(root, audiences),
        **topic_files(root, audiences, today),
        "content/wordlist.txt": "# Words the spelling check (leaflet-gen check) accepts in every topic, one a line.\n"
                                "build\n",
        f"practices/{practice_id}/practice.yaml": practice,
        f"practices/{practice_id}/logo.svg": LOGO_SVG,
        ".gitignore": GITIGNORE,
        ".github/workflows/leaflets.yml": workflow_yaml(),
    }


def init_project(folder: Path, name: str = DEFAULT_NAME, audiences: list[Audience] | None = None,
                 today: dt.date | None = None, shown: str | None = None) -> Created:
    """Make a new project in ``folder`` (new or empty); return what was written."""
    shown = shown or str(folder)
    refuse_used(folder, shown)
    name = check_name(name)
    audiences = audiences or parse_audiences(DEFAULT_AUDIENCES)
    today = today or dt.date.today()
    root = folder.resolve()
    created_root = not root.exists()
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(_staging(root))
    try:
        texts = project_files(staging, name, audiences, today)
        for rel, text in texts.items():
            write_atomic(staging / rel, text.encode("utf-8") if isinstance(text, str) else text)
        schemas = write_schemas(staging)
        _load_back(staging, slugify(name))
        refuse_used_but(root, staging, shown)  # nothing appeared meanwhile
        tops = sorted({Path(rel).parts[0] for rel in texts} | {"schemas"})
        for top in tops:
            os.rename(staging / top, root / top)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if created_root:
            shutil.rmtree(root, ignore_errors=True)
        raise
    os.rmdir(staging)
    files = sorted([root / rel for rel in texts] + [root / p.relative_to(staging) for p in schemas])
    return Created(root, tuple(files), slugify(name))


def _staging(root: Path) -> str:
    import tempfile

    return tempfile.mkdtemp(prefix=".leaflet-gen-init-", dir=root)


def refuse_used_but(root: Path, staging: Path, shown: str) -> None:
    others = [p for p in root.iterdir() if p != staging]
    if others:
        raise LeafletError(f"{shown} is not empty any more ({others[0].name} appeared while the project was made); "
                           "nothing was written")


def _load_back(root: Path, practice_id: str) -> None:
    """Load the new project as a build would: a mistake here is a bug in init, not the user's."""
    from leaflet_gen.content.project import Project

    try:
        project = Project.open(root)
        project.load_topic(TOPIC)
        project.load_practice(root / "practices" / practice_id)
    except ValidationFailed as exc:
        raise LeafletError(f"the new project does not validate (a bug in leaflet-gen init):\n{exc}") from None
