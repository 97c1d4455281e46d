#!/usr/bin/env bash
# Installs what the suite needs besides Chromium: npm packages when node_modules is missing or
# older than the lockfile, and Python's requests (the vendored Dari client in test/dari needs it)
# from Debian's python3-requests when python3 cannot import it.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing npm packages..." >&2
  npm ci --no-audit --no-fund >&2
fi

if ! python3 -c "import requests" >/dev/null 2>&1; then
  echo "Python's requests is missing (test/dari needs it); installing Debian's python3-requests..." >&2
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "apt-get is not available: install python3 and its requests package yourself (pip install requests)." >&2
    exit 1
  fi
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >&2
  $SUDO apt-get install -y -qq python3-requests >&2
  python3 -c "import requests" || { echo "python3-requests was installed but python3 still cannot import requests." >&2; exit 1; }
fi
