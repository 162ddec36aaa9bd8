#!/usr/bin/env bash
# Build the Python environment from the lock file and the front-end assets from pinned npm packages.
# Safe to run again: it only adds what is missing or changed.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="$(scripts/find-python.sh)"
# Production machines get the runtime lock only; everywhere else the test tools come too.
LOCK=requirements-dev.lock
[ "${DANGVU_ENV:-development}" = production ] && LOCK=requirements.lock
if [ -x .venv/bin/python ] && ! .venv/bin/python -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)'; then
  echo "Replacing .venv: it was built with a Python older than 3.12."
  rm -rf .venv
fi
[ -x .venv/bin/python ] || "$PY" -m venv .venv
if [ ! -x .venv/bin/uv ]; then
  .venv/bin/python -m pip --version >/dev/null 2>&1 || .venv/bin/python -m ensurepip >/dev/null
  .venv/bin/python -m pip install -q --disable-pip-version-check uv==0.13.9 || true
fi
if [ -x .venv/bin/uv ]; then
  .venv/bin/uv pip install -q --python .venv/bin/python -r "$LOCK"
  .venv/bin/uv pip install -q --python .venv/bin/python --no-deps -e .
else
  echo "uv is unavailable; installing with pip (slower)."
  .venv/bin/python -m pip install -q --disable-pip-version-check -r "$LOCK"
  .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps -e .
fi

# Front-end assets: from the npm registry, pinned in package-lock.json, copied next to our own.
if [ ! -f node_modules/htmx.org/dist/htmx.min.js ] || [ ! -f node_modules/chart.js/dist/chart.umd.min.js ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
fi
mkdir -p static/vendor
cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js
cp node_modules/chart.js/dist/chart.umd.min.js static/vendor/chart.umd.min.js  # the dashboard's charts

# The Vietnamese translation catalogue.
.venv/bin/dangvu compilemessages -v 0 --ignore=.venv --ignore=node_modules --ignore=.tools --ignore=var
echo "Installed: $(.venv/bin/python --version), Django $(.venv/bin/python -c 'import django; print(django.get_version())'), htmx $(node -p "require('./node_modules/htmx.org/package.json').version")"
