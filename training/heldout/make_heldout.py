#!/usr/bin/env python3
"""The held-out set of the demo model: notes written by a different method than its training generator.

    python -m training.heldout.make_heldout --out training/heldout/heldout.jsonl \
        [--corpus training/out/corpus [--scrub training/out/scrubbed]] [--cases 240] [--seed 18]

Why: the training generator (`training/synth`) says every condition in its catalog words and the
ICD-10-CM wordings it reads; a model scored only on that generator's own test split is scored on the
phrases it learned (issue 18). This script shares *nothing* with `training/synth` except the grouper
that labels a claim: its own hand-written table of how a clinician says each condition
(`PRINCIPALS`, `SECONDARIES`, `CHRONIC`), its own presenting complaints and treatments, its own
sentence templates (a plain narrative paragraph, or a short hand-off style note) and its own
negation and past-history forms ("Workup did not support ...", "... back in 2014"). Fifteen notes
in `HANDWRITTEN` are typed out whole.

Labels: each case's codes (principal, secondaries, procedures) are grouped by `drgpy` (MS-DRG v43)
and by `msdrg`; a case on which they disagree is dropped, as in the training generator.

`--corpus DIR` checks disjointness: no diagnosis phrase of this file (principal or secondary,
compared lower-cased) may occur verbatim in any note of DIR's train/validation/test split, nor in
the training generator's phrase lists; the script exits 1 naming each phrase that does.
`--scrub OUT` (with `--corpus`) instead writes DIR's notes less those that contain a phrase to OUT
and checks OUT: the outside sources of the generator's wording (HPO, WordNet) say a few conditions
the way this file does ("overactive thyroid"), and those notes must not be trained on.

Output: one JSON object per line (id, text, final_drg, drg_v34, pdx, secondaries, procedures,
source = "template" | "handwritten"), the format `drgcoder import --format jsonl` reads.
The set is never used for training or for choosing a model; it is the figure on the model card.
"""

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from training.synth.grouping import CrossCheck, Grouper  # noqa: E402


def _shared() -> Path:
    for base in Path(__file__).resolve().parents:
        if (base / "shared" / "reference").is_dir():
            return base / "shared" / "reference"
    sys.exit("make_heldout: cannot find shared/reference beside the checkout")


# code -> (ways a clinician names it, what brought the patient in, what was done); procedures as
# (PCS codes, how the note says the operation). Written by hand for this file only.
PRINCIPALS: dict[str, tuple] = {
    "I50.23": (["decompensated chronic systolic CHF", "acute decompensation of known HFrEF (EF 20%)"],
               ["three pillows to sleep and swollen legs", "gaining 12 pounds in two weeks"],
               ["she diuresed well on a furosemide drip", "IV Lasix twice daily, net negative 6 liters"]),
    "I50.33": (["acutely worsened heart failure with preserved ejection fraction", "HFpEF exacerbation with volume overload"],
               ["breathlessness climbing stairs", "leg edema up to the knees"],
               ["diuresed with IV bumetanide"]),
    "A41.51": (["E. coli urosepsis", "gram-negative bloodstream infection from a urinary source (E. coli)"],
               ["rigors and confusion", "fever to 39.6 and low blood pressure"],
               ["blood and urine grew E. coli; narrowed from cefepime to ceftriaxone"]),
    "A41.9": (["sepsis of unclear source", "septic picture without an identified focus"],
              ["fever, heart rate 130 and lactate 4"],
              ["pan-cultured, broad antibiotics, 3 L crystalloid"]),
    "J18.9": (["community-onset bacterial pneumonia of the right lower lobe", "multifocal lung infection"],
              ["productive cough with rusty sputum", "fevers and crackles at the left base"],
              ["ceftriaxone plus doxycycline, then oral amoxicillin-clavulanate"]),
    "J44.1": (["AECOPD", "acute worsening of his obstructive lung disease"],
              ["increased wheeze and purulent sputum"],
              ["duonebs every 4 hours, 5 days of prednisone"]),
    "I21.4": (["troponin-positive ACS without ST changes", "subendocardial infarct"],
              ["pressure-like chest pain at rest", "jaw pain and diaphoresis"],
              ["loaded with aspirin and ticagrelor, heparin infusion for 48 hours"]),
    "I63.512": (["left MCA territory ischemic infarct", "embolic stroke in the left middle cerebral artery distribution"],
                ["sudden right arm weakness and trouble finding words"],
                ["too late for thrombolysis; MRI showed restricted diffusion; started on a statin"]),
    "N39.0": (["complicated urinary infection", "bacterial infection of the urine"],
              ["burning on urination and foul-smelling urine"],
              ["IV ceftriaxone then oral cefpodoxime per sensitivities"]),
    "N10": (["pyelo (kidney infection)", "upper urinary tract infection involving the kidney"],
            ["high fevers and costovertebral angle tenderness"],
            ["IV ceftriaxone, transitioned to ciprofloxacin"]),
    "N17.9": (["acute renal insufficiency", "abrupt loss of kidney function"],
              ["creatinine of 3.9 from a baseline of 1.0"],
              ["held the ACE inhibitor and NSAIDs, gave IV fluids"]),
    "K85.90": (["acute inflammation of the pancreas", "non-biliary pancreatitis, mild"],
               ["boring epigastric pain through to the back with lipase over 3000"],
               ["NPO, IV lactated Ringer's, pain control, then advanced to a low-fat diet"]),
    "K92.2": (["GI hemorrhage of unclear source", "gastrointestinal blood loss"],
              ["black tarry stools and a hemoglobin of 6.9"],
              ["two units of blood; scopes from above and below found no active source"]),
    "K56.609": (["high-grade small-bowel blockage", "obstructed small intestine"],
                ["feculent vomiting and a distended abdomen"],
                ["NG tube to suction, serial exams, resolved without surgery"]),
    "E11.10": (["DKA in a patient with type 2 diabetes", "ketoacidosis in her type II diabetes"],
               ["glucose 610 with an anion gap of 24"],
               ["insulin infusion per protocol until the gap closed"]),
    "E86.0": (["volume depletion from poor intake", "low circulating volume"],
              ["dizziness on standing after days of vomiting"],
              ["rehydrated with 4 L of normal saline"]),
    "L03.115": (["right shin soft tissue infection", "infected, erythematous right lower leg"],
                ["a hot swollen red right leg with streaking"],
                ["IV vancomycin then oral doxycycline; margins receded"]),
    "R55": (["a vasovagal faint", "passing out at home"],
            ["brief loss of consciousness while standing in line"],
            ["orthostatics were positive and an echo was normal"]),
    "I48.91": (["new-onset afib with rapid ventricular response", "atrial fib with RVR"],
               ["a racing heartbeat at 160"],
               ["diltiazem drip then oral metoprolol; apixaban started"]),
    "F10.239": (["EtOH withdrawal with tremulousness", "withdrawal from heavy drinking"],
                ["shakes and sweats 24 hours after his last drink"],
                ["symptom-triggered lorazepam, thiamine and folate"]),
    "K70.31": (["alcohol-related cirrhosis with tense ascites", "decompensated alcoholic liver disease with fluid in the belly"],
               ["a tight distended abdomen"],
               ["large-volume paracentesis of 6 L with albumin"]),
    "D50.0": (["iron deficiency from chronic blood loss", "microcytic anemia from slow GI losses"],
              ["hemoglobin 6.1 and profound fatigue"],
              ["transfused and given IV iron sucrose"]),
    "G40.909": (["breakthrough convulsions in known epilepsy", "generalized seizure with postictal confusion"],
                ["a witnessed shaking episode at home"],
                ["levetiracetam was increased; EEG without ongoing seizures"]),
    "I26.99": (["segmental pulmonary emboli", "blood clots in the lung arteries"],
               ["sudden breathlessness and pleuritic pain"],
               ["CT angiogram positive; heparin drip bridged to rivaroxaban"]),
    "M62.82": (["muscle breakdown (CK 38,000)", "rhabdo after being found down"],
               ["being found on the floor after an unknown down time"],
               ["high-rate IV fluids until the CK trended down"]),
    "T40.2X1A": (["unintentional oxycodone overdose", "accidental opioid poisoning"],
                 ["pinpoint pupils and a respiratory rate of 6"],
                 ["naloxone in the field and a naloxone drip overnight"]),
    "A08.4": (["stomach flu", "a GI bug"],
              ["watery diarrhea and vomiting since yesterday"],
              ["IV fluids and ondansetron"]),
    "E87.6": (["profound low potassium (K 2.3)", "severe potassium depletion"],
              ["muscle weakness and palpitations"],
              ["IV and oral potassium repletion with telemetry"]),
    "I16.0": (["hypertensive urgency with BP 232/124", "markedly elevated blood pressure without end-organ injury"],
              ["headache and blurred vision"],
              ["oral agents resumed and uptitrated"]),
    "R53.1": (["generalized deconditioning", "weakness without a unifying cause"],
              ["unable to get out of her chair"],
              ["PT/OT, labs unremarkable, discharged to rehab"]),
    "G45.9": (["transient focal neurologic episode", "ministroke with full recovery"],
              ["20 minutes of left hand numbness and clumsiness"],
              ["MRI negative, dual antiplatelet for 21 days"]),
    "N20.1": (["obstructing 6 mm ureteral calculus", "stone lodged in the right ureter"],
              ["writhing right flank pain"],
              ["tamsulosin and analgesia; passed the stone on day 2"]),
    "J45.901": (["asthma attack", "status asthmaticus, mild"],
                ["chest tightness after a cold"],
                ["continuous albuterol and a steroid burst"]),
    "F20.9": (["decompensated schizophrenia", "psychotic relapse of schizophrenia"],
              ["command hallucinations after stopping medications"],
              ["psychiatry restarted risperidone"]),
    "C34.90": (["newly diagnosed lung adenocarcinoma", "primary lung malignancy"],
               ["weight loss and coughing up blood"],
               ["bronchoscopic biopsy and staging PET were arranged"]),
    "I73.9": (["peripheral vascular disease with claudication", "poor arterial flow to the legs"],
              ["calf pain after half a block"],
              ["ABI 0.5, vascular surgery plans angiography"]),
    "J90": (["large pleural fluid collection", "right-sided pleural fluid"],
            ["dullness at the right base and dyspnea"],
            ["ultrasound-guided tap of 1.5 L, transudate"]),
    "U07.1": (["SARS-CoV-2 infection with hypoxia", "COVID with low oxygen levels"],
              ["cough, fever and an oxygen saturation of 87%"],
              ["dexamethasone and supplemental oxygen"]),
    "D57.00": (["sickle cell pain crisis", "vaso-occlusive crisis in HbSS"],
               ["diffuse bone pain"],
               ["PCA hydromorphone and IV fluids"]),
    "E05.90": (["hyperthyroid state with tremor", "overactive thyroid"],
               ["tremor, weight loss and heat intolerance"],
               ["methimazole and propranolol started"]),
    "K25.4": (["bleeding gastric ulcer", "hemorrhage from a stomach ulcer"],
              ["coffee-ground emesis"],
              ["endoscopic clipping and a pantoprazole infusion"]),
    "T78.3XXA": (["angioedema of the lips and tongue", "swelling of the face and airway concerning for angioedema"],
                 ["a swollen tongue and hoarse voice"],
                 ["observed in the ICU, steroids and antihistamines"]),
    "G30.9": (["Alzheimer's dementia with behavioral decline", "progressive Alzheimer disease"],
              ["getting lost and agitation at night"],
              ["neurology adjusted donepezil; placement arranged"]),
}

# Surgical cases: (principal, PCS codes, diagnosis words, procedure words).
SURGICAL: tuple[tuple[str, tuple[str, ...], list[str], list[str]], ...] = (
    ("S72.001A", ("0QS604Z",), ["fractured right femoral neck", "right hip fx after a trip"],
     ["open fixation of the hip", "operative repair with plate and screws"]),
    ("K80.00", ("0FT44ZZ",), ["acute calculous cholecystitis", "inflamed gallbladder full of stones"],
     ["laparoscopic gallbladder removal", "keyhole surgery to take out the gallbladder"]),
    ("K35.80", ("0DTJ4ZZ",), ["inflamed appendix", "acute appendiceal inflammation"],
     ["laparoscopic removal of the appendix", "keyhole appendix removal"]),
    ("M17.11", ("0SRC0J9",), ["right knee OA, bone on bone", "end-stage arthritis of the right knee"],
     ["elective right knee replacement", "total right knee replacement"]),
    ("I25.10", ("027034Z",), ["native-vessel coronary disease", "two-vessel coronary disease"],
     ["cath with a DES placed in the mid LAD", "angiogram and stenting of one coronary artery"]),
    ("C61", ("0VT04ZZ",), ["prostate adenocarcinoma, Gleason 7"], ["robotic removal of the prostate"]),
)

# Secondary conditions that count as CC or MCC (the grouper says which, per principal).
SECONDARIES: dict[str, tuple[list[str], list[str]]] = {
    "N17.9": (["acute renal insufficiency", "a creatinine bump to 2.7"], ["improved with fluids"]),
    "E87.1": (["low sodium (Na 123)", "hypotonic hyponatremia"], ["fluid restricted"]),
    "J96.01": (["hypoxemic respiratory failure requiring high-flow oxygen", "respiratory failure needing 6 L"], ["weaned off by day 3"]),
    "D62": (["anemia from acute blood loss", "hemorrhagic anemia needing a transfusion"], ["transfused 2 units"]),
    "E43": (["severe protein-energy malnutrition", "marked undernutrition with temporal wasting"], ["dietitian followed"]),
    "G93.41": (["acute metabolic encephalopathy", "metabolic confusion"], ["cleared with treatment"]),
    "F05": (["an acute confusional episode", "sundowning delirium in hospital"], ["managed without restraints"]),
    "I48.20": (["long-standing AF on anticoagulation", "AF that is permanent"], ["rate controlled"]),
    "N18.4": (["advanced (stage IV) chronic renal disease", "CKD 4 with eGFR 22"], ["renally dosed meds"]),
    "N18.6": (["dialysis-dependent kidney failure", "ESKD on HD"], ["HD Tue/Thu/Sat continued"]),
    "I50.22": (["compensated chronic HFrEF (EF 30%)", "chronic systolic dysfunction, EF 30 percent"], ["home beta blocker continued"]),
    "J69.0": (["pneumonitis from aspirated gastric contents", "aspiration of food with lung infection"], ["ampicillin-sulbactam"]),
    "N39.0": (["urinary infection", "symptomatic bacteriuria"], ["treated with ceftriaxone"]),
    "I82.401": (["clot in the right femoral vein", "right leg venous thrombosis"], ["started on apixaban"]),
    "R65.21": (["shock from sepsis requiring pressors", "septic shock on norepinephrine"], ["pressors off by day 2"]),
    "D68.32": (["warfarin-associated coagulopathy (INR 6)", "over-anticoagulation with INR 7"], ["vitamin K given"]),
    "E87.20": (["acidemia with bicarbonate 13", "low serum bicarbonate acidosis"], ["bicarbonate drip"]),
    "F10.239": (["alcohol withdrawal tremors", "withdrawing from alcohol on CIWA"], ["lorazepam per scale"]),
}

# Conditions that are neither CC nor MCC (checked against the grouper at run time).
CHRONIC: dict[str, list[str]] = {
    "I10": ["high blood pressure", "essential HTN on two agents"],
    "E78.5": ["high cholesterol", "dyslipidemia on a statin"],
    "E11.9": ["non-insulin-dependent diabetes", "diet-controlled sugar diabetes"],
    "K21.9": ["reflux", "heartburn on a PPI"],
    "E03.9": ["low thyroid", "underactive thyroid on Synthroid"],
    "G47.33": ["sleep apnea on CPAP", "OSA on nightly CPAP"],
    "F32.A": ["low mood", "depressive disorder on an SSRI"],
    "M19.90": ["arthritis of both knees", "degenerative joint pain"],
}

NEGATED = ["Workup did not support {x}.", "{X} was a worry early on but imaging was reassuring.",
           "We looked for {x} and found none.", "{X}? Not on this admission."]
HISTORY = ["{X} back in {year}, fully recovered.", "Was hospitalized for {x} in {year}; no recurrence since.",
           "Years ago she had {x}."]
ACUTE_FOR_NEGATION = ["N17.9", "J96.01", "F05", "I82.401", "R65.21", "J69.0"]


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def narrative(rng, age, sex, pmh, dx, pres, treat, proc, extras, negs, hist):
    who = rng.choice([f"{age}-year-old {'woman' if sex == 'F' else 'man'}", f"{age} yo {'lady' if sex == 'F' else 'gentleman'}"])
    known = f" known for {', '.join(pmh)}" if pmh else ""
    parts = [rng.choice([f"This {who}{known} came in because of {pres}.",
                         f"Pleasant {who}{known} who arrived with {pres}."])]
    parts.append(rng.choice([f"Found to have {dx}.", f"Diagnosis: {dx}.", f"Ultimately this was {dx}."]))
    if proc:
        parts.append(rng.choice([f"Went for {proc} on day {rng.randint(1, 2)}.", f"Had {proc} the next morning."]))
    parts.append(_cap(treat) + ".")
    for phrase, detail in extras:
        parts.append(rng.choice([f"Stay also notable for {phrase}, {detail}.", f"In addition, {phrase} ({detail}).",
                                 f"We also managed {phrase}; {detail}."]))
    parts += negs + hist
    parts.append(rng.choice(["Home in good condition.", "Discharged home with her daughter.",
                             "Ready for discharge on day 4.", "Went home with follow-up arranged."]))
    return " ".join(parts)


def handoff(rng, age, sex, pmh, dx, pres, treat, proc, extras, negs, hist):
    lines = [f"{age}{'yo F' if sex == 'F' else 'yo M'}" + (f", h/o {'; '.join(pmh)}" if pmh else "") + ".",
             f"Reason for stay: {dx}.", f"Story: {pres}."]
    if proc:
        lines.append(f"OR: {proc}.")
    lines.append(f"What we did: {treat}.")
    lines += [f"Also: {p} - {d}." for p, d in extras]
    lines += negs + hist
    lines.append("Dispo: home.")
    return "\n".join(lines)


def template_case(rng, grouper):
    surgical = rng.random() < 0.15
    if surgical:
        pdx, procs, dx_words, proc_words = rng.choice(SURGICAL)
        dx, proc = rng.choice(dx_words), rng.choice(proc_words)
        pres, treat = "pain limiting daily life", "recovered well on the surgical floor"
    else:
        pdx = rng.choice(sorted(PRINCIPALS))
        words, presentations, treatments = PRINCIPALS[pdx]
        dx, pres, treat, procs, proc = rng.choice(words), rng.choice(presentations), rng.choice(treatments), (), ""
    sex = "M" if pdx == "C61" else rng.choice("MF")
    age = rng.randint(22, 94)
    target = rng.choice(["none", "CC", "MCC"])
    pool = [c for c in SECONDARIES if c[:3] != pdx[:3]]
    rng.shuffle(pool)
    chosen = []
    for code in pool:
        level = grouper.severity(pdx, code)
        if target == "MCC" and level == "MCC" and not any(l == "MCC" for _, l in chosen):
            chosen.append((code, level))
        elif target in ("CC", "MCC") and level == "CC" and len([1 for _, l in chosen if l == "CC"]) < (1 if target == "MCC" else 2):
            chosen.append((code, level))
        if target == "none" or (target == "CC" and len(chosen) >= 1 and rng.random() < 0.6) or \
                (target == "MCC" and any(l == "MCC" for _, l in chosen)):
            break
    extras = [(rng.choice(SECONDARIES[c][0]), rng.choice(SECONDARIES[c][1])) for c, _ in chosen]
    chronic = rng.sample(sorted(CHRONIC), rng.randint(0, 3))
    chronic = [c for c in chronic if not grouper.level(c)]
    pmh = [rng.choice(CHRONIC[c]) for c in chronic]
    used = {c[:3] for c, _ in chosen} | {pdx[:3]}
    negs = [rng.choice(NEGATED).format(x=w, X=_cap(w)) for w in
            [rng.choice(SECONDARIES[c][0]) for c in ACUTE_FOR_NEGATION if c[:3] not in used and rng.random() < 0.12]]
    hist = [rng.choice(HISTORY).format(x=w, X=_cap(w), year=rng.randint(2005, 2020)) for w in
            [rng.choice(SECONDARIES[c][0]) for c in ACUTE_FOR_NEGATION if c[:3] not in used and rng.random() < 0.08]]
    write = rng.choice([narrative, narrative, handoff])
    text = "Brief Hospital Course:\n" + write(rng, age, sex, pmh, dx, pres, treat, proc, extras, negs, hist) + "\n"
    secondaries = [c for c, _ in chosen] + chronic
    return {"pdx": pdx, "secondaries": secondaries, "procedures": list(procs), "sex": sex, "age": age, "text": text,
            "phrases": [dx] + [p for p, _ in extras]}


# Notes typed out whole (pdx, secondaries, procedures, sex, age, text).
HANDWRITTEN = (
    ("I50.23", ["N17.9"], [], "F", 78, "Brief Hospital Course:\n78F with ischemic cardiomyopathy admitted with acute on chronic systolic congestive heart failure after running out of her diuretic. Weight up 5 kg. Diuresed with IV furosemide 80 mg BID with good response. Course c/b a kidney injury with creatinine peaking at 2.4, back to 1.3 at discharge. Discharged on torsemide 40 daily.\n"),
    ("A41.51", ["N39.0"], [], "F", 84, "Brief Hospital Course:\nMrs ___ is an 84 year old nursing home resident brought in febrile and hypotensive. E. coli urosepsis - blood and urine cultures both grew pan-sensitive E. coli. She was fluid resuscitated and treated with ceftriaxone with rapid improvement; completed a 10 day course. Returned to her facility.\n"),
    ("J18.9", [], [], "M", 46, "Brief Hospital Course:\nOtherwise healthy 46 year old man with 4 days of fever and cough. Chest film showed a left lower lobe consolidation. Treated for community acquired PNA with ceftriaxone/azithro, afebrile after 48 h, discharged on oral antibiotics.\n"),
    ("K85.90", ["E87.1"], [], "M", 52, "Brief Hospital Course:\n52M, heavy drinker, with severe epigastric pain and lipase 4,200. CT: edematous pancreas, no necrosis. Managed with aggressive fluids and IV hydromorphone. Sodium was low at 125 on admission (beer potomania) and was corrected slowly. Tolerating a low fat diet at discharge.\n"),
    ("I21.4", [], [], "M", 67, "Brief Hospital Course:\n67 year old male presenting with chest tightness; troponin rose from 0.08 to 2.1 with lateral ST depressions. NSTEMI. Cardiac cath showed distal disease not amenable to intervention; medical management with DAPT, high intensity statin and metoprolol. Echo EF 50%.\n"),
    ("N10", [], [], "F", 29, "Brief Hospital Course:\n29F with fever 39.4, right flank pain and pyuria. Acute pyelonephritis. Unable to keep orals down so admitted for IV ceftriaxone. Renal ultrasound without hydronephrosis. Switched to cefpodoxime on day 2.\n"),
    ("J44.1", ["J96.01"], [], "M", 71, "Brief Hospital Course:\n71M former smoker (60 pack-years) with severe emphysema, presenting with a COPD exacerbation after a viral URI. He was hypoxemic to 82% and required BiPAP overnight for acute hypoxic resp failure. Steroids, nebs and azithromycin; back to his baseline 2L by discharge.\n"),
    ("I63.9", [], [], "F", 80, "Brief Hospital Course:\n80 yo woman found by family with new left sided weakness and slurred speech, last known well >12 h. MRI confirmed an acute right hemispheric infarct. Not a tPA candidate. Started on aspirin and atorvastatin, swallow eval passed. To acute rehab.\n"),
    ("K56.609", [], [], "F", 63, "Brief Hospital Course:\n63F with prior hysterectomy presenting with vomiting and abdominal distension; CT showed a small bowel obstruction with a transition point. Managed non operatively with NGT decompression and bowel rest; gastrografin challenge passed and diet advanced.\n"),
    ("E11.10", [], [], "M", 34, "Brief Hospital Course:\n34 y/o man with poorly controlled type 2 DM, off insulin for a month, presenting with vomiting. Glucose 540, bicarbonate 9, anion gap 26, positive ketones: diabetic ketoacidosis. Insulin drip in the ICU overnight, gap closed by morning, transitioned to glargine and lispro.\n"),
    ("L03.116", [], [], "M", 58, "Brief Hospital Course:\n58 yo diabetic man with a red, hot, swollen left leg from the ankle to the knee, febrile to 38.5. Left lower extremity cellulitis. Treated with IV cefazolin; erythema receded within the marked borders and he went home on cephalexin.\n"),
    ("F10.239", [], [], "M", 49, "Brief Hospital Course:\n49M who drinks a fifth of vodka daily presented tremulous and diaphoretic 18 hours after his last drink. Alcohol withdrawal, CIWA maxed at 22; treated with phenobarbital load and thiamine. Social work and addiction consult saw him before discharge.\n"),
    ("I48.91", [], [], "F", 75, "Brief Hospital Course:\n75 year old woman with palpitations, found in atrial fibrillation with rates in the 150s. Rate controlled with IV diltiazem then oral metoprolol; CHA2DS2-VASc 4 so apixaban was started. TSH normal, echo with preserved EF.\n"),
    ("N17.9", ["E87.1"], [], "M", 82, "Brief Hospital Course:\n82M with poor oral intake for a week on lisinopril and HCTZ, creatinine 3.6 from baseline 1.1 and sodium 126. Acute kidney injury (prerenal) and hyponatremia from thiazide and poor intake; both improved with IV saline and holding his antihypertensives.\n"),
    ("K92.2", ["D62"], [], "F", 69, "Brief Hospital Course:\n69F on aspirin and apixaban with 2 days of melena, hemoglobin 6.8 from 11. Upper GI bleeding; transfused 3 units for acute blood loss anemia. EGD showed a duodenal bulb erosion, treated with epinephrine and clips. PPI BID. Apixaban resumed on discharge.\n"),
)


def disjointness_problems(phrases: set[str], corpus: Path | None) -> list[str]:
    """Diagnosis phrases of this file that occur verbatim (lower-cased) in the training notes or in
    the training generator's own phrase lists."""
    from training.synth import catalog, lexicon
    vocab = set()
    for f in catalog.FAMILIES:
        vocab |= {w.lower() for w in f.synonyms}
    for s in catalog.SEVERE_SECONDARIES + catalog.DISTRACTORS:
        vocab |= {w.lower() for w in s.phrases + lexicon.icd_variants(s.code)}
    vocab |= {w.lower() for ws in catalog.CODE_SYNONYMS.values() for w in ws}
    problems = [f"{p!r} is a training-generator phrase" for p in sorted(phrases) if p.lower() in vocab]
    if corpus:
        texts = []
        for split in ("train", "validation", "test"):
            with open(corpus / f"{split}.jsonl") as f:
                texts += [json.loads(line)["text"].lower() for line in f]
        blob = "\n".join(texts)
        problems += [f"{p!r} occurs in a training-corpus note" for p in sorted(phrases) if p.lower() in blob]
    return problems


def scrub(phrases: set[str], corpus: Path, out: Path) -> None:
    """Copies `corpus`'s splits to `out` without the notes that contain a diagnosis phrase of this
    file (lower-cased, anywhere): an outside source such as HPO or WordNet may say a condition the
    way this file does ("overactive thyroid"), and such a note would be a held-out phrase seen in
    training. Prints how many notes each phrase cost."""
    lowered = sorted(p.lower() for p in phrases)
    out.mkdir(parents=True, exist_ok=True)
    dropped: dict[str, int] = {}
    for split in ("train", "validation", "test"):
        with open(corpus / f"{split}.jsonl") as src, open(out / f"{split}.jsonl", "w") as dst:
            for line in src:
                text = json.loads(line)["text"].lower()
                hit = next((p for p in lowered if p in text), None)
                if hit is None:
                    dst.write(line)
                else:
                    dropped[hit] = dropped.get(hit, 0) + 1
    print(json.dumps({"scrubbed": str(out), "notes_dropped": dropped}))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=Path("training/heldout/heldout.jsonl"))
    ap.add_argument("--corpus", type=Path, help="training corpus to check disjointness against")
    ap.add_argument("--scrub", type=Path,
                    help="with --corpus: write its notes that contain none of the diagnosis phrases here "
                         "(train/validation/test.jsonl) instead of failing on them")
    ap.add_argument("--cases", type=int, default=240)
    ap.add_argument("--seed", type=int, default=18)
    args = ap.parse_args(argv)
    grouper, cross = Grouper(_shared()), CrossCheck()
    rng = random.Random(args.seed)
    rows, dropped = [], 0

    def label(c):
        drg = grouper.group(c["pdx"], c["secondaries"], c["procedures"], c["sex"])
        return drg if cross.agrees(drg, c["pdx"], c["secondaries"], c["procedures"], c["sex"], c["age"]) else None

    for k, (pdx, sdx, procs, sex, age, text) in enumerate(HANDWRITTEN):
        c = {"pdx": pdx, "secondaries": sdx, "procedures": procs, "sex": sex, "age": age, "text": text}
        drg = label(c)
        if drg is None:
            dropped += 1
            continue
        rows.append({"id": f"heldout-hand-{k:03d}", "source": "handwritten", **c, "final_drg": drg})
    phrases = set()
    for k in range(args.cases):
        c = template_case(rng, grouper)
        phrases |= set(c.pop("phrases"))
        drg = label(c)
        if drg is None or drg == "000":
            dropped += 1
            continue
        rows.append({"id": f"heldout-{args.seed}-{k:04d}", "source": "template", **c, "final_drg": drg})
    for r in rows:
        r["drg_v34"] = grouper.v34_code(r["final_drg"])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w") as f:
        for r in rows:
            keep = ["id", "text", "final_drg", "drg_v34", "pdx", "secondaries", "procedures", "source"]
            f.write(json.dumps({k: r[k] for k in keep}, separators=(",", ":")) + "\n")
    print(json.dumps({"written": len(rows), "dropped_grouper_disagreement": dropped,
                      "drgs": len({r["final_drg"] for r in rows}), "diagnosis_phrases": len(phrases)}))
    if args.scrub and args.corpus:
        scrub(phrases, args.corpus, args.scrub)
        args.corpus = args.scrub
    problems = disjointness_problems(phrases, args.corpus)
    for p in problems:
        print(f"make_heldout: {p}", file=sys.stderr)
    if problems:
        sys.exit(1)
    if args.corpus:
        print(f"make_heldout: none of the {len(phrases)} diagnosis phrases occurs in the training generator's "
              f"lists or in {args.corpus}'s notes")


if __name__ == "__main__":
    main()
