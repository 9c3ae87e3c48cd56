"""A clinician's lexicon: wordings written from clinical knowledge, not derived from the catalog.

The catalog says each family in a handful of words, and the outside sources (ICD-10-CM, HPO,
WordNet) say conditions the way reference books do, not the way a note does. Issue 18's fourth pass
adds what those lack: how clinicians write. The files in `training/synth/clinician/` were written by
five authors (helper sessions), each given only a list of ICD-10-CM codes with their official titles
and told not to open the repository — so none of them saw the held-out sets, the catalog's words or
each other's files:

- `families_1.json` .. `families_4.json`, per family (the catalog's names): `any` (names for every
  principal of the family), `codes` (names for one listed principal code), `procedures` (ways to say
  the operation of a surgical pair, keyed by its PCS codes joined with "+"), `presentations` and
  `treatments` (clauses for the principal sentence, like the catalog's), `course` (sentences about
  that condition's stay that do not name it; the generator puts them inside the principal's span);
- `secondaries.json`, per secondary code: `names` and `details`;
- `frames.json`: sentence frames with named placeholders (`FRAME_FIELDS`) for the principal
  sentence, secondaries, negated and past mentions, procedures, filler and openers.

Issue 18's sixth pass added four more authors of frames (`frames_c.json` .. `frames_f.json`: an
academic hospitalist, night-float shorthand, surgeons and consultants, plain and Commonwealth
English) and four of secondaries (`secondaries_c.json` .. `secondaries_f.json`), briefed the same
way and asked above all for the many ways a note says that a condition was ruled out, is past, or
was present and treated. `training/heldout/frame_overlap.py` checks that no frame shares five
consecutive words with the held-out script.

`load()` reads them as data and checks them: a frame whose placeholders are not the ones its kind
allows, a string with a brace outside a frame, or a family or code the catalog does not have is an
error naming the file and the entry, so a bad edit fails generation instead of writing odd notes.
"""

import dataclasses
import json
import re
import string
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from . import catalog

DIR = Path(__file__).resolve().parent / "clinician"

# Frame kind -> (placeholders it may use, placeholders it must use).
_PERSON = {"Subj", "subj", "obj", "day"}  # {day}: a hospital day, 1-4, wherever a frame wants one
FRAME_FIELDS: dict[str, tuple[set[str], set[str]]] = {
    "principal_pres": (_PERSON | {"dx", "pres"}, {"dx", "pres"}),
    "principal": (_PERSON | {"dx"}, {"dx"}),
    "severe": (_PERSON | {"phrase", "detail"}, {"phrase", "detail"}),
    "chronic": (_PERSON | {"phrase", "detail"}, {"phrase", "detail"}),
    "negated": (_PERSON | {"phrase"}, {"phrase"}),
    "history": (_PERSON | {"phrase", "year"}, {"phrase"}),
    "procedure": (_PERSON | {"proc", "day"}, {"proc"}),
    "filler": (_PERSON, set()),
    "openers": (_PERSON | {"age", "person", "pmh"}, {"age", "person"}),
}


class LexiconError(ValueError):
    pass


def fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}


@dataclass(frozen=True)
class Lexicon:
    families: dict[str, dict]
    secondaries: dict[str, dict]
    frames: dict[str, tuple[str, ...]]

    def names(self, family: str, code: str, listed: bool) -> tuple[str, ...]:
        """Names for principal `code` of `family`: the code's own, and the family's `any` names when
        the code is one of the family's listed principals or their siblings (`listed`) and has no
        catalog words of its own (`catalog.CODE_SYNONYMS`: a code whose family words would hide what
        decides its DRG)."""
        fam = self.families.get(family, {})
        own = tuple(fam.get("codes", {}).get(code, ()))
        if listed and code not in catalog.CODE_SYNONYMS:
            own += tuple(fam.get("any", ()))
        return own

    def procedure(self, family: str, procedures: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(self.families.get(family, {}).get("procedures", {}).get("+".join(procedures), ()))

    def clauses(self, family: str, kind: str) -> tuple[str, ...]:
        """`presentations`, `treatments` or `course` of a family."""
        return tuple(self.families.get(family, {}).get(kind, ()))

    def secondary(self, code: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        s = self.secondaries.get(code, {})
        return tuple(s.get("names", ())), tuple(s.get("details", ()))

    def openers(self, with_pmh: bool) -> tuple[str, ...]:
        """The opener frames that list a past medical history ({pmh}), or those that do not; split once
        per lexicon, not per note."""
        return self._openers[with_pmh]

    @cached_property
    def _openers(self) -> dict[bool, tuple[str, ...]]:
        frames = self.frames.get("openers", ())
        return {has: tuple(f for f in frames if ("pmh" in fields(f)) == has) for has in (True, False)}

    def extend(self, fam: catalog.Family) -> catalog.Family:
        """The family with the lexicon's presentations and treatments added to the catalog's."""
        return dataclasses.replace(fam, presentations=fam.presentations + self.clauses(fam.name, "presentations"),
                                   treatments=fam.treatments + self.clauses(fam.name, "treatments"))


def _strings(where: str, value) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise LexiconError(f"{where}: expected a list of non-empty strings")
    for v in value:
        if "{" in v or "}" in v:
            raise LexiconError(f"{where}: a brace outside a frame: {v!r}")
    return [v.strip() for v in value]


def _read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise LexiconError(f"{path.name}: not readable JSON ({e})") from None
    if not isinstance(data, dict):
        raise LexiconError(f"{path.name}: expected an object at the top")
    return data


@lru_cache(maxsize=1)
def load(directory: Path = DIR) -> Lexicon:
    known = {f.name: f for f in catalog.FAMILIES}
    codes = {s.code for s in catalog.SEVERE_SECONDARIES + catalog.DISTRACTORS}
    families: dict[str, dict] = {}
    for path in sorted(directory.glob("families_*.json")):
        for name, entry in _read(path).items():
            where = f"{path.name}: {name}"
            if name not in known:
                raise LexiconError(f"{where}: not a catalog family")
            fam = known[name]
            listed = set(fam.principals) | {p for p, _, _ in fam.pairs}
            keys = {"+".join(pcs) for _, pcs, _ in fam.pairs}
            out = {k: _strings(f"{where}.{k}", entry.get(k, []))
                   for k in ("any", "presentations", "treatments", "course")}
            out["codes"] = {}
            for code, names in entry.get("codes", {}).items():
                if code not in listed:
                    raise LexiconError(f"{where}.codes: {code} is not a listed principal of the family")
                out["codes"][code] = _strings(f"{where}.codes.{code}", names)
            out["procedures"] = {}
            for key, names in entry.get("procedures", {}).items():
                if key not in keys:
                    raise LexiconError(f"{where}.procedures: {key} is not a procedure key of the family")
                out["procedures"][key] = _strings(f"{where}.procedures.{key}", names)
            _merge(families.setdefault(name, {}), out)
    secondaries: dict[str, dict] = {}
    for path in sorted(directory.glob("secondaries*.json")):
        for code, entry in _read(path).items():
            if code not in codes:
                raise LexiconError(f"{path.name}: {code} is not a catalog secondary")
            _merge(secondaries.setdefault(code, {}),
                   {k: _strings(f"{path.name}: {code}.{k}", entry.get(k, [])) for k in ("names", "details")})
    frames: dict[str, list[str]] = {}
    for path in sorted(directory.glob("frames*.json")):
        for kind, templates in _read(path).items():
            if kind not in FRAME_FIELDS:
                raise LexiconError(f"{path.name}: {kind} is not a frame kind ({', '.join(FRAME_FIELDS)})")
            allowed, required = FRAME_FIELDS[kind]
            for t in templates:
                try:
                    got = fields(t)
                except ValueError as e:
                    raise LexiconError(f"{path.name}: {kind}: {t!r}: {e}") from None
                if not got <= allowed or not required <= got:
                    raise LexiconError(f"{path.name}: {kind}: {t!r} uses {sorted(got)}; allowed "
                                       f"{sorted(allowed)}, required {sorted(required)}")
                t = re.sub(r"[.\s]+$", "", t) if kind.startswith("principal") else t.strip()
                if t not in frames.setdefault(kind, []):
                    frames[kind].append(t)
    return Lexicon(families, secondaries, {k: tuple(v) for k, v in frames.items()})


def _merge(into: dict, more: dict) -> None:
    """Adds `more`'s lists (and dicts of lists) to `into`'s, each string once, in file order: several
    authors' files for one family, secondary or frame kind are one lexicon."""
    for key, value in more.items():
        if isinstance(value, dict):
            _merge(into.setdefault(key, {}), value)
        else:
            have = into.setdefault(key, [])
            have += [v for v in value if v not in have]
