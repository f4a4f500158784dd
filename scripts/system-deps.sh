#!/usr/bin/env bash
# The system packages a build needs, installed when missing (Debian/Ubuntu):
#   libssl-dev, pkg-config  OpenSSL for the libpq that fastapp-core builds
#                           from source and links statically (pq-sys "bundled")
#   libpq-dev               the diesel CLI's PostgreSQL backend links libpq
# Run by scripts/test.sh and .ci/run; on other systems, install their equivalents.
set -euo pipefail
say() { printf 'scripts/system-deps.sh: %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }

command -v dpkg >/dev/null || exit 0
missing=()
for package in libssl-dev pkg-config libpq-dev; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
say "installing ${missing[*]}"
if ! { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; }; then
    say "cannot install ${missing[*]} (needs root or sudo): install them, then run this again"
    exit 1
fi
