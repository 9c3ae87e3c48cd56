import ArgumentParser
import Foundation
import DRGInference
import LlamaInference

/// `drgcoder bench --model D [--tokens N] [--threads N] [--repeats N] [--json]`: prefill speed of the
/// model in `D` (no tokenizer or label space needed), with bare `cblas_sgemm` at the same shapes as
/// the ceiling. See `PrefillBenchmark` and bench/README.md.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure prefill speed (tokens/s, GFLOP/s, peak memory) of a model.")

    @Option(help: "Model directory (config.json + safetensors or PyTorch .bin weights), or a CAML run (notes per second).") var model: String
    @Option(help: "Tokens per forward pass.") var tokens: Int = 512
    @OptionGroup var modelOptions: ModelOptions
    @Option(help: "Timed passes after one warm-up; the best is reported.") var repeats: Int = 3
    @Flag(help: "Skip the bare sgemm reference.") var noSgemm = false
    @Flag(help: "Print one JSON object.") var json = false

    func validate() throws {
        guard tokens > 0 else { throw ValidationError("--tokens must be a positive number of tokens.") }
        guard repeats > 0 else { throw ValidationError("--repeats must be at least 1.") }
    }

    func run() throws {
        if CAMLClassifier.isCAMLDirectory(URL(fileURLWithPath: model)) { return try runCAML() }
        let start = DispatchTime.now().uptimeNanoseconds
        let classifier: LlamaSequenceClassifier
        do {
            classifier = try LlamaSequenceClassifier.load(modelDirectory: URL(fileURLWithPath: model), adapterDirectory: modelOptions.adapterDirectory,
                                                          threads: modelOptions.threads, flags: modelOptions.settings,
                                                          weightFormat: modelOptions.weights)
        } catch { throw CLIError("\(error)") }
        let loadMilliseconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        let report = try PrefillBenchmark.run(model: classifier, tokens: tokens, repeats: repeats, sgemmReference: !noSgemm)
        if json {
            struct Output: Encodable { var model: String; var loadMilliseconds: Double; var report: PrefillBenchmark
                enum CodingKeys: String, CodingKey { case model, loadMilliseconds = "load_ms" }
                func encode(to encoder: Encoder) throws {
                    try report.encode(to: encoder)
                    var container = encoder.container(keyedBy: CodingKeys.self)
                    try container.encode(model, forKey: .model)
                    try container.encode(loadMilliseconds, forKey: .loadMilliseconds)
                }
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let data = try encoder.encode(Output(model: model, loadMilliseconds: loadMilliseconds, report: report))
            print(String(decoding: data, as: UTF8.self))
        } else {
            func f(_ x: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", x) }
            print("model       \(model) (\(report.weightDType), \(classifier.config.numHiddenLayers) layers, hidden \(classifier.config.hiddenSize))")
            print("threads     \(report.threads) (OpenBLAS core: \(report.openBLASCore); native kernels: \(report.kernels))")
            print("load        \(f(loadMilliseconds, 0)) ms")
            print("prefill     \(report.tokens) tokens: best \(f(report.bestMilliseconds, 0)) ms of \(report.runsMilliseconds.map { f($0, 0) }.joined(separator: ", "))")
            print("speed       \(f(report.tokensPerSecond)) tokens/s, \(f(report.achievedGFLOPS)) GFLOP/s (\(f(report.gigaflopPerPass)) GFLOP per pass)")
            if let sgemm = report.sgemmGFLOPS, let fraction = report.fractionOfSgemm {
                print("sgemm       \(f(sgemm)) GFLOP/s bare at the same shapes: model reaches \(f(100 * fraction))%")
            }
            print("peak RSS    \(f(report.peakResidentMegabytes, 0)) MB")
        }
    }
}
