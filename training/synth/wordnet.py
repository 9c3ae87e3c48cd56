"""Wording from WordNet 3.0, a source that knows nothing of the catalog or of either note writer.

WordNet (Princeton University, free licence; Debian package `wordnet-base`, read from
/usr/share/wordnet as plain data) groups English words into synsets of synonyms, each with a
definition ("gloss"), example sentences and pointers (hypernym, pertainym). The generator uses it
three ways (issue 18), each choice through the caller's `random.Random`:

- `WordNet.rename(phrase, rng)`: a clinical term inside a diagnosis phrase said another way: another
  lemma of its synset ("myocardial infarction" -> "heart attack"), an adjective by the noun it
  pertains to ("renal" -> "kidney"), or, when the term is the whole phrase, its WordNet definition
  ("renal failure" -> "inability of the kidneys to excrete wastes ..."), the way a person describes
  what they cannot name. Broader terms (hypernyms: "cellulitis" -> "inflammation") are not used:
  they would say a different, vaguer diagnosis than the code;
- `WordNet.respell(text, rng, p)`: the ordinary words around the diagnoses (adjectives, adverbs and
  nouns for people, acts, times, places, ...) swapped for another lemma of their most common sense,
  so the sentences a diagnosis sits in are not always the writer's few dozen frames; words that
  carry negation, time or a diagnosis's role (`KEEP`) and every clinical term stay;
- `WordNet.english(rng)`: an example sentence from WordNet's glosses that mentions nothing clinical,
  general English a note may carry around its facts (for the training split only; see generate.py).

Nothing here decides a code or a label: the grouper does, from the codes. A term only counts as
clinical when its synset lies under one of `CLINICAL_ROOTS` (illness, symptom, injury, ...).
"""

import random
import re
from functools import lru_cache
from pathlib import Path

ROOT = Path("/usr/share/wordnet")
# Noun lexicographer files whose words `respell` may swap: act, attribute, cognition, communication,
# event, group, location, person, time (not body, state, substance, process: clinical meaning).
PLAIN_NOUN_FILES = {4, 7, 9, 10, 11, 14, 15, 18, 28}
# Words `respell` never swaps: negation, time, and the words that tell a diagnosis's role.
KEEP = {"no", "not", "without", "with", "new", "old", "prior", "remote", "resolved", "history",
        "chronic", "acute", "past", "also", "additionally", "further", "principal", "main", "primary",
        "secondary", "concern", "possible", "initial", "left", "right", "day", "days", "hospital",
        "admission", "diagnosis", "reason", "issues", "problem", "problems", "course", "year"}
# Synsets (by their first lemma) whose hyponyms are the clinical states and processes of WordNet.
CLINICAL_ROOTS = ("ill_health", "illness", "disease", "disorder", "symptom", "injury", "pathology",
                  "physiological_state", "inflammation", "infection", "pain", "lesion", "tumor")


class WordNet:
    """The noun, verb, adjective and adverb synsets of a WordNet 3.0 database directory."""

    def __init__(self, root: Path = ROOT):
        if not (root / "data.noun").is_file():
            raise SystemExit(f"wordnet: {root}/data.noun not found (apt-get install wordnet-base)")
        self.synsets: dict[tuple[str, int], tuple[list[str], str, list[tuple[str, str, int]], int]] = {}
        self.index: dict[tuple[str, str], list[int]] = {}
        for pos, name in (("n", "noun"), ("v", "verb"), ("a", "adj"), ("r", "adv")):
            self._read_data(pos, root / f"data.{name}")
            self._read_index(pos, root / f"index.{name}")
        self.clinical = self._clinical()

    def _read_data(self, pos: str, path: Path) -> None:
        for number, line in enumerate(path.read_text(encoding="latin-1").splitlines(), 1):
            if line.startswith(" "):
                continue  # the licence header
            try:
                self._read_synset(pos, line)
            except (ValueError, IndexError):
                raise SystemExit(f"wordnet: {path}:{number}: not a WordNet 3.0 data line") from None

    def _read_synset(self, pos: str, line: str) -> None:
        """One data line: offset, lexicographer file, type, word count (hex), the words, the
        pointers (symbol, target offset, target part of speech, source/target), then " | " gloss."""
        head, _, gloss = line.partition(" | ")
        f = head.split()
        offset, lexfile, count = int(f[0]), int(f[1]), int(f[3], 16)
        lemmas = [re.sub(r"\(.*\)$", "", f[4 + 2 * i]).replace("_", " ") for i in range(count)]
        k = 4 + 2 * count
        pointers = []
        for i in range(int(f[k])):
            sym, target, tpos = f[k + 1 + 4 * i], int(f[k + 2 + 4 * i]), f[k + 3 + 4 * i]
            pointers.append((sym, "a" if tpos == "s" else tpos, target))
        self.synsets[(pos, offset)] = (lemmas, gloss.strip(), pointers, lexfile)

    def _read_index(self, pos: str, path: Path) -> None:
        for number, line in enumerate(path.read_text(encoding="latin-1").splitlines(), 1):
            if line.startswith(" "):
                continue
            try:
                f = line.split()
                senses = int(f[2])
                self.index[(pos, f[0].replace("_", " "))] = [int(x) for x in f[-senses:]]
            except (ValueError, IndexError):
                raise SystemExit(f"wordnet: {path}:{number}: not a WordNet 3.0 index line") from None

    def _clinical(self) -> set[int]:
        """Noun synsets under a clinical root (hypernym closure), by offset."""
        roots: set[int] = set()
        for lemma in CLINICAL_ROOTS:
            roots |= set(self.index.get(("n", lemma.replace("_", " ")), [])[:2])
        children: dict[int, list[int]] = {}
        for (pos, off), (_, _, ptrs, _) in self.synsets.items():
            if pos == "n":
                for sym, tpos, target in ptrs:
                    if sym in ("@", "@i") and tpos == "n":
                        children.setdefault(target, []).append(off)
        out, todo = set(), list(roots)
        while todo:
            off = todo.pop()
            if off not in out:
                out.add(off)
                todo += children.get(off, [])
        return out

    # --- lookups ---------------------------------------------------------------------------
    def senses(self, pos: str, lemma: str) -> list[tuple[list[str], str, list, int]]:
        return [self.synsets[(pos, off)] for off in self.index.get((pos, lemma.lower()), [])]

    def clinical_sense(self, term: str):
        """The first sense of `term` that is clinical, or None."""
        for off in self.index.get(("n", term.lower()), []):
            if off in self.clinical:
                return self.synsets[("n", off)]
        return None

    def definition(self, gloss: str) -> str:
        """The definition part of a gloss (before the first example or semicolon)."""
        return gloss.split(";")[0].split(' "')[0].strip().rstrip(".")

    # --- the generator's three uses -----------------------------------------------------------
    def rename(self, phrase: str, rng: random.Random) -> str:
        """`phrase` with its longest clinical WordNet term said another way (or unchanged)."""
        words = phrase.split()
        for n in range(min(4, len(words)), 0, -1):
            spans = [(i, i + n) for i in range(len(words) - n + 1)]
            rng.shuffle(spans)
            for i, j in spans:
                term = " ".join(words[i:j]).strip(",;()").lower()
                alt = self._alternative(term, whole=(j - i == len(words)), rng=rng)
                if alt:
                    return " ".join(words[:i] + [alt] + words[j:])
        return phrase

    def _alternative(self, term: str, whole: bool, rng: random.Random) -> str | None:
        sense = self.clinical_sense(term)
        if sense is not None:
            lemmas, gloss, ptrs, _ = sense
            options = [l for l in lemmas if l.lower() != term and l.isascii() and "(" not in l]
            if whole:
                options.append(self.definition(gloss))
            return rng.choice(options) if options else None
        if len(term.split()) == 1:  # an adjective said by the noun it pertains to: renal -> kidney
            for lemmas, _, ptrs, _ in self.senses("a", term)[:1]:
                nouns = [self.synsets[("n", t)][0][0] for s, p, t in ptrs if s == "\\" and p == "n"]
                if nouns and nouns[0].lower() != term:
                    return nouns[0]
        return None

    def respell(self, text: str, rng: random.Random, p: float = 0.15) -> str:
        """Each plain lower-case word of `text` (an adjective, an adverb, or a noun of
        `PLAIN_NOUN_FILES`, in its dictionary form; not in `KEEP`; not clinical) replaced with
        probability `p` by another single lemma of its most common sense."""
        def swap(m: re.Match) -> str:
            word = m.group(0)
            if word in KEEP or rng.random() >= p or self.clinical_sense(word):
                return word
            for pos in ("a", "r", "n"):
                senses = self.senses(pos, word)
                if not senses:
                    continue
                lemmas, _, _, lexfile = senses[0]
                if pos == "n" and lexfile not in PLAIN_NOUN_FILES:
                    return word
                others = [l for l in lemmas if l.lower() != word and l.isascii() and l.islower()]
                return rng.choice(others) if others else word
            return word
        return re.sub(r"\b[a-z]{3,}\b", swap, text)

    @lru_cache(maxsize=1)
    def _examples(self) -> tuple[str, ...]:
        """WordNet's example sentences with 5-20 words and no clinical or body term."""
        clinical_words = {w for (pos, off), (lemmas, _, _, lex) in self.synsets.items()
                          if pos == "n" and (off in self.clinical or lex == 8)
                          for l in lemmas for w in l.lower().split()}
        out = []
        for _, gloss, _, _ in self.synsets.values():
            for ex in re.findall(r'"([^"]+)"', gloss):
                words = re.findall(r"[a-z]+", ex.lower())
                if 5 <= len(words) <= 20 and not clinical_words.intersection(words):
                    out.append(ex.strip().rstrip(".") + ".")
        return tuple(sorted(set(out)))

    def english(self, rng: random.Random) -> str:
        """A general-English example sentence from WordNet (nothing clinical in it)."""
        s = rng.choice(self._examples())
        return s[:1].upper() + s[1:]


@lru_cache(maxsize=1)
def load() -> WordNet:
    return WordNet()
