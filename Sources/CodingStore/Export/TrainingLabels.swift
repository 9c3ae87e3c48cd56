import DRGKit
import Foundation

/// DRG → the label indices DRG-LLaMA's training scripts read, from DRGKit's label spaces.
///
/// - single label: the position of the DRG in a single-scheme label space (DRG-LLaMA's 738 v34 DRGs
///   of `id2label.csv` by default, or any single-scheme `drg_labels.json`);
/// - two label: the position of the DRG's base in a two-scheme label space (DRG-LLaMA's 340 bases of
///   `drg_34_dissection.csv`, `principal_diagnosis_lable`) and its CC/MCC class (0 without CC/MCC,
///   1 with CC, 2 with MCC, 3 without MCC, 4 not applicable).
/// Codes are compared as DRGKit normalises them ("001" = "1").
public struct TrainingLabels: Sendable {
    public let single: LabelSpace
    public let two: LabelSpace
    private let singleIndex: [String: Int]
    private let baseOffset: [Int: Int]

    public init(single: LabelSpace, two: LabelSpace) {
        self.single = single
        self.two = two
        var index: [String: Int] = [:]
        for (i, code) in single.labels.enumerated() { if let key = DRGTable.normalizedCode(code) { index[key] = i } }
        singleIndex = index
        baseOffset = Dictionary(two.baseIndices.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// DRG-LLaMA's spaces (v34).
    public static func drgLlama() -> TrainingLabels { TrainingLabels(single: .drgLlamaSingle, two: .drgLlamaTwo) }

    /// A loaded model's own label space for its scheme (its `drg_labels.json`, or the `--labels` it
    /// was loaded with); the other scheme stays DRG-LLaMA's. What the trainer's view exports with, so
    /// retraining that model reads the indices it was trained on.
    public static func of(model space: LabelSpace) -> TrainingLabels {
        space.scheme == .single ? TrainingLabels(single: space, two: .drgLlamaTwo) : TrainingLabels(single: .drgLlamaSingle, two: space)
    }

    /// `--labels NAME|FILE`: replaces the space of its scheme; the other stays DRG-LLaMA's.
    public static func named(_ name: String) throws -> TrainingLabels {
        let space: LabelSpace
        do { space = try LabelSpace.named(name, modelDirectory: nil) } catch {
            throw StoreError.invalid("cannot read the label space \(name): \(error)")
        }
        return space.scheme == .single ? TrainingLabels(single: space, two: .drgLlamaTwo)
                                       : TrainingLabels(single: .drgLlamaSingle, two: space)
    }

    /// Number of base DRGs of the two-label space (340 for DRG-LLaMA).
    public var baseCount: Int { two.baseIndices.count }
    public static let ccMccClassCount = CCMCCClass.allCases.count

    /// The single-label index of `drg`, or nil when the label space lacks it.
    public func singleLabel(_ drg: String) -> Int? { DRGTable.normalizedCode(drg).flatMap { singleIndex[$0] } }

    /// (base position, CC/MCC class) of `drg`, or nil.
    public func twoLabel(_ drg: String) -> (base: Int, ccMcc: Int)? {
        guard let entry = two.table.entry(drg), let base = baseOffset[entry.baseIndex] else { return nil }
        return (base, entry.ccMccClass.rawValue)
    }

    /// The 345-wide one-hot (bases then 5 classes) exactly as DRG-LLaMA's preprocessing writes it
    /// to CSV: pandas stores the numpy uint8 array as `str(array)`, i.e. `[0 0 … 1 …]` wrapped by
    /// numpy at 75 columns — 37 digits a line, lines joined by `\n ` — which `llama_two.py` reads back
    /// with `np.fromstring(x[1:-1], sep=" ")`.
    public func twoLabelOneHot(_ drg: String) -> String? {
        guard let (base, cc) = twoLabel(drg) else { return nil }
        var digits = [Character](repeating: "0", count: baseCount + Self.ccMccClassCount)
        digits[base] = "1"
        digits[baseCount + cc] = "1"
        var lines: [String] = []
        var start = 0
        while start < digits.count {
            let end = min(start + 37, digits.count)
            lines.append(digits[start..<end].map(String.init).joined(separator: " "))
            start = end
        }
        return "[" + lines.joined(separator: "\n ") + "]"
    }
}
