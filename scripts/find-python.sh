#!/usr/bin/env bash
# Print the path of a Python >= 3.12 (Django 6 needs it), or explain what to install and fail.
set -euo pipefail
cd "$(dirname "$0")/.."
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; }
candidates=()
[ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
if command -v pyenv >/dev/null 2>&1; then
  root="$(pyenv root)"
  [ -f .python-version ] && candidates+=("$root/versions/$(cat .python-version)/bin/python")
  for v in "$root"/versions/3.1[2-9]*; do [ -x "$v/bin/python" ] && candidates+=("$v/bin/python"); done
fi
candidates+=(python3.14 python3.13 python3.12 python3)
for c in "${candidates[@]}"; do
  if command -v "$c" >/dev/null 2>&1 && ok "$c"; then command -v "$c"; exit 0; fi
done
echo "dangvu needs Python 3.12 or newer (Django 6). Install it (e.g. 'pyenv install 3.12' or" >&2
echo "'apt-get install python3.12') or point PYTHON=/path/to/python3.12 at it." >&2
exit 1
