import Foundation
import TestSupport
import Testing

/// `drgcoder predict` and `bench` on the CAML fixtures (Tests/DRGInferenceTests/Fixtures/caml, made by
/// training/fixtures/make_caml_fixtures.py with JHLiu7/EarlyDRGPrediction's own code).
@Suite("CAML commands", .serialized)
struct CAMLCommandTests {
    static let fixtures = SharedReference.projectRoot.appendingPathComponent("Tests/DRGInferenceTests/Fixtures/caml")

    struct Reference: Decodable {
        struct Case: Decodable {
            var text: String
            var inputIDs: [Int]
            var logits: [Double]
            var topDRG: String
            enum CodingKeys: String, CodingKey { case text, inputIDs = "input_ids", logits, topDRG = "top_drg" }
        }
        var cases: [Case]
    }

    static func predict(_ name: String, _ text: String, _ extra: [String] = []) throws -> (status: Int32, json: [String: Any]?, err: String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("caml-note-\(UUID().uuidString).txt")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let run = try drgcoder(["predict", "--model", fixtures.appendingPathComponent(name).path, "--json"] + extra + [file.path])
        let json = try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        return (run.status, json, run.stderr)
    }

    @Test(arguments: ["ms-k5", "ms-k4", "apr"])
    func predictJSONHasTheRepositoryLogitsAndTopDRG(name: String) throws {
        let reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: Self.fixtures.appendingPathComponent("\(name)/reference.json")))
        for c in reference.cases {
            let run = try Self.predict(name, c.text)
            #expect(run.status == 0, "\(run.err)")
            let json = try #require(run.json)
            #expect(json["token_ids"] as? [Int] == c.inputIDs)
            let logits = try #require(json["logits"] as? [Double])
            #expect(logits.count == c.logits.count)
            for (a, b) in zip(logits, c.logits) { #expect(abs(a - b) <= 1e-4 * max(abs(b), 1), "\(a) vs \(b)") }
            let ranked = try #require(json["ranked"] as? [[String: Any]])
            let top = try #require(ranked.first)
            // The repository's DRG_CODE is an integer: MS-DRG 66 is shown "066", APR-DRG 1391 "139-1".
            let code = try #require(Int(c.topDRG))
            let expectedTop = name == "apr" ? String(format: "%03d-%d", code / 10, code % 10) : String(format: "%03d", code)
            #expect(top["drg"] as? String == expectedTop)
            #expect(top["weight"] as? Double != nil)
            #expect(json["label_system"] as? String == (name == "apr" ? "APR-DRG" : "MS-DRG"))
            let evidence = try #require(json["evidence"] as? [[String: Any]])
            #expect(!evidence.isEmpty && evidence.allSatisfy { $0["supports"] as? String == expectedTop && $0["aspect"] as? String == "base" })
            #expect(json["elapsed_ms"] as? Double != nil && json["base_drgs"] != nil && json["cc_mcc"] != nil)
        }
    }

    @Test func vocabAndLabelsOptionsNameFilesElsewhere() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("caml-split-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for file in ["checkpoint.bin", "hyperparam.pk"] {
            try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent("ms-k5/\(file)"), to: directory.appendingPathComponent(file))
        }
        let note = FileManager.default.temporaryDirectory.appendingPathComponent("caml-note-\(UUID().uuidString).txt")
        try "Heart failure.".write(to: note, atomically: true, encoding: .utf8)
        let bare = try drgcoder(["predict", "--model", directory.path, note.path])
        #expect(bare.status == 1 && bare.stdout.isEmpty && bare.stderr.split(separator: "\n").count == 1 && bare.stderr.contains("token2id.dict"), "\(bare.stderr)")
        let named = try drgcoder(["predict", "--model", directory.path,
                                                     "--vocab", Self.fixtures.appendingPathComponent("ms-k5/token2id.dict").path,
                                                     "--labels", Self.fixtures.appendingPathComponent("ms-k5/rules/MSDRG_RULE13.csv").path, note.path])
        #expect(named.status == 0 && named.stdout.contains("MS-DRG"), "\(named.stderr)")
    }

    @Test func aHostileVocabularyIsOneLineOnStderr() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("caml-hostile-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent("ms-k5"), to: directory)
        let system = "\u{80}\u{03}cposix\nsystem\nq\u{00}X\u{02}\u{00}\u{00}\u{00}lsq\u{01}\u{85}q\u{02}Rq\u{03}."
        try Data(system.unicodeScalars.map { UInt8($0.value) }).write(to: directory.appendingPathComponent("token2id.dict"))
        let note = FileManager.default.temporaryDirectory.appendingPathComponent("caml-note-\(UUID().uuidString).txt")
        try "Heart failure.".write(to: note, atomically: true, encoding: .utf8)
        let run = try drgcoder(["predict", "--model", directory.path, "--json", note.path])
        #expect(run.status == 1 && run.stdout.isEmpty, "\(run.stdout)")
        #expect(run.stderr.split(separator: "\n").count == 1 && run.stderr.contains("posix.system"), "\(run.stderr)")
    }

    @Test func benchReportsNotesPerSecond() throws {
        let run = try drgcoder(["bench", "--model", Self.fixtures.appendingPathComponent("ms-k5").path, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(report["model_kind"] as? String == "caml" && report["notes"] as? Int == 10 && report["max_seq_length"] as? Int == 40)
        let perSecond = try #require(report["notes_per_second"] as? Double), perNote = try #require(report["ms_per_note"] as? Double)
        #expect(perSecond > 0 && abs(perSecond * perNote - 1000) < 1e-6 * 1000)
        #expect((report["forward_notes_per_second"] as? Double ?? 0) >= perSecond)
    }
}
