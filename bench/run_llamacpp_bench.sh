#!/usr/bin/env bash
# 512-token prefill of the 7B-shaped 2-layer model: drgcoder against llama.cpp on the same weights, per
# weight type (f32, f16, bf16, 8-bit), same threads, interleaved in one session (issue 17).
# Usage: [ROUNDS=3] [REPEATS=3] [PYTHON=...] bench/run_llamacpp_bench.sh LLAMA_CPP_DIR [threads] [tokens]
#   LLAMA_CPP_DIR: a llama.cpp source tree (e.g. a snapshot of github.com/ggerganov/llama.cpp; nothing of
#   it is committed here). It is built once into LLAMA_CPP_DIR/build (cmake, Release, GGML_NATIVE).
# See bench/README.md; results of record go in docs/ENGINE.md ("Native kernels").
set -euo pipefail
LLAMA="$(cd "${1:?usage: bench/run_llamacpp_bench.sh LLAMA_CPP_DIR [threads] [tokens]}" && pwd)"
THREADS="${2:-$(nproc)}"
TOKENS="${3:-512}"
PY="${PYTHON:-/work/venv/bin/python}"
DIR="${BENCH_DIR:-/tmp/drgcoder-bench}"
OUT="$DIR/llamacpp-$(date -u +%Y%m%dT%H%M%SZ).jsonl"

[ -f "$DIR/bf16/config.json" ] || "$PY" bench/make_bench_model.py "$DIR"
[ -f "$DIR/gguf/f16.gguf" ] || "$PY" bench/make_bench_gguf.py "$DIR" "$LLAMA"
if [ ! -x "$LLAMA/build/bin/llama-bench" ] || [ ! -x "$LLAMA/build/bin/llama-quantize" ]; then
  cmake -S "$LLAMA" -B "$LLAMA/build" -DCMAKE_BUILD_TYPE=Release -DGGML_NATIVE=ON -DLLAMA_CURL=OFF \
    -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_SERVER=OFF >/dev/null
  cmake --build "$LLAMA/build" --target llama-bench llama-quantize -j "$(nproc)" >/dev/null
fi
[ -f "$DIR/gguf/bf16.gguf" ] || "$LLAMA/build/bin/llama-quantize" "$DIR/gguf/f32.gguf" "$DIR/gguf/bf16.gguf" BF16 >/dev/null 2>&1
[ -f "$DIR/gguf/q8_0.gguf" ] || "$LLAMA/build/bin/llama-quantize" "$DIR/gguf/f16.gguf" "$DIR/gguf/q8_0.gguf" Q8_0 >/dev/null 2>&1
swift build -c release --product drgcoder 2>&1 | tail -1
BIN="$(swift build -c release --show-bin-path)/drgcoder"

echo "# $(date -u) host=$(hostname) cpus=$(nproc) threads=$THREADS tokens=$TOKENS llama.cpp=$(git -C "$LLAMA" rev-parse --short HEAD 2>/dev/null || echo snapshot)" | tee "$OUT"
echo "# cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(grep -m1 -o 'avx512_bf16\|avx512_vnni' /proc/cpuinfo | sort -u | xargs)" | tee -a "$OUT"
# One round: each weight type, drgcoder then llama.cpp, so load changes hit both sides of every ratio.
for round in $(seq "${ROUNDS:-3}"); do
  echo "# load before round $round: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT"
  for kind in f32 f16 bf16 q8; do
    case $kind in
      q8) model="$DIR/f16"; weights=q8; gguf="$DIR/gguf/q8_0.gguf" ;;
      *) model="$DIR/$kind"; weights=stored; gguf="$DIR/gguf/$kind.gguf" ;;
    esac
    "$BIN" bench --model "$model" --weights "$weights" --tokens "$TOKENS" --threads "$THREADS" \
      --repeats "${REPEATS:-3}" --json --no-sgemm | sed "s/^{/{\"kind\":\"$kind\",\"engine\":\"drgcoder\",\"round\":$round,/" | tee -a "$OUT"
    /usr/bin/time -f '%M' -o "$DIR/llama-rss" "$LLAMA/build/bin/llama-bench" -m "$gguf" -p "$TOKENS" -n 0 -t "$THREADS" \
      -r "${REPEATS:-3}" -o json 2>/dev/null \
      | "$PY" -c "import json,sys; r=json.load(sys.stdin)[0]; print(json.dumps({'kind':'$kind','engine':'llama.cpp','round':$round,
'tokens_per_second':r['avg_ts'],'samples_ts':r['samples_ts'],'type':r['model_type'],'peak_rss_mb':int(open('$DIR/llama-rss').read())/1024}))" \
      | tee -a "$OUT"
  done
  echo "# load after round $round: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT"
done

"$PY" - "$OUT" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
goals = {"f32": 1.0, "f16": 1.0, "bf16": 0.95, "q8": 1.0}
def med(kind, engine, key="tokens_per_second"):
    return statistics.median(r[key] for r in rows if r["kind"] == kind and r["engine"] == engine)
print("kind  drgcoder tok/s  llama.cpp tok/s  ratio (median of per-round ratios)  goal")
for kind in ("f32", "f16", "bf16", "q8"):
    per_round = [d["tokens_per_second"] / l["tokens_per_second"] for d in rows for l in rows
                 if d["kind"] == l["kind"] == kind and d["engine"] == "drgcoder" and l["engine"] == "llama.cpp" and d["round"] == l["round"]]
    ratio = statistics.median(per_round)
    print(f"{kind:5} {med(kind, 'drgcoder'):14.1f} {med(kind, 'llama.cpp'):16.1f}  {ratio:.2f} (rounds: {', '.join(f'{x:.2f}' for x in per_round)})"
          f"  >= {goals[kind]:.2f}: {'met' if ratio >= goals[kind] else 'not met'}")
q8, f16 = med("q8", "drgcoder", "peak_rss_mb"), med("f16", "drgcoder", "peak_rss_mb")
print(f"drgcoder peak RSS: q8 {q8:.0f} MB, f16 {f16:.0f} MB: {100 * q8 / f16:.0f}% (goal <= 55%); "
      f"llama.cpp q8_0 {med('q8', 'llama.cpp', 'peak_rss_mb'):.0f} MB, f16 {med('f16', 'llama.cpp', 'peak_rss_mb'):.0f} MB")
PY
echo "results: $OUT"
