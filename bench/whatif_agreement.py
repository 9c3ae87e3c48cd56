#!/usr/bin/env python3
"""`drgcoder drg whatif` against a real MS-DRG v43.1 grouper (PyPI msdrg 1.2.0, MIT; a port of the CMS
Java grouper that its authors validated claim by claim).

Generates N medical cases (seeded): a principal diagnosis whose case alone groups to a medical DRG, and
0-4 secondaries mixing MCCs, CCs, CC/MCCs that the principal's PDX collection excludes, codes that count
only if discharged alive, and non-CCs; about a third of the patients expired. Each case is grouped by
msdrg twice: the principal alone (the family anchor: what the model or the coder would have said) and the
whole case (the truth). `drgcoder drg whatif --batch -` then gets the anchor DRG and the codes and must
return msdrg's DRG. All diagnoses are present on admission (POA Y), age 65, no procedures.

Usage:
  .venv-codes/bin/python bench/whatif_agreement.py [--cases 2000] [--seed 15] [--drgcoder .build/release/drgcoder]
        [--fixture Tests/DRGKitTests/Fixtures/whatif_msdrg.jsonl --fixture-cases 300]
Prints the agreement and every difference with msdrg's own marking of the secondaries.
(pins: training/resources/requirements-codes.txt)
"""
import argparse
import collections
import gzip
import json
import pathlib
import random
import subprocess
import sys

import msdrg

ROOT = pathlib.Path(__file__).resolve().parents[1]
RES = ROOT / "Sources" / "DRGKit" / "Resources"


def rows(path):
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        return [line.rstrip("\n").split("\t") for line in f if not line.startswith("#")]


def load_tables():
    billable = [r[0] for r in rows(RES / "icd10" / "icd10cm.tsv.gz") if r[1] == "B"]
    severity = {r[0]: (r[1], r[2], r[3] == "Y") for r in rows(RES / "v43" / "cc_mcc.tsv")}
    pdx_codes = [line[0] for line in rows(RES / "v43" / "cc_exclusion_pdx_codes.txt")]
    members = collections.defaultdict(set)  # principal -> collections holding it
    for collection, runs in rows(RES / "v43" / "cc_exclusion_collections.tsv"):
        for run in runs.split(","):
            low, _, high = run.partition("-")
            for i in range(int(low), int(high or low) + 1):
                members[pdx_codes[i]].add(collection)
    drgs = {r[0]: r for r in rows(RES / "v43" / "drg_weights.tsv")}
    return billable, severity, members, drgs


def claim(pdx, sdx, expired, sex):
    return {"version": 431, "age": 65, "sex": sex, "discharge_status": 20 if expired else 1,
            "pdx": {"code": pdx, "poa": "Y"}, "sdx": [{"code": c, "poa": "Y"} for c in sdx], "procedures": []}


def generate(n, seed, grouper):
    billable, severity, members, drgs = load_tables()
    rng = random.Random(seed)
    mccs = sorted(c for c, s in severity.items() if s[0] == "MCC")
    ccs = sorted(c for c, s in severity.items() if s[0] == "CC")
    alive_only = sorted(c for c, s in severity.items() if s[2])
    non_cc = [c for c in billable if c not in severity]
    by_collection = collections.defaultdict(list)
    for code, (_, collection, _) in severity.items():
        if collection:
            by_collection[collection].append(code)
    cases, tries = [], 0
    while len(cases) < n:
        tries += 1
        pdx = rng.choice(billable)
        expired = rng.random() < 0.33
        sex = rng.choice([0, 1])
        alone = grouper.group(claim(pdx, [], expired, sex))
        anchor = f"{alone['final_drg']:03d}" if alone.get("final_drg") else None
        if alone["return_code"] != "OK" or anchor not in drgs or drgs[anchor][2] != "MED":
            continue
        excluded = sorted({c for col in members.get(pdx, ()) for c in by_collection[col]})
        sdx = []
        for _ in range(rng.randint(0, 4)):
            kind = rng.choice(["mcc", "cc", "excluded", "alive", "none", "none"])
            pool = {"mcc": mccs, "cc": ccs, "excluded": excluded or non_cc, "alive": alive_only, "none": non_cc}[kind]
            code = rng.choice(pool)
            if code != pdx and code not in sdx:
                sdx.append(code)
        truth = grouper.group(claim(pdx, sdx, expired, sex))
        if truth["return_code"] != "OK":
            continue
        cases.append({"pdx": pdx, "sdx": sdx, "expired": expired, "sex": sex, "drg": anchor,
                      "msdrg": f"{truth['final_drg']:03d}",
                      "msdrg_sdx": [f"{o['code']}:{o['severity']}:{o['drg_impact']}:{'/'.join(o['flags'])}"
                                    for o in truth["sdx_output"]]})
    return cases, tries


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--drgcoder", default=str(ROOT / ".build" / "debug" / "drgcoder"))
    parser.add_argument("--fixture")
    parser.add_argument("--fixture-cases", type=int, default=300)
    args = parser.parse_args()
    with msdrg.MsdrgGrouper() as grouper:
        cases, tries = generate(args.cases, args.seed, grouper)
    batch = "".join(json.dumps({k: c[k] for k in ("pdx", "sdx", "expired", "drg")}) + "\n" for c in cases)
    run = subprocess.run([args.drgcoder, "drg", "whatif", "--batch", "-"], input=batch, capture_output=True,
                         text=True, check=True)
    answers = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(answers) == len(cases), (len(answers), len(cases))
    equal, differences = 0, []
    for case, answer in zip(cases, answers):
        case["whatif"] = answer.get("drg", "error: " + answer.get("error", "?"))
        if case["whatif"] == case["msdrg"]:
            equal += 1
        else:
            differences.append((case, answer))
    secondaries = collections.Counter(len(c["sdx"]) for c in cases)
    print(f"{len(cases)} medical cases (from {tries} principals tried), seed {args.seed}; "
          f"expired {sum(c['expired'] for c in cases)}; secondaries per case {dict(sorted(secondaries.items()))}")
    print(f"equal DRGs: {equal}/{len(cases)} = {100 * equal / len(cases):.2f}%")
    for case, answer in differences:
        print(f"DIFF pdx {case['pdx']} sdx {case['sdx']} expired {case['expired']} anchor {case['drg']}: "
              f"msdrg {case['msdrg']} whatif {case['whatif']} depends_on {answer.get('depends_on')}")
        print(f"     msdrg marks {case['msdrg_sdx']}")
        print(f"     whatif says {[(s['code'], s['level'], s['counts'], s.get('reason')) for s in answer.get('secondary', [])]}")
    if args.fixture:
        with open(args.fixture, "w", encoding="utf-8", newline="\n") as f:
            for case in cases[:args.fixture_cases]:
                f.write(json.dumps({k: case[k] for k in ("pdx", "sdx", "expired", "drg", "msdrg")}) + "\n")
        print(f"wrote {args.fixture_cases} cases to {args.fixture}")


if __name__ == "__main__":
    sys.exit(main())
