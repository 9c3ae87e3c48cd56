import Foundation

/// Splits MS-DRG titles into base DRG + CC/MCC class, following DRG-LLaMA's Supplementary Method 2
/// (`data/Two_Label_DRG_Preprocessing.py` in hanyin88/DRG-LLaMA).
///
///     Dissection.ccMccClass(of: "HEART FAILURE AND SHOCK WITH MCC")  // .withMCC
///     Dissection.baseName(of: "HEART FAILURE AND SHOCK WITH MCC")    // "HEART FAILURE AND SHOCK"
///
/// The rules, in the paper's order:
/// 1. *Class*: the first of these phrases the title contains wins: "WITH CC" / "W CC" → with CC
///    (so "WITH CC/MCC" is with CC), "WITH MCC" / "W MCC" → with MCC, "WITHOUT CC/MCC" /
///    "W/O CC/MCC" → without CC/MCC, "WITHOUT MCC" / "W/O MCC" → without MCC, else not applicable.
/// 2. *Base*: the text before the earliest of those phrases (the whole title when none occurs),
///    with the reference script's spelling fixes of the v34 table (`PROC ` → `PROCEDURES `, ...).
/// 3. *Index*: bases are numbered 0, 1, ... in order of first appearance down the table.
///
/// One rule is added for v43, where CMS spelled out "SDX": "CHEMOTHERAPY WITH ACUTE LEUKEMIA AS
/// SECONDARY DIAGNOSIS OR WITH HIGH DOSE CHEMOTHERAPY AGENT" (DRG 837) joins DRGs 838-839 the way
/// the reference script joins "... AS SDX OR WITH ..." in v34.
///
/// For v34 DRGKit does not use these rules at run time: it copies `drg_34_dissection.csv`, and a test
/// proves the rules reproduce that file row for row. This type deliberately has no notion of the
/// ICD-10 logic behind a split; it reads titles only.
public enum Dissection {
    /// The phrases of each class, in the order the reference script tests them (its nested
    /// conditional): with CC, with MCC, without CC/MCC, without MCC.
    static let classPhrases: [(phrases: [String], ccMcc: CCMCCClass)] = [
        (["WITH CC", "W CC"], .withCC),
        (["WITH MCC", "W MCC"], .withMCC),
        (["WITHOUT CC/MCC", "W/O CC/MCC"], .withoutCCMCC),
        (["WITHOUT MCC", "W/O MCC"], .withoutMCC),
    ]

    /// Every phrase that ends a base DRG.
    static let markers: [String] = classPhrases.flatMap(\.phrases)

    /// Spelling fixes applied to the base text, in order (the reference script's list, then v43's).
    static let baseFixes: [(String, String)] = [
        ("PROEDURESC ", "PROCEDURES "), ("PROCEDURSE ", "PROCEDURES "), ("PROC ", "PROCEDURES "),
        ("PROCEDURE ", "PROCEDURES "),
        ("BILIARY TRACT PROCEDURES EXCEPT ONLY CHOLECYST ", "BILIARY TRACT PROCEDURES EXCEPT ONLY CHOLECYSTECTOMY "),
        ("CATHETERATION", "CATHETERIZATION"), ("GASTROENTERISTIS", "GASTROENTERITIS"),
        ("FIXATIOM", "FIXATION"), ("CHEMOTHERPY", "CHEMOTHERAPY"),
        ("REMOVAL INTERNAL", "REMOVAL OF INTERNAL"),
        ("CHEMOTHERAPY WITH ACUTE LEUKEMIA AS SDX OR WITH HIGH DOSE CHEMOTHERAPY AGENT",
         "CHEMOTHERAPY WITH ACUTE LEUKEMIA AS SDX"),
        // v43 (not in the reference script): the same join with "SDX" spelled out.
        ("CHEMOTHERAPY WITH ACUTE LEUKEMIA AS SECONDARY DIAGNOSIS OR WITH HIGH DOSE CHEMOTHERAPY AGENT",
         "CHEMOTHERAPY WITH ACUTE LEUKEMIA AS SECONDARY DIAGNOSIS"),
    ]

    /// The CC/MCC class a DRG title states (rule 1).
    public static func ccMccClass(of title: String) -> CCMCCClass {
        for (phrases, ccMcc) in classPhrases where phrases.contains(where: { title.contains($0) }) {
            return ccMcc
        }
        return .notApplicable
    }

    /// The base DRG of a title (rule 2), trimmed of surrounding spaces.
    public static func baseName(of title: String) -> String {
        var end = title.endIndex
        for phrase in markers {
            if let range = title.range(of: phrase), range.lowerBound < end { end = range.lowerBound }
        }
        var base = String(title[..<end])
        for (wrong, right) in baseFixes { base = base.replacingOccurrences(of: wrong, with: right) }
        return base.trimmingCharacters(in: .whitespaces)
    }

    /// One row of a dissected table.
    public struct Row: Sendable, Equatable {
        public var code: String
        public var ccMcc: CCMCCClass
        public var baseName: String
        public var baseIndex: Int
    }

    /// Dissects `(code, title)` rows in table order (rules 1-3).
    public static func dissect(_ titles: [(code: String, title: String)]) -> [Row] {
        var indexOfBase: [String: Int] = [:]
        return titles.map { code, title in
            let base = baseName(of: title)
            let index = indexOfBase[base] ?? indexOfBase.count
            indexOfBase[base] = index
            return Row(code: code, ccMcc: ccMccClass(of: title), baseName: base, baseIndex: index)
        }
    }
}
