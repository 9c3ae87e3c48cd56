import DRGKit
import Foundation
import DRGInference
import LlamaInference
import Testing
import TestSupport
@testable import DRGCoderCLI

/// The one scorer adapter over the real engine, on the engine's tiny 738-label LLaMA fixture with the
/// LLaMA-2 tokenizer from shared/reference (`ScoreCommandTests.tinyModel()`).
@Suite struct ClassifierScorerTests {
    func makeScorer() throws -> ClassifierScorer {
        let classifier = try DRGClassifier.load(modelDirectory: ScoreCommandTests.tinyModel(), adapterDirectory: nil,
                                                labels: "drg-llama-single", threads: 1)
        return ClassifierScorer(classifier: classifier)
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
        #expect(cut.prediction.readUpTo == limit)        // in the prediction itself: stored with its JSON
    }

    @Test func cancellationThrows() throws {
        let scorer = try makeScorer()
        #expect(throws: CancellationError.self) {
            _ = try scorer.score(text: "Admitted with pneumonia.", isCancelled: { true }, progress: { _ in })
        }
    }
}
