#!/usr/bin/env bash
# The README's test command. On a fresh machine (a Rust toolchain; PostgreSQL
# installed but stopped; no diesel CLI) it installs and starts what is
# missing, then runs every test: the workspace on SQLite and, when a
# PostgreSQL server can be had, on PostgreSQL too.
#
#   bash scripts/test.sh              # everything
#   bash scripts/test.sh -p fastapp-core   # extra arguments go to `cargo test`
#
# Environment:
#   FASTAPP_TEST_POSTGRES=postgres://user:pass@host/postgres
#                             a server to use instead of starting the local one
#   FASTAPP_REQUIRE_POSTGRES=1  fail instead of skipping PostgreSQL (CI sets it)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
say() { printf 'scripts/test.sh: %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }

# 1. System libraries: OpenSSL's headers for the libpq fastapp builds and
#    links statically, and libpq itself for the diesel CLI.
bash scripts/system-deps.sh

# 1b. A real headless browser for the docs-page test: Debian's chromium.
if ! { [ -x /usr/bin/chromium ] || [ -n "${FASTAPP_TEST_CHROMIUM:-}" ]; } && command -v apt-get >/dev/null; then
    say "installing chromium (the docs page is tested in a real headless browser)"
    if ! { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; }; then
        say "cannot install chromium (needs root or sudo): install it or set FASTAPP_TEST_CHROMIUM, then run this again"
        exit 1
    fi
fi

# 1c. Prometheus' own parser for the metrics test (Debian's
#     python3-prometheus-client), and HAProxy for the rolling-deploy test.
if command -v apt-get >/dev/null && ! { /usr/bin/python3 -c 'import prometheus_client' 2>/dev/null && [ -x /usr/sbin/haproxy ]; }; then
    say "installing python3-prometheus-client and haproxy (the metrics and rolling-deploy tests)"
    if ! { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-prometheus-client haproxy >/dev/null; }; then
        say "cannot install python3-prometheus-client and haproxy (needs root or sudo): install them, then run this again"
        exit 1
    fi
fi

# 2. The diesel CLI (the tests drive the real one), into target/tools, so
#    nothing outside the checkout changes; and 3. PostgreSQL: the server
#    FASTAPP_TEST_POSTGRES names, or the local cluster started here
#    (PostgreSQL installed but not running), with a test role. Both are set
#    up as bench/run sets them up: scripts/tools.sh.
tools_who=scripts/test.sh
# shellcheck source=scripts/tools.sh
. scripts/tools.sh
fastapp_diesel_cli
fastapp_postgres
if [ -z "${FASTAPP_TEST_POSTGRES:-}" ]; then
    if [ "${FASTAPP_REQUIRE_POSTGRES:-}" = 1 ]; then
        say "FASTAPP_REQUIRE_POSTGRES=1 but no PostgreSQL server could be started or was named"
        exit 1
    fi
    say "no PostgreSQL server: the PostgreSQL cases are skipped (set FASTAPP_TEST_POSTGRES to name one)"
fi

# 4. The tests. Database tests loop over SQLite and PostgreSQL; the example's
#    test-kit tests run once per backend (the kit picks PostgreSQL from
#    FASTAPP_TEST_DATABASE_URL).
# Where cargo builds (CARGO_TARGET_DIR, a config's build.target-dir, or target/).
target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
counts="$target_dir/test-artifacts/counts.txt"
rm -f "$counts"
cargo test --workspace "$@"
if [ -n "${FASTAPP_TEST_POSTGRES:-}" ] && [ $# = 0 ]; then
    say "the example's test-kit tests again, on PostgreSQL"
    FASTAPP_TEST_DATABASE_URL="$FASTAPP_TEST_POSTGRES" cargo test -p example-project -p newsletter
fi

# 5. An independent API fuzzer (schemathesis) against the example, on both
#    backends: every answer documented, no 5xx.
if [ $# = 0 ]; then
    bash scripts/api-fuzz.sh
fi

# 6. The reliability tests' counts (each test adds its own lines).
if [ -s "$counts" ]; then
    say "reliability counts: $(awk -F'\t' '{ n[$1] += $2 } END { for (k in n) { printf "%s%s: %d", sep, k, n[k]; sep = ", " } }' "$counts")"
fi
