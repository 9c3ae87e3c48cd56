import CodingStore
import DRGKit
import Foundation
import GRDB
import TestSupport
import Testing

/// import, queue, decide, audit and export, run as the built `drgcoder` binary: exit status,
/// stdout, and one-line errors on stderr, as a script would see them.
@Suite("Store commands", .serialized)
struct StoreCommandsTests {
    static let fixtures = SharedReference.projectRoot.appendingPathComponent("Tests/CodingStoreTests/Fixtures")

    static func freshDB() throws -> String {
        try TemporaryDirectory(prefix: "cli").file("queue.sqlite").path
    }

    static func importSample(_ db: String) throws -> BuiltProduct.Run {
        try drgcoder(["import", "--db", db, "--format", "mimic-iv", "--skip-bad-rows",
                      "--drgcodes", fixtures.appendingPathComponent("drgcodes_sample.csv").path,
                      fixtures.appendingPathComponent("discharge_sample.csv").path])
    }

    @Test func importReportsBadRowsAndIsIdempotent() throws {
        let db = try Self.freshDB()
        let strict = try drgcoder(["import", "--db", db, "--format", "mimic-iv",
                                        Self.fixtures.appendingPathComponent("discharge_sample.csv").path])
        #expect(strict.status == 1)
        #expect(strict.stderr.contains("discharge_sample.csv line 78: expected 8 fields, found 4; nothing was imported"))
        #expect(strict.stderr.split(separator: "\n").count == 1)

        let first = try Self.importSample(db)
        #expect(first.status == 0)
        #expect(first.stdout.contains("discharge_sample.csv: 8 new, 0 already present, 1 duplicate ids in the file ignored, 2 bad rows skipped"))
        #expect(first.stdout.contains("6 HCFA rows"))
        #expect(first.stderr.contains("skipped discharge_sample.csv line 124: field 8 is not valid UTF-8 (text)"))
        #expect(!first.stderr.contains("Brief Hospital Course") && !first.stdout.contains("Brief Hospital Course"))   // no note text
        let again = try Self.importSample(db)
        #expect(again.stdout.contains("0 new, 8 already present"))
        let mode = try FileManager.default.attributesOfItem(atPath: db)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        let queue = try drgcoder(["queue", "--db", db, "--json"])
        let entries = try JSONSerialization.jsonObject(with: Data(queue.stdout.utf8)) as? [[String: Any]]
        #expect(entries?.count == 8)
        #expect(entries?.first?["external_id"] as? String == "10000000-DS-1")
        #expect(entries?.first?["final_drg"] as? String == "291")
    }

    @Test func decideWritesTheSameChainAsTheLibrary() throws {
        let db = try Self.freshDB()
        _ = try Self.importSample(db)
        let override = try drgcoder(["decide", "--db", db, "--case", "10000000-DS-1", "--override", "470",
                                          "--user", "alice", "--reason", "PDX", "--note", "documented"])
        #expect(override.status == 0)
        #expect(override.stdout.hasPrefix("recorded #1 override 470 for 10000000-DS-1 by alice: "))
        // The library (what the TUI calls) appends to the same chain.
        let store = try AppDatabase.openFile(at: URL(fileURLWithPath: db))
        let second = try #require(try store.cases(externalID: "10000001-DS-2").first)
        try store.recordDecision(DecisionRequest(caseID: second.id, user: "bob", action: .flag))
        let undo = try drgcoder(["decide", "--db", db, "--case", "10000000-DS-1", "--undo", "--user", "alice", "--json"])
        let row = try JSONSerialization.jsonObject(with: Data(undo.stdout.utf8)) as? [String: Any]
        #expect(row?["seq"] as? Int == 3 && row?["reverses_seq"] as? Int == 1)
        #expect(try store.verifyChain().ok)
        #expect(try store.allDecisions()[0].note == "documented")

        let accept = try drgcoder(["decide", "--db", db, "--case", "10000000-DS-1", "--accept", "--user", "alice"])
        #expect(accept.status == 1 && accept.stderr.contains("has no prediction to accept"))
        let both = try drgcoder(["decide", "--db", db, "--case", "10000000-DS-1", "--accept", "--flag", "--user", "a"])
        #expect(both.status == 1 && both.stderr == "Error: Give exactly one of --accept, --override DRG, --defer, --flag, --undo, --claim or --release.\n")
        let unknown = try drgcoder(["decide", "--db", db, "--case", "nope", "--flag", "--user", "a"])
        #expect(unknown.status == 1 && unknown.stderr.contains("no case nope"))
        let noDB = try drgcoder(["queue", "--db", db + ".missing"])
        #expect(noDB.status == 1 && noDB.stderr.contains("no database at"))
    }

    @Test func claimsRecodesAndAnchorsFromTheCommandLine() throws {
        let db = try Self.freshDB()
        _ = try Self.importSample(db)
        let claimed = try drgcoder(["queue", "--db", db, "--claim", "--user", "alice", "--json"])
        #expect(claimed.status == 0, "\(claimed.stderr)")
        let entry = try JSONSerialization.jsonObject(with: Data(claimed.stdout.utf8)) as? [String: Any]
        let id = try #require(entry?["external_id"] as? String)
        #expect(entry?["claim_holder"] as? String == "alice" && (entry?["lease_expires_at"] as? String)?.count == 24)
        let listed = try drgcoder(["queue", "--db", db, "--json"])
        let rows = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]]
        #expect(rows?.first { $0["external_id"] as? String == id }?["claim_holder"] as? String == "alice")
        // Bob cannot decide or claim it while Alice's lease runs.
        let stolen = try drgcoder(["decide", "--db", db, "--case", id, "--override", "470", "--user", "bob"])
        #expect(stolen.status == 1 && stolen.stderr.contains("is being coded by alice"))
        #expect(try drgcoder(["decide", "--db", db, "--case", id, "--claim", "--user", "bob"]).status == 1)
        #expect(try drgcoder(["decide", "--db", db, "--case", id, "--release", "--user", "alice"]).status == 0)
        #expect(try drgcoder(["decide", "--db", db, "--case", id, "--override", "470", "--user", "bob"]).status == 0)
        // A coded case takes a new decision only as a re-code with a reason.
        let again = try drgcoder(["decide", "--db", db, "--case", id, "--override", "871", "--user", "bob"])
        #expect(again.status == 1 && again.stderr.contains("already coded"))
        let noReason = try drgcoder(["decide", "--db", db, "--case", id, "--override", "871", "--user", "bob", "--recode"])
        #expect(noReason.status == 1 && noReason.stderr.split(separator: "\n").count == 1)
        #expect(try drgcoder(["decide", "--db", db, "--case", id, "--override", "871", "--user", "bob", "--recode", "--reason", "DOC"]).status == 0)
        // Careless values: DRG 0, a user name with a newline.
        #expect(try drgcoder(["decide", "--db", db, "--case", id, "--override", "0", "--user", "bob"]).status == 1)
        let forged = try drgcoder(["decide", "--db", db, "--case", id, "--flag", "--user", "bob\n#9 ok"])
        #expect(forged.status == 1 && forged.stderr.split(separator: "\n").count == 1)
        // An anchor from one verification stays valid after new work.
        let verify = try drgcoder(["audit", "verify", "--db", db])
        let anchor = try #require(verify.stdout.split(separator: "\n").first { $0.hasPrefix("anchor: ") }?.dropFirst(8))
        #expect(try drgcoder(["decide", "--db", db, "--case", id, "--flag", "--user", "bob"]).status == 0)
        let later = try drgcoder(["audit", "verify", "--db", db, "--anchor", String(anchor)])
        #expect(later.status == 0, "\(later.stderr)")
        let wrong = try drgcoder(["audit", "verify", "--db", db, "--anchor", "1:" + String(repeating: "0", count: 64)])
        #expect(wrong.status == 1 && wrong.stderr.contains("anchor"))
        #expect(try drgcoder(["audit", "verify", "--db", db, "--anchor", "x"]).status == 1)
    }

    @Test func auditVerifyNamesTheFirstBadRowAndReplayReportsAgreement() throws {
        let db = try Self.freshDB()
        _ = try Self.importSample(db)
        for (id, args) in [("10000000-DS-1", ["--override", "470"]), ("10000001-DS-2", ["--defer"]), ("10000002-DS-3", ["--flag"])] {
            #expect(try drgcoder(["decide", "--db", db, "--case", id, "--user", "alice"] + args).status == 0)
        }
        let ok = try drgcoder(["audit", "verify", "--db", db])
        #expect(ok.status == 0 && ok.stdout.hasPrefix("ok: 3 decisions, head "))
        let replay = try drgcoder(["audit", "replay", "--db", db, "--json"])
        let parsed = try JSONSerialization.jsonObject(with: Data(replay.stdout.utf8)) as? [String: Any]
        #expect((parsed?["entries"] as? [Any])?.count == 3)
        #expect(parsed?["comparable"] as? Int == 0)   // nothing was scored: no prediction shown
        let text = try drgcoder(["audit", "replay", "--db", db, "--user", "alice"])
        #expect(text.stdout.contains("#1 ") && text.stdout.contains("override 470; no prediction shown"))

        let store = try AppDatabase.openFile(at: URL(fileURLWithPath: db))
        try store.writer.write { db in
            try db.execute(sql: "DROP TRIGGER decisions_are_append_only_update")
            try db.execute(sql: "UPDATE decisions SET chosen_drg = '471' WHERE seq = 1")
        }
        let bad = try drgcoder(["audit", "verify", "--db", db, "--json"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("chain broken at decision #1"))
        let json = try JSONSerialization.jsonObject(with: Data(bad.stdout.utf8)) as? [String: Any]
        #expect(json?["ok"] as? Bool == false)
        #expect((json?["first_bad"] as? [String: Any])?["seq"] as? Int == 1)
    }

    @Test func exportWritesPrivateFiles() throws {
        let db = try Self.freshDB()
        _ = try Self.importSample(db)
        _ = try drgcoder(["decide", "--db", db, "--case", "10000000-DS-1", "--override", "470", "--user", "alice"])
        let dir = URL(fileURLWithPath: db).deletingLastPathComponent()
        for format in ["drg-llama-single-csv", "drg-llama-two-csv", "jsonl"] {
            let out = dir.appendingPathComponent("export-\(format)").path
            let run = try drgcoder(["export", "--db", db, "--format", format, "--corrections-only", "--out", out])
            #expect(run.status == 0 && run.stdout.contains(": 1 rows"), "\(format): \(run.stderr)")
            let mode = try FileManager.default.attributesOfItem(atPath: out)[.posixPermissions] as? Int
            #expect(mode == 0o600)
        }
        let bad = try drgcoder(["export", "--db", db, "--format", "parquet", "--out", "x"])
        #expect(bad.status == 1 && bad.stderr == "Error: The value 'parquet' is invalid for '--format <format>'. Please provide one of 'drg-llama-single-csv', 'drg-llama-two-csv' or 'jsonl'.\n")
    }

    @Test func evalScoresStoredPredictionsAgainstFinalDRGs() throws {
        let db = try Self.freshDB()
        _ = try Self.importSample(db)
        let noPredictions = try drgcoder(["eval", "--db", db])
        #expect(noPredictions.status == 1 && noPredictions.stderr.contains("no predictions"))
        try Self.savePredictions(db)
        let run = try drgcoder(["eval", "--db", db, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        #expect(report?["cases"] as? Int == 5 && report?["version"] as? String == "34")
        let metrics = report?["metrics"] as? [String: Any]
        #expect((metrics?["drg"] as? [String: Any])?["acc1"] as? Double == 0.6)
        #expect(metrics?["predicted_cmi"] == nil)   // DRGKit's v34 table carries no weights…
        let cmi = report?["cmi_v43_weights"] as? [String: Any]   // …so the CMI uses v43 weights of the same codes
        // FY2026 weights (Sources/DRGKit/Resources/v43/drg_weights.tsv): 291 1.2838, 690 0.8095, 193 1.3144,
        // 469 3.0332, 441 1.7947 predicted; 470 1.9289, 442 0.9653 final.
        let predictedCMI = try #require(cmi?["predicted"] as? Double), finalCMI = try #require(cmi?["final"] as? Double)
        #expect(abs(predictedCMI - (1.2838 + 0.8095 + 1.3144 + 3.0332 + 1.7947) / 5) < 1e-9)
        #expect(abs(finalCMI - (1.2838 + 0.8095 + 1.3144 + 1.9289 + 0.9653) / 5) < 1e-9)
        #expect(cmi?["predicted_skipped"] as? Int == 0 && cmi?["final_skipped"] as? Int == 0)
        let text = try drgcoder(["eval", "--db", db, "--model", "/models/demo"])
        #expect(text.stdout.contains("DRG top-1 60.0%"))
        let wrong = try drgcoder(["eval", "--db", db, "--model", "/models/other"])
        #expect(wrong.status == 1 && wrong.stderr.contains("no predictions from /models/other"))
    }

    /// Five stored predictions of "/models/demo" on the sample import. Finals: 291, 690, 193, 470, 442;
    /// the model is right on the first three.
    static func savePredictions(_ db: String) throws {
        let store = try AppDatabase.openFile(at: URL(fileURLWithPath: db))
        let identity = ModelIdentity(path: "/models/demo", weightsSHA256: String(repeating: "a", count: 64),
                                      adapterSHA256: nil, labelSpace: "drg-llama-single")
        for (id, top) in [("10000000-DS-1", "291"), ("10000001-DS-2", "690"), ("10000002-DS-3", "193"),
                          ("10000003-DS-4", "469"), ("10000005-DS-6", "441")] {
            let caseID = try #require(try store.cases(externalID: id).first).id
            let prediction = DRGPrediction(ranked: [RankedDRG(drg: top, description: "", probability: 0.7),
                                                    RankedDRG(drg: "999", description: "", probability: 0.3)],
                                           baseDRGs: [], ccMcc: [])
            try store.savePrediction(caseID: caseID, identity: identity, prediction: prediction, elapsedMilliseconds: 1)
        }
    }

    /// The population CMI of the CAML paper: bootstrap intervals around the point CMIs, payment at the base rate.
    @Test func evalReportsPopulationCMIWithBootstrapIntervalAndPayment() throws {
        let db = try Self.freshDB()
        _ = try Self.importSample(db)
        try Self.savePredictions(db)
        func report(_ extra: [String]) throws -> [String: Any] {
            let run = try drgcoder(["eval", "--db", db, "--json"] + extra)
            #expect(run.status == 0, "\(run.stderr)")
            return try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        }
        let plain = try report([])
        let v43 = try #require(plain["cmi_v43_weights"] as? [String: Any])
        let b = try #require(plain["cmi_bootstrap"] as? [String: Any])
        #expect(plain["cmi_weights"] as? String == "MS-DRG v43" && b["stays"] as? Int == 5 && b["resamples"] as? Int == 1000)
        let predicted = try #require(b["predicted_cmi"] as? [String: Double]), final = try #require(b["final_cmi"] as? [String: Double])
        #expect(abs((predicted["value"] ?? 0) - (v43["predicted"] as? Double ?? -1)) < 1e-12)
        #expect(abs((final["value"] ?? 0) - (v43["final"] as? Double ?? -1)) < 1e-12)
        for e in [predicted, final] { #expect((e["lower"] ?? .nan) <= (e["value"] ?? .nan) && (e["value"] ?? .nan) <= (e["upper"] ?? .nan)) }
        #expect((predicted["lower"] ?? 0) < (predicted["upper"] ?? 0))
        let payment = try #require(b["predicted_payment"] as? [String: Double])
        #expect(abs((payment["value"] ?? 0) - (predicted["value"] ?? 0) * 6000 * 5) < 1e-6)
        let richer = try #require(try report(["--base-rate", "10000"])["cmi_bootstrap"] as? [String: Any])
        #expect(abs((richer["final_payment"] as? Double ?? 0) - (final["value"] ?? 0) * 10000 * 5) < 1e-6)
        #expect(try drgcoder(["eval", "--db", db]).stdout.contains("payment at a base rate of $6000"))
    }
}
