import Foundation

/// The numbers under the queue: counts, coded today, agreement with the model, predicted CMI and,
/// where final DRGs exist, the CMI error; a 10-bin histogram of the model's top-1 confidence.
///
/// CMI (case-mix index) is the mean relative weight of a set of cases (CAML paper, ../shared/papers/003).
/// "Predicted CMI" uses each scored case's top DRG; the error compares it with the CMI of the final
/// DRGs over the cases that have both. Final DRGs stay aggregate: no case's final DRG is shown.
public struct QueueSummary: Sendable, Hashable {
    public var total = 0
    public var counts: [ReviewStatus: Int] = [:]
    public var scored = 0
    public var codedToday = 0
    public var agreements = 0
    public var codings = 0
    public var predictedCMI: Double?
    public var cmiError: Double?
    public var cmiErrorCases = 0
    public var confidenceBins = Array(repeating: 0, count: 10)

    public var agreementRate: Double? { codings == 0 ? nil : Double(agreements) / Double(codings) }

    public static func compute(queue: [CaseSummary], log: [LoggedDecision], catalog: DRGCatalog,
                               now: Date, calendar: Calendar = Calendar(identifier: .gregorian)) -> QueueSummary {
        var s = QueueSummary()
        s.total = queue.count
        for c in queue { s.counts[c.status, default: 0] += 1 }
        var predictedWeights: [Double] = []
        var pairs: [(Double, Double)] = []
        for c in queue {
            guard let top = c.topDRG else { continue }
            s.scored += 1
            if let p = c.confidence { s.confidenceBins[min(9, max(0, Int(p * 10)))] += 1 }
            if let w = catalog.entry(top)?.weight {
                predictedWeights.append(w)
                if let f = c.finalDRG, let fw = catalog.entry(f)?.weight { pairs.append((w, fw)) }
            }
        }
        if !predictedWeights.isEmpty { s.predictedCMI = predictedWeights.reduce(0, +) / Double(predictedWeights.count) }
        if !pairs.isEmpty {
            s.cmiErrorCases = pairs.count
            s.cmiError = (pairs.map(\.0).reduce(0, +) - pairs.map(\.1).reduce(0, +)) / Double(pairs.count)
        }
        var utc = calendar
        utc.timeZone = TimeZone(identifier: "UTC") ?? utc.timeZone
        for d in DecisionLog.codings(log).values where utc.isDate(d.decidedAt, inSameDayAs: now) { s.codedToday += 1 }
        let agreement = DecisionLog.agreement(log)
        s.codings = agreement.cases
        s.agreements = agreement.agree
        return s
    }
}
