import CodingStore
import PostgresNIO

/// Rows of the PostgreSQL tables as the store's records (the same types the SQLite store returns),
/// through `PostgresRowDecoder`.
enum PostgresRows {
    /// The columns of `cases` with the note and its section left out (empty): for listings and
    /// verification, which never show note text.
    static let caseColumnsWithoutNotes = """
        c.id, c.source, c.external_id, c.hadm_id, c.subject_id, c.admitted_on, c.discharged_on, '' AS note_text,
        '' AS section_text, c.section_source, c.final_drg, c.metadata_json, c.status, c.priority, c.claim_holder,
        c.lease_expires_at, c.coded_drg, c.imported_at, c.final_apr_drg
        """

    static func all<T: Decodable>(_ type: T.Type, _ rows: PostgresRowSequence) async throws -> [T] {
        var out: [T] = []
        for try await row in rows { out.append(try PostgresRowDecoder.decode(T.self, from: row)) }
        return out
    }

    static func first<T: Decodable>(_ type: T.Type, _ rows: PostgresRowSequence) async throws -> T? {
        try await all(type, rows).first
    }

    static func count(_ rows: PostgresRowSequence) async throws -> Int {
        var n = 0
        for try await _ in rows { n += 1 }
        return n
    }

    /// The first column of the first row, if any.
    static func scalar<T: PostgresDecodable>(_ type: T.Type, _ rows: PostgresRowSequence) async throws -> T? {
        for try await (value) in rows.decode(T.self) { return value }
        return nil
    }
}
