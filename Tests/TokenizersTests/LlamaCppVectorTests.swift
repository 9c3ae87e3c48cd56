import Foundation
import Testing
import TestSupport
@testable import Tokenizers

/// llama.cpp's tokenizer test vectors (`ggml-vocab-llama-{spm,bpe}.gguf.inp/.out`): 47 hostile
/// inputs each (empty text, runs of spaces, tabs and newlines, emoji, CJK, digit runs, contractions),
/// expected ids without BOS.
struct LlamaCppVectorTests {
    struct Vector: Sendable, CustomStringConvertible {
        let index: Int
        let text: String
        let expected: [Int]
        var description: String { "#\(index) \(String(reflecting: text.prefix(30)))" }
    }

    /// The vectors of one vocabulary; a missing or unreadable file fails the tests (`FixtureCases`).
    static func vectors(_ vocab: String) -> [FixtureCases<Vector>] {
        FixtureCases.load {
            let base = "llama-tokenizers/ggml-vocab-llama-\(vocab).gguf"
            let inputs = try String(contentsOf: try SharedReference.url(base + ".inp"), encoding: .utf8)
                .components(separatedBy: "\n__ggml_vocab_test__\n")
            let outputs = try String(contentsOf: try SharedReference.url(base + ".out"), encoding: .utf8)
                .components(separatedBy: "\n")
            return zip(inputs, outputs).enumerated().map { index, pair in
                Vector(index: index, text: pair.0, expected: pair.1.split(separator: " ").compactMap { Int($0) })
            }
        }
    }

    @Test func bothFilesHold47Vectors() throws {
        #expect(try Self.vectors("spm").map { try $0.get() }.count == 47)
        #expect(try Self.vectors("bpe").map { try $0.get() }.count == 47)
    }

    @Test(arguments: vectors("spm"))
    func llama2SentencePiece(_ vector: FixtureCases<Vector>) throws {
        try check(try vector.get(), try ReferenceTokenizers.named("llama2"))
    }

    @Test(arguments: vectors("bpe"))
    func llama3ByteLevel(_ vector: FixtureCases<Vector>) throws {
        try check(try vector.get(), try ReferenceTokenizers.named("llama3"))
    }

    private func check(_ vector: Vector, _ tokenizer: Tokenizer) throws {
        let actual = tokenizer.encode(vector.text, addSpecialTokens: false).ids
        #expect(actual == vector.expected, """
            input \(String(reflecting: vector.text))
            expected \(ReferenceTokenizers.describe(vector.expected, with: tokenizer))
            actual   \(ReferenceTokenizers.describe(actual, with: tokenizer))
            """)
    }
}
