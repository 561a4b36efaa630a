#!/usr/bin/env bash
# The browser tests drive Debian's Chromium. Install it when it is missing and we may.
set -euo pipefail
command -v chromium >/dev/null 2>&1 && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's chromium for the browser tests…" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "chromium is missing: install Debian's chromium package (sudo apt-get install chromium) for the browser tests" >&2
  exit 1
fi
