#!/usr/bin/env bash
# Create (or reuse) a virtualenv with the pinned fastappkit + uvicorn versions
# used by the benchmark.   Usage: setup.sh [VENV_DIR]
# VENV_DIR defaults to target/bench/venv relative to the repository root.
set -euo pipefail

FASTAPPKIT_VERSION=0.2.2
UVICORN_VERSION=0.38.0   # fastappkit 0.2.2 requires uvicorn[standard]>=0.38,<0.39

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$HERE/../.." && pwd)"
VENV="${1:-$REPO_ROOT/target/bench/venv}"
PYTHON="${PYTHON:-python3}"

if ! command -v "$PYTHON" >/dev/null 2>&1; then
    echo "error: $PYTHON not found; install Python >= 3.11 (Debian: apt-get install python3 python3-venv)" >&2
    exit 1
fi
if ! "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
    echo "error: fastappkit $FASTAPPKIT_VERSION needs Python >= 3.11, found $("$PYTHON" -V 2>&1)" >&2
    exit 1
fi

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -m pip --version >/dev/null 2>&1; then
    if ! "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
        echo "error: '$PYTHON -m venv' is unusable (no ensurepip/venv module)." >&2
        echo "       On Debian/Ubuntu run: apt-get install python3-venv" >&2
        exit 1
    fi
    rm -rf "$VENV"
    mkdir -p "$(dirname "$VENV")"
    if ! "$PYTHON" -m venv "$VENV"; then
        echo "error: '$PYTHON -m venv $VENV' failed." >&2
        echo "       On Debian/Ubuntu run: apt-get install python3-venv" >&2
        rm -rf "$VENV"
        exit 1
    fi
fi

export PIP_DISABLE_PIP_VERSION_CHECK=1
# constraints.txt pins the whole dependency tree (fastapi, starlette,
# sqlalchemy, pydantic, uvloop, ...) to the set verified with this harness.
"$VENV/bin/python" -m pip install --quiet -c "$HERE/constraints.txt" \
    "fastappkit==$FASTAPPKIT_VERSION" \
    "uvicorn[standard]==$UVICORN_VERSION"

"$VENV/bin/python" - <<'PY'
from importlib.metadata import version
import sys
print("python " + sys.version.split()[0])
for pkg in ("fastappkit", "uvicorn", "fastapi", "starlette", "sqlalchemy", "pydantic", "uvloop", "httptools"):
    try:
        print(f"{pkg} {version(pkg)}")
    except Exception:
        print(f"{pkg} (not installed)")
PY
