#!/usr/bin/env bash
# Peak resident set of `--weights q8` against the stored f16 weights on a LLaMA-2-7B-shaped classifier
# (32 layers, 4096/11008, 738 labels): the memory half of issue 17's 8-bit goal (≤ 55% of f16), on the
# shape hospitals run. The 2-layer bench model of run_llamacpp_bench.sh measures speed; its peak is
# dominated by fixed cost (libraries, the residual stream, keys and values), not by weights.
# The weights are zeros in a sparse file (bench/make_sparse_7b_f16.py: seconds to write, no disk used);
# resident pages do not depend on the values, so the peak is that of a real 7B. Needs ~13 GB of free
# memory (page cache for f16, 7 GB for q8) and ~6 minutes on 2 cores.
# Usage: [PYTHON=...] bench/q8_memory_7b.sh [tokens] [threads]
set -euo pipefail
TOKENS="${1:-512}"
THREADS="${2:-$(nproc)}"
PY="${PYTHON:-python3}"
DIR="${BENCH_DIR:-/tmp/drgcoder-7b-f16}"
[ -f "$DIR/model.safetensors" ] || "$PY" bench/make_sparse_7b_f16.py "$DIR"
swift build -c release --product drgcoder 2>&1 | tail -1
BIN="$(swift build -c release --show-bin-path)/drgcoder"
echo "# $(date -u) cpus=$(nproc) threads=$THREADS tokens=$TOKENS load=$(cut -d' ' -f1-3 /proc/loadavg) commit=$(git rev-parse --short HEAD)"
declare -A PEAK
for weights in q8 stored; do
  # /usr/bin/time's maximum resident set (KiB) is the kernel's high-water mark for the whole process.
  /usr/bin/time -f '%M' -o "$DIR/rss-$weights" "$BIN" bench --model "$DIR" --weights "$weights" --tokens "$TOKENS" \
    --threads "$THREADS" --repeats 1 --json --no-sgemm
  PEAK[$weights]=$(cat "$DIR/rss-$weights")
  echo "$weights: peak RSS $((PEAK[$weights] / 1024)) MiB"
done
awk -v q="${PEAK[q8]}" -v f="${PEAK[stored]}" 'BEGIN { printf "q8 / f16 peak RSS: %.1f%% (goal <= 55%%)\n", 100 * q / f }'
