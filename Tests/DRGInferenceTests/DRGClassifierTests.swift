import DRGKit
import Foundation
import TestSupport
import Testing
@testable import DRGInference
@testable import LlamaInference

/// Text → DRGs end to end: the real LLaMA-2 / LLaMA-3 tokenizers from shared/reference (linked into a
/// temporary model directory, never copied into the fixtures) feeding the fixture models.
@Suite struct DRGClassifierTests {
    /// A model directory: the fixture's config and weights, plus `tokenizer.json` linked from shared/.
    static func modelDirectory(fixture: String, tokenizer: String) throws -> TemporaryDirectory {
        let temp = try TemporaryDirectory()
        let source = Fixtures.model(fixture)
        for name in try FileManager.default.contentsOfDirectory(atPath: source.path)
        where name.hasSuffix(".safetensors") || name.hasSuffix(".json") && name != "cases.json" {
            try FileManager.default.createSymbolicLink(at: temp.url.appendingPathComponent(name),
                                                       withDestinationURL: source.appendingPathComponent(name))
        }
        try FileManager.default.createSymbolicLink(at: temp.url.appendingPathComponent("tokenizer.json"),
                                                   withDestinationURL: SharedReference.url("llama-tokenizers/\(tokenizer)"))
        return temp
    }

    static let models: [(fixture: String, tokenizer: String, labels: String)] = [
        ("llama2-f16", "llama2-spm.tokenizer.json", "drg-llama-single"),
        ("llama3-bf16", "llama3-bpe.tokenizer.json", "drg-llama-two"),
    ]

    @Test(arguments: models.map(\.fixture))
    func textToLogitsMatchesTransformersThroughTheRealTokenizer(_ fixture: String) throws {
        let spec = try #require(Self.models.first { $0.fixture == fixture }, "no model spec for \(fixture)")
        let directory = try Self.modelDirectory(fixture: spec.fixture, tokenizer: spec.tokenizer)
        defer { directory.cleanUp() }
        // The references are transformers in f32 on the stored weights: the exact widening path, not the
        // bf16 kernel (which rounds activations to bf16; its bounds are NativeKernelTests' and DemoPrecision's).
        let classifier = try DRGClassifier.load(modelDirectory: directory.url, adapterDirectory: nil, labels: nil, threads: 1,
                                                kernels: .widening)
        #expect(classifier.identity.labelSpace == spec.labels)  // inferred from the head's size
        for reference in try Fixtures.cases(spec.fixture) {
            let text = try #require(reference.text)
            let result = try classifier.predict(text: text)
            #expect(result.tokenIDs == reference.tokenIDs, "\(reference.name): token ids differ")
            #expect(result.truncated == reference.truncated)
            let worst = maxAbsoluteDifference(result.logits, reference.logits)
            #expect(worst.value <= Float(1e-4), "\(reference.name): |Δ| \(worst.value)")
            let total = result.prediction.baseDRGs.reduce(0) { $0 + $1.probability }
            #expect(abs(total - 1) < 1e-6)
            #expect(!result.prediction.ranked.isEmpty)
        }
    }

    /// Weights quantized at load answer differently, so they are another model: batch scoring must not
    /// skip a case the stored weights scored, and an auditor must see which ran.
    @Test func weightsQuantizedAtLoadAreAnotherModel() throws {
        let directory = try Self.modelDirectory(fixture: "llama2-f16", tokenizer: "llama2-spm.tokenizer.json")
        defer { directory.cleanUp() }
        let stored = try DRGClassifier.load(modelDirectory: directory.url, adapterDirectory: nil, labels: "drg-llama-single", threads: 1)
        let q8 = try DRGClassifier.load(modelDirectory: directory.url, adapterDirectory: nil, labels: "drg-llama-single", threads: 1,
                                        weightFormat: .q8)
        #expect(q8.identity.weightsSHA256 == "q8:" + stored.identity.weightsSHA256)
        #expect(q8.identity.key != stored.identity.key)
    }

    @Test func identityHashesTheWeightFiles() throws {
        let directory = try Self.modelDirectory(fixture: "llama2-f16", tokenizer: "llama2-spm.tokenizer.json")
        defer { directory.cleanUp() }
        let classifier = try DRGClassifier.load(modelDirectory: directory.url, adapterDirectory: nil, labels: "drg-llama-single", threads: 1)
        // sha256sum Tests/LlamaInferenceTests/Fixtures/llama2-f16/model.safetensors
        #expect(classifier.identity.weightsSHA256 == "ffadbd21206985f0434498502057fabb00ff1332e8fbe303a45e6b25c0118b61")
        #expect(classifier.identity.adapterSHA256 == nil)
        let json = try JSONEncoder().encode(classifier.identity)
        #expect(try JSONDecoder().decode(ModelIdentity.self, from: json) == classifier.identity)
    }

    @Test func nonFiniteLogitsAreAnError() throws {
        let directory = try Self.modelDirectory(fixture: "llama2-f16", tokenizer: "llama2-spm.tokenizer.json")
        defer { directory.cleanUp() }
        // A copy of the weights whose score head is NaN.
        let weights = directory.url.appendingPathComponent("model.safetensors")
        var bytes = try Data(contentsOf: weights)
        try FileManager.default.removeItem(at: weights)
        let file = try SafeTensorsFile(buffer: ByteBuffer(copying: bytes), path: "copy")
        let head = try #require(file.tensors["score.weight"])
        let start = head.buffer.base.distance(to: head.bytes)   // the head's first byte in the file
        let nan: [UInt8] = head.dtype == .f16 ? [0x00, 0x7E] : head.dtype == .bf16 ? [0xC0, 0x7F] : [0x00, 0x00, 0xC0, 0x7F]
        for i in stride(from: 0, to: head.byteCount, by: nan.count) { bytes.replaceSubrange((start + i)..<(start + i + nan.count), with: nan) }
        try bytes.write(to: weights)
        let classifier = try DRGClassifier.load(modelDirectory: directory.url, adapterDirectory: nil, labels: "drg-llama-single", threads: 1)
        #expect(throws: ClassifierError.self) { try classifier.predict(text: "Brief Hospital Course: chest pain") }
        do { _ = try classifier.predict(text: "chest pain") } catch { #expect("\(error)".contains("not finite")) }
    }

    @Test func mismatchedLabelSpacesAndEmptyTextAreOneLineErrors() throws {
        let directory = try Self.modelDirectory(fixture: "llama2-f16", tokenizer: "llama2-spm.tokenizer.json")
        defer { directory.cleanUp() }
        #expect {
            try DRGClassifier.load(modelDirectory: directory.url, adapterDirectory: nil, labels: "drg-llama-two", threads: 1)
        } throws: { "\($0)".contains("345") && "\($0)".contains("738") }
        #expect(throws: (any Error).self) {
            try DRGClassifier.load(modelDirectory: directory.url, adapterDirectory: nil, labels: "no-such-space.json", threads: 1)
        }
        let classifier = try DRGClassifier.load(modelDirectory: directory.url, adapterDirectory: nil, labels: nil, threads: 1)
        #expect(throws: ClassifierError.emptyText) { try classifier.predict(text: " \n\t ") }
        #expect(throws: CancellationError.self) { try classifier.predict(text: "sepsis", isCancelled: { true }) }
    }

    @Test func resultEncodesAsPredictJSON() throws {
        let directory = try Self.modelDirectory(fixture: "llama2-f16", tokenizer: "llama2-spm.tokenizer.json")
        defer { directory.cleanUp() }
        let classifier = try DRGClassifier.load(modelDirectory: directory.url, adapterDirectory: nil, labels: nil, threads: 1)
        let result = try classifier.predict(text: "Admitted with pneumonia.", maxTokens: 4)
        #expect(result.tokenIDs.count == 4 && result.truncated)
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(result)) as? [String: Any]
        // The contract's keys, plus read_up_to (issue 16) because the text was cut: where the last token read ends.
        #expect(Set(object?.keys.map { $0 } ?? []) == ["token_ids", "truncated", "logits", "ranked", "base_drgs", "cc_mcc", "evidence", "elapsed_ms", "read_up_to"])
        let readUpTo = try #require(object?["read_up_to"] as? Int)
        #expect(readUpTo > 0 && readUpTo < "Admitted with pneumonia.".unicodeScalars.count)
        let decoded = try JSONDecoder().decode(ClassifierResult.self, from: JSONEncoder().encode(result))
        #expect(decoded.tokenIDs == result.tokenIDs && decoded.prediction == result.prediction)
    }
}
