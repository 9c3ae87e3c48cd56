import DRGKit
import Foundation

/// A fake model that answers `prediction` for every text, but only when the test lets it
/// (`release`): what is scored when is up to the test, with no timing. While it waits it polls
/// `isCancelled` (so the coordinator can cancel it), and it gives up after `patience` seconds, so a
/// test that forgets to release it fails instead of hanging.
///
///     let model = GatedScorer(prediction: p)
///     coordinator.want([1])
///     #expect(model.began.wait(timeout: .now() + 30) == .success)   // case 1 is being scored
///     model.release()
public final class GatedScorer: Scorer, @unchecked Sendable {
    // @unchecked: `texts` is only touched under `lock`; the semaphores are thread-safe.
    public let prediction: DRGPrediction
    public let identity: ModelIdentity
    public let patience: TimeInterval
    /// Signalled each time a `score` call starts.
    public let began = DispatchSemaphore(value: 0)
    private let permits = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var texts: [String] = []
    /// What `occlusionEvidence` answers (at once, ungated).
    public var occlusionSpans: [EvidenceSpan] = []

    public init(prediction: DRGPrediction,
                identity: ModelIdentity = ModelIdentity(path: "/models/fake", weightsSHA256: "w", adapterSHA256: nil, labelSpace: "test"),
                patience: TimeInterval = 30) {
        self.prediction = prediction; self.identity = identity; self.patience = patience
    }

    /// The texts the model was asked to score, in order (read under the lock).
    public var started: [String] { lock.withLock { texts } }

    public func occlusionEvidence(text: String, drg: String, isCancelled: @escaping @Sendable () -> Bool) throws -> [EvidenceSpan] {
        lock.withLock { texts.append("occlude \(drg)") }
        return occlusionSpans
    }

    /// Lets `count` more `score` calls answer.
    public func release(_ count: Int = 1) { for _ in 0..<count { permits.signal() } }


    public func score(text: String, isCancelled: @escaping @Sendable () -> Bool,
                      progress: @escaping @Sendable (Double) -> Void) throws -> ScoredPrediction {
        lock.withLock { texts.append(text) }
        began.signal()
        progress(0.5)
        let deadline = Date().addingTimeInterval(patience)
        while permits.wait(timeout: .now() + .milliseconds(5)) == .timedOut {
            if isCancelled() { throw CancellationError() }
            if Date() >= deadline { throw FixtureError("the test never released the fake model") }
        }
        return ScoredPrediction(prediction: prediction, modelName: modelName)
    }
}
