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
- `negated` / `history`: a CC/MCC condition (with outside words, also another family's principal)
  mentioned as ruled out or resolved; not coded.

Four styles (issue 18): `narrative` sentences, `problem` list ("# Problem: ..."), `soap`-like
("Assessment and Plan:" then "1. Problem: ..."), and `terse` shorthand ("Adm w/ AKI. Tx IVF."). The
principal is not always the first sentence; diagnosis words go through `lexicon.abbreviate`, and a
note may carry typos and casing changes (`lexicon.noisy`, applied per segment before offsets are taken).

Example (narrative style): "Brief Hospital Course:\\nMs. ___ is a 71 year old woman ... She
presented with dysuria and was found to have urinary tract infection; ... Course was complicated by
hyponatremia; sodium was 124 ...". Filler sentences come from family-independent pools.
"""

import random
import re
from dataclasses import dataclass, field

from . import catalog, lexicon

HEADER = "Brief Hospital Course:\n"


# Marks around a diagnosis phrase while a note is assembled (only when `respell` is set).
KEEP_OPEN, KEEP_CLOSE = "\x01", "\x02"


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

    @property
    def dx(self) -> list[str]:
        """The secondary codes the claim carries: the CC/MCC conditions that count, then the chronic
        ones. Negated and past mentions are said in the note and never coded."""
        return [s.code for s, _ in self.severe] + [s.code for s in self.chronic]


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
    if s.startswith(KEEP_OPEN):
        return KEEP_OPEN + _cap(s[1:])
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
        self.abbrev = rng.choice([0.0, 0.2, 0.5, 0.8])
        # Set by the generator with outside words (generate.py, issue 18 third pass): a renamer for
        # clinical terms, a respeller for the words around them, general-English sentences for the
        # filler; how often the principal sentence carries the family's presentation and its
        # treatment (each); and, in training notes only, how often a presentation, treatment or
        # detail clause is taken from another family or secondary (a decoy), so that no clause but
        # the diagnosis's own words reliably names the DRG.
        self.rename = None
        self.respell = None
        self.english: list[str] = []
        self.cue = 0.6
        self.decoy = 0.0
        # Set by the generator with the clinician's lexicon (`clinician.py`, issue 18 fourth pass):
        # its frames stand in for the writer's own sentences about half the time, its
        # condition-specific course sentences join the principal's sentence, and `families` (the
        # catalog's, extended with the lexicon's clauses) is where decoys come from.
        self.clinician = None
        self.families = catalog.FAMILIES

    def say(self, phrase: str) -> str:
        """A diagnosis phrase, sometimes reworded (`lexicon.reword`), some of its long forms abbreviated."""
        phrase = lexicon.reword(phrase, self.rng, p=0.3) if self.abbrev else phrase
        if self.rename and self.rng.random() < 0.2:
            phrase = self.rename(phrase, self.rng)
        phrase = lexicon.abbreviate(phrase, self.rng, self.abbrev) if self.abbrev else phrase
        # marked so that `respell` leaves the diagnosis's own words alone (render() unmarks)
        return f"{KEEP_OPEN}{phrase}{KEEP_CLOSE}" if self.respell else phrase

    def shorthand(self, clause: str) -> str:
        """A secondary's detail clause with some long forms abbreviated, as `say` does for its name
        ("continued on hemodialysis" -> "continued on HD"; ninth pass)."""
        return lexicon.abbreviate(clause, self.rng, self.abbrev) if self.abbrev else clause

    def fill(self, template: str, **more) -> str:
        if "{day}" in template and "day" not in more:  # only the clinician's frames say {day}
            more["day"] = self.rng.randint(1, 4)
        return template.format(Subj=self.subj, subj=self.subj.lower() if self.subj != "The patient" else "the patient",
                               obj=self.obj, **self.vals, **more)

    def frame(self, kind: str, p: float = 0.5):
        """A clinician's frame of `kind`, `p` of the time when the lexicon is set; else None (and no
        draw from the random stream, so a corpus without the lexicon is unchanged)."""
        if self.clinician is None or not self.clinician.frames.get(kind) or self.rng.random() >= p:
            return None
        return self.rng.choice(self.clinician.frames[kind])

    def listed_frame(self, kind: str, style: str, **fields) -> str | None:
        """In a list-style note (problem, soap, terse), a clinician's frame of `kind` half the time:
        a problem line ("# ...") in the problem and soap styles, a bare line in terse. Without this,
        list notes said a ruled-out or past condition in five fixed ways, and the model learned those
        five rather than what makes a mention not count (issue 18, sixth pass). None in narrative
        notes (they draw their frames themselves) and without the lexicon (no draw)."""
        if style == "narrative":
            return None
        frame = self.frame(kind)
        if frame is None:
            return None
        line = _cap(self.fill(frame, **fields))
        return line if style == "terse" or line.startswith("#") else f"# {line}"

    # --- sentences -------------------------------------------------------------------------
    def opener(self, style: str) -> str:
        c, r = self.case, self.rng
        title = "Ms." if c.sex == "F" else "Mr."
        person = ("woman" if c.sex == "F" else "man") if r.random() < 0.6 else ("F" if c.sex == "F" else "M")
        pmh = [self.say(r.choice(s.phrases)) for s in c.chronic[:3]]
        pmh += [self.say(r.choice(s.phrases)) for s, _ in c.severe if s.code in c.listed_only]
        pmh += [f"{r.choice(['remote', 'prior', 'resolved'])} {self.say(r.choice(s.phrases))}" for s in c.history[:1]]
        r.shuffle(pmh)
        if style != "terse" and self.clinician is not None and r.random() < 0.5:
            # a frame with {pmh} exactly when there is a history to list (listed-only CC/MCC codes
            # are stated there and nowhere else)
            frames = self.clinician.openers(with_pmh=bool(pmh))
            if frames:
                word = r.choice(["woman", "female"] if c.sex == "F" else ["man", "male"])
                return _cap(self.fill(r.choice(frames), age=c.age, person=word, pmh=", ".join(pmh)))
        if style == "terse":
            sex = "F" if c.sex == "F" else "M"
            hx = f" w/ PMH {', '.join(pmh)}" if pmh else ""
            return f"{c.age}{sex}{hx}, {r.choice(['adm from ED.', 'admitted.', 'adm to medicine.', 'presented to ED.'])}"
        age = f"{c.age} year old {person}" if len(person) > 1 else f"{c.age} y/o {person}"
        hx = f" with a past medical history of {', '.join(pmh)}" if pmh else ""
        tail = r.choice(["who was admitted from the ED.", "who presented to the ED.", "admitted to the medicine service."])
        if c.family.pairs:
            tail = r.choice(["admitted to the surgical service.", "who was admitted for surgery.", "admitted to the surgical service."])
        article = "an" if str(c.age).startswith(("8", "11", "18")) else "a"
        return f"{title} ___ is {article} {age}{hx} {tail}"

    def principal(self, style: str) -> str:
        c, r = self.case, self.rng
        fam = c.family
        cue = self.cue
        src_p, src_t = (fam, fam) if not self.decoy else (
            r.choice(self.families) if r.random() < self.decoy else fam,
            r.choice(self.families) if r.random() < self.decoy else fam)
        pres = r.choice(src_p.presentations) if src_p.presentations and r.random() < cue else ""
        treat = r.choice(src_t.treatments) if src_t.treatments and r.random() < cue else ""
        dx = self.say(c.pdx_name)
        if style == "terse":
            head = r.choice([f"Adm w/ {dx}", f"Dx: {dx}", f"{_cap(dx)}", f"Admitted for {dx}", f"Principal dx {dx}"])
            parts = [head] + ([f"p/w {pres}"] if pres else []) + ([treat] if treat else [])
            return ". ".join(parts) + "."
        if style != "narrative":
            parts = [f"presented with {pres}" if pres else "", treat]
            body = "; ".join(p for p in parts if p) or "this was the reason for admission"
            return f"# {_cap(dx)}: {body}."
        course = ""
        if self.clinician is not None and r.random() < 0.35:  # a sentence about this condition's stay
            sentences = self.clinician.clauses(src_t.name, "course")
            course = f" {r.choice(sentences)}" if sentences else ""
        frame = self.frame("principal_pres" if pres else "principal")
        if frame:
            s = _cap(self.fill(frame, dx=dx, pres=pres))
        elif pres:
            s = r.choice([
                f"{self.subj} presented with {pres} and was found to have {dx}",
                f"{_cap(dx)} was diagnosed after {self.fill('{subj}')} presented with {pres}",
                f"On admission {self.fill('{subj}')} had {pres}, consistent with {dx}",
                f"Workup for {pres} revealed {dx}",
                f"{self.subj} came in with {pres}; the diagnosis was {dx}",
            ])
        else:
            s = r.choice([f"{self.subj} was admitted for {dx}", f"The main problem this admission was {dx}",
                          f"Admitted with {dx}", f"{self.subj} was hospitalized with {dx}",
                          f"The principal diagnosis was {dx}", f"{_cap(dx)} was the reason for admission",
                          f"{self.subj} was treated for {dx}"])
        return (f"{s}; {treat}." if treat else f"{s}.") + course

    def procedure(self) -> str:
        r, p = self.rng, self.case.procedure_phrase
        frame = self.frame("procedure")
        if frame:
            return _cap(self.fill(frame, proc=p, day=r.randint(1, 3)))
        return r.choice([
            f"On hospital day {r.randint(1, 3)} {self.fill('{subj}')} underwent {p} without complication.",
            f"{self.subj} was taken to the OR for {p}, which was uncomplicated.",
            f"Underwent {p} on hospital day {r.randint(1, 3)}; estimated blood loss was minimal.",
        ])

    def severe(self, s: catalog.Secondary, style: str) -> str:
        r = self.rng
        src = r.choice(catalog.SEVERE_SECONDARIES) if self.decoy and r.random() < self.decoy else s
        phrase, detail = self.say(r.choice(s.phrases)), self.shorthand(self.fill(r.choice(src.details)))
        if line := self.listed_frame("severe", style, phrase=phrase, detail=detail):
            return line
        if style == "terse":
            return r.choice([f"c/b {phrase}. {_cap(detail)}.", f"Also {phrase} - {detail}.", f"{_cap(phrase)}: {detail}."])
        if style != "narrative":
            return f"# {_cap(phrase)}: {detail}."
        frame = self.frame("severe")
        if frame:
            return _cap(self.fill(frame, phrase=phrase, detail=detail))
        return r.choice([
            f"Course was complicated by {phrase}; {detail}.",
            f"{self.subj} was also found to have {phrase}, {detail}.",
            f"{_cap(phrase)} was noted on admission; {detail}.",
            f"Hospital course was notable for {phrase} ({detail}).",
            f"{self.subj} additionally developed {phrase}; {detail}.",
            f"Secondary issues included {phrase}: {detail}.",
        ])

    def chronic(self, s: catalog.Secondary, style: str) -> str:
        r = self.rng
        phrase, detail = self.say(r.choice(s.phrases)), self.shorthand(r.choice(s.details))
        if line := self.listed_frame("chronic", style, phrase=phrase, detail=detail):
            return line
        if style == "terse":
            return f"{_cap(phrase)} - {detail}."
        if style != "narrative":
            return f"# {_cap(phrase)}: {detail}."
        frame = self.frame("chronic")
        if frame:
            return _cap(self.fill(frame, phrase=phrase, detail=detail))
        return r.choice([f"For {phrase}, {detail}.", f"Chronic {phrase} was stable; {detail}.",
                         f"{_cap(phrase)}: {detail}."])

    def negated(self, s: catalog.Secondary, style: str) -> str:
        r = self.rng
        phrase = self.say(r.choice(s.phrases))
        if line := self.listed_frame("negated", style, phrase=phrase):
            return line
        if style == "terse":
            return r.choice([f"No {phrase}.", f"{_cap(phrase)} r/o.", f"Neg for {phrase}."])
        if style != "narrative":
            return r.choice([f"# Concern for {phrase}: ruled out, no treatment needed.",
                             f"# Possible {phrase}: excluded on workup."])
        frame = self.frame("negated")
        if frame:
            return _cap(self.fill(frame, phrase=phrase))
        return r.choice([f"There was initial concern for {phrase}, but this was ruled out.",
                         f"No evidence of {phrase} on workup.",
                         f"{_cap(phrase)} was considered and excluded.",
                         f"{self.subj} did not have {phrase}."])

    def history(self, s: catalog.Secondary) -> str:
        r = self.rng
        phrase, year = self.say(r.choice(s.phrases)), r.randint(2008, 2021)
        frame = self.frame("history")
        if frame:
            return _cap(self.fill(frame, phrase=phrase, year=year))
        return r.choice([f"Of note, {self.fill('{subj}')} had {phrase} in {year}, which resolved.",
                         f"Remote history of {phrase}, not active this admission.",
                         f"Prior admission in {year} for {phrase}; no recurrence.",
                         f"H/o {phrase} ({year}), resolved."])

    # --- assembly --------------------------------------------------------------------------
    def segments(self, n_filler: int) -> tuple[list[list[Segment]], str]:
        """Paragraphs of segments, and the style used."""
        c, r = self.case, self.rng
        style = r.choice(["narrative", "narrative", "problem", "soap", "terse"])
        problem_style = style in ("problem", "soap")
        main = [Segment(self.principal(style), "principal", c.pdx)]
        if c.procedures:
            proc = Segment(self.procedure(), "procedure", " ".join(c.procedures))
            main.append(proc)
        others = [Segment(self.severe(s, style), lvl.lower(), s.code) for s, lvl in c.severe
                  if s.code not in c.listed_only]
        others += [Segment(self.negated(s, style), "negated", s.code) for s in c.negated]
        if not problem_style:
            others += [Segment(self.chronic(s, style), "chronic", s.code) for s in c.chronic]
        others += [Segment(self.history(s), "history", s.code) for s in c.history[1:]]
        pool = catalog.FILLER + (self.clinician.frames.get("filler", ()) if self.clinician else ())
        fillers = [Segment(self.fill(t)) for t in r.sample(pool, min(n_filler, len(pool)))]
        fillers += [Segment(s) for s in self.english]
        if r.random() < 0.6:
            fillers.insert(0, Segment(self.fill(r.choice(catalog.LAB_SENTENCES))))
        r.shuffle(others)
        opener = Segment(self.opener(style))
        listed = [(lvl.lower(), s.code) for s, lvl in c.severe if s.code in c.listed_only]
        opener.extra = listed
        if problem_style:
            items = main + others
            if r.random() < 0.3:  # the principal problem is not always listed first
                first = items.pop(0)
                items.insert(r.randint(0, len(items)), first)
            if style == "soap":
                for k, seg in enumerate(items, 1):
                    seg.text = f"{k}. {seg.text[2:] if seg.text.startswith('# ') else seg.text}"
                paras = [[opener], [Segment("Assessment and Plan:"), *items]]
            else:
                paras = [[opener], *[[s] for s in items]]
            chronic = [Segment(self.chronic(s, style), "chronic", s.code) for s in c.chronic]
            if chronic:
                paras.append([Segment(r.choice(["CHRONIC ISSUES:", "Chronic problems:", "Stable chronic issues:"]))] + chronic)
            paras.append(fillers)
            return [p for p in paras if p], style
        body = main + others
        if r.random() < 0.3:  # sentence order: the principal sentence later in the note
            first = body.pop(0)
            body.insert(r.randint(0, len(body)), first)
        for f in fillers:
            body.insert(r.randint(len(main), len(body)), f)
        cut = r.randint(len(main), len(body))
        paras = [[opener] + body[:cut], body[cut:]]
        return [p for p in paras if p], style

    def render(self, n_filler: int, n_transitional: int, noise: float = 0.0) -> Note:
        paras, style = self.segments(n_filler)
        r = self.rng
        text, spans = HEADER, []
        for i, para in enumerate(paras):
            if i:
                text += "\n\n"
            listed = style in ("problem", "soap") and len(para) > 1 and para[0].text.endswith(":")
            sep = "\n" if listed or style == "terse" and r.random() < 0.5 else " "
            for j, seg in enumerate(para):
                if self.respell:  # the words outside the marked diagnoses, then the marks removed
                    parts = re.split(f"({KEEP_OPEN}.*?{KEEP_CLOSE})", seg.text)
                    seg.text = "".join(x if x.startswith(KEEP_OPEN) else self.respell(x, r, 0.25)
                                       for x in parts).replace(KEEP_OPEN, "").replace(KEEP_CLOSE, "")
                seg.text = lexicon.noisy(seg.text, r, noise)
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
