import ArgumentParser
import CodingStore
import Foundation
import PostgresStore

/// `drgcoder import --db F --format mimic-iv|jsonl|csv|text-dir PATH... [--drgcodes drgcodes.csv]`
///
/// Each PATH is one transaction: all its notes, or none when a row is bad (unless --skip-bad-rows,
/// which skips bad rows and says how many). Importing the same file again adds nothing.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import discharge summaries into a queue.",
        discussion: """
            Formats: mimic-iv (MIMIC-IV-Note discharge.csv), jsonl (one {"id", "text", "final_drg"?, \
            "priority"?, "metadata"?} a line), csv (a header naming the columns; see --id-column), \
            text-dir (a directory of .txt files). The brief hospital course is extracted as DRG-LLaMA did; \
            notes without one are queued whole and flagged: "no BHC" in the review queue and note title, \
            section_source whole-note in drgcoder queue. With --chart-notes, the files hold notes with chart \
            times, several a stay, for early prediction: mimic-iv (MIMIC-IV-Note discharge.csv or radiology.csv) \
            or jsonl (one {"case", "note_id", "charttime", "text", "note_type"?, "admittime"?, "dischtime"?} a line).
            """)

    @OptionGroup var store: StoreOptions

    @Option(help: "The source's layout (jsonl/csv may carry pdx, sdx, procedures); not needed for codes alone.")
    var format: ImportFormat?

    @Option(help: "MIMIC-IV diagnoses_icd.csv: ICD codes of the admissions already imported (seq_num 1 = principal).")
    var diagnoses: String?

    @Option(help: "MIMIC-IV procedures_icd.csv: ICD procedure codes of the admissions already imported.")
    var procedures: String?

    @Option(help: "MIMIC-IV drgcodes.csv: the final MS-DRG (HCFA rows, mapped to v34) of each admission.")
    var drgcodes: String?

    @Flag(help: "The files hold notes with chart times, several a stay (early prediction): --format mimic-iv or jsonl.")
    var chartNotes = false

    @Flag(help: "Skip bad rows (and report them) instead of importing nothing from the file.")
    var skipBadRows = false

    @Option(help: "csv: the column holding the case id.")
    var idColumn = "id"
    @Option(help: "csv: the column holding the note text.")
    var textColumn = "text"
    @Option(help: "csv: the column holding the final DRG, if any.")
    var drgColumn = "final_drg"

    @Flag(help: "Print one JSON summary per file instead of text.")
    var json = false

    @Argument(help: "Files (or, for text-dir, directories) to import.")
    var paths: [String] = []

    func validate() throws {
        if format == nil && paths.isEmpty && (diagnoses != nil || procedures != nil) { return }  // codes only
        guard format != nil else {
            throw ValidationError("--format must be one of \(ImportFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        guard !paths.isEmpty else { throw ValidationError("Give at least one file to import.") }
        if drgcodes != nil && format != .mimicIV {
            throw ValidationError("--drgcodes goes with --format mimic-iv.")
        }
        if chartNotes {
            guard format == .mimicIV || format == .jsonl else { throw ValidationError("--chart-notes goes with --format mimic-iv or jsonl.") }
            guard drgcodes == nil else { throw ValidationError("--chart-notes takes no --drgcodes (a notes JSONL carries final_drg and final_apr_drg).") }
        }
    }

    func run() throws {
        try runNotes()
        try runCodes()
    }

    func runNotes() throws {
        guard !paths.isEmpty else { return }
        for path in paths where !FileManager.default.fileExists(atPath: path) {
            throw CLIError("\(path): no such file or directory")
        }
        if let notes = chartNoteFormat { return try runChartNotes(notes) }
        let format = self.format ?? .jsonl
        let mapping = try drgcodes.map { path in
            try StoreCommandSupport.run { try DRGCodesMapping.load(drgcodes: URL(fileURLWithPath: path)) }
        }
        if let mapping, let drgcodes, !json {
            print("\((drgcodes as NSString).lastPathComponent): \(mapping.hcfaRows) HCFA rows, \(mapping.byAdmission.count) admissions with a v34 DRG, \(mapping.unmappedRows) rows without one, \(mapping.conflictingAdmissions) admissions with conflicting rows, \(mapping.badRows.count) bad rows")
        }
        // PostgreSQL: each file is imported with the SQLite code (the same checks and section extraction) into a
        // scratch SQLite file beside it (mode 0600, removed after: note text stays where the file already is),
        // then its new cases go to the server in pages of `PostgresAppDatabase.importBatchSize`, one transaction.
        let server = store.isPostgres ? try store.open() : nil
        defer { server?.close() }
        let local = server == nil ? try store.openFile(mustExist: false) : nil
        defer { local?.close() }
        let columns = CSVColumns(id: idColumn, text: textColumn, finalDRG: drgColumn)
        for path in paths {
            let url = URL(fileURLWithPath: path)
            let name = url.lastPathComponent
            let summary: ImportSummary = try StoreCommandSupport.run {
                let source = try makeCaseSource(format: format, url: url, drgCodes: mapping, columns: columns)
                let bar = TerminalProgress(label: name)
                defer { bar.finish() }
                let scratch = try local.map { ScratchStore(database: $0) } ?? ScratchStore(besides: url)
                defer { scratch.remove() }
                var summary = try scratch.database.importCases(from: source, fileName: name, skipBadRows: skipBadRows) { done, total in
                    bar.update(done: done, total: total)
                }
                if let server {
                    let added = try server.appendCases(streamingFrom: scratch.database, batchSize: PostgresAppDatabase.importBatchSize)
                    summary.alreadyPresent += summary.inserted - added
                    summary.inserted = added
                }
                return summary
            }
            if json {
                print(try StoreCommandSupport.json(summary))
            } else {
                print(Self.describe(summary))
                for row in summary.skipped { printError("skipped \(name) \(row)") }
                for row in summary.duplicatesInFile { printError("duplicate \(name) \(row)") }
            }
        }
    }

    static func describe(_ s: ImportSummary) -> String {
        var parts = ["\(s.inserted) new", "\(s.alreadyPresent) already present"]
        if !s.duplicatesInFile.isEmpty { parts.append("\(s.duplicatesInFile.count) duplicate ids in the file ignored") }
        if !s.skipped.isEmpty { parts.append("\(s.skipped.count) bad rows skipped") }
        parts.append("\(s.wholeNoteFallbacks) without a brief hospital course (whole note queued)")
        parts.append("\(s.insertedWithFinalDRG) with a final DRG")
        if s.finalDRGFilledIn > 0 { parts.append("\(s.finalDRGFilledIn) final DRGs filled in") }
        return "\(s.file): " + parts.joined(separator: ", ")
    }
}
