#!/usr/bin/env bash
# npm test: every tier, cheapest first, stopping at the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
step() { printf '\n=== %s\n' "$1"; }

step "lint";              npm run --silent lint
step "typecheck";         npm run --silent typecheck
step "unit tests";        npx vitest run --project unit
step "contract tests";    npx vitest run --project contracts
step "integration tests"; npx vitest run --project integration
step "end-to-end tests";  bash scripts/e2e.sh
step "start-up and restart"; npx vitest run --project system
