#!/usr/bin/env bash
# One command on a fresh machine: Chromium if missing, npm packages, build, then start navis.
set -euo pipefail
cd "$(dirname "$0")/.."
CHROME_PATH="$(bash scripts/ensure-chromium.sh)"
export CHROME_PATH
bash scripts/ensure-deps.sh
npm run build --silent >&2
exec npm start --silent
