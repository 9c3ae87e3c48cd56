import Foundation

/// What a trainer looks at before retraining: how often coders agree with the model, which
/// (model → coder) pairs are most frequent, and which DRG families are corrected most.
/// Computed from the effective codings (undone decisions excluded) that had a model answer.
public struct TrainingStats: Sendable, Hashable {
    public struct Pair: Sendable, Hashable { public var model: String; public var coder: String; public var count: Int }
    public struct Family: Sendable, Hashable { public var family: String; public var corrected: Int; public var total: Int }
    /// One coder's agreement with the model over the cases whose coding is theirs.
    public struct Coder: Sendable, Hashable { public var user: String; public var agreements: Int; public var codings: Int }

    public var codings = 0
    public var agreements = 0
    public var pairs: [Pair] = []
    public var families: [Family] = []
    public var coders: [Coder] = []

    public var agreementRate: Double? { codings == 0 ? nil : Double(agreements) / Double(codings) }

    public static func compute(log: [LoggedDecision], catalog: DRGCatalog) -> TrainingStats {
        var s = TrainingStats()
        var pairCounts: [String: Int] = [:]
        var familyTotals: [String: (Int, Int)] = [:]
        for d in DecisionLog.codings(log).values.sorted(by: { $0.seq < $1.seq }) {
            guard let model = d.modelTopDRG, let coder = d.chosenDRG else { continue }
            let corrected = model != coder
            if corrected { pairCounts["\(model)→\(coder)", default: 0] += 1 }
            let family = catalog.entry(model)?.base ?? "DRG \(model)"
            var t = familyTotals[family] ?? (0, 0)
            t.1 += 1
            if corrected { t.0 += 1 }
            familyTotals[family] = t
        }
        let agreement = DecisionLog.agreement(log)
        s.codings = agreement.cases
        s.agreements = agreement.agree
        s.pairs = pairCounts.map { key, count in
            let parts = key.components(separatedBy: "→")
            return Pair(model: parts.first ?? "", coder: parts.last ?? "", count: count)
        }.sorted { ($0.count, $1.model, $1.coder) > ($1.count, $0.model, $0.coder) }
        var byCoder: [String: (Int, Int)] = [:]
        for d in DecisionLog.codings(log).values where d.modelTopDRG != nil && d.role == .coder {
            var t = byCoder[d.user] ?? (0, 0)
            t.1 += 1
            if d.chosenDRG == d.modelTopDRG { t.0 += 1 }
            byCoder[d.user] = t
        }
        s.coders = byCoder.map { Coder(user: $0.key, agreements: $0.value.0, codings: $0.value.1) }.sorted { $0.user < $1.user }
        s.families = familyTotals.map { Family(family: $0.key, corrected: $0.value.0, total: $0.value.1) }
            .filter { $0.corrected > 0 }
            .sorted { ($0.corrected, $1.family) > ($1.corrected, $0.family) }
        return s
    }

    /// The codings behind one confusion pair (model said `pair.model`, the case is coded `pair.coder`),
    /// in log order: what the trainer reads to see why.
    public static func cases(of pair: Pair, log: [LoggedDecision]) -> [LoggedDecision] {
        DecisionLog.codings(log).values.filter { $0.modelTopDRG == pair.model && $0.chosenDRG == pair.coder }.sorted { $0.seq < $1.seq }
    }
}
