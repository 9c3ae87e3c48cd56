import Foundation
import TestSupport
import Testing

/// `drgcoder predict` and `drgcoder model inspect|set` on a DRG-LLaMA checkpoint as the 2023 scripts
/// wrote it (Tests/LlamaInferenceTests/Fixtures/drg-llama-2023: a decapoda-style LLaMA-1 base in three
/// `.bin` shards, a PEFT 0.4 `adapter_model.bin`), run as the built binary.
@Suite("Model command", .serialized)
struct ModelCommandTests {
    static let root = SharedReference.projectRoot.appendingPathComponent("Tests/LlamaInferenceTests/Fixtures/drg-llama-2023")
    static var base: String { root.appendingPathComponent("decapoda-base").path }
    static var adapter: String { root.appendingPathComponent("single-bin").path }

    static func reference(_ name: String) throws -> ReferenceCase {
        try #require(try ReferenceCase.load(from: root).first { $0.name == name })
    }

    static func json(_ arguments: [String]) throws -> [String: Any] {
        let run = try drgcoder(arguments)
        #expect(run.status == 0, "\(run.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    }

    @Test func predictReadsTheScriptsCheckpointWithThePadFlag() throws {
        let reference = try Self.reference("single-bin/brief_hospital_course")
        let temp = try TemporaryDirectory(); defer { temp.cleanUp() }
        let note = temp.url.appendingPathComponent("note.txt")
        try Data(try #require(reference.text).utf8).write(to: note)
        let object = try Self.json(["predict", "--model", Self.base, "--adapter", Self.adapter, "--labels", "drg-llama-single",
                                    "--pad-token-id", "0", "--json", note.path])
        #expect(object["token_ids"] as? [Int] == reference.tokenIDs)
        let logits = try #require(object["logits"] as? [Double])
        let worst = zip(logits, reference.logits).map { abs($0 - Double($1)) }.max() ?? .infinity
        #expect(logits.count == 738 && worst <= 1e-4, "|Δ| \(worst)")
    }

    @Test func inspectSaysHowTheCheckpointIsReadAndWarnsWithoutThePadID() throws {
        let report = try Self.json(["model", "inspect", Self.base, "--adapter", Self.adapter, "--labels", "drg-llama-single", "--json"])
        let weights = try #require(report["weights"] as? [String: Any])
        #expect(weights["format"] as? String == "pytorch" && (weights["files"] as? [String])?.count == 3)
        // 21 weights + transformers 4.30's two saved rotary `inv_freq` buffers (recomputed, so dropped).
        #expect(weights["dtypes"] as? [String: Int] == ["F16": 23])
        let tokenizer = try #require(report["tokenizer"] as? [String: Any])
        #expect(tokenizer["file"] as? String == "tokenizer.model" && tokenizer["bos"] as? Int == 0)
        #expect(report["pooling"] as? String == "count-minus-one")
        #expect((report["pooling_reason"] as? String)?.contains("PEFT 0.4.0") == true)
        #expect(report["pad_token_id"] == nil)
        #expect((report["warnings"] as? [String])?.contains { $0.contains("pass --pad-token-id 0") } == true)
        #expect(report["rope_theta"] as? Double == 10000)
        let adapter = try #require(report["adapter"] as? [String: Any])
        #expect(adapter["r"] as? Int == 8 && adapter["alpha"] as? Double == 16)
        #expect((adapter["modules"] as? [[String: Any]])?.count == 9)     // q/k/v/o × 2 layers + score
        #expect((adapter["ignored"] as? [String])?.count == 4)
        #expect(report["labels"] as? Int == 738)

        let text = try drgcoder(["model", "inspect", Self.base, "--adapter", Self.adapter, "--labels", "drg-llama-single"])
        #expect(text.stdout.contains("pooling     count-minus-one") && text.stdout.contains("warning     config has no valid pad id"))
    }

    @Test func modelSetKeepsThePadIDWithTheModel() throws {
        let temp = try TemporaryDirectory(); defer { temp.cleanUp() }
        let copy = temp.url.appendingPathComponent("base")
        try FileManager.default.copyItem(atPath: Self.base, toPath: copy.path)
        let set = try drgcoder(["model", "set", copy.path, "--pad-token-id", "0"])
        #expect(set.status == 0, "\(set.stderr)")
        let report = try Self.json(["model", "inspect", copy.path, "--adapter", Self.adapter, "--labels", "drg-llama-single", "--json"])
        #expect(report["pad_token_id"] as? Int == 0)
        let warnings = try #require(report["warnings"] as? [String])
        #expect(!warnings.contains { $0.contains("pad id") } && warnings.contains { $0.contains("rope_theta") }, "\(warnings)")
    }

    @Test func badValuesAreOneLine() throws {
        for arguments in [["model", "inspect", Self.base, "--pad-token-id", "-3"],
                          ["model", "inspect", Self.base, "--pooling", "sideways"],
                          ["model", "set", Self.base],
                          ["model", "inspect", Self.root.appendingPathComponent("hostile").path]] {
            let run = try drgcoder(arguments)
            #expect(run.status != 0 && run.stdout.isEmpty, "\(arguments)")
            #expect(!run.stderr.isEmpty, "\(arguments)")
        }
    }
}
