import Foundation

extension LabelSpace {
    /// Turns a model's logits into DRGs.
    ///
    /// - Single label: P = softmax(logits); `ranked` is every label's DRG, best first; `baseDRGs`
    ///   sums P over the DRGs of each base, `ccMcc` over the DRGs of each CC/MCC class.
    /// - Two label: P(base) = softmax(base logits), P(class) = softmax(class logits), and every DRG of
    ///   every base gets P(drg) = P(base) · P(class | class valid for that base), i.e. P(class)
    ///   renormalised over the classes that occur in the base (DRG-LLaMA Supplementary Method 2).
    ///   `baseDRGs` and `ccMcc` are the two heads' own softmaxes. The top of `ranked` can differ from
    ///   the paper's argmax inference (``twoLabelInference(logits:)``), which picks the best base first.
    ///
    /// Ties rank by code. Logits beyond ``logitCount`` are ignored and missing ones count as
    /// impossible, so a wrong-shaped vector never crashes; the engine checks shapes at load.
    public func predict(logits: [Float]) -> DRGPrediction {
        let logits = (0..<logitCount).map { $0 < logits.count ? logits[$0] : -Float.infinity }
        switch scheme {
        case .single: return predictSingle(softmax(logits))
        case .two: return predictTwo(bases: softmax(Array(logits[..<baseIndices.count])),
                                     classes: softmax(Array(logits[baseIndices.count...])))
        }
    }

    private func predictSingle(_ probabilities: [Double]) -> DRGPrediction {
        var ranked: [RankedDRG] = []
        var byBase: [String: Double] = [:]
        var byClass: [CCMCCClass: Double] = [:]
        for (code, p) in zip(labels, probabilities) {
            guard let entry = table.entry(code) else { continue }
            ranked.append(rankedDRG(entry, p))
            byBase[entry.baseDRG, default: 0] += p
            byClass[entry.ccMccClass, default: 0] += p
        }
        return DRGPrediction(ranked: sorted(ranked),
                             baseDRGs: sortedMarginals(byBase),
                             ccMcc: sortedMarginals(classMarginals(byClass)))
    }

    private func predictTwo(bases pBase: [Double], classes pClass: [Double]) -> DRGPrediction {
        var ranked: [RankedDRG] = []
        var byBase: [String: Double] = [:]
        for (base, p) in zip(bases, pBase) {
            byBase[base.name, default: 0] += p
            for (code, conditional) in LabelSpace.conditionalClassProbabilities(pClass, in: base) {
                guard let entry = table.entry(code) else { continue }
                ranked.append(rankedDRG(entry, p * conditional))
            }
        }
        var byClass: [CCMCCClass: Double] = [:]
        for (ccMcc, p) in zip(CCMCCClass.allCases, pClass) { byClass[ccMcc] = p }
        return DRGPrediction(ranked: sorted(ranked), baseDRGs: sortedMarginals(byBase),
                             ccMcc: sortedMarginals(classMarginals(byClass)))
    }

    /// P(class | class valid for `base`) for each member DRG of `base`: the class head's
    /// probabilities renormalised over the base's classes (uniform if they all underflow to 0).
    static func conditionalClassProbabilities(_ pClass: [Double], in base: BaseDRG) -> [(code: String, p: Double)] {
        let mass = base.classes.map { pClass.indices.contains($0.rawValue) ? pClass[$0.rawValue] : 0 }
        let total = mass.reduce(0, +)
        return zip(base.codes, mass).map { code, m in (code, total > 0 ? m / total : 1 / Double(mass.count)) }
    }

    private func rankedDRG(_ entry: DRGEntry, _ p: Double) -> RankedDRG {
        RankedDRG(drg: entry.code, description: entry.description, probability: p,
                  base: entry.baseDRG, ccMcc: entry.ccMccLabel, weight: entry.weight)
    }

    private func sorted(_ ranked: [RankedDRG]) -> [RankedDRG] {
        ranked.sorted { $0.probability != $1.probability ? $0.probability > $1.probability : $0.drg < $1.drg }
    }

    private func classMarginals(_ byClass: [CCMCCClass: Double]) -> [String: Double] {
        Dictionary(uniqueKeysWithValues: CCMCCClass.allCases.map { ($0.label, byClass[$0] ?? 0) })
    }

    private func sortedMarginals(_ values: [String: Double]) -> [Marginal] {
        values.map { Marginal(label: $0.key, probability: $0.value) }
            .sorted { $0.probability != $1.probability ? $0.probability > $1.probability : $0.label < $1.label }
    }
}
