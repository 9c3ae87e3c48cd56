"""Writes a synthetic MIMIC-IV-shaped discharge.csv for bench/import.sh (seeded, no real data).

    python3 bench/make_discharge.py OUT.csv [NOTES]

Each note is ~10 kB (about the size of a MIMIC-IV discharge summary), with quoted multi-line text,
commas and doubled quotes; 90% have a "Brief Hospital Course" section.
"""
import csv
import random
import sys

random.seed(4)
WORDS = ("patient admitted with acute chronic heart failure pneumonia sepsis creatinine diuresis "
         "furosemide ceftriaxone culture negative improved stable discharged home follow up clinic "
         "hypertension diabetes insulin glucose lactate \"trace\" edema, dyspnea, fever").split()


def paragraph(n):
    return " ".join(random.choice(WORDS) for _ in range(n))


def note(i):
    lines = [f"Name:  ___  Unit No:   ___", "", f"Admission Date:  ___  Discharge Date:   ___", "",
             "Chief Complaint:", paragraph(8), "", "History of Present Illness:", paragraph(300), "",
             "Pertinent Results:", paragraph(250), ""]
    if i % 10:
        lines += ["Brief Hospital Course:", ""] + [paragraph(60) for _ in range(6)] + [""]
    lines += ["Medications on Admission:", paragraph(60), "", "Discharge Medications:", paragraph(60),
              "", "Discharge Instructions:", paragraph(120)]
    return "\n".join(lines)


def main():
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
    with open(out, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["note_id", "subject_id", "hadm_id", "note_type", "note_seq", "charttime", "storetime", "text"])
        for i in range(n):
            w.writerow([f"{10000000 + i}-DS-{i % 40 + 1}", 10000000 + i, 20000000 + i, "DS", i % 40 + 1,
                        "2180-07-23 00:00:00", "2180-07-23 12:00:00", note(i)])


if __name__ == "__main__":
    main()
