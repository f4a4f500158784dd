#!/usr/bin/env bash
# A rolling deploy behind a real load balancer, with no failed request and
# no lost write (README, "Deploy"). On loopback only:
#
#   1. PostgreSQL (the local cluster, started as scripts/test.sh starts it,
#      or FASTAPP_TEST_POSTGRES) gets a fresh database; HAProxy (Debian's
#      package, installed when missing) balances three replicas, taking a
#      replica out after three checks of its /readyz that were not 200;
#   2. release 1: a project made by `cargo fastapp new` with an app `shop`;
#      `migrate` once, then three replicas `serve --no-migrate`;
#   3. a bounded load through HAProxy: reads and writes (POST /shop/items);
#   4. release 2 adds a migration (an expand step: a nullable column):
#      `migrate` once with the new build while release 1 serves, then each
#      replica in turn gets SIGTERM (readiness turns 503 at once, it serves
#      through `drain_delay`, then stops) and release 2 starts in its place;
#   5. the load stops; every write acknowledged must be in the database.
#
# It prints `requests sent N, failed F; writes acknowledged W, found
# afterwards W'` and exits 1 unless F = 0 and W' = W.
#
#   bash scripts/rolling-deploy.sh
#   ROLLING_DRAIN_DELAY=0 bash scripts/rolling-deploy.sh   # replicas stop at once: only
#                                                          # HAProxy's retries (retries, redispatch) save the requests
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
root=$PWD
say() { printf 'rolling-deploy: %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }
python=/usr/bin/python3
[ -x "$python" ] || python=python3

# 1. HAProxy and PostgreSQL.
haproxy=$(command -v haproxy || echo /usr/sbin/haproxy)
if [ ! -x "$haproxy" ]; then
    say "installing haproxy (Debian's package)"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends haproxy >/dev/null
fi
tools_who=scripts/rolling-deploy.sh
# shellcheck source=scripts/tools.sh
. scripts/tools.sh
fastapp_postgres
if [ -z "${FASTAPP_TEST_POSTGRES:-}" ]; then
    say "no PostgreSQL server: start one, or set FASTAPP_TEST_POSTGRES=postgres://user:pass@host:port/postgres"
    exit 1
fi
server_url=$FASTAPP_TEST_POSTGRES
db_name="fastapp_rolling_$$"
database_url="${server_url%/*}/$db_name"
psql "$server_url" -qc "CREATE DATABASE $db_name" >/dev/null

target=${CARGO_TARGET_DIR:-$root/target}
work="$target/rolling-deploy"
rm -rf "$work"
mkdir -p "$work"
pids=()
# HAProxy's stats socket: under /tmp, as a socket's path has at most 107 bytes.
stats=$(mktemp -u "${TMPDIR:-/tmp}/fastapp-rolling.XXXXXX.sock")
cleanup() {
    { for pid in "${pids[@]}"; do kill -9 "$pid" || true; done; wait; } 2>/dev/null
    rm -f "$stats"
    psql "$server_url" -qc "DROP DATABASE IF EXISTS $db_name WITH (FORCE)" >/dev/null 2>&1 || true
}
trap cleanup EXIT

# 2. Release 1.
say "building release 1 (a project made by cargo fastapp new, app shop)"
cargo build -q -p cargo-fastapp
"$target/debug/cargo-fastapp" fastapp new rolling --path "$work/rolling" --fastapp-path "$root" >/dev/null
(cd "$work/rolling" && "$target/debug/cargo-fastapp" fastapp app new shop >/dev/null)
build() {
    (cd "$work/rolling" && CARGO_TARGET_DIR="$target" cargo build -q)
    mkdir -p "$work/$1"
    cp "$target/debug/rolling" "$work/$1/rolling"
}
build release1
run() {
    local release=$1
    shift
    (cd "$work/rolling" && DATABASE_URL="$database_url" RUST_LOG=warn "$work/$release/rolling" "$@")
}
run release1 migrate >/dev/null

ports=()
for _ in 1 2 3; do
    ports+=("$($python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')")
done
front=$($python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
replica=()
start_replica() {
    local i=$1 release=$2
    (cd "$work/rolling" && DATABASE_URL="$database_url" RUST_LOG=warn DRAIN_DELAY="${ROLLING_DRAIN_DELAY:-2}" PORT="${ports[$i]}" \
        exec "$work/$release/rolling" serve --no-migrate >>"$work/replica-$i.log" 2>&1) &
    replica[i]=$!
    pids+=("$!")
    $python scripts/rolling-deploy.py wait "http://127.0.0.1:${ports[$i]}/readyz" 60
}
for i in 0 1 2; do start_replica "$i" release1; done

cat >"$work/haproxy.cfg" <<EOF
global
    maxconn 2000
    # Asked by this script which replicas the balancer sees UP.
    stats socket $stats
defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    timeout check 1s
    # A refused connection (a replica gone) is tried again, on another one.
    retries 3
    option redispatch 1
    # One request per connection to a replica: no idle connection to race
    # a stopping replica's close.
    option http-server-close
frontend web
    bind 127.0.0.1:$front
    default_backend replicas
backend replicas
    balance roundrobin
    option httpchk GET /readyz
    http-check expect status 200
    # Out after three failed checks (HAProxy's default; 0.75 s, well inside
    # the drain), so one check slowed by a loaded machine takes no replica
    # out; in after two.
    default-server check inter 250ms fall 3 rise 2
    server r0 127.0.0.1:${ports[0]}
    server r1 127.0.0.1:${ports[1]}
    server r2 127.0.0.1:${ports[2]}
EOF
"$haproxy" -q -db -f "$work/haproxy.cfg" >"$work/haproxy.log" 2>&1 &
pids+=("$!")
$python scripts/rolling-deploy.py up "$stats" 3 30

# 3. The load.
say "load through HAProxy on 127.0.0.1:$front; deploying release 2 under it"
stop="$work/stop-load"
$python scripts/rolling-deploy.py load "http://127.0.0.1:$front" "$stop" "$work/load.json" &
load_pid=$!
pids+=("$load_pid")
sleep 2

# 4. Release 2: a migration that adds a nullable column (expand), run once.
version=$(date -u +%Y-%m-%d-%H%M%S)
migration="$work/rolling/migrations/${version}_shop_add_note"
mkdir -p "$migration"
echo "ALTER TABLE shop_items ADD COLUMN note TEXT;" >"$migration/up.sql"
echo "ALTER TABLE shop_items DROP COLUMN note;" >"$migration/down.sql"
build release2
run release2 migrate >/dev/null
for i in 0 1 2; do
    kill -TERM "${replica[$i]}"
    wait "${replica[$i]}" || { say "replica $i (release 1) did not exit 0 after SIGTERM"; exit 1; }
    start_replica "$i" release2
    # The next replica goes only once the balancer has this one back in:
    # two replicas always take the load.
    $python scripts/rolling-deploy.py up "$stats" 3 30
    say "replica $i: release 2"
done
sleep 2

# 5. The tally.
touch "$stop"
wait "$load_pid"
run release2 migrate status >"$work/status.txt"
grep -q "shop_add_note" "$work/status.txt"
psql "$database_url" -qAtc "SELECT name FROM shop_items" >"$work/found.txt"
$python scripts/rolling-deploy.py tally "$work/load.json" "$work/found.txt"
