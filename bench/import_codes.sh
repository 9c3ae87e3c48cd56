#!/usr/bin/env bash
# Measures `drgcoder import --diagnoses` of a synthetic MIMIC-IV-shaped diagnoses_icd.csv of ROWS rows
# (10 codes an admission, ICD-10 and one ICD-9 row in ten; default 1,000,000 rows = 100,000 admissions)
# onto NOTES imported notes (default 20,000, hadm_id 1..NOTES): wall time, peak resident memory (GNU time)
# and the summary, then a 100,000-row file to compare the memory (bounded: it must not grow with the rows).
#
#   bench/import_codes.sh [ROWS] [NOTES] [DRGCODER_BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
notes="${2:-20000}"
bin="${3:-}"
if [[ -z "$bin" ]]; then
  if [[ -x .build/release/drgcoder ]]; then bin=.build/release/drgcoder; else bin=.build/debug/drgcoder; fi
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 - "$work" "$rows" "$notes" <<'PY'
import random, sys
work, rows, notes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(15)
codes = ["I5021", "N179", "E119", "J9601", "I10", "E871", "J189", "A419", "K219", "Z794"]
def write(name, n):
    with open(f"{work}/{name}", "w") as f:
        f.write("subject_id,hadm_id,seq_num,icd_code,icd_version\n")
        for i in range(n):
            hadm, seq = i // 10 + 1, i % 10 + 1
            code, version = ("4280", 9) if seq == 10 else (rng.choice(codes), 10)
            f.write(f"{hadm},{hadm},{seq},{code},{version}\n")
write("diagnoses_icd.csv", rows)
write("small.csv", rows // 10)
with open(f"{work}/notes.jsonl", "w") as f:
    for i in range(1, notes + 1):
        f.write('{"id": "n%d", "hadm_id": "%d", "text": "Brief Hospital Course: synthetic."}\n' % (i, i))
PY
echo "binary: $bin"
"$bin" import --db "$work/bench.sqlite" --format jsonl "$work/notes.jsonl"
echo "input: $rows rows, $(du -h "$work/diagnoses_icd.csv" | cut -f1)"
/usr/bin/time -f "$rows rows: %e s wall, %M KiB peak RSS" "$bin" import --db "$work/bench.sqlite" --diagnoses "$work/diagnoses_icd.csv"
/usr/bin/time -f "$((rows / 10)) rows (empty store): %e s wall, %M KiB peak RSS" \
  "$bin" import --db "$work/small.sqlite" --diagnoses "$work/small.csv"
