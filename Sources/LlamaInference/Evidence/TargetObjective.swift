/// What direct logit attribution needs from a target, whatever the target means (a DRG, a base DRG,
/// an MDC — those live in DRGInference's `EvidenceTarget`): its log-probability and slope at the
/// logits, and the matrices and errors the attribution reads.

/// A target's value and slope at one set of logits.
public struct TargetObjective: Sendable, Equatable {
    /// `log P(target | note)`.
    public var logProbability: Double
    /// `∂ log P / ∂ logits`, one per logit.
    public var gradient: [Float]

    public init(logProbability: Double, gradient: [Float]) {
        self.logProbability = logProbability; self.gradient = gradient
    }

    /// The target direction in the pooled hidden space, `Wᵀ · gradient` for the score head
    /// `logits = W h` (W: labels × hidden): the gradient of `log P` with respect to the pooled,
    /// final-normed hidden state `h`. Reads the head a tile of rows at a time.
    public func direction(head: some RowSource) -> [Float] {
        var result = [Float](repeating: 0, count: head.columns)
        let tileRows = 64
        var tile = [Float](repeating: 0, count: tileRows * head.columns)
        var first = 0
        while first < head.rows {
            let count = min(tileRows, head.rows - first)
            let weights = gradient[first..<min(first + count, gradient.count)]
            if weights.contains(where: { $0 != 0 }) {
                tile.withUnsafeMutableBufferPointer { buffer in
                    if let base = buffer.baseAddress { head.widenRows(first, count: count, into: base) }
                }
                for (r, g) in zip(0..<count, weights) where g != 0 {
                    let row = r * head.columns
                    for c in 0..<head.columns { result[c] += g * tile[row + c] }
                }
            }
            first += count
        }
        return result
    }
}

/// A row-major matrix that can hand out rows as f32 (the engine's weight matrices, or a plain array).
public protocol RowSource {
    var rows: Int { get }
    var columns: Int { get }
    /// Writes rows `first ..< first + count` (`count × columns` floats) into `destination`.
    func widenRows(_ first: Int, count: Int, into destination: UnsafeMutablePointer<Float>)
}

/// A dense f32 matrix in an array (tests, small heads).
public struct DenseMatrix: RowSource, Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    public var values: [Float]

    public init(rows: Int, columns: Int, values: [Float]) {
        precondition(values.count == rows * columns, "DenseMatrix: \(values.count) values for \(rows)×\(columns)")
        self.rows = rows; self.columns = columns; self.values = values
    }

    public func widenRows(_ first: Int, count: Int, into destination: UnsafeMutablePointer<Float>) {
        values.withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress { destination.update(from: base + first * columns, count: count * columns) }
        }
    }
}

/// Why evidence could not be computed.
public enum EvidenceError: Error, CustomStringConvertible, Equatable, Sendable {
    case unknownDRG(String, String)
    case logitCount(expected: Int, got: Int)
    case captureMismatch(String)

    public var description: String {
        switch self {
        case .unknownDRG(let code, let space): return "DRG \(code) is not a label of \(space)"
        case .logitCount(let expected, let got): return "expected \(expected) logits, got \(got)"
        case .captureMismatch(let what): return "attention capture does not match the model: \(what)"
        }
    }
}
