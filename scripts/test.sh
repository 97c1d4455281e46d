#!/usr/bin/env bash
# One command for the whole suite: Chromium if missing, npm packages, type check, lint (eslint,
# layer rules, formatting: scripts/lint.sh), then every test with node's test runner. Fails when the
# suite leaves a Chromium process behind.
set -euo pipefail
cd "$(dirname "$0")/.."
CHROME_PATH="$(bash scripts/ensure-chromium.sh)"
export CHROME_PATH
bash scripts/ensure-deps.sh
npx tsc -p tsconfig.check.json
npm run lint

count_chromium() { ps -eo stat=,comm= | awk -v name="$(basename "$CHROME_PATH")" '$1 !~ /^Z/ && $2 == name' | wc -l; }
before=$(count_chromium)
status=0
mapfile -t files < <(find test -name '*.test.ts' | sort)
node --import tsx --test --test-concurrency=2 --test-timeout=300000 "${files[@]}" || status=$?

sleep 1
left=$(count_chromium)
if [ "${left:-0}" -gt "${before:-0}" ]; then
  echo "LEAK: $((left - before)) Chromium process(es) still running after the suite:" >&2
  pgrep -a -x "$(basename "$CHROME_PATH")" >&2 || true
  status=1
fi
exit $status
