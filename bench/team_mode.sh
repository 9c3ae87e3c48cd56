#!/usr/bin/env bash
# Team mode on a local PostgreSQL 15 (docs/TEAM.md, issue 14): the figures of the issue's "what it
# must show", measured with the real drgcoder binary in separate processes.
#   1. two concurrent `score` workers on the 200 demo cases -> every case exactly one prediction;
#   2. 4 concurrent coder processes x 25 `queue --claim` + `decide` -> all succeed, no case twice;
#   3. `audit verify` passes; 4. `db copy` to SQLite and back: both verify, the same head hash.
# Usage: bash bench/team_mode.sh [path/to/drgcoder]   (default .build/debug/drgcoder)
# Needs the test server: export DRGCODER_TEST_POSTGRES_URL="$(bash scripts/test-postgres.sh start)".
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-.build/debug/drgcoder}"
admin="${DRGCODER_TEST_POSTGRES_URL:?start the test server: bash scripts/test-postgres.sh start}"
db="team_mode_$$"
url="${admin/\/postgres\?//$db?}"
psql "$admin" -qc "CREATE DATABASE $db" >/dev/null
trap 'psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null; rm -rf "$tmp"' EXIT
tmp="$(mktemp -d)"
sql() { psql "$url" -tAc "$1"; }
echo "load: $(uptime)"

"$bin" import --db "$url" --format jsonl models/demo/demo_cases.jsonl
start=$(date +%s.%N)
"$bin" score --db "$url" --model models/demo > "$tmp/w1.log" 2>&1 & w1=$!
"$bin" score --db "$url" --model models/demo > "$tmp/w2.log" 2>&1 & w2=$!
wait $w1; wait $w2
echo "two score workers: $(awk "BEGIN {print $(date +%s.%N) - $start}") s; $(tail -1 "$tmp/w1.log"); $(tail -1 "$tmp/w2.log")"
echo "predictions: $(sql "SELECT count(*) FROM predictions"), cases with a prediction: $(sql "SELECT count(DISTINCT case_id) FROM predictions"), cases with more than one: $(sql "SELECT count(*) FROM (SELECT case_id FROM predictions GROUP BY case_id, model_key HAVING count(*) > 1) t"), cases: $(sql "SELECT count(*) FROM cases")"

coder() {
  local user="coder$1" ok=0
  for i in $(seq 1 25); do
    id=$("$bin" queue --db "$url" --claim --user "$user" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["external_id"])')
    if (( i % 5 == 0 )); then action=(--override 470); else action=(--accept); fi
    "$bin" decide --db "$url" --case "$id" --user "$user" "${action[@]}" > /dev/null && ok=$((ok + 1))
  done
  echo "$user: $ok/25 decisions recorded"
}
start=$(date +%s.%N)
for n in 1 2 3 4; do coder $n > "$tmp/c$n.log" 2>&1 & done
wait
cat "$tmp"/c*.log
echo "4 coders x 25: $(awk "BEGIN {print $(date +%s.%N) - $start}") s; decisions: $(sql "SELECT count(*) FROM decisions"), distinct cases: $(sql "SELECT count(DISTINCT case_id) FROM decisions"), seq 1..N without gap: $(sql "SELECT max(seq) = count(*) FROM decisions")"
"$bin" audit verify --db "$url"

"$bin" db copy --from "$url" --to "$tmp/copy.sqlite"
"$bin" audit verify --db "$tmp/copy.sqlite"
psql "$admin" -qc "CREATE DATABASE ${db}_back" >/dev/null
"$bin" db copy --from "$tmp/copy.sqlite" --to "${url/$db/${db}_back}"
"$bin" audit verify --db "${url/$db/${db}_back}"
psql "$admin" -qc "DROP DATABASE ${db}_back WITH (FORCE)" >/dev/null
