import Foundation

/// What one secondary diagnosis does for a stay: its level on the CC/MCC lists, whether it counts,
/// and when it does not, which CMS rule cancels it.
///
///     let a = DiagnosisSeverityTable.v43.assess(secondary: "I5021", principal: "I110")
///     a.level       // .mcc  (on Table 6I)
///     a.counts      // false
///     a.reason      // .excludedByPrincipal(collection: "0663", principal: "I110")
public struct SecondaryAssessment: Sendable, Hashable {
    /// Why a CC/MCC does not count (CMS Table 6K), or that it is on neither list.
    public enum Reason: Sendable, Hashable {
        /// On neither the CC nor the MCC list.
        case notOnLists
        /// Part 1: the principal diagnosis is in the secondary's PDX exclusion collection.
        case excludedByPrincipal(collection: String, principal: String)
        /// Part 2: an MCC/CC only if the patient was discharged alive; the patient died.
        case aliveOnly
        /// Part 3: not a CC/MCC in DRGs `drgs` ("082-084"), titled `title`.
        case drgExclusion(drgs: String, title: String)
        /// The same code as the principal diagnosis.
        case sameAsPrincipal
    }

    /// Normalized code: "I5021".
    public var code: String
    /// The level on the lists before any exclusion; nil for a non-CC.
    public var level: DiagnosisSeverity.Level?
    /// The level it gives this stay after the exclusions; nil when it does not count.
    public var counting: DiagnosisSeverity.Level?
    /// Why it does not count; nil when it counts.
    public var reason: Reason?
    public var counts: Bool { counting != nil }
}

extension SecondaryAssessment.Reason: CustomStringConvertible {
    /// One line for a coder: "excluded by the principal I11.0 (PDX collection 0663)".
    public var description: String {
        switch self {
        case .notOnLists: return "not a CC or MCC"
        case .excludedByPrincipal(let collection, let principal):
            return "excluded by the principal \(ICD10.dotted(principal)) (PDX collection \(collection))"
        case .aliveOnly: return "counts only if discharged alive; the patient expired"
        case .drgExclusion(let drgs, let title): return "not a CC/MCC in DRGs \(drgs) \(title)"
        case .sameAsPrincipal: return "same code as the principal diagnosis"
        }
    }
}

extension DiagnosisSeverityTable {
    /// The three Table 6K rules of ``level(ofSecondary:principal:drg:dischargedAlive:)``, with the reason
    /// that cancels the code. `drg` (any DRG of the family) enables rule 3.
    public func assess(secondary: String, principal: String, drg: String? = nil,
                       dischargedAlive: Bool = true) -> SecondaryAssessment {
        let code = DiagnosisSeverityTable.normalized(secondary)
        let pdx = DiagnosisSeverityTable.normalized(principal)
        let entry = severity(of: code)
        var result = SecondaryAssessment(code: code, level: entry?.level, counting: nil, reason: nil)
        guard let entry else { result.reason = .notOnLists; return result }
        if code == pdx {
            result.reason = .sameAsPrincipal
        } else if isExcluded(secondary: code, principal: pdx), let collection = entry.pdxCollection {
            result.reason = .excludedByPrincipal(collection: collection, principal: pdx)
        } else if entry.aliveOnly && !dischargedAlive {
            result.reason = .aliveOnly
        } else if let number = drg.flatMap(DRGTable.normalizedCode).flatMap({ Int($0) }),
                  let rule = drgExclusions.first(where: { $0.drgs.contains(number) && $0.codes.contains(code) }) {
            let range = String(format: "%03d-%03d", rule.drgs.lowerBound, rule.drgs.upperBound)
            result.reason = .drgExclusion(drgs: range, title: rule.title)
        } else {
            result.counting = entry.level
        }
        return result
    }
}
