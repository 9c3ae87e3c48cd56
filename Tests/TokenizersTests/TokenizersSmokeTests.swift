import Testing
@testable import Tokenizers

@Test func TokenizersModuleLinks() {
    #expect(Bool(true))
}
