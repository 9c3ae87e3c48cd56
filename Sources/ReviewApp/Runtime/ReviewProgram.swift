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
        SignalWatch.install(ttyFD: STDOUT_FILENO)
        defer { SignalWatch.uninstall() }
        let terminal = try NcursesTerminal(theme: theme)
        defer { terminal.close() }
        let inbox = Inbox()
        let coordinator = scorer.map { ScoringCoordinator(scorer: $0, source: source, inbox: inbox) }
        let runner = DispatchEffectRunner(source: source, scoring: coordinator, inbox: inbox, user: state.user)
        let loop = ReviewLoop(state: state, environment: environment, terminal: terminal, runner: runner,
                              inbox: inbox, clock: clock, watchSignals: true)
        // Test hook for the end-to-end crash test: draw the first frame, then crash as a bug would, so
        // the test can check that the crash handler gave the terminal back.
        if ProcessInfo.processInfo.environment["DRGCODER_TEST_CRASH"] == "1" {
            loop.start()
            raise(SIGSEGV)
        }
        loop.run()
        coordinator?.cancelAll()
        coordinator?.waitUntilIdle()      // a cancelled job stops at the next layer; nothing runs at exit
        runner.drain()
        return Outcome(decisions: loop.state.recordedCount, endingSignal: loop.endingSignal)
    }
}
