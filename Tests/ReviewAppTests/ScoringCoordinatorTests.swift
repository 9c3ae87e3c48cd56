import DRGKit
import Foundation
import Testing
import TestSupport
@testable import ReviewApp

/// The real coordinator on its DispatchQueue, with a fake model that blocks until the test lets it
/// go (`GatedScorer`; no timing: the test waits on semaphores, each with a generous deadline so a bug
/// fails, not hangs). Everything read across threads is read under a lock.
@Suite struct ScoringCoordinatorTests {
    /// Collects the inbox's messages into `seen` until `done` holds; false after 30 s.
    func waitFor(_ inbox: Inbox, _ seen: inout [Message], until done: ([Message]) -> Bool) -> Bool {
        var collected = seen
        defer { seen = collected }
        return waitUntil(timeout: 30) { collected += inbox.drain(); return done(collected) }
    }

    @Test func switchingCasesCancelsWhatIsNoLongerWanted() throws {
        let clock = FixedClock()
        var cases = Sample.cases(scored: [])
        cases[0].sectionText = "first"; cases[1].sectionText = "second"
        let source = FakeSource(cases: cases, clock: clock)
        let scorer = GatedScorer(prediction: Sample.prediction)
        let inbox = Inbox()
        let coordinator = ScoringCoordinator(scorer: scorer, source: source, inbox: inbox)
        coordinator.want([1, 3])
        #expect(scorer.began.wait(timeout: .now() + 30) == .success)        // case 1 is running
        coordinator.want([2])                                               // the coder moved on
        var seen: [Message] = []
        #expect(waitFor(inbox, &seen) { $0.contains(.scoreCancelled(1)) })
        #expect(scorer.began.wait(timeout: .now() + 30) == .success)        // case 2 started
        scorer.release()
        #expect(waitFor(inbox, &seen) { m in m.contains { if case .scored(2, _) = $0 { return true }; return false } })
        coordinator.waitUntilIdle()
        #expect(scorer.started == ["first", "second"])     // case 3 was dropped from the list
        #expect(source.cases[1].prediction != nil)
        #expect(source.cases[0].prediction == nil)
    }

    /// Issue 16: a case left by switching (its job cancelled) is scored when the coder comes back.
    @Test func aCancelledCaseIsScoredWhenWantedAgain() throws {
        var cases = Sample.cases(scored: [])
        cases[0].sectionText = "first"; cases[1].sectionText = "second"
        let source = FakeSource(cases: cases, clock: FixedClock())
        let scorer = GatedScorer(prediction: Sample.prediction)
        let inbox = Inbox()
        let coordinator = ScoringCoordinator(scorer: scorer, source: source, inbox: inbox)
        coordinator.want([1])
        #expect(scorer.began.wait(timeout: .now() + 30) == .success)        // case 1 is running
        coordinator.want([2])                                               // the coder switched away
        var seen: [Message] = []
        #expect(waitFor(inbox, &seen) { $0.contains(.scoreCancelled(1)) })
        #expect(scorer.began.wait(timeout: .now() + 30) == .success)        // case 2 started
        scorer.release()
        #expect(waitFor(inbox, &seen) { m in m.contains { if case .scored(2, _) = $0 { return true }; return false } })
        coordinator.want([1])                                               // ... and came back
        #expect(scorer.began.wait(timeout: .now() + 30) == .success)        // case 1 runs again
        scorer.release()
        #expect(waitFor(inbox, &seen) { m in m.contains { if case .scored(1, _) = $0 { return true }; return false } })
        coordinator.waitUntilIdle()
        #expect(scorer.started == ["first", "second", "first"])
        #expect(source.cases[0].prediction != nil)
    }

    @Test func anAlreadyScoredCaseIsNotScoredAgain() throws {
        let source = FakeSource(cases: Sample.cases(scored: [1]), clock: FixedClock())
        let scorer = GatedScorer(prediction: Sample.prediction)
        let inbox = Inbox()
        let coordinator = ScoringCoordinator(scorer: scorer, source: source, inbox: inbox)
        coordinator.want([1])
        var seen: [Message] = []
        #expect(waitFor(inbox, &seen) { m in m.contains { if case .scored(1, _) = $0 { return true }; return false } })
        #expect(scorer.started.isEmpty)
    }
}
