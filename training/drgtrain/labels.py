"""Label spaces of the demo model, in the `drg_labels.json` format of the project's COMMON.md.

Single label: `{"scheme": "single", "version": "43", "labels": ["003", ...]}` - logit i is DRG
labels[i]. Two label: `{"scheme": "two", "version": "43", "bases": [...]}` - logits are the bases
followed by the 5 CC/MCC classes of DRG-LLaMA, in its order:
0 "without CC/MCC", 1 "with CC" (also "with CC/MCC"), 2 "with MCC", 3 "without MCC", 4 "not applicable".

The base of a DRG is its title with the CC/MCC clause removed; the class comes from that clause
(`cc_mcc_class("PLEURAL EFFUSION WITH MCC") == 2`). A two-label prediction is argmax base, then argmax
class among the classes that occur for that base (DRG-LLaMA's inference rule).
"""

import json
import re
from dataclasses import dataclass
from pathlib import Path

CLASSES = ("without CC/MCC", "with CC", "with MCC", "without MCC", "not applicable")

_CLAUSE = re.compile(r"\s+(WITH MCC|WITH CC/MCC|WITH CC|WITHOUT CC/MCC|WITHOUT MCC)\b")


def cc_mcc_class(title: str) -> int:
    """DRG-LLaMA class index of a DRG title (4 when the DRG is not split by CC/MCC)."""
    m = _CLAUSE.search(title.upper())
    if not m:
        return 4
    return {"WITHOUT CC/MCC": 0, "WITH CC": 1, "WITH CC/MCC": 1, "WITH MCC": 2, "WITHOUT MCC": 3}[m.group(1)]


def base_title(title: str) -> str:
    """The title without its CC/MCC clause: 'HEART FAILURE AND SHOCK WITH MCC' -> 'HEART FAILURE AND SHOCK'."""
    t = title.upper().strip().strip('"')
    m = _CLAUSE.search(t)
    return t[: m.start()].strip() if m else t


@dataclass
class LabelSpace:
    scheme: str                 # "single" or "two"
    drgs: list[str]             # the DRGs this space can express, sorted
    titles: dict[str, str]      # DRG -> v43 title

    @property
    def bases(self) -> list[str]:
        return sorted({base_title(self.titles[d]) for d in self.drgs})

    @property
    def num_logits(self) -> int:
        return len(self.drgs) if self.scheme == "single" else len(self.bases) + len(CLASSES)

    def targets(self, drg: str) -> tuple[int, int, int]:
        """(single index, base index, class index) of a DRG."""
        t = self.titles[drg]
        return self.drgs.index(drg), self.bases.index(base_title(t)), cc_mcc_class(t)

    def valid_classes(self) -> dict[int, set[int]]:
        out: dict[int, set[int]] = {}
        for d in self.drgs:
            _, b, c = self.targets(d)
            out.setdefault(b, set()).add(c)
        return out

    def to_json(self) -> dict:
        if self.scheme == "single":
            return {"scheme": "single", "version": "43", "labels": self.drgs}
        return {"scheme": "two", "version": "43", "bases": self.bases, "classes": list(CLASSES)}

    @staticmethod
    def load(path: Path, titles: dict[str, str]) -> "LabelSpace":
        """Reads a single-label `drg_labels.json` (the only scheme the demo model ships)."""
        data = json.loads(Path(path).read_text())
        if data.get("scheme") != "single" or "labels" not in data:
            raise ValueError(f"{path}: expected a single-label drg_labels.json")
        return LabelSpace("single", list(data["labels"]), titles)
