#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import TerminalUI

/// The event loop: read an input event (waiting at most a tick), update, run the effects, drain
/// the inbox, act on signals, render and present. It owns nothing global: the terminal, the
/// effect runner and the clock are handed in.
///
/// Signals (see `SignalWatch`): SIGINT/SIGTERM/SIGHUP end the loop cleanly (the caller closes the
/// terminal); SIGTSTP suspends the terminal, stops the process, and on continue resumes and
/// redraws everything; the loop checks for them every tick.
public final class ReviewLoop {
    public private(set) var state: AppState
    public let environment: ReviewEnvironment
    private let terminal: Terminal
    private let runner: EffectRunner
    private let inbox: Inbox
    private let clock: ReviewClock
    private let watchSignals: Bool
    /// Milliseconds between ticks when nothing happens.
    public var tickMilliseconds = 80
    /// Seconds between reloads of what other users change.
    public var refreshSeconds: Double = 5
    /// Why the loop ended, when a signal ended it.
    public private(set) var endingSignal: Int32?

    public init(state: AppState, environment: ReviewEnvironment, terminal: Terminal, runner: EffectRunner,
                inbox: Inbox, clock: ReviewClock, watchSignals: Bool = false) {
        self.state = state; self.environment = environment; self.terminal = terminal
        self.runner = runner; self.inbox = inbox; self.clock = clock; self.watchSignals = watchSignals
    }

    /// Starts: sizes the state to the terminal, runs the start effects, draws the first frame.
    public func start() {
        state.size = terminal.size
        state.now = clock.now()
        run(ReviewUpdate.start(state))
        drainInbox()
        present()
    }

    /// Runs until the user quits or a signal ends the program.
    public func run() {
        start()
        var lastTick = clock.now(), lastRefresh = clock.now()
        while !state.quitRequested {
            if watchSignals { handleSignals() }
            if state.quitRequested { break }
            let event = terminal.nextEvent(timeoutMilliseconds: tickMilliseconds)
            var changed = false
            if let event { handle(.input(event)); changed = true }
            if drainInbox() { changed = true }
            let now = clock.now()
            if now.timeIntervalSince(lastTick) * 1000 >= Double(tickMilliseconds) {
                lastTick = now
                if state.isScoring || state.flash != nil || state.outage != nil { handle(.tick); changed = true }
            }
            if now.timeIntervalSince(lastRefresh) >= refreshSeconds {
                lastRefresh = now
                handle(.refresh)
            }
            if changed { present() }
        }
        runner.run(.wantScores([]))
        // q, Ctrl-C, SIGTERM and SIGHUP all end here: give the open case back (a crash leaves the
        // lease to expire). The program drains the runner before it exits.
        if let id = state.session?.id { runner.run(.releaseClaim(id)) }
    }

    /// Handles one event and runs the effects it asks for.
    public func handle(_ event: AppEvent) {
        state.now = clock.now()
        run(ReviewUpdate.update(&state, event, environment))
    }

    /// Delivers every message background work posted; returns whether there were any.
    @discardableResult
    public func drainInbox() -> Bool {
        var any = false
        var messages = inbox.drain()
        while !messages.isEmpty {
            any = true
            for m in messages { handle(.message(m)) }
            messages = inbox.drain()
        }
        return any
    }

    /// Renders the state and shows it.
    public func present() {
        terminal.present(ReviewRender.render(state, environment))
    }

    private func run(_ effects: [Effect]) {
        for e in effects { runner.run(e) }
    }

    private func handleSignals() {
        for sig in SignalWatch.pendingSignals() {
            switch sig {
            case SIGINT, SIGTERM, SIGHUP:
                endingSignal = sig
                state.quitRequested = true
            case SIGTSTP:
                terminal.suspend()
                SignalWatch.stopSelf()
                terminal.resume()
                state.size = terminal.size
                present()
            case SIGCONT:
                terminal.resume()
                state.size = terminal.size
                present()
            default:
                break
            }
        }
    }
}
