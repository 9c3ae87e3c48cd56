import Foundation

/// A model's answer about one note with how it was made: the prediction, which model, how long it
/// took, how many tokens it read and where it stopped reading. The one type the store saves, the
/// scoring coordinator posts and the screens show (the engine's `ClassifierResult` adds the raw
/// logits and token ids; `DRGPrediction` is the answer alone, the JSON contract).
public struct ScoredPrediction: Sendable, Equatable {
    /// The store's prediction id (what a decision records as "shown"); nil before it is saved.
    public var id: Int64?
    public var prediction: DRGPrediction
    /// The model directory's last path component, e.g. "demo".
    public var modelName: String
    /// Unicode-scalar offset into the text where the model stopped reading (truncation), if it did.
    public var readUpTo: Int?
    public var elapsedMilliseconds: Double
    public var tokenCount: Int?
    public var truncated: Bool

    public init(id: Int64? = nil, prediction: DRGPrediction, modelName: String, readUpTo: Int? = nil,
                elapsedMilliseconds: Double = 0, tokenCount: Int? = nil, truncated: Bool = false) {
        self.id = id; self.prediction = prediction; self.modelName = modelName; self.readUpTo = readUpTo
        self.elapsedMilliseconds = elapsedMilliseconds; self.tokenCount = tokenCount; self.truncated = truncated
    }

    /// The model's first choice.
    public var top: RankedDRG? { prediction.ranked.first }
}

/// A model that scores notes: the one port the store's batch scoring and the review screens' scoring
/// coordinator both call. The adapter over the engine (`ClassifierScorer`) lives in DRGCoderCLI, the
/// layer that wires modules together; tests use fakes. Neither the store nor the screens depend on
/// the engine.
///
/// Called on a background queue. Must honour `isCancelled` (throwing `CancellationError`) and may
/// report progress in 0…1.
public protocol Scorer: Sendable {
    /// Which model this is (predictions are saved and looked up under `identity.key`).
    var identity: ModelIdentity { get }
    func score(text: String, isCancelled: @escaping @Sendable () -> Bool,
               progress: @escaping @Sendable (Double) -> Void) throws -> ScoredPrediction
    /// Sentence occlusion for `drg` (docs/EVIDENCE.md: one forward pass per sentence): the sentences
    /// whose deletion lowers the DRG most, as base and CC/MCC spans. Slow, so only on demand; throws
    /// `CancellationError` when cancelled. Models without it throw `ScorerError.unsupported`.
    func occlusionEvidence(text: String, drg: String, isCancelled: @escaping @Sendable () -> Bool) throws -> [EvidenceSpan]
}

/// Why a scorer cannot do what was asked.
public enum ScorerError: Error, CustomStringConvertible, Equatable {
    case unsupported(String)
    public var description: String {
        switch self { case .unsupported(let what): return "this model cannot \(what)" }
    }
}

extension Scorer {
    /// The model directory's last path component, as the screens show it.
    public var modelName: String { identity.name }

    /// Default: no occlusion (CAML, test fakes).
    public func occlusionEvidence(text: String, drg: String, isCancelled: @escaping @Sendable () -> Bool) throws -> [EvidenceSpan] {
        throw ScorerError.unsupported("run sentence occlusion")
    }
}

extension ModelIdentity {
    /// The model directory's last path component, e.g. "demo".
    public var name: String { URL(fileURLWithPath: path).lastPathComponent }
}
