#!/usr/bin/env bash
# One-shot, idempotent set-up for a fresh Debian machine with Python 3.11 (run as root, or with sudo).
# Installs the Debian libraries WeasyPrint needs, the leaflet font and the PDF tools, then the
# Python package into .venv. Re-running it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# libharfbuzz-subset0: without it WeasyPrint falls back to fontTools subsetting (~15x slower writes).
# fonts-lato: the leaflet typeface (OFL); the build refuses to fall back to another font.
# fonts-noto-core: Noto Naskh Arabic (OFL, regular and bold), the face of Arabic leaflets beside Lato
# (docs/translations.md, "Right to left and Arabic"); the glyph check holds Arabic text to it.
# poppler-utils, qpdf, ghostscript: independent PDF readers used by tests and for looking at output.
# hunspell, hunspell-nl: Dutch spelling check in `leaflet-gen check` (see leaflet_gen/content/lint.py);
# hunspell-en-gb, -ar, -tr, -pl: the same for the translations (English, Arabic; Turkish and Polish when
# an agency returns them; lint.DICTIONARIES: one per language).
# chromium: the browser the studio's end-to-end tests drive headless through Playwright
# (Playwright cannot download its own browser builds here; it is pointed at /usr/bin/chromium).
# argyll, icc-profiles-free: only for the test that the shipped print profile is what
# scripts/make-icc.sh makes from the free FOGRA39L data (leaflet-gen itself ships the profile).
# `leaflet-gen doctor` checks what an installed leaflet-gen needs of these.
DEBIAN_PACKAGES=(
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fontconfig
  fonts-lato fonts-noto-core poppler-utils qpdf ghostscript hunspell hunspell-nl hunspell-en-gb hunspell-ar hunspell-tr hunspell-pl chromium argyll icc-profiles-free
)
# nodejs, npm: ESLint, the linter of the studio's scripts, and axe-core for the browser tests'
# accessibility checks (package.json; development tools, nothing ships). Installed only when there
# is no node or npm: a Node.js from elsewhere (NodeSource's nodejs brings its own npm) conflicts
# with Debian's npm package.
NODE_PACKAGES=(nodejs npm)

source scripts/debian.sh
ensure_debian_packages setup "${DEBIAN_PACKAGES[@]}"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  ensure_debian_packages setup "${NODE_PACKAGES[@]}"
fi
fc-cache >/dev/null 2>&1 || true

# The CMYK print profile is built in (leaflet_gen/theme/profiles/). An older set-up generated a copy
# into profiles/, which would now count as this project's own profile: remove it when it is that copy.
if [ -f profiles/FOGRA39L-coated.icc ] && cmp -s profiles/FOGRA39L-coated.icc leaflet_gen/theme/profiles/FOGRA39L-coated.icc; then
  rm profiles/FOGRA39L-coated.icc && rmdir profiles 2>/dev/null || true
fi

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PYTHON" -m venv .venv
fi
# Reinstall only when the package metadata changed since the last successful set-up.
stamp=.venv/.leaflet-gen-setup
want=$(cat pyproject.toml scripts/setup.sh | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing leaflet-gen and its Python dependencies into .venv"
  .venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
  echo "$want" > "$stamp"
fi
# ESLint and its packages as package-lock.json pins them, into node_modules/; again only when
# package.json or the lock file changed since the last successful install.
npm_stamp=node_modules/.leaflet-gen-setup
npm_want=$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)
if [ ! -f "$npm_stamp" ] || [ "$(cat "$npm_stamp")" != "$npm_want" ]; then
  echo "setup: installing the JavaScript linter and axe-core into node_modules/ (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$npm_want" > "$npm_stamp"
fi
# pip compiles the modules of what it installs, but not of an editable package: compile ours,
# so that no leaflet-gen call spends ~0.2 s compiling it again where Python cannot write its
# cache itself (PYTHONDONTWRITEBYTECODE in CI containers, a read-only checkout). Only files
# changed since the last run are compiled again.
.venv/bin/python -m compileall -q leaflet_gen >/dev/null 2>&1 ||
  echo "setup: leaflet_gen/ could not be compiled ahead (read-only?); leaflet-gen works, a little slower"
