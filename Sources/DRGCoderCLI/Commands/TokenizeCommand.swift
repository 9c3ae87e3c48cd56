import ArgumentParser
import Foundation
import DRGInference
import LlamaInference
import Tokenizers

/// `drgcoder tokenize --model D [--json] [--max-tokens N] [FILE|-]`: shows the token ids the model
/// would be fed for a text — BOS first, DRG-LLaMA truncation to `--max-tokens` (default 512).
///
/// With `--json` it prints exactly `{"ids":[...]}` (DESIGN.md); otherwise one line per token:
/// position, id, vocabulary piece, and the Unicode-scalar offsets of the text it covers.
/// Reads FILE, or standard input when FILE is "-" or absent. An empty text, an unreadable file or
/// a model directory without a tokenizer fails with one line on stderr and exit status 1; nothing
/// is printed on stdout then.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Tokenize a text as the model would.",
        discussion: "Prints the ids fed to the model (BOS included, truncated like DRG-LLaMA to --max-tokens)."
    )

    @Option(name: .long, help: ArgumentHelp("Model directory holding tokenizer.json (or tokenizer.model).", valueName: "dir"))
    var model: String

    @Option(help: "Tokenizer file when the model has both: json (tokenizer.json) or sentencepiece (tokenizer.model, slow LlamaTokenizer rules); default: as predict reads it.")
    var tokenizer: ModelSettings.TokenizerSource?

    @Flag(name: .long, help: "Print {\"ids\": [...]} instead of a readable table.")
    var json = false

    @Option(name: .customLong("max-tokens"), help: ArgumentHelp("Keep BOS and the first n-1 text tokens.", valueName: "n"))
    var maxTokens = 512

    @Argument(help: "The text file to tokenize; \"-\" or nothing reads standard input.")
    var file: String?

    func validate() throws {
        guard maxTokens >= 1 else { throw ValidationError("--max-tokens must be at least 1.") }
    }

    func run() throws {
        let output = try render(text: try readText(standardInput: { FileHandle.standardInput.readDataToEndOfFile() }))
        FileHandle.standardOutput.write(Data(output.utf8))
    }

    /// The text to tokenize, from FILE or standard input; empty text is an error.
    func readText(standardInput: () -> Data) throws -> String {
        let data: Data
        if let file, file != "-" {
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: file))
            } catch {
                throw CLIError("cannot read \(file): \(Self.reason(error))")
            }
        } else {
            data = standardInput()
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CLIError("\(file ?? "standard input") is not UTF-8 text")
        }
        guard !text.isEmpty else { throw CLIError("the text to tokenize is empty") }
        return text
    }

    /// Everything the command prints for `text`, ending with a newline.
    func render(text: String) throws -> String {
        let tokenizer: Tokenizer
        let directory = URL(fileURLWithPath: model)
        do {
            tokenizer = try Tokenizer.load(directory: directory, sentencePiece: try source(directory) == .sentencepiece)
        } catch let error as TokenizerError {
            throw CLIError(error.description)
        } catch {
            throw CLIError("\(error)")
        }
        let (encoding, truncated) = tokenizer.encodeForModel(text, maxTokens: maxTokens)
        if json {
            return "{\"ids\":[" + encoding.ids.map(String.init).joined(separator: ",") + "]}\n"
        }
        var lines = zip(encoding.ids, encoding.offsets).enumerated().map { position, token in
            let piece = tokenizer.piece(for: token.0).map { String(reflecting: $0) } ?? "?"
            return "\(Self.pad(position, 5)) \(Self.pad(token.0, 7))  \(piece)  \(token.1.lowerBound)..<\(token.1.upperBound)"
        }
        lines.append("\(encoding.ids.count) tokens" + (truncated ? " (truncated to --max-tokens \(maxTokens))" : ""))
        return lines.joined(separator: "\n") + "\n"
    }

    /// `--tokenizer`, else what `predict` would read (drgcoder.json, then the checkpoint's era when a
    /// config.json is there to date it).
    private func source(_ directory: URL) throws -> ModelSettings.TokenizerSource? {
        if let tokenizer { return tokenizer }
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent("config.json").path) else { return nil }
        let config = try LlamaConfig.load(directory: directory)
        return try ModelReading.resolve(config: config, modelDirectory: directory,
                                        adapterDirectory: DRGClassifier.bundledAdapter(of: directory)).tokenizer
    }

    private static func pad(_ number: Int, _ width: Int) -> String {
        let text = String(number)
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }

    private static func reason(_ error: any Error) -> String {
        let cocoa = error as NSError
        if cocoa.domain == NSCocoaErrorDomain, cocoa.code == NSFileReadNoSuchFileError { return "no such file" }
        return cocoa.localizedDescription
    }
}
