import DRGKit
import Foundation
import Testing
import TerminalUI
@testable import ReviewApp

/// A server that goes away while the coder works (issue 14): one line in the header, what the
/// coder typed kept, retries with backoff, the decision recorded once when the server is back.
@Suite struct StoreOutageTests {
    /// `FakeSource` behind a switch: `down` makes every call fail as `StoreUnreachable`;
    /// `dropAfterWriting` lets the next `record` write and then fail as if the answer was lost.
    final class FlakySource: ReviewDataSource, @unchecked Sendable {
        // @unchecked: the switches are only touched under `lock`.
        let inner: FakeSource
        private let lock = NSLock()
        private var isDown = false
        private var dropNext = false
        private(set) var recordCalls = 0
        init(_ inner: FakeSource) { self.inner = inner }

        var down: Bool {
            get { lock.withLock { isDown } }
            set { lock.withLock { isDown = newValue } }
        }
        func dropAfterWriting() { lock.withLock { dropNext = true } }

        private func reach<T>(_ body: () throws -> T) throws -> T {
            if down { throw StoreUnreachable("the server is not reachable (connection refused)") }
            return try body()
        }
        func queue() throws -> [CaseSummary] { try reach { try inner.queue() } }
        func detail(of id: CaseID) throws -> CaseDetail { try reach { try inner.detail(of: id) } }
        func claimNext(user: String) throws -> CaseID? { try reach { try inner.claimNext(user: user) } }
        func claim(_ id: CaseID, user: String) throws { try reach { try inner.claim(id, user: user) } }
        func record(_ draft: DecisionDraft) throws -> LoggedDecision {
            let drop = lock.withLock { () -> Bool in
                recordCalls += 1; defer { dropNext = false }; return dropNext
            }
            let row = try reach { try inner.record(draft) }
            if drop { throw StoreUnreachable("the server closed the connection") }
            return row
        }
        func save(_ p: ScoredPrediction, for id: CaseID) throws -> ScoredPrediction { try reach { try inner.save(p, for: id) } }
        func prediction(id: Int64) throws -> ScoredPrediction? { try reach { try inner.prediction(id: id) } }
        func decisions() throws -> [LoggedDecision] { try reach { try inner.decisions() } }
        func verifyChain() throws -> ChainState { try reach { try inner.verifyChain() } }
        var exportFormats: [String] { inner.exportFormats }
        func export(format: String, correctionsOnly: Bool, to url: URL) throws -> Int {
            try reach { try inner.export(format: format, correctionsOnly: correctionsOnly, to: url) }
        }
    }

    func driver() -> (ReviewDriver, FlakySource, FixedClock) {
        let clock = FixedClock()
        let source = FlakySource(FakeSource(cases: Sample.cases(), clock: clock))
        let env = ReviewEnvironment(catalog: FakeCatalog(), exportFormats: source.exportFormats,
                                    exportDirectory: URL(fileURLWithPath: "/tmp/exports"))
        let state = AppState(user: "alice", size: Size(width: 100, height: 24), now: clock.now(), modelName: "fake")
        let driver = ReviewDriver(state: state, environment: env, source: source, scorer: nil, clock: clock)
        driver.start()
        return (driver, source, clock)
    }

    func keys(_ driver: ReviewDriver, _ text: String) {
        for c in text { driver.send(.key(c == "⏎" ? .enter : c == "⇥" ? .tab : .character(c))) }
    }

    /// Lets `seconds` pass and ticks (the loop ticks while an outage lasts), delivering what the store answered.
    func wait(_ seconds: Double, _ driver: ReviewDriver, _ clock: FixedClock) {
        clock.advance(seconds: seconds)
        driver.loop.handle(.tick)
        driver.loop.drainInbox()
        driver.loop.present()
    }

    @Test func whatTheCoderTypedIsKeptAndTheDecisionIsRecordedOnceTheServerIsBack() throws {
        let (d, source, clock) = driver()
        keys(d, "n")
        keys(d, "o293⏎3⇥chart says")                          // an override, a reason, a note being typed
        source.down = true
        d.loop.handle(.refresh); d.loop.drainInbox(); d.loop.present()   // the timer's reload finds the server gone
        #expect(d.state.outage != nil)
        #expect(d.frame.text.contains("Store unreachable, retrying in 1 s — the server is not reachable"))
        guard case .reasons(let open) = d.state.modal else { Issue.record("the form was closed"); return }
        #expect(open.note == "chart says" && open.chosen == ["CC-UNSUPPORTED"])
        keys(d, " NSTEMI⇥⏎")                                  // the coder types on and records
        #expect(source.inner.log.isEmpty)
        #expect(d.state.pendingDecision?.draft.note == "chart says NSTEMI")
        #expect(d.frame.text.contains("Store unreachable, decision kept, retrying in"))
        // Retries back off while the server stays down: 1, 2, 4 s …
        let first = try #require(d.state.outage)
        wait(0.5, d, clock)
        #expect(d.state.outage?.attempts == first.attempts)   // not due yet
        wait(StoreOutage.backoff(after: first.attempts), d, clock)
        #expect(d.state.outage?.attempts == first.attempts + 1)
        #expect(d.state.outage!.retryAt.timeIntervalSince(clock.now()) == StoreOutage.backoff(after: first.attempts + 1))
        #expect(source.inner.log.isEmpty)
        // Another decision waits for the kept one; quitting asks first.
        keys(d, "a")
        #expect(d.state.flash?.text.contains("waiting for the server") == true)
        keys(d, "q")
        #expect(!d.state.quitRequested && d.state.flash?.text.contains("q again quits") == true)
        source.down = false
        wait(30, d, clock)
        #expect(source.inner.log.count == 1)
        #expect(source.inner.log.first?.note == "chart says NSTEMI" && source.inner.log.first?.chosenDRG == "293")
        #expect(d.state.pendingDecision == nil && d.state.outage == nil)
        wait(30, d, clock); wait(30, d, clock)
        #expect(source.inner.log.count == 1)                   // recorded once
    }

    @Test func aDecisionWrittenBeforeTheAnswerWasLostIsNotWrittenAgain() throws {
        let (d, source, clock) = driver()
        keys(d, "n")
        source.dropAfterWriting()
        keys(d, "o293⏎3⏎")
        #expect(source.inner.log.count == 1)                   // written, but the screen never heard
        #expect(d.state.pendingDecision != nil)
        wait(2, d, clock)
        #expect(source.inner.log.count == 1)
        #expect(d.state.pendingDecision == nil && d.state.outage == nil)
        #expect(d.state.recordedCount == 1)
        #expect(d.state.decisions.count == 1)
        // A second retry queued behind the first finds the same row again: shown and counted once.
        d.loop.handle(.message(.recorded(source.inner.log[0])))
        #expect(d.state.recordedCount == 1 && d.state.decisions.count == 1)
    }

    @Test func theFeedComingBackRetriesAtOnce() {
        let (d, source, _) = driver()
        keys(d, "n")
        source.down = true
        keys(d, "o293⏎3⏎")
        #expect(d.state.pendingDecision != nil && source.inner.log.isEmpty)
        source.down = false
        // No time passes: the live feed's reconnection (a queue change) is what sends the retry.
        d.loop.handle(.message(.queueChanged)); d.loop.drainInbox()
        #expect(source.inner.log.count == 1 && d.state.pendingDecision == nil && d.state.outage == nil)
    }

    @Test func aTryOnItsWayIsNotQueuedTwice() {
        let env = ReviewEnvironment(catalog: FakeCatalog(), exportFormats: [], exportDirectory: URL(fileURLWithPath: "/tmp"))
        var state = AppState(user: "alice", size: Size(width: 80, height: 24), now: Date(timeIntervalSince1970: 100), modelName: nil)
        state.outage = StoreOutage(message: "down", attempts: 1, retryAt: Date(timeIntervalSince1970: 99))
        #expect(ReviewUpdate.update(&state, .tick, env) == [.loadQueue])          // due: one probe
        state.now = Date(timeIntervalSince1970: 200)                              // long after, the probe still on its way
        #expect(ReviewUpdate.update(&state, .tick, env).isEmpty)
        #expect(ReviewUpdate.update(&state, .message(.queueChanged), env).isEmpty)
        #expect(ReviewUpdate.update(&state, .message(.storeUnreachable("down", decision: nil)), env).isEmpty)
        #expect(state.outage?.attempts == 2 && state.outage?.probing == false)
        state.now = Date(timeIntervalSince1970: 203)
        #expect(ReviewUpdate.update(&state, .tick, env) == [.loadQueue])          // the next, after 2 s
    }

    /// A state in an outage with a kept override of case 1 and a probe on its way.
    func keptState() -> (AppState, ReviewEnvironment, DecisionDraft) {
        let env = ReviewEnvironment(catalog: FakeCatalog(), exportFormats: [], exportDirectory: URL(fileURLWithPath: "/tmp"))
        var state = AppState(user: "alice", size: Size(width: 80, height: 24), now: Date(timeIntervalSince1970: 100), modelName: nil)
        let kept = DecisionDraft(caseID: 1, user: "alice", kind: .override, drg: "293", reasons: ["CC-UNSUPPORTED"])
        state.pendingDecision = PendingDecision(draft: kept, afterSeq: nil)
        state.outage = StoreOutage(message: "down", attempts: 3, retryAt: Date(timeIntervalSince1970: 99), probing: true)
        return (state, env, kept)
    }

    /// The kept decision reaches the server and is refused (its lease lapsed, another coder coded the
    /// case): the server answered, so the outage is over and the screen does not stay in it.
    @Test func aKeptDecisionTheServerRefusesEndsTheOutage() {
        var (state, env, _) = keptState()
        _ = ReviewUpdate.update(&state, .message(.pendingRefused("case c1 is being coded by bob")), env)
        #expect(state.outage == nil && state.pendingDecision == nil)
        #expect(state.flash?.text == "Not recorded: case c1 is being coded by bob")
        (state, env, _) = keptState()
        _ = ReviewUpdate.update(&state, .message(.recordRefused(ChainState(verified: false, count: 3, message: "row 2 was changed"))), env)
        #expect(state.outage == nil && state.pendingDecision == nil)
    }

    /// A probe that fails with something other than an outage does not leave the screen waiting
    /// for it forever: the next try is still made.
    @Test func aProbeThatFailsOtherwiseDoesNotStopTheRetries() {
        var (state, env, kept) = keptState()
        state.pendingDecision = nil
        _ = ReviewUpdate.update(&state, .message(.failed("server error: out of shared memory")), env)
        #expect(state.outage?.probing == false)
        #expect(ReviewUpdate.update(&state, .tick, env) == [.loadQueue])
        _ = kept
    }

    /// A second decision already on its way when the first failed is not kept, and says so.
    @Test func aSecondDecisionOnItsWayIsAnnouncedNotDroppedInSilence() {
        var (state, env, kept) = keptState()
        let second = DecisionDraft(caseID: 1, user: "alice", kind: .undo)
        _ = ReviewUpdate.update(&state, .message(.storeUnreachable("down", decision: second)), env)
        #expect(state.pendingDecision?.draft == kept)
        #expect(state.flash?.text.hasPrefix("Not recorded: undo of case 1") == true)
        state.flash = nil
        _ = ReviewUpdate.update(&state, .message(.storeUnreachable("down", decision: kept)), env)   // the kept one's own retry
        #expect(state.flash == nil && state.pendingDecision?.draft == kept)
    }

    /// The store keeps a blank note as no note: the look before a resend still finds the row.
    @Test func aBlankNoteMatchesTheRowThatStoredNone() {
        let draft = DecisionDraft(caseID: 1, user: "alice", kind: .defer, note: "  \n", timeSpentMilliseconds: 1200)
        let row = LoggedDecision(seq: 7, caseID: 1, caseExternalID: "c1", user: "alice", kind: .defer, note: nil,
                                 timeSpentMilliseconds: 1200, decidedAt: Date())
        #expect(draft.isRecorded(as: row))
        var other = row
        other.note = "something"
        #expect(!draft.isRecorded(as: other))
    }

    @Test func backoffDoublesToTenSeconds() {
        #expect((1...7).map { StoreOutage.backoff(after: $0) } == [1, 2, 4, 8, 10, 10, 10])
    }
}
