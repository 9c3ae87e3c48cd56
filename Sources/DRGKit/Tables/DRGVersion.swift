/// An MS-DRG grouper version whose table DRGKit ships.
///
/// - `v34`: MS-DRG v34.0 (FY 2017), the version DRG-LLaMA harmonised MIMIC-IV to; its label spaces
///   (`id2label.csv`, `drg_34_dissection.csv`) are what a DRG-LLaMA checkpoint's logits mean.
///   Titles and MDCs only: DRG-LLaMA's `DRG_34.tsv` carries no weights.
/// - `v43`: MS-DRG v43 (FY 2026 Final Rule, CMS Table 5), with relative weights, mean lengths of
///   stay, post-acute and special-pay flags, and the CC/MCC lists (``DiagnosisSeverityTable``).
///
/// The raw value is what the command line takes (`--version 34`); ``init(argument:)`` also
/// accepts `v34` / `V43`.
public enum DRGVersion: String, Sendable, CaseIterable, Codable {
    case v34 = "34", v43 = "43"

    /// Parses a version as a user writes it: "34", "v34", "43", "V43". Nil for anything else.
    public init?(argument: String) {
        var text = argument.trimmingCharacters(in: .whitespaces).lowercased()
        if text.hasPrefix("v") { text.removeFirst() }
        self.init(rawValue: text)
    }

    /// A human title, e.g. "MS-DRG v43 (FY 2026)".
    public var title: String {
        switch self {
        case .v34: return "MS-DRG v34 (FY 2017)"
        case .v43: return "MS-DRG v43 (FY 2026)"
        }
    }
}

import Foundation
