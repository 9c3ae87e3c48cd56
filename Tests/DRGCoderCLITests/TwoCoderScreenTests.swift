import CodingStore
import DRGKit
import Foundation
import ReviewApp
import Testing
import TestSupport
import TerminalUI
@testable import DRGCoderCLI

/// Issue 13's multi-coder scenarios scripted through the embedded terminal: two review screens
/// (two users, two connections) on one database file, as two coders in two tmux sessions.
@Suite struct TwoCoderScreenTests {
    typealias Sample = ReviewWiringTests.Sample
    let identity = ModelIdentity(path: "/models/fake", weightsSHA256: "w", adapterSHA256: nil, labelSpace: "test")

    /// A database file with three scored cases, S-1 first in the queue.
    func makeFile() throws -> URL {
        let url = try TemporaryDirectory(prefix: "two-coders").url.appendingPathComponent("queue.sqlite")
        let database = try AppDatabase.openFile(at: url)
        for i in 1...3 {
            var incoming = IncomingCase(externalID: "S-\(i)", noteText: "Brief Hospital Course:\n" + Sample.section)
            incoming.priority = 10 - i
            let id = try database.enqueue(incoming, source: "jsonl")
            try database.savePrediction(caseID: id, identity: identity, prediction: Sample.prediction, elapsedMilliseconds: 5)
        }
        database.close()
        return url
    }

    /// One coder's screen on its own connection to the file.
    func screen(_ url: URL, user: String) throws -> (ReviewDriver, AppDatabase) {
        let database = try AppDatabase.openFile(at: url)
        let source = StoreReviewSource(store: database, scorer: nil)
        let clock = ReviewWiringTests.FixedClock()
        let env = ReviewEnvironment(catalog: DRGKitCatalog(version: .v43), exportFormats: source.exportFormats,
                                    exportDirectory: FileManager.default.temporaryDirectory)
        let driver = ReviewDriver(state: AppState(user: user, size: Size(width: 100, height: 30), now: clock.now(), modelName: nil),
                                  environment: env, source: source, scorer: nil, clock: clock)
        driver.start()
        return (driver, database)
    }

    /// Reloads the queue (what the refresh timer does) and opens `external` from the list.
    func open(_ external: String, on driver: ReviewDriver) throws {
        driver.loop.handle(.refresh); driver.loop.drainInbox()
        if driver.state.focus != .queue { try driver.press(.switchPane) }
        try driver.press(.queueTop)
        let index = try #require(driver.state.visibleQueue.firstIndex { $0.externalID == external })
        for _ in 0..<index { try driver.press(.queueDown) }
        try driver.press(.openCase)
    }

    @Test func twoCodersOnOneFile() throws {
        let url = try makeFile()
        let (a, store) = try screen(url, user: "asmith")
        let (b, _) = try screen(url, user: "jdoe")
        let s1 = try #require(try store.cases(externalID: "S-1").first).id

        // A takes the first case; B cannot open it and is told who holds it.
        try a.press(.claimNext)
        #expect(a.state.session?.id == s1)
        try open("S-1", on: b)
        #expect(b.state.session == nil)
        #expect(b.frame.text.contains("being coded by asmith"))
        // B's `n` hands B another case, never A's.
        try b.press(.claimNext)
        #expect(b.state.session?.id != s1 && b.state.session != nil)

        // A leaves the case undecided (`n`): B can open and code it now.
        try a.press(.claimNext)
        #expect(a.state.session?.id != s1)
        try open("S-1", on: b)
        #expect(b.state.session?.id == s1)
        try b.press(.override); b.type("470"); try b.press(.choose); try b.press(.toggleReason(0)); try b.press(.choose)
        #expect(try store.caseRecord(id: s1)?.codedDRG == "470")

        // A re-codes it: opening a coded case and accepting asks for a reason; none, nothing recorded.
        try open("S-1", on: a)
        try a.press(.acceptTop)
        guard case .reasons(let form) = a.state.modal, form.recode else { Issue.record("no re-code form"); return }
        try a.press(.choose)
        #expect(try store.allDecisions().count == 1)
        try a.press(.toggleReason(4)); try a.press(.choose)
        let recoded = try store.allDecisions().last
        #expect(recoded?.user == "asmith" && recoded?.action == .accept && recoded?.reasonCode == "QUERY")
        #expect(try store.caseRecord(id: s1)?.codedDRG == "291")

        // B flags it: the code stays; A (a coder) cannot resolve the flag, only an auditor can.
        try open("S-1", on: b)
        try b.press(.flag); try b.press(.toggleReason(0)); try b.press(.choose)
        #expect(try store.caseRecord(id: s1)?.status == .flagged && store.caseRecord(id: s1)?.codedDRG == "291")
        try open("S-1", on: a)
        #expect(a.state.session?.id == s1)
        try a.press(.override); a.type("193"); try a.press(.choose); try a.press(.toggleReason(0)); try a.press(.choose)
        #expect(a.frame.text.contains("only an auditor"))
        #expect(try store.allDecisions().count == 3)
        try a.press(.claimNext)   // A leaves it; an auditor resolves the flag (`decide --role auditor`)
        try store.recordDecision(DecisionRequest(caseID: s1, user: "audrey", role: .auditor, action: .accept))
        #expect(try store.caseRecord(id: s1)?.status == .coded)

        // Both screens quit: their claims are given back, and the log verifies.
        try a.press(.quit); try b.press(.quit)
        #expect(try store.queueEntries().allSatisfy { $0.claimHolder == nil })
        #expect(try store.verifyChain().ok)
    }
}
