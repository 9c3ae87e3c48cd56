import Foundation
import Testing
import TestSupport
@testable import Tokenizers

/// Pipeline stages the two reference files do not use, checked against HF `tokenizers` 0.23.3 on
/// the same edited files (expected values printed by Python, see each test).
struct PipelineVariantTests {
    /// LLaMA-2's tokenizer.json with its normalizer and decoder swapped for the `Metaspace`
    /// pre-tokenizer and decoder that newer `transformers` write.
    static func llama2WithMetaspace(scheme: String, split: Bool) throws -> Tokenizer {
        let bytes = [UInt8](try Data(contentsOf: try SharedReference.url("llama-tokenizers/llama2-spm.tokenizer.json")))
        guard case .object(var members) = try JSONParser.parse(bytes) else { throw TokenizerError.invalidTokenizer("not an object") }
        let metaspace = JSONValue.object([("type", .string("Metaspace")), ("replacement", .string("\u{2581}")),
                                          ("prepend_scheme", .string(scheme)), ("split", .bool(split))])
        for index in members.indices {
            switch members[index].key {
            case "normalizer": members[index].value = .null
            case "pre_tokenizer", "decoder": members[index].value = metaspace
            default: break
            }
        }
        return try Tokenizer.load(tokenizerJSONBytes: Array(JSONWriter.write(.object(members)).utf8))
    }

    @Test func metaspaceFirstMatchesHF() throws {
        let tokenizer = try Self.llama2WithMetaspace(scheme: "first", split: false)
        let cases: [(String, [Int], [Range<Int>], String)] = [
            ("Hello world", [1, 15043, 3186], [0..<0, 0..<5, 5..<11], "Hello world"),
            (" Hello", [1, 15043], [0..<0, 0..<6], "Hello"),
            ("<s>hi</s> there", [1, 1, 2918, 2, 727], [0..<0, 0..<3, 3..<5, 5..<9, 9..<15], "hi there"),
            ("  two  spaces ", [1, 29871, 1023, 29871, 8162, 29871], [0..<0, 0..<1, 1..<5, 5..<6, 6..<13, 13..<14], " two  spaces "),
            ("ab\n\ncd", [1, 633, 13, 13, 2252], [0..<0, 0..<2, 2..<3, 3..<4, 4..<6], "ab<0x0A><0x0A>cd"),
        ]
        for (text, ids, offsets, decoded) in cases {
            let encoding = tokenizer.encode(text)
            #expect(encoding.ids == ids, "\(String(reflecting: text)): \(ReferenceTokenizers.describe(encoding.ids, with: tokenizer))")
            #expect(encoding.offsets == offsets, "\(String(reflecting: text))")
            #expect(tokenizer.decode(encoding.ids) == decoded)
        }
    }

    @Test func metaspaceAlwaysWithSplitMatchesHF() throws {
        let tokenizer = try Self.llama2WithMetaspace(scheme: "always", split: true)
        #expect(tokenizer.encode("Hello world").ids == [1, 15043, 3186])
        let encoding = tokenizer.encode("<s>hi</s> there")
        #expect(encoding.ids == [1, 1, 7251, 2, 727])
        #expect(encoding.offsets == [0..<0, 0..<3, 3..<5, 5..<9, 9..<15])
    }

    @Test func splitBehaviours() {
        // Matches at 1..<2 and 2..<3 in a 5-scalar text "a--bc" (pattern "-").
        let matches = [1..<2, 2..<3]
        func pieces(_ behavior: SplitPreTokenizer.Behavior) -> [Range<Int>] {
            SplitPreTokenizer.pieceRanges(matches: matches, count: 5, behavior: behavior)
        }
        #expect(pieces(.isolated) == [0..<1, 1..<2, 2..<3, 3..<5])
        #expect(pieces(.removed) == [0..<1, 3..<5])
        #expect(pieces(.mergedWithPrevious) == [0..<2, 2..<3, 3..<5])
        #expect(pieces(.mergedWithNext) == [0..<1, 1..<2, 2..<5])
        #expect(pieces(.contiguous) == [0..<1, 1..<3, 3..<5])
    }

    /// Expected pieces from HF `pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)`.
    @Test func gpt2PatternSplitsLikeTheRegex() {
        let scalars = Array("I'm  ok 123abc!!\n".unicodeScalars)
        let pieces = GPT2SplitPattern().matches(in: scalars).map { String(String.UnicodeScalarView(scalars[$0])) }
        #expect(pieces == ["I", "'m", " ", " ok", " 123", "abc", "!!", "\n"])
    }

    @Test func byteLevelAlphabetIsGPT2s() {
        #expect(ByteLevelAlphabet.character[0x20] == "Ġ" && ByteLevelAlphabet.character[0x0A] == "Ċ")
        #expect(ByteLevelAlphabet.character[0x21] == "!" && ByteLevelAlphabet.character[0xAD] == "\u{0143}")
        #expect(Set(ByteLevelAlphabet.character).count == 256)
        #expect((0..<256).allSatisfy { ByteLevelAlphabet.byte[ByteLevelAlphabet.character[$0].value] == UInt8($0) })
    }

    @Test func byteFallbackDecoderFollowsHF() {
        let decoder = ByteFallbackDecoder()
        #expect(decoder.decode(["<0xE2>", "<0x96>", "<0x81>", "a"]) == ["▁", "a"])
        // An invalid run gives one U+FFFD per byte piece.
        #expect(decoder.decode(["<0xE2>", "<0x96>", "b"]) == ["\u{FFFD}", "\u{FFFD}", "b"])
        #expect(ByteFallbackDecoder.byteValue("<0x0a>") == 0x0A && ByteFallbackDecoder.byteValue("<0xZZ>") == nil)
    }
}
