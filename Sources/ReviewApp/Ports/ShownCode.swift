import DRGKit
import Foundation

/// One ICD code of a case as the case screen shows it: title, CC/MCC level and, when a CC/MCC does not
/// count, why (CMS Table 6K via ``DiagnosisSeverityTable/assess(secondary:principal:drg:dischargedAlive:)``).
public struct ShownCode: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable { case principal = "PDX", secondary = "SDX", procedure = "PCS" }
    public var kind: Kind
    /// Dotted for ICD-10-CM ("J96.01"), as stored otherwise ("4280", "02703DZ").
    public var code: String
    public var icdVersion: Int
    public var title: String?
    /// "MCC" or "CC" on the lists (secondaries only), nil otherwise.
    public var level: String?
    public var counts: Bool
    /// Why a CC/MCC does not count, or why a code gets no attribution (ICD-9).
    public var reason: String?

    public init(kind: Kind, code: String, icdVersion: Int = 10, title: String? = nil, level: String? = nil,
                counts: Bool = false, reason: String? = nil) {
        self.kind = kind; self.code = code; self.icdVersion = icdVersion; self.title = title
        self.level = level; self.counts = counts; self.reason = reason
    }

    /// Assesses stored codes ((kind, code without dot, ICD version) in sequence order) against the FY 2026
    /// lists. `drg` (the coded or predicted DRG) enables the DRG-specific exclusions; the discharge status
    /// is not in the store, so the patient is taken as discharged alive. Reads DRGKit's tables: call it off
    /// the UI thread (the adapter does, on its I/O queue).
    public static func assess(_ codes: [(kind: Kind, code: String, icdVersion: Int)], drg: String?) -> [ShownCode] {
        func current(_ code: String) -> Bool { ICD10.cm.entry(code)?.billable == true }
        let principal = codes.first { $0.kind == .principal && $0.icdVersion == 10 && current($0.code) }?.code
        return codes.map { item in
            guard item.icdVersion == 10 else {
                return ShownCode(kind: item.kind, code: item.code, icdVersion: 9, reason: "ICD-9: no CC/MCC attribution")
            }
            if item.kind != .procedure && !current(item.code) {
                return ShownCode(kind: item.kind, code: ICD10.dotted(item.code), title: ICD10.cm.entry(item.code)?.title,
                                 reason: "not an ICD-10-CM code of FY 2026: no CC/MCC attribution")
            }
            if item.kind == .procedure {
                return ShownCode(kind: .procedure, code: item.code, title: ICD10.pcs.entry(item.code)?.title)
            }
            var shown = ShownCode(kind: item.kind, code: ICD10.dotted(item.code), title: ICD10.cm.entry(item.code)?.title)
            guard item.kind == .secondary else { return shown }
            guard let principal else {
                shown.reason = "no FY 2026 principal diagnosis to assess against"
                return shown
            }
            let a = DiagnosisSeverityTable.v43.assess(secondary: item.code, principal: principal, drg: drg)
            shown.level = a.level?.rawValue
            shown.counts = a.counts
            shown.reason = a.level == nil ? nil : a.reason?.description
            return shown
        }
    }

    /// "MCC because of J96.01 Acute respiratory failure with hypoxia", "no CC or MCC counts", or nil
    /// without an ICD-10 principal diagnosis.
    public static func because(_ codes: [ShownCode]) -> String? {
        guard codes.contains(where: { $0.kind == .principal && $0.icdVersion == 10 && $0.reason == nil }) else { return nil }
        let counting = codes.filter(\.counts)
        guard let decisive = counting.first(where: { $0.level == "MCC" }) ?? counting.first else { return "no CC or MCC counts" }
        return "\(decisive.level ?? "") because of \(decisive.code) \(decisive.title ?? "")"
    }
}

/// An ICD-10-CM code suggested for a CC/MCC evidence span (``ICD10Search``): a suggestion, never a coded fact.
public struct CodeSuggestion: Sendable, Hashable {
    /// The evidence text (note text: shown on screen, never logged).
    public var span: String
    /// Dotted: "N17.9".
    public var code: String
    public var title: String

    public init(span: String, code: String, title: String) { self.span = span; self.code = code; self.title = title }

    /// The best code for each CC/MCC span of `evidence`, skipping codes the case already carries and repeats.
    /// Builds DRGKit's search index on first use (seconds in a debug build): call it off the UI thread.
    public static func suggest(for evidence: [EvidenceSpan], excluding codes: [ShownCode]) -> [CodeSuggestion] {
        var seen = Set(codes.map(\.code))
        var result: [CodeSuggestion] = []
        for span in evidence where span.aspect == "cc_mcc" {
            guard let best = ICD10Search.shared.search(span.text, limit: 1).first, !seen.contains(best.entry.dotted) else { continue }
            seen.insert(best.entry.dotted)
            result.append(CodeSuggestion(span: span.text, code: best.entry.dotted, title: best.entry.title))
        }
        return result
    }
}
