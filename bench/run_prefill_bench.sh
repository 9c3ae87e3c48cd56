#!/usr/bin/env bash
# 512-token prefill of a 7B-shaped 2-layer LLaMA: drgcoder (f32, f16) against PyTorch f32, same weights,
# same threads, one run; plus bare cblas_sgemm at the same shapes (reported by `drgcoder bench`).
# Usage: [ROUNDS=2] [REPEATS=3] bench/run_prefill_bench.sh [threads] [tokens]   (from the repository root; see bench/README.md)
set -euo pipefail
THREADS="${1:-$(nproc)}"
TOKENS="${2:-512}"
PY="${PYTHON:-/work/venv/bin/python}"
DIR="${BENCH_DIR:-/tmp/drgcoder-bench}"
OUT="$DIR/results-$(date -u +%Y%m%dT%H%M%SZ).jsonl"

[ -f "$DIR/f16/config.json" ] || "$PY" bench/make_bench_model.py "$DIR"
swift build -c release --product drgcoder 2>&1 | tail -1
BIN="$(swift build -c release --show-bin-path)/drgcoder"

echo "# $(date -u) host=$(hostname) cpus=$(nproc) threads=$THREADS OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset}" | tee "$OUT"
echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT"
# Rounds interleave the three measurements so that load changes on a shared machine hit all of them.
# drgcoder runs twice per round when OPENBLAS_CORETYPE is set: as set, and with OpenBLAS's own CPU
# detection (`env -u`), since a forced core type can be slower than the detected one (docs/ENGINE.md).
for round in $(seq "${ROUNDS:-2}"); do
  for core in ${OPENBLAS_CORETYPE:+"$OPENBLAS_CORETYPE"} auto; do
    if [ "$core" = auto ]; then RUN=(env -u OPENBLAS_CORETYPE "$BIN"); else RUN=("$BIN"); fi
    "${RUN[@]}" bench --model "$DIR/f32" --tokens "$TOKENS" --threads "$THREADS" --repeats "${REPEATS:-3}" --json | tee -a "$OUT"
    "${RUN[@]}" bench --model "$DIR/f16" --tokens "$TOKENS" --threads "$THREADS" --repeats "${REPEATS:-3}" --json --no-sgemm | tee -a "$OUT"
  done
  "$PY" bench/torch_prefill.py "$DIR/f32" --tokens "$TOKENS" --threads "$THREADS" --repeats "${REPEATS:-3}" 2>/dev/null | tee -a "$OUT"
  echo "# load after round $round: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT"
done

"$PY" - "$OUT" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
def best(rs): return max(rs, key=lambda r: r["tokens_per_second"])
torch = best([r for r in rows if "framework" in r])
print(f"torch f32 (best of rounds): {torch['tokens_per_second']:.1f} tok/s ({torch['framework']}, {torch['attn']}, {torch['threads']} threads)")
for core in sorted({r["openblas_core"] for r in rows if "openblas_core" in r}):
    f32 = best([r for r in rows if r.get("openblas_core") == core and r.get("weight_dtype") == "F32"])
    f16 = best([r for r in rows if r.get("openblas_core") == core and r.get("weight_dtype") == "F16"])
    print(f"OpenBLAS core {core}: drgcoder f32 {f32['tokens_per_second']:.1f} tok/s, f16 {f16['tokens_per_second']:.1f} tok/s")
    print(f"  f32 / torch = {f32['tokens_per_second'] / torch['tokens_per_second']:.2f}x (target >= 1.10)")
    print(f"  f16 / f32   = {f16['tokens_per_second'] / f32['tokens_per_second']:.2f} (target >= 0.90)")
    print(f"  f32 {f32['gflops']:.1f} GFLOP/s vs bare sgemm {f32['sgemm_gflops']:.1f} GFLOP/s in the same process: "
          f"{100 * f32['fraction_of_sgemm']:.0f}% (target >= 90%)")
    print(f"  peak RSS f32 {f32['peak_rss_mb']:.0f} MB, f16 {f16['peak_rss_mb']:.0f} MB")
PY
echo "results: $OUT"
