#!/usr/bin/env bash
# npm run bench: installs what is missing, then runs the benchmark.
# Arguments go to bench/run.py (try --help; --quick for a smoke test).
set -euo pipefail
cd "$(dirname "$0")/.."
bash bench/setup.sh && .venv/bin/python bench/run.py "$@"
