"""Checks that the clinician's sentence frames share no wording with the held-out script.

`make_heldout --corpus` keeps the held-out set's *diagnosis phrases* out of training notes. The
frames around them (how a note says that a condition was ruled out, is past, or was treated) are a
second way the held-out set could leak into training: a lexicon author who happened to write one of
the held-out script's sentences would teach the model the held-out notes' exact construction. This
check reads every string literal of `make_heldout.py` (as data, with `ast`; nothing is imported or
run), cuts each at its placeholders, and reports every frame in `training/synth/clinician/frames*.json`
that contains a run of `--n` (default 5) consecutive words of one of them, lower-cased.

    .venv/bin/python -m training.heldout.frame_overlap            # exit 1 naming the frames that overlap
    .venv/bin/python -m training.heldout.frame_overlap --drop      # rewrite the files without them

Only the lexicon's frame text is printed, never the held-out script's.
"""

import argparse
import ast
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
LEXICON = HERE.parent / "synth" / "clinician"
_WORD = re.compile(r"[a-z0-9']+")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def grams(text: str, n: int) -> set[tuple[str, ...]]:
    """Word n-grams of `text`, never across a placeholder."""
    out: set[tuple[str, ...]] = set()
    for piece in _PLACEHOLDER.split(text.lower()):
        words = _WORD.findall(piece)
        out.update(tuple(words[i:i + n]) for i in range(len(words) - n + 1))
    return out


def heldout_grams(n: int, script: Path = HERE / "make_heldout.py") -> set[tuple[str, ...]]:
    tree = ast.parse(script.read_text(encoding="utf-8"))
    docstrings = {id(owner.body[0].value) for owner in ast.walk(tree)
                  if isinstance(owner, (ast.Module, ast.FunctionDef, ast.ClassDef)) and owner.body
                  and isinstance(owner.body[0], ast.Expr)}
    found: set[tuple[str, ...]] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            found |= grams(node.value, n)
    return found


def overlapping(n: int, directory: Path = LEXICON) -> dict[Path, dict[str, list[str]]]:
    """For each frames file, the frames (by kind) sharing an n-gram with the held-out script."""
    held = heldout_grams(n)
    out: dict[Path, dict[str, list[str]]] = {}
    for path in sorted(directory.glob("frames*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        hits = {kind: [t for t in frames if grams(t, n) & held] for kind, frames in data.items()}
        hits = {k: v for k, v in hits.items() if v}
        if hits:
            out[path] = hits
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=5)
    ap.add_argument("--drop", action="store_true", help="rewrite the frames files without the overlapping frames")
    args = ap.parse_args(argv)
    found = overlapping(args.n)
    total = sum(len(v) for hits in found.values() for v in hits.values())
    for path, hits in found.items():
        for kind, frames in hits.items():
            for t in frames:
                print(f"{path.name}: {kind}: {t}")
        if args.drop:
            data = json.loads(path.read_text(encoding="utf-8"))
            data = {k: [t for t in v if t not in hits.get(k, [])] for k, v in data.items()}
            path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"frame_overlap: {total} frame(s) share {args.n} consecutive words with make_heldout.py"
          + (" (dropped)" if args.drop and total else ""), file=sys.stderr)
    return 1 if total and not args.drop else 0


if __name__ == "__main__":
    sys.exit(main())
