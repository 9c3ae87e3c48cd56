import DRGKit
import Foundation
import GRDB
@testable import CodingStore

/// The two kinds of writer every database test runs against (STYLE.md item 12).
enum StoreKind: String, CaseIterable, CustomStringConvertible {
    case inMemoryQueue, tempFilePool
    var description: String { rawValue }

    func make() throws -> AppDatabase {
        switch self {
        case .inMemoryQueue: return try AppDatabase.inMemory()
        case .tempFilePool: return try AppDatabase.openFile(at: TempDirectory.make().appendingPathComponent("store.sqlite"))
        }
    }
}

enum TempDirectory {
    static func make() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("codingstore-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
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

/// A prediction whose top DRG is `top` (probability 0.6) followed by `others`.
func samplePrediction(top: String, others: [String] = ["292", "293"]) -> DRGPrediction {
    let ranked = [RankedDRG(drg: top, description: "DRG \(top)", probability: 0.6)]
        + others.map { RankedDRG(drg: $0, description: "DRG \($0)", probability: 0.4 / Double(others.count)) }
    return DRGPrediction(ranked: ranked, baseDRGs: [Marginal(label: "BASE", probability: 1)],
                         ccMcc: [Marginal(label: "with MCC", probability: 1)])
}

let demoIdentity = ModelIdentity(path: "/models/demo", weightsSHA256: String(repeating: "a", count: 64),
                                  adapterSHA256: nil, labelSpace: "drg-llama-single")

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
final class FakeScorer: CaseScorer, @unchecked Sendable {
    let identity: ModelIdentity
    private let lock = NSLock()
    private var seen: [String] = []
    let top: String

    init(identity: ModelIdentity = demoIdentity, top: String = "291") { self.identity = identity; self.top = top }

    var scoredTexts: [String] { lock.withLock { seen } }

    func score(text: String, isCancelled: @escaping @Sendable () -> Bool) throws -> ScoredNote {
        if isCancelled() { throw CancellationError() }
        lock.withLock { seen.append(text) }
        return ScoredNote(prediction: samplePrediction(top: top), elapsedMilliseconds: 1, tokenCount: 10)
    }
}

/// A Sendable flag tests flip to cancel a run.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}

/// Where `swift build` put the executables (beside the test bundle).
enum BuiltProducts {
    static func executable(_ name: String) throws -> URL {
        var candidates: [URL] = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
        candidates.append(Bundle.main.bundleURL)
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
        for dir in candidates {
            let url = dir.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        throw StoreError.notFound("\(name) is not built beside the tests (run swift build --build-tests)")
    }
}
