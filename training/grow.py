#!/usr/bin/env python3
"""Deepen a trained demo model by decoder layers that start as the identity (issue 18, sixth pass).

A LLaMA decoder layer adds to its input: h = x + o_proj(attention(norm(x))), then h + down_proj(mlp(norm(h))).
With `o_proj` and `down_proj` zero, a new layer adds nothing, so the grown model gives the trained
model's logits exactly (checked here, on a few token sequences, before it is written); its other
matrices start random (LLaMA's initialiser), so the zero projections get gradients from the first
step and the layer learns what to add. Appended after the existing layers, where they read the
representation the trained layers already make. The result is an ordinary DRG-LLaMA checkpoint
with more layers; `train.py --init-from OUT/model` trains it further.
    python training/grow.py --run training/out/q11avg --layers 2 --out training/out/grow4
"""

import argparse
import json
import sys
from pathlib import Path

import torch
from transformers import LlamaForSequenceClassification

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from training.drgtrain import modeling  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser(description="Add identity-initialised decoder layers to a trained model.")
    ap.add_argument("--run", required=True, help="a training run directory (model/ and drg_labels.json)")
    ap.add_argument("--layers", type=int, default=2, help="how many layers to add (after the last)")
    ap.add_argument("--seed", type=int, default=43)
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    run, out = Path(args.run), Path(args.out)
    old = modeling.load_run(run)
    config = old.config
    config.num_hidden_layers += args.layers
    torch.manual_seed(args.seed)
    grown = LlamaForSequenceClassification(config).eval()
    missing, unexpected = grown.load_state_dict(old.state_dict(), strict=False)
    fresh = {f"model.layers.{i}." for i in range(config.num_hidden_layers - args.layers, config.num_hidden_layers)}
    if unexpected or any(not any(m.startswith(p) for p in fresh) for m in missing):
        sys.exit(f"grow: unexpected weights: missing {missing}, unexpected {unexpected}")
    with torch.no_grad():
        for layer in grown.model.layers[-args.layers:]:
            layer.self_attn.o_proj.weight.zero_()
            layer.mlp.down_proj.weight.zero_()
    gap = modeling.logit_gap(grown, old)
    if gap > 1e-5:
        sys.exit(f"grow: the grown model's logits differ from the trained model's by {gap}")
    modeling.save_run(grown, run, out)
    print(json.dumps({"layers": config.num_hidden_layers, "max_logit_gap": gap,
                      "parameters": sum(p.numel() for p in grown.parameters())}))


if __name__ == "__main__":
    main()
