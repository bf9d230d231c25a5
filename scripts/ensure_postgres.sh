#!/usr/bin/env bash
# The PostgreSQL tests start a throwaway cluster with Debian's server binaries (initdb, pg_ctl); no download.
set -euo pipefail
command -v initdb >/dev/null 2>&1 && exit 0
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && exit 0
exec bash "$(dirname "$0")/apt_install.sh" postgresql "the PostgreSQL tests"
