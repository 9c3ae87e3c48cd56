#!/usr/bin/env python3
"""Package a trained run as the shipped demo model directory (HF layout, DESIGN.md "Model directory").

    python training/package_demo.py --run training/out/run --corpus training/out/corpus \
        --out models/demo [--dtype float32|float16] [--demo-count 200] [--reference-count 20] \
        [--heldout training/heldout/heldout.jsonl --heldout training/heldout/second_author.jsonl]

Writes into OUT:
- `config.json`, `model.safetensors` (weights cast to --dtype), from the run's `model/`;
- `tokenizer.json`: a byte-for-byte copy of shared/reference/llama-tokenizers/llama2-spm.tokenizer.json
  (the LLaMA-2 SentencePiece vocabulary; the program needs it at run time);
- `drg_labels.json`: the single-label space, `{"scheme": "single", "version": "43", "labels": [...]}`;
- `demo_cases.jsonl`: the first `--demo-count` test-split cases: id, text, final_drg, drg_v34, spans;
- `reference_logits.json`: transformers' logits (rounded to 1e-6) and token ids for the first
  `--reference-count` demo cases, computed from the weights *as written* (after the cast), so the
  Swift engine can be checked against them.
Prints Python's metrics of the packaged weights on the whole test split, on the held-out set when
given (each file overall and per source: template / handwritten / second-author notes; a DRG outside
the label space counts as wrong), and the spread of the demo queue's top-1 probabilities (JSON on stdout).
"""

import argparse
import json
import shutil
import sys
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import load_file, save_file
from transformers import LlamaConfig, LlamaForSequenceClassification, PreTrainedTokenizerFast

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from training.drgtrain import data, metrics  # noqa: E402
from training.drgtrain.labels import LabelSpace  # noqa: E402
from training.synth.grouping import Grouper  # noqa: E402
from training.train import drg_scores, find_shared, prepare, predict  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser(description="Package a training run as models/demo.")
    ap.add_argument("--run", type=Path, required=True)
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--out", type=Path, default=Path("models/demo"))
    ap.add_argument("--dtype", choices=["float32", "float16"], default="float32")
    ap.add_argument("--demo-count", type=int, default=200)
    ap.add_argument("--reference-count", type=int, default=20)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--heldout", type=Path, action="append", default=[],
                    help="a held-out JSONL to report on (training/heldout/heldout.jsonl, "
                         "training/heldout/second_author.jsonl); may be given more than once")
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    out = args.out
    out.mkdir(parents=True, exist_ok=True)

    dtype = getattr(torch, args.dtype)
    tensors = {k: v.to(dtype).contiguous() for k, v in load_file(args.run / "model" / "model.safetensors").items()}
    save_file(tensors, out / "model.safetensors", metadata={"format": "pt"})
    (out / "model.safetensors").chmod(0o644)
    config = json.loads((args.run / "model" / "config.json").read_text())
    config["dtype"] = args.dtype
    # Spelled out for readers of older HF configs (transformers 5 keeps them in rope_parameters /
    # derives num_labels from id2label); transformers reads the file back unchanged.
    config["num_labels"] = len(config["id2label"])
    config["rope_theta"] = config.get("rope_parameters", {}).get("rope_theta", 10000.0)
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    shutil.copyfile(find_shared() / "llama-tokenizers" / "llama2-spm.tokenizer.json", out / "tokenizer.json")
    shutil.copyfile(args.run / "drg_labels.json", out / "drg_labels.json")

    titles = Grouper._read_v43_titles()
    space = LabelSpace.load(out / "drg_labels.json", titles)
    test = [c for c in data.read_corpus(args.corpus / "test.jsonl") if c["final_drg"] in space.drgs]
    demo = test[: args.demo_count]
    with open(out / "demo_cases.jsonl", "w") as f:
        for c in demo:
            keep = {k: c[k] for k in ("id", "text", "final_drg", "drg_v34", "spans")}
            f.write(json.dumps(keep, separators=(",", ":")) + "\n")

    model = LlamaForSequenceClassification.from_pretrained(out, dtype=torch.float32)
    model.eval()
    tok = PreTrainedTokenizerFast(tokenizer_file=str(out / "tokenizer.json"))
    reference = []
    with torch.no_grad():
        for c in demo[: args.reference_count]:
            ids = data.encode(tok, c["text"], 512)
            logits = model(input_ids=torch.tensor([ids])).logits[0].tolist()
            reference.append({"id": c["id"], "token_ids": ids, "logits": [round(x, 6) for x in logits]})
    (out / "reference_logits.json").write_text(json.dumps(
        {"model": "models/demo", "max_tokens": 512, "dtype_on_disk": args.dtype, "cases": reference},
        separators=(",", ":")))
    result = {"test": metrics.evaluate(predict(model, prepare(test, tok, space, 64, 512), space), test, space.drgs, titles)}
    demo_scores = predict(model, prepare(demo, tok, space, 64, 512), space)
    result["demo_queue_top1_probability"] = confidence_spread(demo_scores)
    for path in args.heldout:
        held = data.read_corpus(path)
        encoded = data.Batches([data.encode(tok, c["text"], 512) for c in held], [(0, 0, 0)] * len(held), 64)
        scores = predict(model, encoded, space)
        report = result.setdefault("heldout", {})[path.name] = {
            "outside_label_space": sum(c["final_drg"] not in space.drgs for c in held)}
        for source in ["all", *sorted({c.get("source", "") for c in held} - {""})]:
            keep = [i for i, c in enumerate(held) if source == "all" or c.get("source") == source]
            m = metrics.evaluate(scores[keep], [held[i] for i in keep], space.drgs, titles)
            report[source] = {k: v for k, v in m.items() if k != "families"}
    print(json.dumps(result, indent=1))


def confidence_spread(scores) -> dict:
    """How sure the model is of its top DRG across the demo queue: counts per probability band."""
    top = np.exp(scores.max(axis=1))
    bands = [(0.0, 0.5), (0.5, 0.7), (0.7, 0.9), (0.9, 0.99), (0.99, 1.01)]
    return {"median": float(np.median(top)),
            **{f"{lo:.2f}-{min(hi, 1.0):.2f}": int(((top >= lo) & (top < hi)).sum()) for lo, hi in bands}}


if __name__ == "__main__":
    main()
