import DRGKit
import Foundation

/// The input formats `drgcoder import --format` accepts.
public enum ImportFormat: String, CaseIterable, Sendable {
    /// MIMIC-IV-Note `discharge.csv`: note_id, subject_id, hadm_id, note_type, note_seq, charttime, storetime, text.
    case mimicIV = "mimic-iv"
    /// One JSON object a line: `id`, `text`, optional `final_drg`, `final_apr_drg`, `priority`, `admitted_on`, `discharged_on`, `metadata`.
    case jsonl
    /// A CSV file with a header naming its columns (see `CSVColumns`).
    case csv
    /// A directory of `.txt` files, one note each; the file name without `.txt` is the id.
    case textDirectory = "text-dir"
}

/// A note read from an input, before it is stored.
public struct IncomingCase: Sendable, Equatable {
    public var externalID: String
    public var noteText: String
    public var hadmID: String?
    public var subjectID: String?
    public var admittedOn: String?
    public var dischargedOn: String?
    public var finalDRG: String?
    /// The final APR-DRG (`194-4`), a different DRG system from `finalDRG` (JSONL `final_apr_drg`).
    public var finalAPRDRG: String?
    public var priority: Int = 0
    /// Any other fields of the input, as a JSON object (sorted keys).
    public var metadataJSON: String?
    /// ICD-10 codes given with the note (`pdx`, `sdx`, `procedures` fields), checked on reading.
    public var codes: [CaseCode] = []

    public init(externalID: String, noteText: String) { self.externalID = externalID; self.noteText = noteText }
}

/// A record an importer could not use, and where it is: "line 12" or a file name.
public struct BadRow: Error, Codable, Sendable, Equatable, CustomStringConvertible {
    public var location: String
    public var reason: String
    public var description: String { "\(location): \(reason)" }
}

/// A stream of notes from one input file (or directory).
public protocol CaseSource: AnyObject {
    /// "mimic-iv", "jsonl", "csv" or "text-dir": with the external id, the case's identity.
    var sourceName: String { get }
    /// The next note (with the line it started on, for duplicate reports) or bad record; nil at the end.
    func next() -> (location: String, result: Result<IncomingCase, BadRow>)?
    /// Progress: how much has been read of how much.
    var progress: (done: Int64, total: Int64) { get }
}

/// Opens the source for `format` at `url`.
public func makeCaseSource(format: ImportFormat, url: URL, drgCodes: DRGCodesMapping? = nil,
                           columns: CSVColumns = CSVColumns()) throws -> any CaseSource {
    switch format {
    case .mimicIV: return try MIMICDischargeSource(url: url, drgCodes: drgCodes)
    case .jsonl: return try JSONLCaseSource(url: url)
    case .csv: return try NamedColumnCSVSource(url: url, columns: columns)
    case .textDirectory: return try TextDirectorySource(url: url)
    }
}

/// MIMIC-IV-Note `discharge.csv`, streamed. The external id is `note_id`; the final DRG comes from
/// `drgcodes.csv` through `hadm_id` when a mapping is given; `charttime` is kept as the discharge date.
final class MIMICDischargeSource: CaseSource {
    let sourceName = ImportFormat.mimicIV.rawValue
    private let reader: CSVStreamReader
    private let drgCodes: DRGCodesMapping?
    private var header: [String] = []
    private var column: [String: Int] = [:]

    init(url: URL, drgCodes: DRGCodesMapping?) throws {
        reader = try CSVStreamReader(url: url)
        self.drgCodes = drgCodes
        guard case .success(let first)? = reader.next() else {
            throw StoreError.invalid("\(url.lastPathComponent): no header line")
        }
        header = first.fields
        for (index, name) in header.enumerated() { column[name] = index }
        let missing = ["note_id", "hadm_id", "text"].filter { column[$0] == nil }
        guard missing.isEmpty else {
            throw StoreError.invalid("\(url.lastPathComponent): not a MIMIC-IV discharge.csv (missing columns \(missing.joined(separator: ", ")))")
        }
    }

    var progress: (done: Int64, total: Int64) { (reader.bytesRead, reader.fileSize) }

    func next() -> (location: String, result: Result<IncomingCase, BadRow>)? {
        guard let result = reader.next() else { return nil }
        switch result {
        case .failure(let problem):
            let field = problem.field.flatMap { $0 < header.count ? " (\(header[$0]))" : nil } ?? ""
            return ("line \(problem.line)", .failure(BadRow(location: "line \(problem.line)", reason: problem.reason + field)))
        case .success(let record):
            let location = "line \(record.line)"
            guard record.fields.count == header.count else {
                return (location, .failure(BadRow(location: location,
                    reason: "expected \(header.count) fields, found \(record.fields.count)")))
            }
            func value(_ name: String) -> String? {
                column[name].map { record.fields[$0] }.flatMap { $0.isEmpty ? nil : $0 }
            }
            guard let noteID = value("note_id") else { return (location, .failure(BadRow(location: location, reason: "note_id is empty"))) }
            guard let text = value("text"), !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                return (location, .failure(BadRow(location: location, reason: "text is empty")))
            }
            var incoming = IncomingCase(externalID: noteID, noteText: text)
            incoming.hadmID = value("hadm_id")
            incoming.subjectID = value("subject_id")
            incoming.dischargedOn = value("charttime")
            incoming.finalDRG = incoming.hadmID.flatMap { drgCodes?.byAdmission[$0] }
            incoming.finalAPRDRG = incoming.hadmID.flatMap { drgCodes?.aprByAdmission[$0] }
            let extra = ["note_type", "note_seq", "storetime"].compactMap { name in value(name).map { (name, $0) } }
            incoming.metadataJSON = JSONText.object(Dictionary(uniqueKeysWithValues: extra))
            return (location, .success(incoming))
        }
    }
}

/// JSONL: one object a line. Blank lines are skipped.
final class JSONLCaseSource: CaseSource {
    let sourceName = ImportFormat.jsonl.rawValue
    private let reader: LineStreamReader

    init(url: URL) throws { reader = try LineStreamReader(url: url) }
    var progress: (done: Int64, total: Int64) { (reader.bytesRead, reader.fileSize) }

    func next() -> (location: String, result: Result<IncomingCase, BadRow>)? {
        while let result = reader.next() {
            switch result {
            case .failure(let problem):
                return ("line \(problem.line)", .failure(BadRow(location: "line \(problem.line)", reason: problem.reason)))
            case .success(let record):
                let line = record.fields[0]
                if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
                let location = "line \(record.line)"
                return (location, Result { try Self.parse(line) }.mapError { BadRow(location: location, reason: "\($0)") })
            }
        }
        return nil
    }

    /// A code field: a string or an array of strings; nil or absent is no code.
    static func codeField(_ value: Any?, _ name: String) throws -> [String] {
        switch value {
        case nil, is NSNull: return []
        case let code as String: return name == "pdx" ? [code] : CaseCode.list(code)
        case let codes as [Any]:
            return try codes.map {
                guard let code = $0 as? String else { throw StoreError.invalid("\"\(name)\" must hold code strings") }
                return code
            }
        default: throw StoreError.invalid("\"\(name)\" must be a code or a list of codes")
        }
    }

    /// One line as a case. Every field of the wrong JSON type is refused with its name (the
    /// caller adds the line number): ids and DRGs are strings or integers, dates strings,
    /// `priority` an integer, `metadata` an object (or null: none).
    static func parse(_ line: String) throws -> IncomingCase {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
            throw StoreError.invalid("not a JSON object")
        }
        guard let idValue = object["id"], !(idValue is NSNull) else { throw StoreError.invalid("missing \"id\"") }
        guard let id = JSONText.identifier(idValue) else { throw StoreError.invalid("\"id\" must be a string or an integer") }
        guard !id.isEmpty else { throw StoreError.invalid("missing \"id\"") }
        guard let textValue = object["text"] else { throw StoreError.invalid("missing or empty \"text\"") }
        guard let text = textValue as? String else { throw StoreError.invalid("\"text\" must be a string") }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw StoreError.invalid("missing or empty \"text\"")
        }
        var incoming = IncomingCase(externalID: id, noteText: text)
        if let raw = try JSONText.optional(object, "final_drg", JSONText.identifier, "a string or an integer") {
            guard let drg = DRGCode.normalized(raw) else { throw StoreError.invalid("final_drg '\(raw)' is not a DRG code") }
            incoming.finalDRG = drg
        }
        if let raw = try JSONText.optional(object, "final_apr_drg", JSONText.identifier, "a string or an integer") {
            guard let apr = APRDRGCode.normalized(raw) else { throw StoreError.invalid("final_apr_drg '\(raw)' is not an APR-DRG (base-severity, e.g. 194-4)") }
            incoming.finalAPRDRG = apr
        }
        if let priority = try JSONText.optional(object, "priority", JSONText.integer, "an integer") { incoming.priority = priority }
        incoming.admittedOn = try JSONText.optional(object, "admitted_on", { $0 as? String }, "a string")
        incoming.dischargedOn = try JSONText.optional(object, "discharged_on", { $0 as? String }, "a string")
        incoming.hadmID = try JSONText.optional(object, "hadm_id", JSONText.identifier, "a string or an integer")
        incoming.codes = try CaseCode.fromFields(pdx: try codeField(object["pdx"], "pdx").first,
                                                 sdx: try codeField(object["sdx"], "sdx"),
                                                 procedures: try codeField(object["procedures"], "procedures"))
        if let metadata = try JSONText.optional(object, "metadata", { $0 as? [String: Any] }, "an object") {
            guard JSONSerialization.isValidJSONObject(metadata),
                  let data = try? JSONSerialization.data(withJSONObject: metadata, options: [.sortedKeys]) else {
                throw StoreError.invalid("metadata is not JSON")
            }
            incoming.metadataJSON = String(decoding: data, as: UTF8.self)
        }
        return incoming
    }
}

/// The column names a named-column CSV uses. Other columns go to the case's metadata.
public struct CSVColumns: Sendable, Equatable {
    public var id = "id"
    public var text = "text"
    public var finalDRG = "final_drg"
    public var priority = "priority"
    public var admittedOn = "admitted_on"
    public var dischargedOn = "discharged_on"
    public init(id: String = "id", text: String = "text", finalDRG: String = "final_drg") {
        self.id = id; self.text = text; self.finalDRG = finalDRG
    }
}

/// A CSV with a header; `CSVColumns` names the id, text and optional columns.
final class NamedColumnCSVSource: CaseSource {
    let sourceName = ImportFormat.csv.rawValue
    private let reader: CSVStreamReader
    private let columns: CSVColumns
    private var header: [String] = []

    init(url: URL, columns: CSVColumns) throws {
        reader = try CSVStreamReader(url: url)
        self.columns = columns
        guard case .success(let first)? = reader.next() else { throw StoreError.invalid("\(url.lastPathComponent): no header line") }
        header = first.fields
        let missing = [columns.id, columns.text].filter { !header.contains($0) }
        guard missing.isEmpty else {
            throw StoreError.invalid("\(url.lastPathComponent): no column named \(missing.joined(separator: " or ")) (use --id-column / --text-column)")
        }
    }

    var progress: (done: Int64, total: Int64) { (reader.bytesRead, reader.fileSize) }

    func next() -> (location: String, result: Result<IncomingCase, BadRow>)? {
        guard let result = reader.next() else { return nil }
        switch result {
        case .failure(let problem):
            return ("line \(problem.line)", .failure(BadRow(location: "line \(problem.line)", reason: problem.reason)))
        case .success(let record):
            let location = "line \(record.line)"
            guard record.fields.count == header.count else {
                return (location, .failure(BadRow(location: location, reason: "expected \(header.count) fields, found \(record.fields.count)")))
            }
            var values: [String: String] = [:]
            for (name, value) in zip(header, record.fields) where !value.isEmpty { values[name] = value }
            return (location, Result { try build(values) }.mapError { BadRow(location: location, reason: "\($0)") })
        }
    }

    private func build(_ values: [String: String]) throws -> IncomingCase {
        var values = values
        guard let id = values.removeValue(forKey: columns.id) else { throw StoreError.invalid("\(columns.id) is empty") }
        guard let text = values.removeValue(forKey: columns.text), !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw StoreError.invalid("\(columns.text) is empty")
        }
        var incoming = IncomingCase(externalID: id, noteText: text)
        if let raw = values.removeValue(forKey: columns.finalDRG) {
            guard let drg = DRGCode.normalized(raw) else { throw StoreError.invalid("\(columns.finalDRG) '\(raw)' is not a DRG code") }
            incoming.finalDRG = drg
        }
        if let raw = values.removeValue(forKey: columns.priority) {
            guard let priority = Int(raw) else { throw StoreError.invalid("\(columns.priority) '\(raw)' is not an integer") }
            incoming.priority = priority
        }
        incoming.admittedOn = values.removeValue(forKey: columns.admittedOn)
        incoming.dischargedOn = values.removeValue(forKey: columns.dischargedOn)
        incoming.codes = try CaseCode.fromFields(pdx: values.removeValue(forKey: "pdx"),
                                                 sdx: CaseCode.list(values.removeValue(forKey: "sdx")),
                                                 procedures: CaseCode.list(values.removeValue(forKey: "procedures")))
        incoming.metadataJSON = JSONText.object(values)
        return incoming
    }
}

/// Every `*.txt` file directly inside a directory, in name order.
final class TextDirectorySource: CaseSource {
    let sourceName = ImportFormat.textDirectory.rawValue
    private let files: [URL]
    private var index = 0

    init(url: URL) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw StoreError.invalid("\(url.path) is not a directory")
        }
        files = try FileManager.default.contentsOfDirectory(at: url, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "txt" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    var progress: (done: Int64, total: Int64) { (Int64(index), Int64(files.count)) }

    func next() -> (location: String, result: Result<IncomingCase, BadRow>)? {
        guard index < files.count else { return nil }
        let file = files[index]
        index += 1
        let location = file.lastPathComponent
        guard let data = try? Data(contentsOf: file) else {
            return (location, .failure(BadRow(location: location, reason: "cannot be read")))
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            return (location, .failure(BadRow(location: location, reason: "is not valid UTF-8")))
        }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            return (location, .failure(BadRow(location: location, reason: "is empty")))
        }
        return (location, .success(IncomingCase(externalID: file.deletingPathExtension().lastPathComponent, noteText: text)))
    }
}

/// Small JSON helpers for metadata.
enum JSONText {
    /// A JSON object with sorted keys, or nil for an empty dictionary.
    static func object(_ values: [String: String]) -> String? {
        guard !values.isEmpty, let data = try? JSONSerialization.data(withJSONObject: values, options: [.sortedKeys]) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// `object[key]` converted by `convert`; nil when absent or null; `invalid` naming the field
    /// and the expected type when present with another type.
    static func optional<T>(_ object: [String: Any], _ key: String, _ convert: (Any) -> T?, _ expected: String) throws -> T? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        guard let converted = convert(value) else { throw StoreError.invalid("\"\(key)\" must be \(expected)") }
        return converted
    }

    /// A JSON string, or an integer written as decimal text (not a boolean, not a fraction).
    static func identifier(_ value: Any) -> String? {
        if let s = value as? String { return s }
        return integer(value).map(String.init)
    }

    /// A JSON integer (JSONSerialization's NSNumber, but not true/false or 1.5).
    static func integer(_ value: Any) -> Int? {
        guard let n = value as? NSNumber, String(cString: n.objCType) != "c" else { return nil }   // "c": a JSON boolean
        let d = n.doubleValue
        guard d.rounded() == d, abs(d) < 9e15 else { return nil }
        return n.intValue
    }
}
