import CodingStore
import Foundation
import ReviewApp

extension StoreReviewSource {
    /// The case's stored ICD codes, assessed for the case screen (on the I/O queue: DRGKit's tables load here).
    func shownCodes(of id: CaseID, drg: String?) throws -> [ShownCode] {
        let stored = try store.codes(ofCase: id)
        guard !stored.isEmpty else { return [] }
        return ShownCode.assess(stored.map { code in
            let kind: ShownCode.Kind = switch code.kind {
            case .pdx: .principal
            case .sdx: .secondary
            case .pcs: .procedure
            }
            return (kind, code.code, code.icdVersion)
        }, drg: drg)
    }
}
