import ArgumentParser
import Foundation
import DRGInference
import LlamaInference

/// `drgcoder model inspect|set`: what a model directory holds, how drgcoder will read it, and the
/// reading settings kept beside it (`drgcoder.json`).
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model", abstract: "Inspect a model directory, or keep how it is read beside it.",
        subcommands: [ModelInspectCommand.self, ModelSetCommand.self])
}

/// `drgcoder model set DIR [--pad-token-id N] [--pooling R] [--tokenizer T]`: writes `DIR/drgcoder.json`
/// so that `predict`, `score` and `review` read the checkpoint that way without flags.
struct ModelSetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set", abstract: "Keep the pad id, pooling rule or tokenizer file with a model (DIR/drgcoder.json).")

    @Argument(help: "The model directory.") var directory: String
    @Option(help: ArgumentHelp("The pad id the head pools with (DRG-LLaMA: 0).", valueName: "id")) var padTokenId: Int?
    @Option(help: "The pooling rule of the checkpoint's era.") var pooling: PoolingRule?
    @Option(help: "Which tokenizer file to read when both exist.") var tokenizer: ModelSettings.TokenizerSource?

    func validate() throws {
        if let padTokenId, padTokenId < 0 { throw ValidationError("--pad-token-id must be a token id (0 or more), got \(padTokenId).") }
        if padTokenId == nil, pooling == nil, tokenizer == nil {
            throw ValidationError("Nothing to set: give --pad-token-id, --pooling or --tokenizer.")
        }
    }

    func run() throws {
        let url = URL(fileURLWithPath: directory)
        do {
            _ = try LlamaConfig.load(directory: url)   // only a model directory gets a drgcoder.json
            let settings = try ModelSettings.load(directory: url)
                .overridden(by: ModelSettings(padTokenID: padTokenId, pooling: pooling, tokenizer: tokenizer))
            try settings.save(directory: url)
        } catch { throw CLIError("\(error)") }
        print("wrote \(url.appendingPathComponent(ModelSettings.fileName).path)")
    }
}

/// `drgcoder model inspect DIR [--adapter D] [--json]`: loads the model as `predict` would and says
/// what it found: weight format, shards, dtypes, parameters; the tokenizer and the BOS/EOS/pad ids
/// and why; the pooling rule and why; LoRA targets with r, alpha and scale; the label space; the
/// identity hash; an estimate of peak memory; and warnings in plain words.
struct ModelInspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect", abstract: "Say what a model directory holds and how it will be read.")

    @Argument(help: "The model directory.") var directory: String
    @OptionGroup var modelOptions: ModelOptions
    @Flag(help: "Print one JSON object.") var json = false

    func run() throws {
        let report: ModelInspection
        do { report = try ModelInspection.make(directory: URL(fileURLWithPath: directory), options: modelOptions) } catch let error as CLIError {
            throw error
        } catch { throw CLIError("\(error)") }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(report.text)
        }
    }
}
