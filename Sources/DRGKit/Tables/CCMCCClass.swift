/// The CC/MCC status of a DRG within its base DRG, in DRG-LLaMA's two-label order: the raw value
/// is the class's logit offset after the 340 base-DRG logits (0 ... 4).
///
/// DRG-LLaMA (Supplementary Method 2) reads the class from the DRG title: "WITH CC" (which also
/// catches "WITH CC/MCC") → 1, "WITH MCC" → 2, "WITHOUT CC/MCC" → 0, "WITHOUT MCC" → 3, and a title
/// that states no CC/MCC status (DRG 069 "TRANSIENT ISCHEMIA") → 4 "not applicable".
public enum CCMCCClass: Int, Sendable, CaseIterable, Codable, Comparable {
    case withoutCCMCC = 0
    case withCC = 1
    case withMCC = 2
    case withoutMCC = 3
    case notApplicable = 4

    /// The class name used in marginals and label files: "without CC/MCC", "with CC", "with MCC",
    /// "without MCC", "not applicable".
    public var label: String {
        switch self {
        case .withoutCCMCC: return "without CC/MCC"
        case .withCC: return "with CC"
        case .withMCC: return "with MCC"
        case .withoutMCC: return "without MCC"
        case .notApplicable: return "not applicable"
        }
    }

    /// Parses ``label`` (case-insensitive); "with CC/MCC" is class 1, as in DRG-LLaMA.
    public init?(label: String) {
        let text = label.trimmingCharacters(in: .whitespaces).lowercased()
        if text == "with cc/mcc" { self = .withCC; return }
        guard let match = CCMCCClass.allCases.first(where: { $0.label.lowercased() == text }) else { return nil }
        self = match
    }

    public static func < (a: CCMCCClass, b: CCMCCClass) -> Bool { a.rawValue < b.rawValue }
}

import Foundation
