"""The demo model: a small `LlamaForSequenceClassification`, DRG-LLaMA's architecture scaled down.

Same shapes a DRG-LLaMA checkpoint has, only smaller: LLaMA-2's 32,000-token vocabulary, RMSNorm,
rotary positions, SwiGLU MLP, and a bias-free `score` head reading the last non-pad token
(`pad_token_id = 0`). The shipped demo uses hidden 64, 2 layers, 4 heads, MLP 172: 2.16 M
parameters, 8.6 MB in F32; the embedding table is most of it (32,000 x 64).
"""

import json
import shutil
from pathlib import Path

import torch
from safetensors.torch import load_file
from transformers import LlamaConfig, LlamaForSequenceClassification


def build_config(num_labels: int, id2label: dict[int, str], hidden: int = 64, layers: int = 2,
                 heads: int = 4, intermediate: int = 172, max_positions: int = 512) -> LlamaConfig:
    return LlamaConfig(
        vocab_size=32000, hidden_size=hidden, intermediate_size=intermediate,
        num_hidden_layers=layers, num_attention_heads=heads, num_key_value_heads=heads,
        max_position_embeddings=max_positions, rms_norm_eps=1e-6, rope_theta=10000.0,
        hidden_act="silu", tie_word_embeddings=False, attention_bias=False, mlp_bias=False,
        bos_token_id=1, eos_token_id=2, pad_token_id=0, initializer_range=0.02,
        num_labels=num_labels, id2label=id2label, label2id={v: k for k, v in id2label.items()},
        problem_type="single_label_classification",
    )


def build_model(config: LlamaConfig) -> LlamaForSequenceClassification:
    return LlamaForSequenceClassification(config)


def warm_start(model: LlamaForSequenceClassification, earlier: Path, drgs: list[str]) -> int:
    """Copies an earlier model's weights (same sizes) into `model`; the `score` head row of every
    DRG both label lists hold is carried over, a DRG new to `drgs` keeps its fresh row. Returns how
    many rows were carried over. How the issue-18 demo was trained on a widened corpus without
    paying again for what the first demo had learned."""
    weights = load_file(str(earlier / "model.safetensors"))
    old_labels = json.loads((earlier / "drg_labels.json").read_text())["labels"]
    old_score = weights.pop("score.weight").float()
    missing, unexpected = model.load_state_dict({k: v.float() for k, v in weights.items()}, strict=False)
    if unexpected or set(missing) != {"score.weight"}:
        raise ValueError(f"{earlier}: not the same architecture (missing {missing}, unexpected {unexpected})")
    kept = 0
    with torch.no_grad():
        for j, drg in enumerate(drgs):
            if drg in old_labels:
                model.score.weight[j] = old_score[old_labels.index(drg)]
                kept += 1
    return kept


def copy_run_labels(run: Path, out: Path) -> None:
    """Copies a training run's `drg_labels.json` to OUT and OUT/model, the layout `train.py` writes
    and `training/package_demo.py --run OUT` reads (used by the tools that make a run from a run:
    `grow.py`, `widen.py`, `average.py`)."""
    for target in (out / "drg_labels.json", out / "model" / "drg_labels.json"):
        shutil.copy(run / "drg_labels.json", target)


def load_run(run: Path) -> LlamaForSequenceClassification:
    """A training run's model (RUN/model), in F32 and in eval mode: what `grow.py` and `widen.py` start from."""
    return LlamaForSequenceClassification.from_pretrained(run / "model", dtype=torch.float32).eval()


def save_run(model: LlamaForSequenceClassification, run: Path, out: Path) -> None:
    """Writes `model` as the training run OUT (OUT/model + the labels of the run it was made from)."""
    (out / "model").mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out / "model", safe_serialization=True)
    copy_run_labels(run, out)


def logit_gap(a: LlamaForSequenceClassification, b: LlamaForSequenceClassification) -> float:
    """The largest difference between two models' logits on four fixed random 96-token sequences: how
    `grow.py` and `widen.py` check that a changed model still computes what the trained one did."""
    ids = torch.randint(3, a.config.vocab_size, (4, 96), generator=torch.Generator().manual_seed(0))
    ids[:, 0] = 1
    with torch.no_grad():
        return (a(input_ids=ids).logits - b(input_ids=ids).logits).abs().max().item()
