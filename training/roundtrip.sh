#!/usr/bin/env bash
# The retraining round trip of the demo model, end to end through drgcoder:
#   1. import the demo cases into a scratch database and score them with models/demo;
#   2. find the cases the model gets wrong (drgcoder predict --json) and record the coder's
#      correction for each (drgcoder decide --override FINAL_DRG), and accept a few it gets right;
#   3. export the decisions (drgcoder export --format drg-llama-single-csv);
#   4. fine-tune a LoRA adapter from the export (training/train.py --from-export);
#   5. predict again with the adapter (drgcoder predict --adapter; drgcoder score --adapter, then
#      eval) and report how many corrected cases moved to the coder's DRG.
# Usage: training/roundtrip.sh [WORKDIR]     (default: a new temporary directory)
# Environment: DRGCODER (default .build/debug/drgcoder), PYTHON (default .venv/bin/python, see
# scripts/setup-python.sh), MODEL (default models/demo), CASES (default models/demo/demo_cases.jsonl),
# EPOCHS (at most; default 30), LR (default 3e-3), ANCHOR (the notes that hold the adapter close to
# the model, default CASES; ANCHOR=none trains on the export alone), TRAIN_ARGS (more train.py options, e.g.
# "--keep-training --train-head" for the old behaviour), THREADS, HELDOUT (a JSONL of other notes,
# e.g. training/heldout/heldout.jsonl: scored and evaluated without and with the adapter, so the
# guard "the rest of the cases must not suffer" is measured on notes the corrections never saw).
# Assumes the demo cases' "id" is the case ID that `drgcoder decide --case` accepts.
set -euo pipefail
cd "$(dirname "$0")/.."
DRGCODER="${DRGCODER:-.build/debug/drgcoder}"
PYTHON="${PYTHON:-.venv/bin/python}"
MODEL="${MODEL:-models/demo}"
CASES="${CASES:-models/demo/demo_cases.jsonl}"
WORK="${1:-$(mktemp -d -t drgcoder-roundtrip.XXXXXX)}"
mkdir -p "$WORK"
umask 077
for tool in "$DRGCODER" "$PYTHON"; do
  [ -x "$tool" ] || { echo "roundtrip: $tool not found or not executable" >&2; exit 1; }
done
DB="$WORK/roundtrip.sqlite"
echo "roundtrip: working in $WORK"

"$DRGCODER" import --db "$DB" --format jsonl "$CASES"
"$DRGCODER" score --db "$DB" --model "$MODEL"
"$DRGCODER" eval --db "$DB" --json > "$WORK/eval-before.json"
if [ -n "${HELDOUT:-}" ]; then
  "$DRGCODER" import --db "$WORK/heldout.sqlite" --format jsonl "$HELDOUT"
  "$DRGCODER" score --db "$WORK/heldout.sqlite" --model "$MODEL"
  "$DRGCODER" eval --db "$WORK/heldout.sqlite" --json > "$WORK/heldout-before.json"
fi

# Split the cases into one text file each plus a TSV of id and final DRG (no note text is printed).
"$PYTHON" - "$CASES" "$WORK" <<'PY'
import json, pathlib, sys
cases, work = sys.argv[1], pathlib.Path(sys.argv[2])
(work / "texts").mkdir(exist_ok=True)
with open(cases) as f, open(work / "cases.tsv", "w") as out:
    for n, line in enumerate(f):
        c = json.loads(line)
        (work / "texts" / f"{n:04d}.txt").write_text(c["text"])
        out.write(f"{n:04d}\t{c['id']}\t{c['final_drg']}\n")
PY

top_drg() { "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["ranked"][0]["drg"])'; }
wrong=0; right=0; : > "$WORK/corrected.tsv"
while IFS=$'\t' read -r n id final; do
  predicted="$("$DRGCODER" predict --model "$MODEL" --json "$WORK/texts/$n.txt" | top_drg)"
  if [ "$predicted" != "$final" ]; then
    "$DRGCODER" decide --db "$DB" --case "$id" --override "$final" --user trainer --reason "round trip correction"
    printf '%s\t%s\t%s\t%s\n' "$n" "$id" "$final" "$predicted" >> "$WORK/corrected.tsv"
    wrong=$((wrong + 1))
  elif [ "$right" -lt 40 ]; then
    "$DRGCODER" decide --db "$DB" --case "$id" --accept --user trainer
    right=$((right + 1))
  fi
done < "$WORK/cases.tsv"
echo "roundtrip: $wrong overrides and $right accepts recorded"
[ "$wrong" -gt 0 ] || { echo "roundtrip: the model got every case right; nothing to correct" >&2; exit 1; }

# Label indices must be the demo model's (drg_labels.json), not DRG-LLaMA's default v34 space.
"$DRGCODER" export --db "$DB" --format drg-llama-single-csv --labels "$MODEL/drg_labels.json" --out "$WORK/export.csv"
ANCHOR="${ANCHOR:-$CASES}"
anchor_args=(); [ "$ANCHOR" = none ] || anchor_args=(--anchor "$ANCHOR")
"$PYTHON" training/train.py --threads "${THREADS:-1}" --from-export "$WORK/export.csv" \
  --base-model "$MODEL" --out "$WORK/adapter" --epochs "${EPOCHS:-30}" --lr "${LR:-3e-3}" --batch-size 16 \
  "${anchor_args[@]}" ${TRAIN_ARGS:-}

moved=0
while IFS=$'\t' read -r n id final before; do
  after="$("$DRGCODER" predict --model "$MODEL" --adapter "$WORK/adapter" --json "$WORK/texts/$n.txt" | top_drg)"
  [ "$after" = "$final" ] && moved=$((moved + 1))
done < "$WORK/corrected.tsv"
# drgcoder eval reads stored predictions: score the queue again with the adapter, then evaluate.
"$DRGCODER" score --db "$DB" --model "$MODEL" --adapter "$WORK/adapter"
"$DRGCODER" eval --db "$DB" --model "$MODEL" --json > "$WORK/eval-after.json" || \
  echo "roundtrip: drgcoder eval after the adapter failed; see above" >&2
if [ -n "${HELDOUT:-}" ]; then
  "$DRGCODER" score --db "$WORK/heldout.sqlite" --model "$MODEL" --adapter "$WORK/adapter"
  "$DRGCODER" eval --db "$WORK/heldout.sqlite" --model "$MODEL" --json > "$WORK/heldout-after.json"
  echo "roundtrip: held-out metrics before: $WORK/heldout-before.json, after: $WORK/heldout-after.json"
fi
echo "roundtrip: $moved of $wrong corrected cases now predict the coder's DRG with the adapter"
echo "roundtrip: metrics before: $WORK/eval-before.json, after: $WORK/eval-after.json"
