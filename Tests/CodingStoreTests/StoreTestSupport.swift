import DRGKit
import Foundation
import GRDB
import TestSupport
@testable import CodingStore

/// The two kinds of writer every database test runs against (STYLE.md item 12).
enum StoreKind: String, CaseIterable, CustomStringConvertible {
    case inMemoryQueue, tempFilePool
    var description: String { rawValue }

    func make() throws -> AppDatabase {
        switch self {
        case .inMemoryQueue: return try AppDatabase.inMemory()
        case .tempFilePool: return try AppDatabase.openFile(at: TemporaryDirectory(prefix: "codingstore").url.appendingPathComponent("store.sqlite"))
        }
    }
}

enum Fixtures {
    static func url(_ name: String) throws -> URL {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures") else {
            throw StoreError.notFound("fixture \(name)")
        }
        return url
    }
}


/// Adds `count` cases "case-1"… with a short note each; returns their ids.
@discardableResult
func addCases(_ store: AppDatabase, count: Int, source: String = "jsonl", priority: (Int) -> Int = { _ in 0 }) throws -> [Int64] {
    try (1...count).map { i in
        var incoming = IncomingCase(externalID: "case-\(i)", noteText: "Brief Hospital Course:\nnote \(i)\nDischarge Medications:\n")
        incoming.priority = priority(i)
        return try store.enqueue(incoming, source: source)
    }
}

/// A scorer that answers `top` for every note, counting calls; optionally cancels after `cancelAfter` notes.
final class FakeScorer: Scorer, @unchecked Sendable {
    let identity: ModelIdentity
    private let lock = NSLock()
    private var seen: [String] = []
    let top: String

    init(identity: ModelIdentity = demoIdentity, top: String = "291") { self.identity = identity; self.top = top }

    var scoredTexts: [String] { lock.withLock { seen } }

    func score(text: String, isCancelled: @escaping @Sendable () -> Bool,
               progress: @escaping @Sendable (Double) -> Void) throws -> ScoredPrediction {
        if isCancelled() { throw CancellationError() }
        lock.withLock { seen.append(text) }
        return ScoredPrediction(prediction: samplePrediction(top: top), modelName: identity.name, elapsedMilliseconds: 1, tokenCount: 10)
    }

}
