#!/usr/bin/env python3
"""Widen a trained demo model's hidden size, keeping what it computes (issue 18, ninth pass).

`grow.py` adds layers; this adds width: hidden H -> H', more attention heads of the same head size,
a wider MLP. The trained weights become the top-left block of the wider matrices, and the new parts
are set so the wider model's logits are the trained model's (checked here before anything is written):
- the residual stream's new dimensions start at zero: the embedding's new columns, and every matrix
  that writes into the stream (`o_proj`, `down_proj`) has zero new rows;
- what the new heads and new MLP units compute is not added yet: `o_proj` / `down_proj` have zero
  new columns;
- RMSNorm divides by the root mean square over *all* dimensions, and with H' - H zeros added that
  mean shrinks by H / H'; every norm weight is scaled by sqrt(H / H') to make up for it, and its
  epsilon (added to that mean) by H / H', so the two sums meet exactly;
- everything that *reads* the stream or makes the new units (`q/k/v_proj`, `gate/up_proj`, `score`
  columns over the new dimensions, the new heads' and units' rows) keeps LLaMA's random initialiser,
  so the zero blocks get gradients from the first step and the width is used once training starts.
The result is an ordinary DRG-LLaMA checkpoint (`LlamaForSequenceClassification`) with the new sizes;
`train.py --init-from OUT/model` trains it further.
    python training/widen.py --run training/out/q15run --hidden 128 --intermediate 344 --out training/out/wide15
"""

import argparse
import json
import math
import sys
from pathlib import Path

import torch
from transformers import LlamaForSequenceClassification

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from training.drgtrain import modeling  # noqa: E402


def widen(old: LlamaForSequenceClassification, hidden: int, intermediate: int,
          seed: int = 43) -> LlamaForSequenceClassification:
    """The wider model, with the trained weights in place and the new blocks as the module doc says."""
    c = old.config
    head_dim = c.hidden_size // c.num_attention_heads
    if hidden <= c.hidden_size or hidden % head_dim or intermediate < c.intermediate_size:
        raise ValueError(f"widen: hidden {hidden} must be larger than {c.hidden_size} and a multiple of the "
                         f"head size {head_dim}; intermediate {intermediate} at least {c.intermediate_size}")
    if c.num_key_value_heads != c.num_attention_heads:
        raise ValueError("widen: grouped-query attention is not supported (the demo has none)")
    config = type(c).from_dict(c.to_dict())
    config.hidden_size, config.intermediate_size = hidden, intermediate
    config.num_attention_heads = config.num_key_value_heads = hidden // head_dim
    config.head_dim = head_dim
    config.rms_norm_eps = c.rms_norm_eps * c.hidden_size / hidden
    torch.manual_seed(seed)
    new = LlamaForSequenceClassification(config).eval()
    h = c.hidden_size
    scale = math.sqrt(h / hidden)
    source = old.state_dict()
    with torch.no_grad():
        for name, target in new.state_dict().items():
            trained = source[name]
            if name.endswith("norm.weight"):
                target[:h] = trained * scale
                target[h:] = (trained * scale).mean()
                continue
            rows, cols = trained.shape
            if name.endswith(("o_proj.weight", "down_proj.weight")):
                target.zero_()
            elif name.endswith("embed_tokens.weight"):
                target[:, h:] = 0
            target[:rows, :cols] = trained
    return new


def main(argv=None):
    ap = argparse.ArgumentParser(description="Widen a trained model's hidden size, keeping its logits.")
    ap.add_argument("--run", required=True, help="a training run directory (model/ and drg_labels.json)")
    ap.add_argument("--hidden", type=int, required=True, help="the new hidden size (a multiple of the head size)")
    ap.add_argument("--intermediate", type=int, required=True, help="the new MLP size")
    ap.add_argument("--seed", type=int, default=43)
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    run, out = Path(args.run), Path(args.out)
    old = modeling.load_run(run)
    try:
        new = widen(old, args.hidden, args.intermediate, args.seed)
    except ValueError as error:
        sys.exit(str(error))
    gap = modeling.logit_gap(new, old)
    if gap > 1e-4:
        sys.exit(f"widen: the wider model's logits differ from the trained model's by {gap}")
    modeling.save_run(new, run, out)
    print(json.dumps({"hidden": args.hidden, "heads": new.config.num_attention_heads,
                      "intermediate": args.intermediate, "max_logit_gap": gap,
                      "parameters": sum(p.numel() for p in new.parameters())}))


if __name__ == "__main__":
    main()
