import Foundation
import TerminalUI

/// Drives the review program in memory, lazygit style: tests and the key-latency benchmark press
/// keys *by action name*, the driver finds the key in the key-binding table for the scopes active
/// now, runs update, the effects (inline) and render, and keeps the frame.
///
/// ```swift
/// let driver = ReviewDriver(state: state, environment: env, source: store, scorer: fake, clock: clock)
/// driver.start()
/// try driver.press(.claimNext)
/// driver.scoreWanted()
/// try driver.press(.acceptTop)
/// #expect(driver.frame.text.contains("Accepted DRG 291"))
/// ```
public final class ReviewDriver {
    public let terminal: EmbeddedTerminal
    public let runner: InlineEffectRunner
    public let loop: ReviewLoop

    public init(state: AppState, environment: ReviewEnvironment, source: ReviewDataSource, scorer: Scoring?, clock: ReviewClock) {
        terminal = EmbeddedTerminal(size: state.size)
        let inbox = Inbox()
        runner = InlineEffectRunner(source: source, scorer: scorer, inbox: inbox, user: state.user)
        loop = ReviewLoop(state: state, environment: environment, terminal: terminal, runner: runner, inbox: inbox, clock: clock)
    }

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

    /// Lets background scoring finish for the wanted cases, then redraws.
    public func scoreWanted(limit: Int = .max) {
        runner.scoreWanted(limit: limit)
        loop.drainInbox()
        loop.present()
    }

    /// A tick (spinner frame).
    public func tick() { loop.handle(.tick); loop.present() }
}

public struct DriverError: Error, CustomStringConvertible {
    public var description: String
    init(_ d: String) { description = d }
}
