import Foundation
import Testing
import TestSupport
@testable import DRGInference
@testable import LlamaInference

/// The shipped demo model (`models/demo`) through the Swift engine against transformers' logits,
/// written by `training/package_demo.py` into `models/demo/reference_logits.json` for the first
/// 20 demo cases (test split). Token ids must be identical and every logit within 1e-4.
@Suite("Demo model vs transformers")
struct DemoModelTests {
    struct Reference: Decodable {
        struct Case: Decodable { var id: String; var token_ids: [Int]; var logits: [Float] }
        var cases: [Case]
    }
    struct DemoCase: Decodable { var id: String; var text: String }

    static let demoDirectory = SharedReference.projectRoot.appendingPathComponent("models/demo")

    static func load() throws -> (DRGClassifier, [Reference.Case], [String: String]) {
        let classifier = try DRGClassifier.load(modelDirectory: demoDirectory, adapterDirectory: nil, labels: nil, threads: 2)
        let reference = try JSONDecoder().decode(
            Reference.self, from: Data(contentsOf: demoDirectory.appendingPathComponent("reference_logits.json")))
        let lines = try String(contentsOf: demoDirectory.appendingPathComponent("demo_cases.jsonl"), encoding: .utf8)
            .split(separator: "\n")
        var texts: [String: String] = [:]
        for line in lines {
            let demo = try JSONDecoder().decode(DemoCase.self, from: Data(line.utf8))
            texts[demo.id] = demo.text
        }
        return (classifier, reference.cases, texts)
    }

    @Test func logitsEqualTransformersOnTheReferenceCases() throws {
        let (classifier, cases, texts) = try Self.load()
        #expect(cases.count == 20)
        var worst: Float = 0
        for reference in cases {
            let text = try #require(texts[reference.id], "\(reference.id) is not in demo_cases.jsonl")
            let result = try classifier.predict(text: text)
            #expect(result.tokenIDs == reference.token_ids, "\(reference.id): token ids differ")
            try #require(result.logits.count == reference.logits.count)
            let difference = zip(result.logits, reference.logits).map { abs($0 - $1) }.max() ?? .infinity
            worst = max(worst, difference)
            #expect(difference <= 1e-4, "\(reference.id): max |Δlogit| \(difference)")
        }
        print("demo model: max |logit difference| vs transformers over \(cases.count) cases: \(worst)")
    }
}
