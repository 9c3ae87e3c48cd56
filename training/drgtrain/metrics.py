"""Evaluation of DRG predictions against final DRGs (Python's figures; drgcoder computes its own).

`evaluate(scores, cases, space)` takes per-case DRG scores (higher is better) over `space.drgs` and
returns acc@1/5/10, macro-F1 over the DRGs present, base-DRG accuracy and CC/MCC-class accuracy of
the top prediction (class in DRG-LLaMA's 5-class scheme), and a per-family table of failures split
into "wrong base" and "right base, wrong CC/MCC".
"""

import collections

import numpy as np

from .labels import base_title, cc_mcc_class


def evaluate(scores: np.ndarray, cases: list[dict], drgs: list[str], titles: dict[str, str]) -> dict:
    truth = [c["final_drg"] for c in cases]
    order = np.argsort(-scores, axis=1)
    top = [[drgs[j] for j in row[:10]] for row in order]
    n = len(cases)
    acc = {k: sum(t in p[:k] for t, p in zip(truth, top)) / n for k in (1, 5, 10)}
    pred = [p[0] for p in top]
    base_ok = [base_title(titles[p]) == base_title(titles[t]) for p, t in zip(pred, truth)]
    cls_ok = [cc_mcc_class(titles[p]) == cc_mcc_class(titles[t]) for p, t in zip(pred, truth)]
    f1s = []
    for d in sorted(set(truth)):
        tp = sum(p == d and t == d for p, t in zip(pred, truth))
        fp = sum(p == d and t != d for p, t in zip(pred, truth))
        fn = sum(p != d and t == d for p, t in zip(pred, truth))
        f1s.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    families = collections.defaultdict(lambda: collections.Counter())
    for c, p, b, k in zip(cases, pred, base_ok, cls_ok):
        f = families[c.get("family", "?")]
        f["cases"] += 1
        if p == c["final_drg"]:
            f["correct"] += 1
        elif not b:
            f["wrong_base"] += 1
        else:
            f["wrong_cc_mcc"] += 1
    return {
        "cases": n, "acc@1": acc[1], "acc@5": acc[5], "acc@10": acc[10],
        "macro_f1": float(np.mean(f1s)), "base_acc": sum(base_ok) / n, "cc_mcc_acc": sum(cls_ok) / n,
        "families": {k: dict(v) for k, v in sorted(families.items())},
    }
