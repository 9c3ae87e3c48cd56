import CodingStore
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// The coding store on a PostgreSQL server (team mode): the same operations and rules as the
/// SQLite `AppDatabase` (`StoreBackend`), for a department whose coders, auditors and scoring
/// workers share one queue from many machines.
///
/// ```swift
/// let store = try PostgresAppDatabase.open(PostgresLocation(url: "postgresql://alice@db.example/coding?sslmode=verify-full"))
/// defer { store.close() }
/// if let next = try store.claimNextCase(user: "alice") { … }
/// ```
///
/// Contract:
/// - One postgres-nio `PostgresClient` (a connection pool) per process; every query has bound
///   parameters (postgres-nio's `PostgresQuery` interpolation), never values spliced into SQL.
/// - The schema comes from frozen migrations (`PostgresSchema`), applied under an advisory lock
///   so several processes may open a fresh database at once.
/// - Every mutation is one transaction; a serialization failure or deadlock the server reports is
///   retried. Decisions are appended under one transaction-scoped advisory lock (`chainLock`), which
///   the server's insert trigger takes too, so two coders' inserts can never fork the chain; the
///   server refuses UPDATE, DELETE and TRUNCATE of decisions (triggers), for its superuser too.
/// - Synchronous to its callers (the commands are): each call waits for its async work, which runs
///   on a task executor of its own (`PostgresBridge`) and on NIO's event loops.
public final class PostgresAppDatabase: StoreBackend, Sendable {
    /// The connection pool now (`Pool`): replaced when the server came back but the old pool is
    /// still backing off (postgres-nio's pool waits up to a minute between reconnection attempts).
    public var client: PostgresClient { pool.current.client }
    public let place: PostgresLocation
    /// How long one call waits for the server before it fails as a connection failure (nil: as
    /// long as the pool takes — up to a minute while the server is down). The review screen sets
    /// a few seconds, so its I/O never hangs and its retry can take over.
    public let answerWithin: TimeInterval?
    private let pool: Pool
    static let logger = Logger(label: "drgcoder.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    public var location: String { place.displayURL }

    private init(configuration: PostgresClient.Configuration, place: PostgresLocation, answerWithin: TimeInterval?) {
        self.pool = Pool(configuration)
        self.place = place
        self.answerWithin = answerWithin
    }

    /// The pool and the task that runs it, swapped as one under a lock.
    private final class Pool: @unchecked Sendable {
        // @unchecked: `running` is only touched under `lock`.
        private let lock = NSLock()
        private let configuration: PostgresClient.Configuration
        private var running: (client: PostgresClient, runner: Task<Void, Never>)

        init(_ configuration: PostgresClient.Configuration) {
            self.configuration = configuration
            running = Self.start(configuration)
        }

        private static func start(_ configuration: PostgresClient.Configuration) -> (client: PostgresClient, runner: Task<Void, Never>) {
            let client = PostgresClient(configuration: configuration, backgroundLogger: PostgresAppDatabase.logger)
            return (client, Task.detached(executorPreference: PostgresBridge.executor) { await client.run() })
        }

        var current: (client: PostgresClient, runner: Task<Void, Never>) { lock.withLock { running } }

        /// A fresh pool; the old one's run task is cancelled (its waiting calls fail).
        func replace() {
            let old = lock.withLock { () -> Task<Void, Never> in
                defer { running = Self.start(configuration) }
                return running.runner
            }
            old.cancel()
        }

        func close() { current.runner.cancel() }
    }

    /// Connects, checks that the server answers and accepts the credentials (one clear line when
    /// it does not), and migrates the schema. `maximumConnections` bounds the pool; `answerWithin`
    /// bounds each later call.
    public static func open(_ place: PostgresLocation, maximumConnections: Int = 8,
                            answerWithin: TimeInterval? = nil) throws -> PostgresAppDatabase {
        var config = PostgresClient.Configuration(host: place.host, port: place.port, username: place.user,
                                                  password: place.password, database: place.database, tls: try place.clientTLS())
        config.options.maximumConnections = maximumConnections
        config.options.connectTimeout = .seconds(10)
        try PostgresBridge.wait {   // a direct first connection: its failure is one line, not a pool retrying forever
            let probe = try await Self.connectOnce(place)
            try? await probe.close()
        }
        let database = PostgresAppDatabase(configuration: config, place: place, answerWithin: answerWithin)
        do {
            try database.transaction { connection in try await PostgresSchema.migrate(connection) }
        } catch {
            database.close()
            throw error
        }
        return database
    }

    /// One connection outside the pool, with errors turned into one line.
    static func connectOnce(_ place: PostgresLocation) async throws -> PostgresConnection {
        var config = PostgresConnection.Configuration(host: place.host, port: place.port, username: place.user,
                                                      password: place.password, database: place.database, tls: try place.connectionTLS())
        config.options.connectTimeout = .seconds(10)
        do {
            return try await PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.any(),
                                                        configuration: config, id: 0, logger: logger)
        } catch {
            throw PostgresStoreError("cannot connect to \(place.displayURL): \(PostgresErrors.describe(error))")
        }
    }

    public func close() {
        pool.close()
    }

    /// After a call failed for want of a connection, a fresh connection is tried (for at most
    /// `answerWithin`). If it fails too, its line — the server refuses connections, the password is
    /// refused — is the one a coder can act on. If it works, the server is back but the pool is
    /// still backing off (up to a minute): the pool is replaced, so the next call (the screen's
    /// retry) connects at once.
    private func explained(_ error: any Error) -> any Error {
        guard let failure = error as? PostgresStoreError, failure.isConnectionFailure else { return error }
        do {
            try PostgresBridge.wait(within: answerWithin) { [place] in
                let probe = try await Self.connectOnce(place)
                try? await probe.close()
            }
            pool.replace()
            return error
        } catch let probe as PostgresStoreError where !probe.description.hasPrefix(PostgresBridge.noAnswer) {
            return PostgresStoreError(probe.description, isConnectionFailure: true)
        } catch {
            return failure
        }
    }

    /// One transaction on a pooled connection, retried (up to 20 times, with short jittered pauses)
    /// when the server reports a serialization failure or a deadlock. Server errors become one line.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) throws -> T {
        do {
            let client = self.client
            return try PostgresBridge.wait(within: answerWithin) {
                var attempt = 0
                while true {
                    do {
                        return try await client.withTransaction(logger: Self.logger) { connection in try await body(connection) }
                    } catch {
                        let cause = PostgresErrors.unwrap(error)
                        guard let failure = cause as? PSQLError, PostgresErrors.isRetryable(failure), attempt < 20 else {
                            throw PostgresErrors.storeError(cause)
                        }
                        attempt += 1
                        try await Task.sleep(nanoseconds: UInt64(Double.random(in: 1...5) * Double(attempt) * 1_000_000))
                    }
                }
            }
        } catch {
            throw explained(error)
        }
    }

    /// One read (no explicit transaction).
    func read<T: Sendable>(_ body: @escaping @Sendable (PostgresClient) async throws -> T) throws -> T {
        do {
            let client = self.client
            return try PostgresBridge.wait(within: answerWithin) {
                do { return try await body(client) } catch { throw PostgresErrors.storeError(error) }
            }
        } catch {
            throw explained(error)
        }
    }
}

/// Waits, on the calling thread, for async work. The work (and the pool's own task) runs on a
/// task executor of its own — a concurrent dispatch queue, not Swift's cooperative pool — so a
/// caller that blocks a cooperative thread (a test, a screen's I/O queue) can never starve it.
enum PostgresBridge {
    static let executor = QueueExecutor()
    /// How a call that timed out begins its line.
    static let noAnswer = "the server did not answer"

    /// Runs jobs on a concurrent dispatch queue.
    final class QueueExecutor: TaskExecutor {
        private let queue = DispatchQueue(label: "drgcoder.postgres", attributes: .concurrent)

        func enqueue(_ job: consuming ExecutorJob) {
            let job = UnownedJob(job)
            let executor = asUnownedTaskExecutor()
            queue.async { job.runSynchronously(on: executor) }
        }
    }

    private final class Box<T>: @unchecked Sendable {
        var result: Result<T, any Error>?
    }

    /// `limit`: seconds to wait before the work is cancelled and the call fails as a connection
    /// failure (its outcome then unknown: a transaction may still commit).
    static func wait<T: Sendable>(within limit: TimeInterval? = nil, _ body: @escaping @Sendable () async throws -> T) throws -> T {
        let box = Box<T>()
        let done = DispatchSemaphore(value: 0)
        let task = Task.detached(executorPreference: executor) {
            do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
            done.signal()
        }
        if let limit {
            guard done.wait(timeout: .now() + limit) == .success else {
                task.cancel()
                throw PostgresStoreError("\(noAnswer) within \(Int(limit.rounded())) s", isConnectionFailure: true)
            }
        } else {
            done.wait()
        }
        return try box.result!.get()
    }
}

/// postgres-nio's errors as one line a coder or an administrator can act on.
enum PostgresErrors {
    /// Serialization failure, deadlock: the transaction may simply be run again.
    static func isRetryable(_ error: PSQLError) -> Bool {
        let state = error.serverInfo?[.sqlState]
        return state == "40001" || state == "40P01"
    }

    /// The error inside postgres-nio's transaction wrapper: the closure's, else BEGIN's, COMMIT's, ROLLBACK's.
    static func unwrap(_ error: any Error) -> any Error {
        guard let wrapped = error as? PostgresTransactionError else { return error }
        return wrapped.closureError ?? wrapped.beginError ?? wrapped.commitError ?? wrapped.rollbackError ?? error
    }

    /// A `StoreError` for errors the store raises itself, a `PostgresStoreError` line otherwise.
    static func storeError(_ error: any Error) -> any Error {
        // The store's own errors, and an import's bad row (named by file and line), pass as they are.
        if error is StoreError || error is PostgresStoreError || error is ImportFailure || error is CodesImportFailure { return error }
        return PostgresStoreError(describe(error), isConnectionFailure: isConnectionFailure(error))
    }

    /// Whether `error` says the server is out of reach rather than that it refused the request:
    /// no connection, a dropped one, a refused password or user, the server shutting down or
    /// starting (SQLSTATE classes 08 and 57P, 28000, 28P01), out of connections, memory or disk
    /// (class 53: "too many clients" when fifty screens reconnect after a restart), a statement
    /// cancelled (57014), the pool's circuit breaker, or a connection this client closed (the pool
    /// replaced under a call). The screen keeps a decision through these and tries again; any
    /// other error is the server's answer.
    static func isConnectionFailure(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError else {
            return String(reflecting: type(of: error)).contains("ConnectionPoolError")
        }
        if let state = error.serverInfo?[.sqlState] {
            return state.hasPrefix("08") || state.hasPrefix("57P") || state.hasPrefix("53")
                || state == "57014" || state == "28000" || state == "28P01"
        }
        return [.connectionError, .serverClosedConnection, .clientClosedConnection, .poolClosed, .uncleanShutdown,
                .authMechanismRequiresPassword, .queryCancelled]
            .contains(error.code)
    }

    static func describe(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        if let info = error.serverInfo {
            let message = info[.message] ?? "server error"
            switch info[.sqlState] {
            case "28P01": return "password authentication failed for this user (check ~/.pgpass or PGPASSWORD)"
            case "28000": return "the server refused this user: \(message)"
            case "3D000": return "\(message) (create it, or check the URL's database name)"
            case "42501": return "\(message) (the role lacks a grant; see docs/TEAM.md)"
            default: return message
            }
        }
        switch error.code {
        case .connectionError:
            let cause = error.underlying.map { "\($0)" } ?? "no answer"
            if cause.contains("CERTIFICATE_VERIFY_FAILED") {
                return "the server's TLS certificate is not trusted (give its CA with sslrootcert=FILE or PGSSLROOTCERT)"
            }
            if cause.contains("handshakeFailed") { return "the TLS handshake failed (\(cause.prefix(200)))" }
            if cause.contains("Connection refused") {
                return "the server is not reachable (connection refused: is PostgreSQL running on that host and port?)"
            }
            if cause.lowercased().contains("timeout") || cause.lowercased().contains("timed out") {
                return "the server is not reachable (no answer within 10 s)"
            }
            return "the server is not reachable (\(cause.prefix(200)))"
        case .sslUnsupported: return "the server does not offer TLS, which sslmode requires"
        case .authMechanismRequiresPassword: return "the server wants a password (give it in ~/.pgpass or PGPASSWORD)"
        case .serverClosedConnection: return "the server closed the connection"
        case .poolClosed: return "the connection pool is closed"
        default: return "\(error.code)"
        }
    }
}
