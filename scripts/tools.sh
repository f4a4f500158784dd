# What the tests and the benchmarks both need, set up the same way: sourced
# (not run) by scripts/test.sh and bench/run, from the repository's root.
#
#   fastapp_diesel_cli   the diesel CLI 2.3 on PATH: one already there, or
#                        installed into target/tools (2 to 5 minutes, once)
#   fastapp_postgres     FASTAPP_TEST_POSTGRES exported: the server it names,
#                        or the local cluster started (PostgreSQL installed but
#                        not running) with a role `fastapp`; unset when neither
# Both print what they did on stderr, prefixed with $tools_who.

tools_who=${tools_who:-scripts/tools.sh}
tools_say() { printf '%s: %s\n' "$tools_who" "$*" >&2; }
tools_as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }
tools_as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -c "$1"; else sudo -u postgres sh -c "$1"; fi; }

fastapp_diesel_cli() {
    local tools="$PWD/target/tools"
    export PATH="$tools/bin:$PATH"
    if ! diesel --version 2>/dev/null | grep -q 'Version: 2\.3'; then
        tools_say "installing the diesel CLI into target/tools (about 2 to 5 minutes, once)"
        cargo install diesel_cli --version '^2.3' --locked --root "$tools" \
            --no-default-features --features sqlite-bundled,postgres
    fi
    tools_say "diesel CLI $(diesel --version | sed -n 's/^ *Version: //p') at $(command -v diesel)"
}

fastapp_postgres() {
    if [ -z "${FASTAPP_TEST_POSTGRES:-}" ] && command -v pg_lsclusters >/dev/null; then
        local version name port
        read -r version name port _ < <(pg_lsclusters --no-header 2>/dev/null | head -n1) || true
        if [ -n "${port:-}" ] && { [ "$(id -u)" = 0 ] || command -v sudo >/dev/null; }; then
            tools_as_root pg_ctlcluster "$version" "$name" start >/dev/null 2>&1 || true
            for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p "$port" && break; sleep 1; done
            if pg_isready -q -h 127.0.0.1 -p "$port"; then
                # CREATEROLE: the secrets test logs in as a role with a password of its own.
                tools_as_postgres "psql -p $port -qtAc \"SELECT 1 FROM pg_roles WHERE rolname = 'fastapp'\"" | grep -q 1 \
                    || tools_as_postgres "psql -p $port -qc \"CREATE ROLE fastapp LOGIN PASSWORD 'fastapp' CREATEDB CREATEROLE\""
                tools_as_postgres "psql -p $port -qc \"ALTER ROLE fastapp CREATEROLE\"" >/dev/null
                export FASTAPP_TEST_POSTGRES="postgres://fastapp:fastapp@127.0.0.1:$port/postgres"
            fi
        fi
    fi
    if [ -n "${FASTAPP_TEST_POSTGRES:-}" ]; then
        tools_say "PostgreSQL: $(printf '%s' "$FASTAPP_TEST_POSTGRES" | sed 's#://\([^:/]*\):[^@]*@#://\1:***@#')"
    fi
}
