import Foundation
import Testing
import TestSupport
@testable import Tokenizers

/// Hand-checked behaviours, each value read off HF `tokenizers` 0.23.3 on the same files.
struct TokenizerBehaviourTests {
    @Test func llama2KeepsBothCanonicallyEquivalentAlphaTonosTokens() throws {
        let tokenizer = try ReferenceTokenizers.named("llama2")
        // "ά" U+03AC and "ά" U+1F71 are canonically equivalent but distinct tokens.
        #expect(tokenizer.encode("\u{03AC}", addSpecialTokens: false).ids == [29871, 30216])
        #expect(tokenizer.encode("\u{1F71}", addSpecialTokens: false).ids == [29871, 31042])
        #expect(tokenizer.piece(for: 30216)?.unicodeScalars.map(\.value) == [0x03AC])
        #expect(tokenizer.piece(for: 31042)?.unicodeScalars.map(\.value) == [0x1F71])
        #expect(tokenizer.vocabularySize == 32000)
    }

    @Test func llama2OffsetsPointIntoTheOriginalText() throws {
        let tokenizer = try ReferenceTokenizers.named("llama2")
        // HF: ' Hello' → ['<s>', '▁', '▁Hello'] at (0,0), (0,1), (0,6): the prepended "▁" takes
        // the origin of the first scalar.
        let spaced = tokenizer.encode(" Hello")
        #expect(spaced.ids == [1, 29871, 15043])
        #expect(spaced.offsets == [0..<0, 0..<1, 0..<6])
        // Byte fallback: all four bytes of the emoji point at the emoji.
        let emoji = tokenizer.encode("😀 x")
        #expect(emoji.ids == [1, 29871, 243, 162, 155, 131, 921])
        #expect(emoji.offsets == [0..<0, 0..<1, 0..<1, 0..<1, 0..<1, 0..<1, 1..<3])
        #expect(tokenizer.decode(emoji.ids) == "😀 x")
    }

    @Test func specialTokensInTheTextAreMatchedBeforeTheModel() throws {
        let tokenizer = try ReferenceTokenizers.named("llama2")
        let encoding = tokenizer.encode("<s>hi</s> there")
        #expect(encoding.ids == [1, 1, 7251, 2, 29871, 727])
        #expect(encoding.offsets == [0..<0, 0..<3, 3..<5, 5..<9, 9..<10, 9..<15])
        #expect(tokenizer.decode(encoding.ids) == "hi  there")
        #expect(tokenizer.decode(encoding.ids, skipSpecialTokens: false) == "<s><s> hi</s>  there")
        #expect(tokenizer.bosTokenID == 1 && tokenizer.eosTokenID == 2 && tokenizer.padTokenID == nil)
    }

    @Test func llama3ByteLevelOffsetsCoverWholeScalars() throws {
        let tokenizer = try ReferenceTokenizers.named("llama3")
        let encoding = tokenizer.encode("😀 x 💩💩")
        #expect(encoding.ids == [128000, 76460, 222, 865, 64139, 102, 93273, 102])
        #expect(encoding.offsets == [0..<0, 0..<1, 0..<1, 1..<3, 3..<5, 4..<5, 5..<6, 5..<6])
        #expect(tokenizer.decode(encoding.ids, skipSpecialTokens: false) == "<|begin_of_text|>😀 x 💩💩")
        #expect(tokenizer.bosTokenID == 128000 && tokenizer.eosTokenID == 128001)
        #expect(tokenizer.vocabularySize == 128256)
        let special = tokenizer.encode("<|begin_of_text|>hi")
        #expect(special.ids == [128000, 128000, 6151])
        #expect(special.offsets == [0..<0, 0..<17, 17..<19])
    }

    @Test func oneTokenizerServesManyThreads() throws {
        let tokenizer = try ReferenceTokenizers.named("llama3")
        let texts = try HFCorpusTests.corpus.get().texts.prefix(64)
        let expected = texts.map { tokenizer.encode($0) }
        let results = ConcurrentResults(count: texts.count)
        DispatchQueue.concurrentPerform(iterations: texts.count) { index in
            results.store(tokenizer.encode(texts[texts.startIndex + index]), at: index)
        }
        #expect(results.values == expected)
    }

    @Test func llama3SplitMatchesOnigurumaOnEdgeCases() throws {
        let pattern = LlamaThreeSplitPattern()
        func pieces(_ text: String) -> [String] {
            let scalars = Array(text.unicodeScalars)
            return pattern.matches(in: scalars).map { range in
                var view = String.UnicodeScalarView()
                view.append(contentsOf: scalars[range])
                return String(view)
            }
        }
        // From HF's pre_tokenize_str on LLaMA-3 (before the byte-level mapping).
        #expect(pieces("a'ſb") == ["a", "'ſ", "b"])
        #expect(pieces("I'LL x'Re") == ["I", "'LL", " x", "'Re"])
        #expect(pieces("ab  \n\n  c \t d\r\n") == ["ab", "  \n\n", " ", " c", " \t", " d", "\r\n"])
        #expect(pieces("12345 ½ ٣٤") == ["123", "45", " ", "½", " ", "٣٤"])
    }

    @Test func emptyTextGivesOnlyBOS() throws {
        for name in ["llama2", "llama3"] {
            let tokenizer = try ReferenceTokenizers.named(name)
            #expect(tokenizer.encode("").ids == [try #require(tokenizer.bosTokenID)])
            #expect(tokenizer.encode("", addSpecialTokens: false).ids.isEmpty)
            #expect(tokenizer.encodeForModel("", maxTokens: 0).encoding.ids.count == 1)
        }
    }

    @Test func decodeSkipsUnknownIDs() throws {
        let tokenizer = try ReferenceTokenizers.named("llama2")
        #expect(tokenizer.decode([15043, -5, 99_999_999, 3186]) == "Hello world")
    }
}

/// `Tokenizer.load(directory:)` reads BOS / EOS / PAD names from a `tokenizer_config.json`.
struct TokenizerDirectoryTests {
    @Test func tokenizerConfigNamesTheSpecialTokens() throws {
        let temp = try TemporaryDirectory(prefix: "tok"); defer { temp.cleanUp() }
        let directory = temp.url
        try FileManager.default.createSymbolicLink(
            at: directory.appendingPathComponent("tokenizer.json"),
            withDestinationURL: try SharedReference.url("llama-tokenizers/llama2-spm.tokenizer.json"))
        try Data(#"{"bos_token": {"content": "<s>", "lstrip": false}, "eos_token": "</s>", "pad_token": "<unk>"}"#.utf8)
            .write(to: directory.appendingPathComponent("tokenizer_config.json"))
        let tokenizer = try Tokenizer.load(directory: directory)
        #expect(tokenizer.bosTokenID == 1 && tokenizer.eosTokenID == 2 && tokenizer.padTokenID == 0)

        try Data("{\"pad_token\": ".utf8).write(to: directory.appendingPathComponent("tokenizer_config.json"))
        #expect(throws: TokenizerError.self) { try Tokenizer.load(directory: directory) }
    }
}

/// A lock-guarded array for collecting results from `concurrentPerform`.
final class ConcurrentResults: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Encoding?]

    init(count: Int) { storage = Array(repeating: nil, count: count) }

    func store(_ value: Encoding, at index: Int) {
        lock.lock()
        storage[index] = value
        lock.unlock()
    }

    var values: [Encoding] {
        lock.lock()
        defer { lock.unlock() }
        return storage.compactMap { $0 }
    }
}
