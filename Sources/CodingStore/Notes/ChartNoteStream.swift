import Foundation

/// The notes of a chart-notes file, one at a time, as both backends' `importChartNotes` read them:
/// a bad row throws an `ImportFailure` naming the file and the row (nothing of the file is stored),
/// or with `skipBadRows` is recorded in the summary and passed over.
public final class ChartNoteStream {
    private let reader: ChartNoteReader
    private let skipBadRows: Bool
    private let progress: ((Int64, Int64) -> Void)?
    private var records = 0

    public init(format: ChartNoteFormat, url: URL, skipBadRows: Bool, progress: ((Int64, Int64) -> Void)?) throws {
        reader = try ChartNoteReader(format: format, url: url)
        self.skipBadRows = skipBadRows
        self.progress = progress
    }

    /// The next good note (counted in `summary.notesRead`), nil at the end of the file.
    public func next(into summary: inout NotesImportSummary) throws -> IncomingNote? {
        while let result = reader.next() {
            records += 1
            if records % 256 == 0 { progress?(reader.progress.done, reader.progress.total) }
            let bad: BadRow
            switch result {
            case .failure(let row): bad = row
            case .success(let note):
                guard let problem = StoreInput.caseIDProblem(note.caseID) else {
                    summary.notesRead += 1
                    return note
                }
                bad = BadRow(location: "note \(note.noteID)", reason: "bad case id: \(problem)")
            }
            guard skipBadRows else { throw ImportFailure(file: summary.file, row: bad) }
            summary.skipped.append(bad)
        }
        return nil
    }

    /// Reports the whole file read.
    public func finish() { progress?(reader.progress.total, reader.progress.total) }

    /// The text of a case created from notes: its notes so far, in chart order, each under a heading
    /// (`[RR 2180-05-06 22:23:00]`); the early-prediction input is built apart (``EarlyInput``).
    public static func caseText(_ notes: [CaseNoteRecord]) -> String {
        notes.map { "[\($0.noteType.isEmpty ? "note" : $0.noteType) \($0.chartTime)]\n\($0.text)" }.joined(separator: "\n\n")
    }
}
