#!/usr/bin/env bash
# The PostgreSQL tests start a throwaway cluster with Debian's server binaries (initdb, pg_ctl); no download.
set -euo pipefail
command -v initdb >/dev/null 2>&1 && exit 0
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's postgresql server for the PostgreSQL tests"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends postgresql >/dev/null
else
  echo "PostgreSQL's initdb is not installed and cannot be installed here (need root + apt-get): PostgreSQL tests will be skipped" >&2
fi
