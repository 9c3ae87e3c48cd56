"""Seeded generator of the synthetic DRG corpus (train / validation / test JSONL).

Usage:
    python -m training.synth.generate --seed 43 --cases 12000 --out training/out/corpus \
        [--demo-out models/demo/demo_cases.jsonl --demo-count 200]

Each case: a family is drawn, then a principal diagnosis (or diagnosis + procedure pair), a target
severity (none / CC / MCC, uniform), secondaries that really count at that level for that principal
(CMS CC exclusions applied), non-CC chronic distractors, and uncoded negated / past-history mentions
of CC/MCC conditions. `drgpy` groups the claim into an MS-DRG v43; `msdrg` (if installed) groups it
again and a case on which the two disagree is dropped and counted. The note is written by
`writer.NoteWriter` and kept to 150-400 words and at most 511 LLaMA-2 tokens after BOS, so no
ground-truth fact is lost to DRG-LLaMA's 512-token truncation.

Outside words (the default since issue 18's third pass; `--no-outside-words` turns them off): the
principal and secondaries are also said in HPO's and WordNet's words, the ordinary words around them
are respelled from WordNet, and training notes (not validation or test) carry general-English
sentences and decoys (`--decoy`: a share of presentations, treatments and detail clauses from another
family or secondary); half of all notes negate or put in the past another family's principal.

The clinician's lexicon (the default since issue 18's fourth pass; `--no-clinician` turns it off and
gives the third pass's corpus byte for byte): half the principals, procedures and secondaries are said
in the words of `training/synth/clinician/` (written by hand from clinical knowledge, `clinician.py`),
whose presentations, treatments and details join the catalog's, and about half the sentences use its
frames; its condition-specific course sentences join the principal's sentence (inside its span).

Twin notes (`--twins P`, issue 18's tenth pass; off by default): after a share P of the training
cases, the same stay again with one mention's role flipped (`CaseFactory.twin`), id suffixed "t".

Split: case i goes to test when i % 10 == 0, validation when i % 10 == 1, train otherwise.
Every case is generated from `random.Random(f"{seed}-{i}")`, so a case does not depend on others.
DRGs with fewer than `--min-per-drg` cases in the whole corpus are dropped (reported in stats).

Output per case: id, split, text, final_drg (v43), drg_v34 (same-meaning v34 code or null), family,
title, sex, age, pdx, secondaries [{code, level}], procedures, spans (see writer.py). Plus stats.json.
"""

import argparse
import collections
import dataclasses
import json
import random
import re
import sys
from pathlib import Path

import simple_icd_10_cm as icd
from tokenizers import Tokenizer

from training.drgtrain.labels import base_title

from . import catalog, clinician, hpo, lexicon, wordnet
from .grouping import CrossCheck, Grouper
from .writer import CodedCase, NoteWriter

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent.parent / "shared" / "reference"


def find_shared() -> Path:
    for base in [ROOT, *ROOT.parents]:
        candidate = base / "shared" / "reference"
        if candidate.is_dir():
            return candidate
    sys.exit("generate: cannot find shared/reference beside the checkout")


def category(code: str) -> str:
    return code.replace(".", "")[:3]


def icd_names(code: str) -> list[str]:
    """Clinician-readable names for an ICD-10-CM code: its title and inclusion terms."""
    names = []
    try:
        names.append(icd.get_description(code))
        names += icd.get_inclusion_term(code)
        if not icd.get_inclusion_term(code) and icd.get_parent(code):
            names += icd.get_inclusion_term(icd.get_parent(code))
    except ValueError:
        pass
    cleaned = []
    for n in names:
        n = re.sub(r",? initial encounter.*$", "", n)
        n = re.sub(r"\[([^\]]+)\]", r"(\1)", n).replace(" NOS", "").strip()
        if n and not n.lower().startswith(("other ", "unspecified")):
            cleaned.append(n if n[:2].isupper() else n[:1].lower() + n[1:])
    return cleaned


def widened(s: catalog.Secondary, synonyms=None) -> catalog.Secondary:
    """The secondary with its ICD-10-CM title and inclusion-term wordings added to its phrases, and
    the HPO synonyms of all of them when `synonyms` (an `hpo.Synonyms`) is given."""
    extra = [v for v in lexicon.icd_variants(s.code) if v.lower() not in {p.lower() for p in s.phrases}]
    if synonyms is not None:
        extra += synonyms.extend(s.phrases + tuple(extra))  # extend() leaves out the names it is given
    return catalog.Secondary(s.code, s.phrases + tuple(extra), s.details, s.acute, s.chronic)


def with_lexicon(s: catalog.Secondary, lex) -> catalog.Secondary:
    """The secondary with the clinician's lexicon's names and details added (`clinician.py`)."""
    names, details = lex.secondary(s.code)
    seen = {p.lower() for p in s.phrases}
    names = tuple(n for n in names if n.lower() not in seen)
    return catalog.Secondary(s.code, s.phrases + names, s.details + details, s.acute, s.chronic)


class CaseFactory:
    def __init__(self, grouper: Grouper, tokenizer: Tokenizer, wide: bool = True, outside: bool = True,
                 decoy: float = 0.3, lexicon_words: bool = True):
        """`wide` (the default since issue 18): principals widened to sibling codes of the same base
        DRG, every code also said in its ICD-10-CM wordings, short notes allowed, typos and casing.
        `outside` (with `wide`; issue 18, third pass): words from sources outside the catalog — HPO's
        synonyms of every diagnosis name (`hpo.py`), WordNet's synonyms and definitions of clinical
        terms and its synonyms for the ordinary words around them (`wordnet.py`), WordNet's
        general-English example sentences in training notes — with fewer notes carrying the
        family's presentation or treatment (45% each, not 60%), `decoy` (training notes only; see
        `NoteWriter.decoy`), and in half the notes another family's principal negated or past.
        `lexicon_words` (with `outside`; issue 18, fourth pass): the clinician's lexicon
        (`clinician.py`) — its names for principals, procedures and secondaries half the time, its
        presentations, treatments and details beside the catalog's, and its sentence frames."""
        self.grouper, self.tokenizer, self.wide, self.decoy = grouper, tokenizer, wide, decoy
        self.wordnet = wordnet.load() if wide and outside else None
        self.hpo = hpo.load() if wide and outside else None
        self.lex = clinician.load() if wide and outside and lexicon_words else None
        self.families = [self.lex.extend(f) for f in catalog.FAMILIES] if self.lex else list(catalog.FAMILIES)
        self.severe = [widened(s, self.hpo) if wide else s for s in catalog.SEVERE_SECONDARIES if grouper.level(s.code)]
        self.chronic = [widened(s, self.hpo) if wide else s for s in catalog.DISTRACTORS if not grouper.level(s.code)]
        if self.lex:
            self.severe = [with_lexicon(s, self.lex) for s in self.severe]
            self.chronic = [with_lexicon(s, self.lex) for s in self.chronic]
        self.principals = {f.name: self._principals(f) for f in catalog.FAMILIES if not f.pairs}
        # wide: also any code the grouper sends to one of the family's base DRGs (issue 18, 2nd pass)
        index = lexicon.base_drg_index(self._base) if wide else {}
        self.base_codes = {f.name: self._base_codes(f, index) for f in catalog.FAMILIES if not f.pairs}
        missing = {s.code for s in catalog.SEVERE_SECONDARIES} - {s.code for s in self.severe}
        if missing:
            print(f"generate: not CC/MCC in v43, skipped: {sorted(missing)}", file=sys.stderr)

    def _principals(self, fam: catalog.Family) -> list[str]:
        """The family's principals, then (when wide) their sibling codes with the same base DRG."""
        if not self.wide:
            return list(fam.principals)
        out = list(fam.principals)
        for p in fam.principals:
            out += [c for c in lexicon.sibling_codes(p, self._base, limit=6) if c not in out]
        return out

    def _base_codes(self, fam: catalog.Family, index: dict[str, list[str]], limit: int = 40) -> list[str]:
        """Up to `limit` codes (a fixed sample) from the base DRGs of the family's principals, each
        with ICD-10-CM wording: the family said in the words of every condition in its DRGs."""
        pool = sorted({c for p in fam.principals for c in index.get(self._base(p), [])
                       if c not in self.principals[fam.name] and lexicon.icd_variants(c)})
        return random.Random(fam.name).sample(pool, min(limit, len(pool)))

    def _base(self, pdx: str) -> str:
        return base_title(self.grouper.title(self.grouper.group(pdx, [], [], "F")))

    def draw(self, rng: random.Random):
        fam = rng.choice(self.families)
        if fam.pairs:
            pdx, procs, phrase = rng.choice(fam.pairs)
            said = self.lex.procedure(fam.name, procs) if self.lex else ()
            if said and rng.random() < 0.5:
                phrase = rng.choice(said)
        else:
            pool, wider = self.principals[fam.name], self.base_codes[fam.name]
            # 40%: one of the catalog's principals; 30%: a sibling code; 30%: any code of its base DRGs
            roll = rng.random()
            pool = list(fam.principals) if roll < 0.4 else wider if roll < 0.7 and wider else pool
            pdx, procs, phrase = rng.choice(pool), (), ""
        own = pdx in fam.principals or fam.pairs
        names = icd_names(pdx) + (list(lexicon.icd_variants(pdx)) if self.wide else [])
        synonyms = catalog.CODE_SYNONYMS.get(pdx, fam.synonyms if own else ())
        if self.hpo:
            names += self.hpo.extend(names + list(synonyms))
        pdx_name = rng.choice(names) if names and (rng.random() < 0.5 or not synonyms) else rng.choice(synonyms)
        if self.lex:  # half the time in a clinician's words, when the lexicon has some for this code
            said = self.lex.names(fam.name, pdx, listed=bool(fam.pairs) or pdx in self.principals[fam.name])
            if said and rng.random() < 0.5:
                pdx_name = rng.choice(said)
        if self.wide:
            pdx_name = lexicon.reword(pdx_name, rng, principal=True)
        if self.wordnet and rng.random() < 0.3:
            pdx_name = self.wordnet.rename(pdx_name, rng)
        sex = fam.sex or rng.choice("MF")
        target = rng.choice(["none", "CC", "MCC"])
        used = {category(pdx)}

        def pick(pool, n, level=None):
            chosen = []
            for s in rng.sample(pool, len(pool)):
                if len(chosen) == n:
                    break
                if category(s.code) in used:
                    continue
                if level is not None and self.grouper.severity(pdx, s.code) != level:
                    continue
                chosen.append(s)
                used.add(category(s.code))
            return chosen

        severe = []
        if target == "CC":
            severe = [(s, "CC") for s in pick(self.severe, rng.choice([1, 1, 2]), "CC")]
        elif target == "MCC":
            severe = [(s, "MCC") for s in pick(self.severe, 1, "MCC")]
            if rng.random() < 0.4:
                severe += [(s, "CC") for s in pick(self.severe, 1, "CC")]
        chronic = pick(self.chronic, rng.randint(1, 4))
        acute = [s for s in self.severe if s.acute]
        negated = pick(acute, rng.choice([0, 0, 1, 1, 2]))
        history = pick(acute, rng.choice([0, 1, 1, 2]))
        if self.wordnet and rng.random() < 0.5:  # outside-words mode
            # a decoy: another family's principal, negated or in the past ("No evidence of
            # pneumonia", "remote hip fracture"); uncoded, so the DRG is unchanged and only the
            # role of a mention, not its presence, tells the principal (issue 18, third pass)
            other = rng.choice([f for f in self.families if f is not fam and not f.pairs])
            code = rng.choice(other.principals)
            words = tuple(icd_names(code)) + tuple(other.synonyms)
            if self.lex:
                words += self.lex.names(other.name, code, listed=True)
            if category(code) not in used and words:
                mention = catalog.Secondary(code, words, (), acute=True)
                (negated if rng.random() < 0.5 else history).append(mention)
                used.add(category(code))
        listed_only = {s.code for s, _ in severe if s.chronic and rng.random() < 0.35}
        return CodedCase(fam, pdx, pdx_name, tuple(procs), phrase, sex, rng.randint(24, 92),
                         severe, chronic, negated, history, listed_only)

    def twin(self, rng: random.Random, case: CodedCase) -> CodedCase | None:
        """The same stay with one mention's role flipped (issue 18, tenth pass), or None when no
        mention can flip: a CC/MCC secondary that counts is said instead as ruled out (an acute one,
        half the time) or past, or a ruled-out or past catalog secondary that would be a CC or MCC
        for this principal is said instead as present. The twin is grouped like any case, so its
        DRG differs from the original's exactly when the flipped mention decided the level: a pair
        of notes with the same names whose labels differ only by what the words around one name say."""
        known = {s.code: s for s in self.severe}
        back = [(s, lvl) for s in case.negated + case.history if s.code in known
                for lvl in [self.grouper.severity(case.pdx, s.code)] if lvl in ("CC", "MCC")]
        if not case.severe and not back:
            return None
        severe, negated, history = list(case.severe), list(case.negated), list(case.history)
        listed = set(case.listed_only)
        if case.severe and (not back or rng.random() < 0.5):
            s, _ = severe.pop(rng.randrange(len(severe)))
            listed.discard(s.code)
            if s.acute and rng.random() < 0.5:
                negated.append(s)
            else:
                history.append(s)
        else:
            s, lvl = rng.choice(back)
            negated = [m for m in negated if m is not s]
            history = [m for m in history if m is not s]
            severe.append((known[s.code], lvl))  # a decoy principal may share a secondary's code
        return dataclasses.replace(case, severe=severe, negated=negated, history=history, listed_only=listed)

    def note(self, rng: random.Random, case: CodedCase, compact: bool = False, english: bool = False):
        """The note with 150-400 words and <= 511 tokens, or None if no filler count fits.

        `english` (training notes, with outside words): up to three general-English sentences among
        the filler, words the catalog never uses that say nothing about the case, so that an unknown
        word is not taken for a diagnosis; and the decoys. Validation and test notes have neither.
        `compact` renders the same facts without filler or transitional issues and without the
        length bounds: the curriculum warm-up data of train.py, not part of the corpus proper."""
        if compact:
            return NoteWriter(random.Random(rng.random()), case).render(0, 0)
        # wide: short notes too (a person's note is often a few lines), and typos in some notes
        low, fillers = (25, rng.choice([0, 1, 2, 3, 5, 8, 12])) if self.wide else (150, rng.randint(9, 14))
        noise = rng.choice([0.0, 0.0, 0.01, 0.03]) if self.wide else 0.0
        extra = ([self.wordnet.english(rng) for _ in range(rng.choice([0, 1, 1, 2, 3]))]
                 if english and self.wordnet else [])
        for n_filler in range(fillers, -1, -1):
            writer = NoteWriter(random.Random(rng.random()), case)
            if self.wordnet:
                writer.rename, writer.respell, writer.english = self.wordnet.rename, self.wordnet.respell, extra
                writer.cue, writer.decoy = 0.45, self.decoy if english else 0.0
                writer.clinician, writer.families = self.lex, self.families
            note = writer.render(n_filler, rng.choice([0, 2, 3]) if n_filler > 2 or not self.wide else 0, noise)
            words = len(note.text.split())
            tokens = len(self.tokenizer.encode(note.text, add_special_tokens=False).ids)
            if tokens <= 511 and low <= words <= 400:
                return note
            if words < low:
                return None
        return None


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=43)
    ap.add_argument("--cases", type=int, default=12000)
    ap.add_argument("--min-per-drg", type=int, default=20)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--compact", action="store_true",
                    help="write filler-free renderings (curriculum warm-up data), no length bounds")
    ap.add_argument("--narrow", action="store_true",
                    help="catalog wording only (no ICD-10-CM or sibling-code wording), 150-400 words, no typos")
    ap.add_argument("--no-outside-words", action="store_true",
                    help="without HPO's and WordNet's words and without decoys: the corpus of the demo "
                         "before issue 18's third pass, byte for byte")
    ap.add_argument("--no-clinician", action="store_true",
                    help="without the clinician's lexicon (training/synth/clinician/): the corpus of issue "
                         "18's third pass, byte for byte")
    ap.add_argument("--decoy", type=float, default=0.3,
                    help="with outside words, training notes only: share of presentations, treatments "
                         "and detail clauses taken from another family or secondary")
    ap.add_argument("--twins", type=float, default=0.0,
                    help="training notes only: share of cases followed by a twin, the same stay with one "
                         "mention's role flipped (present <-> ruled out or past), grouped anew")
    ap.add_argument("--demo-out", type=Path)
    ap.add_argument("--demo-count", type=int, default=200)
    args = ap.parse_args(argv)

    shared = find_shared()
    grouper = Grouper(shared)
    tokenizer = Tokenizer.from_file(str(shared / "llama-tokenizers" / "llama2-spm.tokenizer.json"))
    try:
        factory = CaseFactory(grouper, tokenizer, wide=not args.narrow, outside=not args.no_outside_words,
                              decoy=args.decoy, lexicon_words=not args.no_clinician)
    except clinician.LexiconError as e:
        sys.exit(f"generate: training/synth/clinician/{e}")
    cross = CrossCheck()
    stats = collections.Counter()
    cases = []
    for i in range(args.cases):
        rng = random.Random(f"{args.seed}-{i}")
        split = "test" if i % 10 == 0 else "validation" if i % 10 == 1 else "train"
        for attempt in range(5):
            coded = factory.draw(rng)
            state = rng.getstate()  # the twin's note is written from the same draws as far as they go
            note = factory.note(rng, coded, args.compact, english=split == "train")
            if note is not None:
                break
            stats["retry_length"] += 1
        if note is None:
            stats["dropped_length"] += 1
            continue
        case = record(f"synth-{args.seed}-{i:06d}", split, coded, note, grouper, cross, stats)
        if case is None:
            continue
        cases.append(case)
        if split == "train" and args.twins and rng.random() < args.twins:
            twin = factory.twin(rng, coded)
            same = random.Random()
            same.setstate(state)
            note = factory.note(same, twin, args.compact, english=True) if twin else None
            case = record(f"synth-{args.seed}-{i:06d}t", split, twin, note, grouper, cross, stats) if note else None
            if case is not None:
                cases.append(case)
                stats["twins"] += 1
                stats["twins_other_drg"] += cases[-1]["final_drg"] != cases[-2]["final_drg"]
    per_drg = collections.Counter(c["final_drg"] for c in cases)
    rare = sorted(d for d, n in per_drg.items() if n < args.min_per_drg)
    cases = [c for c in cases if c["final_drg"] not in set(rare)]
    if not cases:
        sys.exit(f"generate: no case left: every DRG had fewer than --min-per-drg {args.min_per_drg} "
                 f"cases; ask for more --cases or a lower --min-per-drg")
    write(args, cases, stats, rare, grouper)


def record(case_id: str, split: str, coded: CodedCase, note, grouper: Grouper, cross: CrossCheck,
           stats: collections.Counter) -> dict | None:
    """The corpus row of a written case, grouped; None (counted in `stats`) when `msdrg` groups it
    otherwise or it is ungroupable."""
    dx = coded.dx
    drg = grouper.group(coded.pdx, dx, list(coded.procedures), coded.sex)
    if cross.available:
        other = cross.group(coded.pdx, dx, list(coded.procedures), coded.sex, coded.age)
        stats["crosscheck_total"] += 1
        if other != drg:
            stats["crosscheck_disagree"] += 1
            stats[f"disagree {drg}->{other}"] += 1
            return None
    if drg == "000":
        stats["ungroupable"] += 1
        return None
    return {
        "id": case_id, "split": split, "text": note.text,
        "final_drg": drg, "drg_v34": grouper.v34_code(drg), "family": coded.family.name,
        "title": grouper.title(drg), "sex": coded.sex, "age": coded.age, "pdx": coded.pdx,
        "secondaries": [{"code": s.code, "level": lvl} for s, lvl in coded.severe]
                       + [{"code": s.code, "level": ""} for s in coded.chronic],
        "procedures": list(coded.procedures), "spans": note.spans,
    }


def write(args, cases, stats, rare, grouper):
    args.out.mkdir(parents=True, exist_ok=True)
    for split in ("train", "validation", "test"):
        with open(args.out / f"{split}.jsonl", "w") as f:
            for c in cases:
                if c["split"] == split:
                    f.write(json.dumps(c, separators=(",", ":")) + "\n")
    drgs = sorted({c["final_drg"] for c in cases})
    bases = collections.defaultdict(set)
    for c in cases:
        bases[re.sub(r" (WITH|WITHOUT) .*$", "", c["title"])].add(c["final_drg"])
    words = sorted(len(c["text"].split()) for c in cases)
    summary = {
        "seed": args.seed, "requested": args.cases, "kept": len(cases),
        "splits": collections.Counter(c["split"] for c in cases),
        "drgs": len(drgs), "base_drgs": len(bases),
        "split_bases": sum(1 for v in bases.values() if len(v) > 1),
        "with_v34": sum(1 for c in cases if c["drg_v34"]),
        "words_min_median_max": [words[0], words[len(words) // 2], words[-1]],
        "dropped_rare_drgs": rare, "counters": dict(stats),
        "cc_mcc_cases": collections.Counter(
            "MCC" if any(s["level"] == "MCC" for s in c["secondaries"]) else
            "CC" if any(s["level"] == "CC" for s in c["secondaries"]) else "none" for c in cases),
    }
    (args.out / "stats.json").write_text(json.dumps(summary, indent=1))
    (args.out / "labels.json").write_text(json.dumps(drgs))
    print(json.dumps(summary, indent=1))
    if args.demo_out:
        test = [c for c in cases if c["split"] == "test"][: args.demo_count]
        args.demo_out.parent.mkdir(parents=True, exist_ok=True)
        with open(args.demo_out, "w") as f:
            for c in test:
                keep = {k: c[k] for k in ("id", "text", "final_drg", "drg_v34", "spans")}
                f.write(json.dumps(keep, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
