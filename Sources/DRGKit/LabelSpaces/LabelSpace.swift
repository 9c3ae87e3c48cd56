import Foundation

/// What a classifier's logits mean: which DRG (single label) or which base DRG and CC/MCC class
/// (two label) each logit stands for, in which MS-DRG version.
///
///     let space = try LabelSpace.named("drg-llama-two", modelDirectory: nil)
///     space.logitCount                          // 345 = 340 bases + 5 classes
///     let answer = space.predict(logits: logits)
///     answer.ranked.first?.drg                  // e.g. "291"
///
/// The two DRG-LLaMA spaces (Wang et al., DRG-LLaMA; MS-DRG v34):
/// - `drg-llama-single`: 738 logits, logit i = the DRG whose `id2label.csv` label is i;
/// - `drg-llama-two`: 340 base-DRG logits (`principal_diagnosis_lable` of `drg_34_dissection.csv`)
///   then 5 CC/MCC logits in ``CCMCCClass`` order.
///
/// Any other space comes from a `drg_labels.json` (``LabelFile``). A `LabelSpace` is an immutable
/// value (Sendable). It does not run a model and does not know how the logits were made.
public struct LabelSpace: Sendable {
    public enum Scheme: String, Sendable, Codable {
        /// One logit per DRG.
        case single
        /// One logit per base DRG, then the 5 CC/MCC classes.
        case two
    }

    /// "drg-llama-single", "drg-llama-two", or the label file's path.
    public let name: String
    public let version: DRGVersion
    public let scheme: Scheme
    /// Single label: the DRG code of each logit. Empty for two label.
    public let labels: [String]
    /// Two label: the table's base index of each base logit. Empty for single label.
    public let baseIndices: [Int]
    /// The version's table the labels refer to.
    public let table: DRGTable

    /// Number of logits a model with this label space outputs.
    public var logitCount: Int { scheme == .single ? labels.count : baseIndices.count + CCMCCClass.allCases.count }

    /// A single-label space over `labels` (DRG codes, any zero-padding). Throws on an unknown or
    /// repeated code or an empty list.
    public init(singleLabels labels: [String], version: DRGVersion, name: String) throws {
        let table = DRGTable.table(for: version)
        var codes: [String] = []
        for label in labels {
            guard let entry = table.entry(label) else {
                throw DRGKitError.malformedLabelFile(name, reason: "'\(label)' is not an MS-DRG v\(version.rawValue) code")
            }
            codes.append(entry.code)
        }
        guard !codes.isEmpty else { throw DRGKitError.malformedLabelFile(name, reason: "no labels") }
        guard Set(codes).count == codes.count else {
            throw DRGKitError.malformedLabelFile(name, reason: "a DRG appears twice among the labels")
        }
        self.name = name; self.version = version; scheme = .single
        self.labels = codes; baseIndices = []; self.table = table
    }

    /// A two-label space over base DRGs named as in the table (``DRGEntry/baseDRG``, case and
    /// surrounding spaces ignored). Throws on an unknown or repeated base or an empty list.
    public init(twoLabelBases bases: [String], version: DRGVersion, name: String) throws {
        let table = DRGTable.table(for: version)
        var indices: [Int] = []
        for base in bases {
            guard let found = table.base(named: base) else {
                throw DRGKitError.malformedLabelFile(name, reason: "'\(base)' is not a base DRG of MS-DRG v\(version.rawValue)")
            }
            indices.append(found.index)
        }
        guard !indices.isEmpty else { throw DRGKitError.malformedLabelFile(name, reason: "no bases") }
        guard Set(indices).count == indices.count else {
            throw DRGKitError.malformedLabelFile(name, reason: "a base DRG appears twice among the bases")
        }
        self.name = name; self.version = version; scheme = .two
        labels = []; baseIndices = indices; self.table = table
    }

    /// DRG-LLaMA's single-label space: 738 v34 DRGs in `id2label.csv` order.
    public static var drgLlamaSingle: LabelSpace {
        let table = DRGTable.table(for: .v34)
        let codes = table.entries.filter { $0.singleLabelIndex != nil }
            .sorted { ($0.singleLabelIndex ?? 0) < ($1.singleLabelIndex ?? 0) }.map(\.code)
        return LabelSpace(name: "drg-llama-single", version: .v34, scheme: .single, labels: codes, baseIndices: [], table: table)
    }

    /// DRG-LLaMA's two-label space: the 340 v34 base DRGs in `principal_diagnosis_lable` order.
    public static var drgLlamaTwo: LabelSpace {
        let table = DRGTable.table(for: .v34)
        return LabelSpace(name: "drg-llama-two", version: .v34, scheme: .two, labels: [],
                          baseIndices: table.bases.map(\.index), table: table)
    }

    private init(name: String, version: DRGVersion, scheme: Scheme, labels: [String], baseIndices: [Int], table: DRGTable) {
        self.name = name; self.version = version; self.scheme = scheme
        self.labels = labels; self.baseIndices = baseIndices; self.table = table
    }

    /// The label space a model is run with (the `--labels` option of DESIGN.md):
    /// - `"drg-llama-single"`, `"drg-llama-two"`: the built-in DRG-LLaMA spaces;
    /// - any other string: a path to a `drg_labels.json` (relative paths from the working directory);
    /// - nil: `drg_labels.json` in `modelDirectory`.
    /// Throws ``DRGKitError`` naming what is missing or wrong.
    public static func named(_ name: String?, modelDirectory: URL?) throws -> LabelSpace {
        switch name {
        case "drg-llama-single": return drgLlamaSingle
        case "drg-llama-two": return drgLlamaTwo
        case let path?:
            // A name that is neither built in nor an existing file is a typo, not a missing file.
            guard FileManager.default.fileExists(atPath: path) else { throw DRGKitError.unknownLabelSpace(path) }
            return try load(file: URL(fileURLWithPath: path))
        case nil:
            guard let directory = modelDirectory else { throw DRGKitError.unknownLabelSpace("(none given)") }
            let file = directory.appendingPathComponent(LabelFile.fileName)
            guard FileManager.default.fileExists(atPath: file.path) else {
                throw DRGKitError.malformedLabelFile(file.path, reason: "not found (pass --labels drg-llama-single|drg-llama-two|FILE)")
            }
            return try load(file: file)
        }
    }

    /// The built-in space whose logit count is `count` (738 → single, 345 → two), for a model
    /// directory without `drg_labels.json`; nil for any other count.
    public static func drgLlama(logitCount count: Int) -> LabelSpace? {
        [drgLlamaSingle, drgLlamaTwo].first { $0.logitCount == count }
    }

    /// The base DRG of each base logit (two label).
    public var bases: [BaseDRG] { baseIndices.compactMap(table.base(index:)) }
}

extension LabelSpace: Equatable, CustomStringConvertible {
    /// Two spaces are equal when their logits mean the same DRGs (names may differ).
    public static func == (a: LabelSpace, b: LabelSpace) -> Bool {
        a.version == b.version && a.scheme == b.scheme && a.labels == b.labels && a.baseIndices == b.baseIndices
    }

    /// "drg-llama-two: two-label, MS-DRG v34, 345 logits".
    public var description: String {
        "\(name): \(scheme == .single ? "single-label" : "two-label"), MS-DRG v\(version.rawValue), \(logitCount) logits"
    }
}
