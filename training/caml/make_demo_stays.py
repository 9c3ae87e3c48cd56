"""Write the demo stays with chart times for early prediction (issue 19).

The synthetic demo cases (models/demo/demo_cases.jsonl) are discharge summaries without times. This
script cuts the first 40 of them into the notes of a stay, in the `--chart-notes --format jsonl`
layout of `drgcoder import` (one JSON object a line: case, note_id, note_type, charttime, text,
admittime, dischtime?, final_drg):

- an ED note 1 h after admission (the first third of the hospital course's sentences),
- a radiology report at 18 h (the second third),
- a progress note at 36 h (the last third),
- and, for the first 30 stays, the discharge summary itself at 100 h, with `dischtime`; the last 10
  stays are still in hospital.

So a 24 h cut-off reads two notes, 48 h three, `now` all. `demo_stays_late.jsonl` holds one more note
for stay 30 (in hospital) charted at 20 h: importing it makes that stay's 24 h prediction stale.

Synthetic text only (no patient's). Standard library only; deterministic.
Usage: python3 training/caml/make_demo_stays.py [--cases models/demo/demo_cases.jsonl] [--out models/demo-caml]
"""
import argparse
import datetime as dt
import json
import os
import re

STAYS = 40
DISCHARGED = 30


def sentences(text):
    body = text.split("\n", 1)[1] if text.startswith("Brief Hospital Course:") else text
    body = body.split("TRANSITIONAL ISSUES:")[0]
    return [s.strip() for s in re.split(r"(?<=[.;])\s+", body) if s.strip()]


def stamp(t):
    return t.strftime("%Y-%m-%d %H:%M:%S")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", default="models/demo/demo_cases.jsonl")
    parser.add_argument("--out", default="models/demo-caml")
    args = parser.parse_args()
    with open(args.cases) as f:
        cases = [json.loads(line) for line in f][:STAYS]
    rows, late = [], []
    for i, case in enumerate(cases):
        admit = dt.datetime(2180, 1, 1, 8, 0) + dt.timedelta(days=3 * i, hours=i % 7)
        parts = sentences(case["text"])
        third = max(1, len(parts) // 3)
        chunks = [parts[:third], parts[third:2 * third], parts[2 * third:]]
        base = {"case": "stay-%02d" % i, "admittime": stamp(admit), "final_drg": case["final_drg"]}
        for n, (kind, hours, chunk) in enumerate(zip(["ED", "RR", "progress"], [1, 18, 36], chunks)):
            rows.append(dict(base, note_id="stay-%02d-%d" % (i, n + 1), note_type=kind,
                             charttime=stamp(admit + dt.timedelta(hours=hours)), text=" ".join(chunk) or "No new findings."))
        if i < DISCHARGED:
            rows.append(dict(base, note_id="stay-%02d-ds" % i, note_type="DS", charttime=stamp(admit + dt.timedelta(hours=100)),
                             dischtime=stamp(admit + dt.timedelta(hours=100)), text=case["text"]))
        if i == DISCHARGED:
            late.append(dict(base, note_id="stay-%02d-late" % i, note_type="RR", charttime=stamp(admit + dt.timedelta(hours=20)),
                             text="CHEST X-RAY: new right lower lobe consolidation concerning for pneumonia; small effusion."))
    for name, items in [("demo_stays.jsonl", rows), ("demo_stays_late.jsonl", late)]:
        with open(os.path.join(args.out, name), "w") as f:
            for row in items:
                f.write(json.dumps(row, sort_keys=True) + "\n")
        print("wrote", len(items), "notes to", os.path.join(args.out, name))


if __name__ == "__main__":
    main()
