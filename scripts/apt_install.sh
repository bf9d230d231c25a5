#!/usr/bin/env bash
# apt_install.sh PACKAGE WHAT [--with-recommends]: install Debian's PACKAGE for WHAT (the tests that need it) when this runs as
# root with apt-get; elsewhere say which tests will skip. Callers first check that it is missing.
set -euo pipefail
package=$1 what=$2 recommends=${3:-}
flags=(-y -qq)
[ "$recommends" = --with-recommends ] || flags+=(--no-install-recommends)
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's $package for $what"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install "${flags[@]}" "$package" >/dev/null
else
  echo "$package is not installed and cannot be installed here (need root + apt-get): $what will be skipped" >&2
fi
