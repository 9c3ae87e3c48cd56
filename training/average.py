#!/usr/bin/env python3
"""Average the weights of two training runs of the same model (a two-member "model soup").

Both runs must have the same sizes and label list; the second is usually warm-started from the
first, so their weights lie in one basin and the average is a model, not noise. Writes OUT/model
(config.json and drg_labels.json from B, model.safetensors = (A + B) / 2) and OUT/drg_labels.json,
the layout `training/package_demo.py --run OUT` reads.
    python training/average.py --a training/out/q7run --b training/out/q8run --out training/out/q8avg
"""

import argparse
import json
import shutil
import sys
from pathlib import Path

from safetensors.torch import load_file, save_file

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from training.drgtrain import modeling  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser(description="Average two training runs' weights.")
    ap.add_argument("--a", required=True, help="a training run directory (with model/ and drg_labels.json)")
    ap.add_argument("--b", required=True, help="the other run; its config and labels are kept")
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    a, b, out = Path(args.a), Path(args.b), Path(args.out)
    if json.loads((a / "drg_labels.json").read_text()) != json.loads((b / "drg_labels.json").read_text()):
        sys.exit("average: the two runs have different label lists")
    wa, wb = load_file(a / "model" / "model.safetensors"), load_file(b / "model" / "model.safetensors")
    if wa.keys() != wb.keys() or any(wa[k].shape != wb[k].shape for k in wa):
        sys.exit("average: the two runs' tensors differ in names or shapes")
    (out / "model").mkdir(parents=True, exist_ok=True)
    save_file({k: (wa[k] + wb[k]) / 2 for k in sorted(wa)}, out / "model" / "model.safetensors", metadata={"format": "pt"})
    shutil.copy(b / "model" / "config.json", out / "model" / "config.json")
    modeling.copy_run_labels(b, out)
    print(f"average: {len(wa)} tensors of {a} and {b} -> {out / 'model'}")


if __name__ == "__main__":
    main()
