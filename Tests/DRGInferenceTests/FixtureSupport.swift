import Foundation
import TestSupport
import LlamaInference

/// The engine's committed fixture models (Tests/LlamaInferenceTests/Fixtures, see its README), read by
/// path: the DRG layer is tested on the same checkpoints the engine is.
enum Fixtures {
    static func model(_ name: String) -> URL { ReferenceCase.engineFixture(name) }

    /// The reference cases of a fixture directory (its `cases.json`); throws when missing or empty.
    static func cases(_ relativePath: String) throws -> [ReferenceCase] { try ReferenceCase.load(from: model(relativePath)) }

    /// Loaded once per process (immutable and `Sendable`).
    static let tinyF32 = Result { try LlamaSequenceClassifier.load(modelDirectory: model("tiny-f32"), threads: 1) }
}
