#!/usr/bin/env bash
# Two drgcoder binaries (e.g. before / after a change) on the same bench model, interleaved round by
# round so that the load of a shared machine hits both sides of each ratio: peak RSS, best tok/s of 3
# passes, and CPU-seconds of one 512-token pass ((user+sys of --repeats 3) − (of --repeats 1), halved,
# as bench/cpu_seconds_per_pass.sh does; far less disturbed by other processes than wall time).
# Usage: [ROUNDS=3] [TOKENS=512] bench/ab_prefill.sh BIN_A BIN_B f32|f16|bf16|q8 ...
# Model: $BENCH_DIR (default /tmp/drgcoder-bench, written by bench/make_bench_model.py); q8 = f16/ --weights q8.
set -euo pipefail
A="${1:?usage: bench/ab_prefill.sh BIN_A BIN_B KIND ...}"; B="${2:?bin b}"; shift 2
DIR="${BENCH_DIR:-/tmp/drgcoder-bench}"; TOKENS="${TOKENS:-512}"
run() {  # $1 = binary, $2 = kind, $3 = repeats; prints "user+sys peak_rss_mb tokens_per_second"
  local model="$DIR/$2" weights=stored
  if [ "$2" = q8 ]; then model="$DIR/f16"; weights=q8; fi
  /usr/bin/time -f "%U %S" -o "$DIR/ab-time.out" "$1" bench --model "$model" --weights "$weights" --tokens "$TOKENS" \
    --threads 2 --repeats "$3" --json --no-sgemm > "$DIR/ab-bench.out" 2>/dev/null
  echo "$(awk '{ print $1 + $2 }' "$DIR/ab-time.out") $(grep -o '"peak_rss_mb":[0-9.]*' "$DIR/ab-bench.out" | cut -d: -f2) \
$(grep -o '"tokens_per_second":[0-9.]*' "$DIR/ab-bench.out" | cut -d: -f2)"
}
echo "# $(date -u) A=$A B=$B tokens=$TOKENS"
for round in $(seq "${ROUNDS:-3}"); do
  for kind in "$@"; do
    for side in A B; do
      bin=$A; [ $side = B ] && bin=$B
      read -r c1 _ _ <<< "$(run "$bin" "$kind" 1)"
      read -r c3 rss tps <<< "$(run "$bin" "$kind" 3)"
      awk -v r="$round" -v k="$kind" -v s="$side" -v c1="$c1" -v c3="$c3" -v rss="$rss" -v tps="$tps" -v load="$(cut -d' ' -f1 /proc/loadavg)" \
        'BEGIN { printf "round %s %-4s %s cpu_s/pass %.2f tok/s %.1f peak_rss_mb %.1f load %s\n", r, k, s, (c3 - c1) / 2, tps, rss, load }'
    done
  done
done
