import Testing
@testable import DRGKit

@Test func DRGKitModuleLinks() {
    #expect(Bool(true))
}
