#!/usr/bin/env bash
# Browser tests: Chromium from Debian, then Playwright against `npm start` on a fresh data dir.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-chromium.sh
export E2E_DATA_DIR="${E2E_DATA_DIR:-$(mktemp -d -t trialledger-e2e-XXXXXX)}"
trap 'rm -rf "$E2E_DATA_DIR"' EXIT
npx playwright test "$@"
