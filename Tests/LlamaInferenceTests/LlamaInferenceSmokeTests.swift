import Testing
@testable import LlamaInference

@Test func LlamaInferenceModuleLinks() {
    #expect(Bool(true))
}
