import Testing
@testable import TerminalUI

@Test func TerminalUIModuleLinks() {
    #expect(Bool(true))
}
