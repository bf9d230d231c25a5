#!/usr/bin/env bash
# The sticky-session test runs the README's nginx config in front of two UI processes; no download.
set -euo pipefail
command -v nginx >/dev/null 2>&1 && exit 0
[ -x /usr/sbin/nginx ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's nginx for the sticky-session test"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends nginx >/dev/null
else
  echo "nginx is not installed and cannot be installed here (need root + apt-get): the sticky-session test will be skipped" >&2
fi
