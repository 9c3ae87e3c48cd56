import DRGKit
import Foundation
import GRDB
import Testing
import TestSupport
@testable import CodingStore

/// "v4 recompute coding from chain": databases written before the claims change open with caches
/// that agree with the chain (`CaseCoding`), so `audit verify` passes and the queue shows the code.
@Suite("Migration v4: coding caches recomputed from the chain")
struct CodingCacheMigrationTests {
    /// A database file at schema v3, as the code before the claims change left it.
    final class OldDatabase {
        let url: URL
        let queue: DatabaseQueue
        private var previous = DecisionChain.genesisHash
        private var seq: Int64 = 0

        init() throws {
            url = try TemporaryDirectory(prefix: "old-db").url.appendingPathComponent("old.sqlite")
            queue = try DatabaseQueue(path: url.path)
            try AppDatabase.migrator.migrate(queue, upTo: "v3 decision codes")
        }

        /// A case row as the old `enqueue` wrote it, with the caches given.
        @discardableResult
        func addCase(_ external: String, status: String = "queued", coded: String? = nil) throws -> Int64 {
            try queue.write { db in
                try db.execute(sql: """
                    INSERT INTO cases (source, external_id, note_text, section_text, section_source, status, coded_drg, imported_at)
                    VALUES ('jsonl', ?, 'Brief Hospital Course: note', 'note', 'pattern1', ?, ?, '2026-11-01T10:00:00.000Z')
                    """, arguments: [external, status, coded])
                return db.lastInsertedRowID
            }
        }

        /// A decision row as the old `recordDecision` wrote it (the chain format is unchanged since v1).
        @discardableResult
        func decide(_ caseID: Int64, _ action: DecisionAction, drg: String? = nil, reverses: Int64? = nil) throws -> Int64 {
            seq += 1
            var row = DecisionRecord(seq: seq, caseID: caseID, caseExternalID: "case-\(caseID)", user: "asmith", role: .coder,
                                     action: action, chosenDRG: drg, modelTopDRG: action == .accept ? drg : nil,
                                     predictionID: nil, predictionSHA256: nil, reasonCode: nil, note: nil,
                                     timeSpentMilliseconds: 1000, decidedAt: "2026-11-01T10:00:00.\(String(format: "%03d", Int(seq % 1000)))Z",
                                     reversesSeq: reverses, prevHash: previous, hash: "")
            row.hash = DecisionChain.hash(of: row, after: previous)
            previous = row.hash
            try queue.write { db in
                try db.execute(sql: """
                    INSERT INTO decisions (seq, case_id, case_external_id, user, role, action, chosen_drg, model_top_drg,
                        prediction_id, prediction_sha256, reason_code, note, time_spent_ms, decided_at, reverses_seq, prev_hash, hash)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, NULL, ?, ?, ?, ?, ?)
                    """, arguments: [row.seq, row.caseID, row.caseExternalID, row.user, row.role.rawValue, row.action.rawValue,
                                     row.chosenDRG, row.modelTopDRG, row.timeSpentMilliseconds, row.decidedAt, row.reversesSeq,
                                     row.prevHash, row.hash])
            }
            return seq
        }

        /// Closes the raw connection and opens the file as the app does (migrating it).
        func openWithTheApp() throws -> AppDatabase {
            try queue.close()
            return try AppDatabase.openFile(at: url)
        }
    }

    @Test func anOldFlagThatWipedTheCodeIsRepaired() throws {
        let old = try OldDatabase()
        let flagged = try old.addCase("case-1", status: "flagged", coded: nil)   // accepted, then flagged: the old flag wiped the code
        try old.decide(flagged, .accept, drg: "291")
        try old.decide(flagged, .flag)
        let cleared = try old.addCase("case-2", status: "coded", coded: "470")   // flagged, then "cleared" by the flagger's accept
        try old.decide(cleared, .override, drg: "470")
        try old.decide(cleared, .flag)
        try old.decide(cleared, .accept, drg: "470")
        let twice = try old.addCase("case-3", status: "coded", coded: "871")      // two accepts in a row, the last kept
        try old.decide(twice, .override, drg: "193")
        try old.decide(twice, .override, drg: "871")
        let undone = try old.addCase("case-4", status: "coded", coded: "291")     // an undo the old cache missed
        let wrong = try old.decide(undone, .override, drg: "292")
        try old.decide(undone, .undo, reverses: wrong)
        try old.addCase("case-5")
        // Before the migration the caches are not what the chain says.
        #expect(try old.queue.read { try String.fetchOne($0, sql: "SELECT coded_drg FROM cases WHERE id = ?", arguments: [flagged]) } == nil)

        let store = try old.openWithTheApp()
        #expect(try store.verifyChain().ok)
        let queue = Dictionary(uniqueKeysWithValues: try store.queueEntries().map { ($0.externalID, $0) })
        #expect(queue["case-1"]?.status == .flagged && queue["case-1"]?.codedDRG == "291")
        #expect(queue["case-2"]?.status == .coded && queue["case-2"]?.codedDRG == "470")
        #expect(queue["case-3"]?.codedDRG == "871")
        #expect(queue["case-4"]?.status == .queued && queue["case-4"]?.codedDRG == nil)
        #expect(queue["case-5"]?.status == .queued)
    }

    /// The SQL fold against `CaseCoding.fold` on random histories: every action, undos of anything
    /// earlier in the case (undos of undos too), with the caches scrambled before the migration.
    @Test(arguments: [UInt64(1), 2, 3, 4])
    func theSQLFoldIsCaseCodingsFold(_ seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let old = try OldDatabase()
        let cases = try (1...12).map { try old.addCase("case-\($0)", status: ["queued", "coded", "flagged", "deferred"][$0 % 4],
                                                       coded: $0 % 3 == 0 ? "999" : nil) }
        var rows: [Int64: [Int64]] = [:]
        for _ in 0..<150 {
            let id = cases[Int(random.next() % UInt64(cases.count))]
            let earlier = rows[id, default: []]
            let pick = random.next() % 5
            let seq: Int64
            switch pick {
            case 0: seq = try old.decide(id, .accept, drg: ["291", "193"][Int(random.next() % 2)])
            case 1: seq = try old.decide(id, .override, drg: ["470", "871"][Int(random.next() % 2)])
            case 2: seq = try old.decide(id, .defer)
            case 3: seq = try old.decide(id, .flag)
            default:
                guard !earlier.isEmpty else { continue }
                seq = try old.decide(id, .undo, reverses: earlier[Int(random.next() % UInt64(earlier.count))])
            }
            rows[id, default: []].append(seq)
        }
        let store = try old.openWithTheApp()
        let result = try store.verifyChain()
        #expect(result.ok, "\(String(describing: result.firstBad))")
        let events = try store.allDecisions().map(\.codingEvent)
        for id in cases {
            let expected = CaseCoding.fold(events, caseID: id)
            #expect(try store.caseRecord(id: id)?.codedDRG == expected.codedDRG)
        }
    }
}
