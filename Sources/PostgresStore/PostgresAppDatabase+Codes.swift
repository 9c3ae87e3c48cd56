import CodingStore
import Foundation
import PostgresNIO

extension PostgresAppDatabase {
    /// Rows staged per statement by the streaming imports: memory stays bounded by this, not by the file.
    public static let importBatchSize = 2_000

    /// As `AppDatabase.importMIMICCodes`: the file read row by row (`MIMICCodeRows`, the same checks),
    /// staged in batches of `importBatchSize` into a temporary table (one `unnest` insert of bound
    /// arrays each), then matched onto the cases by `hadm_id` — all in one transaction, so a bad row
    /// (named by file and line) stores nothing.
    public func importMIMICCodes(_ file: MIMICCodeFile, from url: URL,
                                 progress: ((Int64, Int64) -> Void)?) throws -> CodesImportSummary {
        _ = try MIMICCodeRows(file, url: url)   // a file that is not a code file: one line, no transaction
        let progress = UncheckedSendable(progress)
        return try transaction { connection in
            let rows = try MIMICCodeRows(file, url: url)
            try await connection.query("""
                CREATE TEMPORARY TABLE codes_staging (hadm_id TEXT NOT NULL, kind TEXT NOT NULL, code TEXT NOT NULL,
                    icd_version INTEGER NOT NULL, seq INTEGER NOT NULL, line BIGINT NOT NULL, PRIMARY KEY (hadm_id, kind, seq))
                ON COMMIT DROP
                """, logger: Self.logger)
            var batch: [StagedCode] = []
            batch.reserveCapacity(Self.importBatchSize)
            while let row = try rows.next() {
                batch.append(row)
                guard batch.count == Self.importBatchSize else { continue }
                try await Self.stage(batch, of: rows, connection)
                batch.removeAll(keepingCapacity: true)
                progress.value?(rows.progress.done, rows.progress.total)
            }
            try await Self.stage(batch, of: rows, connection)
            progress.value?(rows.progress.total, rows.progress.total)
            let cased = "FROM codes_staging s JOIN cases c ON c.hadm_id = s.hadm_id"
            let present = "EXISTS (SELECT 1 FROM case_codes k WHERE k.case_id = c.id AND k.kind = s.kind AND k.seq = s.seq)"
            let withoutCase = try await PostgresRows.scalar(Int64.self, connection.query("""
                SELECT count(*) FROM codes_staging s WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.hadm_id = s.hadm_id)
                """, logger: Self.logger)) ?? 0
            let alreadyPresent = try await PostgresRows.scalar(Int64.self, connection.query(
                "SELECT count(*) \(unescaped: cased) WHERE \(unescaped: present)", logger: Self.logger)) ?? 0
            let inserted = try await PostgresRows.scalar(Int64.self, connection.query("""
                WITH added AS (
                    INSERT INTO case_codes (case_id, kind, code, icd_version, seq, source)
                    SELECT c.id, s.kind, s.code, s.icd_version, s.seq, 'mimic-iv' \(unescaped: cased) WHERE NOT \(unescaped: present)
                    ORDER BY c.id, s.kind, s.seq
                    RETURNING 1)
                SELECT count(*) FROM added
                """, logger: Self.logger)) ?? 0
            return rows.finish(withoutCase: Int(withoutCase), alreadyPresent: Int(alreadyPresent), inserted: Int(inserted))
        }
    }

    /// One batch into the staging table; a row whose (hadm_id, kind, seq) is there already (from this
    /// batch or an earlier one) is the file's repeated seq_num, named by its line.
    private static func stage(_ batch: [StagedCode], of rows: MIMICCodeRows, _ connection: PostgresConnection) async throws {
        guard !batch.isEmpty else { return }
        let hadm = batch.map(\.hadmID), kinds = batch.map(\.kind.rawValue), codes = batch.map(\.code)
        let versions = batch.map(\.icdVersion), seqs = batch.map(\.seq), lines = batch.map(\.line)
        var staged = Set<Int>(minimumCapacity: batch.count)
        for try await line in try await connection.query("""
            INSERT INTO codes_staging (hadm_id, kind, code, icd_version, seq, line)
            SELECT * FROM unnest(\(hadm)::text[], \(kinds)::text[], \(codes)::text[], \(versions)::integer[], \(seqs)::integer[],
                                 \(lines)::bigint[])
            ON CONFLICT DO NOTHING
            RETURNING line
            """, logger: logger).decode(Int.self) {
            staged.insert(line)
        }
        if staged.count < batch.count, let first = batch.first(where: { !staged.contains($0.line) }) {
            throw rows.repeated(first)
        }
    }
}
