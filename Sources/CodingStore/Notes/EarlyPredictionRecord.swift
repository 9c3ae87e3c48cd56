import DRGKit
import GRDB

/// One row of `early_predictions`: what a model said from a stay's notes up to a cut-off (see
/// "v5 case notes"). Immutable on both backends; read by `db copy` and the PostgreSQL mirror.
public struct EarlyPredictionRecord: Codable, Sendable, Equatable, FetchableRecord {
    public var id: Int64
    public var caseID: Int64
    public var modelPath: String
    public var weightsSHA256: String
    public var adapterSHA256: String?
    public var labelSpace: String
    public var modelKey: String
    /// `24h`, `48h` or `now` (``EarlyCutoff``).
    public var cutoff: String
    public var notesRead: Int
    public var lastNoteID: Int64
    public var inputSHA256: String
    public var createdAt: String
    public var topDRG: String
    public var topProbability: Double
    public var predictionJSON: String
    public var predictionSHA256: String
    public var elapsedMilliseconds: Double
    public var tokenCount: Int?
    public var truncated: Bool

    enum CodingKeys: String, CodingKey {
        case id, caseID = "case_id", modelPath = "model_path", weightsSHA256 = "weights_sha256"
        case adapterSHA256 = "adapter_sha256", labelSpace = "label_space", modelKey = "model_key", cutoff
        case notesRead = "notes_read", lastNoteID = "last_note_id", inputSHA256 = "input_sha256"
        case createdAt = "created_at", topDRG = "top_drg", topProbability = "top_probability"
        case predictionJSON = "prediction_json", predictionSHA256 = "prediction_sha256"
        case elapsedMilliseconds = "elapsed_ms", tokenCount = "token_count", truncated
    }

    /// The row `saveEarlyPrediction` writes (id 0 until stored): the same columns on both backends.
    public static func make(caseID: Int64, identity: ModelIdentity, cutoff: EarlyCutoff, input: EarlyInput,
                     scored: ScoredPrediction, createdAt: String) throws -> EarlyPredictionRecord {
        guard let top = scored.prediction.ranked.first else { throw StoreError.invalid("a prediction must rank at least one DRG") }
        let json = try PredictionCoding.encode(scored.prediction)
        return EarlyPredictionRecord(
            id: 0, caseID: caseID, modelPath: identity.path, weightsSHA256: identity.weightsSHA256,
            adapterSHA256: identity.adapterSHA256, labelSpace: identity.labelSpace, modelKey: identity.key,
            cutoff: cutoff.rawValue, notesRead: input.notesRead, lastNoteID: input.lastNoteID, inputSHA256: input.sha256,
            createdAt: createdAt, topDRG: top.drg, topProbability: top.probability, predictionJSON: json,
            predictionSHA256: DecisionChain.sha256Hex(json.utf8), elapsedMilliseconds: scored.elapsedMilliseconds,
            tokenCount: scored.tokenCount, truncated: scored.truncated)
    }
}
