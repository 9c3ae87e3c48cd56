import Foundation

/// Metrics of predictions that carry their own label space and weights — a CAML run's, whose ranking
/// holds every label of its rules file with that file's relative weight — against reference codes of
/// the same DRG system (what `drgcoder eval` reports for a CAML model).
///
///     let e = LabelSystemEvaluation(predictions: answers, truths: ["069", "194-4"], resamples: 1000, seed: 0)
///     e?.labelSystem                     // "MS-DRG" (from the predictions)
///     e?.drg.accuracy                    // top-1 over the cases whose reference is a label
///     e?.cmi?.predictedCMI.value         // CMI of the top-1 predictions, rules-file weights
///
/// **Systems are never mixed.** The reference is read in the predictions' system: for MS-DRG a 1–3
/// digit code (`69` and `069` are one DRG); for APR-DRG a base and a severity of illness written with
/// a separator (`194-4`, `194 4`; a bare `1944` or `291` is refused, since `291` is an MS-DRG). A reference that is not a label of the predictions'
/// space — an MS-DRG against an APR-DRG model, or a code the rules file lacks — is left out and
/// counted in `skipped`, never compared. Weights come from the predictions only, so an APR-DRG CMI is
/// an APR-DRG CMI. Does not: compute base-DRG or CC/MCC accuracy (CAML has one head over whole DRGs).
public struct LabelSystemEvaluation: Codable, Sendable, Equatable {
    /// "MS-DRG" or "APR-DRG" (the predictions' `label_system`).
    public var labelSystem: String
    /// Labels in the predictions' space (the union of their rankings).
    public var labels: Int
    public var drg: MetricsReport
    /// Cases whose reference is not a label of the predictions' space.
    public var skipped: Int
    /// Population CMI and payment with bootstrap intervals, weights of the predictions' rules file
    /// (nil when a label has no weight).
    public var cmi: CaseMixBootstrap?

    enum CodingKeys: String, CodingKey {
        case labelSystem = "label_system", labels, drg, skipped, cmi = "cmi_bootstrap"
    }

    /// Nil when the predictions do not all speak one system, or no reference is a label.
    public init?(predictions: [DRGPrediction], truths: [String], payment: Payment = Payment(), resamples: Int = 1000,
                 seed: UInt64 = 0) {
        guard predictions.count == truths.count, let system = predictions.first?.labelSystem,
              predictions.allSatisfy({ $0.labelSystem == system }) else { return nil }
        var weights: [String: Double] = [:]
        for p in predictions { for r in p.ranked where weights[r.drg] == nil { weights[r.drg] = r.weight ?? .nan } }
        let universe = weights.keys.sorted()
        let column = Dictionary(uniqueKeysWithValues: universe.enumerated().map { ($1, $0) })
        var scores: [[Double]] = [], labels: [Int] = [], predicted: [Double] = [], final: [Double] = []
        for (p, t) in zip(predictions, truths) {
            guard let code = Self.normalized(t, system: system), let j = column[code] else { continue }
            var row = [Double](repeating: 0, count: universe.count)
            for r in p.ranked { if let i = column[r.drg] { row[i] = r.probability } }
            scores.append(row); labels.append(j)
            predicted.append(p.ranked.first.flatMap { weights[$0.drg] } ?? .nan)
            final.append(weights[code] ?? .nan)
        }
        guard let report = MetricsReport(scores: scores, labels: labels) else { return nil }
        labelSystem = system
        self.labels = universe.count
        drg = report
        skipped = truths.count - labels.count
        let weighted = (predicted + final).allSatisfy(\.isFinite)
        cmi = weighted ? CaseMixBootstrap(predicted: predicted, final: final, payment: payment, resamples: resamples, seed: seed) : nil
    }

    /// A reference code in the notation of `system`'s labels: MS-DRG `069`; APR-DRG `194-4`. Nil when
    /// it is not a code of that system.
    public static func normalized(_ code: String, system: String) -> String? {
        let text = code.trimmingCharacters(in: .whitespaces)
        guard system == "APR-DRG" else { return DRGTable.normalizedCode(text) }
        return APRDRGCode.normalized(text)
    }
}
