#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DRGKit
import Foundation
import TerminalUI

/// The interactive program: takes the terminal, runs the loop, gives the terminal back.
///
/// Order matters: signal handlers go in (and the signals are unblocked in this thread) *before*
/// ncurses starts and before any Dispatch worker exists, so no thread inherits a blocked mask and
/// ncurses does not install handlers of its own over ours; the terminal is closed on every way out
/// of the loop (quit, SIGINT/SIGTERM/SIGHUP), and crash signals restore it from the handler.
public enum ReviewProgram {
    public struct Outcome: Sendable {
        public var decisions: Int
        public var endingSignal: Int32?
    }

    public static func runInteractive(state: AppState, environment: ReviewEnvironment, source: ReviewDataSource,
                                      scorer: Scorer?, theme: Theme, clock: ReviewClock = SystemClock()) throws -> Outcome {
        let session = try Session(state: state, environment: environment, source: source, scorer: scorer, theme: theme, clock: clock)
        defer { session.close() }
        return session.run()
    }

    /// The program between taking the terminal and giving it back: `runInteractive` is
    /// `Session(…)`, `run()`, `close()`. Opening one installs the signal handlers, then starts
    /// ncurses. (The crash test's helper, `review-crash`, opens one the same way, draws the first
    /// frame with `loop.start()` and crashes.)
    public final class Session {
        public let loop: ReviewLoop
        private let terminal: NcursesTerminal
        private let coordinator: ScoringCoordinator?
        private let runner: DispatchEffectRunner
        private let feed: QueueFeed?
        private var closed = false

        public init(state: AppState, environment: ReviewEnvironment, source: ReviewDataSource,
                    scorer: Scorer?, theme: Theme, clock: ReviewClock = SystemClock()) throws {
            SignalWatch.install(ttyFD: STDOUT_FILENO)
            do { terminal = try NcursesTerminal(theme: theme) } catch { SignalWatch.uninstall(); throw error }
            let inbox = Inbox()
            coordinator = scorer.map { ScoringCoordinator(scorer: $0, source: source, inbox: inbox) }
            runner = DispatchEffectRunner(source: source, codes: environment.codes, scoring: coordinator, inbox: inbox, user: state.user)
            // The live queue: the store says when it changed; without a feed the timer reloads.
            var state = state
            feed = try? source.watchQueue { inbox.post(.queueChanged) }
            state.liveQueue = feed != nil
            loop = ReviewLoop(state: state, environment: environment, terminal: terminal, runner: runner,
                              inbox: inbox, clock: clock, watchSignals: true)
        }

        /// Runs the loop until the user quits or a signal ends it; then stops background work.
        public func run() -> Outcome {
            loop.run()
            feed?.cancel()
            coordinator?.cancelAll()
            coordinator?.waitUntilIdle()      // a cancelled job stops at the next layer; nothing runs at exit
            runner.drain()
            return Outcome(decisions: loop.state.recordedCount, endingSignal: loop.endingSignal)
        }

        /// Gives the terminal back and removes the signal handlers (once).
        public func close() {
            guard !closed else { return }
            closed = true
            terminal.close()
            SignalWatch.uninstall()
        }
    }
}
