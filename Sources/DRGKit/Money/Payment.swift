import Foundation

/// DRG-based expected payment and case mix, as in the CAML early-DRG paper (Liu et al.,
/// ../shared/papers/003): payment ≈ relative weight × base payment rate; the case-mix index (CMI)
/// of a set of stays is the mean of their DRG weights; the CMI error is (predicted CMI − true CMI)
/// / true CMI.
///
///     Payment(baseRate: 6000).amount(weight: 1.2838)          // 7702.8
///     CaseMix.index(weights: [1.0, 2.0])                       // 1.5
///     CaseMix.error(predicted: [1.1, 2.0], actual: [1.0, 2.0])  // 0.0333…
///
/// The default base rate, $6,000, is the illustrative rate the CAML paper assumes; it is not a CMS
/// figure. A real hospital's rate depends on its wage index and adjustments: pass it in. This is
/// deliberately not a Medicare pricer (no outliers, transfers, IME/DSH or new-technology add-ons).
public struct Payment: Sendable, Equatable, Codable {
    /// $6,000: "By assuming a base payment rate of $6000" (CAML paper, Results, CMI prediction).
    public static let defaultBaseRate: Double = 6000

    public var baseRate: Double

    public init(baseRate: Double = Payment.defaultBaseRate) { self.baseRate = baseRate }

    /// Expected payment of one stay: `weight × baseRate`.
    public func amount(weight: Double) -> Double { weight * baseRate }

    /// Expected payment of one DRG, nil when its version has no weight.
    public func amount(for entry: DRGEntry) -> Double? { entry.weight.map(amount(weight:)) }

    /// Total expected payment of a set of stays.
    public func total(weights: [Double]) -> Double { weights.reduce(0) { $0 + amount(weight: $1) } }
}

/// Case-mix index and its error (CAML paper; `reg_metrics` of DRG-LLaMA's utils/eval_utils.py).
public enum CaseMix {
    /// CMI: the mean relative weight of the stays; nil for no stays.
    public static func index(weights: [Double]) -> Double? {
        weights.isEmpty ? nil : weights.reduce(0, +) / Double(weights.count)
    }

    /// Signed CMI error: (CMI(predicted) − CMI(actual)) / CMI(actual), over paired stays (equal
    /// counts, the same stays). Positive = overestimate; the paper reports its absolute value.
    /// Nil for unequal or empty inputs or a zero true CMI.
    public static func error(predicted: [Double], actual: [Double]) -> Double? {
        guard predicted.count == actual.count, let p = index(weights: predicted), let a = index(weights: actual), a != 0 else {
            return nil
        }
        return (p - a) / a
    }

    /// The CMI of DRG codes in `table`; codes without a weight (unknown, or v34) are skipped and counted.
    public static func index(codes: [String], in table: DRGTable) -> (cmi: Double?, skipped: Int) {
        let weights = codes.compactMap { table.entry($0)?.weight }
        return (index(weights: weights), codes.count - weights.count)
    }
}
