import Foundation
import Testing
@testable import Tokenizers

/// 600 short random strings over scalars where Unicode tables and regex classes disagree easily
/// (all White_Space scalars, ZWSP, BOM, combining marks, "ſ", Kelvin sign, other-script digits,
/// emoji with ZWJ): ids and offsets (no BOS) must equal HF `tokenizers`'
/// (Fixtures/hf_unicode_fuzz.json, written by training/fixtures/make_tokenizer_fixtures.py).
struct HFUnicodeFuzzTests {
    struct Expected: Decodable {
        let ids: [[Int]]
        let offsets: [[Int]]
    }

    struct Fuzz: Decodable {
        let texts: [String]
        let llama2: Expected
        let llama3: Expected
    }

    @Test(arguments: ["llama2", "llama3"])
    func idsAndOffsetsMatchHF(_ name: String) throws {
        let url = try #require(Bundle.module.url(forResource: "hf_unicode_fuzz", withExtension: "json", subdirectory: "Fixtures"))
        let fuzz = try JSONDecoder().decode(Fuzz.self, from: Data(contentsOf: url))
        let expected = name == "llama2" ? fuzz.llama2 : fuzz.llama3
        let tokenizer = try ReferenceTokenizers.named(name)
        #expect(fuzz.texts.count == 600)
        var failures: [String] = []
        for (index, text) in fuzz.texts.enumerated() {
            let encoding = tokenizer.encode(text, addSpecialTokens: false)
            let offsets = HFCorpusTests.expandOffsets(expected.offsets[index])
            if encoding.ids != expected.ids[index] || encoding.offsets != offsets {
                let scalars = text.unicodeScalars.map { String($0.value, radix: 16) }.joined(separator: " ")
                failures.append("""
                    #\(index) [\(scalars)]
                      expected \(ReferenceTokenizers.describe(expected.ids[index], with: tokenizer)) \(offsets)
                      actual   \(ReferenceTokenizers.describe(encoding.ids, with: tokenizer)) \(encoding.offsets)
                    """)
            }
        }
        #expect(failures.isEmpty, "\(failures.count) mismatches:\n\(failures.prefix(4).joined(separator: "\n"))")
    }
}
