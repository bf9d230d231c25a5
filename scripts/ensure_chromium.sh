#!/usr/bin/env bash
# The browser tests drive Debian's Chromium through Playwright (executablePath); no browser download.
set -euo pipefail
command -v chromium >/dev/null 2>&1 && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq chromium >/dev/null
else
  echo "chromium is not installed and cannot be installed here (need root + apt-get): browser tests will be skipped" >&2
fi
