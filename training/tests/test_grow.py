"""training/grow.py: the deepened model gives the trained model's logits, and its new layers learn.
    .venv/bin/python -m unittest training.tests.test_grow
"""

import json
import tempfile
import unittest
from pathlib import Path

import torch
from transformers import LlamaForSequenceClassification

from training import grow
from training.drgtrain import modeling


class GrowTests(unittest.TestCase):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp())
        labels = ["193", "194", "195"]
        config = modeling.build_config(3, dict(enumerate(labels)), hidden=16, layers=1, heads=2, intermediate=24)
        torch.manual_seed(1)
        modeling.build_model(config).save_pretrained(self.dir / "run" / "model")
        (self.dir / "run" / "drg_labels.json").write_text(json.dumps({"scheme": "single", "version": "43", "labels": labels}))
        self.ids = torch.tensor([[1, 400, 9000, 31000, 77, 5], [1, 12, 13, 14, 15, 16]])

    def load(self, name):
        return LlamaForSequenceClassification.from_pretrained(self.dir / name / "model", dtype=torch.float32).eval()

    def test_grown_model_has_the_trained_logits_and_more_layers(self):
        grow.main(["--run", str(self.dir / "run"), "--layers", "2", "--out", str(self.dir / "grown")])
        old, new = self.load("run"), self.load("grown")
        self.assertEqual(3, new.config.num_hidden_layers)
        with torch.no_grad():
            torch.testing.assert_close(new(input_ids=self.ids).logits, old(input_ids=self.ids).logits, rtol=0, atol=1e-6)
        self.assertTrue((self.dir / "grown" / "drg_labels.json").exists())

    def test_a_training_step_moves_the_new_layers(self):
        grow.main(["--run", str(self.dir / "run"), "--layers", "1", "--out", str(self.dir / "grown")])
        model = self.load("grown").train()
        last = model.model.layers[-1]
        loss = torch.nn.functional.cross_entropy(model(input_ids=self.ids).logits, torch.tensor([0, 2]))
        loss.backward()
        self.assertGreater(last.self_attn.o_proj.weight.grad.abs().sum().item(), 0)
        self.assertGreater(last.mlp.down_proj.weight.grad.abs().sum().item(), 0)


if __name__ == "__main__":
    unittest.main()
