#!/usr/bin/env bash
# Debian packages the tests need: Chromium (browser tests, driven by Playwright with
# executable_path=/usr/bin/chromium), a PostgreSQL server (storage tests), and libfaketime (the
# browser and integration tests run again at set instants, to prove no test reads the wall clock).
# Idempotent.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
fc-list 2>/dev/null | grep -qi dejavu || need+=(fonts-dejavu-core)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v faketime >/dev/null 2>&1 || need+=(faketime)
# Not for the tests: bench/web_bench.py's load generator (a C program, so it does not take the
# interpreter from the server it measures; without it the bench falls back to Python threads).
command -v wrk >/dev/null 2>&1 || need+=(wrk)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  echo "Installing Debian packages: ${need[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
fi
