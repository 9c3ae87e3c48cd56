"""Twin notes (issue 18, tenth pass): the same stay with one mention's role flipped, grouped anew.
Pure Python, seconds (the catalog's words only):
    .venv/bin/python -m unittest training.tests.test_twins
"""

import dataclasses
import json
import random
import tempfile
import unittest
from pathlib import Path

from tokenizers import Tokenizer

from training.synth import catalog, generate
from training.synth.grouping import Grouper


class TwinTests(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        shared = generate.find_shared()
        cls.grouper = Grouper(shared)
        tok = Tokenizer.from_file(str(shared / "llama-tokenizers" / "llama2-spm.tokenizer.json"))
        cls.factory = generate.CaseFactory(cls.grouper, tok, wide=False, outside=False)

    def drg(self, case) -> str:
        return self.grouper.group(case.pdx, case.dx, list(case.procedures), case.sex)

    def cases(self, want):
        for i in range(2000):
            case = self.factory.draw(random.Random(f"twins-{i}"))
            if want(case):
                yield case

    def test_a_lone_mcc_said_as_not_counting_lowers_the_drg(self):
        case = next(self.cases(lambda c: len(c.severe) == 1 and c.severe[0][1] == "MCC"
                               and self.grouper.title(self.drg(c)).endswith("WITH MCC")))
        code = case.severe[0][0].code
        twin = self.factory.twin(random.Random(1), case)
        self.assertEqual(twin.severe, [])
        self.assertIn(code, [s.code for s in twin.negated + twin.history])
        self.assertNotEqual(self.drg(twin), self.drg(case))
        self.assertEqual((twin.pdx, twin.chronic, twin.procedures), (case.pdx, case.chronic, case.procedures))

    def test_a_ruled_out_secondary_said_as_present_counts_at_its_level(self):
        case = next(self.cases(lambda c: not c.severe and any(self.grouper.severity(c.pdx, s.code)
                                                               for s in c.negated)))
        # as a decoy would say it: another family's principal that shares the code, with no details
        decoy = next(s for s in case.negated if self.grouper.severity(case.pdx, s.code))
        case = dataclasses.replace(case, negated=[catalog.Secondary(decoy.code, ("a name",), (), acute=True)])
        twin = self.factory.twin(random.Random(1), case)
        self.assertEqual(len(twin.severe), 1)
        flipped, level = twin.severe[0]
        self.assertEqual(level, self.grouper.severity(case.pdx, flipped.code))
        self.assertNotIn(flipped.code, [s.code for s in twin.negated + twin.history])
        self.assertTrue(flipped.details, "the present mention is the catalog's secondary, with its details")

    def test_nothing_to_flip_gives_no_twin(self):
        case = next(self.cases(lambda c: not c.severe))
        case = dataclasses.replace(case, negated=[], history=[])
        self.assertIsNone(self.factory.twin(random.Random(1), case))

    def test_twins_are_training_notes_only_and_off_by_default(self):
        with tempfile.TemporaryDirectory() as tmp:
            for twins, out in ((0.0, Path(tmp) / "plain"), (1.0, Path(tmp) / "twins")):
                generate.main(["--seed", "5", "--cases", "60", "--min-per-drg", "1", "--narrow",
                               "--twins", str(twins), "--out", str(out)])
            rows = {split: [json.loads(l) for l in open(Path(tmp) / "twins" / f"{split}.jsonl")]
                    for split in ("train", "validation", "test")}
            plain = [json.loads(l) for l in open(Path(tmp) / "plain" / "train.jsonl")]
        self.assertFalse(any(r["id"].endswith("t") for r in plain))
        twins = [r for r in rows["train"] if r["id"].endswith("t")]
        self.assertGreater(len(twins), 10)
        self.assertFalse(any(r["id"].endswith("t") for r in rows["validation"] + rows["test"]))
        ids = {r["id"] for r in rows["train"]}
        self.assertTrue(all(r["id"][:-1] in ids for r in twins), "every twin follows its original")


if __name__ == "__main__":
    unittest.main()
