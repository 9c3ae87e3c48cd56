"""PyTorch / transformers prefill timing on the benchmark model, the same way `drgcoder bench` times it.

    /work/venv/bin/python bench/torch_prefill.py /tmp/drgcoder-bench/f32 --tokens 512 --threads 2 --repeats 3

One warm-up pass, then the best of `repeats` wall-clock passes of `model(input_ids)` under
`torch.inference_mode()`, float32, the same pseudo-random ids as PrefillBenchmark.swift. Prints JSON.
"""
import argparse
import json
import time

import torch
from transformers import LlamaForSequenceClassification

parser = argparse.ArgumentParser()
parser.add_argument("model")
parser.add_argument("--tokens", type=int, default=512)
parser.add_argument("--threads", type=int, required=True)
parser.add_argument("--repeats", type=int, default=3)
parser.add_argument("--attn", default="sdpa", help="sdpa (transformers' default) or eager")
args = parser.parse_args()

torch.set_num_threads(args.threads)
model = LlamaForSequenceClassification.from_pretrained(args.model, dtype=torch.float32,
                                                       attn_implementation=args.attn).eval()
vocab, pad = model.config.vocab_size, model.config.pad_token_id
state, ids = 12345, []
for _ in range(args.tokens):  # PrefillBenchmark.swift's LCG
    state = (state * 6364136223846793005 + 1442695040888963407) % 2**64
    i = (state >> 33) % vocab
    ids.append((i + 1) % vocab if i == pad else i)
input_ids = torch.tensor([ids])
with torch.inference_mode():
    model(input_ids=input_ids)
    runs = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        model(input_ids=input_ids)
        runs.append((time.perf_counter() - start) * 1e3)
best = min(runs)
print(json.dumps({"framework": f"torch {torch.__version__}", "threads": torch.get_num_threads(), "attn": args.attn,
                  "tokens": args.tokens, "runs_ms": runs, "best_ms": best,
                  "tokens_per_second": args.tokens / (best / 1e3)}))
