#!/usr/bin/env bash
# The sticky-session test runs the README's nginx config in front of two UI processes; no download.
set -euo pipefail
command -v nginx >/dev/null 2>&1 && exit 0
[ -x /usr/sbin/nginx ] && exit 0
exec bash "$(dirname "$0")/apt_install.sh" nginx "the sticky-session test"
