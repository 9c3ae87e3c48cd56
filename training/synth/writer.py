"""Turns a coded case into a MIMIC-IV-style "Brief Hospital Course:" note with ground-truth spans.

A note is assembled from *segments*; each segment is one sentence (narrative style) or one
problem line ("# Problem: ...", problem-list style). Every segment that carries a coded fact is
recorded as a span `{kind, code, start, end}` with `start`/`end` offsets into the final text in
Unicode scalars (Python `str` indices), end exclusive:

- `principal`: the one sentence that names the principal diagnosis (with its presentation and
  treatment clauses, which only ever appear inside it);
- `procedure`: the sentence naming each coded ICD-10-PCS procedure (surgical families);
- `cc` / `mcc`: one sentence per secondary diagnosis that counts as CC / MCC for this principal
  (for a chronic one stated only in the past-medical-history list, the opening sentence);
- `chronic`: a coded secondary that is neither CC nor MCC (does not change the DRG);
- `negated` / `history`: a CC/MCC condition mentioned as ruled out or resolved; not coded.

Example (narrative style): "Brief Hospital Course:\\nMs. ___ is a 71 year old woman ... She
presented with dysuria and was found to have urinary tract infection; ... Course was complicated by
hyponatremia; sodium was 124 ...". Filler sentences come from family-independent pools.
"""

import random
from dataclasses import dataclass, field

from . import catalog

HEADER = "Brief Hospital Course:\n"


@dataclass
class CodedCase:
    family: catalog.Family
    pdx: str
    pdx_name: str
    procedures: tuple[str, ...]
    procedure_phrase: str
    sex: str
    age: int
    severe: list[tuple[catalog.Secondary, str]]  # (secondary, "CC" | "MCC")
    chronic: list[catalog.Secondary]
    negated: list[catalog.Secondary]
    history: list[catalog.Secondary]
    listed_only: set[str] = field(default_factory=set)  # severe codes stated only in the PMH list


@dataclass
class Segment:
    text: str
    kind: str = ""  # "" for filler
    code: str = ""
    extra: list[tuple[str, str]] = field(default_factory=list)  # more (kind, code) facts in this sentence


@dataclass
class Note:
    text: str
    spans: list[dict] = field(default_factory=list)


def _values(rng: random.Random) -> dict:
    return {
        "cr": f"{rng.uniform(1.8, 4.5):.1f}", "na_low": str(rng.randint(118, 128)),
        "na_high": str(rng.randint(150, 158)), "hgb_low": f"{rng.uniform(6.2, 7.8):.1f}",
        "alb": f"{rng.uniform(2.0, 3.4):.1f}", "wbc": f"{rng.uniform(4.5, 10.5):.1f}",
        "plt": str(rng.randint(160, 380)), "glu": str(rng.randint(85, 160)),
    }


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


class NoteWriter:
    def __init__(self, rng: random.Random, case: CodedCase):
        self.rng, self.case = rng, case
        female = case.sex == "F"
        self.subj = rng.choice(["She" if female else "He", "The patient"])
        self.obj = "her" if female else "him"
        if self.subj == "The patient":
            self.obj = rng.choice([self.obj, "the patient"])
        self.vals = _values(rng)

    def fill(self, template: str) -> str:
        return template.format(Subj=self.subj, subj=self.subj.lower() if self.subj != "The patient" else "the patient",
                               obj=self.obj, **self.vals)

    # --- sentences -------------------------------------------------------------------------
    def opener(self, problem_style: bool) -> str:
        c, r = self.case, self.rng
        title = "Ms." if c.sex == "F" else "Mr."
        person = ("woman" if c.sex == "F" else "man") if r.random() < 0.6 else ("F" if c.sex == "F" else "M")
        pmh = [r.choice(s.phrases) for s in c.chronic[:3]]
        pmh += [r.choice(s.phrases) for s, _ in c.severe if s.code in c.listed_only]
        pmh += [f"remote {r.choice(s.phrases)}" for s in c.history[:1]]
        r.shuffle(pmh)
        age = f"{c.age} year old {person}" if len(person) > 1 else f"{c.age} y/o {person}"
        hx = f" with a past medical history of {', '.join(pmh)}" if pmh else ""
        tail = r.choice(["who was admitted from the ED.", "who presented to the ED.", "admitted to the medicine service."])
        if c.family.pairs:
            tail = r.choice(["admitted to the surgical service.", "who was admitted for surgery.", "admitted to the surgical service."])
        article = "an" if str(c.age).startswith(("8", "11", "18")) else "a"
        return f"{title} ___ is {article} {age}{hx} {tail}"

    def principal(self, problem_style: bool) -> str:
        c, r = self.case, self.rng
        fam = c.family
        pres = r.choice(fam.presentations) if fam.presentations and r.random() < 0.85 else ""
        treat = r.choice(fam.treatments) if fam.treatments and r.random() < 0.85 else ""
        dx = c.pdx_name
        if problem_style:
            parts = [f"presented with {pres}" if pres else "", treat]
            body = "; ".join(p for p in parts if p) or "this was the reason for admission"
            return f"# {_cap(dx)}: {body}."
        if pres:
            s = r.choice([
                f"{self.subj} presented with {pres} and was found to have {dx}",
                f"{_cap(dx)} was diagnosed after {self.fill('{subj}')} presented with {pres}",
                f"On admission {self.fill('{subj}')} had {pres}, consistent with {dx}",
            ])
        else:
            s = r.choice([f"{self.subj} was admitted for {dx}", f"The main problem this admission was {dx}",
                          f"Admitted with {dx}"])
        return f"{s}; {treat}." if treat else f"{s}."

    def procedure(self) -> str:
        r, p = self.rng, self.case.procedure_phrase
        return r.choice([
            f"On hospital day {r.randint(1, 3)} {self.fill('{subj}')} underwent {p} without complication.",
            f"{self.subj} was taken to the OR for {p}, which was uncomplicated.",
            f"Underwent {p} on hospital day {r.randint(1, 3)}; estimated blood loss was minimal.",
        ])

    def severe(self, s: catalog.Secondary, problem_style: bool) -> str:
        r = self.rng
        phrase, detail = r.choice(s.phrases), self.fill(r.choice(s.details))
        if problem_style:
            return f"# {_cap(phrase)}: {detail}."
        return r.choice([
            f"Course was complicated by {phrase}; {detail}.",
            f"{self.subj} was also found to have {phrase}, {detail}.",
            f"{_cap(phrase)} was noted on admission; {detail}.",
            f"Hospital course was notable for {phrase} ({detail}).",
        ])

    def chronic(self, s: catalog.Secondary, problem_style: bool) -> str:
        r = self.rng
        phrase, detail = r.choice(s.phrases), r.choice(s.details)
        if problem_style:
            return f"# {_cap(phrase)}: {detail}."
        return r.choice([f"For {phrase}, {detail}.", f"Chronic {phrase} was stable; {detail}.",
                         f"{_cap(phrase)}: {detail}."])

    def negated(self, s: catalog.Secondary, problem_style: bool) -> str:
        r = self.rng
        phrase = r.choice(s.phrases)
        if problem_style:
            return f"# Concern for {phrase}: ruled out, no treatment needed."
        return r.choice([f"There was initial concern for {phrase}, but this was ruled out.",
                         f"No evidence of {phrase} on workup.",
                         f"{_cap(phrase)} was considered and excluded."])

    def history(self, s: catalog.Secondary) -> str:
        r = self.rng
        phrase, year = r.choice(s.phrases), r.randint(2008, 2021)
        return r.choice([f"Of note, {self.fill('{subj}')} had {phrase} in {year}, which resolved.",
                         f"Remote history of {phrase}, not active this admission.",
                         f"Prior admission in {year} for {phrase}; no recurrence."])

    # --- assembly --------------------------------------------------------------------------
    def segments(self, n_filler: int) -> tuple[list[list[Segment]], bool]:
        """Paragraphs of segments; the bool says whether the problem-list style was used."""
        c, r = self.case, self.rng
        problem_style = r.random() < 0.5
        main = [Segment(self.principal(problem_style), "principal", c.pdx)]
        if c.procedures:
            proc = Segment(self.procedure(), "procedure", " ".join(c.procedures))
            main.append(proc)
        others = [Segment(self.severe(s, problem_style), lvl.lower(), s.code) for s, lvl in c.severe
                  if s.code not in c.listed_only]
        others += [Segment(self.negated(s, problem_style), "negated", s.code) for s in c.negated]
        if not problem_style:
            others += [Segment(self.chronic(s, False), "chronic", s.code) for s in c.chronic]
        others += [Segment(self.history(s), "history", s.code) for s in c.history[1:]]
        fillers = [Segment(self.fill(t)) for t in r.sample(catalog.FILLER, min(n_filler, len(catalog.FILLER)))]
        if r.random() < 0.6:
            fillers.insert(0, Segment(self.fill(r.choice(catalog.LAB_SENTENCES))))
        r.shuffle(others)
        opener = Segment(self.opener(problem_style))
        listed = [(lvl.lower(), s.code) for s, lvl in c.severe if s.code in c.listed_only]
        opener.extra = listed
        if problem_style:
            paras = [[opener], *[[s] for s in main], *[[s] for s in others]]
            chronic = [Segment(self.chronic(s, True), "chronic", s.code) for s in c.chronic]
            if chronic:
                paras.append([Segment("CHRONIC ISSUES:")] + chronic)
            paras.append(fillers)
            return paras, True
        body = main + others
        for f in fillers:
            body.insert(r.randint(len(main), len(body)), f)
        cut = r.randint(len(main), len(body))
        paras = [[opener] + body[:cut], body[cut:]]
        return [p for p in paras if p], False

    def render(self, n_filler: int, n_transitional: int) -> Note:
        paras, problem_style = self.segments(n_filler)
        r = self.rng
        text, spans = HEADER, []
        for i, para in enumerate(paras):
            if i:
                text += "\n\n"
            sep = "\n" if problem_style and len(para) > 1 and para[0].text == "CHRONIC ISSUES:" else " "
            for j, seg in enumerate(para):
                if j:
                    text += sep
                facts = ([(seg.kind, seg.code)] if seg.kind else []) + seg.extra
                for kind, code in facts:
                    spans.append({"kind": kind, "code": code, "start": len(text), "end": len(text) + len(seg.text)})
                text += seg.text
        if n_transitional:
            items = r.sample(catalog.TRANSITIONAL, n_transitional)
            text += "\n\nTRANSITIONAL ISSUES:\n" + "\n".join(f"- {self.fill(t)}" for t in items)
        return Note(text + "\n", spans)
