#!/usr/bin/env bash
# Makes sure a Chrome/Chromium is there: CHROME_PATH, then the usual paths, else Debian's chromium.
# Prints the executable's path on stdout.
set -euo pipefail

if [ -n "${CHROME_PATH:-}" ]; then
  if [ -x "$CHROME_PATH" ]; then echo "$CHROME_PATH"; exit 0; fi
  echo "CHROME_PATH=$CHROME_PATH is not an executable file; fix it or unset it." >&2
  exit 1
fi
for candidate in /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome /usr/bin/google-chrome-stable /opt/google/chrome/chrome /snap/bin/chromium; do
  if [ -x "$candidate" ]; then echo "$candidate"; exit 0; fi
done

echo "No Chrome/Chromium found; installing Debian's chromium package..." >&2
if ! command -v apt-get >/dev/null 2>&1; then
  echo "apt-get is not available: install Chrome or Chromium yourself and set CHROME_PATH." >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >&2
$SUDO apt-get install -y -qq chromium >&2
if [ -x /usr/bin/chromium ]; then echo /usr/bin/chromium; exit 0; fi
echo "chromium was installed but /usr/bin/chromium is missing; set CHROME_PATH." >&2
exit 1
