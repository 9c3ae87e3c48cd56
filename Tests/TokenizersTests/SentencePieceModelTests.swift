import Foundation
import Testing
import TestSupport
@testable import Tokenizers

/// A SentencePiece `tokenizer.model` read by hand: a 400-piece BPE model trained by the
/// `sentencepiece` package (Fixtures/tiny_spm.model, byte fallback, LLaMA's normalizer options)
/// must give the ids and decoded text the package itself gives (Fixtures/tiny_spm_cases.json).
struct SentencePieceModelTests {
    struct Cases: Decodable {
        let indices: [Int]
        let ids: [[Int]]
        let decoded: [String?]
    }

    static func fixture(_ name: String, _ ext: String) throws -> URL {
        try #require(Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Fixtures"))
    }

    @Test func readsTheModelsPiecesAndOptions() throws {
        let model = try SentencePieceModel.read([UInt8](try Data(contentsOf: try Self.fixture("tiny_spm", "model"))))
        #expect(model.pieces.count == 400)
        #expect(model.modelType == 2 && model.byteFallback)
        #expect(model.pieces[0].type == .unknown && model.pieces[1].text == "<s>" && model.pieces[3].text == "<0x00>")
        #expect(model.addDummyPrefix && !model.removeExtraWhitespaces && model.escapeWhitespaces)
    }

    @Test func encodesAndDecodesLikeSentencePiece() throws {
        let tokenizer = try Tokenizer.load(sentencePieceModel: try Self.fixture("tiny_spm", "model"))
        let cases = try JSONDecoder().decode(Cases.self, from: Data(contentsOf: try Self.fixture("tiny_spm_cases", "json")))
        let corpus = try HFCorpusTests.corpus.get()
        #expect(cases.indices.count == 200)
        var failures: [String] = []
        for (position, index) in cases.indices.enumerated() {
            let text = corpus.texts[index]
            // SentencePiece itself reads "<s>" in the text as letters; HF (fast and slow
            // `transformers` tokenizers alike) splits control tokens out first, and so do we.
            if text.contains("<s>") { continue }
            let ids = tokenizer.encode(text, addSpecialTokens: false).ids
            if ids != cases.ids[position] {
                failures.append("""
                    #\(index) \(String(reflecting: text.prefix(60)))
                      expected \(ReferenceTokenizers.describe(cases.ids[position], with: tokenizer))
                      actual   \(ReferenceTokenizers.describe(ids, with: tokenizer))
                    """)
            } else if tokenizer.decode(ids) != (cases.decoded[position] ?? text) {
                failures.append("#\(index) decode \(String(reflecting: tokenizer.decode(ids)))")
            }
        }
        #expect(failures.isEmpty, "\(failures.count) mismatches:\n\(failures.prefix(5).joined(separator: "\n"))")
        #expect(tokenizer.encode("x").ids.first == 1)
        #expect(tokenizer.encode("<s> literal", addSpecialTokens: false).ids.first == 1)
    }

    /// LLaMA-2's tokenizer.json written back as a tokenizer.model (scores from merge ranks) must
    /// tokenize the whole HF corpus exactly like the tokenizer.json: ids, offsets and decode.
    @Test func llama2AsTokenizerModelMatchesItsTokenizerJSON() throws {
        let json = [UInt8](try Data(contentsOf: try SharedReference.url("llama-tokenizers/llama2-spm.tokenizer.json")))
        let fromModel = try Tokenizer.load(sentencePieceModelBytes: try SentencePieceModelWriter.llama2Model(fromTokenizerJSON: json))
        let fromJSON = try ReferenceTokenizers.named("llama2")
        #expect(fromModel.vocabularySize == 32000 && fromModel.bosTokenID == 1 && fromModel.eosTokenID == 2)
        var failures: [String] = []
        for (index, text) in try HFCorpusTests.corpus.get().texts.enumerated() {
            let expected = fromJSON.encode(text)
            let actual = fromModel.encode(text)
            if actual != expected {
                failures.append("#\(index) expected \(ReferenceTokenizers.describe(expected.ids, with: fromJSON))\n  actual \(ReferenceTokenizers.describe(actual.ids, with: fromModel))")
            } else if fromModel.decode(actual.ids) != fromJSON.decode(expected.ids) {
                failures.append("#\(index) decode differs")
            }
        }
        #expect(failures.isEmpty, "\(failures.count) mismatches:\n\(failures.prefix(3).joined(separator: "\n"))")
    }

    @Test func loadDirectoryFallsBackToTokenizerModel() throws {
        let temp = try TemporaryDirectory(prefix: "spm"); defer { temp.cleanUp() }
        let directory = temp.url
        #expect(throws: TokenizerError.self) { try Tokenizer.load(directory: directory) }
        try FileManager.default.copyItem(at: try Self.fixture("tiny_spm", "model"),
                                         to: directory.appendingPathComponent("tokenizer.model"))
        let tokenizer = try Tokenizer.load(directory: directory)
        #expect(tokenizer.vocabularySize == 400 && tokenizer.bosTokenID == 1 && tokenizer.eosTokenID == 2)
    }

    @Test func truncatedOrFlippedModelsThrow() throws {
        let bytes = [UInt8](try Data(contentsOf: try Self.fixture("tiny_spm", "model")))
        var generator = SplitMix64(seed: 7)
        var loaded = 0, rejected = 0
        for round in 0..<500 {
            var mutated = bytes
            if round % 2 == 0 {
                mutated = Array(mutated.prefix(Int(generator.next() % UInt64(bytes.count))))
            } else {
                for _ in 0..<(1 + Int(generator.next() % 4)) {
                    mutated[Int(generator.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: generator.next())
                }
            }
            do {
                let tokenizer = try Tokenizer.load(sentencePieceModelBytes: mutated)
                _ = tokenizer.decode(tokenizer.encode("Pt c/o SOB, T 38.4°C.").ids)
                loaded += 1
            } catch {
                rejected += 1
            }
        }
        #expect(loaded + rejected == 500 && rejected > 0)
    }
}
