#!/usr/bin/env python3
"""Checks drgcoder's Swift engine against transformers on the demo model (and a LoRA adapter).

    python training/check_engine.py --drgcoder .build/debug/drgcoder [--adapter DIR --corpus training/out/corpus]

1. For every case of models/demo/reference_logits.json, runs `drgcoder predict --model models/demo
   --json` on the demo case's text and compares token ids (must be equal) and logits (max absolute
   difference; DRG-LLaMA issue's bar is 1e-4).
2. With `--adapter`, loads the adapter with PEFT and with `drgcoder predict --adapter` on the first
   `--cases` validation cases of the corpus and compares their logits the same way.
Prints one line per check and exits 1 when a check fails. Note text goes to a temporary file only.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from training.drgtrain import data  # noqa: E402

MODEL = Path("models/demo")


def drgcoder_predict(exe: str, text: str, adapter: str | None) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write(text)
        path = f.name
    try:
        cmd = [exe, "predict", "--model", str(MODEL), "--json", path]
        if adapter:
            cmd[4:4] = ["--adapter", adapter]
        out = subprocess.run(cmd, capture_output=True, text=True)
    finally:
        os.unlink(path)
    if out.returncode != 0:
        sys.exit(f"check_engine: drgcoder predict failed: {out.stderr.strip()[:300]}")
    return json.loads(out.stdout)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--drgcoder", required=True)
    ap.add_argument("--adapter")
    ap.add_argument("--corpus", type=Path, default=Path("training/out/corpus"))
    ap.add_argument("--cases", type=int, default=12)
    ap.add_argument("--tolerance", type=float, default=1e-4)
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    ok = True
    reference = json.loads((MODEL / "reference_logits.json").read_text())["cases"]
    texts = {json.loads(line)["id"]: json.loads(line)["text"] for line in open(MODEL / "demo_cases.jsonl")}
    worst, same_ids = 0.0, 0
    for r in reference:
        got = drgcoder_predict(args.drgcoder, texts[r["id"]], None)
        same_ids += got["token_ids"] == r["token_ids"]
        worst = max(worst, max(abs(a - b) for a, b in zip(got["logits"], r["logits"])))
    ok &= same_ids == len(reference) and worst <= args.tolerance
    print(f"base model: {len(reference)} cases, token ids equal {same_ids}/{len(reference)}, "
          f"max |logit diff| {worst:.2e}")
    if args.adapter:
        from peft import PeftModel
        from transformers import LlamaForSequenceClassification, PreTrainedTokenizerFast
        model = PeftModel.from_pretrained(LlamaForSequenceClassification.from_pretrained(MODEL), args.adapter).eval()
        tok = PreTrainedTokenizerFast(tokenizer_file=str(MODEL / "tokenizer.json"))
        cases = data.read_corpus(args.corpus / "validation.jsonl")[: args.cases]
        worst = 0.0
        for c in cases:
            with torch.no_grad():
                expected = model(input_ids=torch.tensor([data.encode(tok, c["text"])])).logits[0].tolist()
            got = drgcoder_predict(args.drgcoder, c["text"], args.adapter)
            worst = max(worst, max(abs(a - b) for a, b in zip(got["logits"], expected)))
        ok &= worst <= args.tolerance
        print(f"adapter {args.adapter}: {len(cases)} cases, max |logit diff| vs PEFT {worst:.2e}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
