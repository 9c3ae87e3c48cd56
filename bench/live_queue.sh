#!/usr/bin/env bash
# The live queue between two review processes (issue 14): coder A claims (n) and overrides (o470,
# reason 1) in one tmux session; the script watches coder B's pane in another and reports how long
# after the key B's screen shows the change — no key pressed in B (GRDB observation + a
# file watch on SQLite, LISTEN/NOTIFY on PostgreSQL). Five rounds on each backend. The time runs
# from the key sent to A (claim: n; decision: the Enter that records it) to B's frame; B's pane is
# captured in a loop (each capture takes a few ms, so figures are upper bounds).
# Usage: bash bench/live_queue.sh [path/to/drgcoder]   (default .build/debug/drgcoder)
# Needs tmux, and for PostgreSQL the test server: export DRGCODER_TEST_POSTGRES_URL="$(bash scripts/test-postgres.sh start)".
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$(pwd)/${1:-.build/debug/drgcoder}"
tmp="$(mktemp -d)"
admin="${DRGCODER_TEST_POSTGRES_URL:-}"
db="live_queue_$$"
cleanup() {
  tmux kill-session -t lqA$$ 2>/dev/null || true; tmux kill-session -t lqB$$ 2>/dev/null || true
  [[ -n "$admin" ]] && psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
echo "load: $(uptime)"

now() { date +%s.%N; }
# Sends `keys` to A and waits until pane B shows `marker`; prints the milliseconds from the keys
# to B's frame (A's key handling and store write included; B never gets a key).
lag() {
  local marker="$1" start; shift
  start=$(now)
  [[ $# -gt 0 ]] && tmux send-keys -t lqA$$ "$@"
  until tmux capture-pane -p -t lqB$$ | grep -q "$marker"; do
    if awk "BEGIN {exit !($(now) - $start > 20)}"; then echo "timeout waiting for '$marker' in B"; return 1; fi
  done
  awk "BEGIN {printf \"%.0f\", ($(now) - $start) * 1000}"
}

run() {
  local name="$1" store="$2" claims=() decisions=()
  tmux new-session -d -s lqA$$ -x 120 -y 35 "$bin review --db '$store' --user coderA"
  tmux new-session -d -s lqB$$ -x 120 -y 35 "$bin review --db '$store' --user coderB"
  lag "open 20 " > /dev/null
  sleep 1
  for round in 1 2 3 4 5; do
    claims+=("$(lag "busy 1 " n)")
    tmux send-keys -t lqA$$ o 4 7 0 Enter 1
    sleep 0.3
    decisions+=("$(lag "done $round" Enter)")
  done
  tmux send-keys -t lqA$$ q; tmux send-keys -t lqB$$ q
  sleep 1
  tmux kill-session -t lqA$$ 2>/dev/null || true; tmux kill-session -t lqB$$ 2>/dev/null || true
  echo "$name: claim in A → in B (ms): ${claims[*]}; decision in A → in B (ms): ${decisions[*]}"
}

head -20 models/demo/demo_cases.jsonl > "$tmp/cases.jsonl"
"$bin" import --db "$tmp/queue.sqlite" --format jsonl "$tmp/cases.jsonl" > /dev/null
run "SQLite file" "$tmp/queue.sqlite"
if [[ -n "$admin" ]]; then
  psql "$admin" -qc "CREATE DATABASE $db" >/dev/null
  url="${admin/\/postgres\?//$db?}"
  "$bin" import --db "$url" --format jsonl "$tmp/cases.jsonl" > /dev/null
  run "PostgreSQL" "$url"
else
  echo "PostgreSQL: not run (DRGCODER_TEST_POSTGRES_URL is not set)"
fi
