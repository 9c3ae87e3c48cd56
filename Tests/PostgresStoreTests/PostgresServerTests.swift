import CodingStore
import Foundation
import PostgresNIO
import PostgresStore
import TestSupport
import Testing

/// What only a server can show: the append-only log enforced by the server itself (even for its
/// superuser), the chain's lock under concurrent writers, scoring workers splitting a queue, and
/// connection failures as one line.
@Suite struct PostgresServerTests {
    /// Says loudly when the PostgreSQL suite cannot run, and fails under CI, where it must.
    @Test func postgresSuiteRan() async throws {
        guard TestServer.url != nil else {
            if ProcessInfo.processInfo.environment["CI"] != nil {
                Issue.record("DRGCODER_TEST_POSTGRES_URL is not set under CI: the PostgreSQL store suite did NOT run (make test starts a server)")
            } else {
                print("⚠️  DRGCODER_TEST_POSTGRES_URL is not set: the PostgreSQL store suite did NOT run. Start a server with `export DRGCODER_TEST_POSTGRES_URL=\"$(bash scripts/test-postgres.sh start)\"`.")
            }
            return
        }
        let version = try await TestServer.asSuperuser { connection in
            try await connection.query("SHOW server_version_num", logger: TestServer.logger).collect().first?.decode(String.self)
        }
        #expect(Int(version ?? "") ?? 0 >= 150000)
    }

    @Test(.enabled(if: TestServer.url != nil))
    func theServerRefusesUpdateDeleteAndTruncateOfDecisionsEvenForItsSuperuser() async throws {
        let (store, cleanUp) = try await Backend.postgres.make()
        let id = try store.addCases(1)[0]
        try store.score(id)
        try store.decide(id, "alice", .accept)
        let notes = try NotesAndCodesBackendTests.write(NotesAndCodesBackendTests.stay, "notes.jsonl")
        _ = try store.importChartNotes(format: .notesJSONL, url: notes, skipBadRows: false, now: Date(), progress: nil)
        #expect(try store.scoreEarly(with: NotesAndCodesBackendTests.TextScorer(), cutoff: .now).scored == 2)
        let name = URLComponents(string: try #require(store as? PostgresAppDatabase).place.displayURL)!.path.dropFirst()
        try await TestServer.asSuperuser(database: String(name)) { connection in
            let isSuperuser = try await connection.query("SELECT rolsuper FROM pg_roles WHERE rolname = current_user",
                                                         logger: TestServer.logger).collect().first?.decode(Bool.self)
            #expect(isSuperuser == true)
            for statement: PostgresQuery in ["UPDATE decisions SET note = 'forged'", "DELETE FROM decisions",
                                             "TRUNCATE decisions CASCADE", "UPDATE predictions SET top_drg = '999'",
                                             "DELETE FROM predictions", "TRUNCATE predictions CASCADE",
                                             "UPDATE case_notes SET text = 'forged'", "DELETE FROM case_notes",
                                             "TRUNCATE case_notes CASCADE", "UPDATE early_predictions SET top_drg = '999'",
                                             "DELETE FROM early_predictions", "TRUNCATE early_predictions CASCADE"] {
                let error = await #expect(throws: PSQLError.self) { try await connection.query(statement, logger: TestServer.logger) }
                #expect(error?.serverInfo?[.message]?.contains("not allowed") == true, "\(statement.sql)")
            }
            // A row that does not follow the head (a fork) is refused by the insert trigger.
            let fork: PostgresQuery = """
                INSERT INTO decisions (seq, case_id, case_external_id, "user", role, action, time_spent_ms, decided_at,
                    prev_hash, hash)
                VALUES (2, \(id), 'case-1', 'mallory', 'coder', 'defer', 0, '2026-12-04T00:00:00.000Z',
                    \(String(repeating: "0", count: 64)), \(String(repeating: "1", count: 64)))
                """
            let error = await #expect(throws: PSQLError.self) { try await connection.query(fork, logger: TestServer.logger) }
            #expect(error?.serverInfo?[.message] == "decisions: a new row must follow the last one (seq and prev_hash)")
        }
        #expect(try store.verify().ok)
        await cleanUp()
    }

    /// A superuser who switches the triggers off and edits or deletes rows is caught by verify,
    /// which names the row, exactly as on SQLite.
    @Test(.enabled(if: TestServer.url != nil))
    func verifyNamesTheRowASuperuserEditedBehindTheTriggers() async throws {
        let tampering: [(String, String)] = [
            ("UPDATE decisions SET note = 'forged' WHERE seq = 2", "decision #2"),
            ("UPDATE cases SET coded_drg = '999' WHERE id = 1", "case id 1"),
            ("UPDATE predictions SET top_probability = 0.01 WHERE case_id = 2", "prediction id 2"),
            ("DELETE FROM decisions WHERE seq = 3", "decision #3"),
            ("UPDATE cases SET note_text = 'forged' WHERE id = 3", "case id 3"),   // against the prediction's hashed provenance
            ("UPDATE predictions SET model_path = '/elsewhere' WHERE id = 1", "prediction id 1"),
        ]
        for (edit, named) in tampering {
            let (store, cleanUp) = try await Backend.postgres.make()
            let ids = try store.addCases(3)
            for id in ids { try store.score(id); try store.decide(id, "alice", .accept) }
            #expect(try store.verify().ok)
            let name = String(URLComponents(string: try #require(store as? PostgresAppDatabase).place.displayURL)!.path.dropFirst())
            try await TestServer.asSuperuser(database: name) { connection in
                for table in ["decisions", "predictions"] {
                    try await connection.query("ALTER TABLE \(unescaped: table) DISABLE TRIGGER USER", logger: TestServer.logger)
                }
                try await connection.query(PostgresQuery(unsafeSQL: edit), logger: TestServer.logger)
            }
            let result = try store.verify()
            #expect(!result.ok, "\(edit)")
            #expect(result.firstBad?.rowName == named, "\(edit): \(String(describing: result.firstBad))")
            await cleanUp()
        }
    }

    /// Eight threads × 25 decisions on 200 cases through one pool: every decision is logged once,
    /// the chain has no fork or gap, and verify passes.
    @Test(.enabled(if: TestServer.url != nil))
    func concurrentCodersNeverForkTheChain() async throws {
        let (store, cleanUp) = try await Backend.postgres.make()
        let ids = try store.addCases(200)
        for id in ids { try store.score(id) }
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for _ in 0..<25 {
                do {
                    guard let next = try store.next("coder\(worker)") else { failures.add("nothing to claim"); return }
                    try store.decide(next.id, "coder\(worker)", worker.isMultiple(of: 2) ? .accept : .override, drg: worker.isMultiple(of: 2) ? nil : "470")
                } catch { failures.add("\(error)") }
            }
        }
        #expect(failures.all.isEmpty)
        let log = try store.allDecisions()
        #expect(log.count == 200)
        #expect(Set(log.map(\.caseID)).count == 200)   // no case decided twice
        #expect(log.map(\.seq) == Array(1...200))
        #expect(try store.verify().ok)
        await cleanUp()
    }

    /// Two workers split the queue; a worker that stops without saving keeps its case only until
    /// its lease has passed.
    @Test(.enabled(if: TestServer.url != nil))
    func scoringWorkersSplitTheQueueAndADeadWorkersCaseReturns() async throws {
        let (store, cleanUp) = try await Backend.postgres.make()
        let ids = try store.addCases(3)
        let t0 = Date()
        let key = demoIdentity.key
        let a = try #require(try store.claimCaseToScore(modelKey: key, worker: "a", lease: 60, excluding: [], now: t0))
        let b = try #require(try store.claimCaseToScore(modelKey: key, worker: "b", lease: 60, excluding: [], now: t0))
        #expect(a.id == ids[0] && b.id == ids[1])
        // "a" dies. Before its lease ends, "c" gets the third case and then nothing; after it, a's case.
        #expect(try store.claimCaseToScore(modelKey: key, worker: "c", lease: 60, excluding: [], now: t0)?.id == ids[2])
        try store.score(ids[2])
        try store.score(ids[1])
        #expect(try store.claimCaseToScore(modelKey: key, worker: "c", lease: 60, excluding: [], now: t0.addingTimeInterval(30)) == nil)
        #expect(try store.claimCaseToScore(modelKey: key, worker: "c", lease: 60, excluding: [], now: t0.addingTimeInterval(61))?.id == ids[0])
        await cleanUp()
    }

    /// A coder's own live claim is never skipped because another transaction (a scoring worker, a
    /// colleague's claim query) has its row locked for a moment: the coder waits and gets it back,
    /// instead of being handed a second case (which would release the first to someone else).
    @Test(.enabled(if: TestServer.url != nil))
    func aCodersOwnClaimIsWaitedForNotSkipped() async throws {
        let (store, cleanUp) = try await Backend.postgres.make()
        try store.addCases(3)
        let mine = try #require(try store.next("alice"))
        let name = String(URLComponents(string: try #require(store as? PostgresAppDatabase).place.displayURL)!.path.dropFirst())
        let again = try await TestServer.asSuperuser(database: name) { connection in
            try await connection.query("BEGIN", logger: TestServer.logger)
            try await connection.query("SELECT id FROM cases WHERE id = \(mine.id) FOR UPDATE", logger: TestServer.logger)
            let result = Task.detached { try store.next("alice")?.id }
            try await Task.sleep(nanoseconds: 300_000_000)
            try await connection.query("COMMIT", logger: TestServer.logger)
            return try await result.value
        }
        #expect(again == mine.id)
        #expect(try store.caseRecord(id: mine.id)?.claimHolder == "alice")
        await cleanUp()
    }

    @Test(.enabled(if: TestServer.url != nil))
    func aWrongPasswordOrADownServerIsOneClearLine() async throws {
        var parts = URLComponents(string: TestServer.url!)!
        parts.password = "wrong-password"
        let wrong = #expect(throws: PostgresStoreError.self) { try PostgresAppDatabase.open(try PostgresLocation(url: parts.string!)) }
        #expect(wrong?.description.contains("password authentication failed") == true, "\(String(describing: wrong))")
        #expect(wrong?.description.contains("wrong-password") == false)
        parts.port = 9   // nothing listens on the discard port here
        let down = #expect(throws: PostgresStoreError.self) { try PostgresAppDatabase.open(try PostgresLocation(url: parts.string!)) }
        #expect(down?.description.hasSuffix(": the server is not reachable (connection refused: is PostgreSQL running on that host and port?)") == true,
                "\(String(describing: down))")
        #expect(down?.description.contains("\n") == false)
    }
}

/// Errors collected from several threads.
final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func add(_ s: String) { lock.withLock { list.append(s) } }
    var all: [String] { lock.withLock { list } }
}
