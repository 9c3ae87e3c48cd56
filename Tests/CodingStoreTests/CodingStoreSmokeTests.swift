import Testing
@testable import CodingStore

@Test func CodingStoreModuleLinks() {
    #expect(Bool(true))
}
