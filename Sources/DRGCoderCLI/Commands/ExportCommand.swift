import ArgumentParser
import CodingStore
import Foundation

/// `drgcoder export --db F --format drg-llama-single-csv|drg-llama-two-csv|jsonl [--corrections-only] --out F`
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export decisions as training labels.",
        discussion: """
            drg-llama-single-csv and drg-llama-two-csv write text,label as DRG-LLaMA's training scripts read \
            them (one row per coded case); jsonl writes every decision with its provenance. The file is \
            created mode 0600 and appears only when complete.
            """)

    @OptionGroup var store: StoreOptions
    @Option(help: "What to write.") var format: ExportFormat
    @Flag(help: "Only overrides (the coder corrected the model).") var correctionsOnly = false
    @Option(help: "A label space (drg-llama-single, drg-llama-two or a drg_labels.json) to index labels by; default DRG-LLaMA's.") var labels: String?
    @Option(help: "The file to write.") var out: String

    func run() throws {
        let summary = try StoreCommandSupport.run { () -> ExportSummary in
            let database = try store.openForReading()
            let space = try labels.map { try TrainingLabels.named($0) }
            return try database.export(format, to: URL(fileURLWithPath: out), labels: space, correctionsOnly: correctionsOnly)
        }
        var line = "\(out): \(summary.rows) rows"
        if summary.notInLabelSpace > 0 { line += ", \(summary.notInLabelSpace) coded cases left out (DRG not in the label space)" }
        print(line)
    }
}
