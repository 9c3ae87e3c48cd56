import CodingStore
import Foundation
import TestSupport
import Testing

/// The store's rules, run against every backend (SQLite in memory, SQLite on file, PostgreSQL):
/// both must keep exactly the same claims, decisions and chain.
@Suite struct StoreBackendTests {
    @Test(arguments: Backend.available)
    func claimsHandOutEachCaseToOneCoderAndLeasesExpire(_ backend: Backend) async throws {
        let (store, cleanUp) = try await backend.make()
        let ids = try store.addCases(3, priority: { $0 == 2 ? 5 : 0 })
        let t0 = Date()
        let alice = try #require(try store.next("alice", lease: 60, now: t0))
        #expect(alice.id == ids[1])   // the highest priority first
        #expect(alice.status == .inProgress && alice.claimHolder == "alice")
        let bob = try #require(try store.next("bob", lease: 60, now: t0))
        #expect(bob.id != alice.id)
        #expect(try store.next("alice", lease: 60, now: t0)?.id == alice.id)   // her own live claim again
        // Bob cannot decide Alice's case while her lease runs; after it he can claim it.
        try store.score(alice.id)
        #expect(throws: StoreError.conflict("case case-2 is being coded by alice")) {
            try store.decide(alice.id, "bob", .accept, now: t0.addingTimeInterval(10))
        }
        #expect(throws: StoreError.conflict("case case-2 is being coded by alice")) {
            try store.claim(caseID: alice.id, user: "bob", lease: 60, recode: false, now: t0.addingTimeInterval(10))
        }
        let taken = try store.claim(caseID: alice.id, user: "bob", lease: 60, recode: false, now: t0.addingTimeInterval(61))
        #expect(taken.claimHolder == "bob")
        #expect(try store.caseRecord(id: bob.id)?.status == .queued)   // claiming another released his first case
        #expect(try store.renewLease(caseID: alice.id, user: "alice", lease: 60, now: t0.addingTimeInterval(62)) == false)
        #expect(try store.renewLease(caseID: alice.id, user: "bob", lease: 60, now: t0.addingTimeInterval(62)))
        try store.releaseClaim(caseID: alice.id, user: "bob")
        #expect(try store.caseRecord(id: alice.id)?.claimHolder == nil)
        #expect(try store.queueEntries().map(\.status) == [.queued, .queued, .queued])
        await cleanUp()
    }

    @Test(arguments: Backend.available)
    func oneEffectiveDecisionPerCaseWithRecodeFlagAndUndo(_ backend: Backend) async throws {
        let (store, cleanUp) = try await backend.make()
        let id = try store.addCases(1)[0]
        #expect(throws: StoreError.invalid("case case-1 has no prediction to accept; score it or override")) {
            try store.decide(id, "alice", .accept)
        }
        let prediction = try store.score(id, top: "291")
        let accept = try store.decide(id, "alice", .accept)
        #expect(accept.seq == 1 && accept.chosenDRG == "291" && accept.predictionID == prediction.id)
        #expect(throws: StoreError.conflict("case case-1 is already coded (DRG 291); re-code it explicitly, with a reason")) {
            try store.decide(id, "bob", .accept)
        }
        #expect(throws: StoreError.invalid("a re-code of case case-1 needs a reason")) {
            try store.decide(id, "bob", .override, drg: "470", recode: true)
        }
        try store.decide(id, "bob", .override, drg: "470", recode: true, reason: "query answered")
        #expect(try store.caseRecord(id: id)?.codedDRG == "470")
        try store.decide(id, "bob", .flag)
        let flagged = try #require(try store.caseRecord(id: id))
        #expect(flagged.status == .flagged && flagged.codedDRG == "470")   // a flag keeps the code
        #expect(throws: StoreError.conflict("case case-1 is flagged for an auditor; only an auditor resolves the flag")) {
            try store.decide(id, "alice", .override, drg: "193", recode: true, reason: "r")
        }
        #expect(throws: StoreError.conflict("case case-1 is flagged by bob; only they or an auditor can withdraw the flag")) {
            try store.decide(id, "alice", .undo)
        }
        try store.decide(id, "carol", .accept, role: .auditor)
        #expect(try store.caseRecord(id: id)?.status == .coded)
        #expect(try store.caseRecord(id: id)?.codedDRG == "291")
        let undo = try store.decide(id, "carol", .undo, role: .auditor)
        #expect(undo.reversesSeq == 4)
        #expect(try store.effectiveDecisions(caseID: id).map(\.seq) == [1, 2, 3])
        #expect(try store.caseRecord(id: id)?.status == .flagged)
        let all = try store.allDecisions()
        #expect(all.map(\.seq) == [1, 2, 3, 4, 5])
        #expect(zip(all.dropFirst(), all).allSatisfy { $0.prevHash == $1.hash })
        let verification = try store.verify()
        #expect(verification.ok && verification.count == 5 && verification.headHash == all.last?.hash)
        await cleanUp()
    }

    @Test(arguments: Backend.available)
    func scoringSavesOnePredictionPerModelAndResumes(_ backend: Backend) async throws {
        let (store, cleanUp) = try await backend.make()
        let ids = try store.addCases(4)
        let first = try store.score(ids[0], top: "291")
        #expect(try store.score(ids[0], top: "470").id == first.id)   // saving again returns the stored row
        #expect(try store.latestPrediction(caseID: ids[0])?.topDRG == "291")
        let progress = try store.scoringProgress(modelKey: demoIdentity.key)
        #expect(progress.scored == 1 && progress.remaining == 3)
        let next = try store.claimCaseToScore(modelKey: demoIdentity.key, worker: "w1", lease: 60, excluding: [ids[1]], now: Date())
        #expect(next?.id == ids[2])
        await cleanUp()
    }

    /// A whole store with a chain copied onto every other backend and back: same rows, same head,
    /// verify passes on both sides; a non-empty destination is refused.
    @Test(arguments: Backend.available)
    func snapshotsLoadIntoAnotherBackendWithTheSameChain(_ backend: Backend) async throws {
        let source = try AppDatabase.inMemory()
        let ids = try source.addCases(5)
        for id in ids.prefix(3) { try source.score(id) }
        try source.decide(ids[0], "alice", .accept)
        try source.decide(ids[1], "alice", .override, drg: "470")
        try source.decide(ids[1], "bob", .undo)
        try source.decide(ids[2], "bob", .flag)
        let snapshot = try source.snapshot()
        let (store, cleanUp) = try await backend.make()
        try store.load(snapshot)
        let copied = try store.snapshot()
        #expect(copied == snapshot)
        #expect(try store.verify().ok)
        #expect(try store.verify().headHash == snapshot.headHash)
        #expect(throws: StoreError.self) { try store.load(snapshot) }
        // It goes on from there: the next decision extends the copied chain.
        let next = try store.decide(ids[3], "carol", .defer)
        #expect(next.seq == 5 && next.prevHash == snapshot.headHash)
        let back = try AppDatabase.inMemory()
        try back.load(try store.snapshot())
        #expect(try back.verify().headHash == next.hash)
        await cleanUp()
    }
}
