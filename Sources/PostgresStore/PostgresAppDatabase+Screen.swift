import CodingStore
import Foundation
import PostgresNIO

/// What the review screen reads besides the queue: note search, a case's codes, one prediction.
extension PostgresAppDatabase {
    /// As `AppDatabase.caseIDs(withNoteWords:)`, with ILIKE (case-insensitive beyond ASCII too); the
    /// words are bound as one text array, `%`, `_` and `\` in them escaped.
    public func caseIDs(withNoteWords query: String) throws -> Set<Int64> {
        let patterns = query.split(whereSeparator: \.isWhitespace).map { word in
            "%" + word.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_") + "%"
        }
        guard !patterns.isEmpty else { return [] }
        return try read { client in
            var ids: Set<Int64> = []
            let rows = try await client.query("""
                SELECT c.id FROM cases c
                WHERE NOT EXISTS (SELECT 1 FROM unnest(\(patterns)::text[]) AS w(pattern) WHERE c.note_text NOT ILIKE w.pattern)
                """, logger: Self.logger)
            for try await id in rows.decode(Int64.self) { ids.insert(id) }
            return ids
        }
    }

    public func codes(ofCase id: Int64) throws -> [CaseCode] {
        try read { client in
            var codes: [CaseCode] = []
            let rows = try await client.query("""
                SELECT kind, code, icd_version, seq FROM case_codes WHERE case_id = \(id)
                ORDER BY CASE kind WHEN 'pdx' THEN 0 WHEN 'sdx' THEN 1 ELSE 2 END, seq
                """, logger: Self.logger)
            for try await (kind, code, version, seq) in rows.decode((String, String, Int32, Int32).self) {
                if let kind = CaseCode.Kind(rawValue: kind) {
                    codes.append(CaseCode(kind: kind, code: code, icdVersion: Int(version), seq: Int(seq)))
                }
            }
            return codes
        }
    }

    public func prediction(id: Int64) throws -> PredictionRecord? {
        try read { client in
            try await PostgresRows.first(PredictionRecord.self, client.query(
                "SELECT * FROM predictions WHERE id = \(id)", logger: Self.logger))
        }
    }
}
