/// Coders' shorthand the DRG search understands: each query word on the left also matches the
/// phrases on the right (every word of a phrase must then appear in the title). The word itself
/// always matches too ("mv" finds "WITH MV >96 HOURS"). Lower case; titles are matched case-blind.
///
/// A small, reviewed table, not a medical dictionary: add a row when a real query misses.
enum Abbreviations {
    static let table: [String: [String]] = [
        "w": ["with"], "wo": ["without"], "w/o": ["without"], "w/": ["with"], "wout": ["without"],
        "mv": ["mechanical ventilation", "ventilator"], "vent": ["ventilator", "mv"],
        "cc": ["cc"], "mcc": ["mcc"], "cc/mcc": ["cc/mcc"],
        "ami": ["acute myocardial infarction"], "mi": ["myocardial infarction", "ami"],
        "stemi": ["acute myocardial infarction"], "nstemi": ["acute myocardial infarction"],
        "chf": ["heart failure"], "hf": ["heart failure"],
        "copd": ["chronic obstructive pulmonary disease"],
        "uti": ["urinary tract infections", "kidney and urinary tract infections"],
        "gi": ["gastrointestinal", "digestive"], "gib": ["gastrointestinal hemorrhage"],
        "tia": ["transient ischemia"], "cva": ["stroke"], "pe": ["pulmonary embolism"],
        "pna": ["pneumonia"], "uri": ["uri", "upper respiratory"],
        "esrd": ["renal failure"], "ckd": ["renal failure"], "aki": ["renal failure"], "arf": ["renal failure"],
        "dx": ["diagnosis", "diagnoses"], "pdx": ["principal diagnosis", "pdx"], "sdx": ["secondary diagnosis", "sdx"],
        "proc": ["procedures"], "procs": ["procedures"], "cabg": ["coronary bypass"],
        "pci": ["percutaneous cardiovascular procedures"], "cath": ["catheterization"],
        "trach": ["tracheostomy"], "tx": ["transplant"], "fx": ["fracture", "fractures"],
        "etoh": ["alcohol"], "dka": ["diabetes"], "dm": ["diabetes"], "htn": ["hypertension"],
        "afib": ["cardiac arrhythmia"], "ca": ["malignancy", "neoplasms"], "ortho": ["musculoskeletal"],
        "tavr": ["endovascular cardiac valve replacement"], "aicd": ["aicd", "cardiac defibrillator"],
        "icd": ["cardiac defibrillator"], "ppm": ["pacemaker"], "neo": ["neonate"],
        "ecmo": ["ecmo"], "or": ["o.r."], "septic": ["septicemia", "sepsis"], "sepsis": ["septicemia"],
    ]

    /// Query words dropped unless they are the whole query.
    static let stopWords: Set<String> = ["and", "of", "the", "for", "to", "a", "an", "in", "on", "drg"]
}
