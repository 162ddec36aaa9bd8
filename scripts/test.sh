#!/usr/bin/env bash
# The whole test run, once, against DATABASE_URL (SQLite when unset). Browser tests skip, saying so,
# when Chromium is missing, unless DANGVU_REQUIRE_BROWSER=1 (CI), which turns that skip into a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== lint"
# Two commands, not `a && b`: under `set -e` a failure on the left of && does not stop the script.
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== migrations are up to date"
DJANGO_SETTINGS_MODULE=dangvu.settings_test .venv/bin/dangvu makemigrations --check --dry-run -v 1 >/dev/null
echo "== tests on ${DATABASE_URL:+PostgreSQL/}${DATABASE_URL:-SQLite}" | sed -E 's#//[^:]+:[^@]+@#//***@#'
set +e
# One process per core (pytest-xdist): the run takes half the time on two cores; `-n 0` runs serially.
.venv/bin/pytest -n auto "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "No test was selected: that is a failure." >&2
  exit 1
fi
exit "$status"
