import CodingStore
import DRGKit
import Foundation
import ReviewApp
import Testing
import TestSupport
import TerminalUI
@testable import DRGCoderCLI

/// The screens over the real store (`AppDatabase` in memory) through the wiring's
/// `StoreReviewSource`: keys in, decision rows out.
@Suite struct ReviewWiringTests {
    let identity = ModelIdentity(path: "/models/fake", weightsSHA256: "w", adapterSHA256: nil, labelSpace: "test")

    /// A clock the test moves by hand.
    final class FixedClock: ReviewClock, @unchecked Sendable {
        // @unchecked: only the test thread advances it; the loop reads it on the same thread.
        private(set) var current = Date(timeIntervalSince1970: 1_796_000_000)
        func now() -> Date { current }
        func advance(seconds: Double) { current = current.addingTimeInterval(seconds) }
    }

    /// A heart-failure note and a ranking of its DRG family.
    enum Sample {
        static let section = "78 year old woman admitted with acute on chronic systolic heart failure, treated with IV furosemide."
        static let prediction = DRGPrediction(
            ranked: [RankedDRG(drg: "291", description: "HEART FAILURE AND SHOCK WITH MCC", probability: 0.46),
                     RankedDRG(drg: "292", description: "HEART FAILURE AND SHOCK WITH CC", probability: 0.31),
                     RankedDRG(drg: "293", description: "HEART FAILURE AND SHOCK WITHOUT CC/MCC", probability: 0.09)],
            baseDRGs: [Marginal(label: "HEART FAILURE AND SHOCK", probability: 0.86)],
            ccMcc: [Marginal(label: "with MCC", probability: 0.54)])
    }

    func makeDriver(scoreFirst: Bool = true) throws -> (ReviewDriver, AppDatabase, FixedClock, GatedScorer) {
        let database = try AppDatabase.inMemory()
        for i in 1...3 {
            var incoming = IncomingCase(externalID: "S-\(i)", noteText: "Brief Hospital Course:\n" + Sample.section)
            incoming.finalDRG = "292"
            incoming.priority = 10 - i
            _ = try database.enqueue(incoming, source: "jsonl")
        }
        if scoreFirst, let first = try database.queueEntries().first {
            try database.savePrediction(caseID: first.id, identity: identity, prediction: Sample.prediction, elapsedMilliseconds: 5)
        }
        let scorer = GatedScorer(prediction: Sample.prediction, identity: identity)
        let source = StoreReviewSource(store: database, scorer: scorer)
        let clock = FixedClock()
        let env = ReviewEnvironment(catalog: DRGKitCatalog(version: .v43), exportFormats: source.exportFormats,
                                    exportDirectory: FileManager.default.temporaryDirectory)
        let driver = ReviewDriver(state: AppState(user: "carol", size: Size(width: 80, height: 24), now: clock.now(), modelName: "fake"),
                                  environment: env, source: source, scorer: scorer, clock: clock)
        driver.start()
        return (driver, database, clock, scorer)
    }

    /// Issue 13, scripted through the embedded terminal: the screen holds the open case's claim
    /// (heartbeat), gives it back on `n` and `q`, keeps it through an undo, claims a deferred case it
    /// opens, asks for a re-code reason, and records nothing on a log that fails verification.
    @Test func theScreenHoldsTheOpenCaseAndGivesItBack() throws {
        let (driver, database, clock, _) = try makeDriver()
        try driver.press(.claimNext)
        let first = try #require(driver.state.session?.id)
        // Refreshes every 5 s; the lease is renewed once a minute, off the key thread (an effect).
        for _ in 0..<11 { clock.advance(seconds: 5); driver.loop.handle(.refresh) }
        #expect(driver.runner.log.filter { $0 == .renewClaim(first) }.count == 0)
        clock.advance(seconds: 5); driver.loop.handle(.refresh)
        #expect(driver.runner.log.filter { $0 == .renewClaim(first) }.count == 1)
        // After a decision gives the case back, the heartbeat stops (no "claim lapsed" alarm).
        try driver.press(.acceptTop)
        clock.advance(seconds: 61); driver.loop.handle(.refresh); driver.loop.drainInbox()
        #expect(driver.runner.log.filter { $0 == .renewClaim(first) }.count == 1)
        #expect(driver.state.flash?.text.contains("lapsed") != true)
        try driver.press(.undo)   // the case is open again, claimed, and the heartbeat resumes
        clock.advance(seconds: 61); driver.loop.handle(.refresh)
        #expect(driver.runner.log.filter { $0 == .renewClaim(first) }.count == 2)
        // `n` with the case undecided moves on and releases it: not silently reopened.
        try driver.press(.claimNext)
        let second = try #require(driver.state.session?.id)
        #expect(second != first)
        #expect(try database.caseRecord(id: first)?.claimHolder == nil && database.caseRecord(id: first)?.status == .queued)
        #expect(try database.queueEntries().filter { $0.claimHolder == "carol" }.map(\.id) == [second])
        // An override then an undo: the case stays claimed while it is open.
        try driver.press(.override); driver.type("470"); try driver.press(.choose); try driver.press(.toggleReason(0)); try driver.press(.choose)
        try driver.press(.undo)
        #expect(try database.caseRecord(id: second)?.claimHolder == "carol")
        // A deferred case opened again from the list is claimed again.
        try driver.press(.deferCase); try driver.press(.toggleReason(4)); try driver.press(.choose)
        #expect(try database.caseRecord(id: second)?.claimHolder == nil)
        try driver.press(.switchPane); try driver.press(.openCase)
        #expect(try database.caseRecord(id: second)?.claimHolder == "carol" && database.caseRecord(id: second)?.status == .deferred)
        #expect(throws: StoreError.self) { try database.claim(caseID: second, user: "dave") }
        // q gives it back.
        try driver.press(.quit)
        #expect(try database.caseRecord(id: second)?.claimHolder == nil)
    }

    @Test func aCodedCaseIsReCodedOnlyWithAReason() throws {
        let (driver, database, _, _) = try makeDriver()
        try driver.press(.claimNext)
        try driver.press(.acceptTop)
        try driver.press(.acceptTop)                                   // again: a re-code, so a reason first
        guard case .reasons(let form) = driver.state.modal else { Issue.record("no reason form"); return }
        #expect(form.recode)
        try driver.press(.choose)                                      // no reason chosen: nothing recorded
        #expect(try database.allDecisions().count == 1)
        try driver.press(.toggleReason(4)); try driver.press(.choose)
        let log = try database.allDecisions()
        #expect(log.map(\.action) == [.accept, .accept] && log[1].reasonCode == "QUERY")
    }

    @Test func nothingIsRecordedOnALogThatFailsVerification() throws {
        let (driver, database, _, _) = try makeDriver()
        try driver.press(.claimNext)
        try driver.press(.acceptTop)
        try database.writer.write { try $0.execute(sql: "UPDATE cases SET coded_drg = '999' WHERE coded_drg IS NOT NULL") }
        try driver.press(.claimNext)
        driver.loop.handle(.message(.chainVerified(try StoreReviewSource(store: database, scorer: nil).verifyChain())))
        try driver.press(.deferCase); try driver.press(.toggleReason(4)); try driver.press(.choose)
        #expect(try database.allDecisions().count == 1)
        #expect(driver.state.flash?.text.contains("fails verification") == true)
    }

    /// The log is checked again before every decision (from the last verified row, on the I/O
    /// queue): a row forged while the screen is open stops the next decision, with a message.
    @Test func aLogBrokenWhileTheScreenIsOpenStopsTheNextDecision() throws {
        let (driver, database, _, _) = try makeDriver()
        #expect(driver.state.chain?.verified == true)
        try driver.press(.claimNext)
        try driver.press(.acceptTop)
        try driver.press(.claimNext)
        try driver.press(.deferCase); try driver.press(.toggleReason(4)); try driver.press(.choose)
        #expect(try database.allDecisions().count == 2)
        #expect(driver.state.chain?.verified == true && driver.state.chain?.head?.seq == 1)   // checked up to row 1 before row 2
        // Another program appends a row that follows the chain's seq and prev_hash but not its hash.
        let head = try database.verifyChain().headHash
        let other = try #require(try database.queueEntries().last).id
        try database.writer.write { db in
            try db.execute(sql: """
                INSERT INTO decisions (seq, case_id, case_external_id, user, role, action, time_spent_ms, decided_at, prev_hash, hash)
                VALUES (3, ?, 'S-3', 'mallory', 'coder', 'defer', 0, '2026-12-01T18:55:57.123Z', ?, ?)
                """, arguments: [other, head, String(repeating: "f", count: 64)])
        }
        try driver.press(.undo)
        #expect(try database.allDecisions().count == 3)                 // nothing of the screen's
        #expect(driver.state.chain?.verified == false)
        #expect(driver.frame.text.contains("Not recorded: the decision log fails verification"))
        #expect(driver.state.flash?.text.contains("decision #3") == true)
    }

    @Test func acceptOverrideUndoWriteTheChain() throws {
        let (driver, database, clock, _) = try makeDriver()
        try driver.press(.claimNext)
        #expect(driver.state.session?.detail.summary.externalID == "S-1")
        #expect(try database.queueEntries().first?.claimHolder == "carol")
        clock.advance(seconds: 30)
        try driver.press(.acceptTop)
        try driver.press(.override)
        driver.type("hart failre without")                     // DRGKit's typo-tolerant search
        guard case .picker(let p) = driver.state.modal else { Issue.record("no picker"); return }
        #expect(p.selected?.code == "293")
        try driver.press(.choose)
        try driver.press(.toggleReason(2))
        try driver.press(.choose)
        try driver.press(.undo)
        let log = try database.allDecisions()
        #expect(log.map(\.action) == [.accept, .override, .undo])
        #expect(log[0].chosenDRG == "291")
        #expect(log[0].timeSpentMilliseconds == 30_000)
        #expect(log[0].predictionID != nil)
        #expect(log[1].chosenDRG == "293")
        #expect(log[1].reasonCode == "CC-UNSUPPORTED")
        #expect(log[2].reversesSeq == log[1].seq)
        #expect(log.allSatisfy { $0.user == "carol" })
        #expect(try database.verifyChain().ok)
        #expect(try database.effectiveDecisions(caseID: log[0].caseID).map(\.action) == [.accept])
        #expect(driver.frame.lines[0].contains("Undid decision #2 on S-1"))
    }

    @Test func unscoredCaseIsScoredSavedAndThenAccepted() throws {
        let (driver, database, _, model) = try makeDriver(scoreFirst: false)
        try driver.press(.claimNext)
        #expect(driver.state.session?.prediction == nil)
        model.release()
        try driver.waitFor("the open case to be scored and saved") { $0.session?.prediction?.id != nil }
        let caseID = try #require(driver.state.session?.id)
        let stored = try #require(try database.latestPrediction(caseID: caseID))
        #expect(stored.modelKey == identity.key)
        #expect(driver.state.session?.prediction?.id == stored.id)
        try driver.press(.acceptTop)
        #expect(try database.allDecisions().last?.predictionID == stored.id)
    }

    @Test func deferAndFlagMoveTheCaseOutOfTheQueue() throws {
        let (driver, database, _, _) = try makeDriver()
        try driver.press(.claimNext)
        try driver.press(.deferCase); try driver.press(.toggleReason(4)); try driver.press(.choose)
        try driver.press(.claimNext)
        try driver.press(.flag); try driver.press(.toggleReason(5))
        try driver.press(.switchField)
        driver.type("please check the MCC")
        try driver.press(.choose)
        let statuses = try database.queueEntries().map(\.status)
        #expect(statuses.filter { $0 == .deferred }.count == 1)
        #expect(statuses.filter { $0 == .flagged }.count == 1)
        #expect(try database.allDecisions().last?.note == "please check the MCC")
    }

    /// Issue 16: the trainer's export indexes labels by the loaded model's own label space
    /// (models/demo's drg_labels.json), not by DRG-LLaMA's v34 ids.
    @Test func theTrainerExportsInTheModelsLabelSpace() throws {
        let (coder, database, _, _) = try makeDriver()
        try coder.press(.claimNext); try coder.press(.rankDown); try coder.press(.acceptSelected)
        try coder.press(.toggleReason(1)); try coder.press(.choose)                     // coded 292
        let space = try LabelSpace.named(nil, modelDirectory: SharedReference.projectRoot.appendingPathComponent("models/demo"))
        let source = StoreReviewSource(store: database, scorer: nil, labels: TrainingLabels.of(model: space))
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("wiring-export-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(try source.export(format: "drg-llama-single-csv", correctionsOnly: false, to: out) == 1)
        let label = try String(contentsOf: out, encoding: .utf8).split(separator: ",").last?.trimmingCharacters(in: .whitespacesAndNewlines)
        let expected = try #require(space.labels.firstIndex(of: "292"))
        #expect(label == String(expected))
        #expect(label != TrainingLabels.drgLlama().singleLabel("292").map(String.init))   // v34's index differs
        #expect(source.exportLabelSpace.contains(space.name))
    }

    /// Issue 16: `import --help` says notes without a brief hospital course are flagged; the review queue shows it.
    @Test func notesWithoutABriefHospitalCourseAreFlaggedInTheQueue() throws {
        let (_, database, clock, scorer) = try makeDriver()
        _ = try database.enqueue(IncomingCase(externalID: "S-9", noteText: "Admitted for chest pain; ruled out; home."), source: "jsonl")
        _ = try database.enqueue(IncomingCase(externalID: "S-10", noteText: "Brief Hospital Course:\nChest pain, ruled out.\nDischarge Medications:\naspirin"), source: "jsonl")
        let source = StoreReviewSource(store: database, scorer: scorer)
        let flagged = try source.queue().filter(\.wholeNote).map(\.externalID)
        #expect(flagged.contains("S-9") && !flagged.contains("S-10"))
        let env = ReviewEnvironment(catalog: DRGKitCatalog(version: .v43), exportFormats: [], exportDirectory: FileManager.default.temporaryDirectory)
        let driver = ReviewDriver(state: AppState(user: "dora", size: Size(width: 120, height: 40), now: clock.now(), modelName: nil),
                                  environment: env, source: source, scorer: nil, clock: clock)
        driver.start()
        #expect(driver.frame.lines.contains { $0.contains("S-9") && $0.contains("no BHC") })
        #expect(!driver.frame.lines.contains { $0.contains("S-10") && $0.contains("no BHC") })
    }

    /// Issue 16: the queue search finds cases by words of their note (in the store; only ids come back).
    @Test func theQueueSearchFindsNoteWords() throws {
        let (driver, database, _, _) = try makeDriver()
        _ = try database.enqueue(IncomingCase(externalID: "S-8", noteText: "Brief Hospital Course:\nCellulitis of the 100%_ left leg."), source: "jsonl")
        #expect(try database.caseIDs(withNoteWords: "CELLULITIS leg").count == 1)
        #expect(try database.caseIDs(withNoteWords: "cellulitis furosemide").isEmpty)
        #expect(try database.caseIDs(withNoteWords: "100%_").count == 1)            // LIKE's wildcards are literal
        #expect(try database.caseIDs(withNoteWords: "0%_l").isEmpty)
        try driver.press(.startSearch)
        driver.type("furosemide")
        #expect(driver.state.visibleQueue.count == 3)
    }

    /// Issue 16: where the model stopped reading comes back from the store with the prediction (its
    /// JSON's read_up_to), with no model loaded and no re-tokenising.
    @Test func whereReadingStoppedComesBackFromTheStore() throws {
        let (_, database, _, _) = try makeDriver(scoreFirst: false)
        let id = try #require(try database.queueEntries().first).id
        var cut = Sample.prediction
        cut.readUpTo = 42
        try database.savePrediction(caseID: id, identity: identity, prediction: cut, elapsedMilliseconds: 5, tokenCount: 512, truncated: true)
        let detail = try StoreReviewSource(store: database, scorer: nil).detail(of: id)
        #expect(detail.prediction?.readUpTo == 42)
        #expect(detail.prediction?.truncated == true)
        #expect(try database.latestPrediction(caseID: id)?.predictionJSON.contains("\"read_up_to\":42") == true)
    }
}
