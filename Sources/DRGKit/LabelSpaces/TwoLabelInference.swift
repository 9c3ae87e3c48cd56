import Foundation

/// DRG-LLaMA's two-label answer for one note: the base DRG, the CC/MCC class and the DRG they make.
public struct TwoLabelDecision: Sendable, Equatable {
    /// Index of the chosen base logit (== the v34 `principal_diagnosis_lable` for drg-llama-two).
    public var baseLogit: Int
    public var base: BaseDRG
    /// argmax of the class head over all 5 classes (what `map_rule` evaluates).
    public var rawClass: CCMCCClass
    /// argmax of the class head over the classes valid for `base` (what inference uses).
    public var ccMcc: CCMCCClass
    /// The DRG code of `base` with class `ccMcc`.
    public var drg: String
}

extension LabelSpace {
    /// The paper's inference (Supplementary Method 2): argmax base DRG, then argmax CC/MCC class
    /// *within that base's valid classes*, giving exactly one DRG of that base. Nil for a
    /// single-label space.
    ///
    ///     // bases: DEGENERATIVE NERVOUS SYSTEM DISORDERS (056/057) wins; class head prefers "with CC"
    ///     // (not valid there) over "with MCC": the DRG is 056, the best valid class.
    public func twoLabelInference(logits: [Float]) -> TwoLabelDecision? {
        guard scheme == .two, logits.count >= logitCount else { return nil }
        let pBase = softmax(Array(logits[..<baseIndices.count]))
        let pClass = softmax(Array(logits[baseIndices.count..<logitCount]))
        guard let b = argmax(pBase), let raw = argmax(pClass).flatMap(CCMCCClass.init(rawValue:)),
              let base = table.base(index: baseIndices[b]) else { return nil }
        let valid = base.classes.sorted()
        guard let best = valid.max(by: { pClass[$0.rawValue] < pClass[$1.rawValue] || (pClass[$0.rawValue] == pClass[$1.rawValue] && $0 > $1) }),
              let code = base.code(for: best) else { return nil }
        return TwoLabelDecision(baseLogit: b, base: base, rawClass: raw, ccMcc: best, drg: code)
    }

    /// DRG-LLaMA's `map_rule` (utils/eval_utils.py): is a two-label prediction (base logit,
    /// class) right for the true (base logit, class)? The bases must match; then a class valid for
    /// the base must equal the truth, and an invalid class is first mapped by the split family
    /// (``SplitFamily/resolve(_:valid:)``): no split → anything is right; three-way → without
    /// CC/MCC; MCC vs rest → without MCC; MCC/CC vs none → with MCC becomes with CC/MCC, else without.
    public func mapRule(predictedBase: Int, predictedClass: CCMCCClass, trueBase: Int, trueClass: CCMCCClass) -> Bool {
        guard scheme == .two, predictedBase == trueBase, baseIndices.indices.contains(trueBase),
              let base = table.base(index: baseIndices[trueBase]) else { return false }
        return base.family.resolve(predictedClass, valid: base.validClasses) == trueClass
    }

    /// The two-label target of a DRG code: (base logit, class), or nil if its base is not a label.
    public func twoLabelTarget(of code: String) -> (base: Int, ccMcc: CCMCCClass)? {
        guard scheme == .two, let entry = table.entry(code),
              let logit = baseIndices.firstIndex(of: entry.baseIndex) else { return nil }
        return (logit, entry.ccMccClass)
    }

    /// The logit index of a DRG code in a single-label space.
    public func singleLabelIndex(of code: String) -> Int? {
        guard scheme == .single, let entry = table.entry(code) else { return nil }
        return labels.firstIndex(of: entry.code)
    }
}
