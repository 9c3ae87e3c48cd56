import Foundation

/// Metrics of stored predictions against the DRGs coders finally chose (what `drgcoder eval` reports).
///
///     let evaluation = DRGEvaluation(predictions: answers, truths: ["291", "871"], table: .table(for: .v43))
///     evaluation?.drg.accuracy         // top-1 DRG accuracy
///     evaluation?.cmiError             // (CMI of top-1 predictions − CMI of final DRGs) / final CMI
///
/// Works from ``DRGPrediction`` values (no logits needed): the DRG report scores every code that
/// occurs in any ranking or truth (a DRG absent from a ranking scores 0); base-DRG and CC/MCC accuracy
/// compare the top marginal with the truth's base and class; `mappedAccuracy` applies `map_rule` to
/// those two tops (meaningful for two-label models, whose marginals are the heads). Cases whose
/// truth is not a DRG of `table` are left out and counted in `skipped`.
public struct DRGEvaluation: Codable, Sendable, Equatable {
    public var drg: MetricsReport
    public var baseAccuracy: Double
    public var ccMccAccuracy: Double
    public var mappedAccuracy: Double
    /// Case-mix index of the top-1 predictions and of the truths (nil when the version has no weights).
    public var predictedCMI: Double?
    public var trueCMI: Double?
    public var cmiError: Double?
    public var skipped: Int

    enum CodingKeys: String, CodingKey {
        case drg, baseAccuracy = "base_acc", ccMccAccuracy = "cc_mcc_acc", mappedAccuracy = "acc_map"
        case predictedCMI = "predicted_cmi", trueCMI = "true_cmi", cmiError = "cmi_error", skipped
    }

    /// Nil when no case is left (no predictions, unequal counts, or no known truth).
    public init?(predictions: [DRGPrediction], truths: [String], table: DRGTable) {
        guard predictions.count == truths.count else { return nil }
        let cases = zip(predictions, truths).compactMap { p, t in table.entry(t).map { (p, $0) } }
        guard !cases.isEmpty else { return nil }
        var codes = Set(cases.map(\.1.code))
        for (p, _) in cases { codes.formUnion(p.ranked.map(\.drg)) }
        let universe = codes.sorted()
        let column = Dictionary(uniqueKeysWithValues: universe.enumerated().map { ($1, $0) })
        let scores: [[Double]] = cases.map { p, _ in
            var row = [Double](repeating: 0, count: universe.count)
            for r in p.ranked { if let j = column[r.drg] { row[j] = r.probability } }
            return row
        }
        guard let drg = MetricsReport(scores: scores, labels: cases.compactMap { column[$0.1.code] }) else { return nil }

        var baseRight = 0, classRight = 0, mappedRight = 0
        for (p, truth) in cases {
            let baseOK = p.baseDRGs.first.map { DRGTable.key($0.label) == DRGTable.key(truth.baseDRG) } ?? false
            let predictedClass = p.ccMcc.first.flatMap { CCMCCClass(label: $0.label) }
            if baseOK { baseRight += 1 }
            if predictedClass == truth.ccMccClass { classRight += 1 }
            if baseOK, let predictedClass, let base = table.base(index: truth.baseIndex),
               base.family.resolve(predictedClass, valid: base.validClasses) == truth.ccMccClass {
                mappedRight += 1
            }
        }
        let n = Double(cases.count)
        self.drg = drg
        baseAccuracy = Double(baseRight) / n
        ccMccAccuracy = Double(classRight) / n
        mappedAccuracy = Double(mappedRight) / n
        let predictedWeights = cases.compactMap { p, _ in p.ranked.first.flatMap { table.entry($0.drg)?.weight } }
        let trueWeights = cases.compactMap { $0.1.weight }
        predictedCMI = CaseMix.index(weights: predictedWeights)
        trueCMI = CaseMix.index(weights: trueWeights)
        cmiError = predictedWeights.count == cases.count && trueWeights.count == cases.count
            ? CaseMix.error(predicted: predictedWeights, actual: trueWeights) : nil
        skipped = truths.count - cases.count
    }
}
