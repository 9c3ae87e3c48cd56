import CodingStore
import Foundation
import TestSupport
import Testing

/// `drgcoder score` with a real (tiny, random) LLaMA classifier: the engine's llama2-f16 fixture
/// (738 labels) with the shared LLaMA-2 tokenizer, assembled into a model directory.
@Suite("Score command", .serialized)
struct ScoreCommandTests {
    static func tinyModel() throws -> URL {
        let root = SharedReference.projectRoot
        let fixture = root.appendingPathComponent("Tests/LlamaInferenceTests/Fixtures/llama2-f16")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tiny-model-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for name in ["config.json", "model.safetensors"] {
            try FileManager.default.copyItem(at: fixture.appendingPathComponent(name), to: dir.appendingPathComponent(name))
        }
        try FileManager.default.copyItem(at: SharedReference.url("llama-tokenizers/llama2-spm.tokenizer.json"),
                                         to: dir.appendingPathComponent("tokenizer.json"))
        return dir
    }

    @Test func scoresTheQueueOnceAndResumes() throws {
        let db = try StoreCommandsTests.freshDB()
        _ = try StoreCommandsTests.importSample(db)
        let model = try Self.tinyModel()
        let first = try StoreCommandsTests.drgcoder(["score", "--db", db, "--model", model.path, "--labels", "drg-llama-single", "--limit", "3"])
        #expect(first.status == 0, "\(first.err)")
        #expect(first.out.contains("scored 3 notes") && first.out.contains("5 not yet scored"))
        let rest = try StoreCommandsTests.drgcoder(["score", "--db", db, "--model", model.path, "--labels", "drg-llama-single"])
        #expect(rest.out.contains("scored 5 notes") && rest.out.contains("0 not yet scored"))
        let again = try StoreCommandsTests.drgcoder(["score", "--db", db, "--model", model.path, "--labels", "drg-llama-single"])
        #expect(again.out.contains("scored 0 notes"))
        let store = try AppDatabase.openFile(at: URL(fileURLWithPath: db))
        let entries = try store.queueEntries()
        #expect(entries.allSatisfy { $0.predictionCount == 1 && $0.topDRG != nil })
        let prediction = try #require(try store.latestPrediction(caseID: entries[0].id))
        #expect(prediction.weightsSHA256.count == 64 && prediction.labelSpace == "drg-llama-single")
        #expect(prediction.tokenCount ?? 0 > 1)
        let eval = try StoreCommandsTests.drgcoder(["eval", "--db", db, "--json"])
        #expect(eval.status == 0, "\(eval.err)")

        let missing = try StoreCommandsTests.drgcoder(["score", "--db", db, "--model", "/nonexistent"])
        #expect(missing.status == 1 && missing.err.contains("cannot load the model in /nonexistent"))
    }
}

extension ScoreCommandTests {
    @Test func ctrlCStopsCleanlyAndTheNextRunResumes() throws {
        let db = try StoreCommandsTests.freshDB()
        let jsonl = URL(fileURLWithPath: db).deletingLastPathComponent().appendingPathComponent("many.jsonl")
        let lines = (1...800).map { i in
            #"{"id": "n\#(i)", "text": "Brief Hospital Course:\npatient \#(i) admitted with heart failure, diuresed, improved over \#(i % 7) days\nDischarge Medications:"}"#
        }
        try lines.joined(separator: "\n").write(to: jsonl, atomically: true, encoding: .utf8)
        #expect(try StoreCommandsTests.drgcoder(["import", "--db", db, "--format", "jsonl", jsonl.path]).status == 0)
        let model = try Self.tinyModel()
        let process = try StoreCommandsTests.launch(["score", "--db", db, "--model", model.path, "--labels", "drg-llama-single"])
        let store = try AppDatabase.openFile(at: URL(fileURLWithPath: db))
        let deadline = Date().addingTimeInterval(60)
        while try store.queueEntries().filter({ $0.predictionCount > 0 }).count < 5 && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        kill(process.process.processIdentifier, SIGINT)
        let run = process.finish()
        #expect(run.status == 130, "\(run.err)")
        #expect(run.err.contains("interrupted: run drgcoder score again to resume"))
        let scoredBefore = try store.queueEntries().filter { $0.predictionCount > 0 }.count
        #expect(scoredBefore >= 5 && scoredBefore < 800)
        let resumed = try StoreCommandsTests.drgcoder(["score", "--db", db, "--model", model.path, "--labels", "drg-llama-single"])
        #expect(resumed.status == 0)
        #expect(resumed.out.contains("scored \(800 - scoredBefore) notes"))
        #expect(try store.queueEntries().allSatisfy { $0.predictionCount == 1 })
    }
}
