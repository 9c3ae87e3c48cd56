import Foundation

/// A text resource bundled with DRGKit (Sources/DRGKit/Resources), read as rows of fields.
///
/// The formats are the simplest that parse fast: one record a line, fields split on one separator,
/// no quoting; lines starting with `#` are comments and the first non-comment line of a `.csv`
/// is its header; a `.gz` file is inflated first (``Gunzip``). Carriage returns (DRG-LLaMA's CSVs have CRLF) are dropped.
struct ResourceFile {
    var path: String
    var lines: [Substring]

    /// Loads `Resources/<path>`, e.g. `v43/drg_weights.tsv`.
    init(_ path: String) throws {
        self.path = path
        let name = (path as NSString).lastPathComponent
        let folder = "Resources/" + (path as NSString).deletingLastPathComponent
        guard let url = Bundle.module.url(forResource: (name as NSString).deletingPathExtension,
                                          withExtension: (name as NSString).pathExtension,
                                          subdirectory: folder) else {
            throw DRGKitError.missingResource(path)
        }
        var data = try Data(contentsOf: url)
        if url.pathExtension == "gz" {
            guard let inflated = Gunzip.inflate(data) else {
                throw DRGKitError.malformedResource(path, line: 0, reason: "not a gzip file")
            }
            data = inflated
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DRGKitError.malformedResource(path, line: 0, reason: "not UTF-8")
        }
        lines = text.split(omittingEmptySubsequences: true) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
            .filter { !$0.hasPrefix("#") }
    }

    /// Rows split on `separator`, keeping empty fields; `skipHeader` drops the first row.
    func rows(separator: Character, skipHeader: Bool) -> [[Substring]] {
        lines.dropFirst(skipHeader ? 1 : 0).map { $0.split(separator: separator, omittingEmptySubsequences: false) }
    }
}

/// What can go wrong inside DRGKit; every case prints as one line naming the culprit.
public enum DRGKitError: Error, CustomStringConvertible, Equatable {
    case missingResource(String)
    case malformedResource(String, line: Int, reason: String)
    case unknownLabelSpace(String)
    case malformedLabelFile(String, reason: String)

    public var description: String {
        switch self {
        case .missingResource(let path): return "DRGKit resource \(path) is missing from the bundle"
        case .malformedResource(let path, let line, let reason): return "DRGKit resource \(path), row \(line): \(reason)"
        case .unknownLabelSpace(let name):
            return "unknown label space '\(name)' (use drg-llama-single, drg-llama-two or a drg_labels.json path)"
        case .malformedLabelFile(let path, let reason): return "label file \(path): \(reason)"
        }
    }
}
