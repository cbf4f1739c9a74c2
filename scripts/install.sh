#!/usr/bin/env bash
# Create .venv (the first time) and install the project into it, only when the dependency spec
# (pyproject.toml) changed since the last install here: with nothing changed, no network is needed.
#   bash scripts/install.sh              the bot (what scripts/run.sh needs)
#   bash scripts/install.sh test,otel    the bot with extras (what scripts/test.sh needs)
# The stamp .venv/.installed-<extras>.sha256 records the spec installed; an install with extras
# also covers the plain one. PYTHON picks the interpreter for a new .venv (default python3).
set -euo pipefail
cd "$(dirname "$0")/.."

extras="${1:-}"
PYTHON="${PYTHON:-python3}"

# The monthly report's PDF (WeasyPrint) draws text with pango; Debian ships it as a library, not on
# PyPI. Installed with apt-get when missing and this runs as root; otherwise one line says what to do.
# The library list is read once into a variable: `ldconfig -p | grep -q` under pipefail fails at
# random when grep stops reading early and ldconfig dies of SIGPIPE.
libraries=$(ldconfig -p 2>/dev/null || true)
if ! grep -q "libpango-1.0.so.0" <<<"$libraries" || ! grep -q "libpangoft2-1.0.so.0" <<<"$libraries"; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "install: pango is missing (the report's PDF needs it): apt-get install" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null
  else
    echo "install: pango is missing; the PDF report needs it: apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core" >&2
  fi
fi
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi

want=$(sha256sum pyproject.toml | cut -d' ' -f1)
stamp=".venv/.installed-${extras:-base}.sha256"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
echo "install: pyproject.toml changed since the last install (or first run): installing ${extras:+with $extras}" >&2
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".${extras:+[$extras]}"
echo "$want" > "$stamp"
echo "$want" > .venv/.installed-base.sha256
