import CodingStore
import DRGKit
import Foundation
import Testing
import TestSupport

/// Issue 16 in a real terminal (tmux): an override from the ranking asks for a reason, the trainer's
/// export indexes labels by the loaded model's own label space, and an auditor records findings
/// (agree, disagree with their DRG) in the chain and exports them. The `o` path with a reason and
/// defer with a reason are EndToEndQueueTests.overrideThroughThePickerUndoDeferAndQuit.
@Suite(.serialized, .enabled(if: TmuxSession.tmuxPath != nil && TmuxSession.binary != nil, "needs tmux and .build/…/drgcoder"))
struct EndToEndSecondPassTests {
    let queue = EndToEndQueueTests()

    @Test(.enabled(if: TmuxSession.demoAvailable, "needs models/demo"))
    func overrideFromTheRankingWithAReasonThenExportInTheModelsLabels() throws {
        let session = try TmuxSession()
        let db = try queue.makeDatabase(session)
        let model = shellQuote(TmuxSession.demoModel.path)
        try session.start(try queue.command(session, "review --db \(shellQuote(db.path)) --model \(model) --user e2e"), width: 120, height: 36)
        try session.waitFor("the queue") { $0.contains("Queue 3/3") }
        try session.send("n")
        try session.waitFor("the model's ranking") { $0.contains("Q-1 · Ranked DRGs") && $0.contains("▸ 1 ") && $0.contains("expected payment") }
        try session.send("j", "Enter")
        let form = try session.waitFor("the reason form") { $0.contains("Override to DRG") && $0.contains("why?") }
        let chosen = try #require(form.components(separatedBy: "Override to DRG ").last.map { String($0.prefix(3)) })
        try session.send("Enter")
        try session.waitFor("the refusal without a reason") { $0.contains("An override needs a reason") }
        try session.send("2", "Enter")
        try session.waitFor("the override") { $0.contains("Overrode to DRG \(chosen) for Q-1") }
        try session.send("q")
        #expect(try queue.exitStatus(session) == "0")
        let database = try AppDatabase.openFile(at: db)
        let row = try #require(try database.allDecisions().last)
        #expect(row.action == .override && row.chosenDRG == chosen && row.reasonCode == "CC-MISSED" && row.user == "e2e")

        // The trainer's view of the same queue with the same model: x exports drg-llama-single-csv.
        let train = try TmuxSession()
        try train.start(try queue.command(train, "review --db \(shellQuote(db.path)) --model \(model) --view train --user tess"), width: 120, height: 36)
        try train.waitFor("the trainer's view") { $0.contains("Export training labels") && $0.contains("labels ") }
        try train.send("x")
        try train.waitFor("the export") { $0.contains("Exported 1 rows") }
        try train.send("q")
        #expect(try queue.exitStatus(train) == "0")
        let exported = try #require(try FileManager.default.contentsOfDirectory(atPath: db.deletingLastPathComponent().path)
            .first { $0.hasPrefix("drgcoder-drg-llama-single-csv-") })
        let text = try String(contentsOf: db.deletingLastPathComponent().appendingPathComponent(exported), encoding: .utf8)
        let label = text.split(separator: "\n").last.flatMap { $0.split(separator: ",").last }.map(String.init)
        let space = try LabelSpace.named(nil, modelDirectory: TmuxSession.demoModel)
        #expect(label == space.labels.firstIndex(of: chosen).map(String.init), "exported label \(label ?? "none") for DRG \(chosen)")
    }

    @Test func anAuditorRecordsFindingsAndExportsThem() throws {
        let session = try TmuxSession()
        let db = try queue.makeDatabase(session)
        let binary = try #require(TmuxSession.binary)
        _ = try CleanSpawn.run([binary.path, "decide", "--db", db.path, "--case", "Q-1", "--override", "291", "--user", "carol", "--reason", "PDX"],
                               outputTo: session.directory.appendingPathComponent("decide.out"))
        _ = try CleanSpawn.run([binary.path, "decide", "--db", db.path, "--case", "Q-2", "--override", "194", "--user", "carol", "--reason", "PDX"],
                               outputTo: session.directory.appendingPathComponent("decide2.out"))
        try session.start(try queue.command(session, "review --db \(shellQuote(db.path)) --view audit --user audrey"), width: 120, height: 36)
        try session.waitFor("the log") { $0.contains("Decisions 1/2 of 2") && $0.contains("chain ✓") }
        try session.send("a")
        try session.waitFor("the agree form") { $0.contains("Finding on Q-1: agree with DRG 291") }
        try session.send("Enter")
        try session.waitFor("the agreement") { $0.contains("Finding recorded: agree · DRG 291 for Q-1") }
        try session.send("/")
        try session.type("Q-2")
        try session.send("Enter", "d")
        try session.waitFor("the picker") { $0.contains("Override · MS-DRG") }
        try session.type("193")
        try session.waitFor("the match") { $0.contains("▸193") }
        try session.send("Enter")
        try session.waitFor("the disagree form") { $0.contains("Finding on Q-2: DRG 193 instead of 194") }
        try session.send("2", "Tab")
        try session.type("MCC: acute respiratory failure documented")
        try session.send("Enter")
        try session.waitFor("the disagreement") { $0.contains("Finding recorded: disagree · DRG 193 for Q-2") }
        try session.send("e")
        try session.waitFor("the findings export") { $0.contains("Exported 2 rows") }
        try session.send("q")
        #expect(try queue.exitStatus(session) == "0")
        try queue.expectCookedTerminal(session)

        let database = try AppDatabase.openFile(at: db)
        let findings = try database.allDecisions().filter { $0.role == .auditor }
        #expect(findings.map(\.user) == ["audrey", "audrey"])
        #expect(findings.map(\.chosenDRG) == ["291", "193"])
        #expect(findings.map(\.reasonCode) == ["AUDIT-AGREE", "AUDIT-DISAGREE,CC-MISSED"])
        #expect(try database.verifyChain().ok)
        let file = try #require(try FileManager.default.contentsOfDirectory(atPath: db.deletingLastPathComponent().path)
            .first { $0.hasPrefix("drgcoder-findings-") })
        let csv = try String(contentsOf: db.deletingLastPathComponent().appendingPathComponent(file), encoding: .utf8)
        #expect(csv.split(separator: "\n").count == 3)
        #expect(csv.contains(",Q-2,audrey,") && csv.contains(",disagree,193,") && csv.contains("MCC: acute respiratory failure documented"))
    }
}
