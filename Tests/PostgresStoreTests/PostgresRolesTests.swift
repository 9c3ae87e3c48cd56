import CodingStore
import Foundation
import PostgresNIO
import PostgresStore
import TestSupport
import Testing

/// The coder, auditor, trainer and scorer roles of docs/TEAM.md, on a real server: each can do what
/// its work needs and the server refuses the rest.
struct PostgresRolesTests {
    @Test func theDocumentListsEveryGrant() throws {
        let doc = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../docs/TEAM.md"), encoding: .utf8)
        for grant in PostgresRoles.grants { #expect(doc.contains(grant + ";"), "\(grant)") }
    }

    @Test(.enabled(if: TestServer.url != nil))
    func eachRoleMayDoItsWorkAndNothingElse() async throws {
        let (owner, cleanUp) = try await Backend.postgres.make()
        let ids = try owner.addCases(2)
        let database = String(URLComponents(string: try #require(owner as? PostgresAppDatabase).place.displayURL)!.path.dropFirst())
        let suffix = String(UUID().uuidString.prefix(8)).lowercased()
        let people = [("alice_\(suffix)", PostgresRoles.coder), ("tom_\(suffix)", PostgresRoles.trainer),
                      ("night_\(suffix)", PostgresRoles.scorer)]
        try await TestServer.asSuperuser(database: database) { connection in
            for role in [PostgresRoles.coder, PostgresRoles.auditor, PostgresRoles.trainer, PostgresRoles.scorer] {
                try await connection.query(PostgresQuery(unsafeSQL: """
                    DO $$ BEGIN CREATE ROLE \(role) NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$
                    """), logger: TestServer.logger)
            }
            for (person, group) in people {
                try await connection.query(PostgresQuery(unsafeSQL: "CREATE ROLE \(person) LOGIN PASSWORD 'pw' IN ROLE \(group)"),
                                           logger: TestServer.logger)
            }
            for grant in PostgresRoles.grants { try await connection.query(PostgresQuery(unsafeSQL: grant), logger: TestServer.logger) }
        }
        func open(_ person: String) throws -> PostgresAppDatabase {
            var parts = URLComponents(string: TestServer.url(database: database))!
            parts.user = person; parts.password = "pw"
            return try PostgresAppDatabase.open(try PostgresLocation(url: parts.string!))
        }
        let alice = try open(people[0].0), tom = try open(people[1].0), night = try open(people[2].0)
        // The scorer reserves and scores; it may not decide.
        let reserved = try #require(try night.claimCaseToScore(modelKey: demoIdentity.key, worker: "night", lease: 60, excluding: [], now: Date()))
        try night.score(reserved.id)
        let refused = #expect(throws: PostgresStoreError.self) { try night.decide(reserved.id, "night", .accept) }
        #expect(refused?.description.hasPrefix("permission denied for table cases") == true, "\(String(describing: refused))")   // it may not even lock a case
        // The coder claims and decides; she may not save a prediction.
        let claimed = try #require(try alice.next("alice"))
        #expect(claimed.id == ids[0])
        try alice.decide(claimed.id, "alice", .accept)
        #expect(throws: PostgresStoreError.self) { try alice.score(ids[1]) }
        // The trainer reads everything; he may not claim or decide.
        #expect(try tom.allDecisions().count == 1)
        #expect(try tom.verify().ok)
        #expect(throws: PostgresStoreError.self) { try tom.next("tom") }
        #expect(throws: PostgresStoreError.self) { try tom.decide(ids[1], "tom", .defer) }
        // Chart-timed notes are the owner's to import; the scorer makes early predictions from them, which
        // coders may not; everyone reads the notes.
        let notes = try TemporaryDirectory(prefix: "roles").file("notes.jsonl")
        try NotesAndCodesBackendTests.stay.write(to: notes, atomically: true, encoding: .utf8)
        #expect(try owner.importChartNotes(format: .notesJSONL, url: notes, skipBadRows: false, now: Date(), progress: nil).inserted == 5)
        #expect(throws: PostgresStoreError.self) {
            try tom.importChartNotes(format: .notesJSONL, url: notes, skipBadRows: false, now: Date(), progress: nil)
        }
        #expect(try night.scoreEarly(with: NotesAndCodesBackendTests.TextScorer(), cutoff: .now).scored == 2)
        let made = try #require(try tom.snapshot().earlyPredictions.first)
        #expect(throws: PostgresStoreError.self) { try alice.saveEarlyPrediction(made) }
        #expect(try tom.caseNotes(caseID: made.caseID).count >= 2)
        // Nobody but the owner edits a case's note (a column coders have no grant on).
        var parts = URLComponents(string: TestServer.url(database: database))!
        parts.user = people[0].0; parts.password = "pw"
        let place = try PostgresLocation(url: parts.string!)
        let config = PostgresConnection.Configuration(host: place.host, port: place.port, username: place.user,
                                                      password: place.password, database: place.database, tls: .disable)
        let connection = try await PostgresConnection.connect(configuration: config, id: 2, logger: TestServer.logger)
        let error = await #expect(throws: PSQLError.self) {
            try await connection.query("UPDATE cases SET note_text = 'x'", logger: TestServer.logger)
        }
        #expect(error?.serverInfo?[.sqlState] == "42501")
        try await connection.close()
        for store in [alice, tom, night] { store.close() }
        await cleanUp()
        try await TestServer.asSuperuser { connection in
            for (person, _) in people {
                try await connection.query(PostgresQuery(unsafeSQL: "DROP ROLE IF EXISTS \(person)"), logger: TestServer.logger)
            }
        }
    }
}
