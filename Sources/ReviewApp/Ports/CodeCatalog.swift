import DRGKit
import Foundation

/// ICD-10-CM codes and DRGKit's what-if, as the what-if panel needs them. `DRGKitCodeCatalog` adapts
/// ``ICD10Search`` and ``DRGWhatIf``; tests may fake it.
///
/// Both calls may be slow (the search index takes seconds to build in a debug build, the CC/MCC tables
/// load on first use): the effect runner calls them on its codes queue, never on the thread that reads keys.
public protocol CodeCatalog: Sendable {
    /// Billable ICD-10-CM codes whose code starts with `query` or whose words match it (typo-tolerant),
    /// best first; empty for an empty query.
    func diagnoses(matching query: String, limit: Int) -> [DiagnosisMatch]
    /// The member of `question.drg`'s family that the principal and the secondaries select.
    func whatIf(_ question: WhatIfQuestion) -> WhatIfAnswer
}

/// One ICD-10-CM code the what-if picker offers.
public struct DiagnosisMatch: Sendable, Hashable {
    /// Dotted: "J96.01".
    public var code: String
    public var title: String
    /// "MCC" or "CC" on the FY 2026 lists (before exclusions); nil for a non-CC.
    public var level: String?

    public init(code: String, title: String, level: String? = nil) { self.code = code; self.title = title; self.level = level }
}

/// A what-if: the case's principal diagnosis, the secondaries the coder kept or added, and a DRG of the
/// family to choose in (the model's top DRG). The patient is taken as discharged alive (the store has no
/// discharge status).
public struct WhatIfQuestion: Sendable, Hashable {
    /// Dotted or not: "I50.21".
    public var principal: String
    public var secondaries: [String]
    public var drg: String

    public init(principal: String, secondaries: [String], drg: String) {
        self.principal = principal; self.secondaries = secondaries; self.drg = drg
    }
}

/// The answer to a ``WhatIfQuestion``: DRGKit's result, or why there is none.
public struct WhatIfAnswer: Sendable, Hashable {
    public var question: WhatIfQuestion
    public var result: WhatIfResult?
    /// One line: "'999' is not an MS-DRG v43 code".
    public var failure: String?
    /// Secondaries left out because they are not reportable FY 2026 ICD-10-CM codes, with why.
    public var skipped: [String]

    public init(question: WhatIfQuestion, result: WhatIfResult?, failure: String? = nil, skipped: [String] = []) {
        self.question = question; self.result = result; self.failure = failure; self.skipped = skipped
    }
}
