#!/usr/bin/env bash
# The main job on the embedded defaults: setup, then `yantra demo` (local model, bundled sample project).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/setup.sh"
exec node "$ROOT/packages/codegen/dist/bin.js" demo "$@"
