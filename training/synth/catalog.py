"""What a synthetic note can say: DRG families, secondary diagnoses, distractors and filler.

Each *family* lists principal diagnoses (ICD-10-CM, dotted) or principal-diagnosis/procedure pairs
(ICD-10-PCS) that the v43 grouper sends to one base DRG (checked at generation time: a case whose
grouping falls outside what the family expects is still kept with the grouper's DRG, because the
grouper, not this table, is the ground truth). A family also gives the words a clinician would use:
`synonyms` (said instead of the ICD title), `presentations` and `treatments` (clauses that only ever
appear *inside* the principal-diagnosis sentence, so they are part of its ground-truth span).

Secondary diagnoses that are CC or MCC in v43 have their own phrasing and detail clauses; chronic
*distractors* (non-CC) are mentioned with their management but never change the DRG. `acute=True`
secondaries may also appear as negated or past-history mentions, which are not coded; `chronic=True`
CC/MCC secondaries are sometimes stated only in the opening past-medical-history list, beside
non-CC conditions and "remote" (resolved, uncoded) ones, and then count from there.

Everything here is deliberately family-agnostic except `FAMILIES`; filler sentences are drawn
independently of the family so no sentence outside the ground-truth spans identifies the DRG.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Family:
    name: str
    principals: tuple[str, ...] = ()
    pairs: tuple[tuple[str, tuple[str, ...], str], ...] = ()  # (pdx, PCS codes, procedure phrase)
    synonyms: tuple[str, ...] = ()
    presentations: tuple[str, ...] = ()
    treatments: tuple[str, ...] = ()
    sex: str = ""  # "M" or "F" when the family requires one


def fam(name, principals=(), synonyms=(), presentations=(), treatments=(), pairs=(), sex=""):
    return Family(name, tuple(principals), tuple(pairs), tuple(synonyms), tuple(presentations),
                  tuple(treatments), sex)


FAMILIES: tuple[Family, ...] = (
    fam("stroke", ["I63.9", "I63.512", "I63.411", "I61.9"], ["stroke", "CVA"],
        ["acute onset right-sided weakness and aphasia", "left facial droop and slurred speech"],
        ["MRI confirmed the lesion and neurology followed", "she was outside the tPA window and started on aspirin and a statin"]),
    fam("seizure", ["G40.909", "R56.9", "G40.901"], ["seizure", "breakthrough seizure"],
        ["a witnessed generalized tonic-clonic episode", "an episode of unresponsiveness with tongue biting"],
        ["levetiracetam was loaded and EEG showed no ongoing epileptiform activity"]),
    fam("headache", ["G43.909", "R51.9", "G44.209"], ["intractable headache", "migraine"],
        ["severe throbbing headache with photophobia", "two days of bilateral headache"],
        ["treated with a migraine cocktail of IV metoclopramide and diphenhydramine", "CT head was negative and pain resolved with IV fluids and ketorolac"]),
    fam("copd", ["J44.1", "J44.0"], ["COPD", "chronic obstructive pulmonary disease"],
        ["worsening dyspnea, wheezing and increased sputum", "progressive shortness of breath over three days"],
        ["treated with nebulized albuterol-ipratropium, prednisone 40 mg and azithromycin"]),
    fam("pneumonia", ["J18.9", "J15.9", "J13", "J18.1"], ["community-acquired pneumonia", "CAP", "pneumonia"],
        ["fever, productive cough and a right lower lobe infiltrate on chest x-ray", "cough, pleuritic chest pain and fever to 38.9"],
        ["started on ceftriaxone and azithromycin with clinical improvement", "treated with IV antibiotics and transitioned to oral cefpodoxime"]),
    fam("pe", ["I26.99", "I26.92", "I26.09"], [],
        ["acute pleuritic chest pain and tachycardia", "sudden dyspnea with an oxygen requirement"],
        ["CTA chest showed segmental filling defects and a heparin drip was started, then apixaban"]),
    fam("resp_infection", ["J69.0", "J85.1", "J86.9", "U07.1"], ["respiratory infection", "lower respiratory tract infection"],
        ["fevers, hypoxia and a new infiltrate", "productive cough and fever"],
        ["treated with IV ampicillin-sulbactam", "pulmonary was consulted and antibiotics were continued"]),
    fam("lung_cancer", ["C34.90", "C34.11", "C34.31"], ["lung cancer", "NSCLC"],
        ["hemoptysis and weight loss", "a lung mass found on outpatient imaging"],
        ["oncology was consulted and staging imaging was obtained"]),
    fam("pleural", ["J90", "J91.8", "J94.8"], ["pleural effusion", "effusion"],
        ["dyspnea and a large effusion on chest x-ray", "pleuritic pain and decreased breath sounds"],
        ["a diagnostic and therapeutic thoracentesis removed 1.2 L of fluid"]),
    fam("asthma", ["J45.901", "J20.9", "J45.51"], ["bronchospastic illness"],
        ["wheezing and chest tightness", "cough and wheeze after a viral illness"],
        ["treated with nebulizers and a steroid burst"]),
    fam("hf", ["I50.23", "I50.33", "I50.43", "I11.0", "I50.21"], ["acute decompensated heart failure", "CHF exacerbation", "ADHF"],
        ["dyspnea on exertion, orthopnea and a 10 lb weight gain", "worsening lower extremity edema and BNP of 2400"],
        ["diuresed with IV furosemide to euvolemia", "treated with IV diuresis and guideline-directed therapy was optimized"]),
    fam("ami", ["I21.4", "I21.19", "I21.09", "I21.29"], ["acute myocardial infarction", "MI", "acute coronary syndrome"],
        ["substernal chest pressure with a rising troponin", "chest pain radiating to the left arm"],
        ["cardiology recommended medical management with heparin, aspirin, clopidogrel and a statin"]),
    fam("arrhythmia", ["I48.91", "I48.0", "I47.10", "I49.5"], ["arrhythmia", "tachyarrhythmia"],
        ["palpitations with heart rates to the 150s", "lightheadedness and an irregular tachycardia"],
        ["rate controlled with IV then oral metoprolol and anticoagulation was discussed"]),
    fam("pvd", ["I73.9", "I70.213", "I74.3"], ["peripheral arterial disease", "PAD", "limb ischemia"],
        ["rest pain and a cool foot", "worsening claudication"],
        ["vascular surgery evaluated and a heparin drip was started"]),
    fam("athero", ["I25.10", "I25.110"], ["coronary artery disease", "CAD"],
        ["exertional chest discomfort", "anginal symptoms"],
        ["stress testing was performed and medical therapy was intensified"]),
    fam("htn", ["I16.0", "I16.1", "I10"], ["hypertensive crisis", "severely elevated blood pressure"],
        ["blood pressure of 220/120 with headache", "severely elevated blood pressures"],
        ["treated with IV labetalol then oral agents were uptitrated"]),
    fam("gi_bleed", ["K92.2", "K92.0", "K92.1", "K25.4"], ["GI bleed", "upper GI bleed", "GIB"],
        ["melena and a hemoglobin drop", "hematemesis and lightheadedness"],
        ["EGD was performed by GI, a PPI drip was started and she was transfused"]),
    fam("gi_obstruction", ["K56.609", "K56.7", "K56.699"], ["small bowel obstruction", "SBO"],
        ["nausea, vomiting and abdominal distension", "obstipation and crampy abdominal pain"],
        ["managed conservatively with NG tube decompression and bowel rest"]),
    fam("gastroenteritis", ["K52.9", "A08.4", "A09", "K29.70"], ["gastroenteritis", "acute gastritis"],
        ["nausea, vomiting and diarrhea", "epigastric pain and emesis"],
        ["treated with IV fluids and antiemetics"]),
    fam("other_digestive", ["K63.5", "K66.0"], [],
        ["abdominal discomfort", "intermittent abdominal pain"],
        ["GI was consulted and managed supportively"]),
    fam("peritonitis", ["K65.0", "K63.1"], [],
        ["diffuse abdominal pain with guarding", "fever and peritoneal signs"],
        ["treated with IV piperacillin-tazobactam and surgery followed"]),
    fam("gi_malig", ["C18.9", "C25.9", "C16.9", "C22.0"], [],
        ["weight loss and abdominal pain", "anemia and early satiety"],
        ["oncology was consulted for treatment planning"]),
    fam("cirrhosis", ["K70.31", "K74.60", "K70.11", "K70.30"], ["decompensated cirrhosis", "cirrhosis", "alcoholic hepatitis"],
        ["increasing abdominal girth and jaundice", "confusion and ascites"],
        ["treated with lactulose, rifaximin and diuretics and hepatology followed"]),
    fam("liver", ["K75.9", "K71.6", "K76.89"], ["hepatitis", "liver injury"],
        ["elevated transaminases and malaise", "right upper quadrant discomfort"],
        ["hepatology was consulted and offending agents were stopped"]),
    fam("pancreas", ["K85.90", "K85.10", "K85.20", "K86.1"], ["pancreatitis"],
        ["epigastric pain radiating to the back and a lipase of 2100", "severe epigastric pain and vomiting"],
        ["managed with aggressive IV fluids, pain control and advancing diet"]),
    fam("biliary", ["K81.0", "K80.00", "K83.09"], ["biliary disease", "biliary tract disease"],
        ["right upper quadrant pain and fever", "RUQ pain after meals"],
        ["treated with IV antibiotics and surgery deferred cholecystectomy"]),
    fam("renal_failure", ["N17.9", "N17.0"], ["acute kidney injury", "AKI"],
        ["oliguria with creatinine of 4.2", "poor oral intake and rising creatinine"],
        ["nephrology followed and renal function improved with IV fluids"]),
    fam("uti", ["N39.0", "N10", "N30.00"], ["urinary tract infection", "UTI", "pyelonephritis"],
        ["dysuria, frequency and flank pain", "fever and suprapubic tenderness"],
        ["urine culture grew E. coli and she was treated with ceftriaxone then oral antibiotics"]),
    fam("diabetes", ["E11.65", "E11.10", "E10.10", "E11.649"], ["uncontrolled diabetes", "diabetic decompensation"],
        ["polyuria and a glucose of 560", "vomiting with an anion gap acidosis"],
        ["managed with an insulin drip and transitioned to basal-bolus insulin"]),
    fam("electrolytes", ["E86.0", "E87.6", "E83.52"], ["dehydration", "electrolyte derangement"],
        ["weakness and poor oral intake", "fatigue and muscle cramps"],
        ["repleted and rehydrated with IV fluids"]),
    fam("endocrine", ["E05.90", "E27.2", "E06.3", "E21.0"], ["endocrine disorder", "thyroid disease"],
        ["fatigue and weight change", "palpitations and tremor"],
        ["endocrinology was consulted and therapy was adjusted"]),
    fam("sepsis", ["A41.9", "A41.51", "A41.01", "A41.50"], ["sepsis", "septicemia"],
        ["fever, tachycardia and hypotension", "rigors with a lactate of 3.1"],
        ["blood cultures were drawn and broad-spectrum vancomycin and cefepime were started"]),
    fam("postop_infection", ["T81.41XA", "T81.42XA", "T81.49XA"], ["surgical site infection", "postoperative wound infection"],
        ["erythema and drainage from a recent incision", "fever after recent surgery"],
        ["the wound was opened and packed and IV antibiotics were given"]),
    fam("viral", ["B34.9", "B33.8"], ["viral syndrome", "viral illness"],
        ["fevers, myalgias and malaise", "fever and body aches"],
        ["supportive care with fluids and antipyretics"]),
    fam("cellulitis", ["L03.115", "L03.90", "L03.116", "L03.311"], ["cellulitis"],
        ["spreading erythema, warmth and swelling", "a painful red swollen area"],
        ["treated with IV cefazolin and transitioned to oral cephalexin"]),
    fam("skin_ulcer", ["L89.154", "L97.519", "L89.314"], ["pressure ulcer", "chronic skin ulcer"],
        ["a non-healing wound", "a foul-smelling wound"],
        ["wound care nursing followed with daily dressing changes"]),
    fam("rbc", ["D50.0", "D64.9", "D57.00"], ["anemia", "symptomatic anemia"],
        ["fatigue and a hemoglobin of 6.4", "exertional dyspnea and pallor"],
        ["transfused two units of packed red cells and iron studies were sent"]),
    fam("hemolysis", ["D59.9"], ["hemolytic anemia"],
        ["jaundice and dark urine", "fatigue with an elevated LDH"],
        ["hematology was consulted and steroids were started"]),
    fam("coag", ["D69.6", "D68.32", "D69.59"], ["bleeding disorder"],
        ["easy bruising and petechiae", "bleeding gums"],
        ["hematology was consulted and platelets were monitored"]),
    fam("alcohol", ["F10.239", "F10.230", "F11.23", "F10.20"], ["substance withdrawal", "substance use disorder"],
        ["tremors, diaphoresis and anxiety", "agitation after stopping drinking"],
        ["managed on a CIWA scale with lorazepam and thiamine"]),
    fam("poisoning", ["T39.1X2A", "T42.4X1A", "T40.2X1A", "T51.0X1A"], ["overdose", "toxic ingestion"],
        ["altered mental status after an ingestion", "somnolence after taking pills"],
        ["toxicology was consulted and she was monitored on telemetry"]),
    fam("allergic", ["T78.3XXA", "T78.2XXA", "T78.40XA"], ["allergic reaction", "hypersensitivity reaction"],
        ["lip and tongue swelling", "hives and throat tightness"],
        ["treated with IM epinephrine, methylprednisolone and diphenhydramine"]),
    fam("signs_symptoms", ["R53.1", "R53.81"], ["generalized weakness", "debility"],
        ["progressive weakness and falls at home", "failure to thrive"],
        ["PT and OT worked with the patient"]),
    fam("degenerative_nervous", ["G30.9", "G20.A1", "G31.84"], ["neurodegenerative disease"],
        ["worsening confusion and falls", "functional decline"],
        ["neurology was consulted and medications were adjusted"]),
    fam("nerve", ["G62.9", "G51.0"], [],
        ["numbness and tingling", "facial weakness"],
        ["neurology was consulted"]),
    fam("cns_infection", ["G00.9", "G61.0"], [],
        ["fever, neck stiffness and headache", "ascending weakness"],
        ["lumbar puncture was performed and IV therapy was started"]),
    fam("back", ["M54.50", "M51.26", "M48.061"], ["low back pain", "lumbar radiculopathy", "spinal stenosis"],
        ["back pain radiating to the leg", "inability to ambulate due to back pain"],
        ["treated with pain control, a steroid taper and physical therapy"]),
    fam("rhabdo", ["M62.82"], ["rhabdomyolysis", "rhabdo"],
        ["a fall with a long lie and CK of 24000", "muscle pain and dark urine"],
        ["treated with aggressive IV fluids with downtrending CK"]),
    fam("osteomyelitis", ["M86.171", "M86.9", "M86.671"], ["osteomyelitis"],
        ["a draining foot wound with probe to bone", "localized bone pain and fever"],
        ["MRI confirmed the diagnosis and ID recommended six weeks of IV antibiotics"]),
    fam("hip_fx_med", ["S72.001A", "S32.9XXA", "S72.141A"], ["fracture"],
        ["a mechanical fall with hip pain", "inability to bear weight after a fall"],
        ["orthopedics recommended nonoperative management with pain control"]),
    fam("fracture_other", ["S42.201A", "S82.201A"], ["fracture"],
        ["pain and deformity after a fall", "swelling after a fall"],
        ["orthopedics placed a splint and recommended outpatient follow-up"]),
    fam("chemo", ["Z51.11"], ["scheduled chemotherapy"],
        ["an elective admission", "a planned admission"],
        ["received cycle 3 of inpatient chemotherapy without incident"]),
    fam("acute_leukemia", ["C92.00", "C91.00"], ["acute leukemia", "AML"],
        ["fatigue, bruising and circulating blasts", "pancytopenia with blasts on smear"],
        ["bone marrow biopsy confirmed the diagnosis and oncology followed"]),
    fam("lymphoma", ["C83.30", "C91.10", "C85.90"], ["lymphoproliferative malignancy", "hematologic malignancy"],
        ["lymphadenopathy and night sweats", "fevers and weight loss"],
        ["oncology was consulted and staging was completed"]),
    fam("device_complication", ["T82.868A", "T84.84XA", "T83.511A"], [],
        ["pain and swelling near a device", "fever with an indwelling device"],
        ["the relevant consult service evaluated and treatment was given"]),
    fam("syncope", ["R55"], ["syncope"], ["a transient loss of consciousness", "a syncopal episode"],
        ["telemetry and echocardiogram were unrevealing"]),
    fam("chest_pain", ["R07.9", "R07.89"], ["chest pain", "atypical chest pain"],
        ["intermittent chest discomfort", "pleuritic chest pain"],
        ["ACS was ruled out with serial troponins"]),
    fam("tia", ["G45.9"], ["TIA", "transient ischemic attack"],
        ["transient word-finding difficulty", "brief arm weakness that resolved"],
        ["MRI showed no infarct and aspirin and a statin were started"]),
    fam("joint_replacement", pairs=[
        ("M17.11", ("0SRC0J9",), "right total knee arthroplasty"),
        ("M17.12", ("0SRD0J9",), "left total knee arthroplasty"),
        ("M16.11", ("0SR90J9",), "right total hip arthroplasty"),
        ("M16.12", ("0SRB0J9",), "left total hip arthroplasty")],
        synonyms=["osteoarthritis", "degenerative joint disease"],
        presentations=["an elective admission for end-stage joint disease"],
        treatments=["after failing conservative management"]),
    fam("pci", pairs=[
        ("I25.10", ("027034Z",), "PCI with a drug-eluting stent to one coronary artery"),
        ("I25.110", ("027034Z",), "PCI with a drug-eluting stent to the LAD"),
        ("I20.0", ("02703DZ",), "coronary angioplasty with stent placement")],
        synonyms=["coronary artery disease"],
        presentations=["exertional chest pain", "an abnormal stress test"],
        treatments=["cardiac catheterization showed a severe stenosis"]),
    fam("bowel_resection", pairs=[
        ("C18.7", ("0DTN0ZZ",), "open sigmoid colectomy"),
        ("K57.32", ("0DTN0ZZ",), "sigmoid resection"),
        ("C18.2", ("0DTF0ZZ",), "open right hemicolectomy")],
        synonyms=["colonic disease"],
        presentations=["abdominal pain and change in bowel habits", "a colonic lesion"],
        treatments=["colorectal surgery was consulted"]),
    fam("lap_chole", pairs=[
        ("K80.00", ("0FT44ZZ",), "laparoscopic cholecystectomy"),
        ("K81.0", ("0FT44ZZ",), "laparoscopic cholecystectomy"),
        ("K80.10", ("0FT44ZZ",), "lap chole")],
        synonyms=["gallbladder disease"],
        presentations=["right upper quadrant pain", "RUQ pain and nausea"],
        treatments=["ultrasound showed a thickened gallbladder wall"]),
    fam("appendectomy", pairs=[
        ("K35.80", ("0DTJ4ZZ",), "laparoscopic appendectomy"),
        ("K35.890", ("0DTJ4ZZ",), "laparoscopic appendectomy"),
        ("K35.32", ("0DTJ4ZZ",), "lap appendectomy")],
        synonyms=["appendicitis"],
        presentations=["right lower quadrant pain", "periumbilical pain migrating to the RLQ"],
        treatments=["CT confirmed the diagnosis"]),
    fam("hip_femur_proc", pairs=[
        ("S72.001A", ("0QS604Z",), "open reduction and internal fixation of the right femur"),
        ("S72.141A", ("0QS634Z",), "percutaneous intramedullary nailing of the right femur"),
        ("S72.002A", ("0QS704Z",), "ORIF of the left femur")],
        synonyms=["hip fracture"],
        presentations=["a mechanical fall with hip pain", "inability to bear weight after a fall"],
        treatments=["x-ray confirmed the fracture"]),
    fam("nephrectomy", pairs=[
        ("C64.1", ("0TT00ZZ",), "open right radical nephrectomy"),
        ("C64.2", ("0TT10ZZ",), "open left radical nephrectomy")],
        synonyms=["renal cell carcinoma", "kidney cancer"],
        presentations=["hematuria and a renal mass", "an incidental renal mass"],
        treatments=["urology recommended surgical resection"]),
    fam("prostatectomy", pairs=[("C61", ("0VT04ZZ",), "robotic-assisted laparoscopic prostatectomy")],
        synonyms=["prostate cancer"], presentations=["an elevated PSA"],
        treatments=["biopsy showed adenocarcinoma"], sex="M"),
    fam("lower_ext_proc", pairs=[
        ("S82.891A", ("0QSG04Z",), "ORIF of the right tibia"),
        ("S82.851A", ("0QSJ04Z",), "open reduction and internal fixation of the right fibula"),
        ("S82.201A", ("0QSG04Z",), "tibial ORIF")],
        synonyms=["lower leg fracture", "ankle fracture"],
        presentations=["a fall with leg deformity", "ankle pain and swelling after a fall"],
        treatments=["orthopedics was consulted"]),
    fam("amputation", pairs=[
        ("I70.261", ("0Y6H0Z2",), "right below-knee amputation"),
        ("E11.52", ("0Y6N0Z0",), "left foot amputation")],
        synonyms=["gangrene", "critical limb ischemia"],
        presentations=["a gangrenous foot", "non-healing wounds with dry gangrene"],
        treatments=["vascular surgery determined the limb was not salvageable"]),
    fam("pacemaker", pairs=[
        ("I44.2", ("0JH606Z", "02H63JZ", "02HK3JZ"), "dual-chamber permanent pacemaker placement"),
        ("I49.5", ("0JH606Z", "02H63JZ", "02HK3JZ"), "placement of a dual-chamber pacemaker")],
        synonyms=["symptomatic bradyarrhythmia"],
        presentations=["bradycardia and presyncope", "heart rates in the 30s"],
        treatments=["EP was consulted"]),
)


# Principal diagnoses whose family words would hide what decides the base DRG (a family spanning two
# base DRGs, or a code with its own DRG rule such as acute cor pulmonale): these words replace the
# family's synonyms for that code, so the note always says what the grouper used.
CODE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "C18.9": ("colon cancer", "colonic adenocarcinoma"),
    "C16.9": ("gastric cancer", "gastric adenocarcinoma"),
    "C25.9": ("pancreatic cancer", "pancreatic adenocarcinoma"),
    "C22.0": ("hepatocellular carcinoma", "HCC"),
    "K65.0": ("acute peritonitis", "generalized peritonitis"),
    "K63.1": ("perforation of the intestine", "bowel perforation"),
    "T82.868A": ("thrombosis of a vascular graft", "vascular graft thrombosis"),
    "T84.84XA": ("pain from an orthopedic implant", "painful orthopedic hardware"),
    "T83.511A": ("catheter-associated urinary tract infection", "CAUTI"),
    "I26.09": ("pulmonary embolism with acute cor pulmonale", "PE with acute cor pulmonale"),
    "I26.92": ("saddle pulmonary embolism without cor pulmonale", "saddle PE"),
    "I26.99": ("pulmonary embolism", "PE"),
}


@dataclass(frozen=True)
class Secondary:
    """A secondary diagnosis with the words used for it and detail clauses for its sentence."""
    code: str
    phrases: tuple[str, ...]
    details: tuple[str, ...]
    acute: bool = False  # may be negated or mentioned as resolved history
    chronic: bool = False  # a lasting condition: may be stated only in the past-medical-history list


def sec(code, phrases, details, acute=False, chronic=False):
    return Secondary(code, tuple(phrases), tuple(details), acute, chronic)


# Secondary diagnoses that are CC or MCC in v43 (the level is read from the grouper, not from here).
SEVERE_SECONDARIES: tuple[Secondary, ...] = (
    sec("E43", ["severe protein-calorie malnutrition", "severe malnutrition"], ["nutrition followed and supplements were started", "albumin was {alb} with significant muscle wasting"]),
    sec("E44.0", ["moderate protein-calorie malnutrition", "moderate malnutrition"], ["nutrition was consulted and oral supplements were started"]),
    sec("J96.01", ["acute hypoxic respiratory failure", "acute respiratory failure with hypoxia"], ["required high-flow nasal cannula and was weaned to room air", "SpO2 was 84% on room air requiring 6 L oxygen"], acute=True),
    sec("J96.02", ["acute hypercapnic respiratory failure"], ["ABG showed pH 7.24 and pCO2 68 and BiPAP was used overnight"], acute=True),
    sec("N17.0", ["acute tubular necrosis", "ATN"], ["muddy brown casts were seen and creatinine peaked at {cr}"], acute=True),
    sec("N17.9", ["acute kidney injury", "AKI", "acute renal failure"], ["creatinine rose to {cr} from a baseline of 0.9 and improved with IV fluids", "likely prerenal, resolved with hydration"], acute=True),
    sec("A41.9", ["sepsis", "septicemia"], ["blood cultures were positive and IV antibiotics were given"], acute=True),
    sec("G93.41", ["metabolic encephalopathy", "toxic-metabolic encephalopathy"], ["mental status improved as the underlying process was treated"], acute=True),
    sec("I26.99", ["pulmonary embolism", "PE"], ["CTA showed a segmental clot and apixaban was started"], acute=True),
    sec("I50.23", ["acute on chronic systolic heart failure", "acute on chronic HFrEF"], ["EF 25%, diuresed with IV furosemide"]),
    sec("I50.33", ["acute on chronic diastolic heart failure", "acute on chronic HFpEF"], ["diuresed with IV furosemide with improved edema"]),
    sec("I50.22", ["chronic systolic heart failure", "chronic HFrEF"], ["EF 30%, euvolemic, home carvedilol continued"], chronic=True),
    sec("I50.32", ["chronic diastolic heart failure", "chronic HFpEF"], ["euvolemic, home torsemide continued"], chronic=True),
    sec("E87.1", ["hyponatremia"], ["sodium was {na_low} and corrected slowly with fluid restriction", "Na nadir {na_low}, improved with normal saline"], acute=True),
    sec("E87.0", ["hypernatremia"], ["sodium was {na_high} and corrected with free water"], acute=True),
    sec("D62", ["acute blood loss anemia", "acute posthemorrhagic anemia"], ["hemoglobin fell to {hgb_low} and one unit of PRBC was transfused"], acute=True),
    sec("N18.4", ["chronic kidney disease stage 4", "CKD stage IV"], ["creatinine at baseline of 3.1, medications renally dosed"], chronic=True),
    sec("N18.5", ["chronic kidney disease stage 5", "CKD 5"], ["nephrology followed, not yet on dialysis"], chronic=True),
    sec("N18.6", ["end-stage renal disease", "ESRD on hemodialysis"], ["continued on Monday-Wednesday-Friday hemodialysis"], chronic=True),
    sec("I48.19", ["persistent atrial fibrillation"], ["rate controlled on metoprolol and continued on apixaban"], chronic=True),
    sec("I48.20", ["chronic atrial fibrillation", "permanent AF"], ["rate controlled, home anticoagulation continued"], chronic=True),
    sec("F10.239", ["alcohol withdrawal"], ["managed on CIWA with lorazepam"], acute=True),
    sec("J44.1", ["COPD exacerbation", "acute exacerbation of COPD"], ["treated with nebulizers and prednisone"], acute=True),
    sec("I82.401", ["acute DVT of the right leg", "acute deep vein thrombosis"], ["duplex confirmed the clot and anticoagulation was started"], acute=True),
    sec("F05", ["delirium"], ["managed with reorientation and low-dose quetiapine at night"], acute=True),
    sec("E87.20", ["metabolic acidosis", "acidosis"], ["bicarbonate was 14 and improved with IV bicarbonate"], acute=True),
    sec("R64", ["cachexia"], ["BMI 16 and nutrition followed"], chronic=True),
    sec("G93.40", ["encephalopathy"], ["mental status returned to baseline"], acute=True),
    sec("K92.2", ["GI bleed", "gastrointestinal bleeding"], ["GI performed endoscopy and a PPI was started"], acute=True),
    sec("E66.01", ["morbid obesity"], ["BMI 44, counseled on weight loss"]),
    sec("Z68.41", ["BMI of 40 to 44.9"], ["counseled on diet and exercise"]),
    sec("I49.01", ["ventricular fibrillation"], ["defibrillated once with return of a perfusing rhythm"], acute=True),
    sec("R57.0", ["cardiogenic shock"], ["required dobutamine in the CCU for 48 hours"], acute=True),
    sec("J18.9", ["pneumonia"], ["treated with ceftriaxone and azithromycin"], acute=True),
    sec("J69.0", ["aspiration pneumonia"], ["treated with ampicillin-sulbactam and speech evaluated swallowing"], acute=True),
    sec("D65", ["disseminated intravascular coagulation", "DIC"], ["fibrinogen was 90 and cryoprecipitate was given"], acute=True),
    sec("L89.154", ["stage 4 sacral pressure ulcer"], ["wound care followed with daily dressing changes"]),
    sec("I63.9", ["acute ischemic stroke"], ["neurology followed and MRI confirmed a small infarct"], acute=True),
    sec("K76.6", ["portal hypertension"], ["on nadolol for variceal prophylaxis"], chronic=True),
    sec("E87.4", ["mixed acid-base disorder"], ["corrected with treatment of the underlying illness"], acute=True),
    sec("I12.0", ["hypertensive chronic kidney disease with ESRD"], ["continued on dialysis"], chronic=True),
    sec("N39.0", ["urinary tract infection", "UTI"], ["urine culture grew E. coli and she received ceftriaxone"], acute=True),
    sec("D68.32", ["coagulopathy from anticoagulation", "supratherapeutic INR"], ["INR was 5.2 and warfarin was held"], acute=True),
    sec("I47.10", ["supraventricular tachycardia", "SVT"], ["converted with adenosine"], acute=True),
)

# Chronic conditions that are neither CC nor MCC in v43; mentioned with their management.
DISTRACTORS: tuple[Secondary, ...] = (
    sec("I10", ["hypertension", "HTN"], ["continued home lisinopril", "home amlodipine was continued"]),
    sec("E78.5", ["hyperlipidemia", "HLD"], ["continued atorvastatin"]),
    sec("E11.9", ["type 2 diabetes", "DM2"], ["managed with an insulin sliding scale, metformin held", "A1c 7.2, home metformin resumed at discharge"]),
    sec("K21.9", ["GERD"], ["continued omeprazole"]),
    sec("F32.A", ["depression"], ["continued sertraline"]),
    sec("G47.33", ["obstructive sleep apnea", "OSA"], ["CPAP at night"]),
    sec("E03.9", ["hypothyroidism"], ["continued levothyroxine"]),
    sec("I25.10", ["coronary artery disease", "CAD"], ["continued aspirin and statin"]),
    sec("E66.9", ["obesity"], ["counseled on diet"]),
    sec("N40.0", ["BPH"], ["continued tamsulosin"]),
    sec("F41.9", ["anxiety"], ["continued home buspirone"]),
    sec("M81.0", ["osteoporosis"], ["continued calcium and vitamin D"]),
    sec("D64.9", ["chronic anemia"], ["hemoglobin stable at baseline"]),
    sec("F17.210", ["tobacco use", "active smoker"], ["nicotine patch offered and cessation counseling given"]),
    sec("M19.90", ["osteoarthritis"], ["acetaminophen as needed"]),
    sec("E55.9", ["vitamin D deficiency"], ["continued supplementation"]),
    sec("I48.91", ["atrial fibrillation"], ["rate controlled on home metoprolol, apixaban continued"]),
    sec("E87.6", ["hypokalemia"], ["potassium repleted"]),
    sec("D69.6", ["mild thrombocytopenia"], ["platelets stable around 110"]),
)

# Sentences that can appear in any note; none of them depends on the case's DRG.
FILLER: tuple[str, ...] = (
    "Physical therapy evaluated {obj} and recommended discharge home with services.",
    "Diet was advanced as tolerated.",
    "DVT prophylaxis was maintained with subcutaneous heparin.",
    "Code status was confirmed as full code.",
    "Home medications were reconciled at discharge.",
    "{Subj} was ambulating independently prior to discharge.",
    "Pain was controlled with acetaminophen and low-dose oxycodone as needed.",
    "Vital signs were stable on the day of discharge.",
    "Case management assisted with discharge planning.",
    "{Subj} tolerated a regular diet and was voiding without difficulty.",
    "Bowel regimen with senna and docusate was continued.",
    "The family was updated daily by the primary team.",
    "Social work met with {obj} regarding home supports.",
    "Telemetry was discontinued on hospital day 2.",
    "Labs were trended daily.",
    "Occupational therapy worked with {obj} on activities of daily living.",
    "Fall precautions were maintained throughout the admission.",
    "{Subj} remained hemodynamically stable on the floor.",
    "Medications were reviewed with the pharmacist before discharge.",
    "{Subj} was seen by nutrition and tolerated oral supplements.",
    "Peripheral IV access was maintained without issue.",
    "Discharge instructions were reviewed and {subj} verbalized understanding.",
    "Glucose was monitored with fingersticks before meals and at bedtime.",
    "Incentive spirometry was encouraged.",
    "{Subj} was discharged in stable condition with close outpatient follow-up.",
    "Blood pressure medications were adjusted to goal during the stay.",
    "Sleep was poor on the first night and improved with melatonin.",
    "Skin was checked daily and no breakdown was noted.",
)

TRANSITIONAL: tuple[str, ...] = (
    "Follow up with PCP within one week.",
    "Repeat BMP at the next clinic visit.",
    "Medication changes were reviewed with {obj}.",
    "Outpatient labs in one week.",
    "Consider outpatient sleep study.",
    "Continue to encourage smoking cessation.",
    "Confirm follow-up appointment with the specialist.",
    "Home health nursing was arranged.",
)

LAB_SENTENCES: tuple[str, ...] = (
    "Admission labs were notable for WBC {wbc}, platelets {plt} and glucose {glu}.",
    "On admission, WBC was {wbc} and platelets {plt}.",
    "Initial labs showed glucose {glu} and albumin {alb}.",
)
