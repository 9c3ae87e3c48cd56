import DRGKit
import Foundation

/// `CodeCatalog` over DRGKit: ``ICD10Search`` for the picker, ``DRGWhatIf`` (MS-DRG v43) for the answer.
///
/// Creating it loads nothing: the search index (``ICD10Search/shared``) and the CC/MCC tables are built
/// on first use, which is on the effect runner's codes queue. It does not price anything: the screens
/// turn weights into money with the `DRGCatalog`'s base rate.
public struct DRGKitCodeCatalog: CodeCatalog {
    public init() {}

    public func diagnoses(matching query: String, limit: Int) -> [DiagnosisMatch] {
        let search = ICD10Search.shared    // built here, off the UI thread, the first time
        guard !query.trimmingCharacters(in: .whitespaces).isEmpty else { return [] }
        return search.search(query, limit: limit).map {
            DiagnosisMatch(code: $0.entry.dotted, title: $0.entry.title,
                           level: DiagnosisSeverityTable.v43.severity(of: $0.entry.code)?.level.rawValue)
        }
    }

    /// Secondaries that are not reportable FY 2026 codes (retired, ICD-9, not billable) are left out and
    /// listed in ``WhatIfAnswer/skipped``, so one stale code does not hide the answer for the others.
    public func whatIf(_ question: WhatIfQuestion) -> WhatIfAnswer {
        var kept: [String] = []
        var skipped: [String] = []
        for code in question.secondaries {
            do { kept.append(try ICD10.validateDiagnosis(code)) } catch { skipped.append("\(error)") }
        }
        do {
            let result = try DRGWhatIf().evaluate(principal: question.principal, secondaries: kept, drg: question.drg)
            return WhatIfAnswer(question: question, result: result, skipped: skipped)
        } catch {
            return WhatIfAnswer(question: question, result: nil, failure: "\(error)", skipped: skipped)
        }
    }
}
