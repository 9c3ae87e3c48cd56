#!/usr/bin/env bash
# Creates .venv-drgllama-2023 (at the repository root) with the Python of DRG-LLaMA as published in 2023
# (training/fixtures/requirements-drg-llama-2023.txt: transformers 4.30.2, peft 0.4.0, tokenizers 0.13.3,
# sentencepiece 0.1.99, torch 2.0.1), for regenerating Tests/LlamaInferenceTests/Fixtures/drg-llama-2023/
# (training/fixtures/make_drg_llama_checkpoints.py). drgcoder itself never needs Python.
# Usage: scripts/setup-python-2023.sh [python-executable]   (default: python3; Python 3.11: the oldest
# wheels pinned here have no cp312 builds)
# Idempotent: an existing .venv-drgllama-2023 is reused and brought to the pinned versions.
set -euo pipefail
cd "$(dirname "$0")/.."
python="${1:-python3}"
if ! "$python" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)'; then
  echo "setup-python-2023: $python is not Python 3.11" >&2
  exit 1
fi
venv=.venv-drgllama-2023
if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
# The CPU index is tried first for torch 2.0.1 (+cpu); where it cannot be reached pip falls back to PyPI's
# 2.0.1 (the CUDA 11.7 build environment.yml itself used, with its nvidia-* wheels: ~4.5 GB, runs on the CPU).
"$venv/bin/python" -m pip install --quiet --extra-index-url https://download.pytorch.org/whl/cpu \
  -r training/fixtures/requirements-drg-llama-2023.txt
echo "setup-python-2023: $venv ready ($("$venv/bin/python" -c 'import torch, transformers, peft, tokenizers, sentencepiece; print("torch", torch.__version__, "transformers", transformers.__version__, "peft", peft.__version__, "tokenizers", tokenizers.__version__, "sentencepiece", sentencepiece.__version__)'))"
