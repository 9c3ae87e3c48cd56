import Foundation
import TestSupport
import Testing

/// `drgcoder bench`, run as the built binary on the engine's llama2-f16 fixture directory as it is
/// committed (config.json + model.safetensors: bench needs no tokenizer or label space). Only the
/// shape of the report is checked — fields present, positive, consistent with each other — never
/// how fast anything ran (speed is for bench/, not unit tests).
@Suite("Bench command", .serialized)
struct BenchCommandTests {
    static let model = SharedReference.projectRoot.appendingPathComponent("Tests/LlamaInferenceTests/Fixtures/llama2-f16")

    static func benchJSON(_ arguments: [String]) throws -> [String: Any] {
        let run = try drgcoder(["bench", "--model", model.path, "--json"] + arguments)
        #expect(run.status == 0, "\(run.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    }

    /// `report[key]` as a number, recording an issue when it is missing or not positive.
    static func positive(_ report: [String: Any], _ key: String) -> Double {
        let value = report[key] as? Double ?? .nan
        #expect(value > 0 && value.isFinite, "\(key) = \(String(describing: report[key]))")
        return value
    }

    @Test func jsonReportsPositiveConsistentFigures() throws {
        let report = try Self.benchJSON(["--tokens", "8", "--repeats", "2"])
        #expect(report["model"] as? String == Self.model.path)
        #expect(report["tokens"] as? Int == 8)
        #expect((report["threads"] as? Int ?? 0) >= 1)
        #expect(report["weight_dtype"] as? String == "F16")
        #expect(!(report["openblas_core"] as? String ?? "").isEmpty)

        let runs = try #require(report["runs_ms"] as? [Double])
        #expect(runs.count == 2 && runs.allSatisfy { $0 > 0 })
        let best = Self.positive(report, "best_ms")
        #expect(best == runs.min())
        let tokensPerSecond = Self.positive(report, "tokens_per_second")
        #expect(abs(tokensPerSecond - 8 / (best / 1e3)) <= 1e-9 * tokensPerSecond)
        let gigaflop = Self.positive(report, "gflop_per_pass")
        let gflops = Self.positive(report, "gflops")
        #expect(abs(gflops - gigaflop / (best / 1e3)) <= 1e-9 * gflops)
        let sgemm = Self.positive(report, "sgemm_gflops")
        let fraction = Self.positive(report, "fraction_of_sgemm")
        #expect(abs(fraction - gflops / sgemm) <= 1e-9 * fraction)
        _ = Self.positive(report, "peak_rss_mb")
        _ = Self.positive(report, "load_ms")
    }

    @Test func threadsAndNoSgemmAreHonoured() throws {
        let report = try Self.benchJSON(["--tokens", "4", "--repeats", "1", "--threads", "1", "--no-sgemm"])
        #expect(report["threads"] as? Int == 1 && report["tokens"] as? Int == 4)
        #expect((report["runs_ms"] as? [Double])?.count == 1)
        #expect(report["sgemm_gflops"] == nil && report["fraction_of_sgemm"] == nil)
        _ = Self.positive(report, "tokens_per_second")
        // The same model at the same length does the same work, however it is timed.
        let again = try Self.benchJSON(["--tokens", "4", "--repeats", "1"])
        #expect(again["gflop_per_pass"] as? Double == report["gflop_per_pass"] as? Double)
    }

    @Test func readableOutput() throws {
        let run = try drgcoder(["bench", "--model", Self.model.path, "--tokens", "8", "--repeats", "1"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("(F16, 2 layers, hidden 16)"))
        #expect(run.stdout.contains("prefill     8 tokens: best "))
        #expect(run.stdout.contains(" tokens/s, ") && run.stdout.contains("sgemm       ") && run.stdout.contains("peak RSS    "))
    }

    @Test func badInputsFail() throws {
        let temp = try TemporaryDirectory(prefix: "bench"); defer { temp.cleanUp() }
        let empty = temp.url
        try FileManager.default.copyItem(at: Self.model.appendingPathComponent("config.json"),
                                         to: empty.appendingPathComponent("config.json"))
        let noWeights = try drgcoder(["bench", "--model", empty.path, "--tokens", "4", "--json"])
        #expect(noWeights.status == 1 && noWeights.stdout.isEmpty)
        let message = noWeights.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(message.contains("no model.safetensors, pytorch_model.bin or a shard index") && !message.contains("\n"))

        let zero = try drgcoder(["bench", "--model", Self.model.path, "--tokens", "0"])
        #expect(zero.status != 0 && zero.stdout.isEmpty && zero.stderr.contains("--tokens must be a positive number"))
        let noRepeats = try drgcoder(["bench", "--model", Self.model.path, "--repeats", "0"])
        #expect(noRepeats.status != 0 && noRepeats.stderr.contains("--repeats must be at least 1"))
    }
}
