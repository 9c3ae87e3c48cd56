import CodingStore
import DRGCoderCLI
import DRGKit
import Foundation
import PostgresNIO
import PostgresStore
import ReviewApp
import Testing
import TestSupport
import TerminalUI

/// The review screen on both backends (issue 14): two coders' screens on one store, each on its own
/// connection; a claim or a decision by one shows in the other's queue with no key pressed and no
/// polling — GRDB's observation and a file watch on SQLite, LISTEN/NOTIFY on PostgreSQL.
@Suite struct LiveQueueScreenTests {
    /// A coder's screen on `store`, its live feed started and listening.
    func screen(_ store: any StoreBackend, user: String) throws -> ReviewDriver {
        let source = StoreReviewSource(store: store, scorer: nil)
        let env = ReviewEnvironment(catalog: DRGKitCatalog(version: .v43), exportFormats: source.exportFormats,
                                    exportDirectory: FileManager.default.temporaryDirectory)
        let driver = ReviewDriver(state: AppState(user: user, size: Size(width: 100, height: 30), now: Date(), modelName: nil),
                                  environment: env, source: source, scorer: nil, clock: SystemClock(), liveQueue: true)
        let feed = try #require(driver.feed, "no live feed on \(store.location)")
        #expect(feed.waitUntilReady(10))
        driver.start()
        return driver
    }

    /// Another connection to the same store, as a second process has (in memory: the same store).
    func secondConnection(to store: any StoreBackend) throws -> any StoreBackend {
        if let server = store as? PostgresAppDatabase { return try PostgresAppDatabase.open(server.place) }
        if store.location.hasPrefix("/") { return try AppDatabase.openFile(at: URL(fileURLWithPath: store.location)) }
        return store
    }

    @Test(arguments: Backend.available)
    func aClaimAndADecisionShowInTheOtherQueueWithoutAKey(_ backend: Backend) async throws {
        let (store, cleanUp) = try await backend.make()
        let ids = try store.addCases(3, priority: { 10 - $0 })
        for id in ids { try store.score(id, top: "291") }
        let other = try secondConnection(to: store)
        let a = try screen(store, user: "asmith")
        let b = try screen(other, user: "jdoe")
        #expect(b.state.liveQueue && !b.state.queue.isEmpty)

        try a.press(.claimNext)
        let claimed = try #require(a.state.session?.id)
        let claimSeen = try seen(by: b, "A's claim in B's queue") { $0.queue.first { $0.id == claimed }?.claimHolder == "asmith" }

        try a.press(.acceptTop)
        #expect(try store.effectiveDecisions(caseID: claimed).count == 1)
        let decisionSeen = try seen(by: b, "A's decision in B's queue") { $0.queue.first { $0.id == claimed }?.status == .coded }
        print("live queue on \(backend): claim seen after \(ms(claimSeen)) ms, decision after \(ms(decisionSeen)) ms")

        // B's timer reloads nothing while the feed is live (the heartbeat only).
        let before = b.runner.log.count
        b.loop.handle(.refresh)
        #expect(!b.runner.log.dropFirst(before).contains(.loadQueue))
        if other as AnyObject !== store as AnyObject { other.close() }
        await cleanUp()
    }

    /// What the screens read besides the queue gives the same answers on every backend: note search,
    /// a case's codes, the prediction a decision showed, the log, the trainer's export.
    @Test(arguments: Backend.available)
    func theScreensReadTheSameOnEveryBackend(_ backend: Backend) async throws {
        let (store, cleanUp) = try await backend.make()
        var incoming = IncomingCase(externalID: "C-1", noteText: "Brief Hospital Course:\nSepsis with acute kidney injury, 50%_done\n")
        incoming.codes = [CaseCode(kind: .pdx, code: "A419", seq: 1), CaseCode(kind: .sdx, code: "N179", seq: 1)]
        let id = try store.enqueue(incoming, source: "jsonl", now: Date())
        try store.enqueue(IncomingCase(externalID: "C-2", noteText: "Brief Hospital Course:\nsepsis only\n"), source: "jsonl", now: Date())
        let shown = try store.score(id, top: "871")
        let source = StoreReviewSource(store: store, scorer: nil)
        #expect(try source.cases(withNoteWords: "SEPSIS kidney") == [id])
        #expect(try source.cases(withNoteWords: "50%_") == [id])
        #expect(try source.cases(withNoteWords: "5_%") == [])                     // % and _ are literal
        let codes = try source.detail(of: id).codes
        #expect(codes.map(\.kind) == [.principal, .secondary] && codes.map { $0.code.replacingOccurrences(of: ".", with: "") } == ["A419", "N179"])
        #expect(try source.prediction(id: shown.id)?.top?.drg == "871")
        _ = try store.claim(caseID: id, user: "asmith", lease: 60, recode: false, now: Date())
        let logged = try source.record(DecisionDraft(caseID: id, user: "asmith", kind: .override, drg: "872", predictionID: shown.id,
                                                     reasons: ["CC-UNSUPPORTED"], timeSpentMilliseconds: 1234))
        #expect(try source.decisions() == [logged])
        #expect(try source.verifyChain().verified)
        let temp = try TemporaryDirectory(prefix: "screen-export")
        #expect(try source.export(format: "jsonl", correctionsOnly: true, to: temp.file("out.jsonl")) == 1)
        temp.cleanUp()
        await cleanUp()
    }

    /// The heartbeat renews the open case's lease in the store, on every backend (once a minute of the screen's clock).
    @Test(arguments: Backend.available)
    func theHeartbeatRenewsTheLeaseInTheStore(_ backend: Backend) async throws {
        let (store, cleanUp) = try await backend.make()
        let ids = try store.addCases(2)
        for id in ids { try store.score(id) }
        let clock = SteppingClock()
        let source = StoreReviewSource(store: store, scorer: nil)
        let driver = ReviewDriver(state: AppState(user: "asmith", size: Size(width: 100, height: 30), now: clock.now(), modelName: nil),
                                  environment: ReviewEnvironment(catalog: DRGKitCatalog(version: .v43), exportFormats: [],
                                                                 exportDirectory: FileManager.default.temporaryDirectory),
                                  source: source, scorer: nil, clock: clock)
        driver.start()
        try driver.press(.claimNext)
        let open = try #require(driver.state.session?.id)
        let leased = try #require(try store.caseRecord(id: open)?.leaseExpiresAt)
        try await Task.sleep(nanoseconds: 20_000_000)
        clock.advance(30); driver.loop.handle(.refresh)
        #expect(try store.caseRecord(id: open)?.leaseExpiresAt == leased)   // not yet
        clock.advance(31); driver.loop.handle(.refresh); driver.loop.drainInbox()
        let renewed = try #require(try store.caseRecord(id: open)?.leaseExpiresAt)
        #expect(renewed > leased)
        #expect(try store.caseRecord(id: open)?.claimHolder == "asmith")
        await cleanUp()
    }

    /// The password changes on the server while the screen is open (its connections cut): the
    /// header says so in one line, the override the coder made is kept, and once the password works
    /// again the retry records it — one decision, the chain intact.
    @Test func aRefusedPasswordKeepsTheDecisionUntilTheServerLetsTheCoderBackIn() async throws {
        guard TestServer.url != nil else { return }   // postgresSuiteRan says so loudly
        let (store, cleanUp) = try await Backend.postgres.make()
        let server = try #require(store as? PostgresAppDatabase)
        let ids = try store.addCases(2)
        for id in ids { try store.score(id, top: "291") }
        let role = "screen_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(10)
        try await TestServer.asSuperuser { try await $0.query("CREATE ROLE \(unescaped: role) LOGIN SUPERUSER PASSWORD 'first-pw'", logger: TestServer.logger) }
        // A role with a known password on the test server: dropped however the test ends.
        do {
            var url = URLComponents(string: TestServer.url(database: server.place.database))!
            url.user = role; url.password = "first-pw"
            let coderStore = try PostgresAppDatabase.open(try PostgresLocation(url: url.string!), answerWithin: 3)
            let coder = try screen(coderStore, user: "asmith")
            try coder.press(.claimNext)
            let open = try #require(coder.state.session?.id)

            try await TestServer.asSuperuser { connection in
                try await connection.query("ALTER ROLE \(unescaped: role) PASSWORD 'second-pw'", logger: TestServer.logger)
                try await connection.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = \(role)", logger: TestServer.logger)
            }
            try coder.press(.override); coder.type("470"); try coder.press(.choose); try coder.press(.toggleReason(0)); try coder.press(.choose)
            #expect(coder.state.pendingDecision?.draft.drg == "470")
            #expect(coder.frame.text.contains("Store unreachable"))
            let line = try #require(coder.state.outage?.message)
            print("outage line: \(line)")
            #expect(line.contains("password authentication failed"))
            #expect(try store.allDecisions().isEmpty)

            try await TestServer.asSuperuser { try await $0.query("ALTER ROLE \(unescaped: role) PASSWORD 'first-pw'", logger: TestServer.logger) }
            let back = Date()
            while coder.state.pendingDecision != nil && Date().timeIntervalSince(back) < 60 {
                coder.loop.handle(.tick); coder.loop.drainInbox()
                try await Task.sleep(nanoseconds: 100_000_000)
            }
            print("recorded \(ms(Date().timeIntervalSince(back))) ms after the password worked again")
            #expect(coder.state.pendingDecision == nil && coder.state.outage == nil)
            let decisions = try store.effectiveDecisions(caseID: open)
            #expect(decisions.count == 1 && decisions.first?.chosenDRG == "470")
            #expect(try store.allDecisions().count == 1)
            #expect(try store.verify().ok)
            coder.feed?.cancel()
            coderStore.close()
            await cleanUp()
        } catch {
            _ = try? await TestServer.asSuperuser { try await $0.query("DROP ROLE IF EXISTS \(unescaped: role)", logger: TestServer.logger) }
            throw error
        }
        _ = try? await TestServer.asSuperuser { try await $0.query("DROP ROLE IF EXISTS \(unescaped: role)", logger: TestServer.logger) }
    }

    /// Waits (delivering only what the feed posts: no key, no timer) until `done` holds for B; the seconds it took.
    func seen(by driver: ReviewDriver, _ what: String, _ done: (AppState) -> Bool) throws -> TimeInterval {
        let start = Date()
        try driver.waitFor(what, timeout: 10, done)
        return Date().timeIntervalSince(start)
    }

    func ms(_ seconds: TimeInterval) -> String { String(format: "%.1f", seconds * 1000) }
}

/// A clock the test moves.
final class SteppingClock: ReviewClock, @unchecked Sendable {
    // @unchecked: `current` is only touched under `lock`.
    private let lock = NSLock()
    private var current = Date()
    func now() -> Date { lock.withLock { current } }
    func advance(_ seconds: TimeInterval) { lock.withLock { current = current.addingTimeInterval(seconds) } }
}
