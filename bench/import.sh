#!/usr/bin/env bash
# Measures `drgcoder import --format mimic-iv` of a synthetic 20,000-note discharge.csv:
# wall time and peak resident memory (GNU time), then a re-import (idempotence, nothing added).
#
#   bench/import.sh [NOTES] [DRGCODER_BINARY]
#
# Default binary: .build/release/drgcoder if built (swift build -c release), else .build/debug/drgcoder.
set -euo pipefail
cd "$(dirname "$0")/.."
notes="${1:-20000}"
bin="${2:-}"
if [[ -z "$bin" ]]; then
  if [[ -x .build/release/drgcoder ]]; then bin=.build/release/drgcoder; else bin=.build/debug/drgcoder; fi
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 bench/make_discharge.py "$work/discharge.csv" "$notes"
echo "binary: $bin"
echo "input: $notes notes, $(du -h "$work/discharge.csv" | cut -f1)"
for run in first re-import; do
  /usr/bin/time -f "$run: %e s wall, %M KiB peak RSS" "$bin" import --db "$work/bench.sqlite" --format mimic-iv "$work/discharge.csv"
done
echo "database: $(du -h "$work/bench.sqlite" | cut -f1)"
