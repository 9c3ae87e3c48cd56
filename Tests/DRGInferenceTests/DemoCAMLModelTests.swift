import Foundation
import TestSupport
import Testing
@testable import DRGInference

/// The shipped demo CAML model (models/demo-caml, training/caml/train_demo_caml.py): it loads as a
/// CAML directory, and on three held-out synthetic notes the Swift preprocessing gives the ids and the
/// forward pass the logits that PyTorch gave when it was trained.
@Suite struct DemoCAMLModelTests {
    static let directory = SharedReference.projectRoot.appendingPathComponent("models/demo-caml")

    /// reference_logits.json: `{"summary": …, "cases": [{"text", "input_ids", "logits", "top_drg", …}]}`.
    struct Reference: Decodable { var cases: [CAMLFixtures.Case] }

    @Test func theDemoModelGivesPyTorchsLogits() throws {
        #expect(CAMLClassifier.isCAMLDirectory(Self.directory))
        let caml = try CAMLClassifier.load(directory: Self.directory)
        #expect(caml.rules.system == .msDRG && caml.rules.path.hasSuffix("MSDRG_RULE43.csv"))
        let reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: Self.directory.appendingPathComponent("reference_logits.json")))
        #expect(reference.cases.count == 3)
        for c in reference.cases {
            let result = try caml.predict(text: c.text)
            #expect(result.result.tokenIDs == c.inputIDs)
            #expect(worstRelative(result.result.logits, c.logits).value <= 1e-4)
            #expect(result.result.prediction.ranked.first?.drg == CAMLLabelRules.threeDigits(Int(c.topDRG) ?? -1))
        }
    }
}
