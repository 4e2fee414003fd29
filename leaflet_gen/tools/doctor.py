"""``leaflet-gen doctor``: what leaflet-gen needs from the system, and how to install what is missing.

pip installs leaflet-gen and its Python libraries; a few things come from the operating system:
the libraries WeasyPrint lays pages out with (Pango, HarfBuzz, fontconfig), the leaflet font
(Lato), the Dutch spelling checker, and for the test suite and checks by hand qpdf, Ghostscript
and Chromium. Each finding says ok or missing and, when missing, the Debian package that brings
it (:data:`INSTALL` is also what ``leaflet-gen init`` writes into a new project's CI workflow).
The build's own messages about a missing piece point here.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field

PANGO_MIN = (1, 44, 0)  # WeasyPrint 70's minimum
FONT = "Lato"  # the built-in variants' font_family
# Debian packages, by what they bring (Debian 12 "bookworm" names).
PACKAGES = {
    "weasyprint": ["libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz0b", "fontconfig"],
    "subset": ["libharfbuzz-subset0"],
    "font": ["fonts-lato"],
    "spelling": ["hunspell", "hunspell-nl"],
    "qpdf": ["qpdf"],
    "ghostscript": ["ghostscript"],
    "chromium": ["chromium"],
    "arabic": ["fonts-noto-core"],
}
# What a machine that builds leaflets needs (the CI workflow of a new project installs these).
INSTALL = [*PACKAGES["weasyprint"], *PACKAGES["subset"], *PACKAGES["font"], *PACKAGES["spelling"]]


@dataclass
class Finding:
    what: str
    ok: bool
    detail: str = ""
    required: bool = True
    packages: list[str] = field(default_factory=list)  # what installs it (when missing)

    @property
    def status(self) -> str:
        return "ok" if self.ok else "missing" if self.required else "optional"

    def lines(self) -> list[str]:
        head = f"{self.status:<9}{self.what}" + (f": {self.detail}" if self.detail else "")
        if self.ok or not self.packages:
            return [head]
        return [head, f"{'':9}install: {install_command(self.packages)}"]

    def as_dict(self) -> dict:
        return {"what": self.what, "status": self.status, "required": self.required, "detail": self.detail,
                "install": install_command(self.packages) if not self.ok and self.packages else None}


def install_command(packages: list[str]) -> str:
    return "apt-get install " + " ".join(packages)


def _version(text: str) -> str:
    found = re.search(r"\d+(\.\d+)+", text)
    return found.group(0) if found else text.strip()


def _run(args: list[str]) -> str | None:
    """The output of a program, or None when it cannot run."""
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout + done.stderr if done.returncode == 0 else None


def check_renderer() -> list[Finding]:
    """WeasyPrint with Pango and HarfBuzz (and HarfBuzz's subsetter, which keeps PDFs small and fast)."""
    from leaflet_gen.errors import RenderError
    from leaflet_gen.layout.engine import renderer_versions

    try:
        version, pango, subset = renderer_versions()
    except RenderError as exc:
        return [Finding("WeasyPrint's system libraries (Pango, HarfBuzz, fontconfig)", False,
                        exc.message.split(". ")[0], packages=PACKAGES["weasyprint"])]
    shown = ".".join(map(str, pango))
    findings = [Finding(f"WeasyPrint {version}", True),
                Finding("Pango", pango >= PANGO_MIN,
                        shown if pango >= PANGO_MIN else f"{shown}, WeasyPrint needs {'.'.join(map(str, PANGO_MIN))} "
                        "or newer", packages=PACKAGES["weasyprint"])]
    harfbuzz = _harfbuzz_version()
    findings.append(Finding("HarfBuzz", True, harfbuzz or "version not known"))
    findings.append(Finding("HarfBuzz subsetting", subset,
                            "small PDFs, written fast" if subset else "without it PDFs are written about 15 times "
                            "slower", required=False, packages=PACKAGES["subset"]))
    return findings


def _harfbuzz_version() -> str | None:
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("harfbuzz") or "libharfbuzz.so.0"
    try:
        library = ctypes.CDLL(name)
        library.hb_version_string.restype = ctypes.c_char_p
        return library.hb_version_string().decode()
    except (OSError, AttributeError):
        return None


def check_font(family: str = FONT) -> Finding:
    from leaflet_gen.content.glyphs import fontconfig_files

    if shutil.which("fc-list") is None:
        return Finding(f"the {family} font", False, "fontconfig (fc-list) is not installed",
                       packages=PACKAGES["weasyprint"] + PACKAGES["font"])
    files = fontconfig_files(family)
    if not files:
        return Finding(f"the {family} font", False, "fontconfig finds no file of it", packages=PACKAGES["font"])
    return Finding(f"the {family} font", True, f"{len(files)} files in {files[0].parent}")


def check_spelling() -> Finding:
    from leaflet_gen.content.lint import HUNSPELL_DICTIONARY, SpellingUnavailable, misspelled

    what = f"Hunspell with the Dutch dictionary {HUNSPELL_DICTIONARY}"
    try:
        misspelled(["fiets"])
    except SpellingUnavailable as exc:
        return Finding(what, False, str(exc), packages=PACKAGES["spelling"])
    version = _run(["hunspell", "-v"]) or ""
    found = re.search(r"Hunspell (\d+(\.\d+)+)", version)
    return Finding(what, True, f"Hunspell {found.group(1)}" if found else "")


def check_translations() -> list[Finding]:
    """What leaflets in other languages need (optional: a project in Dutch only needs none): the
    Arabic face, and each translation language's Hunspell dictionary (lint.DICTIONARIES)."""
    from leaflet_gen.content.glyphs import fontconfig_files
    from leaflet_gen.content.lint import DICTIONARIES, SpellingUnavailable, misspelled
    from leaflet_gen.i18n import SCRIPT_FONTS

    found = []
    for family in dict.fromkeys(f for faces in SCRIPT_FONTS.values() for f in faces):
        files = fontconfig_files(family)
        found.append(Finding(f"the {family} font", bool(files), (f"{len(files)} files in {files[0].parent}; " if files
                             else "") + "Arabic leaflets", required=False, packages=PACKAGES["arabic"]))
    for language, (dictionary, package, name) in DICTIONARIES.items():
        if language == "nl":
            continue
        try:
            misspelled(["x"], dictionary=dictionary)
            ok = True
        except SpellingUnavailable:
            ok = False
        found.append(Finding(f"the {name} dictionary {dictionary}", ok, f"spelling of {name} translations",
                             required=False, packages=["hunspell", package]))
    return found


def check_profile() -> Finding:
    from leaflet_gen import theme
    from leaflet_gen.content.icc import check_profile as check
    from leaflet_gen.errors import LeafletError

    path = theme.BUILTIN / "profiles" / theme.DEFAULT_PROFILE
    try:
        check(path, f"built-in profiles/{path.name}", theme.BUILTIN)
    except LeafletError as exc:
        return Finding("the CMYK print profile", False, f"{exc.message.splitlines()[0]}; reinstall leaflet-gen")
    return Finding("the CMYK print profile", True, f"{path.name} (built in)")


def check_program(what: str, program: str, args: list[str], key: str, purpose: str) -> Finding:
    found = shutil.which(program)
    if found is None:
        return Finding(what, False, purpose, required=False, packages=PACKAGES[key])
    out = _run([found, *args])
    return Finding(what, True, f"{_version(out.splitlines()[0]) if out else 'installed'}; {purpose}", required=False)


def diagnose() -> list[Finding]:
    """Every finding, in the order they are printed."""
    findings = check_renderer()
    findings += [check_font(), check_spelling(), check_profile(),
                 check_program("qpdf", "qpdf", ["--version"], "qpdf",
                               "the test suite's independent check of print PDFs (`qpdf --check FILE.pdf`)"),
                 check_program("Ghostscript", "gs", ["--version"], "ghostscript",
                               "the test suite renders print PDFs with it"),
                 check_program("Chromium", "chromium", ["--version"], "chromium",
                               "the studio's browser tests")]
    return findings + check_translations()


def report(findings: list[Finding]) -> tuple[list[str], bool]:
    """The lines to print, and whether everything required is there."""
    lines = [line for finding in findings for line in finding.lines()]
    missing = [f for f in findings if not f.ok and f.required]
    packages = list(dict.fromkeys(p for f in missing for p in f.packages))
    lines.append("")
    if missing:
        lines.append(f"{len(missing)} required piece{'s are' if len(missing) > 1 else ' is'} missing"
                     + (f"; on Debian or Ubuntu, as root: {install_command(packages)}" if packages else "") + ".")
    else:
        lines.append("leaflet-gen has everything it needs to check and build leaflets.")
    return lines, not missing

