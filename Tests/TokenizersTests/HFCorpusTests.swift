import Foundation
import Testing
@testable import Tokenizers

/// Golden comparison with HF `tokenizers` on 1,000 synthetic clinical texts
/// (training/fixtures/make_tokenizer_fixtures.py → Fixtures/hf_corpus.json): ids with BOS,
/// Unicode-scalar offsets, and decode(skipSpecialTokens: true), for LLaMA-2 and LLaMA-3.
struct HFCorpusTests {
    struct Expected: Decodable {
        let ids: [[Int]]
        /// Per text, two numbers per token: (start − previous end, end − start).
        let offsets: [[Int]]
        /// nil where HF's decode gives back the input text.
        let decoded: [String?]
    }

    struct Corpus: Decodable {
        let texts: [String]
        let llama2: Expected
        let llama3: Expected
    }

    static let corpus: Result<Corpus, any Error> = Result {
        let url = try #require(Bundle.module.url(forResource: "hf_corpus", withExtension: "json", subdirectory: "Fixtures"))
        return try JSONDecoder().decode(Corpus.self, from: Data(contentsOf: url))
    }

    static func expandOffsets(_ compact: [Int]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var previousEnd = 0
        var index = 0
        while index + 1 < compact.count {
            let start = previousEnd + compact[index]
            let end = start + compact[index + 1]
            result.append(start..<end)
            previousEnd = end
            index += 2
        }
        return result
    }

    @Test func corpusHasAThousandTextsSomeLongerThan512Tokens() throws {
        let corpus = try Self.corpus.get()
        #expect(corpus.texts.count >= 1000)
        #expect(corpus.llama2.ids.filter { $0.count > 512 }.count >= 20)
        #expect(corpus.llama3.ids.filter { $0.count > 512 }.count >= 20)
        #expect(corpus.texts.contains { $0.contains("\t") } && corpus.texts.contains { $0.contains("\n\n") })
    }

    @Test(arguments: ["llama2", "llama3"])
    func idsOffsetsAndDecodeMatchHF(_ name: String) throws {
        let corpus = try Self.corpus.get()
        let expected = name == "llama2" ? corpus.llama2 : corpus.llama3
        let tokenizer = try ReferenceTokenizers.named(name)
        var failures: [String] = []
        for (index, text) in corpus.texts.enumerated() {
            let encoding = tokenizer.encode(text)
            if encoding.ids != expected.ids[index] {
                failures.append("""
                    #\(index) ids for \(String(reflecting: text.prefix(80)))
                      expected \(ReferenceTokenizers.describe(expected.ids[index], with: tokenizer))
                      actual   \(ReferenceTokenizers.describe(encoding.ids, with: tokenizer))
                    """)
                continue
            }
            let expectedOffsets = Self.expandOffsets(expected.offsets[index])
            if encoding.offsets != expectedOffsets {
                let firstBad = encoding.offsets.indices.first { encoding.offsets[$0] != expectedOffsets[$0] } ?? 0
                failures.append("#\(index) offset of token \(firstBad) \(ReferenceTokenizers.describe([encoding.ids[firstBad]], with: tokenizer)): expected \(expectedOffsets[firstBad]), actual \(encoding.offsets[firstBad])")
            }
            let decoded = tokenizer.decode(encoding.ids)
            let expectedText = expected.decoded[index] ?? text
            if !decoded.unicodeScalars.elementsEqual(expectedText.unicodeScalars) {
                failures.append("#\(index) decode: expected \(String(reflecting: expectedText.prefix(80))), actual \(String(reflecting: decoded.prefix(80)))")
            }
        }
        #expect(failures.isEmpty, "\(failures.count) mismatches, first ones:\n\(failures.prefix(5).joined(separator: "\n"))")
    }

    @Test func truncationKeepsBOSAndTheFirst511Tokens() throws {
        let corpus = try Self.corpus.get()
        let tokenizer = try ReferenceTokenizers.named("llama2")
        let longIndex = try #require(corpus.llama2.ids.firstIndex { $0.count > 600 })
        let (encoding, truncated) = tokenizer.encodeForModel(corpus.texts[longIndex])
        #expect(truncated)
        #expect(encoding.ids == Array(corpus.llama2.ids[longIndex].prefix(512)))
        #expect(encoding.offsets.count == 512)
        #expect(encoding.ids.first == tokenizer.bosTokenID)

        let shortIndex = try #require(corpus.llama2.ids.firstIndex { $0.count == 20 })
        let short = tokenizer.encodeForModel(corpus.texts[shortIndex], maxTokens: 20)
        #expect(!short.truncated && short.encoding.ids == corpus.llama2.ids[shortIndex])
        let cut = tokenizer.encodeForModel(corpus.texts[shortIndex], maxTokens: 19)
        #expect(cut.truncated && cut.encoding.ids == Array(corpus.llama2.ids[shortIndex].prefix(19)))
    }
}
