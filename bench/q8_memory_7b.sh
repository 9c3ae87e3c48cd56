#!/usr/bin/env bash
# Peak resident set of `--weights q8` against the stored f16 weights on a LLaMA-2-7B-shaped classifier
# (32 layers, 4096/11008, 738 labels): the memory half of issue 17's 8-bit goal (≤ 55% of f16), on the
# shape hospitals run. The 2-layer bench model of run_llamacpp_bench.sh measures speed; its peak is
# dominated by fixed cost (libraries, the residual stream, keys and values), not by weights.
# The weights are zeros in a sparse file (bench/make_sparse_7b_f16.py: seconds to write, no disk used);
# resident pages do not depend on the values, so the peak is that of a real 7B. Needs ~13 GB of free
# memory (page cache for f16, 7 GB for q8) and ~6 minutes on 2 cores.
# With LLAMA_CPP_DIR (a llama.cpp tree already built by run_llamacpp_bench.sh) it also writes the same
# shape as an F16 GGUF of zeros (make_bench_gguf.py --zeros-7b, 13.5 GB on disk) and its Q8_0
# (llama-quantize, 7.2 GB), and runs llama-bench on both: llama.cpp's own ratio and speed beside ours.
# Usage: [PYTHON=...] bench/q8_memory_7b.sh [tokens] [threads] [LLAMA_CPP_DIR]
set -euo pipefail
TOKENS="${1:-512}"
THREADS="${2:-$(nproc)}"
LLAMA="${3:-}"
PY="${PYTHON:-python3}"
DIR="${BENCH_DIR:-/tmp/drgcoder-7b-f16}"
[ -f "$DIR/model.safetensors" ] || "$PY" bench/make_sparse_7b_f16.py "$DIR"
if [ -n "$LLAMA" ]; then
  [ -f "$DIR/f16.gguf" ] || "$PY" bench/make_bench_gguf.py --zeros-7b "$DIR/f16.gguf" "$LLAMA"
  [ -f "$DIR/q8_0.gguf" ] || "$LLAMA/build/bin/llama-quantize" "$DIR/f16.gguf" "$DIR/q8_0.gguf" Q8_0 >/dev/null 2>&1
fi
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
if [ -n "$LLAMA" ]; then
  for type in q8_0 f16; do
    /usr/bin/time -f '%M' -o "$DIR/rss-llama-$type" "$LLAMA/build/bin/llama-bench" -m "$DIR/$type.gguf" -p "$TOKENS" \
      -n 0 -t "$THREADS" -r 1 -o json 2>/dev/null \
      | "$PY" -c "import json,sys; r=json.load(sys.stdin)[0]; print('llama.cpp $type: %.2f tokens/s' % r['avg_ts'])"
    echo "llama.cpp $type: peak RSS $(( $(cat "$DIR/rss-llama-$type") / 1024 )) MiB"
  done
fi
awk -v q="${PEAK[q8]}" -v f="${PEAK[stored]}" 'BEGIN { printf "q8 / f16 peak RSS: %.1f%% (goal <= 55%%)\n", 100 * q / f }'
