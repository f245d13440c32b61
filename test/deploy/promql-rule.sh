#!/usr/bin/env bash
# Evaluates the prometheus-adapter rule that `codegen deploy` writes with
# Prometheus' own PromQL engine (`promtool test rules`) on made-up counters:
# per pod, queue microseconds over successful requests summed over the
# repository's models, other models left out, 0 for a pod that served
# nothing (not NaN). The adapter's template variables are filled in the way
# it fills them for an HPA's request (namespace and pod matchers, by pod).
# Needs promtool (PROMTOOL, or on PATH; `go install
# github.com/prometheus/prometheus/cmd/promtool@latest` builds it), so it is
# not part of `npm test`.
set -euo pipefail
cd "$(dirname "$0")/../.."
promtool=${PROMTOOL:-$(command -v promtool || true)}
[ -x "$promtool" ] || { echo "[promql-rule] promtool not found: set PROMTOOL" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for model in minilm_embeddings topic_classifier; do
  mkdir -p "$work/repo/$model"
  printf 'name: "%s"\ninstance_group [ { count: 1 kind: KIND_CPU } ]\n' "$model" >"$work/repo/$model/config.pbtxt"
done
node bin/codegen.js deploy "$work/repo" --out "$work/k8s" --namespace ml >/dev/null

.venv/bin/python - "$work" <<'PY'
import sys, yaml
work = sys.argv[1]
rule = yaml.safe_load(open(f"{work}/k8s/prometheus-adapter-rules.yaml"))["rules"][0]
query = rule["metricsQuery"].replace("<<.LabelMatchers>>", 'namespace="ml",pod=~"busy|two-models|idle"').replace("<<.GroupBy>>", "pod")
yaml.safe_dump({"groups": [{"name": "adapter", "rules": [{"record": "queue_us_per_request", "expr": query}]}]}, open(f"{work}/rules.yml", "w"), width=10000)
Q, S = "nv_inference_queue_duration_us", "nv_inference_request_success"
def counter(pod, model, metric, per_step):
    return {"series": f'{metric}{{namespace="ml",pod="{pod}",model="{model}",version="1"}}', "values": f"0+{per_step}x12"}
series = [
    counter("busy", "minilm_embeddings", Q, 15000), counter("busy", "minilm_embeddings", S, 3),  # 15000 us / 3 requests
    counter("busy", "not_in_repo", Q, 999999), counter("busy", "not_in_repo", S, 1),            # not this repository's model
    counter("two-models", "minilm_embeddings", Q, 3000), counter("two-models", "minilm_embeddings", S, 1),
    counter("two-models", "topic_classifier", Q, 1500), counter("two-models", "topic_classifier", S, 1),  # 4500 us / 2
    counter("idle", "minilm_embeddings", Q, 0), counter("idle", "minilm_embeddings", S, 0),      # served nothing
    counter("elsewhere", "minilm_embeddings", Q, 5000), counter("elsewhere", "minilm_embeddings", S, 1),  # not asked for
]
expected = [("busy", 5000), ("two-models", 2250), ("idle", 0)]
test = {"rule_files": ["rules.yml"], "evaluation_interval": "15s", "tests": [{
    "interval": "15s", "input_series": series,
    "promql_expr_test": [{"expr": "queue_us_per_request", "eval_time": "2m",
                          "exp_samples": [{"labels": f'queue_us_per_request{{pod="{pod}"}}', "value": value} for pod, value in expected]}]}]}
yaml.safe_dump(test, open(f"{work}/test.yml", "w"), width=10000)
PY
(cd "$work" && "$promtool" test rules test.yml)
