import Foundation

/// The metrics of a two-label model (DRG-LLaMA's `cls_metrics_multi`): each head on its own, and the
/// DRG accuracy after `map_rule`.
///
///     let report = TwoLabelReport(space: .drgLlamaTwo, logits: rows, trueDRGs: ["291", "069"])
///     report?.base.accuracy      // base-DRG top-1
///     report?.ccMcc.accuracy     // CC/MCC top-1
///     report?.mappedAccuracy     // DRG top-1 with map_rule (the paper's 51.5% figure)
public struct TwoLabelReport: Codable, Sendable, Equatable {
    public var base: MetricsReport
    public var ccMcc: MetricsReport
    /// Fraction of cases `map_rule` calls right (argmax base, argmax of all 5 classes).
    public var mappedAccuracy: Double

    enum CodingKeys: String, CodingKey { case base, ccMcc = "cc_mcc", mappedAccuracy = "acc_map" }

    /// Nil unless `space` is two-label, every row has `space.logitCount` logits and every true DRG
    /// has a base in the space.
    public init?(space: LabelSpace, logits: [[Float]], trueDRGs: [String]) {
        guard space.scheme == .two, logits.count == trueDRGs.count, logits.allSatisfy({ $0.count == space.logitCount }) else {
            return nil
        }
        let targets = trueDRGs.compactMap(space.twoLabelTarget(of:))
        guard targets.count == trueDRGs.count else { return nil }
        let n = space.baseIndices.count
        let baseScores = logits.map { softmax(Array($0[..<n])) }
        let classScores = logits.map { softmax(Array($0[n...])) }
        guard let base = MetricsReport(scores: baseScores, labels: targets.map(\.base)),
              let ccMcc = MetricsReport(scores: classScores, labels: targets.map(\.ccMcc.rawValue)) else { return nil }
        let predictions = zip(baseScores, classScores).map { (argmax($0) ?? 0, argmax($1) ?? 0) }
        guard let mapped = TwoLabelReport.mappedAccuracy(space: space, predictions: predictions,
                                                         truths: targets.map { ($0.base, $0.ccMcc.rawValue) }) else { return nil }
        self.base = base; self.ccMcc = ccMcc; mappedAccuracy = mapped
    }

    /// `accuracies_map`: the fraction of (predicted base logit, class) pairs that ``LabelSpace/mapRule``
    /// accepts against (true base logit, class). Nil for no cases, unequal counts or a class outside 0...4.
    public static func mappedAccuracy(space: LabelSpace, predictions: [(base: Int, ccMcc: Int)],
                                      truths: [(base: Int, ccMcc: Int)]) -> Double? {
        guard !truths.isEmpty, predictions.count == truths.count else { return nil }
        var right = 0
        for (p, t) in zip(predictions, truths) {
            guard let pc = CCMCCClass(rawValue: p.ccMcc), let tc = CCMCCClass(rawValue: t.ccMcc) else { return nil }
            if space.mapRule(predictedBase: p.base, predictedClass: pc, trueBase: t.base, trueClass: tc) { right += 1 }
        }
        return Double(right) / Double(truths.count)
    }
}
