import Foundation

/// One checked row of a MIMIC-IV code file, ready for staging.
public struct StagedCode: Sendable, Equatable {
    public var hadmID: String
    public var kind: CaseCode.Kind
    public var code: String
    public var icdVersion: Int
    public var seq: Int
    /// The file's line the row starts on (named when the row turns out to repeat a seq_num).
    public var line: Int
}

/// The rows of a MIMIC-IV `diagnoses_icd.csv` / `procedures_icd.csv`, read one at a time
/// (`CSVStreamReader`, 1 MiB chunks) and checked, as both backends' `importMIMICCodes` stage them:
/// a malformed row throws a `CodesImportFailure` naming its line; the counts of ``CodesImportSummary``
/// that depend on the rows alone are kept in `summary`. The caller refuses repeated (hadm_id, kind, seq)
/// with ``repeated(_:)``.
public final class MIMICCodeRows {
    public let file: MIMICCodeFile
    public let name: String
    public private(set) var summary: CodesImportSummary
    private let reader: CSVStreamReader
    private let width: Int
    private let hadm: Int, seqColumn: Int, codeColumn: Int, versionColumn: Int

    public init(_ file: MIMICCodeFile, url: URL) throws {
        self.file = file
        name = url.lastPathComponent
        summary = CodesImportSummary(file: name)
        reader = try CSVStreamReader(url: url)
        guard case .success(let header)? = reader.next() else { throw StoreError.invalid("\(name): no header line") }
        var column: [String: Int] = [:]
        for (i, field) in header.fields.enumerated() { column[field] = i }
        let missing = ["hadm_id", "seq_num", "icd_code", "icd_version"].filter { column[$0] == nil }
        guard missing.isEmpty, let hadm = column["hadm_id"], let seqColumn = column["seq_num"],
              let codeColumn = column["icd_code"], let versionColumn = column["icd_version"] else {
            throw StoreError.invalid("\(name): not a MIMIC-IV \(file.rawValue)_icd.csv (missing columns \(missing.joined(separator: ", ")))")
        }
        width = header.fields.count
        self.hadm = hadm; self.seqColumn = seqColumn; self.codeColumn = codeColumn; self.versionColumn = versionColumn
    }

    /// Bytes read so far and the file's size.
    public var progress: (done: Int64, total: Int64) { (reader.bytesRead, reader.fileSize) }

    /// The next checked row (counted in `summary`), nil at the end of the file.
    public func next() throws -> StagedCode? {
        guard let result = reader.next() else { return nil }
        let record: CSVRecord
        switch result {
        case .failure(let problem): throw CodesImportFailure(file: name, line: problem.line, reason: problem.reason)
        case .success(let r): record = r
        }
        func bad(_ reason: String) -> CodesImportFailure { CodesImportFailure(file: name, line: record.line, reason: reason) }
        guard record.fields.count == width else { throw bad("expected \(width) fields, found \(record.fields.count)") }
        guard let seq = Int(record.fields[seqColumn]), seq >= 1 else { throw bad("seq_num '\(record.fields[seqColumn])' is not a positive integer") }
        guard let version = Int(record.fields[versionColumn]) else { throw bad("icd_version '\(record.fields[versionColumn])' is not 9 or 10") }
        guard !record.fields[hadm].isEmpty else { throw bad("hadm_id is empty") }
        let kind: CaseCode.Kind = file == .procedures ? .pcs : (seq == 1 ? .pdx : .sdx)
        let code: CaseCode
        do {
            code = try CaseCode.checked(record.fields[codeColumn], kind: kind, icdVersion: version, seq: seq, allowRetired: true)
        } catch {
            throw bad("\(error)")
        }
        summary.rowsRead += 1
        if version == 9 { summary.icd9Rows += 1 }
        if code.isRetired { summary.retiredICD10Rows += 1 }
        return StagedCode(hadmID: record.fields[hadm], kind: kind, code: code.code, icdVersion: version, seq: seq, line: record.line)
    }

    /// The failure for a row whose (hadm_id, kind, seq_num) an earlier row of the file had.
    public func repeated(_ row: StagedCode) -> CodesImportFailure {
        CodesImportFailure(file: name, line: row.line, reason: "hadm_id \(row.hadmID) has seq_num \(row.seq) twice")
    }

    /// Records how the staged rows met the store.
    public func finish(withoutCase: Int, alreadyPresent: Int, inserted: Int) -> CodesImportSummary {
        var done = summary
        done.withoutCase = withoutCase; done.alreadyPresent = alreadyPresent; done.inserted = inserted
        return done
    }
}
