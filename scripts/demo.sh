#!/usr/bin/env bash
# Serve the demo with its background processes: the task worker (large exports) and the scheduler
# (reminders, e-mails, printed to this terminal). Both stop when the server stops (Ctrl+C).
set -euo pipefail
cd "$(dirname "$0")/.."
DANGVU="${DANGVU:-.venv/bin/dangvu}"
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
pids=()
stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop EXIT INT TERM
"$DANGVU" db_worker --no-reload -v 0 &
pids+=($!)
"$DANGVU" scheduler --interval 60 &
pids+=($!)
echo "Serving on http://$HOST:$PORT/ (Ctrl+C to stop; the worker and the scheduler stop with it)"
# In the background and waited for, so that a TERM to this script (not only Ctrl+C in its terminal)
# runs the trap at once and stops all three.
"$DANGVU" runserver "$HOST:$PORT" &
pids+=($!)
wait "${pids[-1]}"
