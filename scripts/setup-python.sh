#!/usr/bin/env bash
# Creates .venv (at the repository root) with the Python packages of training/requirements.txt, for
# regenerating the synthetic corpus and retraining the demo model (docs/DEMO_MODEL.md).
# drgcoder itself never needs Python: not to build, run or test.
# Usage: scripts/setup-python.sh [python-executable]   (default: python3; needs Python >= 3.11)
# Idempotent: an existing .venv is reused and brought up to the pinned versions.
set -euo pipefail
cd "$(dirname "$0")/.."
python="${1:-python3}"
# WordNet 3.0's database files (the generator's wordnet.py reads /usr/share/wordnet as data)
if [ ! -f /usr/share/wordnet/data.noun ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get install -y -q wordnet-base >/dev/null
  else
    echo "setup-python: /usr/share/wordnet missing; install the Debian package wordnet-base" >&2
    exit 1
  fi
fi
if ! "$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
  echo "setup-python: $python is older than 3.11" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
# The CPU build of torch avoids gigabytes of CUDA libraries; training runs on the CPU. Where only
# PyPI is reachable (pip would retry the unreachable index for minutes per package), PyPI's default
# torch build is used instead: it runs on the CPU just the same.
extra=()
if .venv/bin/python -c 'import urllib.request; urllib.request.urlopen("https://download.pytorch.org/whl/cpu/", timeout=5)' 2>/dev/null; then
  extra=(--extra-index-url https://download.pytorch.org/whl/cpu)
else
  echo "setup-python: download.pytorch.org unreachable; installing torch from PyPI" >&2
fi
.venv/bin/python -m pip install --quiet "${extra[@]}" -r training/requirements.txt
echo "setup-python: .venv ready ($(.venv/bin/python -c 'import torch, transformers, peft; print("torch", torch.__version__, "transformers", transformers.__version__, "peft", peft.__version__)'))"
