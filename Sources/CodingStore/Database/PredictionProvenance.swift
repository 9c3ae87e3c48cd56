import DRGKit
import Foundation
import GRDB

/// How a prediction was made: which case (and the SHA-256 of its note and of the section the
/// model read), which model, when, how long it took and how much of the note the model read. The
/// store keeps these as columns of `predictions` (for queries) *and*, since prediction format 2,
/// inside the hashed `prediction_json` under the key `"provenance"`, so the SHA-256 a decision
/// records covers them and `audit verify` can check every column against the hashed copy. A row
/// written before format 2 has no `"provenance"` key; its columns are unchecked.
///
/// The JSON key is additive: a `DRGPrediction` decoder ignores it, and a field added to
/// `DRGPrediction` later (or to this object) simply sits beside the others.
///
/// ```json
/// "provenance": {"case_id": 7, "created_at": "2026-12-01T19:11:24.113Z", "elapsed_ms": 812.5,
///   "model": {"label_space": "drg-llama-single", "path": "/models/drg", "weights_sha256": "ab12…"},
///   "note_sha256": "…", "section_sha256": "…", "token_count": 512, "truncated": true}
/// ```
public struct PredictionProvenance: Codable, Sendable, Equatable {
    public var caseID: Int64
    /// The model (`model_path`, `weights_sha256`, `adapter_sha256`, `label_space`; `model_key` is
    /// derived from it).
    public var model: ModelIdentity
    /// `StoreClock.timestamp` of the save.
    public var createdAt: String
    public var elapsedMilliseconds: Double
    public var tokenCount: Int?
    public var truncated: Bool
    /// SHA-256 (hex) of the case's `note_text` and `section_text` when it was scored: the texts
    /// are never updated, so `audit verify` checks the case row against them.
    public var noteSHA256: String
    public var sectionSHA256: String

    public init(case scored: CaseRecord, identity: ModelIdentity, createdAt: String, elapsedMilliseconds: Double,
                tokenCount: Int?, truncated: Bool) {
        caseID = scored.id
        noteSHA256 = DecisionChain.sha256Hex(scored.noteText.utf8)
        sectionSHA256 = DecisionChain.sha256Hex(scored.sectionText.utf8)
        model = identity
        self.createdAt = createdAt; self.elapsedMilliseconds = elapsedMilliseconds
        self.tokenCount = tokenCount; self.truncated = truncated
    }

    enum CodingKeys: String, CodingKey {
        case caseID = "case_id", model, createdAt = "created_at", elapsedMilliseconds = "elapsed_ms"
        case tokenCount = "token_count", truncated, noteSHA256 = "note_sha256", sectionSHA256 = "section_sha256"
    }

    /// Each `predictions` column this copy covers, with the value the database should hold.
    var columnValues: [(column: String, value: DatabaseValue)] {
        [("case_id", caseID.databaseValue), ("model_path", model.path.databaseValue),
         ("weights_sha256", model.weightsSHA256.databaseValue), ("adapter_sha256", model.adapterSHA256.databaseValue),
         ("label_space", model.labelSpace.databaseValue), ("model_key", model.key.databaseValue),
         ("created_at", createdAt.databaseValue), ("elapsed_ms", elapsedMilliseconds.databaseValue),
         ("token_count", tokenCount.databaseValue), ("truncated", truncated.databaseValue)]
    }

    /// The first provenance column of `row` (a `predictions` row) that differs from this hashed
    /// copy, or nil when all agree.
    func firstMismatch(in row: Row) -> String? {
        columnValues.first { column, value in (row[column] as DatabaseValue) != value }?.column
    }

    /// The first of the case's texts (`cases` row `row`) whose SHA-256 is not the one recorded
    /// when it was scored, or nil.
    func firstChangedText(in row: Row) -> String? {
        [("note_text", noteSHA256), ("section_text", sectionSHA256)].first { column, sha in
            guard case .string(let text) = (row[column] as DatabaseValue).storage else { return true }
            return DecisionChain.sha256Hex(text.utf8) != sha
        }?.0
    }
}

/// The stored prediction JSON (format 2): the prediction's own keys and `"provenance"`, in one
/// object with sorted keys.
struct StoredPrediction: Encodable {
    var prediction: DRGPrediction
    var provenance: PredictionProvenance

    private enum Key: String, CodingKey { case provenance }

    func encode(to encoder: any Encoder) throws {
        try prediction.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(provenance, forKey: .provenance)
    }

    /// The provenance of a stored JSON: nil for format 1 (no key); throws when the key is there
    /// but is not a provenance.
    static func provenance(ofJSON json: String) throws -> PredictionProvenance? {
        struct Envelope: Decodable { var provenance: PredictionProvenance? }
        return try JSONDecoder().decode(Envelope.self, from: Data(json.utf8)).provenance
    }
}
