#!/usr/bin/env bash
# Installs everything the site needs into .venv/ and node_modules/ (idempotent, fast when done).
# The Python to use: $PYTHON, or python3.11 / python3.12 / python3 found on PATH, whichever
# comes first and is recent enough. A .venv/ made by another Python is made anew.
set -euo pipefail
cd "$(dirname "$0")/.."
NEEDS="Python 3.11.5 or newer (3.11, 3.12 or 3.13)"

supported() {
  "$1" -c 'import sys; sys.exit(0 if (3, 11, 5) <= sys.version_info[:3] < (3, 14) else 1)' 2>/dev/null
}

if [ -n "${PYTHON:-}" ]; then
  python=$PYTHON
  if ! supported "$python"; then
    found=$("$python" -c 'import sys; print(sys.version.split()[0])' 2>/dev/null || echo "not runnable")
    echo "setup: PYTHON=$python is Python $found; the site needs $NEEDS: run PYTHON=/path/to/python3.12 bash scripts/setup.sh" >&2
    exit 1
  fi
else
  python=
  for candidate in python3.11 python3.12 python3.13 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && supported "$candidate"; then
      python=$candidate
      break
    fi
  done
  if [ -z "$python" ]; then
    echo "setup: no $NEEDS found on PATH; install one, or point to it: PYTHON=/path/to/python3.12 bash scripts/setup.sh" >&2
    exit 1
  fi
fi

version() { "$1" -c 'import sys; print(sys.version)' 2>/dev/null; }
if [ -e .venv ] && [ "$(version .venv/bin/python)" != "$(version "$python")" ]; then
  echo "setup: .venv/ was made by another Python (or is broken); making it anew with $python"
  rm -rf .venv
fi
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
# the build machinery, as the package that the mkdocs.yml plugin `execdocs` comes from
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e scripts/
# Material prints an end-of-life banner on every build (it is in README, "Sau tháng 5/2027"); a
# contributor's build log shows the snippet line, real warnings and errors only. A .pth line runs
# at every start of this venv's Python, before mkdocs imports the theme.
site_packages=$(.venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
echo 'import os; os.environ.setdefault("NO_MKDOCS_2_WARNING", "1"); os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")' \
  > "$site_packages/execdocs-quiet-banners.pth"
# production packages only (KaTeX, fonts, axe-core): Lighthouse, a dev dependency for the benchmark,
# comes with a plain `npm ci` (scripts/benchlighthouse.py says so when it is missing)
npm ci --omit=dev --no-audit --no-fund --loglevel=error
