import DRGKit
import Foundation
import LlamaInference
import Testing
import TestSupport
@testable import ReviewApp

/// The adapter over the real engine, on the engine's tiny 738-label LLaMA fixture with the LLaMA-2
/// tokenizer from shared/reference (copied beside it into a temporary model directory).
@Suite struct ClassifierScoringTests {
    func makeScorer() throws -> ClassifierScoring {
        let fixture = SharedReference.projectRoot.appendingPathComponent("Tests/LlamaInferenceTests/Fixtures/llama2-f16")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("review-scoring-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for name in ["config.json", "model.safetensors"] {
            try FileManager.default.copyItem(at: fixture.appendingPathComponent(name), to: dir.appendingPathComponent(name))
        }
        try FileManager.default.copyItem(at: try SharedReference.url("llama-tokenizers/llama2-spm.tokenizer.json"),
                                         to: dir.appendingPathComponent("tokenizer.json"))
        let classifier = try DRGClassifier.load(modelDirectory: dir, adapterDirectory: nil, labels: "drg-llama-single", threads: 1)
        return ClassifierScoring(classifier: classifier)
    }

    @Test func scoresAndMarksWhereTheModelStoppedReading() throws {
        let scorer = try makeScorer()
        let short = try scorer.score(text: "Admitted with heart failure.", isCancelled: { false }, progress: { _ in })
        #expect(short.prediction.ranked.count == 738)
        #expect(!short.truncated)
        #expect(short.readUpTo == nil)
        let long = String(repeating: "furosemide diuresis improved ", count: 300)
        let cut = try scorer.score(text: long, isCancelled: { false }, progress: { _ in })
        #expect(cut.truncated)
        #expect(cut.tokenCount == 512)
        let limit = try #require(cut.readUpTo)
        #expect(limit > 0 && limit < long.unicodeScalars.count)
    }

    @Test func cancellationThrows() throws {
        let scorer = try makeScorer()
        #expect(throws: CancellationError.self) {
            _ = try scorer.score(text: "Admitted with pneumonia.", isCancelled: { true }, progress: { _ in })
        }
    }
}
