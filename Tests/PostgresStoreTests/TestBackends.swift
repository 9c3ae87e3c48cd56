import CodingStore
import DRGKit
import Foundation
import Logging
import PostgresNIO
import PostgresStore
import TestSupport

/// The backends the shared store suite runs against. PostgreSQL is there only when the test
/// server's URL is set (`make test` starts one: scripts/test-postgres.sh); `PostgresSuiteRan`
/// says loudly when it is not, and fails under CI.
enum Backend: String, CaseIterable, CustomStringConvertible, Sendable {
    case sqliteMemory, sqliteFile, postgres
    var description: String { rawValue }

    static var available: [Backend] { TestServer.url == nil ? [.sqliteMemory, .sqliteFile] : allCases }

    /// A fresh, empty store; `cleanUp` removes what it made (a file, a database).
    func make() async throws -> (store: any StoreBackend, cleanUp: @Sendable () async -> Void) {
        switch self {
        case .sqliteMemory:
            return (try AppDatabase.inMemory(), {})
        case .sqliteFile:
            let temp = try TemporaryDirectory(prefix: "backend")
            let store = try AppDatabase.openFile(at: temp.file("store.sqlite"))
            return (store, { store.close(); temp.cleanUp() })
        case .postgres:
            let database = try await TestServer.createDatabase()
            let store = try PostgresAppDatabase.open(try PostgresLocation(url: database.url), maximumConnections: 16)
            return (store, { store.close(); await TestServer.dropDatabase(database.name) })
        }
    }
}

/// The PostgreSQL server of the test run, as a superuser: one fresh database per test.
enum TestServer {
    static let url = ProcessInfo.processInfo.environment["DRGCODER_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static let logger = Logger(label: "drgcoder.tests", factory: { _ in SwiftLogNoOpLogHandler() })

    /// The URL with another database name.
    static func url(database: String) -> String {
        var parts = URLComponents(string: url!)!
        parts.path = "/" + database
        return parts.string!
    }

    /// Runs `body` on a superuser connection to `database` (the server's own `postgres` by default).
    static func asSuperuser<T: Sendable>(database: String? = nil, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        let place = try PostgresLocation(url: database.map { url(database: $0) } ?? url!)
        let config = PostgresConnection.Configuration(host: place.host, port: place.port, username: place.user,
                                                      password: place.password, database: place.database, tls: .disable)
        let connection = try await PostgresConnection.connect(configuration: config, id: 1, logger: logger)
        do {
            let result = try await body(connection)
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }

    static func createDatabase() async throws -> (name: String, url: String) {
        let name = "drgcoder_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        try await asSuperuser { try await $0.query("CREATE DATABASE \(unescaped: name)", logger: logger) }
        return (name, url(database: name))
    }

    static func dropDatabase(_ name: String) async {
        _ = try? await asSuperuser { try await $0.query("DROP DATABASE IF EXISTS \(unescaped: name) WITH (FORCE)", logger: logger) }
    }
}


/// The store's operations with the arguments tests do not vary.
extension StoreBackend {
    @discardableResult
    func addCases(_ count: Int, priority: (Int) -> Int = { _ in 0 }) throws -> [Int64] {
        try (1...count).map { i in
            var incoming = IncomingCase(externalID: "case-\(i)", noteText: "Brief Hospital Course:\nnote \(i)\nDischarge Medications:\n")
            incoming.priority = priority(i)
            return try enqueue(incoming, source: "jsonl", now: Date())
        }
    }

    @discardableResult
    func score(_ caseID: Int64, top: String = "291", identity: ModelIdentity = demoIdentity) throws -> PredictionRecord {
        try savePrediction(caseID: caseID, identity: identity, prediction: samplePrediction(top: top),
                           elapsedMilliseconds: 1, tokenCount: 10, truncated: false, now: Date())
    }

    func next(_ user: String, lease: TimeInterval = AppDatabase.defaultLease, excluding: Int64? = nil,
              now: Date = Date()) throws -> CaseRecord? {
        try claimNextCase(user: user, lease: lease, excluding: excluding, now: now)
    }

    @discardableResult
    func decide(_ caseID: Int64, _ user: String, _ action: DecisionAction, drg: String? = nil, role: DecisionRole = .coder,
                recode: Bool = false, reason: String? = nil, now: Date? = nil) throws -> DecisionRecord {
        try recordDecision(DecisionRequest(caseID: caseID, user: user, role: role, action: action, overrideDRG: drg,
                                           reasonCode: reason, recode: recode), now: now)
    }

    func verify() throws -> ChainVerification { try verifyChain(expectedHead: nil, anchors: [], after: nil) }
}
