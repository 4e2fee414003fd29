#!/usr/bin/env bash
# One-shot, idempotent set-up for a fresh Debian machine with Python 3.11 (run as root, or with sudo).
# Installs the Debian libraries WeasyPrint needs, the leaflet font and the PDF tools, then the
# Python package into .venv. Re-running it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# libharfbuzz-subset0: without it WeasyPrint falls back to fontTools subsetting (~15x slower writes).
# fonts-lato: the leaflet typeface (OFL); the build refuses to fall back to another font.
# poppler-utils, qpdf, ghostscript: independent PDF readers used by tests and for looking at output.
DEBIAN_PACKAGES=(
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fontconfig
  fonts-lato poppler-utils qpdf ghostscript
)

missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
  fc-cache -f >/dev/null 2>&1 || true
fi

# The CMYK output profile for PDF/X-4 print files, generated from free FOGRA39L data.
bash scripts/make-icc.sh profiles/FOGRA39L-coated.icc

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
