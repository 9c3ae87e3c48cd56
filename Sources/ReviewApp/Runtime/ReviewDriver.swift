import DRGKit
import Foundation
import TerminalUI

/// Drives the review program in memory, lazygit style: tests press keys *by action name*, the
/// driver finds the key in the key-binding table for the scopes active now, runs update, the store
/// effects (inline) and render, and keeps the frame. Scoring runs in the real `ScoringCoordinator`
/// on its own queue, as in the program; `waitFor` delivers its results with a deadline.
///
/// ```swift
/// let driver = ReviewDriver(state: state, environment: env, source: store, scorer: gated, clock: clock)
/// driver.start()
/// try driver.press(.claimNext)
/// gated.release()                                   // the fake model may answer now
/// try driver.waitFor("the case to be scored") { $0.session?.prediction != nil }
/// try driver.press(.acceptTop)
/// #expect(driver.frame.text.contains("Accepted DRG 291"))
/// ```
///
/// Dropping the driver cancels whatever the coordinator is still scoring.
public final class ReviewDriver {
    public let terminal: EmbeddedTerminal
    public let runner: InlineEffectRunner
    public let loop: ReviewLoop
    /// The real coordinator (nil without a model).
    public let coordinator: ScoringCoordinator?

    /// The live-queue feed, when `liveQueue` asked for one and the source has one.
    public let feed: QueueFeed?

    /// `liveQueue`: start the source's live feed, as the program does (tests of other things leave
    /// it off, so the queue reloads only when they say).
    public init(state: AppState, environment: ReviewEnvironment, source: ReviewDataSource, scorer: Scorer?, clock: ReviewClock,
                liveQueue: Bool = false) {
        terminal = EmbeddedTerminal(size: state.size)
        let inbox = Inbox()
        coordinator = scorer.map { ScoringCoordinator(scorer: $0, source: source, inbox: inbox) }
        runner = InlineEffectRunner(source: source, codes: environment.codes, scoring: coordinator, inbox: inbox, user: state.user)
        var state = state
        feed = liveQueue ? (try? source.watchQueue { inbox.post(.queueChanged) }) ?? nil : nil
        state.liveQueue = feed != nil
        loop = ReviewLoop(state: state, environment: environment, terminal: terminal, runner: runner, inbox: inbox, clock: clock)
    }

    deinit { coordinator?.cancelAll(); feed?.cancel() }

    public var state: AppState { loop.state }
    /// The last frame presented.
    public var frame: CellBuffer { terminal.lastFrame ?? CellBuffer(size: .zero) }

    public func start() { loop.start() }

    /// Presses the first key bound to `action` in the active scopes.
    public func press(_ action: Action) throws {
        guard let key = ReviewKeyMap.table.key(for: action, in: state.activeScopes) else {
            throw DriverError("no key for \(action) in \(state.activeScopes.map(\.rawValue))")
        }
        send(.key(key))
    }

    /// Sends raw input (a key that is typed text, a mouse click, a resize).
    public func send(_ event: InputEvent) {
        if case .resize(let size) = event { terminal.resize(to: size); _ = terminal.nextEvent(timeoutMilliseconds: 0) }
        loop.handle(.input(event))
        loop.drainInbox()
        loop.present()
    }

    /// Types text into the field that has focus.
    public func type(_ text: String) {
        for c in text { send(.key(.character(c))) }
    }

    /// Delivers what background scoring posts until `done` holds for the state, then redraws;
    /// throws after `timeout` seconds (a bug fails the test instead of hanging it).
    public func waitFor(_ what: String, timeout: TimeInterval = 10, _ done: (AppState) -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if loop.drainInbox() { loop.present() }
            if done(state) { return }
            guard Date() < deadline else { throw DriverError("timed out after \(Int(timeout)) s waiting for \(what)") }
            Thread.sleep(forTimeInterval: 0.001)
        }
    }

    /// A tick (spinner frame).
    public func tick() { loop.handle(.tick); loop.present() }
}

public struct DriverError: Error, CustomStringConvertible {
    public var description: String
    init(_ d: String) { description = d }
}
