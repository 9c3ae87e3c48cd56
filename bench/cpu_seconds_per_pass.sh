#!/usr/bin/env bash
# CPU-seconds and wall seconds of one 512-token prefill pass, drgcoder then llama.cpp, on the bench
# model of bench/run_llamacpp_bench.sh (issue 17). Each engine runs twice, with 1 and with 3 measured
# passes; the difference, halved, is one pass without loading or warm-up. CPU-seconds (user + sys) are
# far less disturbed by other processes than wall time, so they compare the arithmetic of the two
# engines on a shared machine; wall / CPU shows how much of the machine each got.
# Usage: bench/cpu_seconds_per_pass.sh LLAMA_CPP_DIR f32|f16|bf16|q8 [VAR=value ...]  (VARs: drgcoder's env)
set -euo pipefail
LLAMA="${1:?usage: bench/cpu_seconds_per_pass.sh LLAMA_CPP_DIR KIND [VAR=value ...]}"; KIND="${2:?kind}"; shift 2
DIR="${BENCH_DIR:-/tmp/drgcoder-bench}"
BIN="$(swift build -c release --show-bin-path)/drgcoder"
case $KIND in
  q8) model="$DIR/f16"; weights=q8; gguf="$DIR/gguf/q8_0.gguf" ;;
  *) model="$DIR/$KIND"; weights=stored; gguf="$DIR/gguf/$KIND.gguf" ;;
esac
timed() { /usr/bin/time -f "%U %S %e" -o "$DIR/time.out" "$@" >/dev/null 2>&1; tail -1 "$DIR/time.out"; }
per_pass() {  # $1 = times of 1 pass, $2 = times of 3 passes
  awk -v a="$1" -v b="$2" 'BEGIN { split(a, x); split(b, y);
    printf "cpu_s/pass %.2f wall_s/pass %.2f", (y[1] + y[2] - x[1] - x[2]) / 2, (y[3] - x[3]) / 2 }'
}
drg=(env "$@" "$BIN" bench --model "$model" --weights "$weights" --tokens 512 --threads 2 --json --no-sgemm --repeats)
one=$(timed "${drg[@]}" 1); three=$(timed "${drg[@]}" 3)
echo "$KIND drgcoder $(per_pass "$one" "$three") load $(cut -d' ' -f1 /proc/loadavg) $*"
llama=("$LLAMA/build/bin/llama-bench" -m "$gguf" -p 512 -n 0 -t 2 -r)
one=$(timed "${llama[@]}" 1); three=$(timed "${llama[@]}" 3)
echo "$KIND llama.cpp $(per_pass "$one" "$three") load $(cut -d' ' -f1 /proc/loadavg)"
