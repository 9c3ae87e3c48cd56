import Foundation

/// The evaluation metrics of DRG-LLaMA and CAML (`utils/eval_utils.py` of hanyin88/DRG-LLaMA, adopted
/// from JHLiu7/EarlyDRGPrediction), written to agree with scikit-learn to 1e-9 (tested on fixtures
/// from training/fixtures/make_metrics_fixtures.py).
///
///     let scores: [[Double]] = [[0.1, 0.9], [0.8, 0.2]]   // one row per case, one column per label
///     ClassificationMetrics.accuracy(atK: 1, scores: scores, labels: [1, 1])   // 0.5
///
/// Inputs: `scores[i][j]` is case i's score for label j (probabilities, e.g. ``softmax(_:)`` of
/// logits: AUC compares scores across cases), `labels[i]` the true label of case i. Rows must have
/// equal length and labels must index into them; functions return nil otherwise or for no cases.
/// O(n·c log(n·c)) at worst (micro AUC sorts every score once).
public enum ClassificationMetrics {
    /// Fraction of cases whose true label is among their `k` highest scores (acc@1, @5, @10).
    /// Ties at the k-th score count in the label's favour when it ties (numpy's argsort order is
    /// unspecified there).
    public static func accuracy(atK k: Int, scores: [[Double]], labels: [Int]) -> Double? {
        guard valid(scores, labels), k > 0 else { return nil }
        var hits = 0
        for (row, label) in zip(scores, labels) {
            let better = row.reduce(0) { $0 + ($1 > row[label] ? 1 : 0) }
            if better < k { hits += 1 }
        }
        return Double(hits) / Double(labels.count)
    }

    /// Macro and micro F1 of argmax predictions over the labels present in `labels`, as sklearn's
    /// `f1_score(y, argmax, average=..., labels=np.unique(y))`: a prediction of a label that never
    /// occurs as truth is not a false positive of any counted label; per-label F1 = 2tp/(2tp+fp+fn).
    public static func f1(predictions: [Int], labels: [Int]) -> (macro: Double, micro: Double)? {
        guard !labels.isEmpty, predictions.count == labels.count else { return nil }
        let present = Set(labels)
        var tp: [Int: Int] = [:], fp: [Int: Int] = [:], fn: [Int: Int] = [:]
        for (p, y) in zip(predictions, labels) {
            if p == y { tp[y, default: 0] += 1 } else {
                fn[y, default: 0] += 1
                if present.contains(p) { fp[p, default: 0] += 1 }
            }
        }
        var macro = 0.0
        for label in present {
            let t = Double(tp[label] ?? 0), denominator = 2 * t + Double(fp[label] ?? 0) + Double(fn[label] ?? 0)
            macro += denominator > 0 ? 2 * t / denominator : 0
        }
        let t = Double(tp.values.reduce(0, +))
        let micro = 2 * t / (2 * t + Double(fp.values.reduce(0, +)) + Double(fn.values.reduce(0, +)))
        return (macro / Double(present.count), micro.isNaN ? 0 : micro)
    }

    /// One-vs-rest ROC AUC: macro = mean AUC over labels that occur in `labels` (and do not cover
    /// every case), micro = AUC of all (case, label) pairs at once, as `ave_auc_scores` does with
    /// sklearn's `roc_curve` + `auc`. `labelsPresent` is how many labels the macro mean averages.
    public static func auc(scores: [[Double]], labels: [Int]) -> (macro: Double, micro: Double, labelsPresent: Int)? {
        guard valid(scores, labels), let width = scores.first?.count else { return nil }
        var perLabel: [Double] = []
        for j in 0..<width {
            let positives = labels.map { $0 == j }
            if let value = rocAUC(scores: scores.map { $0[j] }, positives: positives) { perLabel.append(value) }
        }
        var flatScores: [Double] = [], flatTruth: [Bool] = []
        flatScores.reserveCapacity(scores.count * width); flatTruth.reserveCapacity(scores.count * width)
        for (row, label) in zip(scores, labels) {
            flatScores += row
            flatTruth += row.indices.map { $0 == label }
        }
        guard !perLabel.isEmpty, let micro = rocAUC(scores: flatScores, positives: flatTruth) else { return nil }
        return (perLabel.reduce(0, +) / Double(perLabel.count), micro, perLabel.count)
    }

    /// Area under the ROC curve of one binary problem, the trapezoidal area sklearn's
    /// `auc(roc_curve(...))` gives: tied scores form one step, so a tie counts one half.
    /// Nil when there are no positives or no negatives.
    public static func rocAUC(scores: [Double], positives: [Bool]) -> Double? {
        guard scores.count == positives.count else { return nil }
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        let totalPositive = Double(positives.filter { $0 }.count), totalNegative = Double(positives.count) - totalPositive
        guard totalPositive > 0, totalNegative > 0 else { return nil }
        var area = 0.0, tp = 0.0, fp = 0.0, i = 0
        while i < order.count {
            let threshold = scores[order[i]]
            var stepTP = 0.0, stepFP = 0.0
            while i < order.count, scores[order[i]] == threshold {
                if positives[order[i]] { stepTP += 1 } else { stepFP += 1 }
                i += 1
            }
            area += stepFP * (tp + stepTP / 2)  // trapezoid over this step, in unnormalised units
            tp += stepTP; fp += stepFP
        }
        return area / (totalPositive * totalNegative)
    }

    private static func valid(_ scores: [[Double]], _ labels: [Int]) -> Bool {
        guard !labels.isEmpty, scores.count == labels.count, let width = scores.first?.count, width > 0 else { return false }
        return scores.allSatisfy { $0.count == width } && labels.allSatisfy { (0..<width).contains($0) }
    }
}

/// Every metric of one classification head, as DRG-LLaMA's `cls_metrics` reports them.
public struct MetricsReport: Codable, Sendable, Equatable {
    public var count: Int
    public var accuracy: Double
    public var accuracyAt5: Double
    public var accuracyAt10: Double
    public var macroF1: Double
    public var microF1: Double
    public var macroAUC: Double?
    public var microAUC: Double?
    /// Labels the macro AUC averages over (present in the truth, not covering every case).
    public var labelsPresent: Int

    enum CodingKeys: String, CodingKey {
        case count, accuracy = "acc1", accuracyAt5 = "acc5", accuracyAt10 = "acc10"
        case macroF1 = "macro_f1", microF1 = "micro_f1", macroAUC = "macro_auc", microAUC = "micro_auc"
        case labelsPresent = "labels_present"
    }

    /// Metrics of `scores` (probabilities, one row per case) against true `labels`; nil for no
    /// cases or mismatched shapes. AUCs are nil when no label has both positives and negatives.
    public init?(scores: [[Double]], labels: [Int]) {
        guard let a1 = ClassificationMetrics.accuracy(atK: 1, scores: scores, labels: labels),
              let a5 = ClassificationMetrics.accuracy(atK: 5, scores: scores, labels: labels),
              let a10 = ClassificationMetrics.accuracy(atK: 10, scores: scores, labels: labels),
              let f1 = ClassificationMetrics.f1(predictions: scores.compactMap(argmax), labels: labels) else { return nil }
        let auc = ClassificationMetrics.auc(scores: scores, labels: labels)
        self.init(count: labels.count, accuracy: a1, accuracyAt5: a5, accuracyAt10: a10, macroF1: f1.macro,
                  microF1: f1.micro, macroAUC: auc?.macro, microAUC: auc?.micro, labelsPresent: auc?.labelsPresent ?? 0)
    }

    /// Metrics of logits: softmax per row, then ``init(scores:labels:)``.
    public init?(logits: [[Float]], labels: [Int]) {
        self.init(scores: logits.map { softmax($0) }, labels: labels)
    }

    public init(count: Int, accuracy: Double, accuracyAt5: Double, accuracyAt10: Double, macroF1: Double,
                microF1: Double, macroAUC: Double?, microAUC: Double?, labelsPresent: Int) {
        self.count = count; self.accuracy = accuracy; self.accuracyAt5 = accuracyAt5; self.accuracyAt10 = accuracyAt10
        self.macroF1 = macroF1; self.microF1 = microF1; self.macroAUC = macroAUC; self.microAUC = microAUC
        self.labelsPresent = labelsPresent
    }
}
