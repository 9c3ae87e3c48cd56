"""A tiny trained-looking run (model/ + drg_labels.json) for the tests of the tools that change a run."""

import json
from pathlib import Path

import torch

from training.drgtrain import modeling

LABELS = ["193", "194", "195"]
IDS = torch.tensor([[1, 400, 9000, 31000, 77, 5], [1, 12, 13, 14, 15, 16]])


def make_run(run: Path, hidden: int = 16, layers: int = 1, heads: int = 2, intermediate: int = 24) -> None:
    """Writes a random model of these sizes as a run. Its norm weights are drawn from [0.5, 1.5], as a
    trained model's are, not LLaMA's initial ones, so a tool that must rescale them is tested."""
    config = modeling.build_config(len(LABELS), dict(enumerate(LABELS)), hidden=hidden, layers=layers,
                                   heads=heads, intermediate=intermediate)
    torch.manual_seed(1)
    model = modeling.build_model(config)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("norm.weight"):
                p.uniform_(0.5, 1.5)
    model.save_pretrained(run / "model")
    (run / "drg_labels.json").write_text(json.dumps({"scheme": "single", "version": "43", "labels": LABELS}))
