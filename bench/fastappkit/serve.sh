#!/usr/bin/env bash
# Serve the fastappkit benchmark project with uvicorn (single process).
#   Usage: serve.sh <venv> <port> <sqlite-file>
# exec's uvicorn, so this script's PID becomes uvicorn's PID.
set -euo pipefail

if [ "$#" -ne 3 ]; then
    echo "usage: $0 <venv> <port> <sqlite-file>" >&2
    exit 2
fi
VENV="$(cd "$1" && pwd)"
PORT="$2"
DB="$3"

if [ ! -x "$VENV/bin/uvicorn" ]; then
    echo "error: $VENV/bin/uvicorn not found; run $(dirname "$0")/setup.sh $1 first" >&2
    exit 1
fi
if [ ! -f "$DB" ]; then
    echo "error: sqlite file not found: $DB" >&2
    exit 1
fi
DB_ABS="$(cd "$(dirname "$DB")" && pwd)/$(basename "$DB")"

# fastappkit's loader looks for fastappkit.toml (and apps/) in the *current
# directory*; without it, it silently mounts no apps. So run from the project.
cd "$(dirname "${BASH_SOURCE[0]}")"

export DATABASE_URL="sqlite:///$DB_ABS"
exec "$VENV/bin/uvicorn" main:app \
    --host 127.0.0.1 --port "$PORT" \
    --workers 1 --no-access-log --log-level warning
