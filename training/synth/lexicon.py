"""Many independent wordings of one diagnosis, and the surface noise of notes typed in a hurry.

The first generator said each condition in a handful of catalog words, so a model trained on it
learned those words, not the conditions (issue 18). This module widens the wording from sources
that do not depend on the catalog:

- `icd_variants(code)`: the ICD-10-CM title and inclusion terms of the code (public domain, read
  through the pinned `simple-icd-10-cm`), rewritten the ways clinicians shorten them: qualifiers
  such as ", unspecified" and "initial encounter" dropped, parenthesised words kept or dropped
  ("Acute on chronic systolic (congestive) heart failure" gives both), "X, Y" turned into "Y X";
- `abbreviate(phrase, rng)`: common clinical abbreviations (`ABBREVIATIONS`, e.g. "heart failure" ->
  "HF", "urinary tract infection" -> "UTI") applied to some of the words that have one;
- `sibling_codes(...)`: other leaf codes of a principal's ICD-10-CM category that the grouper sends
  to the same base DRG, so a family is said in the words of many codes, not of three or four;
- `noisy(text, rng, rate)`: typos (a dropped, doubled or swapped letter) and casing changes.

Every choice takes the caller's `random.Random`, so a generated case stays reproducible.
"""

import random
import re
from functools import lru_cache

import simple_icd_10_cm as icd

# Long form -> short forms a clinician writes instead (matched on word boundaries, case-insensitive).
ABBREVIATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("acute on chronic", ("a/c", "acute-on-chronic")),
    ("congestive heart failure", ("CHF",)),
    ("heart failure", ("HF",)),
    ("chronic obstructive pulmonary disease", ("COPD",)),
    ("urinary tract infection", ("UTI",)),
    ("acute kidney injury", ("AKI",)),
    ("acute kidney failure", ("AKI", "ARF")),
    ("chronic kidney disease", ("CKD",)),
    ("end stage renal disease", ("ESRD",)),
    ("myocardial infarction", ("MI",)),
    ("non-st elevation myocardial infarction", ("NSTEMI",)),
    ("st elevation myocardial infarction", ("STEMI",)),
    ("atrial fibrillation", ("AF", "afib", "a-fib")),
    ("atrial flutter", ("AFL",)),
    ("pulmonary embolism", ("PE",)),
    ("deep vein thrombosis", ("DVT",)),
    ("gastrointestinal", ("GI",)),
    ("diabetic ketoacidosis", ("DKA",)),
    ("type 2 diabetes mellitus", ("T2DM", "DM2", "type II DM")),
    ("type 1 diabetes mellitus", ("T1DM", "DM1")),
    ("diabetes mellitus", ("DM",)),
    ("cerebral infarction", ("CVA", "ischemic stroke")),
    ("transient ischemic attack", ("TIA",)),
    ("small bowel obstruction", ("SBO",)),
    ("escherichia coli", ("E. coli", "E coli")),
    ("methicillin resistant staphylococcus aureus", ("MRSA",)),
    ("staphylococcus aureus", ("S. aureus", "staph aureus")),
    ("streptococcus pneumoniae", ("S. pneumoniae", "pneumococcus")),
    ("pneumonia", ("PNA",)),
    ("hypertension", ("HTN",)),
    ("coronary artery disease", ("CAD",)),
    ("atherosclerotic heart disease", ("ASHD", "CAD")),
    ("peripheral artery disease", ("PAD",)),
    ("gastroesophageal reflux disease", ("GERD",)),
    ("respiratory failure", ("resp failure",)),
    ("hypoxic", ("hypoxemic",)),
    ("exacerbation", ("flare", "exac")),
    ("fracture", ("fx",)),
    ("history", ("hx",)),
    ("right", ("R", "rt")),
    ("left", ("L", "lt")),
    ("bilateral", ("bilat",)),
    ("without", ("w/o",)),
    ("with", ("w/",)),
    ("secondary to", ("2/2",)),
    ("due to", ("d/t", "from")),
    ("lower extremity", ("LE",)),
    ("upper extremity", ("UE",)),
    ("intravenous", ("IV",)),
    ("alcohol", ("EtOH",)),
    ("blood pressure", ("BP",)),
)

_QUALIFIERS = re.compile(
    r",? (initial encounter[^,;]*|site not specified|unspecified( [a-z]+)?|not elsewhere classified|"
    r"without (coma|complications?|hematuria)|NOS)\b", re.IGNORECASE)


def _clean(name: str) -> str:
    name = re.sub(r"\s+", " ", _QUALIFIERS.sub("", name)).strip(" ,;")
    return name


def _forms(name: str) -> set[str]:
    """The title as written, without parentheses/brackets, with their words inlined, and 'X, Y' as 'Y X'."""
    out = set()
    bracketed = re.compile(r"\s*[\(\[]([^\)\]]*)[\)\]]")
    out.add(_clean(bracketed.sub("", name)))
    out.add(_clean(bracketed.sub(lambda m: " " + m.group(1), name)))
    for form in list(out):
        head, _, tail = form.partition(", ")
        if tail and len(tail.split()) <= 3 and "," not in tail:
            out.add(f"{tail} {head}")
    return {f for f in out if len(f) > 2}


@lru_cache(maxsize=None)
def icd_variants(code: str) -> tuple[str, ...]:
    """Clinician-style names of an ICD-10-CM code from its title and inclusion terms (may be empty)."""
    try:
        names = [icd.get_description(code), *icd.get_inclusion_term(code)]
    except ValueError:
        return ()
    out = set()
    for n in names:
        if n.lower().startswith(("other ", "unspecified ")) or "elsewhere" in n.lower():
            continue
        out |= _forms(n)
    return tuple(sorted(f if f[:2].isupper() else f[:1].lower() + f[1:] for f in out))


def abbreviate(phrase: str, rng: random.Random, p: float = 0.5) -> str:
    """Replaces each long form that has an abbreviation with one of them, with probability `p`."""
    for long, shorts in ABBREVIATIONS:
        pattern = re.compile(rf"\b{re.escape(long)}\b", re.IGNORECASE)
        if pattern.search(phrase) and rng.random() < p:
            phrase = pattern.sub(rng.choice(shorts), phrase, count=1)
    return phrase


def sibling_codes(code: str, group_base, limit: int = 12) -> list[str]:
    """Leaf codes of `code`'s 3-character category (initial-encounter ones for injuries) that
    `group_base(code)` sends to the same base DRG as `code` itself; `code` first."""
    base = group_base(code)
    category = code.replace(".", "")[:3]
    try:
        leaves = [c for c in icd.get_descendants(category) if icd.is_leaf(c)]
    except ValueError:
        return [code]
    if category[0] in "ST":
        leaves = [c for c in leaves if c.endswith("A")]
    out = [code]
    for c in leaves:
        if c != code and len(out) < limit + 1 and icd_variants(c) and group_base(c) == base:
            out.append(c)
    return out


_KEYS = "qwertyuiopasdfghjklzxcvbnm"


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4 or not word.isalpha():
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.random()
    if kind < 0.3:
        return word[:i] + word[i + 1:]  # dropped letter
    if kind < 0.55:
        return word[:i] + word[i] + word[i:]  # doubled letter
    if kind < 0.85:
        return word[:i - 1] + word[i] + word[i - 1] + word[i + 1:]  # swapped letters
    return word[:i] + rng.choice(_KEYS) + word[i + 1:]  # wrong key


def noisy(text: str, rng: random.Random, rate: float) -> str:
    """Typos in about `rate` of the words; sometimes the whole segment lower- or upper-cased."""
    if rate <= 0:
        return text
    words = text.split(" ")
    words = [_typo(w, rng) if rng.random() < rate else w for w in words]
    text = " ".join(words)
    roll = rng.random()
    if roll < 0.08:
        return text.lower()
    if roll < 0.10:
        return text.upper()
    return text
