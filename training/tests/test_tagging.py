"""drgtrain/tagging.py: every token gets the kind of the mention it is in, and the head learns it.
    .venv/bin/python -m unittest training.tests.test_tagging
"""

import unittest

import torch

from training import train
from training.drgtrain import data, modeling, tagging


class TaggingTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tok = train.load_tokenizer(None)

    def case(self):
        text = "Brief Hospital Course:\nAdmitted with sepsis. Concern for PE: ruled out. Has AKI.\n"
        spans = [("principal", "Admitted with sepsis."), ("negated", "Concern for PE: ruled out."),
                 ("cc", "Has AKI.")]
        return {"text": text, "final_drg": "872",
                "spans": [{"kind": k, "code": "", "start": text.index(s), "end": text.index(s) + len(s)}
                          for k, s in spans]}

    def test_tags_follow_the_spans_token_by_token(self):
        case = self.case()
        tags = tagging.token_tags(self.tok, case)
        ids = data.encode(self.tok, case["text"])
        self.assertEqual(len(ids), len(tags))
        self.assertEqual(data.IGNORE_TAG, tags[0])  # BOS
        words = {}
        for piece, tag in zip(self.tok.convert_ids_to_tokens(ids)[1:], tags[1:]):
            words.setdefault(tagging.TAGS[tag], []).append(piece)
        said = {k: "".join(v).replace("\u2581", " ") for k, v in words.items()}
        self.assertIn("sepsis", said["principal"])
        self.assertIn("PE", said["negated"])
        self.assertIn("AKI", said["cc"])
        self.assertNotIn("AKI", said["negated"])
        self.assertIn("Hospital", said["outside"])

    def test_with_a_tail_only_each_mentions_last_tokens_are_tagged(self):
        case = self.case()
        every, tail = tagging.token_tags(self.tok, case), tagging.token_tags(self.tok, case, tail=2)
        pieces = self.tok.convert_ids_to_tokens(data.encode(self.tok, case["text"]))
        for kind in ("principal", "negated", "cc"):
            k = tagging.TAGS.index(kind)
            self.assertGreater(every.count(k), 2)
            self.assertEqual(2, tail.count(k), kind)
        kept = [p for p, t in zip(pieces, tail) if t == tagging.TAGS.index("negated")]
        self.assertEqual(".", kept[-1])  # "... ruled out." ends the mention
        self.assertNotIn("PE", "".join(kept))
        self.assertEqual(every.count(0), tail.count(0), "tokens outside every mention keep their tag")

    def test_a_note_without_spans_is_not_tagged_and_pads_as_ignored(self):
        plain = {"text": "Brief Hospital Course:\nPneumonia.\n", "final_drg": "194"}
        self.assertIsNone(tagging.token_tags(self.tok, plain))
        cases = [self.case(), plain]
        batches = train.prepare(cases, self.tok, _Space(), 2, 512, tagged=True)
        ids, mask, *_, tags = next(batches.iterate(None, shuffle=False))
        self.assertEqual(ids.shape, tags.shape)
        self.assertTrue((tags[1] == data.IGNORE_TAG).all())
        self.assertTrue((tags[0][mask[0].bool()][1:] != data.IGNORE_TAG).all())
        self.assertEqual(5, len(next(train.prepare(cases, self.tok, _Space(), 2, 512).iterate(None, False))))

    def test_the_head_learns_the_tags_and_untagged_batches_cost_nothing(self):
        config = modeling.build_config(3, {0: "871", 1: "872", 2: "194"}, hidden=16, layers=2, heads=2, intermediate=24)
        torch.manual_seed(0)
        model = modeling.build_model(config)
        tagger = tagging.Tagger(16, 1)
        case = self.case()
        ids = torch.tensor([data.encode(self.tok, case["text"])])
        tags = torch.tensor([tagging.token_tags(self.tok, case)])
        opt = torch.optim.AdamW(list(model.parameters()) + list(tagger.parameters()), lr=1e-2)
        first = None
        for _ in range(60):
            hidden = model.model(input_ids=ids, output_hidden_states=True).hidden_states
            loss = tagger.loss(hidden, tags)
            first = first if first is not None else loss.item()
            opt.zero_grad()
            loss.backward()
            opt.step()
        self.assertLess(loss.item(), first / 4)
        self.assertEqual(0.0, tagger.loss(hidden, torch.full_like(tags, data.IGNORE_TAG)).item())


class _Space:
    """The one LabelSpace method `prepare` calls."""
    def targets(self, drg):
        return (0, 0, 0)


if __name__ == "__main__":
    unittest.main()
