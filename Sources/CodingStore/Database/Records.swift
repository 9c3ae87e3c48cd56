import DRGKit
import Foundation
import GRDB

/// Where a case stands in the queue.
public enum CaseStatus: String, Codable, Sendable, CaseIterable {
    case queued
    case inProgress = "in_progress"
    case coded, deferred, flagged
}

/// How the text fed to the model was found in the note (see `HospitalCourseExtractor`).
public enum SectionSource: String, Codable, Sendable, CaseIterable {
    case pattern1, pattern2, pattern3, pattern4
    /// No pattern matched: the whole note is used, and this flag records it.
    case wholeNote = "whole-note"
}

/// One discharge summary in the queue (a row of `cases`).
public struct CaseRecord: Codable, Sendable, Equatable, FetchableRecord, TableRecord {
    public static let databaseTableName = "cases"
    public var id: Int64
    /// Where the case came from: "mimic-iv", "jsonl", "csv" or "text-dir".
    public var source: String
    /// The source's id: MIMIC note_id, a JSONL/CSV `id`, a file name without `.txt`.
    public var externalID: String
    public var hadmID: String?
    public var subjectID: String?
    public var admittedOn: String?
    /// For MIMIC-IV, the discharge note's charttime.
    public var dischargedOn: String?
    /// The whole note (PHI: never logged).
    public var noteText: String
    /// The text the model reads: the brief hospital course, or the whole note.
    public var sectionText: String
    public var sectionSource: SectionSource
    /// The DRG the source recorded (MIMIC drgcodes mapped to v34; JSONL/CSV `final_drg`).
    public var finalDRG: String?
    public var metadataJSON: String?
    public var status: CaseStatus
    public var priority: Int
    public var claimHolder: String?
    /// Unix seconds; a claim whose lease has passed is free again.
    public var leaseExpiresAt: Double?
    /// The DRG the coders settled on (cache of the effective accept/override decision).
    public var codedDRG: String?
    public var importedAt: String
    /// The final APR-DRG (`194-4`), if the source gave one (migration "v5 case notes"); never an MS-DRG.
    public var finalAPRDRG: String? = nil

    enum CodingKeys: String, CodingKey {
        case finalAPRDRG = "final_apr_drg"
        case id, source, externalID = "external_id", hadmID = "hadm_id", subjectID = "subject_id"
        case admittedOn = "admitted_on", dischargedOn = "discharged_on", noteText = "note_text"
        case sectionText = "section_text", sectionSource = "section_source", finalDRG = "final_drg"
        case metadataJSON = "metadata_json", status, priority, claimHolder = "claim_holder"
        case leaseExpiresAt = "lease_expires_at", codedDRG = "coded_drg", importedAt = "imported_at"
    }
}

/// One model answer about one case (a row of `predictions`).
public struct PredictionRecord: Codable, Sendable, Equatable, FetchableRecord, TableRecord {
    public static let databaseTableName = "predictions"
    public var id: Int64
    public var caseID: Int64
    public var modelPath: String
    public var weightsSHA256: String
    public var adapterSHA256: String?
    public var labelSpace: String
    public var modelKey: String
    public var createdAt: String
    public var topDRG: String
    public var topProbability: Double
    /// `DRGPrediction` as JSON (sorted keys); `predictionSHA256` is the SHA-256 of these UTF-8 bytes.
    public var predictionJSON: String
    public var predictionSHA256: String
    public var elapsedMilliseconds: Double
    public var tokenCount: Int?
    public var truncated: Bool

    public var identity: ModelIdentity {
        ModelIdentity(path: modelPath, weightsSHA256: weightsSHA256, adapterSHA256: adapterSHA256, labelSpace: labelSpace)
    }

    enum CodingKeys: String, CodingKey {
        case id, caseID = "case_id", modelPath = "model_path", weightsSHA256 = "weights_sha256"
        case adapterSHA256 = "adapter_sha256", labelSpace = "label_space", modelKey = "model_key"
        case createdAt = "created_at", topDRG = "top_drg", topProbability = "top_probability"
        case predictionJSON = "prediction_json", predictionSHA256 = "prediction_sha256"
        case elapsedMilliseconds = "elapsed_ms", tokenCount = "token_count", truncated
    }
}

/// What a coder did.
public enum DecisionAction: String, Codable, Sendable, CaseIterable {
    case accept, override, `defer`, flag, undo
}

/// Who was deciding.
public enum DecisionRole: String, Codable, Sendable, CaseIterable {
    case coder, auditor, trainer
}

/// One row of the decision log. Never updated or deleted; see `DecisionChain` for `hash`.
public struct DecisionRecord: Codable, Sendable, Equatable, FetchableRecord, TableRecord {
    public static let databaseTableName = "decisions"
    public var seq: Int64
    public var caseID: Int64
    public var caseExternalID: String
    public var user: String
    public var role: DecisionRole
    public var action: DecisionAction
    public var chosenDRG: String?
    public var modelTopDRG: String?
    public var predictionID: Int64?
    public var predictionSHA256: String?
    public var reasonCode: String?
    public var note: String?
    public var timeSpentMilliseconds: Int64
    /// UTC, millisecond precision, always 24 characters: `2026-12-01T18:55:57.123Z`.
    public var decidedAt: String
    public var reversesSeq: Int64?
    public var prevHash: String
    public var hash: String
    /// The ICD codes the coder confirmed ("pdx:J189 sdx:J9601 pcs:5A1955Z"), nil for none (and for rows
    /// written before migration "v3 decision codes").
    public var confirmedCodes: String? = nil

    enum CodingKeys: String, CodingKey {
        case seq, caseID = "case_id", caseExternalID = "case_external_id", user, role, action
        case chosenDRG = "chosen_drg", modelTopDRG = "model_top_drg", predictionID = "prediction_id"
        case predictionSHA256 = "prediction_sha256", reasonCode = "reason_code", note
        case timeSpentMilliseconds = "time_spent_ms", decidedAt = "decided_at"
        case reversesSeq = "reverses_seq", prevHash = "prev_hash", hash, confirmedCodes = "confirmed_codes"
    }
}

/// Timestamps the store writes: UTC ISO 8601 with milliseconds, fixed width.
public enum StoreClock {
    public static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}

extension DecisionRecord {
    /// The row as `CaseCoding` / `CodingAgreement` read it.
    public var codingEvent: CodingEvent {
        CodingEvent(seq: seq, caseID: caseID, action: CodingEvent.Action(rawValue: action.rawValue) ?? .flag,
                    chosenDRG: chosenDRG, modelTopDRG: modelTopDRG, reverses: reversesSeq)
    }
}
