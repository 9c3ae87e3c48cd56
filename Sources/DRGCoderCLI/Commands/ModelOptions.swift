import ArgumentParser
import Foundation
import DRGInference
import LlamaInference

extension PoolingRule: ExpressibleByArgument {}
extension ModelSettings.TokenizerSource: ExpressibleByArgument {}
extension WeightFormat: ExpressibleByArgument {}

/// The options every command that loads a model shares: the adapter, the label space, how to read
/// the checkpoint (pad id, pooling rule, tokenizer file) and the threads. `--model` itself stays
/// with each command, because some require it and `review` does not.
///
/// `--pad-token-id`, `--pooling` and `--tokenizer` override the model directory's `drgcoder.json`
/// (written by `drgcoder model set`), which overrides what the checkpoint's own files imply
/// (`ModelReading`).
struct ModelOptions: ParsableArguments {
    @Option(help: "PEFT LoRA adapter directory (default: <model>/adapter when present).") var adapter: String?
    @Option(help: "Label space: drg-llama-single, drg-llama-two, or a drg_labels.json file (default: the model's); for a CAML model, its *DRG_RULE*.csv file.") var labels: String?
    @Option(help: "A CAML model's token2id.dict (default: the one in the model directory).") var vocab: String?
    @Option(help: ArgumentHelp("The pad id the classifier head pools with (DRG-LLaMA's scripts set 0; default: drgcoder.json, then config.json).", valueName: "id"))
    var padTokenId: Int?
    @Option(help: "Which token the head reads, by the transformers of the checkpoint's era (default: from the checkpoint).")
    var pooling: PoolingRule?
    @Option(help: "Tokenizer file when the model has both: json (tokenizer.json) or sentencepiece (tokenizer.model, slow LlamaTokenizer rules).")
    var tokenizer: ModelSettings.TokenizerSource?
    @Option(help: "Threads for the model (default: the cores available).") var threads: Int?
    @Option(help: "Weights in memory: stored (as the checkpoint has them) or q8 (quantized at load to 8 bits, blocks of 32; about half the memory of f16, slightly different answers).")
    var weights: WeightFormat = .stored

    func validate() throws {
        if let padTokenId, padTokenId < 0 { throw ValidationError("--pad-token-id must be a token id (0 or more), got \(padTokenId).") }
        if let threads, threads <= 0 { throw ValidationError("--threads must be at least 1.") }
    }

    /// The flags as settings (unset flags leave drgcoder.json's values in force).
    var settings: ModelSettings { ModelSettings(padTokenID: padTokenId, pooling: pooling, tokenizer: tokenizer) }

    var adapterDirectory: URL? { adapter.map { URL(fileURLWithPath: $0) } }

    /// Loads the classifier in `model` with these options; a load error is one CLI line.
    /// The reading's warnings go to stderr unless `quiet` (a caller that reports them itself).
    func loadClassifier(model: String, threads override: Int? = nil, quiet: Bool = false) throws -> DRGClassifier {
        do {
            let classifier = try DRGClassifier.load(modelDirectory: URL(fileURLWithPath: model), adapterDirectory: adapterDirectory,
                                                    labels: labels, threads: override ?? threads, settings: settings,
                                                    weightFormat: weights)
            for warning in classifier.reading.warnings where !quiet {
                FileHandle.standardError.write(Data("drgcoder: warning: \(warning)\n".utf8))
            }
            return classifier
        } catch { throw CLIError("cannot load the model in \(model): \(error)") }
    }
}
