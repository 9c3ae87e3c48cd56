import Foundation
import LlamaInference
import Testing
@testable import DRGInference

/// Hostile and broken CAML files: each load fails with one line naming the file and the fault, and
/// nothing crashes, executes or allocates without bound.
@Suite struct CAMLHostileTests {
    static func loadError(_ directory: URL) -> String? {
        do { _ = try CAMLClassifier.load(directory: directory); return nil } catch { return "\(error)" }
    }

    /// A protocol-3 pickle that, unpickled by Python, would call `posix.system("ls")`.
    static let systemCall: [UInt8] = Array("\u{80}\u{03}cposix\nsystem\nq\u{00}X\u{02}\u{00}\u{00}\u{00}lsq\u{01}\u{85}q\u{02}Rq\u{03}.".unicodeScalars.map { UInt8($0.value) })

    @Test(arguments: ["token2id.dict", "hyperparam.pk", "checkpoint.bin"])
    func aGlobalIsRefusedByName(file: String) throws {
        let directory = try CAMLFixtures.copy("ms-k5")
        try Data(Self.systemCall).write(to: directory.appendingPathComponent(file))
        let message = try #require(Self.loadError(directory))
        #expect(message.contains(file) && message.contains("posix.system") && message.contains("refused"), "\(message)")
        #expect(!message.contains("\n"))
    }

    /// What pandas' `DataFrame.to_pickle` writes names pandas' reconstructors: not a dict of arguments.
    @Test func aPandasFrameIsRefusedByName() throws {
        let directory = try CAMLFixtures.copy("ms-k5")
        let frame: [UInt8] = Array("\u{80}\u{04}\u{95}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{00}\u{8c}\u{11}pandas.core.frame\u{94}\u{8c}\tDataFrame\u{94}\u{93}\u{94})\u{81}\u{94}.".unicodeScalars.map { UInt8($0.value) })
        try Data(frame).write(to: directory.appendingPathComponent("hyperparam.pk"))
        let message = try #require(Self.loadError(directory))
        #expect(message.contains("pandas.core.frame.DataFrame") && message.contains("hyperparam.pk"), "\(message)")
    }

    @Test(arguments: ["token2id.dict", "hyperparam.pk", "checkpoint.bin"])
    func truncatedFilesFailWithOneLine(file: String) throws {
        let directory = try CAMLFixtures.copy("ms-k5")
        let url = directory.appendingPathComponent(file)
        let bytes = try Data(contentsOf: url)
        try bytes.prefix(bytes.count / 2).write(to: url)
        let message = try #require(Self.loadError(directory))
        #expect(message.contains(file) && message.contains("truncated"), "\(message)")
        #expect(!message.contains("\n"))
    }

    /// A checkpoint whose output bias is NaN loads (the values are well-formed floats) but predicting
    /// is an error, as for DRG-LLaMA, not a ranking of NaNs that `score` would store (issue 13).
    @Test func nonFiniteLogitsAreAnError() throws {
        let directory = try CAMLFixtures.copy("ms-k5")
        let good = try CAMLClassifier.load(directory: directory)
        #expect(throws: Never.self) { try good.predict(text: "acute on chronic systolic heart failure") }
        let url = directory.appendingPathComponent("checkpoint.bin")
        var bytes = try Data(contentsOf: url)
        let bias = good.model.outputBias.withUnsafeBytes { Data($0) }   // fc.bias, float32 little-endian in the zip
        let range = try #require(bytes.range(of: bias))
        bytes.replaceSubrange(range, with: [Float](repeating: .nan, count: good.model.outputBias.count).withUnsafeBytes { Data($0) })
        try bytes.write(to: url)
        let broken = try CAMLClassifier.load(directory: directory)
        let count = good.model.outputBias.count
        #expect(throws: ClassifierError.nonFiniteOutput(count, of: count)) {
            try broken.predict(text: "acute on chronic systolic heart failure")
        }
    }

    @Test func vocabularyAndArgumentsAreChecked() throws {
        let cases: [(String, String, String)] = [
            ("token2id.dict", "\u{80}\u{03}]q\u{00}.", "not a dict"),                                         // a list
            ("token2id.dict", "\u{80}\u{03}}q\u{00}(X\u{05}\u{00}\u{00}\u{00}<pad>K\u{01}u.", "<pad> is not id 0"),
            ("hyperparam.pk", "\u{80}\u{03}}q\u{00}X\u{05}\u{00}\u{00}\u{00}modelX\u{0b}\u{00}\u{00}\u{00}MultiResCNNs.", "MultiResCNN"),
            ("hyperparam.pk", "\u{80}\u{03}}q\u{00}X\u{06}\u{00}\u{00}\u{00}targetX\u{02}\u{00}\u{00}\u{00}rws.", "target rw"),
            ("hyperparam.pk", "\u{80}\u{03}}q\u{00}X\u{01}\u{00}\u{00}\u{00}YK\u{07}s.", "Y = 7"),
        ]
        for (file, content, expected) in cases {
            let directory = try CAMLFixtures.copy("ms-k5")
            try Data(content.unicodeScalars.map { UInt8($0.value) }).write(to: directory.appendingPathComponent(file))
            let message = Self.loadError(directory) ?? "(loaded)"
            #expect(message.contains(expected) && message.contains(file == "hyperparam.pk" && expected == "Y = 7" ? "MSDRG_RULE13.csv" : file),
                    "\(file): \(message)")
        }
    }

    /// Another run's weights under these arguments: every mis-shaped tensor is listed at once.
    @Test func mismatchedCheckpointListsEveryTensor() throws {
        let directory = try CAMLFixtures.copy("ms-k5")
        try FileManager.default.removeItem(at: directory.appendingPathComponent("checkpoint.bin"))
        try FileManager.default.copyItem(at: CAMLFixtures.model("ms-k4").appendingPathComponent("checkpoint.bin"),
                                         to: directory.appendingPathComponent("checkpoint.bin"))
        let message = try #require(Self.loadError(directory))
        #expect(message.contains("mis-shaped") && message.contains("conv.weight") && message.contains("U.weight") && message.contains("fc.weight"), "\(message)")
    }

    @Test func missingRulesFileNamesItAndTheOption() throws {
        let directory = try CAMLFixtures.copy("ms-k5")
        try FileManager.default.removeItem(at: directory.appendingPathComponent("rules"))
        let message = try #require(Self.loadError(directory))
        #expect(message.contains("rules/MSDRG_RULE13.csv") && message.contains("--labels"), "\(message)")
    }

    /// Seeded byte mutations of the three pickled files: loading either succeeds or throws; it never traps.
    @Test(arguments: ["token2id.dict", "hyperparam.pk", "checkpoint.bin"])
    func mutatedFilesNeverCrash(file: String) throws {
        let directory = try CAMLFixtures.copy("ms-k5")
        let url = directory.appendingPathComponent(file)
        let original = [UInt8](try Data(contentsOf: url))
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(file.count)
        func next() -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int(truncatingIfNeeded: state >> 33) }
        var failures = 0
        for _ in 0..<150 {
            var bytes = original
            for _ in 0..<(1 + next() % 4) { bytes[next() % bytes.count] = UInt8(truncatingIfNeeded: next()) }
            try Data(bytes).write(to: url)
            if let message = Self.loadError(directory) {
                failures += 1
                #expect(!message.contains("\n"))
            }
        }
        #expect(failures > 0)
    }
}
