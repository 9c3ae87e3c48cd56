import DRGKit
import Foundation
import TestSupport
import Testing

/// `drgcoder predict`, run as the built binary on the engine's llama2-f16 fixture (a tiny random
/// LLaMA classifier with the 738-label DRG-LLaMA head) and the shared LLaMA-2 tokenizer
/// (`ScoreCommandTests.tinyModel()`). The JSON is checked against transformers' reference ids and
/// logits in the fixture's `cases.json`, and the ranking against the drg-llama-single label map of
/// shared/reference (`drg-llama/id2label.csv`). Bad inputs must exit 1 with one line on stderr and
/// nothing on stdout (../shared/DESIGN.md, "predict --json").
@Suite("Predict command", .serialized)
struct PredictCommandTests {
    static func referenceCase(_ name: String) throws -> ReferenceCase {
        try #require(try ReferenceCase.load(from: ReferenceCase.engineFixture("llama2-f16")).first { $0.name == name })
    }

    /// drg-llama-single: label index → three-digit MS-DRG v34 code, from `id2label.csv` (`drg_34_code,label`).
    static func singleLabelCodes() throws -> [Int: String] {
        let csv = try String(contentsOf: SharedReference.url("drg-llama/id2label.csv"), encoding: .utf8)
        var codes: [Int: String] = [:]
        for line in csv.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == 2, let code = Int(fields[0]), let label = Int(fields[1]) else { continue }
            codes[label] = String(format: "%03d", code)
        }
        return codes
    }

    /// Writes `text` to a file beside the model (so one cleanup removes both) and returns its path.
    static func note(_ text: String, in model: URL, name: String = "note.txt") throws -> String {
        let file = model.appendingPathComponent(name)
        try Data(text.utf8).write(to: file)
        return file.path
    }

    /// `predict --json` parsed twice: as a plain object (to see the contract's keys and numbers) and
    /// as `DRGPrediction` (the typed ranking and marginals).
    static func predictJSON(_ arguments: [String]) throws -> (object: [String: Any], prediction: DRGPrediction) {
        let run = try drgcoder(["predict", "--json"] + arguments)
        #expect(run.status == 0, "\(run.stderr)")
        let data = Data(run.stdout.utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return (object, try JSONDecoder().decode(DRGPrediction.self, from: data))
    }

    @Test(arguments: ["short", "unicode", "tabs-blank-lines", "truncated"])
    func jsonMatchesTheTransformersReference(caseName: String) throws {
        let reference = try Self.referenceCase(caseName)
        let text = try #require(reference.text)
        let model = try ScoreCommandTests.tinyModel()
        defer { try? FileManager.default.removeItem(at: model) }
        let (object, prediction) = try Self.predictJSON(["--model", model.path, try Self.note(text, in: model)])

        for key in ["token_ids", "truncated", "logits", "ranked", "base_drgs", "cc_mcc", "evidence", "elapsed_ms"] {
            #expect(object[key] != nil, "predict --json lacks \(key)")
        }
        #expect(object["token_ids"] as? [Int] == reference.tokenIDs)
        #expect((object["token_ids"] as? [Int])?.first == 1, "BOS first")
        #expect(object["truncated"] as? Bool == (reference.truncated ?? false))
        let logits = try #require(object["logits"] as? [Double])
        #expect(logits.count == 738 && reference.logits.count == 738)
        let worst = zip(logits, reference.logits).map { abs($0 - Double($1)) }.max() ?? .infinity
        #expect(worst < 1e-4, "largest logit difference from transformers: \(worst)")
        #expect((object["elapsed_ms"] as? Double ?? -1) > 0)
        #expect((object["evidence"] as? [Any]) != nil)

        // Every one of the 738 labels, best first, probabilities a distribution.
        let ranked = prediction.ranked
        #expect(ranked.count == 738)
        #expect(abs(ranked.reduce(0) { $0 + $1.probability } - 1) < 1e-6)
        #expect(zip(ranked, ranked.dropFirst()).allSatisfy { $0.probability >= $1.probability })
        #expect(Set(ranked.map(\.drg)).count == 738)

        // The top DRG is the argmax logit read through drg-llama-single, with its softmax probability.
        let best = try #require(logits.indices.max { logits[$0] < logits[$1] })
        let codes = try Self.singleLabelCodes()
        #expect(codes.count == 738)
        let top = try #require(ranked.first)
        #expect(top.drg == codes[best])
        let maxLogit = logits[best]
        let expected = 1 / logits.reduce(0) { $0 + exp($1 - maxLogit) }
        #expect(abs(top.probability - expected) < 1e-5)
        let entry = try #require(DRGTable.table(for: .v34).entry(top.drg))
        #expect(top.description == entry.description && top.base == entry.baseDRG)
        #expect(top.ccMcc != nil && !top.description.isEmpty)

        // Marginals over base DRGs and CC/MCC classes are distributions too.
        #expect(abs(prediction.baseDRGs.reduce(0) { $0 + $1.probability } - 1) < 1e-6)
        #expect(abs(prediction.ccMcc.reduce(0) { $0 + $1.probability } - 1) < 1e-6)
        #expect(prediction.baseDRGs.first.map { $0.probability >= (prediction.baseDRGs.last?.probability ?? 1) } == true)
        #expect(!prediction.ccMcc.isEmpty && prediction.ccMcc.count <= 5)
    }

    @Test func maxTokensKeepsBOSAndTheFirstTokens() throws {
        let reference = try Self.referenceCase("short")
        let model = try ScoreCommandTests.tinyModel()
        defer { try? FileManager.default.removeItem(at: model) }
        let file = try Self.note(try #require(reference.text), in: model)

        let cut = try Self.predictJSON(["--model", model.path, "--max-tokens", "4", file]).object
        #expect(cut["token_ids"] as? [Int] == Array(reference.tokenIDs.prefix(4)))
        #expect(cut["truncated"] as? Bool == true)
        #expect((cut["logits"] as? [Double])?.count == 738)

        // Exactly as many tokens as the note has: nothing is cut.
        let exact = try Self.predictJSON(["--model", model.path, "--max-tokens", "\(reference.tokenIDs.count)", file]).object
        #expect(exact["token_ids"] as? [Int] == reference.tokenIDs)
        #expect(exact["truncated"] as? Bool == false)

        let one = try drgcoder(["predict", "--model", model.path, "--max-tokens", "1", file])
        #expect(one.status != 0 && one.stdout.isEmpty)
        #expect(one.stderr.contains("--max-tokens must be at least 2"))
    }

    @Test func explicitLabelsAgreeWithTheDefault() throws {
        let model = try ScoreCommandTests.tinyModel()
        defer { try? FileManager.default.removeItem(at: model) }
        let file = try Self.note("Patient admitted with sepsis.", in: model)
        let byDefault = try Self.predictJSON(["--model", model.path, file]).prediction
        let named = try Self.predictJSON(["--model", model.path, "--labels", "drg-llama-single", file]).prediction
        #expect(byDefault.ranked.map(\.drg) == named.ranked.map(\.drg))
        #expect(byDefault.ranked.first?.probability == named.ranked.first?.probability)
    }

    @Test func readableOutputListsTheTopDRGs() throws {
        let model = try ScoreCommandTests.tinyModel()
        defer { try? FileManager.default.removeItem(at: model) }
        let file = try Self.note("Patient admitted with sepsis.", in: model)
        let top = try #require(try Self.predictJSON(["--model", model.path, file]).prediction.ranked.first)

        let run = try drgcoder(["predict", "--model", model.path, "--top", "3", file])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 6)
        #expect(lines.first?.hasPrefix("9 tokens, ") == true && lines.first?.hasSuffix("labels drg-llama-single") == true)
        #expect(lines.dropFirst().prefix(3).allSatisfy { $0.contains("%  DRG ") })
        #expect(lines.count > 1 && lines[1].contains("DRG \(top.drg)  \(top.description)"))
        #expect(lines.contains { $0.hasPrefix("base DRG ") } && lines.contains { $0.hasPrefix("CC/MCC ") })
    }

    /// Runs `predict` expecting failure: exit 1, nothing on stdout, one line on stderr; returns that line.
    static func failure(_ arguments: [String]) throws -> String {
        let run = try drgcoder(["predict"] + arguments)
        #expect(run.status == 1, "exit status \(run.status) for \(arguments)")
        #expect(run.stdout.isEmpty, "stdout: \(run.stdout)")
        let message = run.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!message.isEmpty && !message.contains("\n"), "stderr: \(run.stderr)")
        return message
    }

    @Test func badInputsExitOneWithOneLine() throws {
        let model = try ScoreCommandTests.tinyModel()
        defer { try? FileManager.default.removeItem(at: model) }
        let note = try Self.note("Patient admitted with sepsis.", in: model)

        let blank = try Self.note(" \n\t\n", in: model, name: "blank.txt")
        #expect(try Self.failure(["--model", model.path, "--json", blank]).contains("\(blank) is empty: nothing to classify"))

        #expect(try Self.failure(["--model", model.path, "--json", "/nonexistent/note.txt"])
                .contains("cannot read /nonexistent/note.txt: no such file"))

        let binary = model.appendingPathComponent("binary.txt")
        try Data([0x50, 0xFF, 0xFE, 0x41]).write(to: binary)
        #expect(try Self.failure(["--model", model.path, "--json", binary.path]).contains("\(binary.path) is not UTF-8 text"))

        // A name that is not built in is read as a drg_labels.json path (relative to the working directory).
        let unknownLabels = try Self.failure(["--model", model.path, "--labels", "drg-llama-nine", "--json", note])
        #expect(unknownLabels.contains("unknown label space 'drg-llama-nine'") && unknownLabels.contains("drg-llama-single"))
        #expect(try Self.failure(["--model", model.path, "--labels", "drg-llama-two", "--json", note])
                .contains("label space drg-llama-two has 345 labels but the model's score head has 738"))

        // A model directory with its config and tokenizer but no weights.
        let noWeights = model.appendingPathComponent("no-weights")
        try FileManager.default.createDirectory(at: noWeights, withIntermediateDirectories: true)
        for name in ["config.json", "tokenizer.json"] {
            try FileManager.default.copyItem(at: model.appendingPathComponent(name), to: noWeights.appendingPathComponent(name))
        }
        #expect(try Self.failure(["--model", noWeights.path, "--json", note])
                .contains("no model.safetensors, pytorch_model.bin or a shard index"))
        #expect(try Self.failure(["--model", "/nonexistent/model", "--json", note]).contains("/nonexistent/model"))
    }
}
