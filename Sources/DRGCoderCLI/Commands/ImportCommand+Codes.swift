import CodingStore
import Foundation

/// `drgcoder import --db F --diagnoses diagnoses_icd.csv --procedures procedures_icd.csv`: MIMIC-IV ICD codes
/// onto the cases already imported (matched by hadm_id); each file is all or nothing, on a SQLite file
/// or a PostgreSQL server (streamed in batches inside one transaction).
extension ImportCommand {
    func runCodes() throws {
        let files = [(MIMICCodeFile.diagnoses, diagnoses), (.procedures, procedures)].compactMap { kind, path in
            path.map { (kind, $0) }
        }
        guard !files.isEmpty else { return }
        for (_, path) in files where !FileManager.default.fileExists(atPath: path) {
            throw CLIError("\(path): no such file")
        }
        let database = try store.open(mustExist: false)
        defer { database.close() }
        for (kind, path) in files {
            let url = URL(fileURLWithPath: path)
            let summary = try StoreCommandSupport.run {
                let bar = TerminalProgress(label: url.lastPathComponent)
                defer { bar.finish() }
                return try database.importMIMICCodes(kind, from: url) { done, total in bar.update(done: done, total: total) }
            }
            if json {
                print(try StoreCommandSupport.json(summary))
            } else {
                print("\(summary.file): \(summary.inserted) codes added, \(summary.rowsRead) rows read, "
                      + "\(summary.icd9Rows) ICD-9 (kept, marked), \(summary.retiredICD10Rows) ICD-10 not in FY 2026 (kept), "
                      + "\(summary.withoutCase) without an imported admission, "
                      + "\(summary.alreadyPresent) already present")
            }
        }
    }
}
