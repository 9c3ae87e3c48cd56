#!/usr/bin/env bash
# A PostgreSQL server stopped and started under an open review screen (issue 14): on a private
# server of its own (so other test runs are not disturbed), coder A claims a case in
# `drgcoder review` (tmux), the server stops, A records an override with a reason; the header must
# say the store is unreachable and that the decision is kept; the server starts again and the
# decision must be recorded once (one row, `audit verify` ok). Prints the header lines it saw and
# the seconds from the server accepting connections again to the row being there.
# Usage: [OUTAGE_SECONDS=3] bash bench/server_outage.sh [path/to/drgcoder]   (default .build/debug/drgcoder; needs tmux, postgresql)
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$(pwd)/${1:-.build/debug/drgcoder}"
export DRGCODER_PG_DIR="/tmp/drgcoder-outage-pg-$$" DRGCODER_PG_PORT="${DRGCODER_PG_PORT:-$((55000 + $$ % 1000))}"
tmp="$(mktemp -d)"; s="outage$$"
cleanup() { tmux kill-session -t "$s" 2>/dev/null || true; bash scripts/test-postgres.sh stop >/dev/null 2>&1 || true; rm -rf "$tmp" "$DRGCODER_PG_DIR"; }
trap cleanup EXIT
admin="$(bash scripts/test-postgres.sh start)"
url="${admin/\/postgres\?//outage?}"
echo "load: $(uptime)"
psql "$admin" -qc "CREATE DATABASE outage" >/dev/null
head -5 models/demo/demo_cases.jsonl > "$tmp/cases.jsonl"
"$bin" import --db "$url" --format jsonl "$tmp/cases.jsonl" > /dev/null
header() { tmux capture-pane -p -t "$s" | head -1; }
waitfor() { for _ in $(seq 1 400); do tmux capture-pane -p -t "$s" | grep -q "$1" && return 0; sleep 0.05; done; echo "not seen: $1"; header; return 1; }

tmux new-session -d -s "$s" -x 160 -y 40 "$bin review --db '$url' --user coderA"
waitfor "open 5 "
tmux send-keys -t "$s" n
sleep 1
bash scripts/test-postgres.sh stop > /dev/null
echo "server stopped"
tmux send-keys -t "$s" o 4 7 0 Enter 1 Tab
tmux send-keys -t "$s" -l "chart says NSTEMI"
tmux send-keys -t "$s" Tab Enter
waitfor "decision kept"
echo "header: $(header | sed 's/^ *//')"
sleep "${OUTAGE_SECONDS:-3}"
echo "header after ${OUTAGE_SECONDS:-3} s: $(header | sed 's/^ *//')"
bash scripts/test-postgres.sh start > /dev/null
up=$(date +%s.%N)
echo "server started"
for _ in $(seq 1 700); do
  n=$(psql "$url" -tAc "SELECT count(*) FROM decisions" 2>/dev/null || echo 0)
  [[ "$n" -ge 1 ]] && break
  sleep 0.1
done
echo "decision recorded $(awk "BEGIN {printf \"%.1f\", $(date +%s.%N) - $up}") s after the server started; header: $(header | sed 's/^ *//')"
sleep 2
echo "header: $(header | sed 's/^ *//')"
echo "decisions: $(psql "${url}" -tAc "SELECT count(*) || ' row(s): ' || string_agg(action || ' ' || coalesce(chosen_drg, '') || ' note=' || coalesce(note, ''), '; ') FROM decisions")"
"$bin" audit verify --db "$url"
tmux send-keys -t "$s" q
