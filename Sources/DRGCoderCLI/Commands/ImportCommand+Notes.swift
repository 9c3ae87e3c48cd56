import ArgumentParser
import CodingStore
import Foundation

extension ImportCommand {
    /// With `--chart-notes`, the format of the notes: mimic-iv → MIMIC-IV-Note CSV, jsonl → notes JSONL.
    var chartNoteFormat: ChartNoteFormat? {
        guard chartNotes else { return nil }
        switch format {
        case .mimicIV?: return .mimicIVNotes
        case .jsonl?: return .notesJSONL
        default: return nil
        }
    }

    /// Imports notes with chart times (each file one transaction), attaching each to its stay's case
    /// or creating the case (in hospital until a discharge summary or `dischtime` arrives). A note
    /// inside a case's early-prediction window makes that prediction stale: the next
    /// `score --cutoff` scores the case again.
    func runChartNotes(_ format: ChartNoteFormat) throws {
        let database = try store.open(mustExist: false)
        defer { database.close() }
        for path in paths {
            let url = URL(fileURLWithPath: path)
            let summary: NotesImportSummary = try StoreCommandSupport.run {
                let bar = TerminalProgress(label: url.lastPathComponent)
                defer { bar.finish() }
                return try database.importChartNotes(format: format, url: url, skipBadRows: skipBadRows, now: Date()) { done, total in
                    bar.update(done: done, total: total)
                }
            }
            if json {
                print(try StoreCommandSupport.json(summary))
                continue
            }
            print("\(summary.file): \(summary.inserted) new notes, \(summary.alreadyPresent) already present, "
                  + "\(summary.casesCreated) stays created (in hospital until discharged), \(summary.discharged) discharged"
                  + (summary.skipped.isEmpty ? "" : ", \(summary.skipped.count) bad rows skipped"))
            for row in summary.skipped { printError("skipped \(summary.file) \(row)") }
        }
    }
}
