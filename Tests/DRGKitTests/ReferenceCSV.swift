import Foundation
import TestSupport

/// DRG-LLaMA's reference files read straight from shared/reference (not through DRGKit), so the
/// tests compare DRGKit's bundled copy and its dissection rules against the source of truth.
enum ReferenceCSV {
    /// Rows of a comma-separated reference file without its header (the files have no quoting).
    static func rows(_ name: String) throws -> [[String]] {
        let text = try String(contentsOf: try SharedReference.url("drg-llama/\(name)"), encoding: .utf8)
        return text.split(whereSeparator: \.isNewline).dropFirst()
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    /// `DRG_34.tsv` rows (DRG, MDC, MS, Description) without the header.
    static func titles() throws -> [[String]] {
        let text = try String(contentsOf: try SharedReference.url("drg-llama/DRG_34.tsv"), encoding: .utf8)
        return text.split(whereSeparator: \.isNewline).dropFirst()
            .map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    }

    static func padded(_ code: String) -> String { String(repeating: "0", count: max(0, 3 - code.count)) + code }
}
