import DRGKit
import Foundation
import Testing
@testable import ReviewApp

/// The real coordinator on its DispatchQueue, with a scorer that blocks until the test lets it go
/// (no timing: the test waits on semaphores, each with a generous deadline so a bug fails, not hangs).
@Suite struct ScoringCoordinatorTests {
    final class GatedScorer: Scoring, @unchecked Sendable {
        // @unchecked: the semaphores are thread-safe; `started` is guarded by `lock`.
        let lock = NSLock()
        var started: [String] = []
        let began = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        var modelName: String { "gated" }
        func score(text: String, isCancelled: @escaping @Sendable () -> Bool, progress: @escaping @Sendable (Double) -> Void) throws -> ShownPrediction {
            lock.lock(); started.append(text); lock.unlock()
            began.signal()
            while release.wait(timeout: .now() + .milliseconds(5)) == .timedOut {
                if isCancelled() { throw CancellationError() }
            }
            return ShownPrediction(prediction: Sample.prediction, modelName: modelName)
        }
    }

    func waitFor(_ inbox: Inbox, _ seen: inout [Message], until done: ([Message]) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            seen += inbox.drain()
            if done(seen) { return true }
            Thread.sleep(forTimeInterval: 0.002)
        }
        return false
    }

    @Test func switchingCasesCancelsWhatIsNoLongerWanted() throws {
        let clock = FixedClock()
        var cases = Sample.cases(scored: [])
        cases[0].sectionText = "first"; cases[1].sectionText = "second"
        let source = FakeSource(cases: cases, clock: clock)
        let scorer = GatedScorer()
        let inbox = Inbox()
        let coordinator = ScoringCoordinator(scorer: scorer, source: source, inbox: inbox)
        coordinator.want([1, 3])
        #expect(scorer.began.wait(timeout: .now() + 30) == .success)        // case 1 is running
        coordinator.want([2])                                               // the coder moved on
        var seen: [Message] = []
        #expect(waitFor(inbox, &seen) { $0.contains(.scoreCancelled(1)) })
        #expect(scorer.began.wait(timeout: .now() + 30) == .success)        // case 2 started
        scorer.release.signal()
        #expect(waitFor(inbox, &seen) { m in m.contains { if case .scored(2, _) = $0 { return true }; return false } })
        coordinator.waitUntilIdle()
        scorer.lock.lock(); let order = scorer.started; scorer.lock.unlock()
        #expect(order == ["first", "second"])                               // case 3 was dropped from the list
        #expect(source.cases[1].prediction != nil)
        #expect(source.cases[0].prediction == nil)
    }

    @Test func anAlreadyScoredCaseIsNotScoredAgain() throws {
        let source = FakeSource(cases: Sample.cases(scored: [1]), clock: FixedClock())
        let scorer = GatedScorer()
        let inbox = Inbox()
        let coordinator = ScoringCoordinator(scorer: scorer, source: source, inbox: inbox)
        coordinator.want([1])
        var seen: [Message] = []
        #expect(waitFor(inbox, &seen) { m in m.contains { if case .scored(1, _) = $0 { return true }; return false } })
        #expect(scorer.started.isEmpty)
    }
}
