#!/usr/bin/env bash
# Builds the tokenizer benchmark (-O, whole module) from Sources/Tokenizers + main.swift and runs it.
# Usage: bench/tokenizers/run.sh [REFERENCE_DIR]   (default: ../shared/reference/llama-tokenizers)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
reference="${1:-$root/../shared/reference/llama-tokenizers}"
[ -d "$reference" ] || reference=/work/shared/reference/llama-tokenizers
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
find "$root/Sources/Tokenizers" -name '*.swift' -print0 | xargs -0 \
    swiftc -O -wmo -module-name TokenizerBench "$root/bench/tokenizers/main.swift" -o "$out/tokenizer-bench"
"$out/tokenizer-bench" "$reference" "$root/Tests/TokenizersTests/Fixtures/hf_corpus.json"
