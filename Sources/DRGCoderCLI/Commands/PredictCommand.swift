import ArgumentParser
import CodingStore
import DRGKit
import Foundation
import DRGInference
import LlamaInference

/// `drgcoder predict --model D [--adapter D] [--labels L] [--pad-token-id N] [--pooling R] [--max-tokens N] [--threads N] [--json] [FILE|-]`
///
/// Reads one note (FILE, or standard input for `-` or no argument), runs the classifier and prints the
/// ranked DRGs, or with `--json` one object with `token_ids`, `truncated`, `logits`, `ranked`,
/// `base_drgs`, `cc_mcc`, `evidence` and `elapsed_ms` (../shared/DESIGN.md). Bad input exits 1 with one
/// line on stderr; nothing is printed to stdout then. The note's text is never logged.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "predict", abstract: "Predict the MS-DRG of one note.")

    @Option(help: "Model directory (config.json, safetensors or PyTorch .bin weights, tokenizer.json or tokenizer.model; optional adapter/, drg_labels.json, drgcoder.json), or a CAML run (checkpoint.bin, hyperparam.pk, token2id.dict, rules/*DRG_RULE*.csv).")
    var model: String
    @OptionGroup var modelOptions: ModelOptions
    @Option(help: "Tokens the model reads: BOS + the first N-1 tokens of the note (a CAML model reads its max_seq_length).") var maxTokens: Int = 512
    @Option(help: "DRGs to list without --json.") var top: Int = 5
    @Flag(help: "Print one JSON object.") var json = false
    @Option(help: "Early prediction: the input is one stay's notes as notes JSONL (case, note_id, charttime, text, admittime), read up to 24h or 48h after admission, or now (every note).")
    var cutoff: EarlyCutoff?
    @Argument(help: "The note: a text file, or - (or nothing) for standard input.") var file: String?

    func validate() throws {
        guard maxTokens >= 2 else { throw ValidationError("--max-tokens must be at least 2 (BOS and one token).") }
        guard top > 0 else { throw ValidationError("--top must be at least 1.") }
    }

    func run() throws {
        var text = try readNote()
        if let cutoff {
            text = try StoreCommandSupport.run { try EarlyInput.fromNotesJSONL(text, cutoff: cutoff).text }
        }
        if CAMLClassifier.isCAMLDirectory(URL(fileURLWithPath: model)) { return try runCAML(text: text) }
        let classifier: DRGClassifier
        let result: ClassifierResult
        classifier = try modelOptions.loadClassifier(model: model)
        do {
            result = try classifier.predict(text: text, maxTokens: maxTokens)
        } catch { throw CLIError("\(error)") }
        if json {
            let data: Data
            do { data = try JSONEncoder().encode(result) } catch { throw CLIError("cannot encode the prediction as JSON: \(error)") }
            print(String(decoding: data, as: UTF8.self))
            return
        }
        func percent(_ p: Double) -> String { String(format: "%5.1f%%", 100 * p) }
        print("\(result.tokenIDs.count) tokens\(result.truncated ? " (truncated)" : ""), \(String(format: "%.0f", result.elapsedMilliseconds)) ms, labels \(classifier.labelSpace.name)")
        for ranked in result.prediction.ranked.prefix(top) {
            print("\(percent(ranked.probability))  DRG \(ranked.drg)  \(ranked.description)")
        }
        if let base = result.prediction.baseDRGs.first { print("base DRG  \(percent(base.probability))  \(base.label)") }
        if let cc = result.prediction.ccMcc.first { print("CC/MCC    \(percent(cc.probability))  \(cc.label)") }
    }

    /// The note's text; one-line errors for unreadable files, non-UTF-8 bytes and empty notes.
    private func readNote() throws -> String {
        let data: Data
        let source = file == nil || file == "-" ? "standard input" : file ?? ""
        if file == nil || file == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else if let file {
            guard FileManager.default.fileExists(atPath: file) else { throw CLIError("cannot read \(file): no such file") }
            do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch {
                throw CLIError("cannot read \(file): \((error as NSError).localizedDescription)")
            }
        } else { data = Data() }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CLIError("\(source) is not UTF-8 text")
        }
        guard text.contains(where: { !$0.isWhitespace }) else {
            throw CLIError("\(source) is empty: nothing to classify")
        }
        return text
    }
}
