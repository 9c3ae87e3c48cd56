import Foundation

/// A population's case-mix index as the CAML early-DRG paper reports it (Liu et al. 2021,
/// ../shared/papers/003, "CMI prediction" and Methods): the CMI of the predicted DRGs against the CMI
/// of the final DRGs over the same stays, the CMI error `(predicted − final) / final`, each with a
/// percentile bootstrap confidence interval (stays resampled with replacement, paired), and the
/// DRG-based payment `weight × base rate` summed over the population.
///
///     let estimate = CaseMixBootstrap(predicted: [1.2, 0.9, 2.1], final: [1.0, 0.9, 2.4], resamples: 1000, seed: 7)
///     estimate?.predictedCMI            // 1.4
///     estimate?.error.interval          // 95% interval of the signed CMI error
///     estimate?.predictedPayment        // (1.2 + 0.9 + 2.1) × $6,000
///
/// Deterministic: the resampling uses its own seeded generator (SplitMix64), so the same input and
/// seed give the same interval on every machine. Cost: O(resamples × stays). Does not: price claims
/// (no outliers, transfers or add-ons; see ``Payment``), or choose the weights (the caller pairs each
/// stay's predicted and final weights, in one DRG system and one table).
public struct CaseMixBootstrap: Codable, Sendable, Equatable {
    /// A point estimate and its percentile interval.
    public struct Estimate: Codable, Sendable, Equatable {
        public var value: Double
        public var lower: Double
        public var upper: Double
    }

    public var stays: Int
    public var resamples: Int
    public var confidence: Double
    public var seed: UInt64
    public var predictedCMI: Estimate
    public var finalCMI: Estimate
    /// Signed `(predicted − final) / final`; the paper reports its absolute value.
    public var error: Estimate
    public var baseRate: Double
    /// Σ weight × base rate over the stays.
    public var predictedPayment: Estimate
    public var finalPayment: Double

    enum CodingKeys: String, CodingKey {
        case stays, resamples, confidence, seed, predictedCMI = "predicted_cmi", finalCMI = "final_cmi", error = "cmi_error"
        case baseRate = "base_rate", predictedPayment = "predicted_payment", finalPayment = "final_payment"
    }

    /// Nil for no stays, unequal counts, a zero final CMI, fewer than 2 resamples or a confidence
    /// outside (0, 1).
    public init?(predicted: [Double], final: [Double], payment: Payment = Payment(), resamples: Int = 1000,
                 confidence: Double = 0.95, seed: UInt64 = 0) {
        guard !predicted.isEmpty, predicted.count == final.count, resamples >= 2, confidence > 0, confidence < 1,
              let p = CaseMix.index(weights: predicted), let f = CaseMix.index(weights: final), f != 0 else { return nil }
        let n = predicted.count
        var generator = SplitMix64(seed: seed)
        var predictedMeans: [Double] = [], finalMeans: [Double] = [], errors: [Double] = []
        for _ in 0..<resamples {
            var sumP = 0.0, sumF = 0.0
            for _ in 0..<n {
                let i = Int(generator.next() % UInt64(n))
                sumP += predicted[i]; sumF += final[i]
            }
            predictedMeans.append(sumP / Double(n)); finalMeans.append(sumF / Double(n))
            if sumF != 0 { errors.append((sumP - sumF) / sumF) }
        }
        func estimate(_ value: Double, _ samples: [Double]) -> Estimate {
            let sorted = samples.sorted()
            let alpha = (1 - confidence) / 2
            return Estimate(value: value, lower: Self.quantile(sorted, alpha), upper: Self.quantile(sorted, 1 - alpha))
        }
        stays = n; self.resamples = resamples; self.confidence = confidence; self.seed = seed
        predictedCMI = estimate(p, predictedMeans)
        finalCMI = estimate(f, finalMeans)
        error = estimate((p - f) / f, errors)
        baseRate = payment.baseRate
        let scale = payment.baseRate * Double(n)
        predictedPayment = Estimate(value: p * scale, lower: predictedCMI.lower * scale, upper: predictedCMI.upper * scale)
        finalPayment = payment.total(weights: final)
    }

    /// Linear interpolation between order statistics (numpy's default `percentile`).
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        guard let first = sorted.first else { return .nan }
        guard sorted.count > 1 else { return first }
        let position = q * Double(sorted.count - 1)
        let below = Int(position.rounded(.down)), above = min(below + 1, sorted.count - 1)
        return sorted[below] + (sorted[above] - sorted[below]) * (position - Double(below))
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014): a small seeded generator, the same on every platform.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
