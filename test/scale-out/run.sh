#!/usr/bin/env bash
# npm run test:scale-out: three tritonserver replicas behind HAProxy under
# load, one killed and restarted, then a rolling update (docs/deploy-scale-out.md).
# The report lands in build/scale-out/report.json;
# `.venv/bin/python test/scale-out/report_md.py build/scale-out/report.json`
# renders it as Markdown.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash test/scale-out/ensure-haproxy.sh
npm run -s build:ts
npx vitest run test/scale-out "$@"
