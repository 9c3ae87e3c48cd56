#!/usr/bin/env bash
# The team-mode load test (issue 14): 50 simulated coders and 4 scoring workers on PostgreSQL for
# 20,000 decisions, then 8 coders on a SQLite file, each printing one JSON line (bench/team_load/main.swift
# says what every field means). Not a timed test: run it by hand, with the load average beside it.
# Usage: bash bench/team_load.sh [decisions] [sqlite-decisions]   (defaults 20000, 2000)
# Needs the test server: export DRGCODER_TEST_POSTGRES_URL="$(bash scripts/test-postgres.sh start)".
set -euo pipefail
cd "$(dirname "$0")/.."
admin="${DRGCODER_TEST_POSTGRES_URL:?start the test server: bash scripts/test-postgres.sh start}"
decisions="${1:-20000}"; sqlite_decisions="${2:-2000}"
swift build --product team-load >/dev/null
db="team_load_$$"
psql "$admin" -qc "CREATE DATABASE $db"
tmp="$(mktemp -d)"
trap 'psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)"; rm -rf "$tmp"' EXIT
echo "load before: $(uptime)"
.build/debug/team-load --db "${admin/\/postgres\?//$db?}" --coders 50 --scorers 4 --decisions "$decisions" \
  --think-min 0.1 --think-max 2 --lease 3 --crash 0.02
echo "load between: $(uptime)"
.build/debug/team-load --db "$tmp/load.sqlite" --coders 8 --scorers 1 --decisions "$sqlite_decisions" \
  --think-min 0.1 --think-max 2 --lease 3 --crash 0.02
echo "load after: $(uptime)"
