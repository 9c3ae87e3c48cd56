import CodingStore
import Foundation
import TestSupport
import Testing

/// `drgcoder score` with a real (tiny, random) LLaMA classifier: the engine's llama2-f16 fixture
/// (738 labels) with the shared LLaMA-2 tokenizer, assembled into a model directory.
@Suite("Score command", .serialized)
struct ScoreCommandTests {
    /// The engine's llama2-f16 fixture (738 labels) with the shared LLaMA-2 tokenizer, copied into a
    /// fresh model directory.
    static func tinyModel() throws -> URL {
        let fixture = ReferenceCase.engineFixture("llama2-f16")
        let dir = try TemporaryDirectory(prefix: "tiny-model")
        for name in ["config.json", "model.safetensors"] {
            try FileManager.default.copyItem(at: fixture.appendingPathComponent(name), to: dir.file(name))
        }
        try FileManager.default.copyItem(at: SharedReference.url("llama-tokenizers/llama2-spm.tokenizer.json"),
                                         to: dir.file("tokenizer.json"))
        return dir.url
    }

    @Test func scoresTheQueueOnceAndResumes() throws {
        let db = try StoreCommandsTests.freshDB()
        _ = try StoreCommandsTests.importSample(db)
        let model = try Self.tinyModel()
        let first = try drgcoder(["score", "--db", db, "--model", model.path, "--labels", "drg-llama-single", "--limit", "3"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("scored 3 notes") && first.stdout.contains("5 not yet scored"))
        let rest = try drgcoder(["score", "--db", db, "--model", model.path, "--labels", "drg-llama-single"])
        #expect(rest.stdout.contains("scored 5 notes") && rest.stdout.contains("0 not yet scored"))
        let again = try drgcoder(["score", "--db", db, "--model", model.path, "--labels", "drg-llama-single"])
        #expect(again.stdout.contains("scored 0 notes"))
        let store = try AppDatabase.openFile(at: URL(fileURLWithPath: db))
        let entries = try store.queueEntries()
        #expect(entries.allSatisfy { $0.predictionCount == 1 && $0.topDRG != nil })
        let prediction = try #require(try store.latestPrediction(caseID: entries[0].id))
        #expect(prediction.weightsSHA256.count == 64 && prediction.labelSpace == "drg-llama-single")
        #expect(prediction.tokenCount ?? 0 > 1)
        let eval = try drgcoder(["eval", "--db", db, "--json"])
        #expect(eval.status == 0, "\(eval.stderr)")

        let missing = try drgcoder(["score", "--db", db, "--model", "/nonexistent"])
        #expect(missing.status == 1 && missing.stderr.contains("cannot load the model in /nonexistent"))
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
        #expect(try drgcoder(["import", "--db", db, "--format", "jsonl", jsonl.path]).status == 0)
        let model = try Self.tinyModel()
        let process = try launchDrgcoder(["score", "--db", db, "--model", model.path, "--labels", "drg-llama-single"])
        let store = try AppDatabase.openFile(at: URL(fileURLWithPath: db))
        func scored() throws -> Int { try store.queueEntries().filter { $0.predictionCount > 0 }.count }
        var seen = 0
        try #require(waitUntil(timeout: 120, every: 0.05) { seen = (try? scored()) ?? 0; return seen >= 5 }, "score saved \(seen) notes in 120 s")
        // Hold the database's write lock while Ctrl-C arrives: the run cannot save another note, so it
        // cannot finish the queue before the signal, however fast the machine. The store waits up to
        // 5 s for a lock; the hold is 0.5 s, then the note in flight is saved and the run stops.
        let holding = Flag(), release = Flag()
        let holder = Thread {
            try? store.writer.write { db in
                try db.execute(sql: "UPDATE cases SET priority = priority")
                holding.set()
                _ = release.wait(timeout: 30)
            }
        }
        holder.start()
        try #require(holding.wait(timeout: 30), "could not take the write lock")
        kill(process.process.processIdentifier, SIGINT)
        Thread.sleep(forTimeInterval: 0.5)   // let the handler run while nothing can be saved (if it runs later, the run still stops within a few notes)
        release.set()
        let run = process.finish()
        #expect(run.status == 130, "\(run.stderr)")
        #expect(run.stderr.contains("interrupted: run drgcoder score again to resume"))
        let scoredBefore = try store.queueEntries().filter { $0.predictionCount > 0 }.count
        #expect(scoredBefore >= 5 && scoredBefore < 800)
        let resumed = try drgcoder(["score", "--db", db, "--model", model.path, "--labels", "drg-llama-single"])
        #expect(resumed.status == 0)
        #expect(resumed.stdout.contains("scored \(800 - scoredBefore) notes"))
        #expect(try store.queueEntries().allSatisfy { $0.predictionCount == 1 })
    }
}
