#!/usr/bin/env bash
# The browser tests drive Debian's Chromium through Playwright (executablePath); no browser download.
set -euo pipefail
command -v chromium >/dev/null 2>&1 && exit 0
exec bash "$(dirname "$0")/apt_install.sh" chromium "the browser tests" --with-recommends  # fonts and codecs come as recommends
