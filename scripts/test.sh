#!/usr/bin/env bash
# The whole test suite on a fresh machine: setup, then build, lint, typecheck and every test
# (slow tests with real Chromium, pytest, semgrep, Chroma and the local model included).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export NX_DAEMON=false NX_NO_CLOUD=true NX_SKIP_NX_CACHE_CHECK=1 NX_TUI=false

bash scripts/setup.sh
rm -rf packages/*/test-output apps/*/test-output tools/*/test-output

status=0
npx nx sync:check || status=1
npx nx run-many -t build lint typecheck --outputStyle=static || status=1
# Two cores: two test processes at a time, so real browsers and servers are not starved.
npx nx run-many -t test --outputStyle=static --parallel=2 || status=1
node scripts/test-summary.mjs || status=1
exit $status
