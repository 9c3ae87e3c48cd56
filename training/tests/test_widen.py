"""training/widen.py: the wider model gives the trained model's logits, and its new parts learn.
    .venv/bin/python -m unittest training.tests.test_widen
"""

import tempfile
import unittest
from pathlib import Path

import torch

from training import widen
from training.drgtrain import modeling
from training.tests import tiny


class WidenTests(unittest.TestCase):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp())
        tiny.make_run(self.dir / "run", layers=2)

    def widen(self, hidden="32", name="wide"):
        widen.main(["--run", str(self.dir / "run"), "--hidden", hidden, "--intermediate", "40",
                    "--out", str(self.dir / name)])
        return modeling.load_run(self.dir / name)

    def test_wider_model_has_the_trained_logits_and_the_new_sizes(self):
        old, new = modeling.load_run(self.dir / "run"), self.widen()
        self.assertEqual((32, 4, 40), (new.config.hidden_size, new.config.num_attention_heads, new.config.intermediate_size))
        with torch.no_grad():
            torch.testing.assert_close(new(input_ids=tiny.IDS).logits, old(input_ids=tiny.IDS).logits, rtol=0, atol=1e-5)
        self.assertTrue((self.dir / "wide" / "drg_labels.json").exists())

    def test_a_training_step_moves_the_zero_blocks(self):
        model = self.widen().train()
        loss = torch.nn.functional.cross_entropy(model(input_ids=tiny.IDS).logits, torch.tensor([0, 2]))
        loss.backward()
        first, last = model.model.layers[0], model.model.layers[-1]
        self.assertGreater(first.self_attn.o_proj.weight.grad[16:].abs().sum().item(), 0)  # writes the new dimensions
        self.assertGreater(last.self_attn.o_proj.weight.grad[:, 16:].abs().sum().item(), 0)  # reads the new heads
        self.assertGreater(last.mlp.down_proj.weight.grad[:, 24:].abs().sum().item(), 0)  # reads the new MLP units
        self.assertGreater(model.model.embed_tokens.weight.grad[:, 16:].abs().sum().item(), 0)

    def test_a_size_that_is_not_whole_heads_is_refused(self):
        with self.assertRaises(SystemExit) as caught:
            self.widen(hidden="20", name="bad")
        self.assertIn("multiple of the head size", str(caught.exception))
        self.assertFalse((self.dir / "bad").exists())


if __name__ == "__main__":
    unittest.main()
