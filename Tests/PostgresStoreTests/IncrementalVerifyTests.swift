import CodingStore
import Foundation
import PostgresNIO
@testable import PostgresStore
import TestSupport
import Testing

/// The check a review screen runs before each decision (`verifyChain(after:)`): from an anchor it
/// walks only the newer rows, and on PostgreSQL it reads only those (`chainSlice`), never a note.
@Suite struct IncrementalVerifyTests {
    /// Five rows: accepts on cases 1–4, then an undo of row 3 (it points before the anchor at 4).
    func fiveRows(_ store: any StoreBackend) throws -> [DecisionRecord] {
        let ids = try store.addCases(4)
        for id in ids { try store.score(id); try store.decide(id, "alice", .accept) }
        try store.decide(ids[2], "alice", .undo)
        return try store.allDecisions()
    }

    @Test(arguments: Backend.available)
    func fromAnAnchorOrFromGenesisTheNewRowsAreChecked(_ backend: Backend) async throws {
        let (store, cleanUp) = try await backend.make()
        let rows = try fiveRows(store)
        #expect(rows.map(\.seq) == [1, 2, 3, 4, 5] && rows[4].reversesSeq == 3)
        let anchor = ChainAnchor(seq: 4, hash: rows[3].hash)
        let after = try store.verifyChain(expectedHead: nil, anchors: [], after: anchor)
        #expect(after.ok && after.count == 5 && after.headHash == rows[4].hash)
        let genesis = try store.verifyChain(expectedHead: nil, anchors: [], after: ChainAnchor(seq: 0, hash: DecisionChain.genesisHash))
        #expect(genesis.ok && genesis.count == 5 && genesis.headHash == rows[4].hash)
        // An anchor the log no longer passes through is named.
        let wrong = ChainAnchor(seq: 4, hash: String(repeating: "e", count: 64))
        #expect(try store.verifyChain(expectedHead: nil, anchors: [], after: wrong).firstBad?.seq == 4)
        await cleanUp()
    }

    /// What the screen reads on a server before a decision: the rows from the anchor on, the row
    /// the undo points at, the predictions they showed, their cases — without note text.
    @Test(.enabled(if: TestServer.url != nil))
    func theSliceHoldsTheNewRowsAndNoNoteText() async throws {
        let (store, cleanUp) = try await Backend.postgres.make()
        let rows = try fiveRows(store)
        let postgres = try #require(store as? PostgresAppDatabase)
        let slice = try postgres.chainSlice(from: ChainAnchor(seq: 4, hash: rows[3].hash))
        #expect(slice.decisions.map(\.seq) == [3, 4, 5])
        #expect(Set(slice.predictions.map(\.id)) == Set(rows.filter { $0.seq > 4 }.compactMap(\.predictionID)))
        #expect(!slice.cases.isEmpty && slice.cases.allSatisfy { $0.noteText.isEmpty && $0.sectionText.isEmpty })
        #expect(slice.decisionHighWater == 5)
        await cleanUp()
    }

    /// Rows edited behind the triggers: one after the anchor is found by the incremental check;
    /// one before it is not walked (the whole check, `audit verify`, finds it).
    @Test(.enabled(if: TestServer.url != nil))
    func anEditAfterTheAnchorIsFoundAndOneBeforeItIsLeftToTheWholeCheck() async throws {
        for (edit, incrementalFinds) in [("UPDATE decisions SET note = 'forged' WHERE seq = 5", Int64?(5)),
                                         ("UPDATE decisions SET note = 'forged' WHERE seq = 2", nil)] {
            let (store, cleanUp) = try await Backend.postgres.make()
            let rows = try fiveRows(store)
            let name = String(URLComponents(string: try #require(store as? PostgresAppDatabase).place.displayURL)!.path.dropFirst())
            try await TestServer.asSuperuser(database: name) { connection in
                try await connection.query("ALTER TABLE decisions DISABLE TRIGGER USER", logger: TestServer.logger)
                try await connection.query(PostgresQuery(unsafeSQL: edit), logger: TestServer.logger)
            }
            let incremental = try store.verifyChain(expectedHead: nil, anchors: [], after: ChainAnchor(seq: 4, hash: rows[3].hash))
            #expect(incremental.firstBad?.seq == incrementalFinds, "\(edit)")
            #expect(try store.verify().ok == false, "\(edit)")
            await cleanUp()
        }
    }
}
