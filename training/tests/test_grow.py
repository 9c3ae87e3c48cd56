"""training/grow.py: the deepened model gives the trained model's logits, and its new layers learn.
    .venv/bin/python -m unittest training.tests.test_grow
"""

import tempfile
import unittest
from pathlib import Path

import torch

from training import grow
from training.drgtrain import modeling
from training.tests import tiny


class GrowTests(unittest.TestCase):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp())
        tiny.make_run(self.dir / "run")

    def test_grown_model_has_the_trained_logits_and_more_layers(self):
        grow.main(["--run", str(self.dir / "run"), "--layers", "2", "--out", str(self.dir / "grown")])
        old, new = modeling.load_run(self.dir / "run"), modeling.load_run(self.dir / "grown")
        self.assertEqual(3, new.config.num_hidden_layers)
        with torch.no_grad():
            torch.testing.assert_close(new(input_ids=tiny.IDS).logits, old(input_ids=tiny.IDS).logits, rtol=0, atol=1e-6)
        self.assertTrue((self.dir / "grown" / "drg_labels.json").exists())

    def test_a_training_step_moves_the_new_layers(self):
        grow.main(["--run", str(self.dir / "run"), "--layers", "1", "--out", str(self.dir / "grown")])
        model = modeling.load_run(self.dir / "grown").train()
        last = model.model.layers[-1]
        loss = torch.nn.functional.cross_entropy(model(input_ids=tiny.IDS).logits, torch.tensor([0, 2]))
        loss.backward()
        self.assertGreater(last.self_attn.o_proj.weight.grad.abs().sum().item(), 0)
        self.assertGreater(last.mlp.down_proj.weight.grad.abs().sum().item(), 0)


if __name__ == "__main__":
    unittest.main()
