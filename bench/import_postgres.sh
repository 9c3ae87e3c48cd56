#!/usr/bin/env bash
# Peak resident memory of the three imports into a PostgreSQL store (team mode, issue 14), each on a
# file and on one ten times smaller: streaming means the peak must not grow with the file.
#   - discharge summaries: CASES jsonl cases of ~2 KB (default 50,000 ≈ 100 MB);
#   - MIMIC-IV diagnoses: 10 rows per case (default 500,000 rows) onto those cases;
#   - chart-timed notes: NOTES notes of ~1 KB on CASES/10 stays (default 100,000 ≈ 100 MB).
# Each run gets a fresh database on the server of URL (a role that may CREATE DATABASE, e.g. the
# test server's: bash scripts/test-postgres.sh start).
#
#   bench/import_postgres.sh URL [CASES] [NOTES] [DRGCODER_BINARY]
# With COMPARE_BIN=another/drgcoder, each case import runs with that binary too (first, on its own fresh
# database): before/after figures from one run, interleaved.
set -euo pipefail
cd "$(dirname "$0")/.."
url="$1"; cases="${2:-50000}"; notes="${3:-100000}"; bin="${4:-.build/debug/drgcoder}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 - "$work" "$cases" "$notes" <<'PY'
import json, random, sys
work, cases, notes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(14)
words = "patient admitted with chest pain dyspnea treated diuresis heparin improved discharged stable follow up".split()
def text(n): return " ".join(rng.choice(words) for _ in range(n))
def write_cases(name, n):
    with open(f"{work}/{name}", "w") as f:
        for i in range(1, n + 1):
            body = "Brief Hospital Course:\n" + text(300) + "\nDischarge Medications:\n" + text(20)
            f.write(json.dumps({"id": f"c{i}", "hadm_id": str(i), "text": body}) + "\n")
def write_codes(name, n):
    codes = ["I5021", "N179", "E119", "J9601", "I10", "E871", "J189", "A419", "K219", "Z794"]
    with open(f"{work}/{name}", "w") as f:
        f.write("subject_id,hadm_id,seq_num,icd_code,icd_version\n")
        for i in range(n):
            hadm, seq = i // 10 + 1, i % 10 + 1
            f.write(f"{hadm},{hadm},{seq},{rng.choice(codes)},10\n")
def write_notes(name, n, stays):
    with open(f"{work}/{name}", "w") as f:
        for i in range(n):
            stay = i % stays + 1
            f.write(json.dumps({"case": f"s{stay}", "note_id": f"n{i}", "note_type": "RR", "admittime": "2180-01-01 08:00:00",
                                "charttime": f"2180-01-{1 + (i // stays) % 28:02d} {i % 24:02d}:00:00", "text": text(150)}) + "\n")
write_cases("cases.jsonl", cases); write_cases("cases-small.jsonl", cases // 10)
write_codes("diagnoses_icd.csv", cases * 10); write_codes("diagnoses-small.csv", cases)
write_notes("notes.jsonl", notes, max(1, cases // 10)); write_notes("notes-small.jsonl", notes // 10, max(1, cases // 100))
PY
fresh() {   # a new database; prints its URL
  local name="drgcoder_bench_$RANDOM$RANDOM"
  psql -q "$(sed 's/[?].*//' <<< "$url")?sslmode=disable" -c "CREATE DATABASE $name" >/dev/null
  sed "s#/postgres?#/$name?#" <<< "$url"
}
measure() {   # label, then the drgcoder arguments
  local label="$1"; shift
  /usr/bin/time -f "$label: %e s wall, %M KiB peak RSS" "$bin" "$@" >/dev/null
}
echo "binary: $bin; load: $(cut -d' ' -f1-3 /proc/loadavg)"
for size in "" "-small"; do
  echo "cases$size.jsonl: $(du -h "$work/cases$size.jsonl" | cut -f1)"
  if [[ -n "${COMPARE_BIN:-}" ]]; then
    /usr/bin/time -f "import cases$size.jsonl with $COMPARE_BIN: %e s wall, %M KiB peak RSS" \
      "$COMPARE_BIN" import --db "$(fresh)" --format jsonl "$work/cases$size.jsonl" >/dev/null
  fi
  db="$(fresh)"
  measure "import cases$size.jsonl" import --db "$db" --format jsonl "$work/cases$size.jsonl"
  codes="$work/diagnoses_icd.csv"; [[ -n "$size" ]] && codes="$work/diagnoses-small.csv"
  echo "$(basename "$codes"): $(du -h "$codes" | cut -f1)"
  measure "import --diagnoses $(basename "$codes")" import --db "$db" --diagnoses "$codes"
  echo "notes$size.jsonl: $(du -h "$work/notes$size.jsonl" | cut -f1)"
  measure "import --chart-notes notes$size.jsonl" import --db "$db" --format jsonl --chart-notes "$work/notes$size.jsonl"
done
