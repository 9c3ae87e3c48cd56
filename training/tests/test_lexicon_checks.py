"""The generator's guards against leaking the held-out set through the clinician's lexicon, and the
list-style notes' use of the lexicon's frames (issue 18, sixth pass). Pure Python, seconds:
    .venv/bin/python -m unittest training.tests.test_lexicon_checks
"""

import ast
import json
import random
import tempfile
import unittest
from pathlib import Path

from training.heldout import frame_overlap
from types import SimpleNamespace

from training.synth import catalog, clinician
from training.synth.writer import NoteWriter


def a_heldout_sentence() -> str:
    """Some sentence-like string literal of make_heldout.py (at least 7 words, no placeholder)."""
    tree = ast.parse((frame_overlap.HERE / "make_heldout.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and "{" not in node.value \
                and len(node.value.split()) >= 7 and "\n" not in node.value:
            return node.value
    raise AssertionError("make_heldout.py has no sentence-like literal")


class FrameOverlapTests(unittest.TestCase):
    def test_a_frame_carrying_heldout_wording_is_reported_and_an_ordinary_one_is_not(self):
        sentence = a_heldout_sentence()
        with tempfile.TemporaryDirectory() as d:
            planted = "{Subj} said: " + sentence
            (Path(d) / "frames_x.json").write_text(json.dumps(
                {"negated": [planted, "There was no sign of {phrase} on arrival."]}))
            hits = frame_overlap.overlapping(5, Path(d))
        self.assertEqual([planted], hits[Path(d) / "frames_x.json"]["negated"])

    def test_the_committed_frames_share_no_five_words_with_the_heldout_script(self):
        self.assertEqual({}, frame_overlap.overlapping(5))


class ListStyleFramesTests(unittest.TestCase):
    def negated_lines(self, style: str, lexicon: bool) -> list[str]:
        writer = NoteWriter(random.Random(7), SimpleNamespace(sex="F"))
        writer.clinician = clinician.load() if lexicon else None
        return [writer.negated(catalog.SEVERE_SECONDARIES[0], style) for _ in range(200)]

    def test_problem_lines_say_ruled_out_conditions_in_the_lexicon_s_frames_too(self):
        """Without the lexicon (and, before the sixth pass, with it) a problem-list note said a ruled-out
        condition in two fixed ways."""
        fixed = self.negated_lines("problem", lexicon=False)
        self.assertTrue(all(t.startswith(("# Concern for", "# Possible")) for t in fixed))
        mixed = self.negated_lines("problem", lexicon=True)
        other = [t for t in mixed if not t.startswith(("# Concern for", "# Possible"))]
        self.assertGreater(len(other), 60)
        self.assertTrue(all(t.startswith("#") for t in mixed), "every problem line keeps its '#'")
        self.assertGreater(len(set(other)), 40, "drawn from many frames, not a few")

    def test_terse_lines_are_not_made_problem_lines(self):
        lines = self.negated_lines("terse", lexicon=True)
        self.assertTrue(any(not t.startswith("#") for t in lines))
        self.assertGreater(len(set(lines)), 40)


class DialysisShorthandTests(unittest.TestCase):
    """Ninth pass: end-stage kidney disease and its dialysis are said the short ways clinicians use
    (ESKD, HD), in the secondary's name and in its detail clause."""

    def lines(self, abbrev: float) -> list[str]:
        esrd = next(s for s in catalog.SEVERE_SECONDARIES if s.code == "N18.6")
        writer = NoteWriter(random.Random(3), SimpleNamespace(sex="M"))
        writer.abbrev = abbrev
        return [writer.severe(esrd, "terse") for _ in range(300)]

    def test_eskd_and_hd_appear_when_the_writer_abbreviates(self):
        lines = self.lines(0.8)
        self.assertTrue(any("ESKD" in t for t in lines))
        self.assertTrue(any("hemodialysis" not in t and " HD" in t for t in lines), "the detail clause says HD")

    def test_a_writer_who_does_not_abbreviate_keeps_the_long_forms(self):
        lines = self.lines(0.0)
        self.assertFalse(any("ESKD" in t or " HD" in t for t in lines))


if __name__ == "__main__":
    unittest.main()
