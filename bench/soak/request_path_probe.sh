#!/usr/bin/env bash
# Does the request path grow per request? Serves the model repository the last
# `npm run soak` built (build/soak/model_repository) and samples the server's
# RSS while (1) perf_analyzer sends one fixed text at concurrency 64 for ROUNDS
# windows of 10 s (every batch size, one sequence length), then (2) 20,000 bad
# requests (the soak's four kinds) go one by one. Flat RSS in both while the
# soak's grows means the growth is per input shape, not per request
# (bench/reports/2026-12-04-soak-1m.md).
# usage: [ROUNDS=10] [MODEL=tiny_embeddings] bash bench/soak/request_path_probe.sh
set -u
cd "$(dirname "$0")/../.."
model=${MODEL:-tiny_embeddings}
triton=$(.venv/bin/python -c 'import pytriton, os; print(os.path.join(os.path.dirname(pytriton.__file__), "tritonserver"))')
free_port() { .venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
port=$(free_port)
"$triton/bin/tritonserver" --model-repository="$PWD/build/soak/model_repository" --backend-directory="$triton/backends" \
  --http-address=127.0.0.1 --grpc-address=127.0.0.1 --metrics-address=127.0.0.1 --http-port="$port" \
  --grpc-port="$(free_port)" --metrics-port="$(free_port)" > build/logs/tritonserver-probe.log 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null' EXIT
for _ in $(seq 1 120); do curl -sf "localhost:$port/v2/health/ready" >/dev/null && break; sleep 0.5; done
served() { curl -s "localhost:$port/v2/models/$model/stats" | .venv/bin/python -c "import json,sys; d=json.load(sys.stdin)['model_stats'][0]['inference_stats']; print('succeeded', d['success']['count'], 'failed', d['fail']['count'])"; }
rss() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
data=$(mktemp); echo '{"data":[{"text":{"content":["the quick brown fox jumps over the lazy dog"],"shape":[1]}}]}' > "$data"
echo "start rss_kib=$(rss) $(served)"
for i in $(seq 1 "${ROUNDS:-10}"); do
  LD_LIBRARY_PATH=$PWD/build/bench/lib .venv/bin/perf_analyzer -m "$model" -u "localhost:$port" -i http \
    --input-data "$data" --concurrency-range 64 --measurement-interval 10000 --max-trials 1 \
    --stability-percentage 100 >/dev/null 2>&1
  echo "fixed text, window $i: rss_kib=$(rss) $(served)"
done
rm -f "$data"
.venv/bin/python - "$port" "$model" "$pid" <<'PY'
import sys, urllib.request
port, model, pid = sys.argv[1:]
bad = [b'{"inputs":[{"name":"text","shape":[1,1],"datatype":"BYTES","data":[""]}]}',
       b'{"inputs":[{"name":"text","shape":[2,1],"datatype":"BYTES","data":["ok",""]}]}',
       b'{"inputs":[{"name":"text","shape":[1,1],"datatype":"INT32","data":[7]}]}',
       b'{"inputs":[{"name":"text","shape":[1,2],"datatype":"BYTES","data":["a","b"]}]}']
for round_ in range(4):
    for i in range(5000):
        request = urllib.request.Request(f"http://127.0.0.1:{port}/v2/models/{model}/infer", data=bad[i % 4])
        try:
            urllib.request.urlopen(request).read()
            raise SystemExit("a bad request succeeded")
        except urllib.error.HTTPError as e:
            assert e.code == 400, e.code
    rss = next(line.split()[1] for line in open(f"/proc/{pid}/status") if line.startswith("VmRSS"))
    print(f"bad requests, {5000 * (round_ + 1)}: rss_kib={rss}", flush=True)
PY
