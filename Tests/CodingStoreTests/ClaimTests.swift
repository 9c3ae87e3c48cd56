import Foundation
import TestSupport
import Testing
@testable import CodingStore

@Suite("Claims and leases")
struct ClaimTests {
    @Test(arguments: StoreKind.allCases)
    func claimsFollowPriorityAndNeverRepeat(_ kind: StoreKind) throws {
        let store = try kind.make()
        try addCases(store, count: 4, priority: { $0 == 3 ? 5 : 0 })
        let first = try store.claimNextCase(user: "alice")
        #expect(first?.externalID == "case-3")            // highest priority first
        #expect(first?.status == .inProgress && first?.claimHolder == "alice")
        #expect(try store.claimNextCase(user: "alice")?.id == first?.id)   // a user's live claim comes back
        let second = try store.claimNextCase(user: "bob")
        #expect(second?.externalID == "case-1")
        let third = try store.claimNextCase(user: "carol")
        let fourth = try store.claimNextCase(user: "dave")
        #expect(Set([first?.id, second?.id, third?.id, fourth?.id]).count == 4)
        #expect(try store.claimNextCase(user: "erin") == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func expiredLeasesReturnToTheQueue(_ kind: StoreKind) throws {
        let store = try kind.make()
        try addCases(store, count: 1)
        let start = Date(timeIntervalSince1970: 1_000_000)
        let claimed = try store.claimNextCase(user: "alice", lease: 60, now: start)
        #expect(try store.claimNextCase(user: "bob", now: start.addingTimeInterval(59)) == nil)
        let taken = try store.claimNextCase(user: "bob", now: start.addingTimeInterval(61))
        #expect(taken?.id == claimed?.id && taken?.claimHolder == "bob")
        #expect(try store.renewLease(caseID: claimed!.id, user: "alice", now: start.addingTimeInterval(62)) == false)
        #expect(throws: StoreError.self) {
            try store.recordDecision(DecisionRequest(caseID: claimed!.id, user: "alice", action: .flag), now: start.addingTimeInterval(62))
        }
    }

    @Test func releaseAndDecisionFreeTheClaim() throws {
        let store = try StoreKind.inMemoryQueue.make()
        let ids = try addCases(store, count: 2)
        let claimed = try store.claimNextCase(user: "alice")
        try store.releaseClaim(caseID: ids[0], user: "alice")
        #expect(try store.caseRecord(id: ids[0])?.status == .queued)
        #expect(try store.caseRecord(id: ids[0])?.claimHolder == nil)
        #expect(try store.claimNextCase(user: "bob")?.id == claimed?.id)
        try store.recordDecision(DecisionRequest(caseID: ids[0], user: "bob", action: .defer))
        let after = try store.caseRecord(id: ids[0])
        #expect(after?.status == .deferred && after?.claimHolder == nil && after?.leaseExpiresAt == nil)
        #expect(try store.claimNextCase(user: "carol")?.id == ids[1])   // deferred cases are not handed out
    }

    @Test func busyWaitsStayInsideTheStore() throws {
        let url = try TemporaryDirectory(prefix: "codingstore").url.appendingPathComponent("busy.sqlite")
        let a = try AppDatabase.openFile(at: url)
        let b = try AppDatabase.openFile(at: url)
        try addCases(a, count: 1)
        // Hold the write lock from `a` for 300 ms while `b` claims: `b` waits, it does not fail.
        let holding = Flag(), committed = Flag()
        let writeError = Locked<(any Error)?>(nil)
        let thread = Thread {
            do {
                try a.writer.write { db in
                    try db.execute(sql: "UPDATE cases SET priority = 1")
                    holding.set()
                    Thread.sleep(forTimeInterval: 0.3)
                }
            } catch {
                writeError.wrapped = error
            }
            committed.set()
        }
        thread.start()
        try #require(waitUntil(timeout: 30) { holding.isSet || committed.isSet }, "a never started its transaction")
        try #require(holding.isSet, "a's transaction failed: \(String(describing: writeError.wrapped))")
        let claimed = try b.claimNextCase(user: "bob")
        #expect(claimed?.priority == 1)   // it ran after a's transaction committed
        #expect(committed.wait(timeout: 30) && writeError.wrapped == nil)
    }
}

@Suite("Queue observation")
struct QueueObservationTests {
    @Test func screensSeeOtherCodersDecisions() throws {
        let url = try TemporaryDirectory(prefix: "codingstore").url.appendingPathComponent("observed.sqlite")
        let screen = try AppDatabase.openFile(at: url)
        let ids = try addCases(screen, count: 2)
        let seen = Recorder()
        let cancellable = screen.queueObservation().start(in: screen.writer, scheduling: .async(onQueue: DispatchQueue(label: "screen")),
                                                          onError: { _ in }, onChange: { seen.append($0) })
        defer { cancellable.cancel() }
        let first = Date().addingTimeInterval(5)
        while seen.values.isEmpty && Date() < first { Thread.sleep(forTimeInterval: 0.01) }
        #expect(seen.values.last?.map(\.status) == [.queued, .queued])
        try screen.recordDecision(DecisionRequest(caseID: ids[1], user: "bob", action: .flag))
        let deadline = Date().addingTimeInterval(5)
        while seen.values.last?.map(\.status) != [.queued, .flagged] && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        #expect(seen.values.last?.map(\.status) == [.queued, .flagged])
    }
}

final class Recorder: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [[QueueEntry]] = []
    func append(_ value: [QueueEntry]) { lock.withLock { stored.append(value) } }
    var values: [[QueueEntry]] { lock.withLock { stored } }
}
