import Foundation

/// Softmax of `logits` in double precision: `exp(x_i - max) / Σ exp(x_j - max)`.
///
///     softmax([0, 0])          // [0.5, 0.5]
///
/// Subtracting the maximum keeps `exp` finite for any finite logits. Non-finite logits are
/// treated as impossible (probability 0); an empty or all-impossible input gives all zeros.
public func softmax<Logit: BinaryFloatingPoint>(_ logits: [Logit]) -> [Double] {
    let values = logits.map { Double($0) }
    guard let top = values.filter(\.isFinite).max() else { return Array(repeating: 0, count: values.count) }
    let exps = values.map { $0.isFinite ? exp($0 - top) : 0 }
    let total = exps.reduce(0, +)
    return exps.map { $0 / total }
}

/// Index of the largest value (the first of equal maxima); nil for an empty array.
public func argmax(_ values: [Double]) -> Int? {
    values.indices.max { values[$0] < values[$1] || (values[$0] == values[$1] && $0 > $1) }
}
