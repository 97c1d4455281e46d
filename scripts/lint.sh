#!/usr/bin/env bash
# npm run lint: eslint (type-aware rules, eslint.config.js), the layer rules (.dependency-cruiser.cjs)
# and the formatting (prettier --check). Runs all three and fails if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."
status=0
for check in lint:eslint lint:deps lint:format; do
  started=$SECONDS
  if npm run --silent "$check"; then
    echo "lint: $check passed ($((SECONDS - started)) s)" >&2
  else
    echo "lint: $check FAILED ($((SECONDS - started)) s)" >&2
    status=1
  fi
done
exit $status
