#!/usr/bin/env bash
# The evidence figures of docs/EVIDENCE.md ("Measured"), from a release build of bench/evidence_eval.
#
#   bench/evidence_eval.sh [quality|cost|all]          (from the repository root)
#
# quality: faithfulness (deletion test) and plausibility on the demo model's synthetic test cases
#          (models/demo, models/demo/demo_cases.jsonl). Env: MODEL, CASES, LIMIT, DRAWS, OCCLUSION=1.
# cost:    the cheap method's added time on the 7B-shaped benchmark model that bench/make_bench_model.py
#          writes (BENCH_DIR, default /tmp/drgcoder-bench; built once, never committed).
#          Env: TOKENS (512), REPEATS (5).
# Output: one JSON object per measurement on stdout, also appended to /tmp/drgcoder-evidence/results-*.jsonl
# with the load average before and after (the machine is shared: read timings with it).
set -euo pipefail
MODE="${1:-all}"
PY="${PYTHON:-/work/venv/bin/python}"
BENCH_DIR="${BENCH_DIR:-/tmp/drgcoder-bench}"
OUT_DIR="${OUT_DIR:-/tmp/drgcoder-evidence}"
mkdir -p "$OUT_DIR"
OUT="$OUT_DIR/results-$(date -u +%Y%m%dT%H%M%SZ).jsonl"

swift build -c release --product evidence-eval 2>&1 | tail -1
BIN="$(swift build -c release --show-bin-path)/evidence-eval"
echo "# $(date -u) host=$(hostname) cpus=$(nproc) load before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT"

if [ "$MODE" = quality ] || [ "$MODE" = all ]; then
  ARGS=(quality --model "${MODEL:-models/demo}" --draws "${DRAWS:-5}" --seed 7)
  [ -n "${CASES:-}" ] && ARGS+=(--cases "$CASES")
  [ -n "${LIMIT:-}" ] && ARGS+=(--limit "$LIMIT")
  [ "${OCCLUSION:-0}" = 1 ] && ARGS+=(--occlusion)
  "$BIN" "${ARGS[@]}" | tr -d '\n' | tee -a "$OUT"; echo | tee -a "$OUT"
fi

if [ "$MODE" = cost ] || [ "$MODE" = all ]; then
  [ -f "$BENCH_DIR/f32/config.json" ] || "$PY" bench/make_bench_model.py "$BENCH_DIR"
  "$BIN" cost --model "$BENCH_DIR/f32" --tokens "${TOKENS:-512}" --repeats "${REPEATS:-5}" | tr -d '\n' | tee -a "$OUT"
  echo | tee -a "$OUT"
fi
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT"
echo "results: $OUT"
