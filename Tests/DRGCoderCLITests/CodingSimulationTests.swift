import CodingStore
import DRGKit
import Foundation
import ReviewApp
import Testing
import TestSupport
@testable import DRGCoderCLI

/// Issue 13's simulation: N coders on one database, each looping claim → think → accept /
/// override / defer / flag / undo / re-code, with heartbeats, crashes (a session that vanishes
/// without releasing) and leases that run out while a coder thinks too long. Time is simulated
/// (every store call gets the simulated `now`), so a seed replays exactly.
///
/// Checked after every step and at the end:
/// - no decision is recorded by a coder while another coder holds the case with a live lease
///   (the model of who holds what is kept from the store's answers, not read from the store);
/// - every decision the store returned is in the log exactly once, and nothing else is;
/// - `audit verify` passes (chain, predictions, every case's status and coded DRG);
/// - agreement is the same in `audit replay`, the queue summary and the train view.
@Suite("Simulated coders on one database")
struct CodingSimulationTests {
    struct Figures: CustomStringConvertible {
        var steps = 0, claims = 0, decisions = 0, recodes = 0, refused = 0, crashes = 0, expiries = 0, heartbeats = 0
        var description: String {
            "\(steps) steps: \(claims) claims, \(decisions) decisions (\(recodes) re-codes), \(refused) refused, "
                + "\(crashes) crashes, \(expiries) lease expiries, \(heartbeats) heartbeats"
        }
    }

    /// A coder's session: the case they believe they hold, and until when.
    struct Session { var caseID: Int64; var leaseUntil: Date }

    @Test(arguments: [(UInt64(1), 8, 60, 3000), (UInt64(2), 4, 12, 2000), (UInt64(3), 12, 30, 3000)])
    func coders(_ seed: UInt64, _ coders: Int, _ caseCount: Int, _ steps: Int) throws {
        let temp = try TemporaryDirectory(prefix: "simulation")
        defer { temp.cleanUp() }
        let store = try AppDatabase.openFile(at: temp.file("queue.sqlite"))
        let identity = ModelIdentity(path: "/models/sim", weightsSHA256: String(repeating: "b", count: 64), adapterSHA256: nil,
                                     labelSpace: "drg-llama-single")
        var random = SplitMix64(seed: seed)
        var ids: [Int64] = []
        for i in 0..<caseCount {
            ids.append(try store.enqueue(IncomingCase(externalID: "sim-\(i)", noteText: "Brief Hospital Course:\nnote \(i)\n"), source: "jsonl"))
            if i % 5 != 4 {   // most cases scored, some not (decided by override only)
                let top = String(format: "%03d", 100 + i % 7)
                let ranked = [RankedDRG(drg: top, description: "DRG \(top)", probability: 0.7),
                              RankedDRG(drg: "470", description: "DRG 470", probability: 0.3)]
                try store.savePrediction(caseID: ids[i], identity: identity,
                                         prediction: DRGPrediction(ranked: ranked, baseDRGs: [], ccMcc: []), elapsedMilliseconds: 1)
            }
        }
        var now = Date(timeIntervalSince1970: 1_900_000_000)
        var sessions: [String: Session] = [:]
        var returned: [Int64: DecisionRecord] = [:]
        var figures = Figures()
        let users = (0..<coders).map { "coder-\($0)" }
        let lease = AppDatabase.defaultLease

        /// The coder (other than `user`) who, by the store's answers so far, holds `caseID` with a live lease.
        func liveHolder(of caseID: Int64, except user: String) -> String? {
            sessions.first { $0.key != user && $0.value.caseID == caseID && $0.value.leaseUntil > now }?.key
        }

        for _ in 0..<steps {
            figures.steps += 1
            now += Double(random.next(upTo: 90))   // up to a minute and a half between events
            let user = users[random.next(upTo: users.count)]
            guard let session = sessions[user] else {
                if let claimed = try store.claimNextCase(user: user, now: now) {
                    #expect(liveHolder(of: claimed.id, except: user) == nil, "\(user) was handed case \(claimed.id), which another coder holds")
                    sessions[user] = Session(caseID: claimed.id, leaseUntil: now + lease)
                    figures.claims += 1
                } else {
                    // Nothing queued: open a deferred, flagged or coded case from the list (to re-code it).
                    let open = try store.queueEntries().filter { $0.status != .queued && $0.status != .inProgress }
                    if let pick = open.randomElement(using: &random) {
                        if (try? store.claim(caseID: pick.id, user: user, recode: true, now: now)) != nil {
                            sessions[user] = Session(caseID: pick.id, leaseUntil: now + lease)
                            figures.claims += 1
                        } else {
                            figures.refused += 1
                        }
                    }
                }
                continue
            }
            if session.leaseUntil <= now { figures.expiries += 1 }   // thought too long: the lease ran out
            let roll = random.next(upTo: 100)
            if roll < 4 {   // the session crashes: no release, the lease has to expire
                sessions[user] = nil
                figures.crashes += 1
                continue
            }
            if roll < 20 {   // still thinking: the heartbeat renews, or finds the claim gone
                if try store.renewLease(caseID: session.caseID, user: user, now: now) {
                    sessions[user]?.leaseUntil = now + lease
                    figures.heartbeats += 1
                } else {
                    sessions[user] = nil
                }
                if random.next(upTo: 10) == 0 { now += 16 * 60 }   // …then a long pause without one
                continue
            }
            let record = try #require(try store.caseRecord(id: session.caseID))
            let coded = record.codedDRG != nil && record.status == .coded
            let kinds: [DecisionAction] = [.accept, .override, .override, .defer, .flag, .undo]
            let action = kinds[random.next(upTo: kinds.count)]
            let auditor = record.status == .flagged && random.next(upTo: 2) == 0
            let recode = coded && random.next(upTo: 3) != 0
            let request = DecisionRequest(
                caseID: session.caseID, user: user, role: auditor ? .auditor : .coder, action: action,
                overrideDRG: String(format: "%03d", 200 + random.next(upTo: 50)), reasonCode: recode ? "DOC" : nil,
                recode: recode, holdClaim: action == .undo)
            let otherHolder = liveHolder(of: session.caseID, except: user)
            do {
                let row = try store.recordDecision(request, now: now)
                #expect(otherHolder == nil, "\(user) decided case \(session.caseID) while \(otherHolder ?? "") held it")
                #expect(returned[row.seq] == nil, "seq \(row.seq) returned twice")
                returned[row.seq] = row
                figures.decisions += 1
                if recode { figures.recodes += 1 }
                if action == .undo { sessions[user]?.leaseUntil = now + lease } else { sessions[user] = nil }
            } catch is StoreError {
                figures.refused += 1   // nothing to undo, a flag for an auditor, a coded case, a lapsed claim…
                if let holder = try store.caseRecord(id: session.caseID)?.claimHolder, holder != user { sessions[user] = nil }
            }
        }

        let log = try store.allDecisions()
        #expect(log.count == returned.count, "the log has \(log.count) rows, the store returned \(returned.count)")
        #expect(log.allSatisfy { returned[$0.seq] == $0 }, "a logged row differs from what the store returned")
        let verification = try store.verifyChain()
        #expect(verification.ok, "\(String(describing: verification.firstBad))")

        let source = StoreReviewSource(store: store, scorer: nil)
        let shown = try source.decisions()
        let replay = try store.replay().agreement
        let catalog = SimulationCatalog()
        let summary = QueueSummary.compute(queue: try source.queue(), log: shown, catalog: catalog, now: now)
        let train = TrainingStats.compute(log: shown, catalog: catalog)
        #expect(replay.cases > 0)
        #expect(CodingAgreement(agree: summary.agreements, cases: summary.codings) == replay)
        #expect(CodingAgreement(agree: train.agreements, cases: train.codings) == replay)
        #expect(figures.decisions > steps / 5 && figures.recodes > 0 && figures.crashes > 0 && figures.expiries > 0)
        print("simulation seed \(seed), \(coders) coders, \(caseCount) cases: \(figures); agreement \(replay.agree)/\(replay.cases)")
    }
}

extension SplitMix64 {
    /// 0 ..< bound.
    mutating func next(upTo bound: Int) -> Int { Int(next() % UInt64(bound)) }
}

/// No DRG weights: the agreement figures need none.
struct SimulationCatalog: DRGCatalog {
    var versionName: String { "simulation" }
    func entry(_ code: String) -> CatalogEntry? { nil }
    func search(_ query: String, limit: Int) -> [CatalogEntry] { [] }
    func siblings(of code: String) -> [CatalogEntry] { [] }
    func payment(forWeight weight: Double) -> Double? { nil }
}
