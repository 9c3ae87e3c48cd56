import DRGKit
import Foundation
import TerminalUI

/// Key-to-frame latency: replays `keys` key presses through the real loop (update, effects on the
/// I/O queue, render, diff) into an `EmbeddedTerminal` while the real model scores the queue in the
/// background, and times each press from handing the key to the loop until its frame is presented.
/// A benchmark, not a test: it reports p50/p99 and checks nothing.
public enum KeyLatencyBenchmark {
    public struct Report: Sendable, CustomStringConvertible {
        public var keys: Int
        public var p50Milliseconds: Double
        public var p99Milliseconds: Double
        public var maxMilliseconds: Double
        public var scoredDuringRun: Int
        public var description: String {
            String(format: "key-to-frame latency over %d keys: p50 %.3f ms, p99 %.3f ms, max %.3f ms (%d cases scored in the background meanwhile)",
                   keys, p50Milliseconds, p99Milliseconds, maxMilliseconds, scoredDuringRun)
        }
    }

    /// The keys replayed, cycling: move through the queue, open, walk the ranking, scroll the note,
    /// jump spans, open and close the help and the picker (typing into it), back to the queue.
    static let script: [Key] = [
        .character("j"), .character("j"), .character("k"), .enter, .character("j"), .character("j"), .character("k"),
        .character("J"), .character("K"), .character("]"), .character("e"), .character("e"), .character("?"), .escape,
        .character("o"), .character("h"), .character("e"), .character("a"), .character("r"), .character("t"), .backspace,
        .escape, .character("z"), .character("z"), .escape, .character("j"),
    ]

    public static func run(keys: Int, state: AppState, environment: ReviewEnvironment, source: ReviewDataSource,
                           scorer: Scorer?, size: Size = Size(width: 120, height: 40)) -> Report {
        var state = state
        state.size = size
        let terminal = EmbeddedTerminal(size: size)
        terminal.keepsAllFrames = false
        let inbox = Inbox()
        let coordinator = scorer.map { ScoringCoordinator(scorer: $0, source: source, inbox: inbox) }
        let runner = DispatchEffectRunner(source: source, codes: environment.codes, scoring: coordinator, inbox: inbox, user: state.user)
        let loop = ReviewLoop(state: state, environment: environment, terminal: terminal, runner: runner, inbox: inbox, clock: SystemClock())
        loop.start()
        runner.drain()
        loop.drainInbox()
        // Score the whole queue in the background while keys are replayed.
        coordinator?.want(loop.state.queue.filter { !$0.isScored }.map(\.id))
        var samples: [Double] = []
        samples.reserveCapacity(keys)
        let scoredBefore = loop.state.queue.filter(\.isScored).count
        for i in 0..<keys {
            let key = script[i % script.count]
            let start = DispatchTime.now().uptimeNanoseconds
            loop.handle(.input(.key(key)))
            loop.drainInbox()
            loop.present()
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
            if loop.state.quitRequested { break }
        }
        coordinator?.cancelAll()
        coordinator?.waitUntilIdle()
        runner.drain()
        loop.drainInbox()
        let scoredDuring = loop.state.queue.filter(\.isScored).count - scoredBefore
        let sorted = samples.sorted()
        func pct(_ p: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * p))] }
        return Report(keys: samples.count, p50Milliseconds: pct(0.5), p99Milliseconds: pct(0.99), maxMilliseconds: sorted.last ?? 0,
                      scoredDuringRun: scoredDuring)
    }
}

