#!/usr/bin/env python3
"""The second held-out set: notes typed whole by an author who never saw the training generator.

    python -m training.heldout.second_author [--written training/heldout/written.jsonl] \
        [--labels models/demo/drg_labels.json] [--out training/heldout/second_author.jsonl]

`training/heldout/written.jsonl` holds 200 "Brief Hospital Course" notes written, with their codes, by
a helper session that was given only the list of ICD-10-CM codes the demo covers (official titles)
and the ICD-10-PCS codes of its operations, and was told not to open the repository: it saw neither
the training generator, nor its clinician's lexicon, nor the template held-out set. The author coded
each note (principal, secondaries, procedures, sex, age). Both this author and the lexicon's
authors are language-model sessions; see docs/DEMO_MODEL.md ("Fourth pass") for what that does and
does not show.

The same labelling serves the notes written whole for *training* (`training/written/`, by other
authors under the same blindness): `--id-prefix` and `--source` name them.

This script only labels: each note's codes are grouped by `drgpy` (MS-DRG v43) and by `msdrg`; a
note on which they disagree, that does not group, or whose DRG is not one the demo model can
predict (`--labels`) is dropped and counted by reason. A malformed line is an error naming it.
Output: the `drgcoder import --format jsonl` rows (id, text, final_drg, drg_v34, pdx, secondaries,
procedures, source = "second-author"). The set is never trained on nor used to choose a model.
"""

import argparse
import collections
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from training.drgtrain.labels import LabelSpace  # noqa: E402
from training.heldout.make_heldout import _shared  # noqa: E402
from training.synth.grouping import CrossCheck, Grouper  # noqa: E402

HERE = Path(__file__).resolve().parent
FIELDS = {"pdx": str, "secondaries": list, "procedures": list, "sex": str, "age": int, "text": str}


def read(path: Path) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                sys.exit(f"second_author: {path}:{n}: not JSON ({e.msg})")
            for key, kind in FIELDS.items():
                if not isinstance(row.get(key), kind):
                    sys.exit(f"second_author: {path}:{n}: field {key!r} missing or not {kind.__name__}")
            if row["sex"] not in ("F", "M"):
                sys.exit(f"second_author: {path}:{n}: sex must be F or M")
            rows.append(row)
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--written", type=Path, default=HERE / "written.jsonl")
    ap.add_argument("--labels", type=Path, default=HERE.parents[1] / "models" / "demo" / "drg_labels.json")
    ap.add_argument("--out", type=Path, default=HERE / "second_author.jsonl")
    ap.add_argument("--id-prefix", default="heldout-written",
                    help="row ids are PREFIX-NNN (training/written/ uses written-A, written-B, ...)")
    ap.add_argument("--source", default="second-author")
    args = ap.parse_args(argv)
    known = set(LabelSpace.load(args.labels, {}).drgs)
    grouper, cross = Grouper(_shared()), CrossCheck()
    kept, dropped = [], collections.Counter()
    for k, r in enumerate(read(args.written)):
        drg = grouper.group(r["pdx"], r["secondaries"], r["procedures"], r["sex"])
        if drg == "000":
            dropped["ungroupable"] += 1
            continue
        if not cross.agrees(drg, r["pdx"], r["secondaries"], r["procedures"], r["sex"], r["age"]):
            dropped["grouper_disagreement"] += 1
            continue
        if drg not in known:
            dropped[f"drg {drg} not in the model's labels"] += 1
            continue
        kept.append({"id": f"{args.id_prefix}-{k:03d}", "text": r["text"].rstrip("\n") + "\n", "final_drg": drg,
                     "drg_v34": grouper.v34_code(drg), "pdx": r["pdx"], "secondaries": r["secondaries"],
                     "procedures": r["procedures"], "source": args.source})
    with open(args.out, "w") as f:
        for row in kept:
            f.write(json.dumps(row, separators=(",", ":")) + "\n")
    print(json.dumps({"written": len(kept), "dropped": dict(dropped),
                      "drgs": len({r["final_drg"] for r in kept}),
                      "principals": len({r["pdx"] for r in kept})}))


if __name__ == "__main__":
    main()
