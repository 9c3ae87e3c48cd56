import CodingStore
import DRGInference
import DRGKit
import Foundation
import ReviewApp
import TerminalUI
import Testing
import TestSupport
@testable import DRGCoderCLI

/// A CAML run as the `Scorer` of `score` and `review` (issue 19): on the repository-layout fixtures
/// (Tests/DRGInferenceTests/Fixtures/caml, made with JHLiu7/EarlyDRGPrediction's own code).
@Suite("CAML scorer", .serialized)
struct CAMLScorerTests {
    static func scorer(_ name: String) throws -> CAMLScorer {
        CAMLScorer(classifier: try CAMLClassifier.load(directory: CAMLCommandTests.fixtures.appendingPathComponent(name)))
    }

    static let note = "Admitted with acute on chronic systolic heart failure and pneumonia. Treated with furosemide and antibiotics. Sepsis resolved."

    @Test func scoresWithTheLabelSystemAndAttentionEvidence() throws {
        let ms = try Self.scorer("ms-k5")
        let scored = try ms.score(text: Self.note, isCancelled: { false }, progress: { _ in })
        #expect(scored.prediction.labelSystem == "MS-DRG" && !scored.prediction.isAPRDRG)
        #expect(ms.identity.labelSpace.hasPrefix("caml-ms-drg:") && ms.identity.path.hasPrefix("/"))
        let top = try #require(scored.top)
        #expect(top.drg.count == 3 && Int(top.drg) != nil)
        #expect(!scored.prediction.evidence.isEmpty)
        let scalars = Array(Self.note.unicodeScalars)
        for span in scored.prediction.evidence {
            #expect(span.supports == top.drg && span.aspect == "base")
            #expect(String(String.UnicodeScalarView(scalars[span.start..<span.end])) == span.text)
        }
        let apr = try Self.scorer("apr").score(text: Self.note, isCancelled: { false }, progress: { _ in })
        #expect(apr.prediction.labelSystem == "APR-DRG" && apr.prediction.isAPRDRG)
        #expect(apr.top?.drg.range(of: #"^[0-9]{3}-[1-4]$"#, options: .regularExpression) != nil)
    }

    @Test func marksWhereTheModelStoppedReadingAndHonoursCancellation() throws {
        let ms = try Self.scorer("ms-k5")
        let length = ms.classifier.hyperparameters.maxSequenceLength
        let short = try ms.score(text: "Heart failure.", isCancelled: { false }, progress: { _ in })
        #expect(!short.truncated && short.readUpTo == nil && short.tokenCount == 3)
        let long = String(repeating: "heart failure treated. ", count: length)
        let cut = try ms.score(text: long, isCancelled: { false }, progress: { _ in })
        #expect(cut.truncated && cut.tokenCount == length)
        let limit = try #require(cut.readUpTo)
        #expect(limit > 0 && limit < long.unicodeScalars.count)
        #expect(throws: CancellationError.self) { _ = try ms.score(text: Self.note, isCancelled: { true }, progress: { _ in }) }
    }

    /// `drgcoder score --model CAMLDIR` stores every case's prediction with its label system; a second
    /// run scores nothing; `eval` reads them as CAML MS-DRG predictions.
    @Test func scoreCommandStoresCAMLPredictions() throws {
        let db = try StoreCommandsTests.freshDB()
        _ = try StoreCommandsTests.importSample(db)
        let model = CAMLCommandTests.fixtures.appendingPathComponent("ms-k5").path
        let run = try drgcoder(["score", "--db", db, "--model", model])
        #expect(run.status == 0 && run.stdout.contains("scored 8 notes") && run.stdout.contains("0 not yet scored"), "\(run.stdout) \(run.stderr)")
        #expect(try drgcoder(["score", "--db", db, "--model", model]).stdout.contains("scored 0 notes"))
        let store = try AppDatabase.openFile(at: URL(fileURLWithPath: db))
        let entries = try store.queueEntries()
        #expect(entries.count == 8 && entries.allSatisfy { $0.topDRG?.count == 3 })
        let stored = try #require(try store.latestPrediction(caseID: entries[0].id))
        #expect(stored.labelSpace == "caml-ms-drg:MSDRG_RULE13.csv")
        #expect(try stored.decoded().labelSystem == "MS-DRG" && !(try stored.decoded().evidence.isEmpty))
        let adapter = try drgcoder(["score", "--db", db, "--model", model, "--adapter", "/tmp"])
        #expect(adapter.status == 1 && adapter.stderr.contains("CAML model") && adapter.stderr.split(separator: "\n").count == 1)
    }

    /// The review screen over a CAML-scored store: the case shows CAML's attention spans in the note
    /// (the evidence gutter) and `]` jumps to them, as with DRG-LLaMA's.
    @Test func reviewShowsCAMLAttentionSpans() throws {
        let database = try AppDatabase.inMemory()
        var incoming = IncomingCase(externalID: "C-1", noteText: Self.note)
        incoming.finalDRG = "291"
        _ = try database.enqueue(incoming, source: "jsonl")
        let scorer = try Self.scorer("ms-k5")
        let report = try database.scoreQueue(with: scorer)
        #expect(report.scored == 1)
        let source = StoreReviewSource(store: database, scorer: scorer)
        let env = ReviewEnvironment(catalog: DRGKitCatalog(version: .v43), exportFormats: source.exportFormats,
                                    exportDirectory: FileManager.default.temporaryDirectory)
        let driver = ReviewDriver(state: AppState(user: "carol", size: Size(width: 100, height: 30), now: Date(), modelName: scorer.modelName),
                                  environment: env, source: source, scorer: scorer, clock: SystemClock())
        driver.start()
        try driver.press(.claimNext)
        let session = try #require(driver.state.session)
        #expect(session.prediction?.prediction.labelSystem == "MS-DRG")
        #expect(!session.spans.isEmpty)
        try driver.press(.nextSpan)
        #expect(driver.state.session?.spanCursor == 0)
        #expect(driver.frame.lines.contains { $0.contains("B ") && $0.contains("failure") })
        #expect(driver.frame.lines.contains { $0.contains("C-1 · Ranked DRGs") })
    }
}

extension CAMLScorerTests {
    /// `eval` on CAML predictions: metrics and the population CMI in the model's own DRG system with
    /// its rules file's weights; references of the other system are left out, never compared.
    @Test func evalReportsCMIInTheModelsOwnSystem() throws {
        let db = try StoreCommandsTests.freshDB()
        let jsonl = URL(fileURLWithPath: db).deletingLastPathComponent().appendingPathComponent("caml.jsonl")
        // final_drg holds MS-DRGs, final_apr_drg APR-DRGs: 945 and 860-1 are left out of the fixtures' label spaces.
        let finals: [(String?, String?)] = [("291", "194-4"), ("66", nil), ("871", "139-1"), (nil, "720-3"), ("292", nil), ("945", "860-1")]
        let lines = finals.enumerated().map { i, f in
            let ms = f.0.map { #", "final_drg": "\#($0)""# } ?? "", apr = f.1.map { #", "final_apr_drg": "\#($0)""# } ?? ""
            return #"{"id": "c\#(i)", "text": "Patient \#(i) admitted with heart failure and pneumonia, sepsis treated."\#(ms)\#(apr)}"#
        }
        try lines.joined(separator: "\n").write(to: jsonl, atomically: true, encoding: .utf8)
        #expect(try drgcoder(["import", "--db", db, "--format", "jsonl", jsonl.path]).status == 0)
        let ms = CAMLCommandTests.fixtures.appendingPathComponent("ms-k5").path, apr = CAMLCommandTests.fixtures.appendingPathComponent("apr").path
        #expect(try drgcoder(["score", "--db", db, "--model", ms]).status == 0)
        #expect(try drgcoder(["score", "--db", db, "--model", apr]).status == 0)

        let msRun = try drgcoder(["eval", "--db", db, "--model", ms, "--json", "--resamples", "200", "--base-rate", "5000"])
        #expect(msRun.status == 0, "\(msRun.stderr)")
        let msReport = try #require(try JSONSerialization.jsonObject(with: Data(msRun.stdout.utf8)) as? [String: Any])
        let msMetrics = try #require(msReport["metrics"] as? [String: Any])
        #expect(msMetrics["label_system"] as? String == "MS-DRG" && msMetrics["skipped"] as? Int == 1 && msMetrics["labels"] as? Int == 21)
        #expect(msReport["cmi_weights"] as? String == "MS-DRG weights of MSDRG_RULE13.csv")
        let msCMI = try #require(msMetrics["cmi_bootstrap"] as? [String: Any])
        #expect(msCMI["stays"] as? Int == 4 && msCMI["base_rate"] as? Double == 5000 && msCMI["resamples"] as? Int == 200)
        // The final CMI is the mean of the rules file's weights of 291, 066, 871 and 292.
        let weights = try CAMLClassifier.load(directory: URL(fileURLWithPath: ms)).rules.labels
        let expected = ["291", "066", "871", "292"].map { code in weights.first { $0.code == code }?.weight ?? .nan }.reduce(0, +) / 4
        let finalCMI = try #require((msCMI["final_cmi"] as? [String: Any])?["value"] as? Double)
        #expect(abs(finalCMI - expected) < 1e-9, "\(finalCMI) vs \(expected)")

        let aprRun = try drgcoder(["eval", "--db", db, "--model", apr, "--json"])
        #expect(aprRun.status == 0, "\(aprRun.stderr)")
        let aprReport = try #require(try JSONSerialization.jsonObject(with: Data(aprRun.stdout.utf8)) as? [String: Any])
        let aprMetrics = try #require(aprReport["metrics"] as? [String: Any])
        #expect(aprMetrics["label_system"] as? String == "APR-DRG" && aprMetrics["skipped"] as? Int == 1 && aprReport["cases"] as? Int == 4)
        #expect(aprReport["cmi_weights"] as? String == "APR-DRG weights of APRDRG_RULE13.csv")
        #expect((aprMetrics["cmi_bootstrap"] as? [String: Any])?["stays"] as? Int == 3)
        let coded = try drgcoder(["eval", "--db", db, "--model", apr, "--against", "coded"])
        #expect(coded.status == 1 && coded.stderr.contains("APR-DRG"), "\(coded.stderr)")
        let badAPR = URL(fileURLWithPath: db).deletingLastPathComponent().appendingPathComponent("bad.jsonl")
        try #"{"id": "x", "text": "note", "final_apr_drg": "291"}"#.write(to: badAPR, atomically: true, encoding: .utf8)
        let refused = try drgcoder(["import", "--db", db, "--format", "jsonl", badAPR.path])
        #expect(refused.status == 1 && refused.stderr.contains("final_apr_drg '291' is not an APR-DRG"), "\(refused.stderr)")

        let text = try drgcoder(["eval", "--db", db, "--model", apr])
        #expect(text.status == 0 && text.stdout.contains("APR-DRG top-1") && text.stdout.contains("APR-DRG weights of APRDRG_RULE13.csv"))
        #expect(text.stdout.contains("population CMI") && text.stdout.contains("payment at a base rate of $6000"))
        let version = try drgcoder(["eval", "--db", db, "--model", apr, "--version", "43"])
        #expect(version.status == 1 && version.stderr.contains("CAML model") && version.stderr.split(separator: "\n").count == 1)
    }
}

extension CAMLScorerTests {
    static let demoCAML = SharedReference.projectRoot.appendingPathComponent("models/demo-caml")

    /// Early prediction end to end on the committed demo stays (training/caml/make_demo_stays.py):
    /// chart-timed notes imported, working DRGs at 24 h in the queue for patients still in hospital, a
    /// late note in the window makes one stale and the next run scores only that one.
    @Test func earlyPredictionOnTheDemoStays() throws {
        let db = try StoreCommandsTests.freshDB()
        let stays = Self.demoCAML.appendingPathComponent("demo_stays.jsonl").path
        let imported = try drgcoder(["import", "--db", db, "--format", "jsonl", "--chart-notes", stays])
        #expect(imported.status == 0 && imported.stdout.contains("150 new notes") && imported.stdout.contains("40 stays created")
                && imported.stdout.contains("30 discharged"), "\(imported.stdout) \(imported.stderr)")
        let model = Self.demoCAML.path
        let scored = try drgcoder(["score", "--db", db, "--model", model, "--cutoff", "24h"])
        #expect(scored.status == 0 && scored.stdout.contains("early predictions at 24 h") && scored.stdout.contains("40 scored, 0 up to date"),
                "\(scored.stdout) \(scored.stderr)")
        let queue = try drgcoder(["queue", "--db", db])
        let inHospital = queue.stdout.split(separator: "\n").filter { $0.contains("in hospital · working DRG") && $0.contains("(24 h)") }
        #expect(inHospital.count == 10, "\(queue.stdout)")
        #expect(!queue.stdout.contains("stale"))

        let late = try drgcoder(["import", "--db", db, "--format", "jsonl", "--chart-notes",
                                 Self.demoCAML.appendingPathComponent("demo_stays_late.jsonl").path])
        #expect(late.status == 0 && late.stdout.contains("1 new notes"))
        let json = try drgcoder(["queue", "--db", db, "--json"])
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        let stale = entries.filter { (($0["working_drg"] as? [String: Any])?["stale"] as? Bool) == true }.compactMap { $0["external_id"] as? String }
        #expect(stale == ["stay-30"])
        let rescored = try drgcoder(["score", "--db", db, "--model", model, "--cutoff", "24h"])
        #expect(rescored.stdout.contains("1 scored, 39 up to date"), "\(rescored.stdout)")
        #expect(try drgcoder(["score", "--db", db, "--model", model, "--cutoff", "48h"]).stdout.contains("40 scored"))

        let eval = try drgcoder(["eval", "--db", db, "--model", model, "--cutoff", "24h", "--json"])
        #expect(eval.status == 0, "\(eval.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(eval.stdout.utf8)) as? [String: Any])
        #expect(report["cutoff"] as? String == "24h" && report["cases"] as? Int == 40)
        let none = try drgcoder(["eval", "--db", db, "--model", model, "--cutoff", "now"])
        #expect(none.status == 1 && none.stderr.contains("no early predictions at now"), "\(none.stderr)")
    }

    /// `predict --cutoff` reads one stay's notes JSONL up to the cut-off.
    @Test func predictReadsOneStayUpToTheCutOff() throws {
        let all = try String(contentsOf: Self.demoCAML.appendingPathComponent("demo_stays.jsonl"), encoding: .utf8)
        let stay = all.split(separator: "\n").filter { $0.contains(#""case": "stay-00""#) }.joined(separator: "\n")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("stay-\(UUID().uuidString).jsonl")
        try stay.write(to: file, atomically: true, encoding: .utf8)
        func tokens(_ cutoff: String) throws -> Int {
            let run = try drgcoder(["predict", "--model", Self.demoCAML.path, "--cutoff", cutoff, "--json", file.path])
            #expect(run.status == 0, "\(run.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            return (json["tokens"] as? [String])?.count ?? -1
        }
        let (h24, h48, now) = (try tokens("24h"), try tokens("48h"), try tokens("now"))
        #expect(0 < h24 && h24 < h48 && h48 <= now, "\(h24) \(h48) \(now)")
        let mixed = FileManager.default.temporaryDirectory.appendingPathComponent("mixed-\(UUID().uuidString).jsonl")
        try all.split(separator: "\n").prefix(5).joined(separator: "\n").write(to: mixed, atomically: true, encoding: .utf8)
        let refused = try drgcoder(["predict", "--model", Self.demoCAML.path, "--cutoff", "24h", mixed.path])
        #expect(refused.status == 1 && refused.stderr.contains("a second stay") && refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
    }
}

extension CAMLScorerTests {
    /// Early prediction is not CAML's alone: a DRG-LLaMA checkpoint scores the same windows, and
    /// `eval --cutoff` names the cut-off.
    @Test func aDRGLLaMAModelScoresEarlyToo() throws {
        let db = try StoreCommandsTests.freshDB()
        let stays = Self.demoCAML.appendingPathComponent("demo_stays.jsonl").path
        #expect(try drgcoder(["import", "--db", db, "--format", "jsonl", "--chart-notes", stays]).status == 0)
        let model = try ScoreCommandTests.tinyModel().path
        let run = try drgcoder(["score", "--db", db, "--model", model, "--labels", "drg-llama-single", "--cutoff", "48h", "--limit", "5"])
        #expect(run.status == 0 && run.stdout.contains("5 scored"), "\(run.stdout) \(run.stderr)")
        let eval = try drgcoder(["eval", "--db", db, "--cutoff", "48h", "--json"])
        #expect(eval.status == 0, "\(eval.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(eval.stdout.utf8)) as? [String: Any])
        #expect(report["cutoff"] as? String == "48h" && report["cases"] as? Int == 5)
        #expect(try drgcoder(["eval", "--db", db, "--cutoff", "48h"]).stdout.contains("early predictions at 48h"))
    }
}
