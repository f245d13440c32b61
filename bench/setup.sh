#!/usr/bin/env bash
# Installs what the benchmark needs on top of the project's own setup, and
# skips what is already there:
#   - the project (scripts/setup.sh: .venv, node_modules, compiled codegen, models)
#   - Debian libb64-0d (perf_analyzer links libb64.so.0d), libpython3.11 (the
#     python backend stub links it), python3.11-venv (for the stub env below)
#   - bench/requirements.lock into .venv (transformers for the seed baseline,
#     matplotlib for the chart), --no-deps, stamped by its sha256
#   - build/bench/lib/libcudart.so.12: perf_analyzer links it even on CPU;
#     the nvidia-pytriton wheel carries one
#   - build/bench/backends/python/: the python backend with its 3.11 stub
#     beside it (links into the wheel; the wheel itself is left untouched)
#   - build/bench/stub-env/: a venv of Debian's python3.11, the Python the
#     stub embeds, whose .pth file adds .venv's site-packages. The stub
#     ignores PYTHONPATH; the baselines name this folder as the python
#     backend's EXECUTION_ENV_PATH, and the backend sources its bin/activate.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[bench setup] %s\n' "$*"; }

bash scripts/setup.sh

missing=()
for pkg in libb64-0d libpython3.11 python3.11-venv; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "apt-get install ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

want=$(sha256sum bench/requirements.lock | cut -d' ' -f1)
if [ "$(cat .venv/.bench-requirements.sha256 2>/dev/null)" != "$want" ]; then
  say "pip install --no-deps -r bench/requirements.lock"
  .venv/bin/pip install -q --no-deps -r bench/requirements.lock
  echo "$want" > .venv/.bench-requirements.sha256
fi

site=$(.venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
triton="$site/pytriton/tritonserver"
mkdir -p build/bench/lib build/bench/backends/python
ln -sfn "$(ls "$site"/nvidia_pytriton.libs/libcudart-*.so.12* | head -1)" build/bench/lib/libcudart.so.12
for f in libtriton_python.so triton_python_backend_utils.py; do
  ln -sfn "$triton/backends/python/$f" "build/bench/backends/python/$f"
done
ln -sfn "$triton/python_backend_stubs/3.11/triton_python_backend_stub" \
  build/bench/backends/python/triton_python_backend_stub

stub_env=build/bench/stub-env
pth="$stub_env/lib/python3.11/site-packages/faster_bert_venv.pth"
if [ ! -f "$stub_env/bin/activate" ] || [ "$(cat "$pth" 2>/dev/null)" != "$site" ]; then
  say "stub env $stub_env (Debian python3.11 + .venv site-packages)"
  rm -rf "$stub_env"
  /usr/bin/python3.11 -m venv --without-pip "$stub_env"
  echo "$site" > "$pth"
fi
