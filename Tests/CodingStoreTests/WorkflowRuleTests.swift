import DRGKit
import Foundation
import GRDB
import Testing
import TestSupport
@testable import CodingStore

/// Issue 13: one coder per case for as long as they work on it, one effective decision per case,
/// flags for auditors, times that follow the log.
@Suite("Claims and decisions with several coders")
struct WorkflowRuleTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test(arguments: StoreKind.allCases)
    func aRenewedLeaseKeepsTheCaseAndAnExpiredOneFreesIt(_ kind: StoreKind) throws {
        let store = try kind.make()
        try addCases(store, count: 1)
        let first = try #require(try store.claimNextCase(user: "asmith", now: Self.t0))
        // The heartbeat renews every minute: 20 minutes later nobody else gets the case.
        for minute in 1...20 { #expect(try store.renewLease(caseID: first.id, user: "asmith", now: Self.t0 + Double(minute) * 60)) }
        #expect(try store.claimNextCase(user: "jdoe", now: Self.t0 + 20 * 60 + 1) == nil)
        #expect(throws: StoreError.self) {
            try store.recordDecision(DecisionRequest(caseID: first.id, user: "jdoe", action: .defer), now: Self.t0 + 20 * 60 + 1)
        }
        // A crashed session stops renewing: 15 minutes after the last beat the case is free.
        let taken = try store.claimNextCase(user: "jdoe", now: Self.t0 + 36 * 60)
        #expect(taken?.id == first.id && taken?.claimHolder == "jdoe")
        #expect(try !store.renewLease(caseID: first.id, user: "asmith", now: Self.t0 + 36 * 60))
    }

    @Test func deferredAndFlaggedCasesAreOpenedWithAClaimAndOneCaseIsHeldAtATime() throws {
        let store = try AppDatabase.inMemory()
        let ids = try addCases(store, count: 3)
        try store.recordDecision(DecisionRequest(caseID: ids[0], user: "asmith", action: .defer), now: Self.t0)
        let opened = try store.claim(caseID: ids[0], user: "asmith", now: Self.t0)
        #expect(opened.status == .deferred && opened.claimHolder == "asmith")
        #expect(throws: StoreError.self) { try store.claim(caseID: ids[0], user: "jdoe", now: Self.t0 + 1) }
        #expect(throws: StoreError.self) {
            try store.recordDecision(DecisionRequest(caseID: ids[0], user: "jdoe", action: .override, overrideDRG: "470"), now: Self.t0 + 1)
        }
        // Opening a second case gives the first back.
        try store.claim(caseID: ids[1], user: "asmith", now: Self.t0 + 2)
        #expect(try store.caseRecord(id: ids[0])?.claimHolder == nil)
        #expect(try store.caseRecord(id: ids[0])?.status == .deferred)
        #expect(try store.queueEntries().filter { $0.claimHolder == "asmith" }.map(\.id) == [ids[1]])
        // Releasing a queued case returns it to the queue.
        try store.releaseClaim(caseID: ids[1], user: "asmith")
        #expect(try store.caseRecord(id: ids[1])?.status == .queued)
    }

    @Test func nextNeverHandsBackTheCaseBeingLeft() throws {
        let store = try AppDatabase.inMemory()
        let ids = try addCases(store, count: 2, priority: { $0 == 1 ? 5 : 0 })
        let open = try #require(try store.claimNextCase(user: "asmith", now: Self.t0))
        #expect(open.id == ids[0])
        #expect(try store.claimNextCase(user: "asmith", now: Self.t0 + 1)?.id == ids[0])   // the old rule: same case again
        let next = try store.claimNextCase(user: "asmith", excluding: open.id, now: Self.t0 + 2)
        #expect(next?.id == ids[1])
        #expect(try store.caseRecord(id: ids[0])?.status == .queued && store.caseRecord(id: ids[0])?.claimHolder == nil)
    }

    @Test func anUndoOnAnOpenCaseKeepsItsClaim() throws {
        let store = try AppDatabase.inMemory()
        let ids = try addCases(store, count: 1)
        try store.claim(caseID: ids[0], user: "asmith", now: Self.t0)
        try store.recordDecision(DecisionRequest(caseID: ids[0], user: "asmith", action: .override, overrideDRG: "470"), now: Self.t0 + 1)
        try store.recordDecision(DecisionRequest(caseID: ids[0], user: "asmith", action: .undo, holdClaim: true), now: Self.t0 + 2)
        let record = try #require(try store.caseRecord(id: ids[0]))
        #expect(record.status == .inProgress && record.claimHolder == "asmith")
        #expect(try store.claimNextCase(user: "jdoe", now: Self.t0 + 3) == nil)
        #expect(try store.verifyChain().ok)
    }

    @Test func aCodedCaseTakesANewDecisionOnlyAsAnExplicitRecodeWithAReason() throws {
        let store = try AppDatabase.inMemory()
        let ids = try addCases(store, count: 1)
        try store.savePrediction(caseID: ids[0], identity: demoIdentity, prediction: samplePrediction(top: "291"), elapsedMilliseconds: 1)
        try store.recordDecision(DecisionRequest(caseID: ids[0], user: "asmith", action: .accept))
        #expect(throws: StoreError.self) { try store.recordDecision(DecisionRequest(caseID: ids[0], user: "asmith", action: .accept)) }
        #expect(throws: StoreError.self) {
            try store.recordDecision(DecisionRequest(caseID: ids[0], user: "jdoe", action: .override, overrideDRG: "470", recode: true))
        }
        try store.recordDecision(DecisionRequest(caseID: ids[0], user: "jdoe", action: .override, overrideDRG: "470",
                                                 reasonCode: "DOC", recode: true))
        #expect(try store.caseRecord(id: ids[0])?.codedDRG == "470")
        #expect(try store.allDecisions().count == 2)
    }

    @Test func aFlagKeepsTheCodeAndOnlyAnAuditorResolvesIt() throws {
        let store = try AppDatabase.inMemory()
        let ids = try addCases(store, count: 1)
        try store.recordDecision(DecisionRequest(caseID: ids[0], user: "asmith", action: .override, overrideDRG: "470"))
        try store.recordDecision(DecisionRequest(caseID: ids[0], user: "asmith", action: .flag, note: "query the physician"))
        var record = try #require(try store.caseRecord(id: ids[0]))
        #expect(record.status == .flagged && record.codedDRG == "470")
        for action in [DecisionAction.accept, .override, .defer, .flag] {
            #expect(throws: StoreError.self) {
                try store.recordDecision(DecisionRequest(caseID: ids[0], user: "asmith", action: action, overrideDRG: "871",
                                                         reasonCode: "X", recode: true))
            }
        }
        #expect(throws: StoreError.self) { try store.recordDecision(DecisionRequest(caseID: ids[0], user: "jdoe", action: .undo)) }
        try store.recordDecision(DecisionRequest(caseID: ids[0], user: "audrey", role: .auditor, action: .override, overrideDRG: "871"))
        record = try #require(try store.caseRecord(id: ids[0]))
        #expect(record.status == .coded && record.codedDRG == "871")
        #expect(try store.verifyChain().ok)
    }

    @Test func decidedAtIsTakenInsideTheWriteTransaction() throws {
        let url = try TemporaryDirectory(prefix: "codingstore").url.appendingPathComponent("store.sqlite")
        let store = try AppDatabase.openFile(at: url)
        let ids = try addCases(store, count: 1)
        // Another writer holds the lock for 0.4 s while this decision waits for it: the row's time
        // is read once the lock is held, so it is not earlier than the other transaction's end.
        let held = DispatchSemaphore(value: 0)
        let released = LockedDate()
        DispatchQueue.global().async {
            try? store.writer.write { _ in held.signal(); Thread.sleep(forTimeInterval: 0.4); released.set(Date()) }
        }
        held.wait()
        let row = try store.recordDecision(DecisionRequest(caseID: ids[0], user: "asmith", action: .defer))
        let end = try #require(released.get())
        #expect(row.decidedAt >= StoreClock.timestamp(end), "decided_at \(row.decidedAt) is before the lock was free (\(StoreClock.timestamp(end)))")
    }

    @Test func closingCheckpointsTheWALIntoTheFile() throws {
        let dir = try TemporaryDirectory(prefix: "codingstore").url
        let url = dir.appendingPathComponent("store.sqlite")
        let store = try AppDatabase.openFile(at: url)
        let ids = try addCases(store, count: 6)
        for id in ids { try store.recordDecision(DecisionRequest(caseID: id, user: "asmith", action: .defer)) }
        store.close()
        // A copy of the .sqlite alone (no -wal) holds every decision.
        let copy = dir.appendingPathComponent("copy.sqlite")
        try FileManager.default.copyItem(at: url, to: copy)
        let count = try DatabaseQueue(path: copy.path).read { try Int.fetchOne($0, sql: "SELECT count(*) FROM decisions") }
        #expect(count == 6)
    }

    @Test func anExistingWorldReadableDatabaseIsTightened() throws {
        let url = try TemporaryDirectory(prefix: "codingstore").url.appendingPathComponent("old.sqlite")
        try AppDatabase.openFile(at: url).close()
        #expect(chmod(url.path, 0o644) == 0)
        let store = try AppDatabase.openFile(at: url)
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        store.close()
    }

    @Test func namesAndCodesThatAreNotWhatTheySeem() throws {
        let store = try AppDatabase.inMemory()
        let ids = try addCases(store, count: 1)
        for user in ["alice\nbob", "a\u{0}b", " \t "] {
            #expect(throws: StoreError.self) { try store.recordDecision(DecisionRequest(caseID: ids[0], user: user, action: .defer)) }
        }
        #expect(DRGCode.normalized("0") == nil && DRGCode.normalized("000") == nil && DRGCode.normalized("1") == "001")
        #expect(throws: StoreError.self) {
            try store.recordDecision(DecisionRequest(caseID: ids[0], user: "alice", action: .override, overrideDRG: "000"))
        }
    }

    @Test func everyViewCountsAgreementPerCaseByItsEffectiveDecision() throws {
        let store = try AppDatabase.inMemory()
        let ids = try addCases(store, count: 4)
        for id in ids { try store.savePrediction(caseID: id, identity: demoIdentity, prediction: samplePrediction(top: "291"), elapsedMilliseconds: 1) }
        try store.recordDecision(DecisionRequest(caseID: ids[0], user: "a", action: .accept))                        // agree
        try store.recordDecision(DecisionRequest(caseID: ids[0], user: "a", action: .override, overrideDRG: "470",
                                                 reasonCode: "DOC", recode: true))                                   // …re-coded: disagree
        try store.recordDecision(DecisionRequest(caseID: ids[1], user: "a", action: .accept))                        // agree
        try store.recordDecision(DecisionRequest(caseID: ids[1], user: "a", action: .flag))                          // flag keeps the code
        try store.recordDecision(DecisionRequest(caseID: ids[2], user: "a", action: .override, overrideDRG: "470"))
        try store.recordDecision(DecisionRequest(caseID: ids[2], user: "a", action: .undo))                          // uncounted
        try store.recordDecision(DecisionRequest(caseID: ids[3], user: "a", action: .accept))
        try store.recordDecision(DecisionRequest(caseID: ids[3], user: "a", action: .defer, reasonCode: "Q", recode: true)) // uncoded
        let replay = try store.replay()
        #expect(replay.agreement == CodingAgreement(agree: 1, cases: 2))
        #expect(CodingAgreement.of(try store.allDecisions().map(\.codingEvent)) == replay.agreement)
    }
}

final class LockedDate: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Date?
    func set(_ date: Date) { lock.withLock { value = date } }
    func get() -> Date? { lock.withLock { value } }
}
