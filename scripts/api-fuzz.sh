#!/usr/bin/env bash
# An independent API fuzzer against the example: schemathesis (from PyPI, in
# a virtualenv under target/tools) generates requests from the served OpenAPI
# document and runs every check it has (`--checks all`: no 5xx, every answer
# documented and fitting its schema, schema-valid data accepted, invalid data
# refused, ...), on SQLite and, when FASTAPP_TEST_POSTGRES names a server, on
# PostgreSQL. Run by scripts/test.sh; exits non-zero on any failure.
#
#   bash scripts/api-fuzz.sh
#
# Environment:
#   FASTAPP_FUZZ_EXAMPLES=50   examples per operation and phase (the bound;
#                              each backend also stops after 150 s)
#   FASTAPP_FUZZ_SEED=7        the seed (fixed, so CI reruns what failed);
#                              `random` for a new one each run
#   FASTAPP_TEST_POSTGRES      the PostgreSQL server (scripts/tools.sh sets it)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
say() { printf 'scripts/api-fuzz.sh: %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }

version=4.32.5
venv="$PWD/target/tools/schemathesis"
if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "$version"; then
    say "installing schemathesis $version into target/tools/schemathesis (a virtualenv; once)"
    rm -rf "$venv"
    if ! python3 -m venv "$venv" 2>/dev/null; then
        # Debian's python3 makes virtualenvs only with python3-venv.
        rm -rf "$venv"
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
        python3 -m venv "$venv"
    fi
    "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$version"
fi

target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
cargo build --quiet -p example-project
binary="$target_dir/debug/example-project"
work=$(mktemp -d)
server=
database=
cleanup() {
    if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    if [ -n "$database" ]; then psql "$FASTAPP_TEST_POSTGRES" -qc "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null 2>&1 || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

seed=${FASTAPP_FUZZ_SEED:-7}
[ "$seed" = random ] && seed=$RANDOM
examples=${FASTAPP_FUZZ_EXAMPLES:-50}

# Serves the example on DATABASE_URL=$2 on a free loopback port, fuzzes it,
# stops it. $1 names the backend.
fuzz() {
    local backend=$1 url=$2 base=
    : > "$work/serve.out"
    (cd "$work" && DATABASE_URL="$url" DRAIN_DELAY=0 RUST_LOG=warn exec "$binary" serve --port 0 >"$work/serve.out" 2>"$work/serve.err") &
    server=$!
    for _ in $(seq 1 600); do
        base=$(sed -n 's/^fastapp: listening on //p' "$work/serve.out")
        [ -n "$base" ] && break
        kill -0 "$server" 2>/dev/null || { cat "$work/serve.err" >&2; say "$backend: the example did not start"; return 1; }
        sleep 0.1
    done
    [ -n "$base" ] || { say "$backend: the example did not say where it listens"; return 1; }
    say "$backend: schemathesis $version, --checks all, $examples examples per operation, seed $seed, against $base"
    local status=0
    timeout 900 "$venv/bin/schemathesis" --config-file scripts/schemathesis.toml run "$base/openapi.json" \
        --checks all --max-examples "$examples" --seed "$seed" --max-time 150 --request-timeout 10 \
        --no-color || status=$?
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    server=
    if [ "$status" != 0 ]; then
        say "$backend: schemathesis found failures (exit $status); the example's log:"
        tail -n 40 "$work/serve.err" >&2
        return "$status"
    fi
}

fuzz sqlite "$work/fuzz.db"
if [ -n "${FASTAPP_TEST_POSTGRES:-}" ]; then
    database="fastapp_fuzz_$$"
    psql "$FASTAPP_TEST_POSTGRES" -qc "CREATE DATABASE $database" >/dev/null
    fuzz postgres "${FASTAPP_TEST_POSTGRES%/*}/$database"
elif [ "${FASTAPP_REQUIRE_POSTGRES:-}" = 1 ]; then
    say "FASTAPP_REQUIRE_POSTGRES=1 but FASTAPP_TEST_POSTGRES is not set"
    exit 1
fi
say "no failures"
