import Foundation
import Testing
import TestSupport
@testable import LlamaInference

/// `LlamaForSequenceClassification` reads the rightmost non-pad token; later tokens cannot matter.
@Suite struct PoolingTests {
    @Test func trailingPadsDoNotChangeTheLogits() throws {
        let model = try Fixtures.tinyF32.get()
        #expect(model.config.padTokenID == 0)
        let ids = [1, 17, 42, 5, 88, 23]
        let plain = try model.logits(tokenIDs: ids)
        // Within float rounding, not bit for bit: the thread pools of OpenBLAS and oneDNN are the
        // process's, and tests running beside this one load models with other thread counts, which
        // may split a product another way between the two calls (seen once: 1.2e-7). A pad that was
        // read would move the logits by far more (`thePooledTokenIsTheLastNonPad`: > 1e-3).
        for pads in [1, 3, 40] {
            let padded = try model.logits(tokenIDs: ids + Array(repeating: 0, count: pads))
            #expect(maxAbsoluteDifference(plain, padded).value <= 1e-6 * plain.map(abs).max()!, "\(pads) pads")
        }
    }

    @Test func thePooledTokenIsTheLastNonPad() throws {
        let model = try Fixtures.tinyF32.get()
        #expect(model.pooledPosition(of: [1, 5, 0, 7, 0, 0]) == 3)
        #expect(model.pooledPosition(of: [0, 0]) == 0)  // transformers' argmax over an all-zero mask
        #expect(model.pooledPosition(of: [1]) == 0)
        // A pad *inside* the sequence is still attended (transformers passes no mask for one sequence).
        let inner = try model.logits(tokenIDs: [1, 5, 0, 7])
        let without = try model.logits(tokenIDs: [1, 5, 7])
        #expect(maxAbsoluteDifference(inner, without).value > 1e-3)
    }

    @Test func everyTokenMatters() throws {
        let model = try Fixtures.tinyF32.get()
        let a = try model.logits(tokenIDs: [1, 17, 42, 5])
        let b = try model.logits(tokenIDs: [1, 18, 42, 5])
        #expect(maxAbsoluteDifference(a, b).value > 1e-3)
    }

    @Test func badTokenInputsAreErrors() throws {
        let model = try Fixtures.tinyF32.get()
        #expect(throws: InferenceError.emptyInput) { try model.logits(tokenIDs: []) }
        #expect(throws: InferenceError.tokenOutOfRange(id: 99, vocabularySize: 99)) { try model.logits(tokenIDs: [1, 99]) }
        #expect(throws: InferenceError.tokenOutOfRange(id: -1, vocabularySize: 99)) { try model.logits(tokenIDs: [-1]) }
    }

    @Test func cancellationStopsBetweenLayersAndProgressReachesOne() throws {
        let model = try Fixtures.tinyF32.get()
        #expect(throws: CancellationError.self) { try model.logits(tokenIDs: [1, 2, 3], isCancelled: { true }) }
        let seen = Box()
        _ = try model.logits(tokenIDs: [1, 2, 3], progress: { seen.values.append($0) })
        #expect(seen.values == [0.5, 1.0])
        // Still usable after a cancelled run.
        #expect(try model.logits(tokenIDs: [1, 2, 3]).count == 738)
    }

    @Test func cancellingDuringARunStopsBeforeTheNextLayer() throws {
        let model = try Fixtures.tinyF32.get()
        let flag = Flag()
        let seen = Box()
        #expect(throws: CancellationError.self) {
            try model.logits(tokenIDs: [1, 2, 3], isCancelled: { flag.isSet },
                             progress: { seen.values.append($0); flag.set() })
        }
        #expect(seen.values == [0.5])  // layer 1 ran, layer 2 did not
    }

    @Test func concurrentCallsFromBackgroundQueuesAgree() throws {
        let model = try Fixtures.tinyF32.get()
        let ids = [1, 40, 41, 42, 7, 9, 11]
        let expected = try model.logits(tokenIDs: ids)
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 6) { i in
            let logits = try? model.logits(tokenIDs: i % 2 == 0 ? ids : ids + [0, 0])  // same pooled token
            results.append(logits)
        }
        #expect(results.all.count == 6 && results.all.allSatisfy { $0 == expected })
    }

    final class Box: @unchecked Sendable { var values: [Double] = [] }
    final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var all: [[Float]?] = []
        func append(_ value: [Float]?) { lock.lock(); all.append(value); lock.unlock() }
    }
}
