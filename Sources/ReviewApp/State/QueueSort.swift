import Foundation

/// The order of the queue list (`s` cycles it). `queue` is the store's order (priority, then import
/// order); the others put first what most needs a coder:
/// - `confidence`: the model's least sure top DRG first (unscored cases last);
/// - `stake`: the most money on the CC/MCC call first — the payment spread of the top DRG's family
///   (its best-paid member minus its least-paid, at the screen's base rate);
/// - `age`: the oldest import first (the store's case id is its import order).
public enum QueueSort: String, Sendable, Hashable, CaseIterable {
    case queue, confidence, stake = "at stake", age

    func sorted(_ rows: [CaseSummary]) -> [CaseSummary] {
        switch self {
        case .queue: return rows
        case .confidence: return rows.stableSorted { ($0.confidence ?? 2) < ($1.confidence ?? 2) }
        case .stake: return rows.stableSorted { ($0.atStake ?? -1) > ($1.atStake ?? -1) }
        case .age: return rows.stableSorted { $0.id < $1.id }
        }
    }

    /// The payment spread of the family of the case's coded or top DRG; nil without a DRG or weights.
    /// Update stores it in `CaseSummary.atStake` when the queue loads (the state holds no catalog).
    static func atStake(_ c: CaseSummary, catalog: DRGCatalog) -> Double? {
        guard let code = c.codedDRG ?? c.topDRG else { return nil }
        let pay = catalog.siblings(of: code).compactMap { $0.weight.flatMap(catalog.payment(forWeight:)) }
        guard let hi = pay.max(), let lo = pay.min() else { return nil }
        return hi - lo
    }
}


extension Array {
    /// Sorted by `less`, keeping the order of equal elements.
    func stableSorted(by less: (Element, Element) -> Bool) -> [Element] {
        enumerated().sorted { less($0.element, $1.element) || (!less($1.element, $0.element) && $0.offset < $1.offset) }.map(\.element)
    }
}
