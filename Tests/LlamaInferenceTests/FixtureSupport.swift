import Foundation
import Testing
import TestSupport
@testable import LlamaInference

/// The committed fixture models (Tests/LlamaInferenceTests/Fixtures, see its README).
enum Fixtures {
    static var directory: URL {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    }
    static func model(_ name: String) -> URL { directory.appendingPathComponent(name) }

    /// The reference cases of a fixture directory (its `cases.json`); throws when missing or empty.
    static func cases(_ relativePath: String) throws -> [ReferenceCase] {
        try ReferenceCase.load(from: directory.appendingPathComponent(relativePath))
    }

    /// Models load once per process (they are immutable and `Sendable`).
    static let tinyF32 = Result { try LlamaSequenceClassifier.load(modelDirectory: model("tiny-f32"), threads: 1) }
}

