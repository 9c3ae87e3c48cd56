import DRGKit
import Foundation

/// The what-if panel (`w`): the open case's secondary diagnoses, each kept or removed, codes the coder
/// added from a type-ahead ICD-10-CM picker, and the answer for the set as it stands. It records nothing:
/// leaving it (Esc) changes neither the case nor the log.
///
/// One cursor runs over ``rows`` and then ``matches``. The answer and the matches come back from the codes
/// queue; an answer for a set that has changed since, or matches for an older query, are dropped.
public struct WhatIfState: Sendable, Hashable {
    /// One secondary diagnosis in the what-if set.
    public struct Row: Sendable, Hashable {
        /// Dotted: "N17.9".
        public var code: String
        public var title: String?
        /// "MCC" or "CC" on the lists, nil for a non-CC.
        public var level: String?
        /// Added in the panel (not one of the case's codes).
        public var added: Bool
        /// Kept in the set; a case code the coder removed stays listed, unticked, to put back.
        public var included: Bool

        public init(code: String, title: String?, level: String?, added: Bool = false, included: Bool = true) {
            self.code = code; self.title = title; self.level = level; self.added = added; self.included = included
        }
    }

    /// The case's principal diagnosis, dotted.
    public var principal: String
    public var principalTitle: String?
    /// The DRG whose family is chosen in: the model's top DRG, else the coded one.
    public var drg: String
    /// The model's top DRG and the coded DRG, to compare with (nil when there is none).
    public var modelDRG: String?
    public var codedDRG: String?
    public var rows: [Row]
    public var query = ""
    public var matches: [DiagnosisMatch] = []
    /// Over `rows`, then `matches`.
    public var cursor = 0
    /// The answer for the set as it stands; nil while it is being worked out.
    public var answer: WhatIfAnswer?

    public init(principal: String, principalTitle: String?, drg: String, modelDRG: String?, codedDRG: String?, rows: [Row]) {
        self.principal = principal; self.principalTitle = principalTitle; self.drg = drg
        self.modelDRG = modelDRG; self.codedDRG = codedDRG; self.rows = rows
    }

    /// The what-if for the secondaries kept now.
    public var question: WhatIfQuestion {
        WhatIfQuestion(principal: principal, secondaries: rows.filter(\.included).map(\.code), drg: drg)
    }

    /// The answer, when it is for the set as it stands.
    public var current: WhatIfAnswer? { answer?.question == question ? answer : nil }

    /// Whether the set differs from the case's codes.
    public var changed: Bool { rows.contains { $0.added || !$0.included } }

    /// The opening state for a case: its ICD-10 principal diagnosis (nil without one) and secondaries.
    public init?(_ session: CaseSession) {
        let codes = session.detail.codes
        guard let pdx = codes.first(where: { $0.kind == .principal && $0.icdVersion == 10 && $0.reason == nil }),
              let drg = session.prediction?.top?.drg ?? session.detail.summary.codedDRG else { return nil }
        let rows = codes.filter { $0.kind == .secondary && $0.icdVersion == 10 }
            .map { Row(code: $0.code, title: $0.title, level: $0.level) }
        self.init(principal: pdx.code, principalTitle: pdx.title, drg: drg, modelDRG: session.prediction?.top?.drg,
                  codedDRG: session.detail.summary.codedDRG, rows: rows)
    }

    /// Why the panel cannot open on this session; nil when it can.
    public static func unavailable(_ session: CaseSession?) -> String? {
        guard let session else { return "no case is open" }
        if !session.detail.codes.contains(where: { $0.kind == .principal && $0.icdVersion == 10 && $0.reason == nil }) {
            return "the case has no FY 2026 ICD-10-CM principal diagnosis"
        }
        if session.prediction?.top == nil && session.detail.summary.codedDRG == nil {
            return "no DRG yet: the model has not scored the case and it is not coded"
        }
        return nil
    }
}
