import Foundation
import Testing
@testable import DRGInference

/// The committed CAML fixtures (training/fixtures/make_caml_fixtures.py, run on
/// JHLiu7/EarlyDRGPrediction's own code): ms-k5, ms-k4 and apr model directories with reference.json.
enum CAMLFixtures {
    static var directory: URL {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)?.appendingPathComponent("caml")
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/caml")
    }
    static func model(_ name: String) -> URL { directory.appendingPathComponent(name) }
    static let names = ["ms-k5", "ms-k4", "apr"]

    struct Case: Decodable, Sendable {
        var text: String
        var tokens: [String]?       // fixtures only (the demo model's reference has none)
        var inputIDs: [Int]
        var logits: [Double]
        var topIndex: Int?          // fixtures only
        var topDRG: String
        enum CodingKeys: String, CodingKey {
            case text, tokens, inputIDs = "input_ids", logits, topIndex = "top_index", topDRG = "top_drg"
        }
    }

    struct Reference: Decodable, Sendable {
        var cohort: String
        var y: Int
        var labels: [String]
        var kernel: Int
        var cases: [Case]
        enum CodingKeys: String, CodingKey { case cohort, y = "Y", labels, kernel, cases }
    }

    static func reference(_ name: String) throws -> Reference {
        try JSONDecoder().decode(Reference.self, from: Data(contentsOf: model(name).appendingPathComponent("reference.json")))
    }

    /// A scratch copy of a fixture directory, to break one file of it.
    static func copy(_ name: String) throws -> URL {
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("caml-\(name)-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: model(name), to: target)
        return target
    }
}

/// Worst `|a − b| / max(|b|, 1)` and where (the 1e-4 "relative" of the issue, absolute near zero).
func worstRelative(_ a: [Float], _ b: [Double]) -> (value: Double, index: Int) {
    guard a.count == b.count else { return (.infinity, -1) }
    var worst = (0.0, -1)
    for i in a.indices {
        let d = abs(Double(a[i]) - b[i]) / max(abs(b[i]), 1)
        if d > worst.0 || d.isNaN { worst = (d, i) }
    }
    return worst
}
