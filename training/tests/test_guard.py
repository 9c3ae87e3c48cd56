"""The correction fine-tune's guard (training/drgtrain/anchors.py), checked on the shipped demo model.

    .venv/bin/python -m unittest training.tests.test_guard      (about a minute on 2 cores)

Not part of `make test` (CI has no PyTorch). Each check trains a real LoRA adapter from a small
export of demo-queue notes relabelled to other DRGs, with the demo queue as anchor notes, and then
measures what the adapter does with PEFT itself, not with the guard's own bookkeeping.
"""

import csv
import json
import sys
import tempfile
import unittest
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from training import train  # noqa: E402
from training.drgtrain import data  # noqa: E402
from training.drgtrain.anchors import Anchors  # noqa: E402
from training.drgtrain.labels import LabelSpace  # noqa: E402
from training.synth.grouping import Grouper  # noqa: E402

MODEL = ROOT / "models" / "demo"
CASES = MODEL / "demo_cases.jsonl"


def write_export(path: Path, cases: list[dict], drgs: list[str]) -> None:
    """An export whose every row asks for a DRG other than the note's own (a coder's overrides)."""
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["text", "label"])
        for n, c in enumerate(cases):
            wrong = drgs[(drgs.index(c["final_drg"]) + 7 + n) % len(drgs)]
            w.writerow([c["text"], drgs.index(wrong)])


def top_drgs(model, texts: list[str], space: LabelSpace, tok) -> list[int]:
    encoded = [data.encode(tok, t, 512) for t in texts]
    return train.predict(model, data.Batches(encoded, [(0, 0, 0)] * len(texts), 64), space).argmax(1).tolist()


class GuardTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        torch.set_num_threads(2)
        cls.space = LabelSpace.load(MODEL / "drg_labels.json", Grouper._read_v43_titles())
        cls.cases = data.read_corpus(CASES)
        cls.tok = train.load_tokenizer(MODEL)

    def run_export(self, out: Path, rows: int, *extra: str) -> Path:
        export = out / "export.csv"
        write_export(export, self.cases[:rows], self.space.drgs)
        train.main(["--from-export", str(export), "--base-model", str(MODEL), "--out", str(out / "adapter"),
                    "--threads", "2", "--batch-size", "16", "--anchor", str(CASES), *extra])
        return out / "adapter"

    def test_the_kept_adapter_changes_no_more_anchor_notes_than_allowed(self):
        from peft import PeftModel
        from transformers import LlamaForSequenceClassification

        with tempfile.TemporaryDirectory() as tmp:
            adapter = self.run_export(Path(tmp), 24, "--max-drift", "0.05", "--epochs", "12", "--lr", "3e-3")
            guard = json.loads((adapter / "guard.json").read_text())
            self.assertGreaterEqual(guard["epochs_kept"], 1)
            others = [c["text"] for c in self.cases[24:]]
            base = LlamaForSequenceClassification.from_pretrained(MODEL, dtype=torch.float32)
            before = top_drgs(base, others, self.space, self.tok)
            after = top_drgs(PeftModel.from_pretrained(base, str(adapter)), others, self.space, self.tok)
            changed = sum(a != b for a, b in zip(after, before)) / len(others)
            # The guard's own figure is the one measured here, and it is within the limit.
            self.assertAlmostEqual(changed, guard["drift"], delta=1e-4)  # guard.json rounds to 4 places
            self.assertLessEqual(changed, 0.05)

    def test_no_epoch_within_the_limit_writes_no_adapter(self):
        with tempfile.TemporaryDirectory() as tmp:
            with self.assertRaises(SystemExit) as exit_:
                self.run_export(Path(tmp), 48, "--max-drift", "0", "--epochs", "3", "--lr", "5e-2")
            self.assertIn("no adapter written", str(exit_.exception.code))
            adapter = Path(tmp) / "adapter"
            self.assertFalse((adapter / "adapter_model.safetensors").exists())
            self.assertEqual(json.loads((adapter / "guard.json").read_text())["epochs_kept"], 0)

    def test_export_rows_are_not_anchors_and_an_untrained_adapter_does_not_drift(self):
        texts = [c["text"] for c in self.cases]
        anchors = Anchors(texts + texts[:5], set(texts[:10]), self.tok, self.space, 512, 16,
                          lambda l: train.drg_scores(l, self.space))
        rehearsed, watched = anchors.sizes
        self.assertEqual(rehearsed + watched, len(texts) - 10)  # duplicates once, export rows never
        self.assertEqual(watched, (len(texts) - 10) // 5)
        from transformers import LlamaForSequenceClassification
        model = LlamaForSequenceClassification.from_pretrained(MODEL, dtype=torch.float32)
        anchors.capture(model)
        self.assertEqual(anchors.drift(model), (0.0, 0.0))
        with torch.no_grad():
            model.score.weight.mul_(-1)  # every top DRG moves
        self.assertGreater(anchors.drift(model)[0], 0.5)


if __name__ == "__main__":
    unittest.main()
