import Foundation
import Testing
import TerminalUI
@testable import ReviewApp

/// Issue 16: the keys a coder presses on the common paths, counted by pressing them (raw keys, as
/// typed). docs/KEYBINDINGS.md's "Keystrokes" table quotes these numbers.
@Suite struct KeystrokeTests {
    /// Presses `keys` (characters; "⏎" is Enter) and returns how many were pressed.
    @discardableResult
    func press(_ driver: ReviewDriver, _ keys: String) -> Int {
        for c in keys { driver.send(.key(c == "⏎" ? .enter : .character(c))) }
        return keys.count
    }

    @Test func acceptAndMoveOn() throws {
        let (d, source, _) = Sample.driver(scored: [1, 2])
        press(d, "n")
        #expect(press(d, "an") == 2)                                           // accept, next case
        #expect(source.log.map(\.kind) == [.accept] && d.state.session?.id == 2)
        var settings = ReviewSettings()
        settings.advanceAfterDecision = true
        let (e, moved, _) = Sample.driver(scored: [1, 2], settings: settings)
        press(e, "n")
        #expect(press(e, "a") == 1)                                            // with advance_after_decision
        #expect(moved.log.map(\.kind) == [.accept] && e.state.session?.id == 2)
    }

    @Test func overrideByCodeWithAReason() throws {
        let (d, source, _) = Sample.driver()
        press(d, "n")
        #expect(press(d, "o293⏎3⏎") == 7)                                      // picker, code, reason CC-UNSUPPORTED
        #expect(source.log.last?.chosenDRG == "293" && source.log.last?.reasons == ["CC-UNSUPPORTED"])
        let (e, other, _) = Sample.driver()
        press(e, "n")
        #expect(press(e, "jj⏎3⏎") == 5)                                        // the same DRG from the ranking
        #expect(other.log.last?.chosenDRG == "293" && other.log.last?.reasons == ["CC-UNSUPPORTED"])
    }

    @Test func openACaseByID() throws {
        let (d, _, _) = Sample.driver()
        #expect(press(d, "/1004⏎") == 6)                                       // from the queue
        #expect(d.state.session?.id == 4)
        #expect(press(d, "/1002⏎") == 6)                                       // from an open case
        #expect(d.state.session?.id == 2)
    }
}
