import Testing
@testable import DRGCoderCLI

@Test func DRGCoderCLIModuleLinks() {
    #expect(Bool(true))
}
