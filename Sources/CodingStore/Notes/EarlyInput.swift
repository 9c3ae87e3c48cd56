import Foundation

/// How much of a stay an early prediction reads (Liu et al. 2021: the notes of the first 24 or 48
/// hours). `now` reads every note imported so far.
public enum EarlyCutoff: String, CaseIterable, Sendable, Codable {
    case hours24 = "24h"
    case hours48 = "48h"
    case now

    /// Hours after admission, nil for `now`.
    public var hours: Double? {
        switch self {
        case .hours24: return 24
        case .hours48: return 48
        case .now: return nil
        }
    }

    /// As the queue shows it: "24 h", "48 h", "now".
    public var label: String { hours.map { "\(Int($0)) h" } ?? "now" }
}

/// The text an early prediction reads: a stay's notes up to the cut-off, in chart order, joined by
/// a form-feed line (U+000C: a CAML model preprocesses each note on its own, as the repository's
/// `get_stay_tokens`; DRG-LLaMA reads it as white space).
///
/// The window follows `create_cohorts.py` / `get_stay_tokens` of JHLiu7/EarlyDRGPrediction: a note is
/// read when its chart time is *less than* `cutoff` hours after the stay's start (notes charted before
/// the start count too). The repository measured from the ICU `INTIME` and put the admission diagnosis
/// first; here the start is the case's admission time (`admitted_on`; a notes JSONL's `admittime` —
/// give the ICU intime there to follow the paper), or the first note's chart time when the case has
/// none, and there is no admission diagnosis. The repository also kept one note per distinct
/// DIFFTIME (a dict keyed by time); here every note is kept, ties in note order.
public struct EarlyInput: Sendable, Equatable {
    public var text: String
    public var notesRead: Int
    /// The highest `case_notes.id` read.
    public var lastNoteID: Int64
    /// SHA-256 of `text`: a new note in the window changes it, so the stored prediction is stale.
    public var sha256: String

    /// Nil when no note falls inside the window.
    public static func build(notes: [CaseNoteRecord], admittedOn: String?, cutoff: EarlyCutoff) -> EarlyInput? {
        let read = window(notes, admittedOn: admittedOn, cutoff: cutoff)
        guard !read.isEmpty else { return nil }
        let text = join(read)
        return EarlyInput(text: text, notesRead: read.count, lastNoteID: read.map(\.id).max() ?? 0,
                          sha256: DecisionChain.sha256Hex(text.utf8))
    }

    /// The notes a cut-off reads, in chart order (ties in note order). Notes are only ever added, so
    /// the input changes exactly when this count does.
    static func window(_ notes: [CaseNoteRecord], admittedOn: String?, cutoff: EarlyCutoff) -> [CaseNoteRecord] {
        let ordered = notes.sorted { ($0.chartTime, $0.id) < ($1.chartTime, $1.id) }
        guard let first = ordered.first, let hours = cutoff.hours else { return ordered }
        guard let start = admittedOn.flatMap(ChartTime.date) ?? ChartTime.date(first.chartTime) else { return [] }
        let end = start.addingTimeInterval(hours * 3600)
        return ordered.filter { ChartTime.date($0.chartTime).map { $0 < end } ?? false }
    }

    /// Notes in the given order, separated by a form-feed line.
    static func join(_ notes: [CaseNoteRecord]) -> String {
        notes.map(\.text).joined(separator: "\n\u{0C}\n")
    }
}

extension EarlyInput {
    /// The input of one stay given as a notes JSONL (the `notes-jsonl` import format, every line of one
    /// `case`): what `drgcoder predict --cutoff` reads. The admission time is the first `admittime`
    /// given. Throws one line naming the bad line, a second case, or an empty window.
    public static func fromNotesJSONL(_ text: String, cutoff: EarlyCutoff) throws -> EarlyInput {
        var notes: [CaseNoteRecord] = [], admitted: String?, stay: String?
        for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated()
        where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let note: IncomingNote
            do { note = try ChartNoteReader.jsonl(String(line)) } catch { throw StoreError.invalid("line \(index + 1): \(error)") }
            if let stay, stay != note.caseID {
                throw StoreError.invalid("line \(index + 1): a second stay (case \(note.caseID) after \(stay)); give one stay's notes")
            }
            stay = note.caseID
            admitted = admitted ?? note.admittedAt
            notes.append(CaseNoteRecord(id: Int64(index + 1), caseID: 0, noteID: note.noteID, noteType: note.noteType,
                                        chartTime: note.chartTime, text: note.text))
        }
        guard !notes.isEmpty else { throw StoreError.invalid("no notes: give one JSON object a line with case, note_id, charttime and text") }
        guard let input = build(notes: notes, admittedOn: admitted, cutoff: cutoff) else {
            throw StoreError.invalid("none of the \(notes.count) notes was charted within \(cutoff.label) of admission")
        }
        return input
    }
}
