import DRGKit
import Foundation

/// The formats of notes with chart times (`drgcoder import --format mimic-iv-notes|notes-jsonl`).
public enum ChartNoteFormat: String, CaseIterable, Sendable {
    /// MIMIC-IV-Note `discharge.csv` or `radiology.csv`: note_id, subject_id, hadm_id, note_type,
    /// note_seq, charttime, storetime, text. The stay is the `hadm_id`.
    case mimicIVNotes = "mimic-iv-notes"
    /// One JSON object a line: `case` (the case id, as a case JSONL's `id`), `note_id`, `charttime`,
    /// `text`, optional `note_type`, `admittime`, `dischtime`, `hadm_id`, `subject_id`, `final_drg`,
    /// `final_apr_drg`.
    case notesJSONL = "notes-jsonl"

    /// The case source a stay created from these notes gets (so a case JSONL with the same id is the same case).
    public var caseSource: String { self == .mimicIVNotes ? "mimic-iv" : "jsonl" }
}

/// One note of a stay with its chart time, before it is stored.
public struct IncomingNote: Sendable, Equatable {
    /// The case it belongs to: the JSONL `case`; for MIMIC, the `hadm_id`.
    public var caseID: String
    public var noteID: String
    public var noteType: String
    /// Normalised `YYYY-MM-DD HH:MM:SS` (``ChartTime``).
    public var chartTime: String
    public var text: String
    public var hadmID: String?
    public var subjectID: String?
    /// The stay's admission and discharge times, normalised, when the input gives them.
    public var admittedAt: String?
    public var dischargedAt: String?
    public var finalDRG: String?
    /// `194-4`: an APR-DRG base and severity of illness.
    public var finalAPRDRG: String?

    public init(caseID: String, noteID: String, noteType: String, chartTime: String, text: String) {
        self.caseID = caseID; self.noteID = noteID; self.noteType = noteType; self.chartTime = chartTime; self.text = text
    }

    /// A discharge summary ends the stay: MIMIC-IV-Note writes `DS` (and `DS` addenda `AD`), a JSONL `discharge`.
    public var isDischargeSummary: Bool { ["DS", "discharge", "discharge summary"].contains(noteType.trimmingCharacters(in: .whitespaces)) }
}

/// Chart times as MIMIC writes them (`2180-05-06 22:23:00`), also with a `T`, without seconds, or a
/// bare date (midnight). Stored as `YYYY-MM-DD HH:MM:SS`, so text order is time order. Read as UTC:
/// MIMIC shifts every date of a patient by one offset and only differences matter here.
public enum ChartTime {
    /// The normalised form, or nil when `text` is not a date and time of these shapes.
    public static func normalized(_ text: String) -> String? {
        date(text).map(format)
    }

    public static func date(_ text: String) -> Date? {
        var t = text.trimmingCharacters(in: .whitespaces)
        if t.hasSuffix("Z") { t.removeLast() }
        t = t.replacingOccurrences(of: "T", with: " ")
        if let dot = t.firstIndex(of: "."), t.distance(from: t.startIndex, to: dot) == 19 { t = String(t[..<dot]) }
        for pattern in ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd"] where t.count == pattern.count {
            if let d = formatter(pattern).date(from: t), format(d).hasPrefix(String(t.prefix(10))) { return d }
        }
        return nil
    }

    public static func format(_ date: Date) -> String { formatter("yyyy-MM-dd HH:mm:ss").string(from: date) }

    static func formatter(_ pattern: String) -> DateFormatter {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.calendar = Calendar(identifier: .gregorian)
        f.dateFormat = pattern
        f.isLenient = false
        return f
    }
}

/// Reads notes of one `ChartNoteFormat` file, one at a time: a note or a bad row with its line.
final class ChartNoteReader {
    private let format: ChartNoteFormat
    private var csv: CSVStreamReader?
    private var lines: LineStreamReader?
    private var column: [String: Int] = [:]
    private var width = 0

    init(format: ChartNoteFormat, url: URL) throws {
        self.format = format
        switch format {
        case .notesJSONL: lines = try LineStreamReader(url: url)
        case .mimicIVNotes:
            let reader = try CSVStreamReader(url: url)
            guard case .success(let header)? = reader.next() else { throw StoreError.invalid("\(url.lastPathComponent): no header line") }
            width = header.fields.count
            for (i, name) in header.fields.enumerated() { column[name] = i }
            let missing = ["note_id", "hadm_id", "charttime", "text"].filter { column[$0] == nil }
            guard missing.isEmpty else {
                throw StoreError.invalid("\(url.lastPathComponent): not a MIMIC-IV-Note discharge.csv or radiology.csv (missing columns \(missing.joined(separator: ", ")))")
            }
            csv = reader
        }
    }

    var progress: (done: Int64, total: Int64) {
        if let csv { return (csv.bytesRead, csv.fileSize) }
        if let lines { return (lines.bytesRead, lines.fileSize) }
        return (0, 0)
    }

    func next() -> Result<IncomingNote, BadRow>? {
        if let csv {
            guard let result = csv.next() else { return nil }
            switch result {
            case .failure(let p): return .failure(BadRow(location: "line \(p.line)", reason: p.reason))
            case .success(let record):
                let location = "line \(record.line)"
                guard record.fields.count == width else {
                    return .failure(BadRow(location: location, reason: "expected \(width) fields, found \(record.fields.count)"))
                }
                let values = column.compactMapValues { record.fields[$0].isEmpty ? nil : record.fields[$0] }
                return Result { try Self.mimic(values) }.mapError { BadRow(location: location, reason: "\($0)") }
            }
        }
        while let result = lines?.next() {
            switch result {
            case .failure(let p): return .failure(BadRow(location: "line \(p.line)", reason: p.reason))
            case .success(let record):
                let line = record.fields[0]
                if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
                return Result { try Self.jsonl(line) }.mapError { BadRow(location: "line \(record.line)", reason: "\($0)") }
            }
        }
        return nil
    }

    static func mimic(_ values: [String: String]) throws -> IncomingNote {
        guard let hadm = values["hadm_id"] else { throw StoreError.invalid("hadm_id is empty") }
        guard let noteID = values["note_id"] else { throw StoreError.invalid("note_id is empty") }
        guard let raw = values["charttime"] else { throw StoreError.invalid("charttime is empty") }
        guard let time = ChartTime.normalized(raw) else { throw StoreError.invalid("charttime '\(raw)' is not a date and time") }
        guard let text = values["text"], !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw StoreError.invalid("text is empty") }
        var note = IncomingNote(caseID: hadm, noteID: noteID, noteType: values["note_type"] ?? "", chartTime: time, text: text)
        note.hadmID = hadm
        note.subjectID = values["subject_id"]
        return note
    }

    static func jsonl(_ line: String) throws -> IncomingNote {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
            throw StoreError.invalid("not a JSON object")
        }
        func identifier(_ name: String) throws -> String? {
            try JSONText.optional(object, name, JSONText.identifier, "a string or an integer")
        }
        func time(_ name: String) throws -> String? {
            guard let raw = try JSONText.optional(object, name, { $0 as? String }, "a string") else { return nil }
            guard let t = ChartTime.normalized(raw) else { throw StoreError.invalid("\(name) '\(raw)' is not a date and time") }
            return t
        }
        guard let caseID = try identifier("case"), !caseID.isEmpty else { throw StoreError.invalid("missing \"case\"") }
        guard let noteID = try identifier("note_id"), !noteID.isEmpty else { throw StoreError.invalid("missing \"note_id\"") }
        guard let chart = try time("charttime") else { throw StoreError.invalid("missing \"charttime\"") }
        guard let text = try JSONText.optional(object, "text", { $0 as? String }, "a string"),
              !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw StoreError.invalid("missing or empty \"text\"") }
        var note = IncomingNote(caseID: caseID, noteID: noteID,
                                noteType: try JSONText.optional(object, "note_type", { $0 as? String }, "a string") ?? "",
                                chartTime: chart, text: text)
        note.hadmID = try identifier("hadm_id")
        note.subjectID = try identifier("subject_id")
        note.admittedAt = try time("admittime")
        note.dischargedAt = try time("dischtime")
        if let raw = try identifier("final_drg") {
            guard let drg = DRGCode.normalized(raw) else { throw StoreError.invalid("final_drg '\(raw)' is not an MS-DRG code") }
            note.finalDRG = drg
        }
        if let raw = try identifier("final_apr_drg") {
            guard let apr = APRDRGCode.normalized(raw) else { throw StoreError.invalid("final_apr_drg '\(raw)' is not an APR-DRG (base-severity, e.g. 194-4)") }
            note.finalAPRDRG = apr
        }
        return note
    }
}
