import Testing
@testable import ReviewApp

@Test func ReviewAppModuleLinks() {
    #expect(Bool(true))
}
