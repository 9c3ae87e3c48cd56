import Foundation
import TestSupport
@testable import Tokenizers

/// The two LLaMA tokenizers of `shared/reference/llama-tokenizers`, loaded once per test run
/// (loading LLaMA-3's 6.6 MB tokenizer.json takes a while in a debug build).
enum ReferenceTokenizers {
    static let llama2: Result<Tokenizer, any Error> = Result {
        try Tokenizer.load(tokenizerJSON: try SharedReference.url("llama-tokenizers/llama2-spm.tokenizer.json"))
    }
    static let llama3: Result<Tokenizer, any Error> = Result {
        try Tokenizer.load(tokenizerJSON: try SharedReference.url("llama-tokenizers/llama3-bpe.tokenizer.json"))
    }

    static func named(_ name: String) throws -> Tokenizer {
        switch name {
        case "llama2": return try llama2.get()
        case "llama3": return try llama3.get()
        default: throw CocoaError(.fileNoSuchFile)
        }
    }

    /// "[id 'piece', ...]" — how failures show token sequences, so a diff is readable.
    static func describe(_ ids: [Int], with tokenizer: Tokenizer) -> String {
        "[" + ids.map { "\($0) \(String(reflecting: tokenizer.piece(for: $0) ?? "?"))" }.joined(separator: ", ") + "]"
    }
}
